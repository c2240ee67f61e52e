// supervisord's readFile() and tailFile() (options.py), used by readLog, readProcess*Log and
// tailProcess*Log.

#include "api/process_methods.h"
#include "os/files.h"
#include "protocol/py_codecs.h"

namespace vigil::api {

std::string AsUtf8(std::string_view bytes) { return protocol::ReplaceInvalidUtf8(bytes); }

std::variant<std::string, RpcError> ReadLogFile(const std::string& path, int64_t offset,
                                                int64_t length) {
  std::optional<os::FileIdentity> file = os::StatFile(path);
  if (!file) return MakeError(Fault::kFailed);
  int64_t from = offset;
  int64_t count = length;
  if (offset < 0) {
    // The last |offset| bytes; a length is not allowed with a negative offset.
    if (length != 0) return MakeError(Fault::kBadArguments);
    from = std::max<int64_t>(0, file->size + offset);
    count = -offset;
  } else {
    if (length < 0) return MakeError(Fault::kBadArguments);
    if (length == 0) count = std::max<int64_t>(0, file->size - offset);
  }
  Result<std::string> data = os::ReadRange(path, from, count);
  if (!data) return MakeError(Fault::kFailed);
  return AsUtf8(*data);
}

XmlRpcValue TailLogFile(const std::string& path, int64_t offset, int64_t length) {
  std::optional<os::FileIdentity> file = os::StatFile(path);
  if (!file) return XmlRpcArray{"", 0, false};
  const int64_t size = file->size;
  bool overflow = false;
  if (size > offset + length) {
    overflow = true;
    offset = size - 1;
  }
  if (offset + length > size) {
    if (offset > size - 1) length = 0;
    offset = size - length;
  }
  offset = std::max<int64_t>(offset, 0);
  length = std::max<int64_t>(length, 0);
  std::string data;
  if (length > 0) {
    Result<std::string> read = os::ReadRange(path, offset, length);
    if (read) data = *read;
  }
  return XmlRpcArray{AsUtf8(data), protocol::CappedXmlRpcInt(size), overflow};
}

}  // namespace vigil::api

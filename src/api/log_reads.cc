// supervisord's readFile() and tailFile() (options.py), used by readLog, readProcess*Log and
// tailProcess*Log. Python computes them with unbounded integers; here every sum of two client
// numbers saturates at the int64_t range instead, which keeps each comparison's outcome (the
// file size always lies strictly inside that range).

#include <limits>

#include "api/process_methods.h"
#include "os/files.h"
#include "protocol/py_codecs.h"

namespace vigil::api {
namespace {

constexpr int64_t kToEnd = std::numeric_limits<int64_t>::max();

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (!__builtin_add_overflow(a, b, &sum)) return sum;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

int64_t SaturatingSub(int64_t a, int64_t b) {
  int64_t difference = 0;
  if (!__builtin_sub_overflow(a, b, &difference)) return difference;
  return b < 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

}  // namespace

std::string AsUtf8(std::string_view bytes) { return protocol::ReplaceInvalidUtf8(bytes); }

std::variant<std::string, RpcError> ReadLogFile(const std::string& path, int64_t offset,
                                                int64_t length) {
  std::optional<os::FileIdentity> file = os::StatFile(path);
  if (!file) return MakeError(Fault::kNoFile, path);
  int64_t from = offset;
  int64_t count = length;
  if (offset < 0) {
    // The last |offset| bytes (all of them when there are fewer); no length allowed.
    if (length != 0) return MakeError(Fault::kBadArguments);
    from = offset < -file->size ? 0 : file->size + offset;
    count = kToEnd;
  } else {
    if (length < 0) return MakeError(Fault::kBadArguments);
    if (length == 0) count = kToEnd;
  }
  Result<std::string> data = os::ReadRange(path, from, count);
  if (!data) return MakeError(Fault::kFailed);
  return AsUtf8(*data);
}

XmlRpcValue TailLogFile(const std::string& path, int64_t offset, int64_t length) {
  std::optional<os::FileIdentity> file = os::StatFile(path);
  if (!file) return XmlRpcArray{"", 0, false};
  const int64_t size = file->size;
  const int64_t requested_offset = offset;
  bool overflow = false;
  if (size > SaturatingAdd(offset, length)) {
    overflow = true;
    offset = size - 1;
  }
  if (SaturatingAdd(offset, length) > size) {
    if (offset > size - 1) length = 0;
    offset = SaturatingSub(size, length);
  }
  offset = std::max<int64_t>(offset, 0);
  length = std::max<int64_t>(length, 0);
  std::string data;
  if (length > 0) {
    Result<std::string> read = os::ReadRange(path, offset, length);
    if (!read) {
      return XmlRpcArray{"", protocol::CappedXmlRpcInt(requested_offset), false};
    }
    data = std::move(*read);
  }
  return XmlRpcArray{AsUtf8(data), protocol::CappedXmlRpcInt(size), overflow};
}

}  // namespace vigil::api

#include "api/log_follower.h"

#include <algorithm>

namespace vigil::api {

Result<std::unique_ptr<LogFollower>> LogFollower::Open(std::string path, int64_t head) {
  Result<UniqueFd> fd = os::OpenForReading(path);
  if (!fd) return fd.error();
  Result<os::FileIdentity> identity = os::StatOpenFile(fd->get());
  if (!identity) return identity.error();
  const int64_t offset = std::max<int64_t>(0, identity->size - std::max<int64_t>(head, 0));
  return std::unique_ptr<LogFollower>(
      new LogFollower(std::move(path), std::move(*fd), *identity, offset));
}

void LogFollower::Poll(const Sink& sink) {
  // The open file first: after a rotation, its last writes are still to be handed out.
  SendNew(sink);
  std::optional<os::FileIdentity> at_path = os::StatFile(path_);
  if (!at_path || os::SameFile(*at_path, identity_)) return;  // gone for now, or the same file
  Result<UniqueFd> fd = os::OpenForReading(path_);
  if (!fd) return;
  Result<os::FileIdentity> identity = os::StatOpenFile(fd->get());
  // Checked again on the file opened: the path may have changed once more since the stat.
  if (!identity || os::SameFile(*identity, identity_)) return;
  fd_ = std::move(*fd);
  identity_ = *identity;
  offset_ = 0;
  SendNew(sink);
}

void LogFollower::SendNew(const Sink& sink) {
  Result<os::FileIdentity> now = os::StatOpenFile(fd_.get());
  if (!now || !now->regular) return;  // a FIFO or a terminal has no contents to follow
  if (now->size < offset_) {
    offset_ = 0;
    sink("==> File truncated <==\n");
  }
  if (now->size == offset_) return;
  Result<std::string> data = os::ReadRange(fd_.get(), path_, offset_, now->size - offset_);
  if (!data || data->empty()) return;
  offset_ += static_cast<int64_t>(data->size());
  sink(*data);
}

}  // namespace vigil::api

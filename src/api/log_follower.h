#pragma once

// LogFollower: what /logtail and /mainlogtail stream (supervisord's tail_f_producer in
// http.py): the last `head` bytes of a log file, then whatever is appended to it.
// - When the file shrinks in place (it was truncated), "==> File truncated <==\n", then the
//   file from its new start.
// - When the path comes to name another file (a rotation, clearProcessLogs or clearLog, which
//   delete the file and create a new one, or logrotate), the rest of the old file, then the new
//   file from its start, without that notice.
// The followed file is held open. That is what makes "another file" certain: a deleted file that
// is still open keeps its inode, so a new file cannot be given the same inode number. Comparing
// the inode number at the path with one remembered from earlier is not enough: ext4 often gives a
// file that is deleted and created again at once its old inode number back, and the new, smaller
// file then looked like a truncation of the old one.
// Nothing here waits or polls on its own: Poll() is called whenever the file may have changed.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/unique_fd.h"
#include "os/files.h"

namespace vigil::api {

class LogFollower {
 public:
  using Sink = std::function<void(std::string_view)>;

  // Opens the file at `path`, to follow it from `head` bytes before its end (from its start
  // when it is smaller). Errors: kIo when it cannot be opened (e.g. it does not exist).
  static Result<std::unique_ptr<LogFollower>> Open(std::string path, int64_t head);

  // Hands `sink` what is new since the last call (at the first call, the head), in order.
  // A file that cannot be read or stat'ed gives nothing now; the next call tries again.
  void Poll(const Sink& sink);

  // The followed file's modification time when it was opened (for Last-Modified).
  int64_t opened_mtime() const { return opened_mtime_; }

 private:
  LogFollower(std::string path, UniqueFd fd, os::FileIdentity identity, int64_t offset)
      : path_(std::move(path)),
        fd_(std::move(fd)),
        identity_(identity),
        offset_(offset),
        opened_mtime_(identity.mtime) {}
  void SendNew(const Sink& sink);

  std::string path_;
  UniqueFd fd_;                // the file being followed: the one at path_, or the one that was
  os::FileIdentity identity_;  // fd_'s device and inode
  int64_t offset_;             // how much of fd_'s file has been handed out
  int64_t opened_mtime_;
};

}  // namespace vigil::api

#pragma once

// Inotify: one inotify instance watching directories for files that appear or change (for
// Type=forking's PIDFile=, which daemons write some time after their start script exits).

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace vigil::os {

class Inotify {
 public:
  static Result<Inotify> Create();  // non-blocking, close-on-exec

  int fd() const { return fd_.get(); }
  // Watches `directory` for files created, written and closed, moved in, or changed in their
  // attributes. Returns the watch descriptor (the same one for the same directory).
  Result<int> WatchDirectory(const std::string& directory);
  void Unwatch(int watch);
  // The watch descriptors with events since the last call; drains the fd.
  std::vector<int> ReadEvents();

 private:
  explicit Inotify(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace vigil::os

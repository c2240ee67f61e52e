#include "os/inotify.h"

#include <errno.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>

#include "os/errors.h"

namespace vigil::os {

Result<Inotify> Inotify::Create() {
  UniqueFd fd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!fd) return SysError("inotify_init1");
  return Inotify(std::move(fd));
}

Result<int> Inotify::WatchDirectory(const std::string& directory) {
  const int watch = ::inotify_add_watch(
      fd_.get(), directory.c_str(),
      IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB | IN_MODIFY | IN_ONLYDIR);
  if (watch < 0) return SysError("inotify_add_watch " + directory);
  return watch;
}

void Inotify::Unwatch(int watch) { ::inotify_rm_watch(fd_.get(), watch); }

std::vector<int> Inotify::ReadEvents() {
  std::vector<int> watches;
  alignas(inotify_event) char buffer[8192];
  while (true) {
    const ssize_t n = ::read(fd_.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (ssize_t offset = 0; offset < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
      if (std::find(watches.begin(), watches.end(), event->wd) == watches.end()) {
        watches.push_back(event->wd);
      }
      offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
  return watches;
}

}  // namespace vigil::os

#pragma once

// Process-wide operations of the daemon itself: becoming a subreaper, reaping orphans,
// raising its own limits, daemonizing, dropping privileges, the pid file.

#include <sys/resource.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace vigil::os {

// prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants are re-parented to vigild, which must
// then reap them.
Result<void> BecomeChildSubreaper();

// The pid of a child that has exited and waits to be reaped, without reaping it; nullopt when
// none is waiting. (waitid WNOWAIT, so the caller can reap it the right way: through its
// pidfd if it is one of ours, with ReapPid otherwise.)
std::optional<pid_t> PeekExitedChild();
// Reaps `pid`; its wait status.
Result<int> ReapPid(pid_t pid);

// Ensures the soft (and if needed hard) `resource` limit is at least `minimum`, as supervisord
// does for minfds/minprocs. Returns the soft limit now in force; an error when the hard limit
// is lower and cannot be raised.
Result<rlim_t> RaiseLimit(int resource, rlim_t minimum);

// supervisord's daemonize: one fork (the parent exits 0), then in the child: chdir to
// `directory` if given, stdin/stdout/stderr to /dev/null, setsid(), umask.
Result<void> Daemonize(const std::optional<std::string>& directory, mode_t umask);

// The supplementary groups initgroups() would give `user` with primary group `gid`.
std::vector<gid_t> GroupsOf(const std::string& user, gid_t gid);

// Becomes `uid`/`gid` with `user`'s groups (for [supervisord] user=).
Result<void> DropPrivileges(const std::string& user, uid_t uid, gid_t gid);

// Writes "<pid>\n" to `path` (through a temporary file and rename).
Result<void> WritePidFile(const std::string& path, pid_t pid);

// Writes `contents` to `path`, replacing it atomically.
Result<void> WriteFileAtomically(const std::string& path, std::string_view contents, mode_t mode);

}  // namespace vigil::os

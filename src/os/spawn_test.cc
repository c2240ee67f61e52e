// SpawnProcess against the real kernel, with /bin/sh children.

#include "os/spawn.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "os/cgroup.h"
#include "os/pipe.h"
#include "os/signal_fd.h"

namespace vigil::os {
namespace {

// Runs `script` with /bin/sh, its stdout captured; returns what it printed and its status.
struct Outcome {
  std::string output;
  int status = -1;
};

Outcome RunCaptured(SpawnRequest request) {
  Result<Pipe> out = MakePipe(NonBlockingEnd::kRead);
  EXPECT_TRUE(out);
  request.stdout_fd = out->write.get();
  Result<SpawnedProcess> child = SpawnProcess(request);
  EXPECT_TRUE(child) << child.error().message;
  out->write.Reset();
  Outcome outcome;
  if (!child) return outcome;
  char buffer[4096];
  while (true) {
    pollfd p{out->read.get(), POLLIN, 0};
    ::poll(&p, 1, 5000);
    ssize_t n = ::read(out->read.get(), buffer, sizeof buffer);
    if (n <= 0) break;
    outcome.output.append(buffer, static_cast<size_t>(n));
  }
  pollfd p{child->pidfd.fd(), POLLIN, 0};
  ::poll(&p, 1, 5000);
  Result<std::optional<int>> status = child->pidfd.TryReap();
  EXPECT_TRUE(status && *status);
  if (status && *status) outcome.status = **status;
  return outcome;
}

SpawnRequest Shell(const std::string& script) {
  SpawnRequest request;
  request.path = "/bin/sh";
  request.argv = {"sh", "-c", script};
  request.environment = {"PATH=/usr/bin:/bin"};
  return request;
}

TEST(SpawnTest, RunsTheCommandWithItsEnvironment) {
  SpawnRequest request = Shell("echo \"$GREETING\"; exit 3");
  request.environment.push_back("GREETING=hello there");
  Outcome outcome = RunCaptured(request);
  EXPECT_EQ(outcome.output, "hello there\n");
  EXPECT_TRUE(WIFEXITED(outcome.status));
  EXPECT_EQ(WEXITSTATUS(outcome.status), 3);
}

TEST(SpawnTest, ExecFailureIsARealError) {
  SpawnRequest request;
  request.path = "/nonexistent/program";
  request.argv = {"/nonexistent/program"};
  Result<SpawnedProcess> child = SpawnProcess(request);
  ASSERT_FALSE(child);
  EXPECT_EQ(child.error().code, ErrorCode::kSpawn);
  EXPECT_EQ(child.error().sys_errno, ENOENT);
  EXPECT_EQ(child.error().message, "couldn't exec /nonexistent/program: ENOENT");
}

TEST(SpawnTest, ExecOfANonExecutableFileIsEacces) {
  char path[] = "/tmp/vigil-spawn-test-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  SpawnRequest request;
  request.path = path;
  request.argv = {path};
  Result<SpawnedProcess> child = SpawnProcess(request);
  ::unlink(path);
  ASSERT_FALSE(child);
  EXPECT_EQ(child.error().sys_errno, EACCES);
}

TEST(SpawnTest, ChdirFailureNamesTheDirectory) {
  SpawnRequest request = Shell("true");
  request.directory = "/nonexistent-dir";
  Result<SpawnedProcess> child = SpawnProcess(request);
  ASSERT_FALSE(child);
  EXPECT_EQ(child.error().message, "couldn't chdir to /nonexistent-dir: ENOENT");
}

TEST(SpawnTest, DirectoryUmaskAndSession) {
  SpawnRequest request = Shell("pwd; umask; ps -o sid= -p $$ | tr -d ' '; echo $$");
  request.directory = "/tmp";
  request.umask = 027;
  Outcome outcome = RunCaptured(request);
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = outcome.output.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(outcome.output.substr(start, nl - start));
  }
  ASSERT_EQ(lines.size(), 4u) << outcome.output;
  EXPECT_EQ(lines[0], "/tmp");
  EXPECT_EQ(lines[1], "0027");
  EXPECT_EQ(lines[2], lines[3]);  // a session leader: sid == pid
}

TEST(SpawnTest, OnlyStdioIsInherited) {
  int stray = ::open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
  ASSERT_GE(stray, 3);
  Outcome outcome = RunCaptured(Shell("ls /proc/self/fd | sort -n | tr '\\n' ' '"));
  ::close(stray);
  // 0-2, plus the fd ls uses to read the directory.
  EXPECT_EQ(outcome.output, "0 1 2 3 ");
}

TEST(SpawnTest, SignalMaskAndDispositionsAreReset) {
  ASSERT_TRUE(BlockSignals({SIGTERM, SIGUSR1}));
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction previous {};
  ::sigaction(SIGPIPE, &ignore, &previous);
  Outcome outcome = RunCaptured(Shell("grep -E '^Sig(Blk|Ign)' /proc/self/status"));
  ::sigaction(SIGPIPE, &previous, nullptr);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1);
  ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  EXPECT_NE(outcome.output.find("SigBlk:\t0000000000000000"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("SigIgn:\t0000000000000000"), std::string::npos) << outcome.output;
}

TEST(SpawnTest, ResourceLimits) {
  SpawnRequest request = Shell("ulimit -n; ulimit -Hn");
  request.limits.push_back(ResourceLimit{RLIMIT_NOFILE, 777, 888});
  EXPECT_EQ(RunCaptured(request).output, "777\n888\n");
}

TEST(SpawnTest, CredentialsWhenRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to change credentials";
  SpawnRequest request = Shell("id -u; id -g; id -G");
  request.credentials = Credentials{65534, 65534, {65534, 4}};
  EXPECT_EQ(RunCaptured(request).output, "65534\n65534\n65534 4\n");
}

// The child starts in its cgroup (created there by clone3, or joining it first thing), so even
// its first instruction runs inside.
TEST(SpawnTest, ChildRunsInItsCgroup) {
  std::string why;
  const std::string instance = "spawn-test-" + std::to_string(::getpid());
  std::optional<CgroupTree> tree = CgroupTree::Probe(instance, &why);
  if (!tree) GTEST_SKIP() << "no writable cgroup v2: " << why;
  Result<Cgroup> cgroup = tree->Create("child");
  ASSERT_TRUE(cgroup) << cgroup.error().message;
  Result<UniqueFd> directory = cgroup->Open();
  ASSERT_TRUE(directory) << directory.error().message;
  SpawnRequest request = Shell("grep '^0::' /proc/self/cgroup");
  request.cgroup_fd = directory->get();
  Outcome outcome = RunCaptured(request);
  EXPECT_EQ(outcome.status, 0);
  EXPECT_TRUE(outcome.output.ends_with("/" + instance + "/child\n")) << outcome.output;
  // RelativePath() names it as the kernel does.
  EXPECT_EQ(outcome.output, "0::" + cgroup->RelativePath() + "\n");
  EXPECT_TRUE(cgroup->Remove());
  EXPECT_TRUE(Cgroup(tree->root()).Remove());
}

// Where clone3 cannot create the child in the cgroup (here: the directory is no cgroup at all),
// the child joins through cgroup.procs after a plain fork, or the spawn fails naming the step.
TEST(SpawnTest, WithoutClone3IntoTheCgroupTheChildJoinsItAfterFork) {
  char pattern[] = "/tmp/vigil-spawn-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::string directory = pattern;
  UniqueFd directory_fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(directory_fd);

  SpawnRequest missing = Shell("exit 0");
  missing.cgroup_fd = directory_fd.get();
  SpawnFailure failure;
  Result<SpawnedProcess> refused = SpawnProcess(missing, &failure);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "couldn't join the program's cgroup: ENOENT");
  EXPECT_EQ(failure.step, SpawnStep::kCgroup);

  const std::string procs = directory + "/cgroup.procs";
  UniqueFd(::open(procs.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  SpawnRequest request = Shell("echo joined");
  request.cgroup_fd = directory_fd.get();
  Outcome outcome = RunCaptured(request);
  EXPECT_EQ(outcome.output, "joined\n");
  EXPECT_EQ(outcome.status, 0);
  char written[8] = {};
  UniqueFd procs_fd(::open(procs.c_str(), O_RDONLY | O_CLOEXEC));
  EXPECT_EQ(::read(procs_fd.get(), written, sizeof written), 1);
  EXPECT_STREQ(written, "0");
  ::unlink(procs.c_str());
  ::rmdir(directory.c_str());
}

}  // namespace
}  // namespace vigil::os

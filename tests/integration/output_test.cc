// Child output: rotation that loses and duplicates nothing, the last words of a crashing
// program, and a disk that cannot take more.

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

#include "tests/integration/harness.h"

namespace vigil::testing {
namespace {

std::string Child(const std::string& options) { return TestChildPath() + " " + options; }

// What vigil-test-child --bytes=N writes.
std::string Pattern(size_t n) {
  std::string s(n, ' ');
  for (size_t k = 0; k < n; ++k) s[k] = (k % 64 == 63) ? '\n' : static_cast<char>('a' + k % 26);
  return s;
}

class OutputTest : public ::testing::Test {
 protected:
  TempDir dir_;
  Vigild vigild_{dir_};
};

TEST_F(OutputTest, RotationKeepsExactlyBackupsFilesWithNoByteLostOrDuplicated) {
  constexpr size_t kTotal = 300 * 1024;
  vigild_.Start(Vigild::Config(
      "[program:writer]\ncommand=" +
      Child("--bytes=" + std::to_string(kTotal) + " --touch=%(here)s/done --sleep=forever") +
      "\nstdout_logfile=%(here)s/out.log\nstdout_logfile_maxbytes=64KB\n"
      "stdout_logfile_backups=3\nstartsecs=0\n"));
  ASSERT_TRUE(WaitUntil([&] { return FileExists(dir_ / "done"); }, seconds(20)));
  // The child has written everything; vigild may still be draining the pipe.
  std::string kept;
  ASSERT_TRUE(WaitUntil(
      [&] {
        kept = ReadFile(dir_ / "out.log.3") + ReadFile(dir_ / "out.log.2") +
               ReadFile(dir_ / "out.log.1") + ReadFile(dir_ / "out.log");
        return Pattern(kTotal).ends_with(kept) && kept.size() >= 3 * 64 * 1024;
      },
      seconds(20)))
      << kept.size();
  EXPECT_FALSE(FileExists(dir_ / "out.log.4"));
  for (const char* name : {"out.log.1", "out.log.2", "out.log.3"}) {
    EXPECT_GE(std::filesystem::file_size(dir_ / name), 64u * 1024) << name;
  }
  // Everything not kept was rotated away whole: the kept bytes are exactly the newest ones.
  const std::string all = Pattern(kTotal);
  EXPECT_EQ(all.substr(all.size() - kept.size()), kept);
  EXPECT_EQ(vigild_.Stop(), 0);
}

TEST_F(OutputTest, LastLineBeforeACrashIsInTheLogBeforeTheExitIsActedOn) {
  vigild_.Start(Vigild::Config(
      "[program:dying]\ncommand=" + Child("--lines=200 --eprint=last-words --crash") +
      "\nstdout_logfile=%(here)s/out.log\nstderr_logfile=%(here)s/err.log\n"
      "autorestart=false\nstartsecs=0\n"));
  ASSERT_TRUE(vigild_.WaitForLog("exited: dying (terminated by SIGSEGV")) << vigild_.Log();
  // Read at once: the exit has been logged, so the output must already be there.
  EXPECT_EQ(ReadFile(dir_ / "err.log"), "last-words\n");
  EXPECT_EQ(Count(ReadFile(dir_ / "out.log"), "\n"), 200);
  EXPECT_TRUE(ReadFile(dir_ / "out.log").ends_with("line 200\n"));
}

TEST_F(OutputTest, RedirectStderrMergesStreams) {
  vigild_.Start(Vigild::Config(
      "[program:both]\ncommand=" + Child("--print=out --eprint=err --sleep=forever") +
      "\nredirect_stderr=true\nstdout_logfile=%(here)s/both.log\nstartsecs=0\n"));
  EXPECT_TRUE(WaitUntil([&] { return ReadFile(dir_ / "both.log") == "out\nerr\n"; }, seconds(20)))
      << ReadFile(dir_ / "both.log");
}

// A full disk never blocks or kills the child: vigild drops what it cannot write, says so, and
// keeps supervising.
TEST_F(OutputTest, AFullDiskDropsOutputButNotTheChild) {
  vigild_.Start(
      Vigild::Config("[program:chatty]\ncommand=" +
                     Child("--lines=1000 --touch=%(here)s/written --sleep=forever") +
                     "\nstdout_logfile=/dev/full\nstdout_logfile_maxbytes=0\nstartsecs=0\n"));
  ASSERT_TRUE(WaitUntil([&] { return FileExists(dir_ / "written"); }, seconds(20)));
  ASSERT_TRUE(vigild_.WaitForLog("output is being dropped and counted")) << vigild_.Log();
  const pid_t child = *vigild_.LatestPidOf("chatty");
  EXPECT_TRUE(ProcessExists(child));
  EXPECT_EQ(Count(vigild_.Log(), "spawned: 'chatty'"), 1);
  EXPECT_EQ(vigild_.Stop(), 0);
}

TEST_F(OutputTest, AutoLogsLiveInChildlogdirAndAreCleanedAtTheNextStart) {
  WriteFile(dir_ / "old-stdout---supervisor-abc123.log", "stale");
  vigild_.Start(Vigild::Config("[program:auto]\ncommand=" + Child("--print=hello --sleep=forever") +
                               "\nstartsecs=0\n"));
  EXPECT_FALSE(FileExists(dir_ / "old-stdout---supervisor-abc123.log"));
  std::string found;
  ASSERT_TRUE(WaitUntil(
      [&] {
        for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
          const std::string name = entry.path().filename();
          if (name.starts_with("auto-stdout---supervisor-") && name.ends_with(".log") &&
              ReadFile(entry.path()) == "hello\n") {
            found = name;
          }
        }
        return !found.empty();
      },
      seconds(20)));
  EXPECT_EQ(vigild_.Stop(), 0);
}

}  // namespace
}  // namespace vigil::testing

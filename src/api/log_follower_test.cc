#include "api/log_follower.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace vigil::api {
namespace {

constexpr char kTruncated[] = "==> File truncated <==\n";

class LogFollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/vigil-follower-test-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/out.log";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Append(const std::string& text, const std::string& path = "") {
    std::ofstream(path.empty() ? path_ : path, std::ios::app) << text;
  }
  // What RotatingFile::Clear does (supervisord's clearLog too): delete, then a new empty file.
  void DeleteAndCreate() {
    ASSERT_EQ(::unlink(path_.c_str()), 0);
    std::ofstream(path_).flush();
  }
  std::unique_ptr<LogFollower> Follow(int64_t head = 1024) {
    Result<std::unique_ptr<LogFollower>> follower = LogFollower::Open(path_, head);
    EXPECT_TRUE(follower) << follower.error().message;
    return follower ? std::move(*follower) : nullptr;
  }
  static std::string Poll(LogFollower& follower) {
    std::string out;
    follower.Poll([&out](std::string_view data) { out += data; });
    return out;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(LogFollowerTest, StartsWithTheHeadThenGivesWhatIsAppended) {
  std::string lines;
  for (int i = 0; i < 300; ++i) lines += "line " + std::to_string(i) + "\n";
  Append(lines);
  std::unique_ptr<LogFollower> follower = Follow();
  ASSERT_TRUE(follower);
  EXPECT_EQ(Poll(*follower), lines.substr(lines.size() - 1024));
  EXPECT_EQ(Poll(*follower), "");
  Append("more\n");
  EXPECT_EQ(Poll(*follower), "more\n");
  EXPECT_EQ(Poll(*follower), "");
}

TEST_F(LogFollowerTest, AFileSmallerThanTheHeadIsGivenWhole) {
  Append("short\n");
  std::unique_ptr<LogFollower> follower = Follow();
  ASSERT_TRUE(follower);
  EXPECT_EQ(Poll(*follower), "short\n");
}

TEST_F(LogFollowerTest, AMissingFileCannotBeFollowed) {
  EXPECT_FALSE(LogFollower::Open(dir_ + "/nosuch.log", 1024));
}

TEST_F(LogFollowerTest, ATruncationInPlaceIsAnnounced) {
  Append("before the truncation\n");
  std::unique_ptr<LogFollower> follower = Follow();
  ASSERT_TRUE(follower);
  EXPECT_EQ(Poll(*follower), "before the truncation\n");
  ASSERT_EQ(::truncate(path_.c_str(), 0), 0);
  Append("after\n");
  EXPECT_EQ(Poll(*follower), std::string(kTruncated) + "after\n");
}

// The bug this class was written for: `clear` deletes the log and creates a new one, which ext4
// often gives the deleted file's inode number. A follower that only remembered that number saw
// "the same file, smaller" and announced a truncation; supervisord, which keeps the old file
// open, carries on at the start of the new file. Done many times, as the reuse is likely but not
// certain; while the follower holds the old file the new one can never get its inode.
TEST_F(LogFollowerTest, AFileDeletedAndCreatedAgainIsFollowedFromItsStartWithoutNotice) {
  Append("a long first line, longer than what comes after\n");
  std::unique_ptr<LogFollower> follower = Follow();
  ASSERT_TRUE(follower);
  EXPECT_EQ(Poll(*follower), "a long first line, longer than what comes after\n");
  for (int i = 0; i < 20; ++i) {
    const ino_t before = os::StatFile(path_)->inode;
    DeleteAndCreate();
    EXPECT_NE(os::StatFile(path_)->inode, before) << "the old file is held open";
    EXPECT_EQ(Poll(*follower), "");  // notified of the clear: the new file is still empty
    Append("new " + std::to_string(i) + "\n");
    EXPECT_EQ(Poll(*follower), "new " + std::to_string(i) + "\n");
  }
}

// What was written to the old file after the last poll comes before the new file, and a
// replacement is never taken for a truncation, whether the new file got a new inode number or
// (when nothing held the old one) its old one.
TEST_F(LogFollowerTest, TheOldFilesLastBytesComeBeforeTheNewFile) {
  Append("first\n");
  std::unique_ptr<LogFollower> follower = Follow();
  ASSERT_TRUE(follower);
  EXPECT_EQ(Poll(*follower), "first\n");
  Append("last words of the old file\n");
  DeleteAndCreate();
  Append("new\n");
  EXPECT_EQ(Poll(*follower), "last words of the old file\nnew\n");
}

TEST_F(LogFollowerTest, ARotationByRenameCarriesOnInTheNewFile) {
  Append("one\n");
  std::unique_ptr<LogFollower> follower = Follow();
  ASSERT_TRUE(follower);
  EXPECT_EQ(Poll(*follower), "one\n");
  Append("two\n");
  ASSERT_EQ(::rename(path_.c_str(), (path_ + ".1").c_str()), 0);
  Append("three\n");
  EXPECT_EQ(Poll(*follower), "two\nthree\n");
  Append("four\n");
  EXPECT_EQ(Poll(*follower), "four\n");
}

TEST_F(LogFollowerTest, WhileThePathIsMissingTheOldFileIsFollowed) {
  Append("one\n");
  std::unique_ptr<LogFollower> follower = Follow();
  ASSERT_TRUE(follower);
  EXPECT_EQ(Poll(*follower), "one\n");
  ASSERT_EQ(::rename(path_.c_str(), (path_ + ".1").c_str()), 0);
  Append("two\n", path_ + ".1");
  EXPECT_EQ(Poll(*follower), "two\n");
  Append("three\n");
  EXPECT_EQ(Poll(*follower), "three\n");
}

TEST_F(LogFollowerTest, AFifoGivesNothingAndDoesNotBlock) {
  ASSERT_EQ(::mkfifo(path_.c_str(), 0600), 0);
  std::unique_ptr<LogFollower> follower = Follow();
  ASSERT_TRUE(follower);
  EXPECT_EQ(Poll(*follower), "");
}

}  // namespace
}  // namespace vigil::api

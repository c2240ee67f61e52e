#include "logs/rotating_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace vigil::logs {
namespace {

namespace fs = std::filesystem;

class RotatingFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/vigil-rotate-test-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name = "out.log") const { return dir_ + "/" + name; }
  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }
  std::vector<std::string> Files() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  std::string dir_;
};

TEST_F(RotatingFileTest, RotatesAfterTheWriteThatReachesMaxbytes) {
  auto file = RotatingFile::Open(Path(), 10, 2);
  ASSERT_TRUE(file);
  ASSERT_TRUE((*file)->Write("12345"));
  ASSERT_TRUE((*file)->Write("123456"));  // 11 bytes >= 10: this write stays whole, then rotate
  EXPECT_EQ(Read(Path("out.log.1")), "12345123456");
  EXPECT_EQ(Read(Path()), "");
  ASSERT_TRUE((*file)->Write("abcdefghij"));
  ASSERT_TRUE((*file)->Write("XYZ"));
  ASSERT_TRUE((*file)->Write("0123456789"));
  EXPECT_EQ(Files(), (std::vector<std::string>{"out.log", "out.log.1", "out.log.2"}));
  EXPECT_EQ(Read(Path("out.log.2")), "abcdefghij");
  EXPECT_EQ(Read(Path("out.log.1")), "XYZ0123456789");
  EXPECT_EQ(Read(Path()), "");
}

TEST_F(RotatingFileTest, KeepsExactlyBackupsFilesAndLosesNothingInBetween) {
  auto file = RotatingFile::Open(Path(), 100, 3);
  ASSERT_TRUE(file);
  std::string all;
  for (int i = 0; i < 40; ++i) {
    std::string chunk = "chunk " + std::to_string(i) + " " + std::string(i % 13, '*') + "\n";
    all += chunk;
    ASSERT_TRUE((*file)->Write(chunk));
  }
  EXPECT_EQ(Files(), (std::vector<std::string>{"out.log", "out.log.1", "out.log.2", "out.log.3"}));
  const std::string kept =
      Read(Path("out.log.3")) + Read(Path("out.log.2")) + Read(Path("out.log.1")) + Read(Path());
  ASSERT_FALSE(kept.empty());
  EXPECT_TRUE(all.ends_with(kept));  // the newest bytes, in order, none twice
}

TEST_F(RotatingFileTest, ZeroBackupsTruncates) {
  auto file = RotatingFile::Open(Path(), 5, 0);
  ASSERT_TRUE(file);
  ASSERT_TRUE((*file)->Write("123456"));
  EXPECT_EQ(Files(), std::vector<std::string>{"out.log"});
  EXPECT_EQ(Read(Path()), "");
  ASSERT_TRUE((*file)->Write("ab"));
  EXPECT_EQ(Read(Path()), "ab");
}

TEST_F(RotatingFileTest, ZeroMaxbytesNeverRotatesAndAppendsToExistingFiles) {
  std::ofstream(Path()) << "old\n";
  auto file = RotatingFile::Open(Path(), 0, 5);
  ASSERT_TRUE(file);
  EXPECT_EQ((*file)->size(), 4);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE((*file)->Write("0123456789"));
  EXPECT_EQ(Files(), std::vector<std::string>{"out.log"});
  EXPECT_EQ(Read(Path()).size(), 1004u);
}

TEST_F(RotatingFileTest, ReopenFollowsAMovedFileAndClearDeletes) {
  auto file = RotatingFile::Open(Path(), 0, 0);
  ASSERT_TRUE(file);
  ASSERT_TRUE((*file)->Write("before\n"));
  fs::rename(Path(), Path("moved.log"));  // what logrotate does
  ASSERT_TRUE((*file)->Reopen());
  ASSERT_TRUE((*file)->Write("after\n"));
  EXPECT_EQ(Read(Path("moved.log")), "before\n");
  EXPECT_EQ(Read(Path()), "after\n");
  ASSERT_TRUE((*file)->Clear());
  EXPECT_EQ(Read(Path()), "");
  EXPECT_EQ((*file)->size(), 0);
}

TEST_F(RotatingFileTest, NonRegularFilesAreAppendedWithoutRotation) {
  auto file = RotatingFile::Open("/dev/null", 1, 3);
  ASSERT_TRUE(file);
  ASSERT_TRUE((*file)->Write("more than one byte"));
  ASSERT_TRUE((*file)->Write("again"));
}

TEST_F(RotatingFileTest, WriteErrorsCountDroppedBytes) {
  auto file = RotatingFile::Open("/dev/full", 0, 0);
  ASSERT_TRUE(file);
  Result<void> written = (*file)->Write("lost");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().sys_errno, ENOSPC);
  EXPECT_EQ((*file)->dropped_bytes(), 4u);
}

}  // namespace
}  // namespace vigil::logs

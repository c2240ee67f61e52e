#include "os/files.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <limits>

namespace vigil::os {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

class ReadRangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/vigil-files-test-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/log";
    std::ofstream(path_) << "started\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
  std::string path_;
};

TEST_F(ReadRangeTest, ReadsThePartAsked) {
  EXPECT_EQ(*ReadRange(path_, 0, 8), "started\n");
  EXPECT_EQ(*ReadRange(path_, 2, 3), "art");
  EXPECT_EQ(*ReadRange(path_, 0, 0), "");
}

TEST_F(ReadRangeTest, AHugeLengthReadsWhatTheFileHolds) {
  EXPECT_EQ(*ReadRange(path_, 0, int64_t{1} << 40), "started\n");
  EXPECT_EQ(*ReadRange(path_, 3, kMax), "rted\n");
}

TEST_F(ReadRangeTest, NothingFromPastTheEnd) {
  EXPECT_EQ(*ReadRange(path_, 8, 10), "");
  EXPECT_EQ(*ReadRange(path_, 1000, 10), "");
  // offset + length beyond int64_t: no overflow, nothing to read.
  EXPECT_EQ(*ReadRange(path_, kMax, kMax), "");
  EXPECT_EQ(*ReadRange(path_, kMax - 1, 2), "");
}

TEST_F(ReadRangeTest, NegativeOffsetsAndLengthsAreRefused) {
  for (auto [offset, length] :
       {std::pair<int64_t, int64_t>{-1, 0}, {0, -1}, {kMin, 0}, {0, kMin}, {kMin, kMin}}) {
    Result<std::string> read = ReadRange(path_, offset, length);
    ASSERT_FALSE(read) << offset << ", " << length;
    EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST_F(ReadRangeTest, AMissingFileIsAnIoError) {
  Result<std::string> read = ReadRange(dir_ + "/nosuch", 0, 10);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kIo);
}

TEST_F(ReadRangeTest, StatFileGivesSizeAndModificationTime) {
  std::optional<FileIdentity> file = StatFile(path_);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->size, 8);
  EXPECT_GT(file->mtime, 0);
  EXPECT_FALSE(StatFile(dir_ + "/nosuch"));
}

}  // namespace
}  // namespace vigil::os

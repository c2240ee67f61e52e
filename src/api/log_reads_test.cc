// readLog/readProcess*Log and tailProcess*Log over a real file, against what supervisord
// 4.2.5's readFile() and tailFile() (options.py) answer for the same numbers. Where Python
// fails to allocate (a length of 2**40, HTTP 500 from supervisord), vigil reads what the file
// holds instead.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "api/process_methods.h"

namespace vigil::api {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

class LogReadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/vigil-log-reads-test-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/started.log";
    std::ofstream(path_) << "started\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Read(int64_t offset, int64_t length) const {
    std::variant<std::string, RpcError> read = ReadLogFile(path_, offset, length);
    if (const RpcError* error = std::get_if<RpcError>(&read)) return "fault " + error->text;
    return std::get<std::string>(read);
  }
  XmlRpcValue Tail(int64_t offset, int64_t length) const {
    return TailLogFile(path_, offset, length);
  }

  std::string dir_;
  std::string path_;
};

TEST_F(LogReadsTest, ReadsAsSupervisordDoes) {
  EXPECT_EQ(Read(0, 0), "started\n");
  EXPECT_EQ(Read(0, 3), "sta");
  EXPECT_EQ(Read(2, 3), "art");
  EXPECT_EQ(Read(-3, 0), "ed\n");
  EXPECT_EQ(Read(-8, 0), "started\n");
  EXPECT_EQ(Read(-100, 0), "started\n");
  EXPECT_EQ(Read(100, 0), "");
  EXPECT_EQ(Read(8, 0), "");
  EXPECT_EQ(Read(3, 100), "rted\n");
  EXPECT_EQ(Read(-3, 2), "fault BAD_ARGUMENTS");
  EXPECT_EQ(Read(0, -5), "fault BAD_ARGUMENTS");
  EXPECT_EQ(Read(kMin, 1), "fault BAD_ARGUMENTS");
  EXPECT_EQ(Read(0, kMin), "fault BAD_ARGUMENTS");
}

TEST_F(LogReadsTest, HugeNumbersReadWhatTheFileHolds) {
  // supervisord: MemoryError or OverflowError (HTTP 500), or FAILED where its seek fails.
  EXPECT_EQ(Read(0, int64_t{1} << 40), "started\n");
  EXPECT_EQ(Read(0, kMax), "started\n");
  EXPECT_EQ(Read(-(int64_t{1} << 40), 0), "started\n");
  EXPECT_EQ(Read(kMin, 0), "started\n");
  EXPECT_EQ(Read(kMin + 1, 0), "started\n");
  EXPECT_EQ(Read(kMax, 0), "");
  EXPECT_EQ(Read(kMax, kMax), "");
}

TEST_F(LogReadsTest, AMissingFileIsNoFileWithItsPath) {
  std::variant<std::string, RpcError> read = ReadLogFile(dir_ + "/nosuch", 0, 0);
  ASSERT_TRUE(std::holds_alternative<RpcError>(read));
  EXPECT_EQ(std::get<RpcError>(read).text, "NO_FILE: " + dir_ + "/nosuch");
  EXPECT_EQ(TailLogFile(dir_ + "/nosuch", 0, 10), XmlRpcValue(XmlRpcArray{"", 0, false}));
}

TEST_F(LogReadsTest, TailsAsSupervisordDoes) {
  struct Case {
    int64_t offset, length;
    const char* data;
    bool overflow;
  };
  for (const Case& c : std::vector<Case>{
           {0, 3, "ed\n", true},    {0, 100, "started\n", false},
           {8, 10, "", false},      {100, 10, "", false},
           {5, 3, "ed\n", false},   {2, 3, "ed\n", true},
           {0, 0, "", true},        {7, 1, "\n", false},
           {-1, 1, "\n", true},     {-1, 3, "ed\n", true},
           {6, -1, "", true},       {9, -1, "", false},
           {8, 0, "", false},       {-5, 5, "rted\n", true},
           {kMax, kMax, "", false}, {kMin, 5, "rted\n", true},
           {kMin, kMin, "", true},  {kMax, 1, "", false},
           {kMax, kMin, "", true},  {0, kMin, "", true},
           {4, kMin, "", true},
       }) {
    EXPECT_EQ(Tail(c.offset, c.length), XmlRpcValue(XmlRpcArray{c.data, 8, c.overflow}))
        << c.offset << ", " << c.length;
  }
}

TEST_F(LogReadsTest, HugeTailLengthsReadWhatTheFileHolds) {
  // supervisord: OverflowError or MemoryError (HTTP 500).
  EXPECT_EQ(Tail(0, int64_t{1} << 40), XmlRpcValue(XmlRpcArray{"started\n", 8, false}));
  EXPECT_EQ(Tail(3, kMax), XmlRpcValue(XmlRpcArray{"started\n", 8, false}));
  EXPECT_EQ(Tail(-3, kMax), XmlRpcValue(XmlRpcArray{"started\n", 8, false}));
  EXPECT_EQ(Tail(kMin, kMax), XmlRpcValue(XmlRpcArray{"started\n", 8, true}));
}

}  // namespace
}  // namespace vigil::api

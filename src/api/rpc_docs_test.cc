#include "api/rpc_docs.h"

#include <gtest/gtest.h>

namespace vigil::api {
namespace {

TEST(RpcDocsTest, DocstringsAreSupervisordsWhole) {
  EXPECT_EQ(MethodDocstring("supervisor.getProcessInfo"),
            " Get info about a process named name\n"
            "\n"
            "        @param string name The name of the process (or 'group:name')\n"
            "        @return struct result     A structure containing data about the process\n"
            "        ");
  EXPECT_EQ(MethodDocstring("supervisor.getVersion"), MethodDocstring("supervisor.getAPIVersion"));
  EXPECT_EQ(MethodDocstring("supervisor.nosuch"), std::nullopt);
  EXPECT_EQ(MethodDocstring("supervisor._update"), std::nullopt);
}

TEST(RpcDocsTest, SignaturesComeFromTheTags) {
  EXPECT_EQ(SignatureFromDocstring(*MethodDocstring("supervisor.getProcessInfo")),
            (std::vector<std::string>{"struct", "string"}));
  EXPECT_EQ(SignatureFromDocstring(*MethodDocstring("supervisor.readLog")),
            (std::vector<std::string>{"string", "int", "int"}));
  EXPECT_EQ(SignatureFromDocstring(*MethodDocstring("system.multicall")),
            (std::vector<std::string>{"array", "array"}));
  // gettags(): missing words are empty; the last @return wins; no @return, no signature.
  EXPECT_EQ(SignatureFromDocstring(" x\n  @param\n  @return int a\n  @return string b\n"),
            (std::vector<std::string>{"string", ""}));
  EXPECT_EQ(SignatureFromDocstring(" x\n  @param string a\n"), std::vector<std::string>{});
}

}  // namespace
}  // namespace vigil::api

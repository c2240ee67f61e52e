#pragma once

// Names parameterized test cases readably in ctest (gtest_discover_tests shows PrintTo's text
// in place of the parameter's index): printable ASCII only, at most 48 characters.

#include <ostream>
#include <string_view>

namespace vigil::testing {

inline void PrintCaseText(std::string_view text, std::ostream* os) {
  size_t shown = 0;
  for (unsigned char c : text) {
    if (shown++ == 48) {
      *os << "...";
      return;
    }
    *os << ((c >= 0x21 && c < 0x7f && c != '#' && c != ';') ? static_cast<char>(c) : '_');
  }
}

}  // namespace vigil::testing

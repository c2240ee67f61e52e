#include "config/unit_words.h"

#include <gtest/gtest.h>

namespace vigil::config {
namespace {

// All the words of `text`, or nullopt on error.
std::optional<std::vector<std::string>> Words(std::string_view text, unsigned flags) {
  std::vector<std::string> words;
  while (true) {
    Result<std::optional<std::string>> word = ExtractFirstWord(text, kUnitWhitespace, flags);
    if (!word) return std::nullopt;
    if (!*word) return words;
    words.push_back(**word);
  }
}

using WordList = std::vector<std::string>;

struct WordCase {
  const char* text;
  std::optional<WordList> words;
};

// kExtractUnquote | kExtractCUnescape, as Environment= and Exec*= use them. The quoting cases
// were checked against systemd-analyze verify 252 through Environment= warnings.
const WordCase kUnquoteUnescapeCases[] = {
    {"", WordList{}},
    {"   ", WordList{}},
    {"a b  c", WordList{"a", "b", "c"}},
    {"\"A=1 2\" B=3 'C=x y'", WordList{"A=1 2", "B=3", "C=x y"}},
    {"A\"B C\"=1", WordList{"AB C=1"}},  // a quote opens in the middle of a word
    {"\"a\"b\"c\" d", WordList{"abc", "d"}},
    {"'it''s'", WordList{"its"}},
    {"\"a\\\"b\"", WordList{"a\"b"}},
    {"'a\\'b'", WordList{"a'b"}},
    {"A\\x20B=1", WordList{"A B=1"}},
    {"A\\sB", WordList{"A B"}},
    {"\\a\\b\\f\\n\\r\\t\\v\\\\", WordList{"\a\b\f\n\r\t\v\\"}},
    {"\\101\\x41\\u00e9\\U0001F600", WordList{"AA\u00e9\U0001F600"}},
    {"\\xff", WordList{"\xff"}},  // a raw byte, not a code point
    {"\"unterminated", std::nullopt},
    {"AB\"C", std::nullopt},
    {"trailing\\", std::nullopt},
    {"\\q", std::nullopt},
    {"\\x00", std::nullopt},  // NUL is refused
    {"\\000", std::nullopt},
    {"\\400", std::nullopt},  // above 255
    {"\\u0000", std::nullopt},
    {"\\x4", std::nullopt},
    {"\\UFFFFFFFF", std::nullopt},
};

TEST(UnitWordsTest, UnquoteAndUnescape) {
  for (const WordCase& c : kUnquoteUnescapeCases) {
    EXPECT_EQ(Words(c.text, kExtractUnquote | kExtractCUnescape), c.words) << c.text;
  }
}

TEST(UnitWordsTest, RelaxedUnescapeKeepsUnknownEscapes) {
  const unsigned flags = kExtractUnquote | kExtractCUnescape | kExtractCUnescapeRelax;
  EXPECT_EQ(Words("a\\qb \\x \\x00", flags), (WordList{"a\\qb", "\\x", "\\x00"}));
  EXPECT_EQ(Words("\"a\\qb\"", flags), (WordList{"a\\qb"}));
  EXPECT_EQ(Words("\"open", flags), std::nullopt);
}

TEST(UnitWordsTest, PlainBackslashEscapesTheNextCharacter) {
  // Without kExtractCUnescape (SuccessExitStatus=, SupplementaryGroups=): no quotes either.
  EXPECT_EQ(Words("1\\ 2 \"x y\"", 0), (WordList{"1 2", "\"x", "y\""}));
  EXPECT_EQ(Words("A\\x2dB", kExtractUnquote), (WordList{"Ax2dB"}));
}

TEST(UnitWordsTest, RetainEscape) {
  EXPECT_EQ(Words("a\\x2db.service \"c d\"", kExtractRetainEscape),
            (WordList{"a\\x2db.service", "\"c", "d\""}));
}

TEST(UnitWordsTest, ConsumesSeparatorsAfterTheWord) {
  std::string_view input = "one   two";
  Result<std::optional<std::string>> word = ExtractFirstWord(input, kUnitWhitespace, 0);
  ASSERT_TRUE(word && *word);
  EXPECT_EQ(**word, "one");
  EXPECT_EQ(input, "two");
}

TEST(UnitWordsTest, CUnescapeOne) {
  EXPECT_EQ(CUnescapeOne("n")->code, U'\n');
  EXPECT_EQ(CUnescapeOne("x41z")->length, 3u);
  EXPECT_TRUE(CUnescapeOne("x41")->is_byte);
  EXPECT_FALSE(CUnescapeOne("u00e9")->is_byte);
  EXPECT_EQ(CUnescapeOne("q"), std::nullopt);
  EXPECT_EQ(CUnescapeOne(""), std::nullopt);
}

}  // namespace
}  // namespace vigil::config

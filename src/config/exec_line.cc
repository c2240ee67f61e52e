#include "config/exec_line.h"

#include <fmt/format.h>

#include <optional>

#include "config/unit_values.h"
#include "config/unit_words.h"

namespace vigil::config {
namespace {

constexpr unsigned kExecWordFlags = kExtractUnquote | kExtractCUnescape;

bool IsWhitespace(char c) { return kUnitWhitespace.find(c) != std::string_view::npos; }

std::string_view SkipWhitespace(std::string_view s) {
  while (!s.empty() && IsWhitespace(s.front())) s.remove_prefix(1);
  return s;
}

// string_is_safe(): no control characters, quotes, backslashes or DEL.
bool IsSafeString(std::string_view s) {
  for (char c : s) {
    if ((c > 0 && c < ' ') || c == '"' || c == '\'' || c == '\\' || c == '\x7f') return false;
  }
  return true;
}

// filename_is_valid(): a single path component.
bool IsValidFileName(std::string_view s) {
  return !s.empty() && s != "." && s != ".." && s.find('/') == std::string_view::npos &&
         s.size() <= 255;
}

enum class WordOutcome { kWord, kEnd, kError };
struct ExtractedWord {
  WordOutcome outcome = WordOutcome::kEnd;
  std::string word;  // kError: systemd's message
};

// extract_first_word_and_warn(): an invalid escape is retried in relaxed mode (kept as written)
// with a warning; what still fails is unbalanced quoting, which the caller reports.
ExtractedWord ExtractAndWarn(const SettingContext& context, std::string_view& input,
                             std::string_view whole_value) {
  std::string_view saved = input;
  Result<std::optional<std::string>> word =
      ExtractFirstWord(input, kUnitWhitespace, kExecWordFlags);
  if (!word) {
    input = saved;
    word = ExtractFirstWord(input, kUnitWhitespace, kExecWordFlags | kExtractCUnescapeRelax);
    if (word) {
      if (*word) {
        context.Warn(fmt::format("Ignoring unknown escape sequences: \"{}\"", **word));
      }
    } else {
      return {WordOutcome::kError,
              fmt::format("Unbalanced quoting, ignoring: \"{}\"", whole_value)};
    }
  }
  if (!*word) return {WordOutcome::kEnd, ""};
  return {WordOutcome::kWord, std::move(**word)};
}

}  // namespace

Result<std::vector<ExecCommand>> ParseExecLine(const SettingContext& context,
                                               std::string_view value) {
  std::vector<ExecCommand> commands;
  std::string_view p = value;
  std::string_view rvalue = value;  // the text of the current command, for messages
  bool semicolon = false;
  do {
    semicolon = false;
    ExtractedWord first = ExtractAndWarn(context, p, rvalue);
    // systemd only logs a first word it cannot read; the line adds no command.
    if (first.outcome == WordOutcome::kError) context.Warn(first.word);
    if (first.outcome != WordOutcome::kWord) return commands;
    if (first.word == ";") {
      semicolon = true;
      continue;
    }

    ExecCommand command;
    command.where = context.where;
    bool separate_argv0 = false;
    bool no_setuid = false;  // '!'
    bool ambient = false;    // '!!': like '!' (vigil does not drop privileges via ambient caps)
    std::string_view f = first.word;
    while (!f.empty()) {
      const char c = f.front();
      if (c == '-' && !command.ignore_failure) {
        command.ignore_failure = true;
      } else if (c == '@' && !separate_argv0) {
        separate_argv0 = true;
      } else if (c == ':' && !command.no_environment_expansion) {
        command.no_environment_expansion = true;
      } else if (c == '+' && !command.full_privileges && !no_setuid && !ambient) {
        command.full_privileges = true;
      } else if (c == '!' && !command.full_privileges && !no_setuid && !ambient) {
        no_setuid = true;
      } else if (c == '!' && !command.full_privileges && !ambient) {
        no_setuid = false;
        ambient = true;
      } else {
        break;
      }
      f.remove_prefix(1);
    }
    command.keep_credentials = no_setuid || ambient;
    const bool ignore = command.ignore_failure;
    const std::string_view ignoring = ignore ? ", ignoring" : "";
    // With '-', systemd logs the problem and drops just this command.
    auto fail = [&](std::string message) -> Result<std::vector<ExecCommand>> {
      if (ignore) {
        context.Warn(message);
        return commands;
      }
      return context.Fatal(message);
    };

    Result<std::string> path = context.Expand(f, SpecifierSet::kFull);
    if (!path) {
      return fail(fmt::format("Failed to resolve unit specifiers in '{}'{}: {}", f, ignoring,
                              path.error().message));
    }
    if (path->empty()) {
      return fail(fmt::format("Empty path in command line{}: '{}'", ignoring, rvalue));
    }
    if (!IsSafeString(*path)) {
      return fail(
          fmt::format("Executable name contains special characters{}: {}", ignoring, *path));
    }
    if (path->ends_with('/')) {
      return fail(fmt::format("Executable path specifies a directory{}: {}", ignoring, *path));
    }
    if (!path->starts_with('/') && !IsValidFileName(*path)) {
      return fail(fmt::format(
          "Neither a valid executable name nor an absolute path{}: {} (name the program by its "
          "absolute path, or by a bare name found in /usr/local/sbin, /usr/local/bin, "
          "/usr/sbin, /usr/bin, /sbin or /bin)",
          ignoring, *path));
    }
    if (!separate_argv0) command.argv.push_back(*path);
    command.path = SimplifyPath(*path);

    while (!p.empty()) {
      // An unquoted ";" alone separates commands; "\;" alone is a literal ";" argument.
      if (p[0] == ';' && (p.size() == 1 || IsWhitespace(p[1]))) {
        p = SkipWhitespace(p.substr(1));
        semicolon = true;
        break;
      }
      if (p.size() >= 2 && p[0] == '\\' && p[1] == ';' && (p.size() == 2 || IsWhitespace(p[2]))) {
        p = SkipWhitespace(p.substr(2));
        command.argv.push_back(";");
        continue;
      }
      ExtractedWord word = ExtractAndWarn(context, p, rvalue);
      if (word.outcome == WordOutcome::kEnd) break;
      if (word.outcome == WordOutcome::kError) {
        if (ignore) {
          context.Warn(word.word);
          return commands;
        }
        return context.Fatal(word.word + " (close every quote; a literal quote is \\\" or \\')");
      }
      Result<std::string> resolved = context.Expand(word.word, SpecifierSet::kFull);
      if (!resolved) {
        return fail(fmt::format("Failed to resolve unit specifiers in {}{}: {}", word.word,
                                ignoring, resolved.error().message));
      }
      command.argv.push_back(std::move(*resolved));
    }

    if (command.argv.empty()) {
      return fail(fmt::format("Empty executable name or zeroeth argument{}: {}", ignoring, rvalue));
    }
    commands.push_back(std::move(command));
    rvalue = p;
  } while (semicolon);
  return commands;
}

}  // namespace vigil::config

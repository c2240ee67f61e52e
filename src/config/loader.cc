#include "config/loader.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "config/config_units.h"
#include "config/ini_document.h"
#include "config/py_format.h"
#include "config/supervisord_builder.h"

namespace vigil::config {

Result<SupervisordConfig> LoadSupervisordConfig(const std::string& path, const Host& host) {
  const std::string absolute = AbsolutePath(host, path);
  const std::string here = DirName(absolute);
  Result<std::string> text = host.ReadFile(path);
  if (!text) {
    return Error::NotFound(
        fmt::format("could not read config file {}: {}", path, text.error().message));
  }
  IniDocument doc;
  if (Result<void> read = doc.Read(*text, path); !read) return read.error();

  std::vector<std::string> infos;
  std::vector<std::string> warnings;
  std::vector<std::string> unit_files;
  if (doc.HasSection("include")) {
    doc.ExpandHere(here);
    const IniEntry* files = doc.Get("include", "files");
    if (files == nullptr) {
      Error error = Error::InvalidArgument(fmt::format(
          "{}:{}: .ini file has [include] section, but no files setting (add files=relative/"
          "dir/*.ini)",
          path, doc.FindSection("include")->where.line));
      error.compat_message = ".ini file has [include] section, but no files setting";
      return error;
    }
    Expansions expansions{{"here", here}, {"host_node_name", host.HostName()}};
    for (const auto& [key, value] : host.Environment()) {
      expansions.insert_or_assign("ENV_" + key, value);
    }
    Result<std::string> patterns = PyPercentFormat(files->value, expansions, "include.files");
    if (!patterns) {
      return Error::InvalidArgument(fmt::format("{}:{}: [include] files: {}", files->where.file,
                                                files->where.line, patterns.error().message));
    }
    for (const std::string& pattern : SplitWhitespace(*patterns)) {
      const std::string joined = JoinPath(here, pattern);
      std::vector<std::string> matches = host.Glob(joined);
      if (matches.empty()) {
        warnings.push_back(fmt::format("No file matches via include \"{}\"", joined));
        continue;
      }
      std::sort(matches.begin(), matches.end());
      for (const std::string& match : matches) {
        if (match.ends_with(".service")) {
          // A systemd unit, not ini text: loaded by AddUnitGroups() below.
          const std::string unit_file = AbsolutePath(host, match);
          if (std::find(unit_files.begin(), unit_files.end(), unit_file) == unit_files.end()) {
            infos.push_back(fmt::format("Included unit file \"{}\"", match));
            unit_files.push_back(unit_file);
          }
          continue;
        }
        infos.push_back(fmt::format("Included extra file \"{}\" during parsing", match));
        Result<std::string> included = host.ReadFile(match);
        if (!included) {
          // configparser.read() skips files it cannot open without a word; vigil says so.
          warnings.push_back(
              fmt::format("Included file \"{}\" could not be read and is "
                          "ignored: {}",
                          match, included.error().message));
          continue;
        }
        if (Result<void> read = doc.Read(*included, match); !read) return read.error();
        doc.ExpandHere(AbsolutePath(host, DirName(match)));
      }
    }
  }

  Result<SupervisordConfig> config =
      BuildSupervisordConfig(doc, BuildContext{host, absolute, here});
  if (!config) return config.error();
  config->infos = std::move(infos);
  warnings.insert(warnings.end(), config->warnings.begin(), config->warnings.end());
  config->warnings = std::move(warnings);

  Result<std::vector<std::string>> unit_directories = UnitDirectoriesFromDocument(doc, here, host);
  if (!unit_directories) return unit_directories.error();
  config->unit_directories = std::move(*unit_directories);
  config->unit_files = unit_files;
  if (Result<void> units = AddUnitGroups(*config, unit_files, host); !units) return units.error();
  return config;
}

Result<std::string> FindDefaultConfigFile(const Host& host, const std::string& argv0) {
  const std::string prefix = DirName(DirName(AbsolutePath(host, argv0)));
  const std::vector<std::string> candidates = {prefix + "/etc/supervisord.conf",
                                               prefix + "/supervisord.conf",
                                               "supervisord.conf",
                                               "etc/supervisord.conf",
                                               "/etc/supervisord.conf",
                                               "/etc/supervisor/supervisord.conf"};
  for (const std::string& candidate : candidates) {
    if (host.ReadFile(candidate)) return candidate;
  }
  return Error::NotFound(
      fmt::format("No config file found at default paths ({}); use the -c option to specify a "
                  "config file at a different path",
                  Join(candidates, ", ")));
}

}  // namespace vigil::config

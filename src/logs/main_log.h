#pragma once

// MainLog: vigild's activity log in supervisord's format,
//   2026-11-25 08:37:01,123 INFO spawned: 'web' with pid 4242
// (local time, milliseconds, CRIT/ERRO/WARN/INFO/DEBG/TRAC/BLAT), rotated like child logs,
// echoed to stdout in the foreground unless silent, or sent to syslog when the path is
// "syslog". Messages below the configured level are dropped.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/time.h"
#include "config/supervisord_types.h"
#include "logs/rotating_file.h"

namespace vigil::logs {

struct MainLogOptions {
  std::string path;  // "syslog" for syslog
  int64_t maxbytes = 50 * 1024 * 1024;
  int64_t backups = 10;
  config::LogLevel level = config::LogLevel::kInfo;
  bool echo_to_stdout = false;
};

class MainLog {
 public:
  // `clock` must outlive the log.
  static Result<std::unique_ptr<MainLog>> Open(const MainLogOptions& options, const Clock& clock);
  ~MainLog();

  bool Enabled(config::LogLevel level) const;
  void Log(config::LogLevel level, std::string_view message);
  void Critical(std::string_view m) { Log(config::LogLevel::kCritical, m); }
  void Error(std::string_view m) { Log(config::LogLevel::kError, m); }
  void Warn(std::string_view m) { Log(config::LogLevel::kWarn, m); }
  void Info(std::string_view m) { Log(config::LogLevel::kInfo, m); }
  void Debug(std::string_view m) { Log(config::LogLevel::kDebug, m); }

  Result<void> Reopen();
  Result<void> Clear();
  // Called after every line written (for followers of the log).
  void SetObserver(std::function<void()> observer) { observer_ = std::move(observer); }
  // The file's path, or empty when logging to syslog.
  std::string path() const;

 private:
  MainLog(const MainLogOptions& options, const Clock& clock) : options_(options), clock_(clock) {}
  std::string Timestamp() const;

  MainLogOptions options_;
  const Clock& clock_;
  std::unique_ptr<RotatingFile> file_;  // null for syslog
  bool write_failed_ = false;           // reported once, to stderr, until a write works again
  std::function<void()> observer_;
};

}  // namespace vigil::logs

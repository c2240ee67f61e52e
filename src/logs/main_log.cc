#include "logs/main_log.h"

#include <fmt/format.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

namespace vigil::logs {
namespace {

int SyslogPriority(config::LogLevel level) {
  switch (level) {
    case config::LogLevel::kCritical:
      return LOG_CRIT;
    case config::LogLevel::kError:
      return LOG_ERR;
    case config::LogLevel::kWarn:
      return LOG_WARNING;
    case config::LogLevel::kInfo:
      return LOG_INFO;
    case config::LogLevel::kDebug:
    case config::LogLevel::kTrace:
    case config::LogLevel::kBlather:
      return LOG_DEBUG;
  }
  return LOG_INFO;
}

}  // namespace

Result<std::unique_ptr<MainLog>> MainLog::Open(const MainLogOptions& options, const Clock& clock) {
  std::unique_ptr<MainLog> log(new MainLog(options, clock));
  if (options.path == "syslog") {
    ::openlog("vigild", LOG_PID, LOG_DAEMON);
    return log;
  }
  Result<std::unique_ptr<RotatingFile>> file =
      RotatingFile::Open(options.path, options.maxbytes, options.backups);
  if (!file) return file.error();
  log->file_ = std::move(*file);
  return log;
}

MainLog::~MainLog() {
  if (!file_) ::closelog();
}

bool MainLog::Enabled(config::LogLevel level) const {
  return static_cast<int>(level) >= static_cast<int>(options_.level);
}

std::string MainLog::Timestamp() const {
  const WallTime now = clock_.WallNow();
  const auto since_epoch = now.time_since_epoch();
  const time_t seconds =
      static_cast<time_t>(std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count());
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000;
  tm local{};
  ::localtime_r(&seconds, &local);
  char date[32];
  ::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &local);
  return fmt::format("{},{:03d}", date, millis);
}

void MainLog::Log(config::LogLevel level, std::string_view message) {
  if (!Enabled(level)) return;
  if (!file_) {
    ::syslog(SyslogPriority(level), "%.*s", static_cast<int>(message.size()), message.data());
    return;
  }
  const std::string line =
      fmt::format("{} {} {}\n", Timestamp(), config::LogLevelTag(level), message);
  Result<void> written = file_->Write(line);
  if (!written && !write_failed_) {
    // The log itself cannot say that it is failing; stderr is the last resort.
    std::string warning =
        fmt::format("vigild: cannot write the main log: {}\n", written.error().message);
    [[maybe_unused]] ssize_t n = ::write(2, warning.data(), warning.size());
  }
  write_failed_ = !written;
  if (options_.echo_to_stdout) {
    [[maybe_unused]] ssize_t n = ::write(1, line.data(), line.size());
  }
  if (observer_) observer_();
}

Result<void> MainLog::Reopen() {
  if (!file_) return Ok();
  return file_->Reopen();
}

Result<void> MainLog::Clear() {
  if (!file_) return Ok();
  Result<void> cleared = file_->Clear();
  if (observer_) observer_();
  return cleared;
}

std::string MainLog::path() const { return file_ ? file_->path() : std::string(); }

}  // namespace vigil::logs

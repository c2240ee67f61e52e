#pragma once

// ProgramOutput: where one program's output goes, for the program's whole life: its
// stdout_logfile and stderr_logfile (with rotation), and at loglevel debug also the main log.
// Each spawned child's pipes are attached to it; a pipe stays attached until its last writer
// is gone, even after the child itself has exited.

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "config/program_spec.h"
#include "logs/main_log.h"
#include "logs/output_reader.h"
#include "logs/rotating_file.h"
#include "loop/event_loop.h"

namespace vigil::daemon {

struct OutputSettings {
  std::string childlogdir;
  std::string identifier;
  bool strip_ansi = false;
  // Called with a log file's path after it was written to (for followers of the log).
  std::function<void(const std::string& path)> on_write;
};

// supervisord's name for an AUTO log file (before mkstemp fills in the random part):
// <process name>-<stdout|stderr>---<identifier>-XXXXXX.log
std::string AutoLogTemplate(const OutputSettings& settings, const std::string& process_name,
                            const std::string& channel);
// Whether `filename` (no directory) is an AUTO log of `identifier`, live or rotated, which
// vigild deletes at startup unless nocleanup is set.
bool IsAutoLogName(const std::string& filename, const std::string& identifier);

// supervisord's strip_ansi: removes "ESC[" up to one of the letters HfABCDRsuJKhlpm.
std::string StripAnsi(std::string_view data);

class ProgramOutput {
 public:
  // Opens (creating AUTO files under childlogdir) the program's log files. `loop` and
  // `main_log` must outlive it.
  static Result<std::unique_ptr<ProgramOutput>> Create(const config::ProgramSpec& spec,
                                                       const OutputSettings& settings,
                                                       loop::EventLoop& loop,
                                                       logs::MainLog& main_log);
  ~ProgramOutput();

  // Also called with everything read from the pipes (before strip_ansi): event listeners'
  // protocol and PROCESS_LOG events. `pid` is the child that was attached with the pipe.
  using Tap = std::function<void(bool is_stderr, pid_t pid, std::string_view data)>;
  void SetTap(Tap tap) { tap_ = std::move(tap); }

  // Starts draining a new child's stdout and (if not redirected) stderr pipes.
  Result<void> Attach(UniqueFd stdout_read, UniqueFd stderr_read, pid_t pid = 0);
  // Reads everything waiting in every attached pipe into the logs.
  void Drain();
  // Writes a line of vigild's own to the program's stderr log (or stdout when redirected),
  // as supervisord's child writes its "couldn't exec" messages there.
  void WriteNotice(std::string_view line);
  Result<void> Reopen();
  // supervisord's clearProcessLogs: empties both log files.
  Result<void> Clear();
  // Deletes AUTO files (when the program is removed); explicit files stay.
  void RemoveAutoFiles();

  // Paths of the log files; empty when the stream is discarded.
  std::string stdout_path() const;
  std::string stderr_path() const;

 private:
  struct Stream {
    std::string channel;  // "stdout" / "stderr"
    std::unique_ptr<logs::RotatingFile> file;
    bool automatic = false;
    uint64_t reported_dropped = 0;
    std::string direct_path;  // written by the program itself, not through vigild
  };
  ProgramOutput(const config::ProgramSpec& spec, const OutputSettings& settings,
                loop::EventLoop& loop, logs::MainLog& main_log);
  Result<void> OpenStream(Stream& stream, const config::LogSpec& log,
                          config::OutputFileMode direct_mode);
  void Record(Stream& stream, std::string_view data);
  Result<void> AttachPipe(UniqueFd fd, Stream& stream, pid_t pid);

  std::string name_;
  OutputSettings settings_;
  loop::EventLoop& loop_;
  logs::MainLog& main_log_;
  Stream stdout_;
  Stream stderr_;
  bool redirect_stderr_ = false;
  std::vector<std::unique_ptr<logs::OutputReader>> readers_;
  Tap tap_;
};

}  // namespace vigil::daemon

#include "daemon/program_output.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>

#include "os/errors.h"

namespace vigil::daemon {

std::string AutoLogTemplate(const OutputSettings& settings, const std::string& process_name,
                            const std::string& channel) {
  return fmt::format("{}/{}-{}---{}-XXXXXX.log", settings.childlogdir, process_name, channel,
                     settings.identifier);
}

bool IsAutoLogName(const std::string& filename, const std::string& identifier) {
  // supervisord: re.match(r'.+?---<identifier>-\S+\.log\.{0,1}\d{0,4}'), anchored at the start
  // only. So: something, "---<identifier>-", non-space text, then ".log" somewhere after.
  const std::string marker = "---" + identifier + "-";
  const size_t at = filename.find(marker);
  if (at == std::string::npos || at == 0) return false;
  const std::string rest = filename.substr(at + marker.size());
  const size_t log = rest.find(".log", 1);
  if (log == std::string::npos) return false;
  return std::none_of(rest.begin(), rest.begin() + static_cast<ptrdiff_t>(log),
                      [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
}

std::string StripAnsi(std::string_view data) {
  // dispatchers.py stripEscapes(): from each "ESC[" through the next terminator letter; an
  // escape with no terminator swallows the rest of the chunk.
  static constexpr std::string_view kEnds = "HfABCDRsuJKhlpm";
  std::string out;
  out.reserve(data.size());
  size_t i = 0;
  while (i < data.size()) {
    const size_t escape = data.find("\x1b[", i);
    if (escape == std::string_view::npos) {
      out.append(data.substr(i));
      break;
    }
    out.append(data.substr(i, escape - i));
    const size_t end = data.find_first_of(kEnds, escape + 2);
    if (end == std::string_view::npos) break;
    i = end + 1;
  }
  return out;
}

ProgramOutput::ProgramOutput(const config::ProgramSpec& spec, const OutputSettings& settings,
                             loop::EventLoop& loop, logs::MainLog& main_log)
    : name_(spec.name),
      settings_(settings),
      loop_(loop),
      main_log_(main_log),
      redirect_stderr_(spec.redirect_stderr) {
  stdout_.channel = "stdout";
  stderr_.channel = "stderr";
}

ProgramOutput::~ProgramOutput() = default;

Result<std::unique_ptr<ProgramOutput>> ProgramOutput::Create(const config::ProgramSpec& spec,
                                                             const OutputSettings& settings,
                                                             loop::EventLoop& loop,
                                                             logs::MainLog& main_log) {
  std::unique_ptr<ProgramOutput> output(new ProgramOutput(spec, settings, loop, main_log));
  using Mode = config::OutputFileMode;
  const Mode stdout_mode = spec.service ? spec.service->stdout_file_mode : Mode::kNone;
  const Mode stderr_mode = spec.service ? spec.service->stderr_file_mode : Mode::kNone;
  if (Result<void> r = output->OpenStream(output->stdout_, spec.stdout_log, stdout_mode); !r) {
    return r.error();
  }
  if (!spec.redirect_stderr) {
    if (Result<void> r = output->OpenStream(output->stderr_, spec.stderr_log, stderr_mode); !r) {
      return r.error();
    }
  }
  return output;
}

Result<void> ProgramOutput::OpenStream(Stream& stream, const config::LogSpec& log,
                                       config::OutputFileMode direct_mode) {
  if (log.target == config::LogTarget::kFile && direct_mode != config::OutputFileMode::kNone) {
    // A unit's StandardOutput=file:/append:/truncate: the service writes the file itself.
    stream.direct_path = log.path;
    return Ok();
  }
  std::string path;
  switch (log.target) {
    case config::LogTarget::kNone:
      return Ok();
    case config::LogTarget::kFile:
      path = log.path;
      break;
    case config::LogTarget::kAuto: {
      std::string name = AutoLogTemplate(settings_, name_, stream.channel);
      int fd = ::mkstemps(name.data(), 4);
      if (fd < 0) return os::SysError("create AUTO log " + name);
      ::close(fd);
      path = name;
      stream.automatic = true;
      break;
    }
  }
  Result<std::unique_ptr<logs::RotatingFile>> file =
      logs::RotatingFile::Open(path, log.maxbytes, log.backups);
  if (!file) return file.error();
  stream.file = std::move(*file);
  return Ok();
}

void ProgramOutput::Record(Stream& stream, std::string_view data) {
  std::string stripped;
  if (settings_.strip_ansi) {
    stripped = StripAnsi(data);
    data = stripped;
  }
  if (main_log_.Enabled(config::LogLevel::kDebug)) {
    main_log_.Debug(fmt::format("'{}' {} output:\n{}", name_, stream.channel, data));
  }
  if (!stream.file) return;
  Result<void> written = stream.file->Write(data);
  if (settings_.on_write) settings_.on_write(stream.file->path());
  const uint64_t dropped = stream.file->dropped_bytes();
  if (!written && stream.reported_dropped == 0) {
    // The first loss is reported at once; later ones are summed up when writing works again.
    main_log_.Error(fmt::format("{} {} log: {}; output is being dropped and counted", name_,
                                stream.channel, written.error().message));
    stream.reported_dropped = dropped;
  } else if (written && dropped > stream.reported_dropped && stream.reported_dropped > 0) {
    main_log_.Warn(fmt::format("{} {} log: writing works again; {} bytes were dropped in all",
                               name_, stream.channel, dropped));
    stream.reported_dropped = 0;
  }
}

Result<void> ProgramOutput::AttachPipe(UniqueFd fd, Stream& stream, pid_t pid) {
  // A reader whose pipe has closed stays in readers_ until the next Attach() prunes it.
  Result<std::unique_ptr<logs::OutputReader>> reader = logs::OutputReader::Create(
      loop_, std::move(fd),
      [this, &stream, pid](std::string_view data) {
        Record(stream, data);
        if (tap_) tap_(&stream == &stderr_, pid, data);
      },
      nullptr);
  if (!reader) return reader.error();
  readers_.push_back(std::move(*reader));
  return Ok();
}

Result<void> ProgramOutput::Attach(UniqueFd stdout_read, UniqueFd stderr_read, pid_t pid) {
  // Readers whose pipes have closed are dropped here rather than from their own callback.
  std::erase_if(readers_, [](const auto& reader) { return reader->closed(); });
  if (stdout_read) {
    if (Result<void> r = AttachPipe(std::move(stdout_read), stdout_, pid); !r) return r;
  }
  if (stderr_read) {
    if (Result<void> r = AttachPipe(std::move(stderr_read), stderr_, pid); !r) return r;
  }
  return Ok();
}

void ProgramOutput::Drain() {
  for (const auto& reader : readers_) reader->Drain();
}

void ProgramOutput::WriteNotice(std::string_view line) {
  Record(redirect_stderr_ ? stdout_ : stderr_, line);
}

Result<void> ProgramOutput::Reopen() {
  for (Stream* stream : {&stdout_, &stderr_}) {
    if (!stream->file) continue;
    if (Result<void> r = stream->file->Reopen(); !r) return r;
  }
  return Ok();
}

Result<void> ProgramOutput::Clear() {
  for (Stream* stream : {&stdout_, &stderr_}) {
    if (!stream->file) continue;
    if (Result<void> r = stream->file->Clear(); !r) return r;
    if (settings_.on_write) settings_.on_write(stream->file->path());
  }
  return Ok();
}

void ProgramOutput::RemoveAutoFiles() {
  for (Stream* stream : {&stdout_, &stderr_}) {
    if (stream->file && stream->automatic) ::unlink(stream->file->path().c_str());
  }
}

std::string ProgramOutput::stdout_path() const {
  return stdout_.file ? stdout_.file->path() : stdout_.direct_path;
}

std::string ProgramOutput::stderr_path() const {
  return stderr_.file ? stderr_.file->path() : stderr_.direct_path;
}

}  // namespace vigil::daemon

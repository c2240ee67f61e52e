#include "logs/output_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

namespace vigil::logs {
namespace {

// One buffer for every pipe: vigild is single-threaded, and a buffer per program would cost
// megabytes with a thousand programs. 64 KiB is a full pipe.
char g_buffer[64 * 1024];

// The capacity a chatty child's pipe is given. Every pipe starts at the kernel's 64 KiB: a
// thousand quiet programs cost nothing extra, and the per-user pipe budget
// (/proc/sys/fs/pipe-user-pages-soft) is not spent on them.
constexpr int kChattyPipeSize = 1024 * 1024;

}  // namespace

Result<std::unique_ptr<OutputReader>> OutputReader::Create(loop::EventLoop& loop, UniqueFd fd,
                                                           Sink sink, Closed on_closed) {
  std::unique_ptr<OutputReader> reader(
      new OutputReader(std::move(fd), std::move(sink), std::move(on_closed)));
  OutputReader* self = reader.get();
  Result<std::unique_ptr<loop::Watch>> watch =
      loop.WatchFd(self->fd_.get(), EPOLLIN, loop::Phase::kIo, [self](uint32_t) {
        if (!self->ReadAvailable()) self->Close();
      });
  if (!watch) return watch.error();
  reader->watch_ = std::move(*watch);
  return reader;
}

OutputReader::~OutputReader() {
  watch_.reset();  // before the fd closes
}

ssize_t OutputReader::ReadChunk() {
  ssize_t n;
  do {
    n = ::read(fd_.get(), g_buffer, sizeof g_buffer);
  } while (n < 0 && errno == EINTR);
  if (n > 0) {
    if (static_cast<size_t>(n) == sizeof g_buffer && !grown_) Grow();
    sink_(std::string_view(g_buffer, static_cast<size_t>(n)));
  }
  return n;
}

bool OutputReader::ReadAvailable() {
  // Bounded per wake-up so one chatty child cannot starve the others; level-triggered epoll
  // brings us back for the rest.
  for (int round = 0; round < 16; ++round) {
    const ssize_t n = ReadChunk();
    if (n > 0) continue;
    if (n == 0) return false;
    return errno == EAGAIN;  // any other error ends the stream as EOF would
  }
  return true;
}

void OutputReader::Grow() {
  // A full pipe: the child writes faster than one wake-up per 64 KiB can follow, and would
  // block on every write. With a larger pipe it writes on while vigild catches up, and vigild
  // wakes up less often. A refusal (the user's pipe budget is spent) keeps the pipe as it is.
  grown_ = true;
  static_cast<void>(::fcntl(fd_.get(), F_SETPIPE_SZ, kChattyPipeSize));
}

void OutputReader::Drain() {
  if (!fd_) return;
  ssize_t n;
  do {
    n = ReadChunk();
  } while (n > 0);
  if (n == 0) Close();
}

void OutputReader::Close() {
  watch_.reset();
  fd_.Reset();
  if (on_closed_) {
    Closed closed = std::move(on_closed_);
    on_closed_ = nullptr;
    closed();  // may destroy this reader
  }
}

}  // namespace vigil::logs

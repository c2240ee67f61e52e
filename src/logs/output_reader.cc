#include "logs/output_reader.h"

#include <errno.h>
#include <unistd.h>

namespace vigil::logs {
namespace {

// One buffer for every pipe: vigild is single-threaded, and a buffer per program would cost
// megabytes with a thousand programs. 64 KiB is a full pipe.
char g_buffer[64 * 1024];

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

bool OutputReader::ReadAvailable() {
  // Bounded per wake-up so one chatty child cannot starve the others; level-triggered epoll
  // brings us back for the rest.
  for (int round = 0; round < 16; ++round) {
    ssize_t n = ::read(fd_.get(), g_buffer, sizeof g_buffer);
    if (n > 0) {
      sink_(std::string_view(g_buffer, static_cast<size_t>(n)));
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN;  // any other error ends the stream as EOF would
  }
  return true;
}

void OutputReader::Drain() {
  if (!fd_) return;
  while (true) {
    ssize_t n = ::read(fd_.get(), g_buffer, sizeof g_buffer);
    if (n > 0) {
      sink_(std::string_view(g_buffer, static_cast<size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) Close();
    return;
  }
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

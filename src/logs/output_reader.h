#pragma once

// OutputReader: drains one pipe from a child (its stdout or stderr) on the event loop and hands
// each chunk to a sink, until every writer has closed the pipe. It keeps reading after the
// child exits, because a grandchild may hold the pipe; closing it early would kill such a
// grandchild with SIGPIPE on its next write. A child that fills its pipe gets a larger one.

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string_view>

#include "base/result.h"
#include "base/unique_fd.h"
#include "loop/event_loop.h"

namespace vigil::logs {

class OutputReader {
 public:
  using Sink = std::function<void(std::string_view data)>;
  using Closed = std::function<void()>;

  // `fd` must be the non-blocking read end. `loop` must outlive the reader. `on_closed` runs
  // once, when the last writer has gone; the reader may be destroyed from inside it.
  static Result<std::unique_ptr<OutputReader>> Create(loop::EventLoop& loop, UniqueFd fd, Sink sink,
                                                      Closed on_closed);
  ~OutputReader();

  // Reads everything that is in the pipe now (done before a child's exit is acted on, so
  // its last lines are in the log first).
  void Drain();
  bool closed() const { return !fd_; }

 private:
  OutputReader(UniqueFd fd, Sink sink, Closed on_closed)
      : fd_(std::move(fd)), sink_(std::move(sink)), on_closed_(std::move(on_closed)) {}
  // One read() into the shared buffer, handed to the sink; read()'s result (EINTR retried).
  ssize_t ReadChunk();
  // Returns false when the pipe was closed by its writers.
  bool ReadAvailable();
  // Enlarges the pipe of a child that filled it (once).
  void Grow();
  void Close();

  UniqueFd fd_;
  Sink sink_;
  Closed on_closed_;
  std::unique_ptr<loop::Watch> watch_;
  bool grown_ = false;
};

}  // namespace vigil::logs

#pragma once

// A reply that is not ready yet (a start that waits for RUNNING, a unit's job): polled after
// every loop iteration and at `deadline`.

#include <functional>
#include <optional>

#include "api/http_server.h"
#include "base/time.h"

namespace vigil::api {

struct PendingReply {
  std::function<std::optional<HttpResponse>()> poll;
  std::optional<MonotonicTime> deadline;
};

}  // namespace vigil::api

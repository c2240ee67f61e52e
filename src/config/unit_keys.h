#pragma once

// The keys of a .service unit and what vigil does with each: the keys vigil applies go to their
// handlers; the other keys systemd 252 knows (its load-fragment-gperf table for [Unit] and
// [Service]) are ignored with an honest warning; unknown keys get systemd's own warning. Keys
// starting with "X-" and sections starting with "X-" are ignored silently, as systemd does.

#include <string_view>

#include "base/result.h"
#include "config/service_draft.h"

namespace vigil::config {

// Applies one assignment of section `section` ("Unit", "Service", "Install" or "X-...").
Result<void> ApplyUnitSetting(ServiceDraft& draft, const SettingContext& context,
                              std::string_view section, std::string_view value);

}  // namespace vigil::config

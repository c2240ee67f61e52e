#pragma once

// Python's printf-style formatting with a mapping, "s % expansions", which supervisord applies
// to config values (options.py expand()): "%(name)s", "%(process_num)02d", "%%". Values are
// strings or integers. Errors carry supervisord's wording so messages stay familiar:
//   Format string 'x %(foo)s' for 'program:a.command' contains names ('foo') which cannot be
//   expanded. Available names: ...
//   Format string '%' for 'program:a.command' is badly formatted: incomplete format
//
// One deliberate difference: a conversion without a name ("%s", "%d") is an error here. Python
// would format the whole expansion dictionary into the value (e.g. "date +%s" becomes
// "date +{'here': ...}"), which is never what the author meant; vigil asks for "%%s" instead.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "base/result.h"

namespace vigil::config {

using ExpansionValue = std::variant<std::string, int64_t>;
using Expansions = std::map<std::string, ExpansionValue, std::less<>>;

// Expands `text`. `what` names the option for messages, e.g. "program:a.command".
Result<std::string> PyPercentFormat(std::string_view text, const Expansions& expansions,
                                    std::string_view what);

}  // namespace vigil::config

#pragma once

// The documentation of the XML-RPC methods, as supervisord 4.2.5 publishes it: its docstrings
// byte for byte (system.methodHelp returns them whole, with the leading space, the @param and
// @return lines and the trailing indentation), and the signatures it derives from their tags
// (system.methodSignature).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::api {

// The docstring of `method` ("supervisor.getState"); nullopt for a method supervisord does not
// have. Aliases share their original's (getVersion is getAPIVersion's).
std::optional<std::string_view> MethodDocstring(std::string_view method);

// supervisord's methodSignature over gettags() (xmlrpc.py): the type of the last @return tag,
// then the type of each @param tag in order, e.g. {"struct", "string"}; empty when there is no
// @return (SIGNATURE_UNSUPPORTED).
std::vector<std::string> SignatureFromDocstring(std::string_view doc);

}  // namespace vigil::api

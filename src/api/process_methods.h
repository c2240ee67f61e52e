#pragma once

// The supervisor.* methods, as functions of an RpcContext (registered in RpcMethods).

#include <string>

#include "api/process_info.h"
#include "api/rpc.h"

namespace vigil::api {

ProcessInfo InfoOf(RpcContext& context, const core::Program& program);

// Processes (process_methods.cc).
RpcResult GetProcessInfo(RpcContext& context, const std::string& name);
RpcResult GetAllProcessInfo(RpcContext& context);
RpcResult StartProcess(RpcContext& context, const std::string& name, bool wait);
RpcResult StartProcessGroup(RpcContext& context, const std::string& name, bool wait);
RpcResult StartAllProcesses(RpcContext& context, bool wait);
RpcResult StopProcess(RpcContext& context, const std::string& name, bool wait);
RpcResult StopProcessGroup(RpcContext& context, const std::string& name, bool wait);
RpcResult StopAllProcesses(RpcContext& context, bool wait);
RpcResult SignalProcess(RpcContext& context, const std::string& name, const std::string& signal);
RpcResult SignalProcessGroup(RpcContext& context, const std::string& name,
                             const std::string& signal);
RpcResult SignalAllProcesses(RpcContext& context, const std::string& signal);

// The daemon, its configuration and its logs (daemon_methods.cc).
RpcResult GetAllConfigInfo(RpcContext& context);
RpcResult ReloadConfig(RpcContext& context);
RpcResult AddProcessGroup(RpcContext& context, const std::string& name);
RpcResult RemoveProcessGroup(RpcContext& context, const std::string& name);
RpcResult ReadMainLog(RpcContext& context, int64_t offset, int64_t length);
RpcResult ClearMainLog(RpcContext& context);
RpcResult ReadProcessLog(RpcContext& context, const std::string& name, int64_t offset,
                         int64_t length, bool stderr_log);
RpcResult TailProcessLog(RpcContext& context, const std::string& name, int64_t offset,
                         int64_t length, bool stderr_log);
RpcResult ClearProcessLogs(RpcContext& context, const std::string& name);
RpcResult ClearAllProcessLogs(RpcContext& context);
RpcResult SendProcessStdin(RpcContext& context, const std::string& name, const std::string& chars);

// supervisord's readFile()/tailFile() over a file (log_reads.cc), for any offset and length a
// client sends; memory never grows with the length asked for. ReadLogFile's errors: NO_FILE
// (with the path) when the file does not exist, BAD_ARGUMENTS, FAILED (a read error).
// TailLogFile answers ['', 0, false] when the file does not exist.
std::variant<std::string, RpcError> ReadLogFile(const std::string& path, int64_t offset,
                                                int64_t length);
XmlRpcValue TailLogFile(const std::string& path, int64_t offset, int64_t length);
// Log bytes as a string XML-RPC can carry: invalid UTF-8 becomes U+FFFD.
std::string AsUtf8(std::string_view bytes);

}  // namespace vigil::api

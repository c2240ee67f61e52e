// supervisord 4.2.5's docstrings of its XML-RPC methods (supervisor/rpcinterface.py and
// supervisor/xmlrpc.py; supervisor is under a BSD-style license, see
// /usr/share/doc/supervisor/copyright), as str(method.__doc__) gives them.

#include "api/rpc_docs.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "base/strings.h"

namespace vigil::api {
namespace {

// Sorted by name.
constexpr std::pair<std::string_view, std::string_view> kDocstrings[] = {
    {"supervisor.addProcessGroup",
     " Update the config for a running process from config file.\n"
     "\n"
     "        @param string name         name of process group to add\n"
     "        @return boolean result     true if successful\n"
     "        "},
    {"supervisor.clearAllProcessLogs",
     " Clear all process log files\n"
     "\n"
     "        @return array result   An array of process status info structs\n"
     "        "},
    {"supervisor.clearLog",
     " Clear the main log.\n"
     "\n"
     "        @return boolean result always returns True unless error\n"
     "        "},
    {"supervisor.clearProcessLog",
     " Clear the stdout and stderr logs for the named process and\n"
     "        reopen them.\n"
     "\n"
     "        @param string name   The name of the process (or 'group:name')\n"
     "        @return boolean result      Always True unless error\n"
     "        "},
    {"supervisor.clearProcessLogs",
     " Clear the stdout and stderr logs for the named process and\n"
     "        reopen them.\n"
     "\n"
     "        @param string name   The name of the process (or 'group:name')\n"
     "        @return boolean result      Always True unless error\n"
     "        "},
    {"supervisor.getAPIVersion",
     " Return the version of the RPC API used by supervisord\n"
     "\n"
     "        @return string version id\n"
     "        "},
    {"supervisor.getAllConfigInfo",
     " Get info about all available process configurations. Each struct\n"
     "        represents a single process (i.e. groups get flattened).\n"
     "\n"
     "        @return array result  An array of process config info structs\n"
     "        "},
    {"supervisor.getAllProcessInfo",
     " Get info about all processes\n"
     "\n"
     "        @return array result  An array of process status results\n"
     "        "},
    {"supervisor.getIdentification",
     " Return identifying string of supervisord\n"
     "\n"
     "        @return string identifier identifying string\n"
     "        "},
    {"supervisor.getPID",
     " Return the PID of supervisord\n"
     "\n"
     "        @return int PID\n"
     "        "},
    {"supervisor.getProcessInfo",
     " Get info about a process named name\n"
     "\n"
     "        @param string name The name of the process (or 'group:name')\n"
     "        @return struct result     A structure containing data about the process\n"
     "        "},
    {"supervisor.getState",
     " Return current state of supervisord as a struct\n"
     "\n"
     "        @return struct A struct with keys int statecode, string statename\n"
     "        "},
    {"supervisor.getSupervisorVersion",
     " Return the version of the supervisor package in use by supervisord\n"
     "\n"
     "        @return string version id\n"
     "        "},
    {"supervisor.getVersion",
     " Return the version of the RPC API used by supervisord\n"
     "\n"
     "        @return string version id\n"
     "        "},
    {"supervisor.readLog",
     " Read length bytes from the main log starting at offset\n"
     "\n"
     "        @param int offset         offset to start reading from.\n"
     "        @param int length         number of bytes to read from the log.\n"
     "        @return string result     Bytes of log\n"
     "        "},
    {"supervisor.readMainLog",
     " Read length bytes from the main log starting at offset\n"
     "\n"
     "        @param int offset         offset to start reading from.\n"
     "        @param int length         number of bytes to read from the log.\n"
     "        @return string result     Bytes of log\n"
     "        "},
    {"supervisor.readProcessLog",
     " Read length bytes from name's stdout log starting at offset\n"
     "\n"
     "        @param string name        the name of the process (or 'group:name')\n"
     "        @param int offset         offset to start reading from.\n"
     "        @param int length         number of bytes to read from the log.\n"
     "        @return string result     Bytes of log\n"
     "        "},
    {"supervisor.readProcessStderrLog",
     " Read length bytes from name's stderr log starting at offset\n"
     "\n"
     "        @param string name        the name of the process (or 'group:name')\n"
     "        @param int offset         offset to start reading from.\n"
     "        @param int length         number of bytes to read from the log.\n"
     "        @return string result     Bytes of log\n"
     "        "},
    {"supervisor.readProcessStdoutLog",
     " Read length bytes from name's stdout log starting at offset\n"
     "\n"
     "        @param string name        the name of the process (or 'group:name')\n"
     "        @param int offset         offset to start reading from.\n"
     "        @param int length         number of bytes to read from the log.\n"
     "        @return string result     Bytes of log\n"
     "        "},
    {"supervisor.reloadConfig",
     "\n"
     "        Reload the configuration.\n"
     "\n"
     "        The result contains three arrays containing names of process\n"
     "        groups:\n"
     "\n"
     "        * `added` gives the process groups that have been added\n"
     "        * `changed` gives the process groups whose contents have\n"
     "          changed\n"
     "        * `removed` gives the process groups that are no longer\n"
     "          in the configuration\n"
     "\n"
     "        @return array result  [[added, changed, removed]]\n"
     "\n"
     "        "},
    {"supervisor.removeProcessGroup",
     " Remove a stopped process from the active configuration.\n"
     "\n"
     "        @param string name         name of process group to remove\n"
     "        @return boolean result     Indicates whether the removal was successful\n"
     "        "},
    {"supervisor.restart",
     " Restart the supervisor process\n"
     "\n"
     "        @return boolean result  always return True unless error\n"
     "        "},
    {"supervisor.sendProcessStdin",
     " Send a string of chars to the stdin of the process name.\n"
     "        If non-7-bit data is sent (unicode), it is encoded to utf-8\n"
     "        before being sent to the process' stdin.  If chars is not a\n"
     "        string or is not unicode, raise INCORRECT_PARAMETERS.  If the\n"
     "        process is not running, raise NOT_RUNNING.  If the process'\n"
     "        stdin cannot accept input (e.g. it was closed by the child\n"
     "        process), raise NO_FILE.\n"
     "\n"
     "        @param string name        The process name to send to (or 'group:name')\n"
     "        @param string chars       The character data to send to the process\n"
     "        @return boolean result    Always return True unless error\n"
     "        "},
    {"supervisor.sendRemoteCommEvent",
     " Send an event that will be received by event listener\n"
     "        subprocesses subscribing to the RemoteCommunicationEvent.\n"
     "\n"
     "        @param  string  type  String for the \"type\" key in the event header\n"
     "        @param  string  data  Data for the event body\n"
     "        @return boolean       Always return True unless error\n"
     "        "},
    {"supervisor.shutdown",
     " Shut down the supervisor process\n"
     "\n"
     "        @return boolean result always returns True unless error\n"
     "        "},
    {"supervisor.signalAllProcesses",
     " Send a signal to all processes in the process list\n"
     "\n"
     "        @param string signal  Signal to send, as name ('HUP') or number ('1')\n"
     "        @return array         An array of process status info structs\n"
     "        "},
    {"supervisor.signalProcess",
     " Send an arbitrary UNIX signal to the process named by name\n"
     "\n"
     "        @param string name    Name of the process to signal (or 'group:name')\n"
     "        @param string signal  Signal to send, as name ('HUP') or number ('1')\n"
     "        @return boolean\n"
     "        "},
    {"supervisor.signalProcessGroup",
     " Send a signal to all processes in the group named 'name'\n"
     "\n"
     "        @param string name    The group name\n"
     "        @param string signal  Signal to send, as name ('HUP') or number ('1')\n"
     "        @return array\n"
     "        "},
    {"supervisor.startAllProcesses",
     " Start all processes listed in the configuration file\n"
     "\n"
     "        @param boolean wait    Wait for each process to be fully started\n"
     "        @return array result   An array of process status info structs\n"
     "        "},
    {"supervisor.startProcess",
     " Start a process\n"
     "\n"
     "        @param string name Process name (or ``group:name``, or ``group:*``)\n"
     "        @param boolean wait Wait for process to be fully started\n"
     "        @return boolean result     Always true unless error\n"
     "\n"
     "        "},
    {"supervisor.startProcessGroup",
     " Start all processes in the group named 'name'\n"
     "\n"
     "        @param string name     The group name\n"
     "        @param boolean wait    Wait for each process to be fully started\n"
     "        @return array result   An array of process status info structs\n"
     "        "},
    {"supervisor.stopAllProcesses",
     " Stop all processes in the process list\n"
     "\n"
     "        @param  boolean wait   Wait for each process to be fully stopped\n"
     "        @return array result   An array of process status info structs\n"
     "        "},
    {"supervisor.stopProcess",
     " Stop a process named by name\n"
     "\n"
     "        @param string name  The name of the process to stop (or 'group:name')\n"
     "        @param boolean wait        Wait for the process to be fully stopped\n"
     "        @return boolean result     Always return True unless error\n"
     "        "},
    {"supervisor.stopProcessGroup",
     " Stop all processes in the process group named 'name'\n"
     "\n"
     "        @param string name     The group name\n"
     "        @param boolean wait    Wait for each process to be fully stopped\n"
     "        @return array result   An array of process status info structs\n"
     "        "},
    {"supervisor.tailProcessLog",
     "\n"
     "        Provides a more efficient way to tail the (stdout) log than\n"
     "        readProcessStdoutLog().  Use readProcessStdoutLog() to read\n"
     "        chunks and tailProcessStdoutLog() to tail.\n"
     "\n"
     "        Requests (length) bytes from the (name)'s log, starting at\n"
     "        (offset).  If the total log size is greater than (offset +\n"
     "        length), the overflow flag is set and the (offset) is\n"
     "        automatically increased to position the buffer at the end of\n"
     "        the log.  If less than (length) bytes are available, the\n"
     "        maximum number of available bytes will be returned.  (offset)\n"
     "        returned is always the last offset in the log +1.\n"
     "\n"
     "        @param string name         the name of the process (or 'group:name')\n"
     "        @param int offset          offset to start reading from\n"
     "        @param int length          maximum number of bytes to return\n"
     "        @return array result       [string bytes, int offset, bool overflow]\n"
     "        "},
    {"supervisor.tailProcessStderrLog",
     "\n"
     "        Provides a more efficient way to tail the (stderr) log than\n"
     "        readProcessStderrLog().  Use readProcessStderrLog() to read\n"
     "        chunks and tailProcessStderrLog() to tail.\n"
     "\n"
     "        Requests (length) bytes from the (name)'s log, starting at\n"
     "        (offset).  If the total log size is greater than (offset +\n"
     "        length), the overflow flag is set and the (offset) is\n"
     "        automatically increased to position the buffer at the end of\n"
     "        the log.  If less than (length) bytes are available, the\n"
     "        maximum number of available bytes will be returned.  (offset)\n"
     "        returned is always the last offset in the log +1.\n"
     "\n"
     "        @param string name         the name of the process (or 'group:name')\n"
     "        @param int offset          offset to start reading from\n"
     "        @param int length          maximum number of bytes to return\n"
     "        @return array result       [string bytes, int offset, bool overflow]\n"
     "        "},
    {"supervisor.tailProcessStdoutLog",
     "\n"
     "        Provides a more efficient way to tail the (stdout) log than\n"
     "        readProcessStdoutLog().  Use readProcessStdoutLog() to read\n"
     "        chunks and tailProcessStdoutLog() to tail.\n"
     "\n"
     "        Requests (length) bytes from the (name)'s log, starting at\n"
     "        (offset).  If the total log size is greater than (offset +\n"
     "        length), the overflow flag is set and the (offset) is\n"
     "        automatically increased to position the buffer at the end of\n"
     "        the log.  If less than (length) bytes are available, the\n"
     "        maximum number of available bytes will be returned.  (offset)\n"
     "        returned is always the last offset in the log +1.\n"
     "\n"
     "        @param string name         the name of the process (or 'group:name')\n"
     "        @param int offset          offset to start reading from\n"
     "        @param int length          maximum number of bytes to return\n"
     "        @return array result       [string bytes, int offset, bool overflow]\n"
     "        "},
    {"system.listMethods",
     " Return an array listing the available method names\n"
     "\n"
     "        @return array result  An array of method names available (strings).\n"
     "        "},
    {"system.methodHelp",
     " Return a string showing the method's documentation\n"
     "\n"
     "        @param string name   The name of the method.\n"
     "        @return string result The documentation for the method name.\n"
     "        "},
    {"system.methodSignature",
     " Return an array describing the method signature in the\n"
     "        form [rtype, ptype, ptype...] where rtype is the return data type\n"
     "        of the method, and ptypes are the parameter data types that the\n"
     "        method accepts in method argument order.\n"
     "\n"
     "        @param string name  The name of the method.\n"
     "        @return array result  The result.\n"
     "        "},
    {"system.multicall",
     "Process an array of calls, and return an array of\n"
     "        results. Calls should be structs of the form {'methodName':\n"
     "        string, 'params': array}. Each result will either be a\n"
     "        single-item array containing the result value, or a struct of\n"
     "        the form {'faultCode': int, 'faultString': string}. This is\n"
     "        useful when you need to make lots of small calls without lots\n"
     "        of round trips.\n"
     "\n"
     "        @param array calls  An array of call requests\n"
     "        @return array result  An array of results\n"
     "        "},
};
static_assert(std::is_sorted(std::begin(kDocstrings), std::end(kDocstrings)),
              "kDocstrings must be sorted by name for the binary search");

}  // namespace

std::optional<std::string_view> MethodDocstring(std::string_view method) {
  const auto* it =
      std::lower_bound(std::begin(kDocstrings), std::end(kDocstrings), method,
                       [](const auto& entry, std::string_view name) { return entry.first < name; });
  if (it == std::end(kDocstrings) || it->first != method) return std::nullopt;
  return it->second;
}

std::vector<std::string> SignatureFromDocstring(std::string_view doc) {
  // gettags(): a line that starts with '@' (after stripping) is a tag; its words are
  // "@tag datatype name text", any of which but the tag may be missing.
  std::optional<std::string> returns;
  std::vector<std::string> params;
  for (const std::string& line : Split(doc, '\n')) {
    std::vector<std::string> words = SplitWhitespace(line);
    if (words.empty() || !words[0].starts_with("@")) continue;
    const std::string type = words.size() >= 2 ? words[1] : "";
    if (words[0] == "@return") returns = type;
    if (words[0] == "@param") params.push_back(type);
  }
  if (!returns) return {};
  params.insert(params.begin(), *returns);
  return params;
}

}  // namespace vigil::api

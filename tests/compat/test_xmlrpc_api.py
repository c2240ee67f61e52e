#!/usr/bin/env python3
"""vigild's XML-RPC and HTTP interface, spoken raw, against supervisord 4.2.5 as the oracle.

The test starts a real vigild (`vigild -n -c CONF`) and a real supervisord on the same
configuration (each in its own temp dir, with its own unix socket and TCP port), sends both the
same requests over http.client (unix socket and TCP), builds and decodes bodies with
xmlrpc.client.dumps/loads, and compares results, types, struct keys and fault strings. vigild
alone is then abused at the HTTP level (bad bodies, huge bodies, floods, clients that stall);
after every abuse it must still answer and still supervise the same process with the same pid.
Usage:
    test_xmlrpc_api.py /path/to/vigild

Plain python3, standard library only. Prints every failure; exits 1 if there is any.
"""

import base64
import concurrent.futures
import hashlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import xmlrpc.client

SUPERVISORD = "/usr/bin/supervisord"
USER = "admin"
PASSWORD = "s3cret"
PASSWORD_SHA = hashlib.sha1(PASSWORD.encode()).hexdigest()

FAILURES = []
STARTED = time.monotonic()


class Fatal(Exception):
    """vigild is gone: nothing after this can run."""


def fail(message):
    FAILURES.append(message)
    print("FAIL " + message, flush=True)


def check(condition, message):
    if not condition:
        fail(message)
    return bool(condition)


def wait_until(predicate, timeout, interval=0.05):
    """predicate()'s first true value, or None once the deadline passes (exceptions count as
    false)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except Exception:  # noqa: BLE001 - a daemon that is not up yet, a file not written yet
            value = None
        if value:
            return value
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# Transport


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=30):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.unix_path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


def rpc_body(method, params=()):
    return xmlrpc.client.dumps(tuple(params), method).encode("utf-8")


def decode_reply(status, data):
    """('ok', value) | ('fault', code, string) | ('http', status, body) | ('bad-xml', body)"""
    if status != 200:
        return ("http", status, data[:200])
    try:
        return ("ok", xmlrpc.client.loads(data)[0][0])
    except xmlrpc.client.Fault as fault:
        return ("fault", fault.faultCode, fault.faultString)
    except Exception:  # noqa: BLE001
        return ("bad-xml", data[:300])


class Endpoint:
    def __init__(self, unix_path=None, port=None, auth=None):
        self.unix_path = unix_path
        self.port = port
        self.auth = auth

    def connection(self, timeout):
        if self.unix_path:
            return UnixHTTPConnection(self.unix_path, timeout)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, url, body=None, headers=None, timeout=30):
        conn = self.connection(timeout)
        try:
            all_headers = dict(headers or {})
            if self.auth and "Authorization" not in all_headers:
                all_headers["Authorization"] = basic(*self.auth)
            conn.request(method, url, body=body, headers=all_headers)
            response = conn.getresponse()
            data = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            conn.close()

    def call(self, method, *params, timeout=30):
        status, _, data = self.request("POST", "/RPC2", rpc_body(method, params),
                                       {"Content-Type": "text/xml"}, timeout)
        return decode_reply(status, data)

    def raw_socket(self, timeout=10):
        if self.unix_path:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(self.unix_path)
        else:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        return sock


def raw_request(method, params=(), host="localhost", version="1.1", extra=""):
    body = rpc_body(method, params)
    head = ("POST /RPC2 HTTP/%s\r\n%sContent-Type: text/xml\r\nContent-Length: %d\r\n%s\r\n" %
            (version, "Host: %s\r\n" % host if host is not None else "", len(body), extra))
    return head.encode() + body


class RawResponseReader:
    """Reads HTTP responses (Content-Length or chunked) off a raw socket, with deadlines."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""
        self.closed = False

    def _fill(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("deadline passed")
        self.sock.settimeout(remaining)
        try:
            data = self.sock.recv(65536)
        except socket.timeout as e:
            raise TimeoutError("deadline passed") from e
        if not data:
            self.closed = True
            raise ConnectionError("peer closed")
        self.buffer += data

    def head(self, deadline):
        while b"\r\n\r\n" not in self.buffer:
            self._fill(deadline)
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return status, headers

    def body(self, headers, deadline):
        length = int(headers.get("content-length", "0"))
        while len(self.buffer) < length:
            self._fill(deadline)
        data, self.buffer = self.buffer[:length], self.buffer[length:]
        return data

    def response(self, deadline):
        status, headers = self.head(deadline)
        return status, headers, self.body(headers, deadline)

    def chunk(self, deadline):
        """The next chunk of a chunked body (b'' for the last one)."""
        while b"\r\n" not in self.buffer:
            self._fill(deadline)
        size_line, rest = self.buffer.split(b"\r\n", 1)
        size = int(size_line.split(b";")[0], 16)
        while len(rest) < size + 2:
            self._fill(deadline)
            size_line, rest = self.buffer.split(b"\r\n", 1)
        data = rest[:size]
        if rest[size:size + 2] != b"\r\n":
            raise ValueError("bad chunk framing after %r" % data[-40:])
        self.buffer = rest[size + 2:]
        return data


# ---------------------------------------------------------------------------------------------
# Processes


def proc_stat(pid):
    """(state, ppid, starttime) of a live or zombie process, else None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
    except OSError:
        return None
    rest = data[data.rindex(")") + 2:].split()
    return rest[0], int(rest[1]), int(rest[19])


def descendants(root):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = proc_stat(int(entry))
            if st:
                children.setdefault(st[1], []).append((int(entry), st[2]))
    found, todo = [], [root]
    while todo:
        for child, start in children.get(todo.pop(), []):
            found.append((child, start))
            todo.append(child)
    return found


def alive(pid, start):
    st = proc_stat(pid)
    return st is not None and st[2] == start and st[0] != "Z"


def survivors(processes, grace=3):
    """Those of processes still alive after a grace period (a SIGKILL takes a moment)."""
    wait_until(lambda: not any(alive(p, s) for p, s in processes), grace)
    return [(p, s) for p, s in processes if alive(p, s)]


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def end_process(pid, start, timeout=5):
    """Ends one process this test started, by pid (checked against its start time)."""
    if not alive(pid, start):
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    if wait_until(lambda: not alive(pid, start), timeout):
        return
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    wait_until(lambda: not alive(pid, start), timeout)


def cgroup_of(log_path):
    """The cgroup vigild says it tracks programs in (from its main log), or None."""
    try:
        with open(log_path, errors="replace") as f:
            found = re.search(r"tracking every program in its own cgroup under (\S+)", f.read())
    except OSError:
        return None
    return found.group(1) if found else None


def cgroup_left(label, path, report=True):
    """After vigild exited: its cgroup directory should be gone. Empty leftovers are removed
    (children first), after being reported."""
    if not path or not os.path.isdir(path):
        return
    dirs = [dp for dp, _, _ in os.walk(path)]
    if report:
        fail("%s: vigild exited and left its cgroup %s behind (with %s)" %
             (label, path, sorted(os.path.relpath(d, path) for d in dirs if d != path) or
              "no sub-cgroups"))
    for d in sorted(dirs, key=len, reverse=True):
        try:
            os.rmdir(d)
        except OSError:
            pass


def program(name, command, **options):
    lines = ["[program:%s]" % name, "command=%s" % command]
    lines += ["%s=%s" % (k, v) for k, v in options.items()]
    return "\n".join(lines) + "\n"


def build_config(d, port, removeme=True, added=False, g2_changed=False, ignoreterm=False,
                 broken=False):
    """The same configuration for vigild and supervisord; d is the daemon's directory."""
    user = "user=root\n" if os.getuid() == 0 else ""
    text = ("[supervisord]\nlogfile={d}/main.log\npidfile={d}/daemon.pid\nchildlogdir={d}\n"
            "loglevel=info\n{user}\n"
            "[unix_http_server]\nfile={d}/rpc.sock\n\n"
            "[inet_http_server]\nport=127.0.0.1:{port}\nusername={u}\npassword={{SHA}}{sha}\n\n"
            "[rpcinterface:supervisor]\n"
            "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n"
            ).format(d=d, port=port, user=user, u=USER, sha=PASSWORD_SHA)
    text += program("sentinel", "/bin/sleep 1000", startsecs=0,
                    stdout_logfile="%s/sentinel.out" % d)
    text += program("cat", "/bin/cat", startsecs=0, stdout_logfile="%s/cat.out" % d)
    text += program("started", "/bin/sh -c 'echo started; exec /bin/sleep 1000'", startsecs=0,
                    stdout_logfile="%s/started.out" % d)
    text += program("static", "/bin/sh -c 'i=0; while [ $i -lt 60 ]; do echo \"static line $i: "
                    "the quick brown fox jumps over the lazy dog\"; i=$((i+1)); done; "
                    "exec /bin/sleep 1000'", startsecs=0, stdout_logfile="%s/static.out" % d)
    text += program("ticker", "/bin/sh -c 'i=0; while true; do echo line $i; echo err $i >&2; "
                    "i=$((i+1)); sleep 0.2; done'", startsecs=0,
                    stdout_logfile="%s/ticker.out" % d, stderr_logfile="%s/ticker.err" % d)
    text += program("nolog", "/bin/sleep 1000", startsecs=0, stdout_logfile="NONE",
                    stderr_logfile="NONE")
    text += program("trapper", "/bin/sh -c 'trap \"echo got USR1\" USR1; trap \"echo got HUP\" "
                    "HUP; echo ready; while true; do sleep 0.1; done'", startsecs=0,
                    stdout_logfile="%s/trapper.out" % d)
    text += program("nostdin", "/bin/sh -c 'exec 0<&-; exec /bin/sleep 1000'", startsecs=0)
    text += program("doomed", "/bin/sleep 1000", startsecs=0,
                    stdout_logfile="%s/doomed/out.log" % d)
    text += program("manual", "/bin/sleep 1000", autostart="false", startsecs=1)
    text += program("quick", "/bin/sh -c 'exit 3'", autostart="false", startsecs=1,
                    startretries=0)
    text += program("nofile", "/nonexistent/vigil-test-command", autostart="false")
    text += program("notexec", "%s/notexec.sh" % d, autostart="false")
    text += program("baddir", "/bin/sleep 1000", autostart="false", startsecs=1, startretries=0,
                    directory="%s/no-such-dir" % d)
    if removeme:
        text += program("removeme", "/bin/sleep 1000", startsecs=0)
    if added:
        text += program("added", "/bin/sleep 1000", startsecs=0)
    if ignoreterm:
        text += program("ignoreterm", "/bin/sh -c 'trap \"\" TERM; while true; do sleep 0.1; "
                        "done'", startsecs=0, stopwaitsecs=3)
    if broken:
        text += "[program:broken]\nautostart=true\n"
    text += program("g1", "/bin/sleep 1000", startsecs=0)
    text += program("g2", "/bin/sleep %s" % ("1001" if g2_changed else "1000"), startsecs=0)
    text += "[group:grp]\nprograms=g1,g2\n"
    return text


AUTOSTARTED = ["sentinel", "cat", "started", "static", "ticker", "nolog", "trapper", "nostdin",
               "doomed", "removeme", "grp:g1", "grp:g2"]


class Daemon:
    def __init__(self, kind, executable, root, port):
        self.kind = kind
        self.executable = executable
        self.dir = os.path.join(root, kind)
        self.port = port
        self.conf = os.path.join(self.dir, "daemon.conf")
        self.sock = os.path.join(self.dir, "rpc.sock")
        self.unix = Endpoint(unix_path=self.sock)
        self.tcp = Endpoint(port=port, auth=(USER, PASSWORD))
        self.proc = None
        self.out = None
        self.err = None
        os.makedirs(os.path.join(self.dir, "doomed"))
        with open(os.path.join(self.dir, "notexec.sh"), "w") as f:
            f.write("#!/bin/sh\necho never\n")
        os.chmod(os.path.join(self.dir, "notexec.sh"), 0o644)
        self.write_config()

    def write_config(self, **variant):
        with open(self.conf, "w") as f:
            f.write(build_config(self.dir, self.port, **variant))

    def start(self):
        self.out = open(os.path.join(self.dir, "stdout.txt"), "wb")
        self.err = open(os.path.join(self.dir, "stderr.txt"), "wb")
        self.proc = subprocess.Popen([self.executable, "-n", "-c", self.conf], cwd=self.dir,
                                     stdin=subprocess.DEVNULL, stdout=self.out, stderr=self.err)

    def call(self, method, *params, timeout=30):
        return self.unix.call(method, *params, timeout=timeout)

    def ok(self, method, *params, timeout=30):
        outcome = self.call(method, *params, timeout=timeout)
        if outcome[0] != "ok":
            raise AssertionError("%s: %s%r gave %r" % (self.kind, method, params, outcome))
        return outcome[1]

    def info(self, name):
        return self.ok("supervisor.getProcessInfo", name)

    def state_of(self, name):
        return self.info(name)["statename"]

    def wait_state(self, name, states, timeout=10):
        if isinstance(states, str):
            states = (states,)
        return wait_until(lambda: self.state_of(name) in states, timeout)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=25):
        """SIGTERM, wait with a deadline, then SIGKILL. Returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                fail("%s did not exit within %ds of SIGTERM; killed" % (self.kind, timeout))
                self.proc.kill()
                self.proc.wait(10)
        for f in (self.out, self.err):
            if f:
                f.close()
        return self.proc.returncode

    def stderr_text(self):
        try:
            with open(os.path.join(self.dir, "stderr.txt"), "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""


V = None  # vigild
S = None  # supervisord
POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4)


def on_both(fn):
    """fn(daemon) run on vigild and supervisord at the same time: (vigild's, supervisord's)."""
    fv = POOL.submit(fn, V)
    fs = POOL.submit(fn, S)
    return fv.result(), fs.result()


VOLATILE = ("start", "stop", "now", "pid", "description")


def strict(value):
    """value with every bool tagged, so that True and 1 (<boolean> and <int>) never compare
    equal."""
    if isinstance(value, bool):
        return ("<boolean>", value)
    if isinstance(value, (list, tuple)):
        return type(value)(strict(v) for v in value)
    if isinstance(value, dict):
        return {k: strict(v) for k, v in value.items()}
    return value


def normalize(value, daemon):
    """What may legitimately differ between the two daemons, blanked: their directories, the
    random part of AUTO log names, pids and times in process-info structs."""
    if isinstance(value, bool):
        return ("<boolean>", value)
    if isinstance(value, str):
        text = value.replace(daemon.dir, "<DIR>")
        return re.sub(r"-supervisor-[A-Za-z0-9_]+\.log", "-supervisor-<R>.log", text)
    if isinstance(value, (list, tuple)):
        return type(value)(normalize(v, daemon) for v in value)
    if isinstance(value, dict):
        masked = "statename" in value and "now" in value
        return {k: ("<%s>" % type(v).__name__ if masked and k in VOLATILE else
                    normalize(v, daemon)) for k, v in value.items()}
    return value


def is_result_struct(value):
    return isinstance(value, dict) and set(value) == {"name", "group", "status", "description"}


def by_name(value):
    """Arrays of result structs sorted, at any depth: they come in the order the operations
    finish, which timing decides in both daemons."""
    if isinstance(value, tuple):
        return tuple(by_name(v) for v in value)
    if isinstance(value, list):
        items = [by_name(v) for v in value]
        if items and all(is_result_struct(v) for v in items):
            items.sort(key=lambda r: (r["group"], r["name"]))
        return items
    return value


def differences(expected, actual, path="", limit=12):
    """Where two decoded values differ, as short lines."""
    out = []

    def walk(a, b, where):
        if len(out) >= limit or a == b:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b), key=str):
                if key not in b:
                    out.append("%s[%r]: only supervisord has it (%r)" % (where, key, a[key]))
                elif key not in a:
                    out.append("%s[%r]: only vigild has it (%r)" % (where, key, b[key]))
                else:
                    walk(a[key], b[key], "%s[%r]" % (where, key))
            return
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b)):
                label = i
                if isinstance(x, dict) and "name" in x:
                    label = "%d:%s" % (i, x["name"])
                walk(x, y, "%s[%s]" % (where, label))
            return
        out.append("%s: supervisord %r, vigild %r" % (where or "value", a, b))

    walk(expected, actual, path)
    return "\n    ".join(out)


def same(label, method, *params, sort=True):
    """Calls method on both daemons; their normalized outcomes must be equal. Returns vigild's."""
    v, s = on_both(lambda d: d.call(method, *params))
    nv, ns = normalize(v, V), normalize(s, S)
    if sort:
        nv, ns = by_name(nv), by_name(ns)
    check(nv == ns, "%s: %s%s differs from supervisord:\n    %s" %
          (label, method, short(params), differences(ns, nv)))
    return v


def short(params, limit=200):
    text = repr(tuple(params))
    return text if len(text) <= limit else text[:limit] + "...)"


def expect(label, outcome, expected):
    check(strict(outcome) == strict(expected), "%s: expected %r, vigild gave %r" %
          (label, expected, outcome))


SENTINEL_PID = None
MAIN_PHASE = False  # vigild must be alive after every section


def healthy(label):
    """vigild answers promptly and still supervises the sentinel with the same pid."""
    if not V.running():
        raise Fatal("%s: vigild exited with status %s" % (label, V.proc.returncode))
    t0 = time.monotonic()
    try:
        state = V.call("supervisor.getState", timeout=10)
        info = V.call("supervisor.getProcessInfo", "sentinel", timeout=10)
    except Exception as e:  # noqa: BLE001
        fail("%s: vigild does not answer any more: %r" % (label, e))
        return False
    elapsed = time.monotonic() - t0
    good = check(state == ("ok", {"statecode": 1, "statename": "RUNNING"}),
                 "%s: getState afterwards gave %r" % (label, state))
    good &= check(info[0] == "ok" and info[1]["statename"] == "RUNNING" and
                  info[1]["pid"] == SENTINEL_PID,
                  "%s: sentinel afterwards is %r (was RUNNING with pid %s)" %
                  (label, info, SENTINEL_PID))
    good &= check(elapsed < 3, "%s: vigild took %.1fs to answer afterwards" % (label, elapsed))
    good &= check(V.running(), "%s: vigild died" % label)
    return good


# ---------------------------------------------------------------------------------------------
# 1. Methods, results and types


PROCESS_INFO_TYPES = {
    "name": str, "group": str, "start": int, "stop": int, "now": int, "state": int,
    "statename": str, "spawnerr": str, "exitstatus": int, "logfile": str, "stdout_logfile": str,
    "stderr_logfile": str, "pid": int, "description": str,
}

CONFIG_INFO_KEYS = {
    "autostart", "directory", "uid", "command", "exitcodes", "group", "group_prio", "inuse",
    "killasgroup", "name", "process_prio", "redirect_stderr", "startretries", "startsecs",
    "stdout_capture_maxbytes", "stdout_events_enabled", "stdout_logfile",
    "stdout_logfile_backups", "stdout_logfile_maxbytes", "stdout_syslog", "stopsignal",
    "stopwaitsecs", "stderr_capture_maxbytes", "stderr_events_enabled", "stderr_logfile",
    "stderr_logfile_backups", "stderr_logfile_maxbytes", "stderr_syslog", "serverurl",
}


def check_process_info(label, info, daemon):
    if not check(isinstance(info, dict), "%s: not a struct: %r" % (label, info)):
        return
    check(set(info) == set(PROCESS_INFO_TYPES),
          "%s: keys %s, want the 14 of supervisord %s" %
          (label, sorted(info), sorted(PROCESS_INFO_TYPES)))
    for key, kind in PROCESS_INFO_TYPES.items():
        if key in info:
            check(type(info[key]) is kind, "%s: %s is %s %r, want %s" %
                  (label, key, type(info[key]).__name__, info[key], kind.__name__))
    if info.get("statename") == "RUNNING":
        pid = info.get("pid", 0)
        st = proc_stat(pid) if pid else None
        check(st is not None and st[1] == daemon.proc.pid,
              "%s: pid %s is not a live child of the daemon" % (label, pid))
        check(re.fullmatch(r"pid %d, uptime \d+:\d\d:\d\d" % pid, info.get("description", "")),
              "%s: description %r" % (label, info.get("description")))
        check(0 < info["start"] <= info["now"], "%s: start %r, now %r" %
              (label, info["start"], info["now"]))
    check(abs(info.get("now", 0) - time.time()) < 5, "%s: now %r is not the time" %
          (label, info.get("now")))


def test_methods():
    methods_v, methods_s = on_both(lambda d: d.call("system.listMethods"))
    check(methods_v == methods_s, "system.listMethods differs:\n    only supervisord: %s\n"
          "    only vigild: %s" % (
              sorted(set(methods_s[1]) - set(methods_v[1])) if methods_s[0] == "ok" else methods_s,
              sorted(set(methods_v[1]) - set(methods_s[1])) if methods_v[0] == "ok" else methods_v))
    methods = methods_v[1] if methods_v[0] == "ok" else []
    check(methods == sorted(methods), "system.listMethods is not sorted")
    check(all(type(m) is str for m in methods), "system.listMethods has non-strings")

    for method in ("supervisor.getAPIVersion", "supervisor.getVersion",
                   "supervisor.getSupervisorVersion", "supervisor.getIdentification",
                   "supervisor.getState"):
        same("simple method", method)
    expect("getAPIVersion", V.call("supervisor.getAPIVersion"), ("ok", "3.0"))
    expect("getVersion", V.call("supervisor.getVersion"), ("ok", "3.0"))
    expect("getState", V.call("supervisor.getState"),
           ("ok", {"statecode": 1, "statename": "RUNNING"}))
    expect("getPID", V.call("supervisor.getPID"), ("ok", V.proc.pid))
    expect("sendRemoteCommEvent", V.call("supervisor.sendRemoteCommEvent", "mytype", "data"),
           ("ok", True))
    same("sendRemoteCommEvent", "supervisor.sendRemoteCommEvent", "t\u00e9", "d\u00e4ta")

    # Introspection: every method's signature as supervisord derives it from its docstring.
    help_differs = []
    for method in sorted(set(methods) | set(methods_s[1] if methods_s[0] == "ok" else [])):
        same("system.methodSignature", "system.methodSignature", method)
        hv, hs = on_both(lambda d, m=method: d.call("system.methodHelp", m))
        check(hv[0] == "ok" and type(hv[1]) is str and hv[1],
              "system.methodHelp(%s) gave %r" % (method, hv))
        if normalize(hv, V) != normalize(hs, S):
            help_differs.append((method, hs, hv))
    if help_differs:
        method, hs, hv = help_differs[0]
        fail("system.methodHelp differs from supervisord for %d of %d methods, e.g. %s:\n"
             "    supervisord: %r\n    vigild:      %r" %
             (len(help_differs), len(methods), method, hs, hv))
    expect("methodSignature(getProcessInfo)",
           V.call("system.methodSignature", "supervisor.getProcessInfo"),
           ("ok", ["struct", "string"]))
    for bad in ("supervisor.nosuch", "nosuch", "system._listMethods"):
        same("SIGNATURE_UNSUPPORTED", "system.methodSignature", bad)
        same("SIGNATURE_UNSUPPORTED", "system.methodHelp", bad)
    expect("methodHelp unknown", V.call("system.methodHelp", "supervisor.nosuch"),
           ("fault", 4, "SIGNATURE_UNSUPPORTED"))


def wire(d, method, *params):
    """The raw reply: status, Content-Type, and the XML element names used."""
    status, headers, body = d.unix.request("POST", "/RPC2", rpc_body(method, params),
                                           {"Content-Type": "text/xml"}, 30)
    return status, headers.get("content-type"), sorted(set(re.findall(rb"<([A-Za-z0-9_.]+)",
                                                                      body)))


def test_wire_format():
    for method, params in (("supervisor.getState", ()), ("supervisor.getAllProcessInfo", ()),
                           ("supervisor.getAllConfigInfo", ()),
                           ("supervisor.tailProcessStdoutLog", ("started", 0, 3)),
                           ("supervisor.getProcessInfo", ("nosuch",)),
                           ("system.multicall", ([{"methodName": "supervisor.getPID"},
                                                  {"methodName": "x.y"}],))):
        v, s = on_both(lambda d, m=method, p=params: wire(d, m, *p))
        check(v == s, "%s%s on the wire:\n    supervisord: %r\n    vigild:      %r" %
              (method, short(params), s, v))
        check(v[1] == "text/xml" and not {b"nil", b"i4", b"i8", b"double"} & set(v[2]),
              "%s reply: %r" % (method, v))


def call_body(method, *values):
    """A methodCall whose params are raw <value> contents."""
    params = b"".join(b"<param><value>" + v + b"</value></param>" for v in values)
    return (b'<?xml version="1.0"?><methodCall><methodName>' + method +
            b"</methodName><params>" + params + b"</params></methodCall>")


def post_raw(d, body, url="/RPC2", timeout=10):
    status, _, data = d.unix.request("POST", url, body, {"Content-Type": "text/xml"}, timeout)
    return decode_reply(status, data)


REQUEST_BODIES = {
    # How supervisord's own request parser reads values (xmlrpc.py supervisor_xmlrpc_handler).
    "<i4>/<i8>": call_body(b"supervisor.readProcessStdoutLog", b"<string>started</string>",
                           b"<i4>0</i4>", b"<i8>3</i8>"),
    "ints with spaces and a sign": call_body(b"supervisor.readProcessStdoutLog",
                                             b"<string>started</string>", b"<int> +0 </int>",
                                             b"<int>\n3\n</int>"),
    "an int that is not one": call_body(b"supervisor.readProcessStdoutLog",
                                        b"<string>started</string>", b"<int>abc</int>",
                                        b"<int>3</int>"),
    "ints given as strings": call_body(b"supervisor.readProcessStdoutLog",
                                       b"<string>started</string>", b"<string>0</string>",
                                       b"<string>3</string>"),
    "ints given as doubles": call_body(b"supervisor.readProcessStdoutLog",
                                       b"<string>started</string>", b"<double>0.0</double>",
                                       b"<double>3.0</double>"),
    "a base64 name": call_body(b"supervisor.getProcessInfo", b"<base64>c2VudGluZWw=</base64>"),
    "CDATA": call_body(b"supervisor.getProcessInfo", b"<string><![CDATA[no<such>]]></string>"),
    "character references": call_body(b"supervisor.getProcessInfo",
                                      b"<string>&#110;o&amp;such&lt;</string>"),
    "UTF-8 name": call_body(b"supervisor.getProcessInfo", "n\u00f6\u2603".encode()),
    "an untyped value": call_body(b"supervisor.getProcessInfo", b"sentinel"),
    "an empty value": call_body(b"supervisor.getProcessInfo", b""),
    "an empty string": call_body(b"supervisor.getProcessInfo", b"<string/>"),
    "comments and a PI": b'<?xml version="1.0"?><!-- c --><?pi x?><methodCall><!-- c -->'
                         b"<methodName>supervisor.getAPIVersion</methodName></methodCall>",
    "a methodName with spaces": b"<methodCall><methodName> supervisor.getAPIVersion "
                                b"</methodName></methodCall>",
    "an empty methodName": b"<methodCall><methodName></methodName></methodCall>",
    "trailing junk": call_body(b"supervisor.getAPIVersion") + b"junk",
    "wait as <int>0": call_body(b"supervisor.startProcess", b"<string>nosuch</string>",
                                b"<int>0</int>"),
    "wait as a string": call_body(b"supervisor.startProcess", b"<string>nosuch</string>",
                                  b"<string>yes</string>"),
    "wait as <boolean>true": call_body(b"supervisor.startProcess", b"<string>nosuch</string>",
                                       b"<boolean>true</boolean>"),
    "multicall, untyped members": call_body(
        b"system.multicall", b"<array><data><value><struct><member><name>methodName</name>"
        b"<value>supervisor.getAPIVersion</value></member></struct></value></data></array>"),
    "multicall, params not an array": call_body(
        b"system.multicall", b"<array><data><value><struct><member><name>methodName</name>"
        b"<value>supervisor.getState</value></member><member><name>params</name><value>x"
        b"</value></member></struct></value></data></array>"),
}


def test_request_parsing():
    def outcome(d, body, url="/RPC2"):
        got = post_raw(d, body, url)
        return got[:2] if got[0] == "http" else got  # error pages differ, statuses must not

    for label, body in REQUEST_BODIES.items():
        v, s = on_both(lambda d, b=body: outcome(d, b))
        check(normalize(v, V) == normalize(s, S),
              "request with %s:\n    supervisord: %r\n    vigild:      %r" %
              (label, normalize(s, S), normalize(v, V)))
    # supervisord routes every path that starts with /RPC2 to XML-RPC.
    for url in ("/RPC2?x=1", "/RPC2/", "/RPC2/x"):
        v, s = on_both(lambda d, u=url: outcome(d, rpc_body("supervisor.getAPIVersion"), u))
        check(v == s, "POST %s: supervisord %r, vigild %r" % (url, s, v))


def test_process_info():
    all_v, all_s = on_both(lambda d: d.call("supervisor.getAllProcessInfo"))
    if not check(all_v[0] == "ok" and all_s[0] == "ok",
                 "getAllProcessInfo: vigild %r, supervisord %r" % (all_v[:2], all_s[:2])):
        return
    order_v = [(p["group"], p["name"]) for p in all_v[1]]
    order_s = [(p["group"], p["name"]) for p in all_s[1]]
    check(order_v == order_s, "getAllProcessInfo order\n    supervisord: %r\n    vigild:      %r"
          % (order_s, order_v))
    for p in all_v[1]:
        check_process_info("getAllProcessInfo[%s:%s]" % (p["group"], p["name"]), p, V)
    sv = {(p["group"], p["name"]): p for p in all_s[1]}
    for p in all_v[1]:
        q = sv.get((p["group"], p["name"]))
        if q is not None:
            check(normalize(p, V) == normalize(q, S),
                  "getAllProcessInfo[%s] differs from supervisord:\n    %s" %
                  (p["name"], differences(normalize(q, S), normalize(p, V))))
    for name in ("sentinel", "grp:g1", "nolog", "manual", "started"):
        v = same("getProcessInfo", "supervisor.getProcessInfo", name)
        if v[0] == "ok":
            check_process_info("getProcessInfo(%s)" % name, v[1], V)
    manual = V.info("manual")
    check(manual["description"] == "Not started" and manual["start"] == 0 and
          manual["pid"] == 0 and manual["statename"] == "STOPPED",
          "never started process: %r" % manual)
    nolog = V.info("nolog")
    check(nolog["logfile"] == "" and nolog["stdout_logfile"] == "" and
          nolog["stderr_logfile"] == "", "NONE logfiles must be '': %r" % nolog)
    started = V.info("started")
    check(started["logfile"] == started["stdout_logfile"] == V.dir + "/started.out",
          "started logfile: %r" % started)

    config_v = same("getAllConfigInfo", "supervisor.getAllConfigInfo")
    if config_v[0] == "ok":
        names = [c["name"] for c in config_v[1]]
        check(names == sorted(names), "getAllConfigInfo not sorted by name: %r" % names)
        for c in config_v[1]:
            check(set(c) == CONFIG_INFO_KEYS, "getAllConfigInfo[%s] keys: extra %s, missing %s" %
                  (c.get("name"), sorted(set(c) - CONFIG_INFO_KEYS),
                   sorted(CONFIG_INFO_KEYS - set(c))))
            check(type(c.get("stopsignal")) is int and type(c.get("autostart")) is bool and
                  type(c.get("exitcodes")) is list,
                  "getAllConfigInfo[%s] types: %r" % (c.get("name"), c))


# ---------------------------------------------------------------------------------------------
# 2. Faults


def test_faults():
    cases = [
        # BAD_NAME
        ("supervisor.getProcessInfo", "nosuch"),
        ("supervisor.getProcessInfo", "grp:"),
        ("supervisor.getProcessInfo", "grp:*"),
        ("supervisor.getProcessInfo", "grp:nosuch"),
        ("supervisor.getProcessInfo", "nosuch:g1"),
        ("supervisor.startProcess", "nosuch"),
        ("supervisor.startProcess", "grp:nosuch"),
        ("supervisor.startProcess", "nosuch:*"),
        ("supervisor.stopProcess", "nosuch"),
        ("supervisor.signalProcess", "nosuch", "HUP"),
        ("supervisor.readProcessStdoutLog", "nosuch", 0, 0),
        ("supervisor.readProcessStderrLog", "grp:", 0, 0),
        ("supervisor.tailProcessStdoutLog", "nosuch", 0, 10),
        ("supervisor.tailProcessStderrLog", "nosuch", 0, 10),
        ("supervisor.clearProcessLogs", "nosuch"),
        ("supervisor.clearProcessLogs", "grp:*"),
        ("supervisor.sendProcessStdin", "nosuch", "x"),
        ("supervisor.startProcessGroup", "nosuch"),
        ("supervisor.startProcessGroup", "g1"),
        ("supervisor.stopProcessGroup", "nosuch"),
        ("supervisor.signalProcessGroup", "nosuch", "HUP"),
        ("supervisor.addProcessGroup", "nosuch"),
        ("supervisor.removeProcessGroup", "nosuch"),
        # ALREADY_STARTED, NOT_RUNNING, BAD_SIGNAL
        ("supervisor.startProcess", "sentinel"),
        ("supervisor.startProcess", "grp:g1", False),
        ("supervisor.stopProcess", "manual"),
        ("supervisor.signalProcess", "manual", "HUP"),
        ("supervisor.signalProcess", "sentinel", "NOSUCHSIG"),
        ("supervisor.signalProcess", "sentinel", "99"),
        ("supervisor.signalProcess", "manual", "NOSUCHSIG"),
        ("supervisor.sendProcessStdin", "manual", "x"),
        # NO_FILE, NOT_EXECUTABLE
        ("supervisor.startProcess", "nofile"),
        ("supervisor.startProcess", "notexec"),
        ("supervisor.readProcessStdoutLog", "nolog", 0, 0),
        ("supervisor.readProcessStderrLog", "nolog", 0, 0),
        ("supervisor.readProcessLog", "nolog", -10, 0),
        # BAD_ARGUMENTS
        ("supervisor.readLog", -10, 5),
        ("supervisor.readLog", 0, -1),
        ("supervisor.readMainLog", -1, 1),
        ("supervisor.readProcessStdoutLog", "started", -3, 2),
        ("supervisor.readProcessStdoutLog", "started", 0, -5),
        ("supervisor.readProcessStderrLog", "started", -1, 1),
        # ALREADY_ADDED, STILL_RUNNING
        ("supervisor.addProcessGroup", "sentinel"),
        ("supervisor.addProcessGroup", "grp"),
        ("supervisor.removeProcessGroup", "sentinel"),
        ("supervisor.removeProcessGroup", "grp"),
        # UNKNOWN_METHOD
        ("supervisor.nosuch",),
        ("nosuch",),
        ("supervisor",),
        ("supervisor.getState.x",),
        ("supervisor._update", "x"),
        ("system._listMethods",),
        ("nosuch.getState",),
        # INCORRECT_PARAMETERS (arity; a non-string to sendProcessStdin)
        ("supervisor.getState", 1),
        ("supervisor.getProcessInfo",),
        ("supervisor.getProcessInfo", "a", "b"),
        ("supervisor.startProcess",),
        ("supervisor.startProcess", "manual", True, 1),
        ("supervisor.readLog", 0),
        ("supervisor.tailProcessStdoutLog", "started", 0),
        ("supervisor.signalAllProcesses",),
        ("system.listMethods", "x"),
        ("system.multicall",),
        ("system.methodHelp",),
        ("supervisor.sendProcessStdin", "cat", 5),
        ("supervisor.sendProcessStdin", "cat"),
    ]
    for case in cases:
        same("fault", *case)
    # The exact forms, independently of the oracle (supervisord.md 3.2/3.3).
    exact = [
        (("supervisor.getProcessInfo", "nosuch"), ("fault", 10, "BAD_NAME: nosuch")),
        (("supervisor.getProcessInfo", "grp:"), ("fault", 10, "BAD_NAME: grp:")),
        (("supervisor.startProcess", "sentinel"), ("fault", 60, "ALREADY_STARTED: sentinel")),
        (("supervisor.stopProcess", "manual"), ("fault", 70, "NOT_RUNNING: manual")),
        (("supervisor.signalProcess", "sentinel", "NOSUCHSIG"),
         ("fault", 11, "BAD_SIGNAL: NOSUCHSIG")),
        (("supervisor.startProcess", "nofile"),
         ("fault", 20, "NO_FILE: can't find command '/nonexistent/vigil-test-command'")),
        (("supervisor.startProcess", "notexec"),
         ("fault", 21, "NOT_EXECUTABLE: command at '%s/notexec.sh' is not executable" % V.dir)),
        (("supervisor.readProcessStdoutLog", "nolog", 0, 0), ("fault", 20, "NO_FILE")),
        (("supervisor.readLog", -10, 5), ("fault", 3, "BAD_ARGUMENTS")),
        (("supervisor.readProcessStdoutLog", "started", -3, 2), ("fault", 3, "BAD_ARGUMENTS")),
        (("supervisor.addProcessGroup", "sentinel"), ("fault", 90, "ALREADY_ADDED: sentinel")),
        (("supervisor.removeProcessGroup", "sentinel"),
         ("fault", 91, "STILL_RUNNING: sentinel")),
        (("supervisor.nosuch",), ("fault", 1, "UNKNOWN_METHOD")),
        (("supervisor.getState", 1), ("fault", 2, "INCORRECT_PARAMETERS")),
    ]
    for (method, *params), expected in exact:
        expect("%s%r" % (method, tuple(params)), V.call(method, *params), expected)


# ---------------------------------------------------------------------------------------------
# Logs


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


def test_logs():
    reads = [
        ("started", 0, 0), ("started", 0, 3), ("started", 2, 3), ("started", -3, 0),
        ("started", -100, 0), ("started", 100, 0), ("started", 8, 0), ("started", 3, 100),
        ("started", "0", "3"),
    ]
    for name, offset, length in reads:
        same("readProcessStdoutLog", "supervisor.readProcessStdoutLog", name, offset, length)
        same("readProcessLog", "supervisor.readProcessLog", name, offset, length)
    same("readProcessStderrLog", "supervisor.readProcessStderrLog", "started", 0, 0)
    same("readProcessStderrLog", "supervisor.readProcessStderrLog", "grp:g1", -10, 0)
    expect("readProcessStdoutLog(started,0,0)",
           V.call("supervisor.readProcessStdoutLog", "started", 0, 0), ("ok", "started\n"))
    expect("readProcessStdoutLog(started,-3,0)",
           V.call("supervisor.readProcessStdoutLog", "started", -3, 0), ("ok", "ed\n"))
    expect("readProcessStdoutLog(started,2,3)",
           V.call("supervisor.readProcessStdoutLog", "started", 2, 3), ("ok", "art"))
    tails = [(0, 3), (0, 100), (8, 10), (100, 10), (5, 3), (2, 3), (0, 0), (7, 1)]
    for offset, length in tails:
        for method in ("supervisor.tailProcessStdoutLog", "supervisor.tailProcessLog"):
            same("tail", method, "started", offset, length)
    same("tail", "supervisor.tailProcessStderrLog", "started", 0, 100)
    same("tail", "supervisor.tailProcessStdoutLog", "nolog", 0, 100)
    same("tail", "supervisor.tailProcessStderrLog", "nolog", 0, 100)
    expect("tailProcessStdoutLog(started,0,3)",
           V.call("supervisor.tailProcessStdoutLog", "started", 0, 3), ("ok", ["ed\n", 8, True]))
    expect("tailProcessStdoutLog(started,0,100)",
           V.call("supervisor.tailProcessStdoutLog", "started", 0, 100),
           ("ok", ["started\n", 8, False]))
    expect("tailProcessStdoutLog(nolog)", V.call("supervisor.tailProcessStdoutLog", "nolog", 0, 9),
           ("ok", ["", 0, False]))

    # The static program's file does not change: reads must match the bytes on disk.
    data = read_file(os.path.join(V.dir, "static.out")).decode()
    expect("static read all", V.call("supervisor.readProcessStdoutLog", "static", 0, 0),
           ("ok", data))
    expect("static read -1600", V.call("supervisor.readProcessStdoutLog", "static", -1600, 0),
           ("ok", data[-1600:]))
    expect("static read 100,50", V.call("supervisor.readProcessStdoutLog", "static", 100, 50),
           ("ok", data[100:150]))
    expect("static tail 0,1024", V.call("supervisor.tailProcessStdoutLog", "static", 0, 1024),
           ("ok", [data[-1024:], len(data), True]))
    expect("static tail from end", V.call("supervisor.tailProcessStdoutLog", "static",
                                          len(data), 1024), ("ok", ["", len(data), False]))

    # A length beyond the file reads what is there, without reserving the length asked for.
    def peak_rss_kib():
        with open("/proc/%d/status" % V.proc.pid) as f:
            return int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))

    started = read_file(os.path.join(V.dir, "started.out")).decode()
    before = peak_rss_kib()
    got = post_raw(V, call_body(b"supervisor.readProcessStdoutLog", b"<string>started</string>",
                                b"<int>0</int>", b"<int>268435456</int>"))
    grown = peak_rss_kib() - before
    expect("readProcessStdoutLog(started, 0, 256 MiB)", got, ("ok", started))
    check(grown < 64 * 1024, "readProcessStdoutLog(started, 0, 256 MiB) of an 8-byte file grew "
          "vigild's peak memory by %d MiB: it allocates the length asked for" % (grown // 1024))
    got = post_raw(V, call_body(b"supervisor.tailProcessStdoutLog", b"<string>started</string>",
                                b"<int>0</int>", b"<int>268435456</int>"))
    expect("tailProcessStdoutLog(started, 0, 256 MiB)", got,
           ("ok", [started, len(started), False]))

    # The main log, compared with the file itself (retried: the log may grow meanwhile).
    main_log = os.path.join(V.dir, "main.log")

    def main_log_matches():
        before = read_file(main_log).decode(errors="replace")
        got = V.call("supervisor.readLog", -200, 0)
        return got == ("ok", before[-200:]) or None

    check(wait_until(main_log_matches, 3), "readLog(-200, 0) is not the main log's last 200 bytes")
    whole = V.call("supervisor.readMainLog", 0, 0)
    check(whole[0] == "ok" and "vigild started with pid %d" % V.proc.pid in whole[1],
          "readMainLog(0,0): %r" % (whole[:2],))
    part = V.call("supervisor.readLog", 10, 20)
    check(part[0] == "ok" and part[1] == read_file(main_log).decode()[10:30],
          "readLog(10,20): %r" % (part,))


def test_stdin_and_signals():
    # sendProcessStdin to /bin/cat comes back in its log (UTF-8 encoded).
    text = "hello vigil\nh\u00e9llo \u2603\n"
    v, s = on_both(lambda d: d.call("supervisor.sendProcessStdin", "cat", text))
    expect("sendProcessStdin(cat)", v, ("ok", True))
    check(s == v, "sendProcessStdin: supervisord %r, vigild %r" % (s, v))
    for d in (V, S):
        got = wait_until(lambda d=d: text in d.ok("supervisor.readProcessStdoutLog", "cat", 0, 0),
                         5)
        check(got, "%s: what was sent to cat's stdin is not in its log: %r" %
              (d.kind, d.call("supervisor.readProcessStdoutLog", "cat", 0, 0)))
    check(text.encode() in read_file(os.path.join(V.dir, "cat.out")),
          "cat.out does not hold the UTF-8 bytes sent")
    # A megabyte through the 64 KiB pipe: all of it arrives, in order.
    big = "".join("%06d %s\n" % (i, "x" * 120) for i in range(8000))
    size_before = os.path.getsize(os.path.join(V.dir, "cat.out"))
    expect("sendProcessStdin(cat, 1 MB)", V.call("supervisor.sendProcessStdin", "cat", big),
           ("ok", True))
    check(wait_until(lambda: os.path.getsize(os.path.join(V.dir, "cat.out")) >=
                     size_before + len(big), 10),
          "1 MB sent to cat's stdin: only %d bytes came back" %
          (os.path.getsize(os.path.join(V.dir, "cat.out")) - size_before))
    check(big.encode() in read_file(os.path.join(V.dir, "cat.out")),
          "1 MB sent to cat's stdin came back altered")
    # A process that never reads its stdin: vigild must not block on the full pipe.
    for _ in range(3):
        expect("sendProcessStdin(nolog, 1 MB)", V.call("supervisor.sendProcessStdin", "nolog",
                                                       big), ("ok", True))
    t0 = time.monotonic()
    check(V.call("supervisor.getState")[0] == "ok" and time.monotonic() - t0 < 2,
          "vigild is slow or stuck after filling a stdin pipe nobody reads")
    check(V.state_of("nolog") == "RUNNING", "nolog not RUNNING after its stdin filled up")
    # A process whose stdin is closed: NO_FILE (EPIPE).
    same("sendProcessStdin to a closed stdin", "supervisor.sendProcessStdin", "nostdin", "x\n")
    check(V.running(), "vigild died on a write to a closed stdin pipe")

    # signalProcess, by name and by number, reaches the process.
    for sig, word in (("USR1", "got USR1"), ("1", "got HUP")):
        v = same("signalProcess", "supervisor.signalProcess", "trapper", sig)
        expect("signalProcess(trapper, %s)" % sig, v, ("ok", True))
        for d in (V, S):
            check(wait_until(lambda d=d: word in d.ok("supervisor.readProcessStdoutLog",
                                                       "trapper", 0, 0), 5),
                  "%s: trapper did not log %r after signal %s" % (d.kind, word, sig))
    same("signalProcess SIGWINCH", "supervisor.signalProcess", "sentinel", "WINCH")
    same("signalProcess SIGWINCH", "supervisor.signalProcess", "sentinel", "SIGWINCH")
    same("signalProcess 28", "supervisor.signalProcess", "sentinel", "28")
    same("signalProcess g:*", "supervisor.signalProcess", "grp:*", "WINCH")
    same("signalProcessGroup", "supervisor.signalProcessGroup", "grp", "WINCH")
    same("signalProcessGroup bad signal", "supervisor.signalProcessGroup", "grp", "NOSUCHSIG",
         sort=True)
    same("signalAllProcesses", "supervisor.signalAllProcesses", "WINCH", sort=True)
    v = V.call("supervisor.signalProcessGroup", "grp", "WINCH")
    expect("signalProcessGroup(grp)", v, ("ok", [
        {"name": "g1", "group": "grp", "status": 80, "description": "OK"},
        {"name": "g2", "group": "grp", "status": 80, "description": "OK"}]))
    for name in ("sentinel", "grp:g1", "grp:g2", "cat"):
        check(V.state_of(name) == "RUNNING", "%s is not RUNNING after SIGWINCH" % name)


def test_start_stop():
    def timed(d, method, *params):
        t0 = time.monotonic()
        outcome = d.call(method, *params)
        return outcome, time.monotonic() - t0, d.state_of("manual")

    # wait=true: returns once RUNNING (startsecs=1).
    (v, tv, sv), (s, ts, ss) = on_both(lambda d: timed(d, "supervisor.startProcess", "manual",
                                                        True))
    expect("startProcess(manual, true)", v, ("ok", True))
    check(s == v, "startProcess(manual,true): supervisord %r" % (s,))
    check(tv >= 0.9, "startProcess(manual, true) returned after %.2fs, before startsecs=1" % tv)
    check(sv == "RUNNING", "after startProcess(manual, true): %s" % sv)
    (v, tv, sv), (s, ts, ss) = on_both(lambda d: timed(d, "supervisor.stopProcess", "manual",
                                                        True))
    expect("stopProcess(manual, true)", v, ("ok", True))
    check(sv == "STOPPED", "after stopProcess(manual, true): %s (supervisord %s)" % (sv, ss))
    info = V.info("manual")
    check(re.fullmatch(r"[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M", info["description"]) and
          info["stop"] >= info["start"] > 0,
          "stopped process description/times: %r" % info)
    # wait=false: returns at once, STARTING.
    (v, tv, sv), (s, ts, ss) = on_both(lambda d: timed(d, "supervisor.startProcess", "manual",
                                                        False))
    expect("startProcess(manual, false)", v, ("ok", True))
    check(tv < 1.0, "startProcess(manual, false) took %.2fs" % tv)
    check(sv == ss == "STARTING", "after startProcess(manual, false): vigild %s, supervisord %s"
          % (sv, ss))
    for d in (V, S):
        check(d.wait_state("manual", "RUNNING", 5), "%s: manual never RUNNING" % d.kind)
    (v, tv, sv), (s, ts, ss) = on_both(lambda d: timed(d, "supervisor.stopProcess", "manual",
                                                        False))
    expect("stopProcess(manual, false)", v, ("ok", True))
    check(sv in ("STOPPING", "STOPPED"), "after stopProcess(manual, false): %s" % sv)
    for d in (V, S):
        check(d.wait_state("manual", "STOPPED", 5), "%s: manual never STOPPED" % d.kind)

    # While a start waits, the server keeps answering others.
    result = {}

    def slow_start():
        t0 = time.monotonic()
        result["outcome"] = V.call("supervisor.startProcess", "manual", True)
        result["elapsed"] = time.monotonic() - t0

    thread = threading.Thread(target=slow_start)
    thread.start()
    try:
        check(wait_until(lambda: V.state_of("manual") == "STARTING", 3),
              "manual never STARTING")
        t0 = time.monotonic()
        state = V.call("supervisor.getState")
        latency = time.monotonic() - t0
        check(state[0] == "ok" and latency < 1.0,
              "getState during a waiting startProcess: %r after %.2fs" % (state, latency))
    finally:
        thread.join(15)
    expect("startProcess(manual, true) beside other calls", result.get("outcome"), ("ok", True))
    V.ok("supervisor.stopProcess", "manual")

    # ABNORMAL_TERMINATION: a process stopped while a start waits for it.
    def start_then_stop(d):
        box = {}
        t = threading.Thread(target=lambda: box.setdefault(
            "outcome", d.call("supervisor.startProcess", "manual", True)))
        t.start()
        try:
            d.wait_state("manual", "STARTING", 3)
            d.call("supervisor.stopProcess", "manual", True)
        finally:
            t.join(15)
        return box.get("outcome")

    v, s = on_both(start_then_stop)
    check(normalize(v, V) == normalize(s, S),
          "start interrupted by a stop:\n    supervisord: %r\n    vigild:      %r" % (s, v))
    expect("start interrupted by a stop", v, ("fault", 40, "ABNORMAL_TERMINATION: manual"))

    # Two clients start the same process: the second is told it is already started.
    def double_start(d):
        box = {}
        t = threading.Thread(target=lambda: box.setdefault(
            "first", d.call("supervisor.startProcess", "manual", True)))
        t.start()
        try:
            d.wait_state("manual", "STARTING", 3)
            second = d.call("supervisor.startProcess", "manual", True)
        finally:
            t.join(15)
        d.call("supervisor.stopProcess", "manual")
        return box.get("first"), second

    v, s = on_both(double_start)
    check(v == s, "two concurrent starts:\n    supervisord: %r\n    vigild:      %r" % (s, v))
    expect("two concurrent starts", v, (("ok", True),
                                        ("fault", 60, "ALREADY_STARTED: manual")))

    # SPAWN_ERROR: exits before startsecs; a directory that does not exist.
    same("startProcess(quick)", "supervisor.startProcess", "quick")
    same("startProcess(baddir)", "supervisor.startProcess", "baddir")
    for name in ("quick", "baddir"):
        sv, ss = on_both(lambda d, n=name: d.wait_state(n, ("FATAL",), 5) and d.state_of(n))
        check(sv == ss, "%s after a failed start: vigild %s, supervisord %s" % (name, sv, ss))
    for name in ("quick",):
        v, s = on_both(lambda d, n=name: d.info(n))
        for key in ("statename", "spawnerr", "exitstatus", "description"):
            check(v.get(key) == s.get(key), "getProcessInfo(%s)[%s]: supervisord %r, vigild %r"
                  % (name, key, s.get(key), v.get(key)))

    # Groups and g:* / g: forms.
    same("stopProcessGroup", "supervisor.stopProcessGroup", "grp", True)
    for d in (V, S):
        check(d.state_of("grp:g1") == d.state_of("grp:g2") == "STOPPED",
              "%s: grp not STOPPED after stopProcessGroup" % d.kind)
    same("stopProcessGroup again", "supervisor.stopProcessGroup", "grp")
    same("startProcessGroup", "supervisor.startProcessGroup", "grp", True)
    for d in (V, S):
        check(d.state_of("grp:g1") == d.state_of("grp:g2") == "RUNNING",
              "%s: grp not RUNNING after startProcessGroup" % d.kind)
    same("startProcessGroup again", "supervisor.startProcessGroup", "grp")
    same("stopProcess g:*", "supervisor.stopProcess", "grp:*")
    same("startProcess g: wait=false", "supervisor.startProcess", "grp:", False)
    for d in (V, S):
        check(d.wait_state("grp:g1", "RUNNING") and d.wait_state("grp:g2", "RUNNING"),
              "%s: grp not RUNNING after startProcess(grp:)" % d.kind)
    same("stopProcessGroup wait=false", "supervisor.stopProcessGroup", "grp", False)
    for d in (V, S):
        check(d.wait_state("grp:g1", "STOPPED") and d.wait_state("grp:g2", "STOPPED"),
              "%s: grp not STOPPED after stopProcessGroup(grp, false)" % d.kind)
    same("startProcessGroup wait=false", "supervisor.startProcessGroup", "grp", False)
    for d in (V, S):
        check(d.wait_state("grp:g1", "RUNNING") and d.wait_state("grp:g2", "RUNNING"),
              "%s: grp not RUNNING after startProcessGroup(grp, false)" % d.kind)

    # All processes.
    v = same("stopAllProcesses", "supervisor.stopAllProcesses", True, sort=True)
    if v[0] == "ok":
        check(all(r["status"] == 80 and r["description"] == "OK" for r in v[1]),
              "stopAllProcesses results: %r" % v[1])
    for d in (V, S):
        states = {p["name"]: p["statename"] for p in d.ok("supervisor.getAllProcessInfo")}
        check(all(s in ("STOPPED", "EXITED", "FATAL") for s in states.values()),
              "%s: after stopAllProcesses: %r" % (d.kind, states))
    same("stopAllProcesses again", "supervisor.stopAllProcesses")
    same("startAllProcesses", "supervisor.startAllProcesses", True, sort=True)
    for d in (V, S):
        for name in AUTOSTARTED + ["manual"]:
            check(d.wait_state(name, "RUNNING", 5), "%s: %s not RUNNING after startAllProcesses"
                  % (d.kind, name))
    # wait=false: supervisord reports a chdir failure only later (its child exits 127), vigild
    # at once (docs/design.md, Spawning: the real error is a spawn error). Compared without
    # baddir, whose entry is checked for vigild's documented answer.
    v, s = on_both(lambda d: d.call("supervisor.startAllProcesses", False))
    if check(v[0] == "ok" and s[0] == "ok", "startAllProcesses(false): vigild %r, supervisord %r"
             % (v[:2], s[:2])):
        rv = [r for r in by_name(normalize(v[1], V)) if r["name"] != "baddir"]
        rs = [r for r in by_name(normalize(s[1], S)) if r["name"] != "baddir"]
        # supervisord reaps once right after each spawn: when quick (exit 3 at once) has died
        # by then, which only happens when the machine is busy, it answers SPAWN_ERROR for it
        # instead of OK. Its usual answer is the one compared.
        rs = [dict(r, status=80, description="OK")
              if r["name"] == "quick" and r["description"] == "SPAWN_ERROR: quick" else r
              for r in rs]
        check(rv == rs, "startAllProcesses(false) differs from supervisord:\n    %s" %
              differences(rs, rv))
        expect("startAllProcesses(false)[baddir]", [r for r in v[1] if r["name"] == "baddir"],
               [{"name": "baddir", "group": "baddir", "status": 50,
                 "description": "SPAWN_ERROR: baddir"}])
    for d in (V, S):
        d.call("supervisor.stopProcess", "manual")


def test_clear_logs():
    for d in (V, S):
        d.ok("supervisor.sendProcessStdin", "cat", "before clearing\n")
        wait_until(lambda d=d: "before clearing" in d.ok("supervisor.readProcessStdoutLog",
                                                          "cat", 0, 0), 5)
    v = same("clearProcessLogs", "supervisor.clearProcessLogs", "cat")
    expect("clearProcessLogs(cat)", v, ("ok", True))
    same("after clearProcessLogs", "supervisor.readProcessStdoutLog", "cat", 0, 0)
    expect("cat's log after clearProcessLogs", V.call("supervisor.readProcessStdoutLog", "cat",
                                                      0, 0), ("ok", ""))
    # The log is reopened: what comes next is written again.
    for d in (V, S):
        d.ok("supervisor.sendProcessStdin", "cat", "after clearing\n")
        check(wait_until(lambda d=d: d.ok("supervisor.readProcessStdoutLog", "cat", 0, 0) ==
                         "after clearing\n", 5),
              "%s: cat's log after clear+write: %r" % (
                  d.kind, d.call("supervisor.readProcessStdoutLog", "cat", 0, 0)))
    same("clearProcessLog alias", "supervisor.clearProcessLog", "grp:g1")
    # FAILED: the log directory is gone, the log cannot be reopened.
    for d in (V, S):
        shutil.rmtree(os.path.join(d.dir, "doomed"))
    same("clearProcessLogs with its directory gone", "supervisor.clearProcessLogs", "doomed")
    for d in (V, S):
        os.makedirs(os.path.join(d.dir, "doomed"), exist_ok=True)
    same("clearAllProcessLogs", "supervisor.clearAllProcessLogs", sort=True)
    check(V.running(), "vigild died clearing logs")
    # clearLog: the main log starts again.
    size_before = os.path.getsize(os.path.join(V.dir, "main.log"))
    same("clearLog", "supervisor.clearLog")
    size_after = os.path.getsize(os.path.join(V.dir, "main.log"))
    check(size_after < size_before, "main log %d bytes before clearLog, %d after" %
          (size_before, size_after))


def test_multicall():
    calls = [
        {"methodName": "supervisor.getAPIVersion", "params": []},
        {"methodName": "supervisor.getProcessInfo", "params": ["nosuch"]},
        {"methodName": "system.multicall", "params": [[]]},
        {"params": []},
        {"methodName": "supervisor.startProcess", "params": ["manual", True]},
        {"methodName": "supervisor.getProcessInfo", "params": ["manual"]},
        {"methodName": "supervisor.stopProcess", "params": ["manual"]},
        {"methodName": "supervisor.getState"},
        {"methodName": "supervisor.nosuch", "params": []},
        {"methodName": "supervisor.getState", "params": [1]},
        {"methodName": "supervisor.readProcessStdoutLog", "params": ["started", -3, 2]},
        {"methodName": "supervisor.tailProcessStdoutLog", "params": ["started", 0, 3]},
    ]
    v = same("multicall", "system.multicall", calls)
    if v[0] == "ok" and check(len(v[1]) == len(calls), "multicall gave %d results for %d calls" %
                              (len(v[1]), len(calls))):
        r = v[1]
        expect("multicall[0]", r[0], "3.0")
        expect("multicall[1]", r[1], {"faultCode": 10, "faultString": "BAD_NAME: nosuch"})
        expect("multicall[2]", r[2], {"faultCode": 2, "faultString":
                                      "INCORRECT_PARAMETERS: Recursive system.multicall "
                                      "forbidden"})
        expect("multicall[3]", r[3], {"faultCode": 2,
                                      "faultString": "INCORRECT_PARAMETERS: No methodName"})
        expect("multicall[4]", r[4], True)
        check(isinstance(r[5], dict) and r[5].get("statename") == "RUNNING",
              "multicall: a deferred start is awaited before the next call: %r" % (r[5],))
        expect("multicall[6]", r[6], True)
        expect("multicall[7]", r[7], {"statecode": 1, "statename": "RUNNING"})
        expect("multicall[8]", r[8], {"faultCode": 1, "faultString": "UNKNOWN_METHOD"})
        expect("multicall[9]", r[9], {"faultCode": 2, "faultString": "INCORRECT_PARAMETERS"})
        expect("multicall[10]", r[10], {"faultCode": 3, "faultString": "BAD_ARGUMENTS"})
        data = read_file(os.path.join(V.dir, "started.out")).decode()
        expect("multicall[11]", r[11], [data[-3:], len(data), True])
    same("empty multicall", "system.multicall", [])
    same("multicall of group calls", "system.multicall", [
        {"methodName": "supervisor.stopProcessGroup", "params": ["grp"]},
        {"methodName": "supervisor.startProcess", "params": ["grp:*"]},
    ])
    for d in (V, S):
        check(d.wait_state("grp:g1", "RUNNING") and d.wait_state("grp:g2", "RUNNING"),
              "%s: grp not RUNNING after the multicall" % d.kind)


def test_reload():
    for d in (V, S):
        d.write_config(removeme=False, added=True, g2_changed=True)
    v = same("reloadConfig", "supervisor.reloadConfig")
    expect("reloadConfig", v, ("ok", [[["added"], ["grp"], ["removeme"]]]))
    same("getAllConfigInfo after reloadConfig", "supervisor.getAllConfigInfo")
    same("getProcessInfo(added) before addProcessGroup", "supervisor.getProcessInfo", "added")
    v = same("addProcessGroup", "supervisor.addProcessGroup", "added")
    expect("addProcessGroup(added)", v, ("ok", True))
    same("addProcessGroup twice", "supervisor.addProcessGroup", "added")
    for d in (V, S):
        check(d.wait_state("added", "RUNNING", 5), "%s: added group did not start" % d.kind)
    v = same("removeProcessGroup of a running group", "supervisor.removeProcessGroup", "removeme")
    expect("removeProcessGroup(removeme) running", v, ("fault", 91, "STILL_RUNNING: removeme"))
    same("stopProcessGroup(removeme)", "supervisor.stopProcessGroup", "removeme")
    v = same("removeProcessGroup", "supervisor.removeProcessGroup", "removeme")
    expect("removeProcessGroup(removeme)", v, ("ok", True))
    same("getProcessInfo after remove", "supervisor.getProcessInfo", "removeme")
    same("removeProcessGroup twice", "supervisor.removeProcessGroup", "removeme")
    same("reloadConfig again", "supervisor.reloadConfig")
    same("getAllConfigInfo after add/remove", "supervisor.getAllConfigInfo")
    # CANT_REREAD: a broken file; the running configuration stays.
    for d in (V, S):
        d.write_config(removeme=False, added=True, g2_changed=True, broken=True)
    v = same("reloadConfig of a broken file", "supervisor.reloadConfig")
    check(v[0] == "fault" and v[1] == 92 and v[2].startswith("CANT_REREAD: "),
          "reloadConfig of a broken file: %r" % (v,))
    for d in (V, S):
        d.write_config(removeme=False, added=True, g2_changed=True)
    check(V.state_of("sentinel") == "RUNNING", "sentinel not RUNNING after a failed reread")


# ---------------------------------------------------------------------------------------------
# 3. HTTP-level robustness (vigild; supervisord's status where it is meaningful)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%s;" % (b"" if i == 1 else b"%d" % (i - 1)))
                                              * 10) for i in range(1, 10))
    + b"]>\n<methodCall><methodName>supervisor.getState</methodName><params><param><value>"
      b"<string>&lol9;</string></value></param></params></methodCall>")
XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
       b"<methodCall><methodName>supervisor.getProcessInfo</methodName><params><param><value>"
       b"<string>&e;</string></value></param></params></methodCall>")


def deep_body(levels):
    return (b"<methodCall><methodName>system.listMethods</methodName><params><param><value>"
            + b"<array><data><value>" * levels + b"</value></data></array>" * levels
            + b"</value></param></params></methodCall>")


def timed_request(endpoint, method, url, body=None, headers=None, timeout=30):
    t0 = time.monotonic()
    status, hdrs, data = endpoint.request(method, url, body, headers, timeout)
    return status, hdrs, data, time.monotonic() - t0


def test_http_robustness():
    # Statuses that supervisord gives too.
    for label, method, body in (("GET /RPC2", "GET", None),
                                ("malformed XML", "POST", b"<methodCall><methodName>x"),
                                ("not XML", "POST", b"hello"),
                                ("no methodName", "POST", b"<methodCall><params/></methodCall>")):
        (sv, _, _, tv), (ss, _, _, _) = on_both(
            lambda d, m=method, b=body: timed_request(d.unix, m, "/RPC2", b))
        check(sv == ss == 400, "%s: vigild %s, supervisord %s (want 400)" % (label, sv, ss))
        check(tv < 2, "%s: took %.1fs" % (label, tv))
        healthy(label)
    # (supervisord never answers an empty POST: medusa waits for a body of 0 bytes.)
    status, _, _, elapsed = timed_request(V.unix, "POST", "/RPC2", b"", timeout=10)
    check(status == 400 and elapsed < 2, "empty body: HTTP %s after %.1fs (want 400)" %
          (status, elapsed))
    healthy("empty body")
    same("untyped value is a string", "supervisor.getProcessInfo", "sentinel")
    v, s = on_both(lambda d: decode_reply(*d.unix.request(
        "POST", "/RPC2", b"<methodCall><methodName>supervisor.getProcessInfo</methodName><params>"
        b"<param><value>nosuch</value></param></params></methodCall>")[::2]))
    check(v == s == ("fault", 10, "BAD_NAME: nosuch"),
          "untyped <value>: vigild %r, supervisord %r" % (v, s))
    v, s = on_both(lambda d: decode_reply(*d.unix.request(
        "POST", "/RPC2", b"<methodCall><methodName>supervisor.getState</methodName>"
        b"</methodCall>")[::2]))
    check(v == s and v[0] == "ok", "no <params>: vigild %r, supervisord %r" % (v, s))

    # Entity expansion and external entities are refused, quickly.
    for label, body in (("billion laughs", BILLION_LAUGHS), ("external entity", XXE),
                        ("10000-deep arrays", deep_body(10000))):
        status, _, data, elapsed = timed_request(V.unix, "POST", "/RPC2", body, timeout=20)
        check(status == 400, "%s: HTTP %s %r (want 400)" % (label, status, data[:100]))
        check(elapsed < 2, "%s: took %.1fs" % (label, elapsed))
        healthy(label)

    # 20 MB: 413, and vigild lives.
    big = (b"<methodCall><methodName>supervisor.getState</methodName><params><param><value>"
           b"<string>" + b"A" * (20 * 1024 * 1024) + b"</string></value></param></params>"
           b"</methodCall>")
    try:
        status, _, data, elapsed = timed_request(V.unix, "POST", "/RPC2", big, timeout=60)
        check(status == 413, "20 MB body: HTTP %s %r (want 413)" % (status, data[:100]))
    except (ConnectionError, OSError) as e:
        fail("20 MB body: no 413, the connection broke: %r" % e)
    healthy("20 MB body")
    # Just under the limit still works (a 15 MiB string to an arity error).
    near = (b"<methodCall><methodName>supervisor.getState</methodName><params><param><value>"
            b"<string>" + b"B" * (15 * 1024 * 1024) + b"</string></value></param></params>"
            b"</methodCall>")
    status, _, data, elapsed = timed_request(V.unix, "POST", "/RPC2", near, timeout=60)
    check(decode_reply(status, data) == ("fault", 2, "INCORRECT_PARAMETERS"),
          "15 MiB body: %s %r" % (status, data[:200]))
    healthy("15 MiB body")

    # A Content-Length of 20 MB and then nothing: close.
    sock = V.unix.raw_socket()
    sock.sendall(b"POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 20971520\r\n\r\n"
                 b"<methodCall>")
    sock.close()
    healthy("announced 20 MB, sent nothing")

    # Garbage bytes, answered or dropped, then closed.
    sock = V.unix.raw_socket()
    sock.sendall(os.urandom(8192) + b"\r\n\r\n")
    reader = RawResponseReader(sock)
    try:
        status, _ = reader.head(time.monotonic() + 5)
        check(400 <= status < 500, "garbage bytes: HTTP %s" % status)
    except (ConnectionError, OSError):
        pass  # dropped: fine
    except TimeoutError:
        fail("garbage bytes: neither an answer nor a close within 5s")
    sock.close()
    healthy("garbage bytes")
    sock = V.unix.raw_socket()
    sock.sendall(os.urandom(100000))
    sock.close()
    healthy("garbage bytes, closed at once")

    # Half requests held open while others are served, then closed.
    for label, partial in (("half headers", b"POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nConte"),
                           ("half body", b"POST /RPC2 HTTP/1.1\r\nHost: localhost\r\n"
                                         b"Content-Length: 500\r\n\r\n<methodCall><method"),
                           ("request line only", b"GET /RPC2 HTTP/1.1\r\n")):
        sock = V.unix.raw_socket()
        try:
            sock.sendall(partial)
            healthy(label + " (held open)")
        finally:
            sock.close()
        healthy(label + " (closed)")

    # Odd request lines.
    for label, data in (("no version", b"GET /RPC2\r\n\r\n"),
                        ("bad method", b"BREW /RPC2 HTTP/1.1\r\nHost: x\r\n\r\n"),
                        ("HTTP/9.9",
                         b"POST /RPC2 HTTP/9.9\r\nHost: x\r\nContent-Length: 0\r\n\r\n"),
                        ("huge header", b"GET /RPC2 HTTP/1.1\r\nHost: x\r\nX-Big: " +
                         b"a" * 200000 + b"\r\n\r\n")):
        sock = V.unix.raw_socket()
        try:
            sock.sendall(data)
            reader = RawResponseReader(sock)
            try:
                status, _ = reader.head(time.monotonic() + 5)
                check(status >= 400, "%s: HTTP %s" % (label, status))
            except (ConnectionError, OSError):
                pass
            except TimeoutError:
                fail("%s: neither an answer nor a close within 5s" % label)
        finally:
            sock.close()
        healthy(label)

    # HTTP/1.0 without Host; keep-alive with several calls; pipelining.
    sock = V.unix.raw_socket()
    try:
        sock.sendall(raw_request("supervisor.getAPIVersion", host=None, version="1.0"))
        reader = RawResponseReader(sock)
        status, headers, body = reader.response(time.monotonic() + 5)
        check(decode_reply(status, body) == ("ok", "3.0"), "HTTP/1.0: %s %r" % (status, body))
    finally:
        sock.close()
    conn = UnixHTTPConnection(V.sock, 10)
    try:
        for i in range(5):
            conn.request("POST", "/RPC2", rpc_body("supervisor.getPID"),
                         {"Content-Type": "text/xml"})
            response = conn.getresponse()
            check(decode_reply(response.status, response.read()) == ("ok", V.proc.pid),
                  "keep-alive call %d failed" % i)
    finally:
        conn.close()
    sock = V.unix.raw_socket()
    try:
        sock.sendall(b"".join(raw_request("supervisor.readProcessStdoutLog", ("started", 0, i))
                              for i in range(1, 11)))
        reader = RawResponseReader(sock)
        got = [decode_reply(*reader.response(time.monotonic() + 5)[::2]) for _ in range(10)]
        data = read_file(os.path.join(V.dir, "started.out")).decode()
        check(got == [("ok", data[:i]) for i in range(1, 11)],
              "pipelined requests answered %r" % got)
    finally:
        sock.close()
    healthy("keep-alive and pipelining")

    # 200 concurrent connections held open; half of them with a request in flight.
    socks = []
    try:
        for i in range(200):
            sock = V.unix.raw_socket()
            socks.append(sock)
            if i % 2 == 0:
                sock.sendall(raw_request("supervisor.getState"))
        healthy("200 connections held open")
        for i in range(0, 200, 2):
            try:
                reply = RawResponseReader(socks[i]).response(time.monotonic() + 10)
                got = decode_reply(reply[0], reply[2])
            except Exception as e:  # noqa: BLE001
                got = repr(e)
            if not check(got == ("ok", {"statecode": 1, "statename": "RUNNING"}),
                         "connection %d of 200 got %r" % (i, got)):
                break
    finally:
        for sock in socks:
            sock.close()
    healthy("200 connections closed")

    # A request sent whole, the socket closed at once: supervisord still carries it out.
    def fire_and_forget(d):
        sock = d.unix.raw_socket()
        sock.sendall(raw_request("supervisor.startProcess", ("manual", False)))
        sock.close()
        started = bool(d.wait_state("manual", ("STARTING", "RUNNING"), 3))
        d.call("supervisor.stopProcess", "manual")
        d.wait_state("manual", ("STOPPED",), 5)
        return started

    v, s = on_both(fire_and_forget)
    check(v == s, "startProcess(manual, false) sent on the unix socket, which the client then "
          "closed at once: supervisord %s, vigild %s" % (
              "carried it out" if s else "ignored it", "carried it out" if v else "ignored it"))
    healthy("request sent and socket closed")

    # Clients that leave while their start/stop/multicall waits for its answer.
    for method, params, busy, settle in (
            ("supervisor.startProcess", ("manual", True), ("STARTING",), "RUNNING"),
            ("supervisor.stopProcess", ("manual", True), ("STOPPING", "STOPPED"), "STOPPED"),
            ("system.multicall", ([{"methodName": "supervisor.startProcess",
                                    "params": ["manual"]},
                                   {"methodName": "supervisor.getState"}],),
             ("STARTING",), "RUNNING")):
        sock = V.unix.raw_socket()
        try:
            sock.sendall(raw_request(method, params))
            check(V.wait_state("manual", busy, 3), "%s%s: manual never %s" %
                  (method, short(params), "/".join(busy)))
        finally:
            sock.close()
        healthy("a client gone while %s%s waits" % (method, short(params)))
        check(V.wait_state("manual", settle, 5), "manual not %s after an abandoned %s" %
              (settle, method))
    V.call("supervisor.stopProcess", "manual")
    healthy("abandoned deferred calls")

    # A client that sends requests and never reads the replies.
    many = [{"methodName": "system.listMethods", "params": []}] * 300
    sock = V.unix.raw_socket()
    try:
        sock.setblocking(False)
        payload = b"".join(raw_request("system.multicall", (many,)) for _ in range(30))
        try:
            sent = sock.send(payload)
        except BlockingIOError:
            sent = 0
        check(sent > 0, "could not send to vigild at all")
        healthy("a client that does not read (held)")
    finally:
        sock.close()
    healthy("a client that does not read (closed)")
    sock = V.unix.raw_socket()
    try:
        sock.sendall(b"GET /logtail/ticker HTTP/1.1\r\nHost: localhost\r\n\r\n")
        healthy("a log tail that is not read (held)")
    finally:
        sock.close()
    healthy("a log tail that is not read (closed)")


# ---------------------------------------------------------------------------------------------
# 4. Authentication


def test_auth():
    # vigild and supervisord: same config, port with username and {SHA} password.
    for label, auth, want in (("no credentials", None, 401),
                              ("wrong password", basic(USER, "wrong"), 401),
                              ("wrong user", basic("nobody", PASSWORD), 401),
                              ("the SHA hex as password", basic(USER, PASSWORD_SHA), 401),
                              ("right credentials", basic(USER, PASSWORD), 200)):
        def ask(d, auth=auth):
            headers = {"Content-Type": "text/xml"}
            if auth:
                headers["Authorization"] = auth
            return Endpoint(port=d.port).request("POST", "/RPC2", rpc_body("supervisor.getState"),
                                                  headers, 10)

        (sv, hv, bv), (ss, hs, bs) = on_both(ask)
        check(sv == ss == want, "TCP %s: vigild HTTP %s, supervisord %s (want %s)" %
              (label, sv, ss, want))
        if want == 401:
            check(hv.get("www-authenticate") == 'Basic realm="default"',
                  "TCP %s: WWW-Authenticate %r" % (label, hv.get("www-authenticate")))
            check(hv.get("www-authenticate") == hs.get("www-authenticate"),
                  "TCP %s: WWW-Authenticate vigild %r, supervisord %r" %
                  (label, hv.get("www-authenticate"), hs.get("www-authenticate")))
        else:
            expect("TCP %s" % label, decode_reply(sv, bv),
                   ("ok", {"statecode": 1, "statename": "RUNNING"}))
    for header in ("Basic !!!notbase64", "Bearer x",
                   "Basic " + base64.b64encode(b"nocolon").decode(), "Basic"):
        status, _, _ = Endpoint(port=V.port).request("POST", "/RPC2",
                                                      rpc_body("supervisor.getState"),
                                                      {"Authorization": header}, 10)
        check(status == 401, "TCP Authorization %r: HTTP %s (want 401)" % (header, status))
    # Every handler is behind it, the log tail too.
    status, _, _ = Endpoint(port=V.port).request("GET", "/logtail/started", None, None, 10)
    check(status == 401, "TCP /logtail without credentials: HTTP %s" % status)
    sock = socket.create_connection(("127.0.0.1", V.port), timeout=10)
    try:
        sock.sendall(("GET /logtail/started HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: %s"
                      "\r\n\r\n" % basic(USER, PASSWORD)).encode())
        reader = RawResponseReader(sock)
        status, _ = reader.head(time.monotonic() + 5)
        check(status == 200, "TCP /logtail with credentials: HTTP %s" % status)
        if status == 200:
            expect("TCP /logtail first chunk", reader.chunk(time.monotonic() + 5),
                   read_file(os.path.join(V.dir, "started.out"))[-1024:])
    finally:
        sock.close()
    # A whole session over TCP.
    expect("TCP call", V.tcp.call("supervisor.getProcessInfo", "nosuch"),
           ("fault", 10, "BAD_NAME: nosuch"))
    expect("TCP multicall", V.tcp.call("system.multicall", [
        {"methodName": "supervisor.getAPIVersion", "params": []}]), ("ok", ["3.0"]))
    healthy("authentication")


# ---------------------------------------------------------------------------------------------
# 5. Log tails over HTTP


def open_tail(endpoint, path, extra=b""):
    sock = endpoint.raw_socket()
    sock.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: localhost\r\n" + extra + b"\r\n")
    reader = RawResponseReader(sock)
    status, headers = reader.head(time.monotonic() + 5)
    return sock, reader, status, headers


def read_stream_until(reader, predicate, timeout):
    """Chunks until predicate(all data so far) holds; the data, or None past the deadline."""
    data = b""
    deadline = time.monotonic() + timeout
    while not predicate(data):
        try:
            chunk = reader.chunk(deadline)
        except (TimeoutError, ConnectionError):
            return None
        if chunk == b"":
            return None
        data += chunk
    return data


def test_logtail():
    # A file that does not change: exactly its last 1024 bytes, framed as chunks.
    static = read_file(os.path.join(V.dir, "static.out"))
    check(len(static) > 1024, "static.out is only %d bytes" % len(static))
    sock, reader, status, headers = open_tail(V.unix, "/logtail/static")
    try:
        check(status == 200, "/logtail/static: HTTP %s" % status)
        check(headers.get("transfer-encoding") == "chunked" and "content-length" not in headers,
              "/logtail/static is not chunked: %r" % headers)
        check(headers.get("content-type") == "text/plain;charset=utf-8",
              "/logtail/static Content-Type %r" % headers.get("content-type"))
        check(headers.get("x-accel-buffering") == "no",
              "/logtail/static X-Accel-Buffering %r" % headers.get("x-accel-buffering"))
        check("last-modified" in headers,
              "/logtail/static has no Last-Modified header (supervisord sends one): %r" % headers)
        first = read_stream_until(reader, lambda d: len(d) >= 1024, 5)
        expect("/logtail/static first bytes", first, static[-1024:])
    finally:
        sock.close()
    healthy("/logtail/static")

    # A growing file: the tail first, then new lines as they are written.
    for path, channel, word in (("/logtail/ticker", "ticker.out", b"line"),
                                ("/logtail/ticker/stdout", "ticker.out", b"line"),
                                ("/logtail/ticker/stderr", "ticker.err", b"err")):
        sock, reader, status, headers = open_tail(V.unix, path)
        try:
            if not check(status == 200, "%s: HTTP %s" % (path, status)):
                continue
            first = reader.chunk(time.monotonic() + 5)
            check(0 < len(first) <= 1024, "%s: first chunk of %d bytes" % (path, len(first)))
            numbers = [int(n) for n in re.findall(rb"%s (\d+)\n" % word, first)]
            # (the program restarted earlier: its numbers start again from 0 in the file)
            target = b"%s %d\n" % (word, (numbers[-1] if numbers else 0) + 3)
            more = read_stream_until(reader, lambda d: target in d, 5)
            if check(more is not None, "%s: %r never arrived" % (path, target)):
                whole = read_file(os.path.join(V.dir, channel))
                check((first + more) in whole,
                      "%s: the stream is not a contiguous part of %s" % (path, channel))
        finally:
            sock.close()
        healthy(path)

    # Fifty followers of one log all get the new lines.
    followers = []
    try:
        for _ in range(50):
            sock, reader, status, _ = open_tail(V.unix, "/logtail/ticker")
            followers.append(sock)
            check(status == 200, "follower %d: HTTP %s" % (len(followers), status))
            reader.chunk(time.monotonic() + 5)
            followers[-1] = (sock, reader)
        mark = V.ok("supervisor.tailProcessStdoutLog", "ticker", 0, 100)[0]
        numbers = [int(n) for n in re.findall(r"line (\d+)\n", mark)]
        target = b"line %d\n" % ((numbers[-1] if numbers else 0) + 3)
        late = [i for i, (_, reader) in enumerate(followers)
                if read_stream_until(reader, lambda d: target in d, 5) is None]
        check(not late, "%d of 50 followers never got %r" % (len(late), target))
    finally:
        for entry in followers:
            (entry[0] if isinstance(entry, tuple) else entry).close()
    healthy("50 followers")

    # A cleared log is followed into its new file.
    sock, reader, status, _ = open_tail(V.unix, "/logtail/cat")
    try:
        if check(status == 200, "/logtail/cat: HTTP %s" % status):
            V.ok("supervisor.clearProcessLogs", "cat")
            V.ok("supervisor.sendProcessStdin", "cat", "written after the clear\n")
            got = read_stream_until(reader, lambda d: b"written after the clear\n" in d, 5)
            check(got is not None, "/logtail/cat: nothing written after clearProcessLogs arrived")
    finally:
        sock.close()

    # A group member, by a percent-encoded namespec; supervisorctl's request shape.
    for path in ("/logtail/grp%3Ag1", "/logtail/grp:g1/stderr"):
        sock, reader, status, _ = open_tail(V.unix, path)
        sock.close()
        check(status == 200, "%s: HTTP %s" % (path, status))
    sock, reader, status, _ = open_tail(V.unix, "/logtail/started/stdout",
                                        extra=b"Accept-Encoding: chunked\r\n\r\n")
    try:
        check(status == 200, "supervisorctl-style tail request: HTTP %s" % status)
        if status == 200:
            expect("supervisorctl-style tail", reader.chunk(time.monotonic() + 5),
                   read_file(os.path.join(V.dir, "started.out"))[-1024:])
    finally:
        sock.close()

    # The main log: its tail, then what vigild logs next.
    sock, reader, status, headers = open_tail(V.unix, "/mainlogtail")
    try:
        check(status == 200 and headers.get("transfer-encoding") == "chunked",
              "/mainlogtail: HTTP %s %r" % (status, headers))
        if status == 200:
            size = os.path.getsize(os.path.join(V.dir, "main.log"))
            first = read_stream_until(reader, lambda d: len(d) >= min(size, 1024), 5)
            check(first is not None and 0 < len(first) <= 1024,
                  "/mainlogtail first part: %r" % (first[:80] if first else first))
            V.ok("supervisor.startProcess", "manual", False)
            more = read_stream_until(reader, lambda d: b"spawned: 'manual'" in d, 5)
            check(more is not None, "/mainlogtail: the spawn of manual never came")
    finally:
        sock.close()
        V.call("supervisor.stopProcess", "manual")

    # Path variants: the status supervisord gives (only the status line is read).
    def status_of(d, method, path):
        sock = d.unix.raw_socket()
        try:
            sock.sendall(("%s %s HTTP/1.1\r\nHost: localhost\r\n%s\r\n" % (
                method, path, "Content-Length: 0\r\n" if method == "POST" else "")).encode())
            return RawResponseReader(sock).head(time.monotonic() + 5)[0]
        finally:
            sock.close()

    for path in ("/logtail/started/bogus", "/logtail/grp:*", "/logtail/grp", "/logtail/",
                 "/logtail/started?x=1", "/mainlogtail?x=1", "/logtail/grp%3Ag2/stderr",
                 "/logtail/%73tarted"):
        v, s = on_both(lambda d, p=path: status_of(d, "GET", p))
        check(v == s, "GET %s: supervisord HTTP %s, vigild HTTP %s" % (path, s, v))

    # Refusals, compared with supervisord.
    for path, method, want in (("/logtail/nosuch", "GET", 404), ("/logtail/nolog", "GET", 404),
                               ("/logtail/nolog/stderr", "GET", 404),
                               ("/logtail/grp:nosuch", "GET", 404),
                               ("/logtail/started", "POST", 400),
                               ("/mainlogtail", "POST", 400)):
        (sv, _, _), (ss, _, _) = on_both(lambda d, p=path, m=method: d.unix.request(
            m, p, b"" if m == "POST" else None, None, 10))
        check(sv == ss == want, "%s %s: vigild HTTP %s, supervisord %s (want %s)" %
              (method, path, sv, ss, want))
    healthy("log tails")


# ---------------------------------------------------------------------------------------------
# Restart and shutdown (both daemons)


def all_running(d, names):
    infos = {("%s:%s" % (p["group"], p["name"]) if p["group"] != p["name"] else p["name"]):
             p["statename"] for p in d.ok("supervisor.getAllProcessInfo")}
    return all(infos.get(n) == "RUNNING" for n in names)


def test_restart():
    before = {d.kind: d.info("sentinel")["pid"] for d in (V, S)}
    # vigild restarts with a log tail open and a start waiting for its answer.
    tail_sock, tail_reader, status, _ = open_tail(V.unix, "/logtail/ticker")
    check(status == 200, "/logtail/ticker before restart: HTTP %s" % status)
    pending = V.unix.raw_socket()
    try:
        pending.sendall(raw_request("supervisor.startProcess", ("manual", True)))
        check(V.wait_state("manual", "STARTING", 3), "manual not STARTING before restart")
        v = same("restart", "supervisor.restart")
        expect("restart", v, ("ok", True))
        # The waiting call gets an answer or its connection is closed; it does not hang.
        reader = RawResponseReader(pending)
        try:
            reply = reader.response(time.monotonic() + 15)
            got = decode_reply(reply[0], reply[2])
            check(got[0] in ("ok", "fault", "http"), "start pending over restart: %r" % (got,))
        except (ConnectionError, OSError):
            pass
        except TimeoutError:
            fail("a startProcess pending over a restart got neither an answer nor a close "
                 "within 15s")
        # The tail ends or goes on; it must not take vigild down.
        try:
            read_stream_until(tail_reader, lambda d: len(d) > 0, 2)
        except (ConnectionError, OSError, ValueError):
            pass
    finally:
        pending.close()
        tail_sock.close()
    names = [n for n in AUTOSTARTED if n != "removeme"] + ["added"]
    for d in (V, S):
        check(wait_until(lambda d=d: all_running(d, names), 20),
              "%s: programs not all RUNNING again after restart" % d.kind)
        check(d.running(), "%s exited on restart" % d.kind)
    expect("getPID after restart", V.call("supervisor.getPID"), ("ok", V.proc.pid))
    check(V.info("sentinel")["pid"] != before["vigild"], "sentinel was not restarted")
    same("getAllConfigInfo after restart", "supervisor.getAllConfigInfo")
    same("getProcessInfo(removeme) after restart", "supervisor.getProcessInfo", "removeme")


def test_shutdown():
    for d in (V, S):
        d.write_config(removeme=False, added=True, g2_changed=True, ignoreterm=True)
    same("reloadConfig before shutdown", "supervisor.reloadConfig")
    same("addProcessGroup(ignoreterm)", "supervisor.addProcessGroup", "ignoreterm")
    for d in (V, S):
        check(d.wait_state("ignoreterm", "RUNNING", 5), "%s: ignoreterm not RUNNING" % d.kind)
    kids = {d.kind: descendants(d.proc.pid) for d in (V, S)}
    tail_sock, tail_reader, status, _ = open_tail(V.unix, "/logtail/ticker")
    check(status == 200, "/logtail/ticker before shutdown: HTTP %s" % status)
    v = same("shutdown", "supervisor.shutdown")
    t0 = time.monotonic()
    expect("shutdown", v, ("ok", True))
    # ignoreterm holds the daemons in SHUTDOWN for its stopwaitsecs=3.
    for method, params in (("supervisor.getState", ()), ("supervisor.getPID", ()),
                           ("supervisor.startProcess", ("manual",)),
                           ("supervisor.shutdown", ()), ("system.listMethods", ()),
                           ("supervisor.sendRemoteCommEvent", ("t", "d"))):
        v = same("during shutdown", method, *params)
        if method in ("supervisor.getState", "supervisor.getPID", "supervisor.startProcess"):
            expect("%s during shutdown" % method, v, ("fault", 6, "SHUTDOWN_STATE"))
    def exit_time(d):
        rc = d.proc.wait(30)
        return rc, time.monotonic() - t0

    try:
        (rv, tv), (rs, ts) = on_both(exit_time)
        rcs = (rv, rs)
        print("    exited after shutdown: vigild %.1fs, supervisord %.1fs" % (tv, ts))
        check(tv < ts + 3, "vigild took %.1fs to exit after shutdown, supervisord %.1fs" %
              (tv, ts))
    except subprocess.TimeoutExpired:
        raise Fatal("a daemon did not exit within 30s of supervisor.shutdown (vigild %s, "
                    "supervisord %s)" % (V.proc.poll(), S.proc.poll()))
    try:
        ended = read_stream_until(tail_reader, lambda d: False, 5) is None and True
        check(ended, "a log tail stayed open after vigild exited")
    except (ConnectionError, OSError, ValueError):
        pass
    finally:
        tail_sock.close()
    check(rcs[0] == rcs[1], "exit status after shutdown: vigild %s, supervisord %s" % rcs)
    for d in (V, S):
        leftovers = survivors(kids[d.kind])
        if d is V:
            check(not leftovers, "vigild exited leaving its children alive: %s" %
                  ["%d %s" % (p, cmdline(p)) for p, _ in leftovers])
        for p, s in leftovers:
            end_process(p, s)
    check(not os.path.exists(V.sock), "vigild left its socket file %s" % V.sock)
    cgroup_left("shutdown", cgroup_of(os.path.join(V.dir, "main.log")))


def test_sanitizers():
    text = V.stderr_text()
    for marker in ("AddressSanitizer", "LeakSanitizer", "runtime error:",
                   "UndefinedBehaviorSanitizer"):
        if marker in text:
            at = text.index(marker)
            fail("vigild's stderr has a sanitizer report:\n" + text[max(0, at - 200):at + 1500])
            break


# ---------------------------------------------------------------------------------------------
# Separate daemons: a plain password; the refusal of an open unauthenticated port


class SmallVigild:
    """A throwaway vigild for one check; ended by pid, its children checked afterwards."""

    def __init__(self, vigild, root, name, sections):
        self.dir = os.path.join(root, name)
        os.makedirs(self.dir)
        self.conf = os.path.join(self.dir, "vigild.conf")
        self.sock = os.path.join(self.dir, "rpc.sock")
        with open(self.conf, "w") as f:
            f.write("[supervisord]\nlogfile=%s/main.log\npidfile=%s/p.pid\nchildlogdir=%s\n"
                    % (self.dir, self.dir, self.dir) + sections.replace("{d}", self.dir))
        self.err_path = os.path.join(self.dir, "stderr.txt")
        with open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen([vigild, "-n", "-c", self.conf], cwd=self.dir,
                                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=err)
        self.kids = []

    def wait_up(self, probe):
        up = wait_until(probe, 20)
        self.kids = descendants(self.proc.pid)
        return up

    def stderr_text(self):
        with open(self.err_path, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self, label):
        self.kids = self.kids + descendants(self.proc.pid)
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                fail("%s: vigild ignored SIGTERM for 20s; killed" % label)
                self.proc.kill()
                self.proc.wait(10)
        for pid, start in survivors(self.kids):
            fail("%s: vigild left pid %d (%s) alive" % (label, pid, cmdline(pid)))
            end_process(pid, start)
        # A crashed vigild cannot clean up; one that was asked to stop should have.
        cgroup_left(label, cgroup_of(os.path.join(self.dir, "main.log")),
                    report=self.proc.returncode == 0)


def test_plain_password(vigild, root):
    port = free_port()
    small = SmallVigild(vigild, root, "plain",
                        "[unix_http_server]\nfile={d}/rpc.sock\nusername=u\npassword=plainpw\n"
                        "[inet_http_server]\nport=127.0.0.1:%d\nusername=u\npassword=plainpw\n"
                        "[program:a]\ncommand=/bin/sleep 1000\nstartsecs=0\n" % port)
    try:
        tcp = Endpoint(port=port)
        unix = Endpoint(unix_path=small.sock)
        ok = small.wait_up(lambda: tcp.request("POST", "/RPC2", rpc_body("supervisor.getState"),
                                               {"Authorization": basic("u", "plainpw")},
                                               5)[0] == 200)
        if not check(ok, "plain-password vigild never answered"):
            return
        for label, endpoint, auth, want in (
                ("TCP none", tcp, None, 401), ("TCP wrong", tcp, basic("u", "nope"), 401),
                ("TCP sha-of-password", tcp,
                 basic("u", hashlib.sha1(b"plainpw").hexdigest()), 401),
                ("TCP right", tcp, basic("u", "plainpw"), 200),
                ("unix none", unix, None, 401), ("unix right", unix, basic("u", "plainpw"), 200)):
            headers = {"Authorization": auth} if auth else {}
            status, hdrs, _ = endpoint.request("POST", "/RPC2", rpc_body("supervisor.getState"),
                                               headers, 10)
            check(status == want, "plain password, %s: HTTP %s (want %s)" % (label, status, want))
            if want == 401:
                check(hdrs.get("www-authenticate") == 'Basic realm="default"',
                      "plain password, %s: WWW-Authenticate %r" %
                      (label, hdrs.get("www-authenticate")))
    finally:
        small.stop("plain password")


def test_huge_lengths(vigild, root):
    """Lengths far beyond the file. supervisord answers HTTP 500 (MemoryError) and goes on;
    vigild must go on too. Each case gets its own vigild, as a crash ends it."""
    huge = b"<int>1099511627776</int>"  # 2**40
    cases = (
        ("readProcessStdoutLog(a, 0, 2**40)",
         call_body(b"supervisor.readProcessStdoutLog", b"<string>a</string>", b"<int>0</int>",
                   huge)),
        ("readLog(-2**40, 0)",
         call_body(b"supervisor.readLog", b"<int>-1099511627776</int>", b"<int>0</int>")),
        ("tailProcessStdoutLog(a, 0, 2**40)",
         call_body(b"supervisor.tailProcessStdoutLog", b"<string>a</string>", b"<int>0</int>",
                   huge)),
    )
    for i, (label, body) in enumerate(cases):
        small = SmallVigild(vigild, root, "huge%d" % i,
                            "[unix_http_server]\nfile={d}/rpc.sock\n"
                            "[program:a]\ncommand=/bin/sh -c 'echo hello; exec /bin/sleep 1000'\n"
                            "startsecs=0\nstdout_logfile={d}/a.out\n")
        try:
            unix = Endpoint(unix_path=small.sock)
            if not check(small.wait_up(lambda: unix.call("supervisor.getProcessInfo", "a",
                                                         timeout=2)[1]["statename"] ==
                                       "RUNNING"), "%s: vigild never came up" % label):
                continue
            try:
                status, _, data = unix.request("POST", "/RPC2", body,
                                               {"Content-Type": "text/xml"}, 20)
                answer = "HTTP %s %r" % (status, data[:120])
            except (ConnectionError, OSError) as e:
                answer = repr(e)
            dead = wait_until(lambda: small.proc.poll() is not None, 1)
            if dead or small.proc.poll() is not None:
                report = small.stderr_text()
                at = report.find("ERROR: AddressSanitizer")
                fail("%s killed vigild (exit %s; the client got %s)%s" % (
                    label, small.proc.returncode, answer,
                    ":\n" + report[at:at + 400] if at >= 0 else ""))
            else:
                check(unix.call("supervisor.getState")[0] == "ok",
                      "%s: vigild no longer answers" % label)
        finally:
            small.stop(label)


def test_refusal(vigild, root):
    d = os.path.join(root, "open")
    os.makedirs(d)
    port = free_port()
    marker = "1000.%d" % (os.getpid() % 100000)
    conf = os.path.join(d, "open.conf")
    with open(conf, "w") as f:
        f.write("[supervisord]\nlogfile=%s/main.log\npidfile=%s/p.pid\nchildlogdir=%s\n"
                "[inet_http_server]\nport=0.0.0.0:%d\n"
                "[program:a]\ncommand=/bin/sleep %s\nstartsecs=0\n" % (d, d, d, port, marker))
    proc = subprocess.Popen([vigild, "-n", "-c", conf], cwd=d, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        fail("vigild with an unauthenticated 0.0.0.0 port is still running after 20s")
        kids = descendants(proc.pid)
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        for pid, start in kids:
            end_process(pid, start)
        return
    err = err.decode(errors="replace")
    check(proc.returncode != 0, "vigild accepted port=0.0.0.0 without a username (exit 0)")
    check("username" in err and "password" in err,
          "the refusal does not mention username and password: %r" % err)
    found = re.search(r"tracking every program in its own cgroup under (\S+)", err)
    cgroup_left("refusal", found.group(1) if found else None)
    for entry in os.listdir("/proc"):
        if entry.isdigit() and marker in cmdline(int(entry)):
            st = proc_stat(int(entry))
            fail("refused vigild spawned its program anyway: pid %s" % entry)
            if st:
                end_process(int(entry), st[2])


# ---------------------------------------------------------------------------------------------


def section(name, fn, *args):
    t0 = time.monotonic()
    count = len(FAILURES)
    try:
        fn(*args)
    except Fatal:
        raise
    except Exception:  # noqa: BLE001
        fail("%s raised:\n%s" % (name, traceback.format_exc()))
    print("%-18s %5.1fs  %d failure(s)" % (name, time.monotonic() - t0, len(FAILURES) - count),
          flush=True)
    if MAIN_PHASE and V.proc.poll() is not None and name != "shutdown":
        raise Fatal("vigild exited (status %s) during %s" % (V.proc.returncode, name))


def main():
    global V, S, SENTINEL_PID, MAIN_PHASE
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    vigild = os.path.abspath(sys.argv[1])
    if not os.path.exists(SUPERVISORD):
        print("FAIL %s is needed as the oracle" % SUPERVISORD)
        return 1
    root = tempfile.mkdtemp(prefix="vigil-xmlrpc-")
    try:
        V = Daemon("vigild", vigild, root, free_port())
        S = Daemon("supervisord", SUPERVISORD, root, free_port())
        try:
            for d in (V, S):
                d.start()
            for d in (V, S):
                up = wait_until(lambda d=d: d.call("supervisor.getState", timeout=2)[0] == "ok",
                                20)
                if not up:
                    raise Fatal("%s never answered on %s:\n%s" % (d.kind, d.sock,
                                                                   d.stderr_text()[-2000:]))
            for d in (V, S):
                check(wait_until(lambda d=d: all_running(d, AUTOSTARTED), 15),
                      "%s: autostarted programs not all RUNNING" % d.kind)
            MAIN_PHASE = True
            section("methods", test_methods)
            section("process info", test_process_info)
            section("wire format", test_wire_format)
            section("request parsing", test_request_parsing)
            section("faults", test_faults)
            section("logs", test_logs)
            section("stdin/signals", test_stdin_and_signals)
            section("start/stop", test_start_stop)
            section("multicall", test_multicall)
            section("reload", test_reload)
            SENTINEL_PID = V.info("sentinel")["pid"]
            section("http robustness", test_http_robustness)
            section("auth", test_auth)
            section("logtail", test_logtail)
            section("clear logs", test_clear_logs)
            section("restart", test_restart)
            MAIN_PHASE = False
            section("shutdown", test_shutdown)
            section("sanitizers", test_sanitizers)
        except Fatal as e:
            fail(str(e))
            fail("vigild's stderr (end):\n" + V.stderr_text()[-3000:])
        finally:
            for d in (V, S):
                if d is None or d.proc is None:
                    continue
                kids = descendants(d.proc.pid) if d.running() else []
                d.stop()
                if d is V:
                    cgroup_left("vigild", cgroup_of(os.path.join(V.dir, "main.log")),
                                report=False)
                for pid, start in survivors(kids):
                    if d is V:
                        fail("vigild left pid %d (%s) alive" % (pid, cmdline(pid)))
                    end_process(pid, start)
        section("plain password", test_plain_password, vigild, root)
        section("refusal", test_refusal, vigild, root)
        section("huge lengths", test_huge_lengths, vigild, root)
    finally:
        POOL.shutdown(wait=False)
        if os.environ.get("VIGIL_TEST_KEEP"):
            print("kept %s" % root)
        else:
            shutil.rmtree(root, ignore_errors=True)
    print("%d failure(s) in %.0fs" % (len(FAILURES), time.monotonic() - STARTED))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())

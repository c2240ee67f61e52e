#!/usr/bin/env python3
"""The real supervisorctl against vigild and against supervisord 4.2.5, side by side.

Every case starts a fresh supervisord and a fresh vigild from the same configuration text (each in
its own temp dir, with its own unix socket, in the foreground), runs the same supervisorctl command
lines against both, and compares what supervisorctl printed and its exit status after normalising
what legitimately differs (see normalise()). Usage:
    test_supervisorctl.py /path/to/vigild

Plain python3 standard library. Prints one FAIL block per difference and exits 1 if there is any.
Debugging: VIGIL_KEEP_TMP=1 keeps the temp dirs; VIGIL_CTL_CASES=control,auth runs only those
cases; VIGIL_CTL_TRACE=1 prints each command with its duration on both daemons (=2: and vigild's
answer). VIGIL_CTL_DEADLINE=S (default 480) ends the whole run as a failure after S seconds.

Cases (one supervisord + one vigild each, except "no daemon"):
  control  status (all, names, g:*, g:, unknown names/groups, exit codes 0/3/4, every stable state:
           STOPPED, STARTING, RUNNING, BACKOFF, EXITED, FATAL),
           start/stop/restart (one, several, g:*, all, already started, not running, no such
           process/group, spawn error, no such file, not executable, exec/chdir failing in the
           child, BACKOFF and STARTING processes, a SIGTERM-proof process, the startsecs wait),
           signal (names, numbers, SIG-prefix, lower case, bad names and numbers, not running,
           groups, all, KILL and the restart that follows), pid (none, all, names, stopped -> 7),
           tail (stdout/stderr, -N, more than 1600 bytes, NONE log, redirect_stderr, UTF-8),
           tail -f (stream, after clear, bigger than its first 1024 bytes, stderr, 404s),
           maintail (plain, -N, -f), clear, avail, version, fg (echo through
           sendProcessStdin, EOF, Ctrl-C, argument errors), unknown command, shutdown with
           tail -f/maintail -f connected, then the socket-missing errors.
  config   reread (no change, added/changed/disappeared, a broken file), update (a group, an
           unknown group, all; unchanged programs keep their pid, a changed group restarts
           whole), add, remove (still running, no such group), avail across them, a non-ASCII
           program name, reload (programs back, runtime state lost, a file change taken, same
           daemon pid, no survivors), the SHUTDOWN_STATE window of reload and shutdown.
  auth     unix socket with username and {SHA} password: right, wrong and missing
           credentials, tail -f with credentials, clear all.
  no daemon  supervisorctl's own errors: socket missing (4/7) and connection refused (4).

Legitimate differences, each handled where it arises (see the comments there): pids, uptimes
and stop dates (normalised, then compared approximately), temp-dir paths and AUTO log names
(normalise()); maintail contents (each daemon's own log: only the shape is checked); the order
of the result lines of start/stop/restart of several processes, and therefore which error sets
supervisorctl's exit status (timing: Pair.run(unordered=True)); the FATAL description of a
child that could not exec or chdir, and the "vigild:" that signs the lines about it in its log
(both documented in README.md); a log tail that starts inside a UTF-8 character (supervisord
4.2.5 answers HTTP 500, vigild U+FFFD); supervisord's broken deferred replies for non-ASCII
process names (avoided, see case_config). Everything else is compared as supervisorctl printed
it.

Process hygiene: every process this script starts is a Popen kept in PROCS and is ended by pid
(SIGTERM, a deadline, then SIGKILL). Programs run by the daemons are ended by the daemons' own
shutdown; after each daemon exits (and after a reload) the script checks in /proc that none of
the processes that were its descendants survived (a survivor is a failure, and is then killed by
pid). Temp dirs are removed.
"""

import concurrent.futures
import datetime
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
import xmlrpc.client
import zoneinfo

SUPERVISORD = "/usr/bin/supervisord"
SUPERVISORCTL = "/usr/bin/supervisorctl"
SETPRIV = "/usr/bin/setpriv"              # util-linux
# The whole run ends (as on SIGTERM: every daemon and session ended by pid, temp dirs removed)
# if it is not done after this many seconds; it takes about 2 minutes. ctest's TIMEOUT is above.
RUN_DEADLINE = float(os.environ.get("VIGIL_CTL_DEADLINE", "480"))
CTL_TIMEOUT = 30          # no supervisorctl command of this suite should take half of that
START_TIMEOUT = 20        # a daemon answers `status` within this
STATE_TIMEOUT = 15        # processes reach the awaited states within this
EXIT_TIMEOUT = 20         # a daemon exits within this after shutdown / SIGTERM
# Both daemons run in a time zone that is not UTC (and not a whole number of hours away), so
# that the stop dates of `status` and the main log's timestamps show whether local time is used.
DAEMON_TZ = "Asia/Kolkata"

PROCS = []                # every Popen this script started, daemons and supervisorctl sessions
FAILURES = []
CHECKS = [0]


# --------------------------------------------------------------------------------------------
# small helpers

def wait_until(predicate, timeout, interval=0.05):
    """Polls predicate() until it is true or timeout seconds have passed; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def fail(case, message):
    FAILURES.append("[%s] %s" % (case, message))


def indent(text):
    text = text if text.strip() else "<empty>"
    return "\n".join("      | " + line for line in text.rstrip("\n").split("\n"))


def end_process(proc, first_signal=signal.SIGTERM, timeout=10):
    """Ends one process this script started, by its pid: first_signal, a deadline, SIGKILL."""
    if proc.poll() is not None:
        return proc.returncode
    try:
        proc.send_signal(first_signal)
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
    return proc.returncode


def ctl_env():
    env = dict(os.environ)
    # supervisorctl writes through Python's stdio: unbuffered, so that the streaming commands
    # (tail -f, maintail -f, fg) show their output in the pipe as soon as they print it.
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("SUPERVISOR_SERVER_URL", None)
    env.pop("SUPERVISOR_ENABLED", None)
    return env


def proc_table():
    """pid -> (ppid, starttime, cmdline) for every process in /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        table[int(entry)] = (int(fields[1]), fields[19], cmdline)
    return table


def descendants(pid):
    """{pid: (starttime, cmdline)} of every descendant of pid."""
    table = proc_table()
    children = {}
    for child, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(child)
    found, todo = {}, list(children.get(pid, []))
    while todo:
        child = todo.pop()
        if child in table and child not in found:
            found[child] = (table[child][1], table[child][2])
            todo.extend(children.get(child, []))
    return found


def survivors(snapshot):
    table = proc_table()
    return {pid: info for pid, info in snapshot.items()
            if pid in table and table[pid][1] == info[0]}


class UnixTransport(xmlrpc.client.Transport):
    """xmlrpc.client over a unix socket."""

    def __init__(self, path):
        super().__init__()
        self.path = path

    def make_connection(self, host):
        path = self.path
        _, self._extra_headers, _ = self.get_host_info(host)   # Authorization, if any

        class Connection(http.client.HTTPConnection):
            def connect(self):
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.settimeout(10)
                self.sock.connect(path)
        return Connection("localhost")


class Result:
    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err


class Session:
    """A supervisorctl that keeps running (tail -f, maintail -f, fg): output read by a thread."""

    def __init__(self, conf, args, stdin=False):
        self.proc = subprocess.Popen(
            [SUPERVISORCTL, "-c", conf] + args, env=ctl_env(),
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        PROCS.append(self.proc)
        self.out, self.err = [], []
        self.lock = threading.Lock()
        self.readers = [threading.Thread(target=self._read, args=(self.proc.stdout, self.out)),
                        threading.Thread(target=self._read, args=(self.proc.stderr, self.err))]
        for reader in self.readers:
            reader.daemon = True
            reader.start()

    def _read(self, stream, sink):
        while True:
            data = stream.read1(65536)
            if not data:
                return
            with self.lock:
                sink.append(data)

    def output(self):
        with self.lock:
            return b"".join(self.out).decode(errors="replace")

    def errors(self):
        with self.lock:
            return b"".join(self.err).decode(errors="replace")

    def wait_for(self, text, timeout=10):
        return wait_until(lambda: text in self.output(), timeout)

    def write(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def wait_exit(self, timeout):
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        for reader in self.readers:
            reader.join(5)
        return self.proc.returncode

    def end(self):
        end_process(self.proc, signal.SIGINT, 5)
        for reader in self.readers:
            reader.join(5)


# --------------------------------------------------------------------------------------------
# daemons

CONF_HEAD = """\
[supervisord]
nodaemon=true
logfile=@ROOT@/supervisord.log
pidfile=@ROOT@/supervisord.pid
childlogdir=@ROOT@/logs

[unix_http_server]
file=@ROOT@/s.sock
@SERVER_EXTRA@
[supervisorctl]
serverurl=unix://@ROOT@/s.sock
@CTL_EXTRA@

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

"""


class Daemon:
    def __init__(self, kind, argv0, case):
        self.kind, self.argv0, self.case = kind, argv0, case
        self.root = tempfile.mkdtemp(prefix="vigil-ctl-%s-" % kind[0])
        os.mkdir(os.path.join(self.root, "logs"))
        os.mkfifo(os.path.join(self.root, "release"))   # see Pair.release
        self.conf = os.path.join(self.root, "supervisord.conf")
        self.sock = os.path.join(self.root, "s.sock")
        self.pidfile = os.path.join(self.root, "supervisord.pid")
        self.console = os.path.join(self.root, "console.out")
        self.proc = None
        self.checked_exit = False
        self.snapshot = {}        # descendants seen before a shutdown: none may outlive it
        self.credentials = None   # (user, password) for rpc()

    def write_conf(self, body, server_extra="", ctl_extra=""):
        head = CONF_HEAD.replace("@SERVER_EXTRA@", server_extra).replace("@CTL_EXTRA@", ctl_extra)
        with open(self.conf, "w", encoding="utf-8") as f:
            f.write((head + body).replace("@ROOT@", self.root))
        # the same server, for a supervisorctl without credentials
        with open(os.path.join(self.root, "bare-ctl.conf"), "w") as f:
            f.write("[supervisorctl]\nserverurl=unix://%s\n" % self.sock)

    def start(self):
        if self.kind == "supervisord":
            argv = [SUPERVISORD, "-n", "-c", self.conf]
        else:
            argv = [self.argv0, "-n", "-c", self.conf]
        # If this script is killed outright (SIGKILL: ctest's timeout), the daemon gets SIGTERM
        # and ends its programs: nothing is left running. setpriv execs the daemon in place
        # (same pid); the main thread starts it, so the signal comes when the script ends.
        argv = [SETPRIV, "--pdeathsig", "TERM", "--"] + argv
        env = dict(os.environ, TZ=DAEMON_TZ)
        with open(self.console, "wb") as console:
            self.proc = subprocess.Popen(argv, cwd=self.root, stdin=subprocess.DEVNULL, env=env,
                                         stdout=console, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        PROCS.append(self.proc)

    def ctl(self, args, timeout=CTL_TIMEOUT, stdin=None, conf=None):
        try:
            r = subprocess.run([SUPERVISORCTL, "-c", conf or self.conf] + args, env=ctl_env(),
                               input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                               capture_output=True, text=True, encoding="utf-8",
                               errors="replace", timeout=timeout)
        except subprocess.TimeoutExpired as e:
            return Result(None, "TIMEOUT after %ds; output so far: %r" % (timeout, e.stdout), "")
        return Result(r.returncode, r.stdout, r.stderr)

    def answers(self):
        return self.ctl(["status"], timeout=10).rc in (0, 3)

    def states(self):
        """namespec -> statename, straight from getAllProcessInfo: only for waiting (polling
        through supervisorctl would cost a Python start per poll); the comparisons all go
        through supervisorctl."""
        try:
            infos = self.rpc().supervisor.getAllProcessInfo()
        except (OSError, xmlrpc.client.Error, http.client.HTTPException):
            return {}
        return {(i["name"] if i["group"] == i["name"] else "%s:%s" % (i["group"], i["name"])):
                i["statename"] for i in infos}

    def rpc(self):
        url = "http://localhost/RPC2"
        if self.credentials:
            url = "http://%s:%s@localhost/RPC2" % self.credentials
        return xmlrpc.client.ServerProxy(url, transport=UnixTransport(self.sock))

    def pid_of(self, name=None):
        r = self.ctl(["pid"] + ([name] if name else []))
        return r.out.strip()

    def console_text(self):
        try:
            with open(self.console, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def finish(self, timeout=EXIT_TIMEOUT, terminate=False):
        """Waits for the daemon to exit (after a shutdown command), or with terminate=True ends it
        with SIGTERM; if it does not exit in time: SIGTERM, then SIGKILL, by pid. Checks that none
        of its processes survived it and, for vigild, that the sanitizers stayed quiet. Returns
        the exit status."""
        if self.proc is None or self.checked_exit:
            return self.proc.returncode if self.proc else None
        self.checked_exit = True
        snapshot = dict(self.snapshot)
        snapshot.update(descendants(self.proc.pid))
        if terminate:
            rc = end_process(self.proc, signal.SIGTERM, timeout)
        else:
            try:
                rc = self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                fail(self.case, "%s did not exit within %ds; sending SIGTERM" % (self.kind, timeout))
                snapshot.update(descendants(self.proc.pid))
                rc = end_process(self.proc, signal.SIGTERM, timeout)
        wait_until(lambda: not survivors(snapshot), 3)
        left = survivors(snapshot)
        if left:
            fail(self.case, "%s exited but these of its processes survived it: %s" % (
                self.kind, ", ".join("%d (%s)" % (p, i[1]) for p, i in sorted(left.items()))))
            for pid in left:  # ours, indirectly: started by the daemon this script started
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        if self.kind == "vigild":
            console = self.console_text()
            if "Sanitizer" in console or "runtime error:" in console:
                start = max(console.find("Sanitizer") - 200, 0)
                fail(self.case, "vigild's sanitizers reported:\n%s" % indent(console[start:start + 3000]))
        return rc

    def cleanup(self):
        if self.proc is not None and not self.checked_exit:
            self.finish(terminate=True)
        if os.environ.get("VIGIL_KEEP_TMP"):
            print("kept %s" % self.root)
        else:
            shutil.rmtree(self.root, ignore_errors=True)


MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"


UPTIME = re.compile(r"pid \d+, uptime (?:(\d+) days?, )?(\d+):(\d\d):(\d\d)")
DATE = re.compile(r"\b(?:%s) \d\d \d\d:\d\d [AP]M\b" % MONTHS)


def normalise(text, daemon, pids=False, seen=None):
    """What legitimately differs between two runs of the same commands on two daemons.
    With seen (a dict), the uptimes (seconds) and dates taken out are appended to
    seen["uptimes"] and seen["dates"], for an approximate comparison (see Pair.compare)."""
    text = text.replace(daemon.root, "<TMP>")
    if seen is not None:
        for m in UPTIME.finditer(text):
            days, h, mi, sec = (int(g or 0) for g in m.groups())
            seen.setdefault("uptimes", []).append(((days * 24 + h) * 60 + mi) * 60 + sec)
        for m in DATE.finditer(text):
            seen.setdefault("dates", []).append(m.group(0))
    # pids and uptimes of running processes
    text = UPTIME.sub("pid <PID>, uptime <UP>", text)
    # the stop time of STOPPED/EXITED processes (local time, minute resolution)
    text = DATE.sub("<DATE>", text)
    # AUTO log file names: <name>-<channel>---<identifier>-<mkstemp random part>.log
    text = re.sub(r"(---[^-/\s]+)-[A-Za-z0-9_]+\.log", r"\1-<R>.log", text)
    if pids:
        # `pid` prints bare pids (0 for a process that is not running)
        text = re.sub(r"(?m)^[1-9]\d*$", "<PID>", text)
    return text


UPTIME_SLACK = 10


def minutes(date):
    """Minutes since the start of the year of a `status` date such as 'Nov 26 01:05 AM'."""
    t = time.strptime("2000 " + date, "%Y %b %d %I:%M %p")
    return (t.tm_yday * 24 + t.tm_hour) * 60 + t.tm_min


def error_statuses(lines):
    """Exit statuses supervisorctl's start/stop can set for these result lines
    (set_exitstatus_from_xmlrpc_fault: DEAD_PROGRAM_FAULTS give 7, other faults 1; start ignores
    ALREADY_STARTED, stop ignores NOT_RUNNING)."""
    statuses = set()
    for line in lines:
        m = re.search(r": ERROR \((.*)\)$", line)
        if not m or m.group(1) in ("already started", "not running"):
            continue
        statuses.add(7 if m.group(1) in ("spawn error", "abnormal termination") else 1)
    return statuses


def phase_sorted(text):
    def phase(line):
        return 0 if line.endswith(": stopped") or line.endswith("(not running)") else 1
    return sorted(text.splitlines(), key=lambda line: (phase(line), line))


class Pair:
    """A supervisord and a vigild running the same configuration."""

    def __init__(self, case, vigild, body, server_extra="", ctl_extra=""):
        self.case = case
        self.s = Daemon("supervisord", None, case)
        self.v = Daemon("vigild", vigild, case)
        self.pool = concurrent.futures.ThreadPoolExecutor(2)
        self.server_extra, self.ctl_extra = server_extra, ctl_extra
        self.write_conf(body)

    @property
    def daemons(self):
        return (self.s, self.v)

    def write_conf(self, body):
        for d in self.daemons:
            d.write_conf(body, self.server_extra, self.ctl_extra)

    def start(self):
        for d in self.daemons:
            d.start()
        for d in self.daemons:
            if not wait_until(d.answers, START_TIMEOUT, 0.1):
                raise RuntimeError("%s did not answer `supervisorctl status` within %ds:\n%s" % (
                    d.kind, START_TIMEOUT, indent(d.console_text()[-3000:])))

    def both(self, fn, *args):
        """fn(daemon, *args) for both daemons at once; returns (supervisord's, vigild's)."""
        futures = [self.pool.submit(fn, d, *args) for d in self.daemons]
        return tuple(f.result() for f in futures)

    def run(self, command, pids=False, expect_rc=None, stdin=None, unordered=False, conf=None):
        """Runs `supervisorctl -c CONF <command>` on both and compares. Returns the two Results.

        unordered: for start/stop/restart of several processes. supervisord answers those with
        the results in the order the processes *finished* starting or stopping (make_allfunc
        appends each deferred result when its callback completes), so the order of the lines is
        a matter of timing, even between two runs of supervisord. The lines are compared as a
        multiset, keeping restart's "stop everything, then start everything" phases apart."""
        args = command.split() if isinstance(command, str) else command
        def timed(d):
            t = time.monotonic()
            path = os.path.join(d.root, conf) if conf else None
            return d.ctl(args, stdin=stdin, conf=path), time.monotonic() - t
        (rs, ts), (rv, tv) = self.both(timed)
        if os.environ.get("VIGIL_CTL_TRACE"):
            print("  %5.2f s (supervisord) %5.2f s (vigild)  %s" % (ts, tv, " ".join(args)))
            if os.environ["VIGIL_CTL_TRACE"] == "2":
                print(indent("exit %s\n%s%s" % (rv.rc, rv.out, rv.err)))
        self.compare(" ".join(args), rs, rv, pids, unordered)
        if expect_rc is not None and rs.rc != expect_rc:
            fail(self.case, "test assumption: `supervisorctl %s` on supervisord exited %s, expected %s:\n%s"
                 % (" ".join(args), rs.rc, expect_rc, indent(rs.out + rs.err)))
        return rs, rv

    def compare(self, label, rs, rv, pids=False, unordered=False):
        CHECKS[0] += 1
        seen_s, seen_v = {}, {}
        ns = (rs.rc, normalise(rs.out, self.s, pids, seen_s), normalise(rs.err, self.s, pids))
        nv = (rv.rc, normalise(rv.out, self.v, pids, seen_v), normalise(rv.err, self.v, pids))
        if unordered:
            ns = (ns[0], phase_sorted(ns[1]), ns[2])
            nv = (nv[0], phase_sorted(nv[1]), nv[2])
            # supervisorctl's exit status is set by each error line in turn, so the last error
            # in (timing-dependent) order wins: accept any status one of the errors implies.
            possible = error_statuses(ns[1])
            if ns[1:] == nv[1:] and ns[0] != nv[0] and {ns[0], nv[0]} <= possible:
                nv = ns
        if ns == nv and not unordered:
            # What normalise() took out must still be about right: the two daemons started
            # their programs within a second or two of each other (supervisord waits ~1 s before
            # its first spawn), and the dates are local times with minute resolution.
            for us, uv in zip(seen_s.get("uptimes", []), seen_v.get("uptimes", [])):
                if abs(us - uv) > UPTIME_SLACK:
                    fail(self.case, "`supervisorctl %s`: uptimes differ by more than %d s "
                         "(supervisord %d s, vigild %d s):\n%s" % (
                             label, UPTIME_SLACK, us, uv, indent(rv.out)))
                    break
            for ds, dv in zip(seen_s.get("dates", []), seen_v.get("dates", [])):
                if abs(minutes(ds) - minutes(dv)) > 1:
                    fail(self.case, "`supervisorctl %s`: stop dates differ: supervisord %r, vigild %r"
                         % (label, ds, dv))
                    break
        if ns != nv:
            fail(self.case, "`supervisorctl %s` differs\n    supervisord (exit %s):\n%s%s\n"
                 "    vigild (exit %s):\n%s%s" % (
                     label, rs.rc, indent(rs.out), "\n    stderr:\n" + indent(rs.err) if rs.err else "",
                     rv.rc, indent(rv.out), "\n    stderr:\n" + indent(rv.err) if rv.err else ""))

    def same(self, label, vs, vv, expect=None):
        """Compares two observations (any value) made the same way on each daemon; with expect,
        also checks that supervisord's is what the test was written for."""
        CHECKS[0] += 1
        if vs != vv:
            fail(self.case, "%s differs\n    supervisord: %r\n    vigild:      %r" % (label, vs, vv))
        if expect is not None and vs != expect:
            fail(self.case, "test assumption: on supervisord, %s is %r, expected %r" % (label, vs, expect))

    def wait_states(self, expected, timeout=STATE_TIMEOUT):
        """Waits until `status` shows each namespec of expected in its state, on both daemons."""
        def reached(d):
            ok = wait_until(lambda: all(d.states().get(n) == s for n, s in expected.items()),
                            timeout, 0.1)
            return ok, d.ctl(["status"]).out
        for d, (ok, status) in zip(self.daemons, self.both(reached)):
            if not ok:
                fail(self.case, "%s: processes did not reach %s within %ds; status:\n%s" % (
                    d.kind, expected, timeout, indent(status)))

    def stopping_window(self, commands, reload):
        """Runs commands while both daemons are stopping their programs (after `shutdown` or
        `reload`), then checks that they still were, else the comparison proves nothing; then
        lets slowstop end (case_config), which ends the window."""
        for command in commands:
            self.run(command)
        for d in self.daemons:
            still = d.proc.poll() is None
            if still and reload:
                still = "SHUTDOWN_STATE" in d.ctl(["status"]).out
            if not still:
                fail(self.case, "%s left its stopping phase before the test was done with it; "
                     "the comparisons just above are not meaningful" % d.kind)
        self.release()

    def release(self):
        """Lets slowstop (case_config) end: its cat gets EOF from the FIFO."""
        for d in self.daemons:
            try:
                os.close(os.open(os.path.join(d.root, "release"), os.O_WRONLY | os.O_NONBLOCK))
            except OSError:                     # ENXIO: no slowstop is waiting
                pass

    def snapshot(self):
        """Records every descendant of both daemons, before a shutdown or a reload (taken
        later, processes orphaned on the way would no longer show as descendants)."""
        for d in self.daemons:
            d.snapshot = descendants(d.proc.pid)

    def check_no_survivors(self, what):
        for d in self.daemons:
            wait_until(lambda: not survivors(d.snapshot), 3)
            left = survivors(d.snapshot)
            if left:
                fail(self.case, "%s: these processes of %s survived %s: %s" % (
                    d.kind, d.kind, what, ", ".join("%d (%s)" % (p, i[1]) for p, i in sorted(left.items()))))

    def shutdown(self, window=(), followers=False):
        """`shutdown`, then both daemons exit 0, leave no process behind, remove their socket
        and pidfile; afterwards supervisorctl says the socket does not exist. With followers, a
        `tail -f` and a `maintail -f` are connected during the shutdown: they must not hold the
        daemon up, and they end when it closes their connection."""
        sessions = []
        if followers:
            for d in self.daemons:
                for args in (["tail", "-f", "sleeper"], ["maintail", "-f"]):
                    session = Session(d.conf, args)
                    sessions.append((d, " ".join(args), session))
            for d, name, session in sessions:
                if not session.wait_for("==> Press Ctrl-C to exit <==\n"):
                    fail(self.case, "%s: `%s` did not start" % (d.kind, name))
        self.snapshot()
        self.run("shutdown", expect_rc=0)
        if window:
            self.stopping_window(window, reload=False)
        rcs = self.both(lambda d: d.finish())
        ended = {}
        for d, name, session in sessions:
            ended[(d.kind, name)] = session.wait_exit(10)
            session.end()
        for d, name, session in sessions:
            if d.kind == "supervisord":
                self.same("`%s` connected during shutdown: exit status when the daemon exits" % name,
                          ended[("supervisord", name)], ended[("vigild", name)], expect=0)
        self.same("daemon exit status after `shutdown`", rcs[0], rcs[1])
        if rcs[0] != 0:
            fail(self.case, "test assumption: supervisord exited %s after shutdown" % rcs[0])
        self.same("socket file left after exit", *[os.path.exists(d.sock) for d in self.daemons])
        self.same("pidfile left after exit", *[os.path.exists(d.pidfile) for d in self.daemons])
        # With the socket gone every command fails in supervisorctl's upcheck: status gives 4,
        # the others 7; commands without an upcheck (avail, reread, update...) print the
        # exception class and give 1; shutdown has its own message.
        self.run("status", expect_rc=4)
        self.run("start sleeper", expect_rc=7)
        self.run("pid")
        self.run("avail", expect_rc=1)
        self.run("shutdown", expect_rc=1)

    def cleanup(self):
        self.release()                          # after a failure: nothing waits for it
        for d in self.daemons:
            try:
                d.cleanup()
            except Exception as e:  # keep cleaning the other one
                fail(self.case, "cleanup of %s: %r" % (d.kind, e))
        self.pool.shutdown()


# --------------------------------------------------------------------------------------------
# case 1: status, start, stop, restart, signal, pid, tail, tail -f, maintail, clear, avail,
# version, fg, shutdown

# `ticker` echoes its stdin (cat) and writes "tick" to stderr twice a second. The ticks are there
# for `fg`: supervisorctl's fg thread (asyncore.loop with its 30 s poll timeout) only notices that
# it was told to stop when one of its two /logtail streams delivers data, so without them
# every fg exit takes ~30 s, with supervisord as with vigild.
CONTROL = r"""
[program:sleeper]
command=/bin/sleep 1000
startsecs=0

[program:cat]
command=/bin/cat
startsecs=0

[program:ticker]
command=/bin/sh -c 'while :; do echo tick >&2; /bin/sleep 0.5; done & exec /bin/cat'
startsecs=0
stopasgroup=true
killasgroup=true

[program:echo]
command=/bin/sh -c 'echo hello-out; echo hello-err >&2; exec /bin/sleep 1000'
startsecs=0

[program:trap]
command=/bin/sh -c 'trap "echo got-usr1" USR1; echo ready; while :; do /bin/sleep 1000 & p=$!; wait $p; kill $p 2>/dev/null; done'
startsecs=0
stopasgroup=true
killasgroup=true

[program:nolog]
command=/bin/sleep 1000
startsecs=0
stdout_logfile=NONE

[program:once]
command=/bin/sh -c 'echo done; exec /bin/sleep 0.3'
startsecs=0
autorestart=false

[program:w]
command=/bin/sleep 1000
process_name=w_%(process_num)d
numprocs=2
startsecs=0

[program:ga]
command=/bin/sleep 1000
startsecs=0
priority=7

[program:gb]
command=/bin/sleep 1000
startsecs=0

[group:grp]
programs=ga,gb
priority=50

[program:idle]
command=/bin/sleep 1000
startsecs=0
autostart=false

[program:false]
command=/bin/false
startsecs=1
startretries=0
autostart=false

[program:missing]
command=/nonexistent/vigil-test-program
autostart=false

[program:notexec]
command=@ROOT@/notexec.sh
autostart=false

[program:a_name_longer_than_thirty_characters]
command=/bin/sleep 1000
startsecs=0
autostart=false

# never reaches RUNNING: stays STARTING
[program:starting]
command=/bin/sleep 1000
startsecs=1000

# ignores SIGTERM: stop ends it with SIGKILL after stopwaitsecs
[program:stubborn]
command=/bin/sh -c 'trap "" TERM; exec /bin/sleep 1000'
startsecs=0
stopwaitsecs=1

# more output than tail's 1600 bytes and tail -f's first 1024
[program:big]
command=/bin/sh -c 'i=0; while [ $i -lt 300 ]; do echo "line $i"; i=$((i+1)); done; exec /bin/sleep 1000'
startsecs=0

# UTF-8 output (e-acute, check mark)
[program:uni]
command=/bin/sh -c 'printf "h\303\251llo \342\234\223\n"; exec /bin/sleep 1000'
startsecs=0

# spawn errors (a missing command) at autostart: BACKOFF with retries, or FATAL at once
[program:ghost]
command=/nonexistent/vigil-ghost
startretries=100

[program:ghost0]
command=/nonexistent/vigil-ghost0
startretries=0

# the child cannot exec (bad #! interpreter) or chdir: it says why on its stderr and exits 127
[program:badinterp]
command=@ROOT@/badinterp.sh
startsecs=1
startretries=0
autostart=false

[program:baddir]
command=/bin/sleep 1000
directory=/nonexistent/vigil-dir
startsecs=1
startretries=0
autostart=false

# stderr into stdout: there is no stderr log
[program:redir]
command=/bin/sh -c 'echo to-out; echo to-err >&2; exec /bin/sleep 1000'
startsecs=0
redirect_stderr=true
priority=3

# `start` waits until the process has stayed up startsecs
[program:slowstart]
command=/bin/sleep 1000
startsecs=1
autostart=false
"""

RUNNING_AT_START = {n: "RUNNING" for n in (
    "sleeper", "cat", "ticker", "echo", "trap", "nolog", "w:w_0", "w:w_1", "grp:ga", "grp:gb",
    "stubborn", "big", "uni", "redir")}
INITIAL = dict(RUNNING_AT_START, once="EXITED", starting="STARTING", slowstart="STOPPED",
               badinterp="STOPPED", baddir="STOPPED",
               ghost="BACKOFF", ghost0="FATAL", idle="STOPPED", false="STOPPED",
               missing="STOPPED", notexec="STOPPED", a_name_longer_than_thirty_characters="STOPPED")

SUPERVISORD_MESSAGE = re.compile(r" [A-Z]{4} (spawned|success|exited|spawnerr|gave up|stopped): ")
LOG_LINE = re.compile(r"(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (CRIT|ERRO|WARN|INFO|DEBG|TRAC|BLAT) ")


def case_control(vigild):
    case = "control"
    pair = Pair(case, vigild, CONTROL)
    try:
        for d in pair.daemons:
            for name, text, mode in (("notexec.sh", "#!/bin/sh\nexit 0\n", 0o644),
                                     ("badinterp.sh", "#!/nonexistent/interpreter\nexit 0\n", 0o755)):
                path = os.path.join(d.root, name)
                with open(path, "w") as f:
                    f.write(text)
                os.chmod(path, mode)
        pair.start()
        pair.wait_states(INITIAL)
        run = pair.run

        # --- status: all, names, groups, unknown names and groups; exit codes 0/3/4
        run("status", expect_rc=3)              # once EXITED, idle STOPPED...: 3
        run("status sleeper cat", expect_rc=0)
        run("status grp:*", expect_rc=0)
        run("status grp:")
        run("status grp:ga w:w_1")
        run("status w:*")
        run("status nosuch", expect_rc=4)
        run("status nosuch:*", expect_rc=4)
        run("status sleeper nosuch")
        run("status grp:nosuch")
        run("status idle", expect_rc=3)
        run("status once", expect_rc=3)
        run("status a_name_longer_than_thirty_characters")
        run("status starting", expect_rc=0)     # STARTING counts as running
        run("status w")                         # a bare name means w:w
        run("status grp")
        run("status redir")
        run("status ghost", expect_rc=0)        # BACKOFF counts as running
        run("status ghost0", expect_rc=3)
        run("pid ghost", pids=True, expect_rc=7)
        run("version", expect_rc=0)
        run("version extra")
        run("avail", expect_rc=0)
        run("bogus", expect_rc=1)               # *** Unknown syntax (client side)

        # --- pid
        run("pid", pids=True, expect_rc=0)
        run("pid all", pids=True)
        run("pid sleeper", pids=True, expect_rc=0)
        run("pid grp:ga", pids=True)
        run("pid idle", pids=True, expect_rc=7)
        run("pid nosuch", pids=True)
        run("pid starting", pids=True, expect_rc=0)
        run("pid w", pids=True)
        run("pid grp:*", pids=True)
        # the pids are real: `pid` is the daemon we started, `pid all` its children
        def pids_are_real(d):
            own = d.pid_of() == str(d.proc.pid)
            table = proc_table()
            listed = [int(p) for p in d.ctl(["pid", "all"]).out.split() if p != "0"]
            return own, bool(listed) and all(table.get(p, (None,))[0] == d.proc.pid for p in listed)
        pair.same("`pid` is the daemon's pid, `pid all` lists its children", *pair.both(pids_are_real),
                  expect=(True, True))

        # --- tail
        run("tail echo", expect_rc=0)
        run("tail echo stderr")
        run("tail echo stdout")
        run("tail -4 echo")
        run("tail -4 echo stderr")
        run("tail -0 echo")
        run("tail -100000 echo")
        run("tail once")
        run("tail nolog", expect_rc=1)          # stdout_logfile=NONE: no log file
        run("tail nolog stderr")
        run("tail nosuch", expect_rc=1)
        run("tail idle")
        run("tail -x echo")
        run("tail echo bogus")
        run("tail")
        def big_written(d):
            return wait_until(lambda: "line 299" in d.ctl(["tail", "big"]).out, 10)
        pair.same("big wrote its 300 lines", *pair.both(big_written), expect=True)
        run("tail big")
        run("tail -100 big")
        run("tail -1601 big")
        run("tail big stderr")
        run("tail uni")
        run("tail -5 uni")
        run("tail redir")
        run("tail redir stderr")                # redirect_stderr: no stderr log

        # --- maintail: the contents are each daemon's own main log, so only the exit status and
        # the shape are compared; vigild's output must be its log lines.
        for args in (["maintail"], ["maintail", "-300"]):
            rs, rv = pair.both(lambda d: d.ctl(args))
            pair.same("`supervisorctl %s` exit status" % " ".join(args), rs.rc, rv.rc)
            for d, r in zip(pair.daemons, (rs, rv)):
                if not LOG_LINE.search(r.out) or not SUPERVISORD_MESSAGE.search(r.out):
                    fail(case, "`supervisorctl %s` on %s does not show its main log:\n%s" % (
                        " ".join(args), d.kind, indent(r.out[-2000:] + r.err)))
                if len(args) == 2 and len(r.out) > 301:
                    fail(case, "`supervisorctl maintail -300` on %s printed %d chars" % (d.kind, len(r.out)))
                # the main log's timestamps are local time (here DAEMON_TZ), like supervisord's
                stamps = re.findall(r"(?m)^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),\d{3} ", r.out)
                now = datetime.datetime.now(zoneinfo.ZoneInfo(DAEMON_TZ)).replace(tzinfo=None)
                if stamps and abs((now - datetime.datetime.strptime(stamps[-1], "%Y-%m-%d %H:%M:%S"))
                                  .total_seconds()) > 300:
                    fail(case, "`supervisorctl %s` on %s: the last log line is stamped %s, but it is "
                         "%s in %s" % (" ".join(args), d.kind, stamps[-1], now.strftime("%H:%M:%S"), DAEMON_TZ))
        run("maintail -x")

        # --- start
        run("start idle", expect_rc=0)
        run("start idle", expect_rc=0)          # already started
        run("start", expect_rc=2)
        run("start nosuch", expect_rc=1)
        run("start nosuch:*", expect_rc=2)
        run("start grp:nosuch")
        run("start false", expect_rc=7)         # spawn error (exits before startsecs)
        # ("abnormal termination", ABNORMAL_TERMINATION, needs a process that leaves STARTING
        # without a spawnerr: in 4.2.5 only a race between the child's exit and the first
        # transition. It cannot be produced deterministically, so it is not covered.)
        pair.wait_states({"false": "FATAL"})
        run("status false", expect_rc=3)
        run("tail false stderr")
        run("start missing", expect_rc=1)       # no such file
        run("status missing")
        run("start notexec", expect_rc=1)       # file is not executable
        run("start badinterp", expect_rc=7)     # exec fails in the child: spawn error
        run("start baddir", expect_rc=7)        # chdir fails in the child
        pair.wait_states({"badinterp": "FATAL", "baddir": "FATAL"})
        # Documented difference (README.md, "What vigild does beyond supervisord": a command
        # that cannot be executed is reported as a spawn error with its reason, not as a process
        # that "exited too quickly"): vigild's child reports a failed exec/chdir to vigild
        # through a pipe, so vigild's FATAL description names it, where supervisord only sees an
        # early exit. supervisord's answer, with those two descriptions replaced, is vigild's.
        rs, rv = pair.both(lambda d: d.ctl(["status", "badinterp", "baddir"]))
        quick = "Exited too quickly (process log may have details)"
        wanted = normalise(rs.out, pair.s).split("\n")
        for i, (name, reason) in enumerate((("badinterp", "couldn't exec <TMP>/badinterp.sh: ENOENT"),
                                            ("baddir", "couldn't chdir to /nonexistent/vigil-dir: ENOENT"))):
            if i < len(wanted) and wanted[i].startswith(name + " ") and wanted[i].endswith(quick):
                wanted[i] = wanted[i][:-len(quick)] + reason
            else:
                fail(case, "test assumption: supervisord's `status badinterp baddir`:\n%s" % indent(rs.out))
        pair.same("`supervisorctl status badinterp baddir` (exit status, output; vigild's own "
                  "FATAL descriptions)", (rs.rc, "\n".join(wanted)), (rv.rc, normalise(rv.out, pair.v)))
        # Documented difference (README.md, the same item): the two lines the daemon writes
        # into the program's stderr log when its child could not exec or chdir ("couldn't exec
        # ...: ENOENT", "child process was not spawned") are supervisord's words, but vigild
        # signs them "vigild:" where supervisord signs them "supervisor:". vigild's output must
        # be supervisord's with exactly that prefix changed at the start of each line.
        for name in ("badinterp", "baddir"):
            rs, rv = pair.both(lambda d: d.ctl(["tail", name, "stderr"]))
            signed = re.sub(r"(?m)^supervisor: ", "vigild: ", rs.out)
            if signed.count("vigild: ") != 2 or "child process was not spawned" not in signed:
                fail(case, "test assumption: supervisord's `tail %s stderr`:\n%s" % (name, indent(rs.out)))
            pair.compare("tail %s stderr (supervisord's lines, signed vigild:)" % name,
                         Result(rs.rc, signed, rs.err), rv)
        run("tail badinterp")
        # out of the way, so that the differences above (if any) do not repeat in every
        # `status` below
        run("remove badinterp baddir", expect_rc=0)
        run("start sleeper idle nosuch", unordered=True)
        run("start a_name_longer_than_thirty_characters")
        run("start starting", expect_rc=0)      # already started (STARTING)
        run("start ghost", expect_rc=1)         # checked before the state: no such file
        run("start ghost0", expect_rc=1)
        run("start grp")                        # grp:grp does not exist
        run("start grp:* grp:ga sleeper", unordered=True)
        run("status")

        # --- stop
        run("stop idle", expect_rc=0)
        run("stop idle", expect_rc=0)           # not running: ignored
        run("stop")
        run("stop nosuch")
        run("stop nosuch:*")
        run("stop false")                       # FATAL is not running
        run("stop grp:*", expect_rc=0, unordered=True)
        run("stop grp:*")
        run("status grp:*", expect_rc=3)
        run("start grp:*", expect_rc=0, unordered=True)
        run("start grp:*")
        run("stop w:w_0")
        run("status w:*")
        run("start w:*", unordered=True)
        run("stop a_name_longer_than_thirty_characters")
        run("stop starting", expect_rc=0)       # stop a STARTING process
        run("stop ghost", expect_rc=0)          # stop a BACKOFF process: at once
        run("status ghost ghost0", expect_rc=3)
        run("stop ghost0")
        run("status starting", expect_rc=3)
        run("remove starting", expect_rc=0)     # or `start all` below would wait for ever
        # `start` answers once the process has stayed up startsecs (1 s), `stop` once it is
        # gone (stubborn: after stopwaitsecs, 1 s). Lower bounds only: they are what the commands
        # wait for, whatever the machine's load.
        def took(d, args):
            t = time.monotonic()
            r = d.ctl(args)
            return r.rc, r.out, time.monotonic() - t >= 1.0
        res = pair.both(took, ["start", "slowstart"])
        pair.same("`start slowstart` (exit, output, waited startsecs)", res[0], res[1],
                  expect=(0, "slowstart: started\n", True))
        run("stop slowstart")
        res = pair.both(took, ["stop", "stubborn"])    # SIGTERM ignored: SIGKILL after stopwaitsecs
        pair.same("`stop stubborn` (exit, output, waited stopwaitsecs)", res[0], res[1],
                  expect=(0, "stubborn: stopped\n", True))
        run("status stubborn", expect_rc=3)
        run("start stubborn", expect_rc=0)
        run("status slowstart stubborn")

        # --- restart (and that it really restarts: a new pid)
        before = pair.both(lambda d: d.pid_of("sleeper"))
        run("restart sleeper", expect_rc=0)
        after = pair.both(lambda d: d.pid_of("sleeper"))
        pair.same("`restart sleeper` changed the pid", before[0] != after[0], before[1] != after[1],
                  expect=True)
        run("restart grp:*", unordered=True)
        run("restart idle")                     # not running: error, then started
        run("restart nosuch")
        run("restart")
        run("restart false")
        run("stop sleeper cat", unordered=True)
        run("start sleeper cat", unordered=True)
        pair.wait_states(dict(RUNNING_AT_START, idle="RUNNING"))
        run("status")

        # --- signal
        run("signal USR1 trap", expect_rc=0)
        run("signal 10 trap")                   # SIGUSR1 by number
        run("signal SIGUSR1 trap")
        run("signal usr1 trap")
        def got_all(d):
            return wait_until(lambda: d.ctl(["tail", "trap"]).out.count("got-usr1") >= 4, 10)
        pair.same("trap received 4 SIGUSR1", *pair.both(got_all), expect=True)
        run("tail trap")
        run("signal BOGUS trap", expect_rc=1)
        run("signal 99 trap")
        run("signal 0 trap")
        run("signal HUP missing")               # not running
        run("signal HUP nosuch")
        run("signal CONT grp:*")
        run("signal CONT w:*")
        run("signal CONT nosuch:*")
        run("signal")
        run("signal CONT all")
        run("status trap")
        # SIGKILL: the process dies, autorestart=unexpected starts it again with a new pid
        old = pair.both(lambda d: d.pid_of("sleeper"))
        run("signal KILL sleeper", expect_rc=0)
        def restarted(d, old):
            return bool(wait_until(lambda: d.pid_of("sleeper") not in (old, "0")
                                   and d.states().get("sleeper") == "RUNNING", 10))
        futures = [pair.pool.submit(restarted, d, o) for d, o in zip(pair.daemons, old)]
        pair.same("sleeper restarted after SIGKILL", *[f.result() for f in futures], expect=True)
        run("status sleeper", expect_rc=0)

        # --- tail -f of a log larger than its first chunk (1024 bytes), before clear empties it
        def tail_f_big(d):
            big = Session(d.conf, ["tail", "-f", "big"])
            try:
                seen = bool(big.wait_for("line 299\n"))
                big.proc.send_signal(signal.SIGINT)
                return seen, big.wait_exit(10), big.output(), big.errors()
            finally:
                big.end()
        obs = pair.both(tail_f_big)
        pair.same("`supervisorctl tail -f big` (shown the end, exit status on Ctrl-C, output, stderr)",
                  obs[0], obs[1])
        if obs[0][:2] != (True, 0):
            fail(case, "test assumption: `tail -f big` on supervisord: %r" % (obs[0],))

        # --- clear
        run("clear echo", expect_rc=0)
        run("tail echo")
        run("tail echo stderr")
        run("clear nosuch")
        run("clear")
        # (`clear all` is in case_auth: supervisord clears one process per main-loop pass, so
        # with this many processes it takes ~10 s)
        run("clear ticker cat")
        # clear on a process that is not running: supervisord's clearProcessLogs only reaches
        # the log files of open dispatchers, i.e. of a running process, and answers "cleared"
        # leaving the file as it was
        run("clear once")                       # an exited process
        run("tail once")
        run("tail missing")                     # never started: its AUTO log exists, empty
        run("clear missing")

        # --- fg: argument errors
        run("fg")
        run("fg nosuch")
        run("fg missing")                       # not running

        # --- tail -f, maintail -f, fg (interactive), on both daemons at once
        obs = pair.both(streaming)
        for key in obs[0]:
            if key.endswith("output") or key.endswith("stderr"):
                pair.same(key, normalise(obs[0][key], pair.s), normalise(obs[1][key], pair.v))
            else:
                pair.same(key, obs[0][key], obs[1][key])
                want = 0 if "exit status" in key else True if ": " in key else obs[0][key]
                if obs[0][key] != want:
                    fail(case, "test assumption: on supervisord %s is %r" % (key, obs[0][key]))
        run("tail -f nolog")                    # 404: supervisorctl prints the error and ends
        run("tail -f redir stderr")             # no stderr log: 404 too
        run("tail -f nosuch")
        run("status ticker cat")

        # --- all
        run("stop all", unordered=True)
        run("status", expect_rc=3)
        run("stop all")                         # nothing left running
        run("start all", unordered=True)
        pair.wait_states({"false": "FATAL", "once": "EXITED", "sleeper": "RUNNING"})
        run("status")
        run("restart all", unordered=True)
        pair.wait_states({"false": "FATAL", "once": "EXITED", "sleeper": "RUNNING"})
        run("status")

        # --- a tail that starts inside a multi-byte character. Deliberate difference (vigild
        # src/api/process_methods.h: "invalid UTF-8 becomes U+FFFD"): supervisord 4.2.5 crashes
        # in readProcessStdoutLog (as_string() raises UnicodeDecodeError, then
        # `getattr(Faults, 'utf-8')` raises AttributeError: HTTP 500, and supervisorctl prints a
        # ProtocolError); vigild answers the bytes decoded with errors='replace'. This is last
        # because supervisord writes that traceback into its main log.
        rs, rv = pair.both(lambda d: d.ctl(["tail", "-3", "uni"]))
        CHECKS[0] += 1
        if (rv.rc, rv.out, rv.err) != (0, "\ufffd\ufffd\n\n", ""):
            fail(case, "`supervisorctl tail -3 uni` on vigild: exit %s\n%s" % (rv.rc, indent(repr(rv.out) + rv.err)))
        if rs.rc != 1 or "500 Internal Server Error" not in rs.out:
            fail(case, "test assumption: `supervisorctl tail -3 uni` on supervisord: exit %s\n%s" % (
                rs.rc, indent(rs.out + rs.err)))

        # --- shutdown
        run("shutdown now")                      # shutdown accepts no arguments
        pair.shutdown(followers=True)
    finally:
        pair.cleanup()


def streaming(d):
    """tail -f / maintail -f / fg on one daemon. Returns observations to compare."""
    obs = {}
    sessions = []
    banner = "==> Press Ctrl-C to exit <=="
    try:
        # tail -f on ticker's stdout, then fg on ticker: a line written to fg's stdin goes to
        # the program (sendProcessStdin), comes back on its stdout and shows in both streams.
        tail = Session(d.conf, ["tail", "-f", "ticker"])
        sessions.append(tail)
        obs["tail -f: banner"] = bool(tail.wait_for(banner))
        mtail = Session(d.conf, ["maintail", "-f"])
        sessions.append(mtail)
        obs["maintail -f: shows the main log"] = bool(wait_until(
            lambda: SUPERVISORD_MESSAGE.search(mtail.output())
            and LOG_LINE.search(mtail.output()), 10))
        fg = Session(d.conf, ["fg", "ticker"], stdin=True)
        sessions.append(fg)
        obs["fg: banner"] = bool(fg.wait_for(banner))
        fg.write("line-one\n")
        obs["fg: echoes line-one"] = bool(fg.wait_for("line-one\n"))
        obs["tail -f: streams line-one"] = bool(tail.wait_for("line-one\n"))
        fg.write("line-two\n")
        obs["fg: echoes line-two"] = bool(fg.wait_for("line-two\n"))
        obs["tail -f: streams line-two"] = bool(tail.wait_for("line-two\n"))
        fg.proc.stdin.close()                   # EOF: fg says "Exiting foreground" and ends
        obs["fg: exit status on EOF"] = fg.wait_exit(15)
        obs["fg (EOF) output"] = strip_ticks(fg.output())
        obs["fg (EOF) stderr"] = fg.errors()
        # clear the log under tail -f (supervisord removes the file and opens a new one; its
        # logtail reopens on the inode change and carries on from the new file's start)
        obs["clear ticker"] = d.ctl(["clear", "ticker"]).out
        # Ctrl-C
        fg2 = Session(d.conf, ["fg", "ticker"], stdin=True)
        sessions.append(fg2)
        obs["fg2: banner"] = bool(fg2.wait_for(banner))
        fg2.write("line-three\n")
        obs["fg2: echoes line-three"] = bool(fg2.wait_for("line-three\n"))
        obs["tail -f: streams line-three"] = bool(tail.wait_for("line-three\n"))
        fg2.proc.send_signal(signal.SIGINT)
        obs["fg: exit status on Ctrl-C"] = fg2.wait_exit(15)
        obs["fg (Ctrl-C) output"] = strip_ticks(fg2.output())
        obs["fg (Ctrl-C) stderr"] = fg2.errors()
        # end tail -f and maintail -f the way a user does: Ctrl-C (SIGINT to their pid)
        for name, session in (("tail -f", tail), ("maintail -f", mtail)):
            session.proc.send_signal(signal.SIGINT)
            obs[name + ": exit status on Ctrl-C"] = session.wait_exit(10)
        obs["tail -f output"] = tail.output()
        # tail -f of stderr
        err = Session(d.conf, ["tail", "-f", "ticker", "stderr"])
        sessions.append(err)
        obs["tail -f ticker stderr: streams ticks"] = bool(wait_until(
            lambda: err.output().count("tick\n") >= 2, 10))
        err.proc.send_signal(signal.SIGINT)
        obs["tail -f ticker stderr: exit status on Ctrl-C"] = err.wait_exit(10)
        obs["tail -f stderr"] = tail.errors()
        obs["maintail -f stderr"] = mtail.errors()
    finally:
        for session in sessions:
            session.end()
    return obs


def strip_ticks(text):
    return "".join(line for line in text.splitlines(True) if line != "tick\n")


# --------------------------------------------------------------------------------------------
# case 2: reread, update, add, remove, reload

CONFIG_V1 = r"""
[program:keep]
command=/bin/sleep 1000
startsecs=0

[program:change]
command=/bin/sleep 1000
startsecs=0

[program:gone]
command=/bin/sleep 1000
startsecs=0

[program:ga]
command=/bin/sleep 1000
startsecs=0

[program:gb]
command=/bin/sleep 1000
startsecs=0

[group:grp]
programs=ga,gb

[program:later]
command=/bin/sleep 1000
startsecs=0
autostart=false

# ignores SIGTERM (cat inherits the ignored signal) and ends when the test opens and closes the
# FIFO @ROOT@/release: keeps reload and shutdown in their stopping phase for as long as the test
# needs, whatever the load (Pair.stopping_window)
[program:slowstop]
command=/bin/sh -c 'trap "" TERM; exec /bin/cat @ROOT@/release'
startsecs=0
stopwaitsecs=60

# a non-ASCII program name (see case_config)
[program:café]
command=/bin/sleep 1000
startsecs=0
"""

# change: new command; gone: removed; grp: one member changed; new, new2: added
CONFIG_V2 = r"""
[program:keep]
command=/bin/sleep 1000
startsecs=0

[program:change]
command=/bin/sleep 999
startsecs=0

[program:ga]
command=/bin/sleep 1000
startsecs=0

[program:gb]
command=/bin/sleep 998
startsecs=0

[group:grp]
programs=ga,gb

[program:later]
command=/bin/sleep 1000
startsecs=0
autostart=false

[program:new]
command=/bin/sleep 1000
startsecs=0

[program:new2]
command=/bin/sleep 1000
startsecs=0
autostart=false

[program:slowstop]
command=/bin/sh -c 'trap "" TERM; exec /bin/cat @ROOT@/release'
startsecs=0
stopwaitsecs=60

# a non-ASCII program name (see case_config)
[program:café]
command=/bin/sleep 1000
startsecs=0
"""

CONFIG_V3 = CONFIG_V2 + """
[program:fresh]
command=/bin/sleep 1000
startsecs=0
"""

CONFIG_BROKEN = CONFIG_V2.replace("[program:keep]\ncommand=/bin/sleep 1000\nstartsecs=0",
                                  "[program:keep]\ncommand=/bin/sleep 1000\nstartsecs=ten")


def case_config(vigild):
    case = "config"
    pair = Pair(case, vigild, CONFIG_V1)
    try:
        pair.start()
        v1_running = {n: "RUNNING" for n in ("keep", "change", "gone", "grp:ga", "grp:gb", "slowstop",
                                             "caf\u00e9")}
        pair.wait_states(dict(v1_running, later="STOPPED"))
        run = pair.run

        # A non-ASCII program name, one process at a time. Not with `all` or `g:*`: supervisord
        # 4.2.5 cannot answer a deferred call (start/stop/clear of several processes) whose
        # result names such a process: DeferredXMLRPCResponse.getresponse() sets Content-Length
        # to len() of the *str* body, shorter than its UTF-8 bytes, so supervisorctl gets a cut
        # XML reply (ExpatError "unclosed token"). vigild answers those correctly.
        run("status caf\u00e9", expect_rc=0)
        run("stop caf\u00e9", expect_rc=0)
        run("status caf\u00e9", expect_rc=3)
        run("start caf\u00e9", expect_rc=0)
        run("pid caf\u00e9", pids=True, expect_rc=0)
        run("tail caf\u00e9 stderr", expect_rc=0)
        run("reread", expect_rc=0)              # No config updates to processes
        run("update", expect_rc=0)
        run("avail")
        run("start later")

        names = ("keep", "change", "grp:ga", "grp:gb", "later")
        before = pair.both(lambda d: {n: d.pid_of(n) for n in names})
        pair.write_conf(CONFIG_V2)
        run("reread", expect_rc=0)
        run("reread")                           # nothing applied yet: the same answer
        run("avail")
        run("status")
        run("reread extra")
        run("update change")
        run("update nosuch")
        run("status")
        run("update", expect_rc=0)
        pair.wait_states(dict(keep="RUNNING", change="RUNNING", new="RUNNING", new2="STOPPED",
                              later="RUNNING", **{"grp:ga": "RUNNING", "grp:gb": "RUNNING"}))
        run("status")
        run("avail")
        after = pair.both(lambda d: {n: d.pid_of(n) for n in names})
        # which programs kept their pid across update: unchanged groups (keep, later) must,
        # changed ones (change, and the whole group grp though only gb changed) must not
        kept = [sorted(n for n in names if b[n] == a[n]) for b, a in zip(before, after)]
        pair.same("programs that kept their pid across `update`", kept[0], kept[1])
        if kept[0] != ["keep", "later"]:
            fail(case, "test assumption: on supervisord `update` kept the pids of %s" % kept[0])
        run("update")                           # nothing left to do
        run("update all")
        run("reread")

        # remove / add
        run("remove keep", expect_rc=1)         # still running
        run("stop keep")
        run("remove keep", expect_rc=0)
        run("remove keep", expect_rc=1)         # no such group
        run("status keep", expect_rc=4)
        run("avail")
        run("reread")                           # keep is in the file but not active: available
        run("add keep", expect_rc=0)
        run("add keep", expect_rc=0)            # already active (supervisorctl exits 0)
        run("add nosuch", expect_rc=1)
        run("remove nosuch", expect_rc=1)
        run("remove new2")
        run("add keep new2")
        run("add")
        run("remove")
        run("remove grp:ga")
        run("status")
        pair.wait_states({"keep": "RUNNING"})

        # a configuration error: reread and update report it (CANT_REREAD, in supervisord's
        # words: vigild answers reloadConfig with supervisord's text, docs/config.md), nothing
        # changes
        pair.write_conf(CONFIG_BROKEN)
        for command in ("reread", "update"):
            rs, _ = run(command, expect_rc=1)
            if "CANT_REREAD: invalid literal for int() with base 10: 'ten' in section 'program:keep'" \
                    not in rs.out:
                fail(case, "test assumption: supervisord's `%s` on a broken file:\n%s" % (
                    command, indent(rs.out + rs.err)))
        run("status")
        # reload reads the file again: a further change made now shows after it
        pair.write_conf(CONFIG_V3)

        # reload: every process stops, the file is read again, autostart programs come back;
        # runtime state (the manually started `later`) is lost; the daemon keeps its pid
        daemon_pids = pair.both(lambda d: d.pid_of())
        pair.snapshot()
        run("reload", expect_rc=0)
        # while the daemon stops its programs for the reload (slowstop holds it there until
        # stopping_window releases it), every call gets the SHUTDOWN_STATE fault
        pair.stopping_window(["reload now", "status", "reload", "shutdown", "avail", "reread",
                              "update", "start keep"], reload=True)
        for d in pair.daemons:
            if not wait_until(d.answers, START_TIMEOUT, 0.1):
                fail(case, "%s does not answer after reload" % d.kind)
        pair.wait_states(dict(keep="RUNNING", change="RUNNING", new="RUNNING", new2="STOPPED",
                              later="STOPPED", fresh="RUNNING",
                              **{"grp:ga": "RUNNING", "grp:gb": "RUNNING"}))
        run("status")
        run("avail")
        pair.check_no_survivors("the reload")
        again = pair.both(lambda d: d.pid_of())
        pair.same("the daemon kept its pid across reload",
                  daemon_pids[0] == again[0], daemon_pids[1] == again[1], expect=True)
        pair.same("the daemon's pid is the one we started",
                  again[0] == str(pair.s.proc.pid), again[1] == str(pair.v.proc.pid), expect=True)
        run("reread")
        pair.shutdown(window=["status", "shutdown", "reload", "avail", "stop keep", "add keep",
                              "remove keep", "pid"])
    finally:
        pair.cleanup()


# --------------------------------------------------------------------------------------------
# case 3: HTTP basic authentication on the unix socket ({SHA} password), for XML-RPC and /logtail

AUTH = r"""
[program:echo]
command=/bin/sh -c 'echo hello-auth; exec /bin/sleep 1000'
startsecs=0

[program:idle]
command=/bin/sleep 1000
autostart=false
"""


def case_auth(vigild):
    case = "auth"
    digest = hashlib.sha1(b"secret").hexdigest()
    pair = Pair(case, vigild, AUTH, server_extra="username=alice\npassword={SHA}%s\n" % digest,
                ctl_extra="username=alice\npassword=secret\n")
    for d in pair.daemons:
        d.credentials = ("alice", "secret")
    try:
        pair.start()
        pair.wait_states({"echo": "RUNNING"})
        run = pair.run
        run("status", expect_rc=3)              # idle is STOPPED
        run("tail echo", expect_rc=0)
        run("maintail -5", expect_rc=0)
        run("-u alice -p wrong status")
        run("-u bob -p secret status")
        run("-u alice -p wrong tail echo")
        run("-u alice -p secret version", conf="bare-ctl.conf")
        run("status", conf="bare-ctl.conf")
        run("avail", conf="bare-ctl.conf")
        run("shutdown", conf="bare-ctl.conf")
        def follow(d, args):
            session = Session(d.conf, args)
            try:
                seen = bool(session.wait_for("hello-auth\n"))
                session.proc.send_signal(signal.SIGINT)
                return seen, session.wait_exit(10), session.output(), session.errors()
            finally:
                session.end()
        obs = pair.both(follow, ["tail", "-f", "echo"])
        pair.same("`tail -f echo` with credentials (shown, exit status, output, stderr)", obs[0], obs[1])
        if obs[0][:2] != (True, 0):
            fail(case, "test assumption: `tail -f echo` with credentials on supervisord: %r" % (obs[0],))
        run("-u alice -p wrong tail -f echo")   # refused at the upcheck, before /logtail
        run("clear all", expect_rc=0)
        run("tail echo")
        pair.shutdown()
    finally:
        pair.cleanup()


# --------------------------------------------------------------------------------------------
# case 4: no daemon at all (supervisorctl's own errors; nothing to compare with)

def case_no_daemon():
    case = "no daemon"
    root = tempfile.mkdtemp(prefix="vigil-ctl-n-")
    try:
        missing = os.path.join(root, "missing.sock")
        refused = os.path.join(root, "refused.sock")
        # a socket file nobody listens on: connect() gives ECONNREFUSED
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(refused)
        sock.close()
        for path, word, status_rc, start_rc in ((missing, "no such file", 4, 7),
                                                (refused, "refused connection", 4, 4)):
            conf = os.path.join(root, "ctl.conf")
            with open(conf, "w") as f:
                f.write("[supervisorctl]\nserverurl=unix://%s\n" % path)
            for args, rc in ((["status"], status_rc), (["start", "x"], start_rc),
                             (["pid"], start_rc)):
                CHECKS[0] += 1
                r = subprocess.run([SUPERVISORCTL, "-c", conf] + args, env=ctl_env(),
                                   stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                   timeout=CTL_TIMEOUT)
                want = "unix://%s %s\n" % (path, word)
                if (r.returncode, r.stdout) != (rc, want):
                    fail(case, "`supervisorctl %s` with %s: exit %s, output %r; expected exit %d, %r"
                         % (" ".join(args), word, r.returncode, r.stdout, rc, want))
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --------------------------------------------------------------------------------------------

def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    vigild = os.path.abspath(sys.argv[1])
    # a SIGTERM to this script still runs every finally: (daemons and sessions ended by pid)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    for path in (vigild, SUPERVISORD, SUPERVISORCTL, SETPRIV):
        if not os.access(path, os.X_OK):
            sys.stderr.write("%s is not executable\n" % path)
            return 2
    started = time.monotonic()

    def overdue():
        fail("deadline", "the run did not end within %d s (VIGIL_CTL_DEADLINE); ended it"
             % RUN_DEADLINE)
        os.kill(os.getpid(), signal.SIGTERM)
    watchdog = threading.Timer(RUN_DEADLINE, overdue)
    watchdog.daemon = True
    watchdog.start()
    try:
        only = os.environ.get("VIGIL_CTL_CASES", "").split(",")
        for name, fn in (("no daemon", case_no_daemon), ("control", lambda: case_control(vigild)),
                         ("config", lambda: case_config(vigild)), ("auth", lambda: case_auth(vigild))):
            if only != [""] and name not in only:
                continue
            t = time.monotonic()
            try:
                fn()
            except Exception as e:
                fail(name, "aborted: %s: %s" % (type(e).__name__, e))
            print("case %-10s %5.1f s" % (name, time.monotonic() - t))
    finally:
        watchdog.cancel()
        for proc in PROCS:                      # whatever is still running, by pid
            if proc.poll() is None:
                end_process(proc, signal.SIGTERM, 10)
        for failure in FAILURES:                # also when ended by SIGTERM
            print("FAIL " + failure)
        print("%d checks, %d failures, %.1f s" % (CHECKS[0], len(FAILURES), time.monotonic() - started))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""vigil's benchmarks: vigild against supervisord, s6 and runit, side by side in one run.

Measures, for N programs (`--programs`, default 1000) of `sleep infinity` (docs: bench/README.md):
  memory       PSS of the supervisor process(es) with the N programs running
  start        launching the supervisor until all N programs have exec'd (and, for vigild and
               supervisord, until the API reports all N RUNNING)
  idle         context switches of the supervisor process(es) over --idle-seconds
  status       `vigilctl status` / `supervisorctl status` / `sv status` wall time, and the raw
               XML-RPC getAllProcessInfo call
  restart      SIGKILL of a program to its replacement's exec, timed by the kernel's process
               events (proc connector, CLOCK_MONOTONIC), against a fork+exec from Python
  output       a child writing --output-mib MiB of 100-byte lines to stdout, captured with rotation
               (50 MB, 2 backups): the child's wall time against writing straight to a file, and
               the CPU seconds of the supervisor side
  fds          starting the N programs with the soft RLIMIT_NOFILE most systems give (1024)

Benchmarks are not tests: nothing here asserts a timing. Needs root (the proc connector) and Linux.
Every process the run starts is its descendant (the run is a child subreaper) and is ended by it,
also on Ctrl-C or an error.
"""

import argparse
import ctypes
import datetime
import errno
import http.client
import json
import os
import platform
import resource
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import xmlrpc.client

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIB = 1024 * 1024
SLEEP = shutil.which("sleep") or "/usr/bin/sleep"
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
CLK_TCK = os.sysconf("SC_CLK_TCK")

# ---------------------------------------------------------------------------------------------
# Process hygiene: everything started is a descendant of this process, which is a subreaper, so
# even orphans of daemonizing supervisors come back here and can be ended.

_libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    if _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def launch(argv, cwd, log_path, nofile_soft=None):
    """Starts a supervisor in its own session; it gets SIGKILL if this run dies."""

    def child_setup():
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if nofile_soft is not None:
            _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(nofile_soft, hard), hard))

    with open(log_path, "ab") as log:
        return subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                start_new_session=True, preexec_fn=child_setup)


def read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return None


def stat_fields(pid):
    """/proc/PID/stat fields after the command name: [state, ppid, ...] or None."""
    text = read_text(f"/proc/{pid}/stat")
    if text is None:
        return None
    return text[text.rindex(")") + 2:].split()


def descendants(root):
    """Pids of every live descendant of root (zombies included), from one scan of /proc."""
    kids = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            fields = stat_fields(name)
            if fields:
                kids.setdefault(int(fields[1]), []).append(int(name))
    found, todo = [], [root]
    while todo:
        for child in kids.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_everything_started(timeout=15.0):
    """SIGKILLs every descendant of this process and reaps them. Returns how many were killed."""
    me = os.getpid()
    killed = set()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reap()
        alive = [p for p in descendants(me) if (stat_fields(p) or ["Z"])[0] != "Z"]
        if not alive and not [p for p in descendants(me)]:
            return len(killed)
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            except ProcessLookupError:
                pass
        time.sleep(0.05)
    raise RuntimeError(f"processes still alive after {timeout}s: {descendants(me)}")


# ---------------------------------------------------------------------------------------------
# /proc readings

def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            text = read_text(f"/proc/{pid}/task/{tid}/children")
            if text:
                out.extend(int(x) for x in text.split())
    except OSError:
        pass
    return out


def comm(pid):
    text = read_text(f"/proc/{pid}/comm")
    return text.strip() if text else None


def cmdline(pid):
    text = read_text(f"/proc/{pid}/cmdline")
    return text.split("\0")[:-1] if text else []


def pss_kib(pid, key="Pss:"):
    """PSS of pid in KiB (`key` "Pss_Anon:" for its anonymous part: heap, stacks)."""
    text = read_text(f"/proc/{pid}/smaps_rollup") or ""
    for line in text.splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    fields = stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / CLK_TCK if fields else 0.0


def context_switches(pid):
    total = 0
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0
    for tid in tids:
        for line in (read_text(f"/proc/{pid}/task/{tid}/status") or "").splitlines():
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                total += int(line.split()[1])
    return total


def nofile_limit(pid):
    for line in (read_text(f"/proc/{pid}/limits") or "").splitlines():
        if line.startswith("Max open files"):
            return line.split()[3:5]
    return ["?", "?"]


def open_fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


# ---------------------------------------------------------------------------------------------
# The kernel's process events (proc connector): fork, exec and exit with CLOCK_MONOTONIC stamps.

class ProcEvents:
    NETLINK_CONNECTOR = 11
    CN_IDX_PROC = 1
    FORK, EXEC, EXIT = 0x1, 0x2, 0x80000000

    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, self.NETLINK_CONNECTOR)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, 33, 32 * MIB)  # SO_RCVBUFFORCE
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * MIB)
        self.sock.bind((0, self.CN_IDX_PROC))
        self._control(1)  # PROC_CN_MCAST_LISTEN
        self.overflows = 0

    def _control(self, op):
        cn = struct.pack("=IIIIHHI", self.CN_IDX_PROC, 1, 0, 0, 4, 0, op)
        self.sock.send(struct.pack("=IHHII", 16 + len(cn), 3, 0, 0, os.getpid()) + cn)

    def close(self):
        try:
            self._control(2)  # PROC_CN_MCAST_IGNORE
        finally:
            self.sock.close()

    def events(self, timeout):
        """Yields (what, timestamp_ns, a, b, c, d) until timeout seconds pass without one."""
        while True:
            ready, _, _ = select.select([self.sock], [], [], timeout)
            if not ready:
                return
            try:
                data = self.sock.recv(1 << 16)
            except OSError as e:
                if e.errno == errno.ENOBUFS:
                    self.overflows += 1
                    continue
                raise
            off = 0
            while off + 52 <= len(data):
                length = struct.unpack_from("=I", data, off)[0]
                what, _cpu, ts = struct.unpack_from("=IIQ", data, off + 36)
                a, b, c, d = struct.unpack_from("=IIII", data, off + 52)
                yield what, ts, a, b, c, d
                off += (length + 3) & ~3
                if length == 0:
                    break

    def drain(self):
        for _ in self.events(0):
            pass

    def wait_replacement(self, killed, parent, since_ns, timeout=10.0):
        """After `killed` was killed at since_ns: when it exited, when `parent` forked a new
        process and when that exec'd, in ns ({} if no exec was seen within timeout)."""
        forked, died = {}, None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for what, ts, a, b, c, d in self.events(max(0.0, deadline - time.monotonic())):
                if ts < since_ns:
                    continue
                if what == self.EXIT and a == killed and b == killed:
                    died = ts
                elif what == self.FORK and b == parent and c == d:
                    forked[c] = ts
                elif what == self.EXEC and a in forked:
                    return {"exit": died, "fork": forked[a], "exec": ts}
                if time.monotonic() > deadline:
                    break
        return {}


# ---------------------------------------------------------------------------------------------
# XML-RPC over supervisord's unix socket (vigild speaks the same protocol).

class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


class _UnixTransport(xmlrpc.client.Transport):
    def __init__(self, path, timeout):
        super().__init__()
        self.unix_path, self.timeout = path, timeout

    def make_connection(self, host):
        return _UnixConnection(self.unix_path, self.timeout)


def rpc(sock_path, timeout=120.0):
    return xmlrpc.client.ServerProxy("http://localhost",
                                     transport=_UnixTransport(sock_path, timeout)).supervisor


# ---------------------------------------------------------------------------------------------
# The supervisors. Each instance lives in its own directory; `root_pid` is the process launched.

def prog_name(i):
    return f"p{i:04d}"


class Peer:
    name = "?"
    has_api = False

    def __init__(self, workdir, args):
        self.dir = os.path.join(workdir, self.name)
        os.makedirs(self.dir)
        self.args = args
        self.proc = None

    @property
    def root_pid(self):
        return self.proc.pid

    def supervisor_pids(self):
        """The processes that do the supervising (what memory, CPU and wake-ups count)."""
        return [self.root_pid]

    @classmethod
    def available(cls, args):
        return True

    def stop(self):
        """Ends the instance: its own clean shutdown first, then SIGKILL for anything left.
        Returns (seconds of the clean shutdown, its exit status) or (None, None)."""
        if self.proc is None:
            return None, None
        t0 = time.monotonic()
        status = None
        try:
            self.proc.send_signal(self.stop_signal)
            status = self.proc.wait(timeout=60)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            pass
        took = time.monotonic() - t0
        kill_everything_started()
        self.proc = None
        return took, status

    stop_signal = signal.SIGTERM


class IniPeer(Peer):
    """vigild and supervisord, on the same supervisord.conf."""
    has_api = True

    def write_config(self, programs):
        self.conf = os.path.join(self.dir, "supervisord.conf")
        self.sock = os.path.join(self.dir, "supervisor.sock")
        os.makedirs(os.path.join(self.dir, "childlogs"), exist_ok=True)
        lines = [
            "[supervisord]", "nodaemon=true", "logfile=%(here)s/supervisord.log",
            "pidfile=%(here)s/supervisord.pid", "childlogdir=%(here)s/childlogs", "",
            "[unix_http_server]", "file=%(here)s/supervisor.sock", "",
            "[supervisorctl]", "serverurl=unix://%(here)s/supervisor.sock", "",
            "[rpcinterface:supervisor]",
            "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface", "",
        ]
        for name, settings in programs:
            lines.append(f"[program:{name}]")
            lines.extend(f"{k}={v}" for k, v in settings.items())
            lines.append("")
        with open(self.conf, "w") as f:
            f.write("\n".join(lines))

    def setup_programs(self, n):
        self.n = n
        self.write_config([(prog_name(i), {"command": f"{SLEEP} infinity", "startsecs": 0,
                                           "autorestart": "true"}) for i in range(n)])

    def start(self, nofile_soft=None):
        self.t_launch = time.monotonic()
        self.proc = launch(self.command(), self.dir, os.path.join(self.dir, "stdout.log"),
                           nofile_soft)
        self._seen = set()

    def count_execd(self):
        for pid in children(self.root_pid):
            if pid not in self._seen and comm(pid) == "sleep":
                self._seen.add(pid)
        self._seen &= set(children(self.root_pid))
        return len(self._seen)

    def api(self, timeout=120.0):
        return rpc(self.sock, timeout)

    def count_running(self, timeout=120.0):
        infos = self.api(timeout).getAllProcessInfo()
        return sum(1 for p in infos if p["statename"] == "RUNNING"), infos

    def program_pid(self, i):
        return self.api().getProcessInfo(prog_name(i))["pid"]

    def spawner_of(self, i):
        return self.root_pid

    # output capture
    def setup_writer(self, writer_argv, maxbytes, backups):
        self.n = 0
        self.write_config([("writer", {
            "command": " ".join(writer_argv), "autostart": "false", "autorestart": "false",
            "startsecs": 0, "stdout_logfile": "%(here)s/writer.log",
            "stdout_logfile_maxbytes": maxbytes, "stdout_logfile_backups": backups})])
        self.log_glob = "writer.log"

    def writer_ready(self):
        try:
            return self.api(5).getProcessInfo("writer")["statename"] in ("STOPPED", "EXITED")
        except (OSError, xmlrpc.client.Error):
            return False

    def start_writer(self):
        self.api().startProcess("writer", False)

    def writer_done(self):
        return self.api().getProcessInfo("writer")["statename"] in ("EXITED", "FATAL")

    def log_files(self):
        return sorted(f for f in os.listdir(self.dir) if f.startswith("writer.log"))


class Vigild(IniPeer):
    name = "vigild"

    def __init__(self, workdir, args):
        super().__init__(workdir, args)
        self.vigild, self.vigilctl = args.vigild, args.vigilctl

    @classmethod
    def available(cls, args):
        return os.access(args.vigild, os.X_OK) and os.access(args.vigilctl, os.X_OK)

    def command(self):
        return [self.vigild, "-n", "-c", self.conf]

    def status_command(self):
        return [self.vigilctl, "-c", self.conf, "status"]


class Supervisord(IniPeer):
    name = "supervisord"

    @classmethod
    def available(cls, args):
        return shutil.which("supervisord") is not None

    def command(self):
        return [shutil.which("supervisord"), "-n", "-c", self.conf]

    def status_command(self):
        return [shutil.which("supervisorctl"), "-c", self.conf, "status"]


class ScanDirPeer(Peer):
    """s6 and runit: a scan directory of service directories, one supervise process each."""
    supervise_comm = "?"

    def write_service(self, name, run, down=False, log_run=None):
        svc = os.path.join(self.scan, name)
        os.makedirs(svc)
        self._script(os.path.join(svc, "run"), run)
        if down:
            open(os.path.join(svc, "down"), "w").close()
        if log_run:
            os.makedirs(os.path.join(svc, "log"))
            self._script(os.path.join(svc, "log", "run"), log_run)
        return svc

    @staticmethod
    def _script(path, body):
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body + "\n")
        os.chmod(path, 0o755)

    def setup_programs(self, n):
        self.n = n
        self.scan = os.path.join(self.dir, "scan")
        os.makedirs(self.scan)
        for i in range(n):
            self.write_service(prog_name(i), f"exec {SLEEP} infinity")

    def start(self, nofile_soft=None):
        self.t_launch = time.monotonic()
        self.proc = launch(self.command(), self.dir, os.path.join(self.dir, "stdout.log"),
                           nofile_soft)
        self._done = set()
        self._by_name = None

    def supervise_pids(self):
        return [p for p in children(self.root_pid) if comm(p) == self.supervise_comm]

    def supervisor_pids(self):
        return [self.root_pid] + self.supervise_pids()

    def count_execd(self):
        sups = self.supervise_pids()
        for sup in sups:
            if sup not in self._done and any(comm(c) == "sleep" for c in children(sup)):
                self._done.add(sup)
        self._done &= set(sups)
        return len(self._done)

    def _supervise_by_name(self):
        if self._by_name is None:
            self._by_name = {}
            for sup in self.supervise_pids():
                argv = cmdline(sup)
                if len(argv) >= 2:
                    self._by_name[os.path.basename(argv[-1].rstrip("/"))] = sup
        return self._by_name

    def spawner_of(self, i):
        return self._supervise_by_name()[prog_name(i)]

    def program_pid(self, i):
        kids = children(self.spawner_of(i))
        return kids[0] if kids else 0

    # output capture: service `writer` (down until started once) with a logger service.
    def setup_writer(self, writer_argv, maxbytes, backups):
        self.n = 0
        self.scan = os.path.join(self.dir, "scan")
        os.makedirs(self.scan)
        svc = self.write_service("writer", "exec " + " ".join(writer_argv), down=True,
                                 log_run=self.logger_run(maxbytes, backups))
        self.logdir = os.path.join(svc, "log", "main")
        os.makedirs(self.logdir)
        self.writer_svc = svc

    def logger_running(self):
        return any(comm(g) == self.logger_comm for sup in children(self.root_pid)
                   for g in children(sup))

    def writer_ready(self):
        return self.logger_running() and os.path.exists(
            os.path.join(self.writer_svc, "supervise", "control"))

    def writer_done(self):
        return True  # the exit event already said so; no API to ask

    def log_files(self):
        return sorted(f for f in os.listdir(self.logdir) if f not in ("config", "lock"))


class S6(ScanDirPeer):
    name = "s6"
    supervise_comm = "s6-supervise"
    logger_comm = "s6-log"

    @classmethod
    def available(cls, args):
        return shutil.which("s6-svscan") is not None

    def command(self):
        # -c: room for every service (s6 2.11's default is 500).
        return [shutil.which("s6-svscan"), "-c", str(max(self.n, 1) + 10), self.scan]

    def status_command(self):
        return None  # s6-svstat takes one service directory; there is no status of all

    def logger_run(self, maxbytes, backups):
        return f"exec s6-log n{backups} s{maxbytes} ./main"

    def start_writer(self):
        subprocess.run(["s6-svc", "-o", self.writer_svc], check=True)


class Runit(ScanDirPeer):
    name = "runit"
    supervise_comm = "runsv"
    logger_comm = "svlogd"
    stop_signal = signal.SIGHUP  # runsvdir: TERM to every runsv, then exit

    @classmethod
    def available(cls, args):
        return shutil.which("runsvdir") is not None

    def command(self):
        return [shutil.which("runsvdir"), self.scan]

    def status_command(self):
        return [shutil.which("sv"), "status"] + [os.path.join(self.scan, prog_name(i))
                                                 for i in range(self.n)]

    def logger_run(self, maxbytes, backups):
        return "exec svlogd ./main"

    def setup_writer(self, writer_argv, maxbytes, backups):
        super().setup_writer(writer_argv, maxbytes, backups)
        with open(os.path.join(self.logdir, "config"), "w") as f:
            f.write(f"s{maxbytes}\nn{backups}\n")

    def start_writer(self):
        subprocess.run(["sv", "once", self.writer_svc], check=True, stdout=subprocess.DEVNULL)


PEERS = {"vigild": Vigild, "supervisord": Supervisord, "s6": S6, "runit": Runit}


# ---------------------------------------------------------------------------------------------
# Measurements

def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def wait_started(peer, n, timeout, stall):
    """Polls until all n programs have exec'd (/proc), then, with an API, until all n are RUNNING.
    Gives up at `timeout`, or when nothing progressed for `stall` seconds."""
    t0 = peer.t_launch
    result = {"execd_s": None, "running_s": None, "execd": 0, "running": None}
    last_change, last = t0, -1
    while time.monotonic() - t0 < timeout:
        if peer.proc.poll() is not None:
            result["exited"] = peer.proc.returncode
            break
        count = peer.count_execd()
        now = time.monotonic()
        if count != last:
            last, last_change = count, now
        result["execd"] = count
        if count >= n:
            result["execd_s"] = now - t0
            break
        if now - last_change > stall:
            break
        time.sleep(0.02)
    if peer.has_api and peer.proc.poll() is None:
        delay = 0.02
        while time.monotonic() - t0 < timeout:
            try:
                before = time.monotonic()
                running, _ = peer.count_running(timeout=max(1.0, timeout - (before - t0)))
                delay = max(0.02, time.monotonic() - before)
            except (OSError, xmlrpc.client.Error, http.client.HTTPException):
                running = None
            result["running"] = running
            if running == n:
                result["running_s"] = time.monotonic() - t0
                break
            if result["execd_s"] is None and time.monotonic() - last_change > stall:
                break
            time.sleep(delay)
    return result


def measure_idle(pids, seconds):
    before = {p: context_switches(p) for p in pids}
    time.sleep(seconds)
    return sum(context_switches(p) - before[p] for p in pids)


def time_command(argv, reps):
    walls, codes = [], set()
    for _ in range(reps):
        t0 = time.monotonic()
        r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.monotonic() - t0)
        codes.add(r.returncode)
    return {"median_s": statistics.median(walls), "min_s": min(walls), "exit": sorted(codes)}


def time_rpc(peer, reps):
    walls = []
    for _ in range(reps):
        t0 = time.monotonic()
        peer.api().getAllProcessInfo()
        walls.append(time.monotonic() - t0)
    return {"median_s": statistics.median(walls), "min_s": min(walls)}


def measure_restarts(samples, n, one):
    """one(i) kills program i and returns the milliseconds until its replacement exec'd, or
    None when no replacement was seen."""
    lats, failures, phases = [], 0, {"kill_to_exit": [], "exit_to_fork": [], "fork_to_exec": []}
    last_kill = {}
    for s in range(samples):
        i = s % n
        # s6-supervise and runsv wait a second before restarting a program that ran less than
        # one; a program is killed again only after that.
        wait = last_kill.get(i, -10) + 1.5 - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        t0, stamps = one(i)
        last_kill[i] = time.monotonic()
        if not stamps:
            failures += 1
            continue
        lats.append((stamps["exec"] - t0) / 1e6)
        if stamps["exit"]:
            phases["kill_to_exit"].append((stamps["exit"] - t0) / 1e6)
            phases["exit_to_fork"].append((stamps["fork"] - stamps["exit"]) / 1e6)
        phases["fork_to_exec"].append((stamps["exec"] - stamps["fork"]) / 1e6)
        time.sleep(0.1)
    return {"samples": len(lats), "failures": failures, "p50_ms": percentile(lats, 50),
            "p99_ms": percentile(lats, 99), "max_ms": max(lats) if lats else None,
            "min_ms": min(lats) if lats else None,
            "phases_p50_ms": {k: percentile(v, 50) for k, v in phases.items()}}


def kill_and_time(events, pid, parent, respawn=None):
    """SIGKILLs pid: (ns of the kill, the kernel's stamps of what followed)."""
    events.drain()
    t0 = time.monotonic_ns()
    os.kill(pid, signal.SIGKILL)
    if respawn:
        respawn()
    return t0, events.wait_replacement(pid, parent, t0)


def restart_direct(events, samples):
    """The baseline: this process kills its own child, reaps it and fork+execs it again."""
    argv = [SLEEP, "infinity"]
    state = {}

    def spawn():
        pid = os.fork()
        if pid == 0:
            try:
                os.execv(argv[0], argv)
            finally:
                os._exit(127)
        state["pid"] = pid

    def respawn():
        os.waitpid(state["pid"], 0)
        spawn()

    spawn()
    time.sleep(0.2)
    try:
        return measure_restarts(samples, 1 << 30, lambda i: kill_and_time(
            events, state["pid"], os.getpid(), respawn))
    finally:
        os.kill(state["pid"], signal.SIGKILL)
        os.waitpid(state["pid"], 0)


def restart_peer(peer, events, samples):
    def one(i):
        pid, parent = peer.program_pid(i), peer.spawner_of(i)
        return kill_and_time(events, pid, parent) if pid else (None, {})

    return measure_restarts(samples, peer.n, one)


def writer_argv(workdir, nbytes):
    path = os.path.join(workdir, "bench-writer.py")
    with open(path, "w") as f:
        f.write(
            "import os, sys\n"
            "total = int(sys.argv[1])\n"
            "block = (b'x' * 99 + b'\\n') * 655  # 65,500 bytes of 100-byte lines\n"
            "left = total\n"
            "while left > 0:\n"
            "    view = memoryview(block)[:min(left, len(block))]\n"
            "    while len(view):\n"
            "        view = view[os.write(1, view):]\n"
            "    left -= min(left, len(block))\n")
    return [PYTHON, "-S", path, str(nbytes)]


def watch_writer(events, marker, timeout):
    """(exec ns, exit ns) of the process whose command line holds `marker`."""
    last_exec, writer = {}, None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for what, ts, a, b, c, d in events.events(1.0):
            if what == ProcEvents.EXEC:
                last_exec[a] = ts
                if writer is None and marker in " ".join(cmdline(a)):
                    writer = a
            elif what == ProcEvents.EXIT and a == b and a == writer:
                return last_exec[writer], ts
            if time.monotonic() > deadline:
                break
    return None, None


def output_direct(events, argv, workdir):
    path = os.path.join(workdir, "direct-output")
    events.drain()
    with open(path, "wb") as out:
        p = subprocess.Popen(argv, stdout=out, start_new_session=True)
        exec_ns, exit_ns = watch_writer(events, argv[2], 600)
        p.wait()
    size = os.path.getsize(path)
    os.unlink(path)
    return {"wall_s": (exit_ns - exec_ns) / 1e9 if exec_ns else None, "cpu_s": 0.0,
            "bytes_written": size}


def settle_cpu(pids, quiet=0.3, timeout=120):
    deadline = time.monotonic() + timeout
    last = sum(cpu_seconds(p) for p in pids)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = sum(cpu_seconds(p) for p in pids)
        if now == last:
            return now
        last = now
    return last


def output_peer(peer, events, argv, timeout=600):
    deadline = time.monotonic() + 30
    while not peer.writer_ready():
        if time.monotonic() > deadline or peer.proc.poll() is not None:
            raise RuntimeError("not ready for the output test")
        time.sleep(0.05)
    # Everything of the supervisor side: the supervisor and, for s6/runit, the supervise
    # processes and the logger.
    side = [peer.root_pid] + [p for p in descendants(peer.root_pid)]
    cpu0 = settle_cpu(side)
    events.drain()
    peer.start_writer()
    exec_ns, exit_ns = watch_writer(events, argv[2], timeout)
    deadline = time.monotonic() + 120
    while not peer.writer_done() and time.monotonic() < deadline:
        time.sleep(0.1)
    cpu1 = settle_cpu(side)
    return {"wall_s": (exit_ns - exec_ns) / 1e9 if exec_ns else None, "cpu_s": cpu1 - cpu0,
            "log_files": peer.log_files()}


# ---------------------------------------------------------------------------------------------
# The run

def machine_facts():
    def first(path, key):
        for line in (read_text(path) or "").splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
        return "?"

    def pkg(name):
        r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name], capture_output=True,
                           text=True)
        return r.stdout.strip() or "not installed"

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": os.cpu_count(), "kernel": platform.release(),
        "cpu": first("/proc/cpuinfo", "model name"),
        "memory": first("/proc/meminfo", "MemTotal"),
        "os": (read_text("/etc/debian_version") or "?").strip(),
        "loadavg_before": (read_text("/proc/loadavg") or "?").split()[:3],
        "nofile": f"{soft}:{hard}",
        "supervisor": pkg("supervisor"), "s6": pkg("s6"), "runit": pkg("runit"),
        "python": platform.python_version(),
        "vigil_commit": subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                                       capture_output=True, text=True).stdout.strip() or "?",
    }


def run_programs(peer_cls, workdir, args, events, results):
    peer = peer_cls(os.path.join(workdir, "programs"), args)
    r = results.setdefault(peer.name, {})
    peer.setup_programs(args.programs)
    try:
        log(f"{peer.name}: starting {args.programs} programs")
        peer.start()
        r["start"] = wait_started(peer, args.programs, args.start_timeout, stall=60)
        log(f"{peer.name}: start {r['start']}")
        if peer.proc.poll() is not None:
            r["error"] = f"exited with status {peer.proc.returncode}"
            return
        time.sleep(args.settle)
        sup = peer.supervisor_pids()
        r["processes"] = len(sup)
        r["pss_kib"] = sum(pss_kib(p) for p in sup)
        r["pss_anon_kib"] = sum(pss_kib(p, "Pss_Anon:") for p in sup)
        r["fds"] = sum(open_fds(p) for p in sup)
        r["nofile"] = nofile_limit(peer.root_pid)
        log(f"{peer.name}: PSS {r['pss_kib'] / 1024:.1f} MiB in {len(sup)} process(es)")
        r["idle_ctxsw"] = measure_idle(sup, args.idle_seconds)
        r["idle_seconds"] = args.idle_seconds
        log(f"{peer.name}: {r['idle_ctxsw']} context switches in {args.idle_seconds}s idle")
        cmd = peer.status_command()
        if cmd:
            r["status_cli"] = time_command(cmd, args.status_reps)
            log(f"{peer.name}: status {r['status_cli']}")
        if peer.has_api:
            r["status_rpc"] = time_rpc(peer, args.status_reps)
            log(f"{peer.name}: getAllProcessInfo {r['status_rpc']}")
        if args.restarts:
            r["restart"] = restart_peer(peer, events, args.restarts)
            log(f"{peer.name}: restart {r['restart']}")
        r["pss_kib_after"] = sum(pss_kib(p) for p in peer.supervisor_pids())
    finally:
        r["stop_s"], r["stop_status"] = peer.stop()
        log(f"{peer.name}: stopped in {r['stop_s']}s, status {r['stop_status']}")


def count_lines(directory, needle):
    """How many lines of the logs directly in `directory` contain needle."""
    count = 0
    for name in os.listdir(directory):
        if name.endswith(".log"):
            text = read_text(os.path.join(directory, name)) or ""
            count += sum(1 for line in text.splitlines() if needle in line)
    return count


def run_fds(peer_cls, workdir, args, results):
    peer = peer_cls(os.path.join(workdir, "fds"), args)
    r = results.setdefault(peer.name, {})
    peer.setup_programs(args.programs)
    try:
        log(f"{peer.name}: starting {args.programs} programs with soft RLIMIT_NOFILE "
            f"{args.fd_soft}")
        peer.start(nofile_soft=args.fd_soft)
        started = wait_started(peer, args.programs, args.start_timeout, stall=30)
        if peer.proc.poll() is None and started["execd"] < args.programs:
            time.sleep(2)
            started["execd"] = peer.count_execd()
        started["alive"] = peer.proc.poll() is None
        started["emfile_lines"] = count_lines(peer.dir, "Too many open files")
        started["nofile"] = nofile_limit(peer.root_pid) if started["alive"] else None
        r["fd_test"] = started
        log(f"{peer.name}: {started}")
    finally:
        peer.stop()


def run_output(peer_cls, workdir, args, events, argv, results):
    peer = peer_cls(os.path.join(workdir, "output"), args)
    r = results.setdefault(peer.name, {})
    peer.setup_writer(argv, args.log_maxbytes, args.log_backups)
    runs = []
    try:
        peer.start()
        for _ in range(args.output_reps):
            runs.append(output_peer(peer, events, argv))
            log(f"{peer.name}: output {runs[-1]}")
    finally:
        peer.stop()
    r["output"] = summarize_output(runs)


def summarize_output(runs):
    walls = [x["wall_s"] for x in runs if x["wall_s"]]
    return {"wall_s": statistics.median(walls) if walls else None,
            "cpu_s": statistics.median(x["cpu_s"] for x in runs), "runs": runs}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--programs", type=int, default=1000, help="N programs (default 1000)")
    ap.add_argument("--quick", action="store_true",
                    help="a short try-out: N=100, 128 MiB of output, 20 restarts, 3 repetitions")
    ap.add_argument("--peers", default="vigild,supervisord,s6,runit",
                    help="which supervisors, comma-separated (default all four)")
    ap.add_argument("--skip", default="",
                    help="measures to leave out, comma-separated: programs,output,fds")
    ap.add_argument("--restarts", type=int, default=50, help="restart samples per peer")
    ap.add_argument("--status-reps", type=int, default=5, help="status calls per peer")
    ap.add_argument("--idle-seconds", type=float, default=5.0)
    ap.add_argument("--settle", type=float, default=2.0,
                    help="seconds to wait after all programs run before measuring memory")
    ap.add_argument("--output-mib", type=int, default=1024, help="MiB the writer writes")
    ap.add_argument("--output-reps", type=int, default=3)
    ap.add_argument("--log-maxbytes", type=int, default=50_000_000)
    ap.add_argument("--log-backups", type=int, default=2)
    ap.add_argument("--fd-soft", type=int, default=1024,
                    help="soft RLIMIT_NOFILE for the file-descriptor test (default 1024)")
    ap.add_argument("--start-timeout", type=float, default=300.0)
    ap.add_argument("--vigild", default=os.path.join(REPO, "build/release/src/daemon/vigild"))
    ap.add_argument("--vigilctl", default=os.path.join(REPO, "build/release/src/ctl/vigilctl"))
    ap.add_argument("--markdown", help="write the results table to this file")
    ap.add_argument("--json", help="write every number to this file")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    if args.quick:
        args.programs, args.output_mib, args.restarts = 100, 128, 20
        args.status_reps = args.output_reps = 3
    if os.geteuid() != 0:
        ap.error("needs root (the kernel's process events)")

    peers = [PEERS[p] for p in args.peers.split(",") if p]
    skip = set(args.skip.split(","))

    def on_signal(signum, _frame):
        log(f"{signal.Signals(signum).name}: ending everything started")
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    become_subreaper()
    workdir = tempfile.mkdtemp(prefix="vigil-bench-")
    results = {"machine": machine_facts(), "args": vars(args), "peers": {}}
    events = None
    try:
        available = []
        for cls in peers:
            if cls.available(args):
                available.append(cls)
            else:
                results["peers"][cls.name] = {"error": "not installed"}
                log(f"{cls.name}: not installed, skipped")
        events = ProcEvents()
        if args.restarts and "programs" not in skip:
            results["direct"] = {"restart": restart_direct(events, args.restarts)}
            log(f"direct: restart {results['direct']['restart']}")
        for cls in available:
            if "programs" not in skip:
                run_programs(cls, workdir, args, events, results["peers"])
        if "output" not in skip:
            argv = writer_argv(workdir, args.output_mib * MIB)
            results.setdefault("direct", {})["output"] = summarize_output(
                [output_direct(events, argv, workdir) for _ in range(args.output_reps)])
            log(f"direct: output {results['direct']['output']}")
            for cls in available:
                try:
                    run_output(cls, workdir, args, events, argv, results["peers"])
                except RuntimeError as e:
                    results["peers"].setdefault(cls.name, {})["output_error"] = str(e)
                    log(f"{cls.name}: {e}")
        if "fds" not in skip:
            for cls in available:
                run_fds(cls, workdir, args, results["peers"])
        results["proc_event_overflows"] = events.overflows
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if events:
            events.close()
        left = kill_everything_started()
        if left:
            log(f"ended {left} leftover process(es)")
        if args.keep:
            log(f"work directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    table = render_markdown(results)
    print(table)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1, default=str)


# ---------------------------------------------------------------------------------------------
# The table

ORDER = ["vigild", "supervisord", "s6", "runit"]


def fmt(v, unit="", digits=1):
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.{digits}f}{unit}"
    return f"{v}{unit}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "—"
    r = a / b
    return f"{r:.2g}×" if r < 10 else f"{r:.0f}×"


def render_markdown(res):
    m, a, peers = res["machine"], res["args"], res["peers"]
    direct = res.get("direct", {})
    n = a["programs"]
    cols = [p for p in ORDER if p in peers]

    def get(peer, *path):
        v = peers.get(peer, {}) if peer != "direct" else direct
        for key in path:
            if not isinstance(v, dict) or key not in v:
                return None
            v = v[key]
        return v

    rows = []

    def row(label, path, scale=1.0, unit="", digits=1, target="", direct_col=False,
            ratios=True, met=None):
        """met(vigild's value, direct's value) says whether DESIGN.md's target is met."""
        vals = {}
        for p in cols:
            v = get(p, *path)
            vals[p] = v * scale if isinstance(v, (int, float)) and v is not None else v
        d = get("direct", *path) if direct_col else None
        d = d * scale if isinstance(d, (int, float)) else d
        cells = [fmt(vals[p], unit, digits) for p in cols]
        cells.append(fmt(d, unit, digits) if direct_col else "")
        rat = ", ".join(f"{ratio(vals.get('vigild'), vals[p])} {p}" for p in cols
                        if ratios and p != "vigild" and vals.get(p) not in (None, 0))
        verdict = ""
        if met and vals.get("vigild") is not None and (not direct_col or d is not None):
            verdict = "met" if met(vals["vigild"], d) else "**missed**"
        rows.append([label] + cells + [target, verdict, rat])

    row(f"memory, PSS with {n} programs (MiB)", ["pss_kib"], 1 / 1024, digits=2,
        target="≤ 3.3", met=lambda v, d: v <= 3.3)
    row("... of which anonymous (heap, stacks) (MiB)", ["pss_anon_kib"], 1 / 1024, digits=2)
    row("supervisor processes counted", ["processes"], digits=0, ratios=False)
    row(f"start {n} programs: all exec'd (s)", ["start", "execd_s"], digits=2)
    row(f"start {n} programs: API says all RUNNING (s)", ["start", "running_s"], digits=2,
        target="< 2", met=lambda v, d: v < 2)
    row(f"idle: context switches in {fmt(a['idle_seconds'])} s", ["idle_ctxsw"], digits=0,
        target="0", met=lambda v, d: v == 0)
    row(f"`status` of {n} programs, CLI (ms)", ["status_cli", "median_s"], 1000, digits=1,
        target="< 20", met=lambda v, d: v < 20)
    row(f"getAllProcessInfo over XML-RPC (ms)", ["status_rpc", "median_s"], 1000, digits=1)
    row("restart after SIGKILL, p50 (ms)", ["restart", "p50_ms"], digits=2, direct_col=True,
        target="direct + 2", met=lambda v, d: v <= d + 2)
    row("restart after SIGKILL, p99 (ms)", ["restart", "p99_ms"], digits=2, direct_col=True,
        target="direct + 10", met=lambda v, d: v <= d + 10)
    row(f"output {a['output_mib']} MiB: child wall time (s)", ["output", "wall_s"], digits=2,
        direct_col=True, target="direct × 1.05", met=lambda v, d: v <= d * 1.05)
    row(f"output {a['output_mib']} MiB: supervisor-side CPU (s)", ["output", "cpu_s"], digits=2,
        target=f"< {0.3 * a['output_mib'] / 1024:.2g}",
        met=lambda v, d: v < 0.3 * a["output_mib"] / 1024)
    row(f"programs exec'd with soft NOFILE {a['fd_soft']}", ["fd_test", "execd"], digits=0,
        target=str(n), ratios=False, met=lambda v, d: v == n)
    row(f"... of which RUNNING (API)", ["fd_test", "running"], digits=0, ratios=False)

    head = ["measure"] + cols + ["direct", "target (vigild)", "met?", "vigild ÷ peer"]
    out = [f"# vigil benchmark results\n",
           f"- date: {m['date']}",
           f"- machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']}, kernel {m['kernel']}, "
           f"Debian {m['os']}, load average before the run {' '.join(m['loadavg_before'])}",
           f"- RLIMIT_NOFILE given to the run: {m['nofile']}",
           f"- vigild: release build of commit {m.get('vigil_commit', '?')}; peers: supervisor "
           f"{m['supervisor']}, s6 {m['s6']}, runit {m['runit']}; "
           f"Python {m['python']}",
           f"- command: `bench/run.py --programs {n} --restarts {a['restarts']} "
           f"--output-mib {a['output_mib']}` (N={n}; programs `sleep infinity`, "
           f"`startsecs=0`, `autorestart=true`)", "",
           "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    notes = []
    for p in cols:
        r = peers[p]
        if "error" in r:
            notes.append(f"- {p}: {r['error']}")
        if "output_error" in r:
            notes.append(f"- {p}: {r['output_error']}")
        st = r.get("start")
        if st and st.get("execd_s") is None:
            notes.append(f"- {p}: only {st.get('execd')} of {n} programs exec'd "
                         f"(RUNNING: {st.get('running')})")
        rs = r.get("restart")
        if rs and rs.get("failures"):
            notes.append(f"- {p}: {rs['failures']} restart sample(s) saw no replacement "
                         f"within 10 s")
        if r.get("stop_s") is not None:
            notes.append(f"- {p}: clean shutdown with {n} programs took {r['stop_s']:.2f} s "
                         f"(exit status {r['stop_status']}); PSS after the other measures "
                         f"{fmt(r.get('pss_kib_after', 0) / 1024, digits=2)} MiB; fds open "
                         f"{r.get('fds')} (limit {'/'.join(r.get('nofile') or [])})")
    if notes:
        out += ["", "Notes:"] + notes
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()

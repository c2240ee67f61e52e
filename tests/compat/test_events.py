#!/usr/bin/env python3
"""The same event listener under supervisord 4.2.5 and under vigild: the events it receives
must be the same.

Each daemon runs in its own temp dir (foreground, own unix socket) with one pool, [eventlistener:
rec], running tests/integration/event_listener.py (written with supervisor.childutils, it records
every event as a JSON line), and two programs: `crashy`, which crashes once when told to and then
stays up, and `quiet` (autostart=false). The script then drives both daemons through the same
steps: the crash and its restart, REMOTE_COMMUNICATION events over XML-RPC (one the listener
rejects once, one that makes it die while busy), a start and a stop of `quiet` over XML-RPC. The
records are compared event by event: event name, payload, serial, pool serial, pool, server and
version, with pids (and so `len`) normalised. Events after the shutdown begins are not compared
(which of them reach a listener that is being stopped is timing). Usage:
    test_events.py /path/to/vigild

Every process this script starts is a Popen ended by pid (SIGTERM, a deadline, SIGKILL); the
programs are ended by the daemons' own shutdown. Prints one FAIL block per difference; exit 1.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xmlrpc.client

SUPERVISORD = "/usr/bin/supervisord"
PYTHON = "/usr/bin/python3"
LISTENER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration",
                        "event_listener.py")
TIMEOUT = 30

CONFIG = """\
[supervisord]
nodaemon=true
logfile=%(here)s/daemon.log
pidfile=%(here)s/daemon.pid
childlogdir=%(here)s
loglevel=info

[unix_http_server]
file=%(here)s/daemon.sock

[supervisorctl]
serverurl=unix://%(here)s/daemon.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[eventlistener:rec]
command={python} {listener} %(here)s/events.jsonl
events=PROCESS_STATE,PROCESS_GROUP,SUPERVISOR_STATE_CHANGE,REMOTE_COMMUNICATION
stdout_logfile=%(here)s/rec.out

[program:crashy]
command=/bin/sh -c "test -e %(here)s/crashed && exec sleep 1000; while [ ! -e %(here)s/crash-now ]; do sleep 0.05; done; touch %(here)s/crashed; exit 3"
startsecs=1

[program:quiet]
command=/bin/sleep 1000
autostart=false
"""


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=TIMEOUT)
        self.socket_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(TIMEOUT)
        self.sock.connect(self.socket_path)


class UnixTransport(xmlrpc.client.Transport):
    """XML-RPC over the daemons' unix socket (plain standard library: this script may run
    under a python3 without the supervisor package; the listener runs under /usr/bin/python3)."""

    def __init__(self, path):
        super().__init__()
        self.socket_path = path

    def make_connection(self, host):
        return UnixConnection(self.socket_path)


def wait_until(predicate, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(0.05)


class Daemon:
    def __init__(self, label, argv_prefix):
        self.label = label
        self.dir = tempfile.mkdtemp(prefix="vigil-events-%s-" % label)
        with open(os.path.join(self.dir, "supervisord.conf"), "w") as out:
            out.write(CONFIG.format(python=PYTHON, listener=os.path.abspath(LISTENER)))
        self.out = open(os.path.join(self.dir, "stdout"), "w")
        self.proc = subprocess.Popen(argv_prefix + ["-c", os.path.join(self.dir, "supervisord.conf")],
                                     stdout=self.out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        transport = UnixTransport(os.path.join(self.dir, "daemon.sock"))
        self.rpc = xmlrpc.client.ServerProxy("http://localhost/RPC2", transport=transport)

    def path(self, name):
        return os.path.join(self.dir, name)

    def events(self):
        try:
            with open(self.path("events.jsonl"), encoding="utf-8") as f:
                lines = f.read().splitlines()
        except FileNotFoundError:
            return []
        events = []
        for line in lines:
            try:
                events.append(json.loads(line))
            except ValueError:
                pass  # being written
        return events

    def count(self, name, payload_start):
        return sum(1 for e in self.events() if e["headers"]["eventname"] == name and
                   e["payload"].startswith(payload_start))

    def log(self):
        try:
            with open(self.path("daemon.log"), encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()


def normalise(event):
    h = event["headers"]
    payload = re.sub(r"pid:\d+", "pid:N", event["payload"])
    return "%s ver:%s server:%s pool:%s serial:%s poolserial:%s\n%s" % (
        h["eventname"], h["ver"], h["server"], h["pool"], h["serial"], h["poolserial"], payload)


def drive(daemon):
    """The same steps on either daemon; returns an error text or None."""
    def step(what, predicate):
        if not wait_until(predicate):
            raise RuntimeError("%s: timed out waiting for %s\n%s" % (daemon.label, what, daemon.log()))

    step("crashy RUNNING", lambda: daemon.count("PROCESS_STATE_RUNNING", "processname:crashy ") >= 1)
    open(daemon.path("crash-now"), "w").close()
    step("crashy RUNNING again",
         lambda: daemon.count("PROCESS_STATE_RUNNING", "processname:crashy ") >= 2)
    daemon.rpc.supervisor.sendRemoteCommEvent("test", "reject-once")
    daemon.rpc.supervisor.sendRemoteCommEvent("test", "after")
    step("after", lambda: daemon.count("REMOTE_COMMUNICATION", "type:test\nafter") >= 1)
    daemon.rpc.supervisor.sendRemoteCommEvent("test", "die-once")
    step("die-once twice", lambda: daemon.count("REMOTE_COMMUNICATION", "type:test\ndie-once") >= 2)
    step("rec RUNNING again", lambda: daemon.count("PROCESS_STATE_RUNNING", "processname:rec ") >= 2)
    daemon.rpc.supervisor.startProcess("quiet", True)
    step("quiet RUNNING", lambda: daemon.count("PROCESS_STATE_RUNNING", "processname:quiet ") >= 1)
    daemon.rpc.supervisor.stopProcess("quiet", True)
    step("quiet STOPPED", lambda: daemon.count("PROCESS_STATE_STOPPED", "processname:quiet ") >= 1)
    daemon.rpc.supervisor.sendRemoteCommEvent("test", "end")
    step("end", lambda: daemon.count("REMOTE_COMMUNICATION", "type:test\nend") >= 1)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    vigild = sys.argv[1]
    daemons = [Daemon("supervisord", [SUPERVISORD]), Daemon("vigild", [vigild])]
    failures = []
    records = {}
    try:
        for daemon in daemons:
            try:
                drive(daemon)
            except (RuntimeError, OSError, xmlrpc.client.Error) as error:
                failures.append("%s: %s" % (daemon.label, error))
            records[daemon.label] = [normalise(e) for e in daemon.events()]
    finally:
        for daemon in daemons:
            daemon.stop()
    theirs, ours = records.get("supervisord", []), records.get("vigild", [])
    for i in range(max(len(theirs), len(ours))):
        a = theirs[i] if i < len(theirs) else "<none>"
        b = ours[i] if i < len(ours) else "<none>"
        if a != b:
            failures.append("event %d differs:\n  supervisord: %s\n  vigild:      %s" % (
                i, a.replace("\n", "\\n"), b.replace("\n", "\\n")))
            break
    if failures:
        for failure in failures:
            print("FAIL " + failure)
        for label, events in records.items():
            print("--- %s received:" % label)
            for event in events:
                print("  " + event.replace("\n", "\\n"))
        return 1
    for daemon in daemons:
        shutil.rmtree(daemon.dir, ignore_errors=True)
    print("ok: %d events, the same under supervisord and vigild:" % len(ours))
    for event in ours:
        print("  " + event.replace("\n", "\\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

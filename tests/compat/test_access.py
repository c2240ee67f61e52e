#!/usr/bin/env python3
"""vigil's access list, exercised as real unprivileged users.

The seed document gives a non-root `doris` user the right to start and stop doris-fe and
doris-be through sudoers. Here the same is said in the configuration ([access:doris]) and
checked end to end: two users created for the test (useradd) run the real supervisorctl and
vigilctl against a vigild on a unix socket. Usage (as root):
    test_access.py /path/to/vigild /path/to/vigilctl
"""

import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

DORIS = "vigil-test-doris"
EVE = "vigil-test-eve"


def wait_until(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def run_as(user, args):
    result = subprocess.run(["runuser", "-u", user, "--"] + args, capture_output=True,
                            text=True, timeout=60)
    return result.returncode, result.stdout + result.stderr


class Failures(list):
    def check(self, condition, what, detail=""):
        if not condition:
            self.append("%s\n%s" % (what, detail))


def ensure_user(name):
    try:
        pwd.getpwnam(name)
        return False
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        name], check=True)
        return True


def main():
    vigild, vigilctl = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if os.geteuid() != 0:
        print("SKIP: needs root to create users")
        return 0
    created = [user for user in (DORIS, EVE) if ensure_user(user)]
    tmp = tempfile.mkdtemp(prefix="vigil-access-")
    os.chmod(tmp, 0o755)
    # The binaries live under the build tree; the test users must be able to run vigilctl.
    ctl = os.path.join(tmp, "vigilctl")
    shutil.copy(vigilctl, ctl)
    os.chmod(ctl, 0o755)
    conf = os.path.join(tmp, "supervisord.conf")
    with open(conf, "w") as f:
        f.write("""[supervisord]
nodaemon=true
logfile=%(here)s/vigild.log
pidfile=%(here)s/vigild.pid
childlogdir=%(here)s
[unix_http_server]
file=%(here)s/vigil.sock
chmod=0777
[supervisorctl]
serverurl=unix://%(here)s/vigil.sock
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[access:doris]
users = {doris}
verbs = read, start, stop
programs = doris-fe, doris-be
[program:doris-fe]
command=/bin/sleep 1000
startsecs=0
[program:doris-be]
command=/bin/sleep 1000
startsecs=0
[program:broker]
command=/bin/sleep 1000
startsecs=0
""".format(doris=DORIS))
    os.chmod(conf, 0o644)
    daemon = subprocess.Popen([vigild, "-n", "-c", conf], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    failures = Failures()
    try:
        sup = ["supervisorctl", "-c", conf]
        vctl = [ctl, "-c", conf]
        ok = wait_until(lambda: subprocess.run(sup + ["status"], capture_output=True, text=True)
                        .stdout.count("RUNNING") == 3)
        failures.check(ok, "vigild did not start its three programs")
        log = lambda: open(os.path.join(tmp, "vigild.log")).read()
        broker_pid = subprocess.run(sup + ["pid", "broker"], capture_output=True,
                                    text=True).stdout.strip()

        # doris sees and controls doris-fe and doris-be, and nothing else.
        code, out = run_as(DORIS, sup + ["status"])
        names = sorted(line.split()[0] for line in out.splitlines() if line.strip())
        failures.check(names == ["doris-be", "doris-fe"] and code == 0,
                       "supervisorctl status as doris should list only doris-be and doris-fe",
                       "exit %d\n%s" % (code, out))
        code, out = run_as(DORIS, sup + ["stop", "doris-fe"])
        failures.check(code == 0 and out.strip() == "doris-fe: stopped",
                       "doris may stop doris-fe with supervisorctl", "exit %d\n%s" % (code, out))
        code, out = run_as(DORIS, sup + ["start", "doris-fe"])
        failures.check(code == 0 and out.strip() == "doris-fe: started",
                       "doris may start doris-fe with supervisorctl", "exit %d\n%s" % (code, out))
        code, out = run_as(DORIS, sup + ["stop", "broker"])
        failures.check(code != 0 and "access denied" in out,
                       "supervisorctl stop broker as doris must be denied",
                       "exit %d\n%s" % (code, out))
        code, out = run_as(DORIS, sup + ["start", "broker"])
        failures.check(code != 0, "supervisorctl start broker as doris must fail",
                       "exit %d\n%s" % (code, out))
        code, out = run_as(DORIS, sup + ["signal", "HUP", "doris-fe"])
        failures.check(code != 0 and "access denied" in out,
                       "doris has no signal right", "exit %d\n%s" % (code, out))
        code, out = run_as(DORIS, sup + ["shutdown"])
        failures.check(code != 0 and "access denied" in out, "doris may not shut vigild down",
                       "exit %d\n%s" % (code, out))
        code, out = run_as(DORIS, sup + ["tail", "doris-fe"])
        failures.check(code != 0, "doris has no tail right", "exit %d\n%s" % (code, out))

        # The same with vigilctl.
        code, out = run_as(DORIS, vctl + ["status"])
        names = sorted(line.split()[0] for line in out.splitlines() if line.strip())
        failures.check(names == ["doris-be", "doris-fe"] and code == 0,
                       "vigilctl status as doris should list only doris-be and doris-fe",
                       "exit %d\n%s" % (code, out))
        code, out = run_as(DORIS, vctl + ["restart", "doris-be"])
        failures.check(code == 0 and "doris-be: restarted" in out,
                       "doris may restart doris-be with vigilctl", "exit %d\n%s" % (code, out))
        code, out = run_as(DORIS, vctl + ["stop", "broker"])
        failures.check(code == 1 and "access denied" in out,
                       "vigilctl stop broker as doris: exit 1 and the denial",
                       "exit %d\n%s" % (code, out))
        code, out = run_as(DORIS, vctl + ["--json", "stop", "broker"])
        failures.check(code == 1 and '"message"' in out and "access denied" in out,
                       "vigilctl --json shows the denial", "exit %d\n%s" % (code, out))

        # eve is named by no rule: she sees nothing and may do nothing.
        code, out = run_as(EVE, sup + ["status"])
        failures.check(out.strip() == "", "supervisorctl status as eve lists nothing",
                       "exit %d\n%s" % (code, out))
        code, out = run_as(EVE, vctl + ["stop", "doris-fe"])
        failures.check(code == 1 and "access denied" in out, "eve may not stop doris-fe",
                       "exit %d\n%s" % (code, out))

        # Denials are logged with who asked for what; broker never stopped; root may do all.
        failures.check(re.search(r"access denied: uid \d+ \(%s, pid \d+\) may not stop broker"
                                 % DORIS, log()) is not None,
                       "the main log names the denied user and request", log()[-2000:])
        now_pid = subprocess.run(sup + ["pid", "broker"], capture_output=True, text=True).stdout
        failures.check(now_pid.strip() == broker_pid, "broker kept running, same pid")
        result = subprocess.run(sup + ["stop", "broker"], capture_output=True, text=True)
        failures.check(result.stdout.strip() == "broker: stopped", "root may stop broker",
                       result.stdout)
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()
        for user in created:
            subprocess.run(["userdel", user], check=False)
        shutil.rmtree(tmp, ignore_errors=True)
    for failure in failures:
        print("FAIL " + failure)
    print("access list: %d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

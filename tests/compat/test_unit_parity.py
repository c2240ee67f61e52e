#!/usr/bin/env python3
"""Parity of vigil's systemd unit dialect with systemd 252 itself.

Every NAME.service in units/ (with its NAME.service.d/ drop-ins) is a case. The case is copied
alone into a fresh directory, then read by both
  systemd-analyze verify --man=no --recursive-errors=no DIR/NAME.service   (the oracle)
  vigild --check-unit DIR/NAME.service --json
and they must agree:
  1. on whether the unit is refused. systemd-analyze exits non-zero for any warning at all, so
     "refused" is what its messages say: "has a bad unit file setting", "failed to load
     properly", "is masked";
  2. for a refused unit, vigil's error must start with systemd's reason (the first message
     that names the problem), at the same line when systemd gives one;
  3. for a loaded unit, on the warnings: each of systemd's messages must appear among vigil's
     warnings (in the same file at the same line when systemd names them; vigil's text starts
     with systemd's and may explain more), and vigil may add only warnings of its own, which
     always say "vigil" (what it does not support, and why).
A template NAME@.service is checked as NAME@test_instance.service by both.

Usage: test_unit_parity.py /path/to/vigild [--system-units] [CASE ...]
  --system-units  also check every unit file of /lib/systemd/system (what this machine ships;
                  not a fixed corpus, so ctest does not use it)
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "units")
REFUSED = ("has a bad unit file setting", "failed to load properly", "is masked")
# Lines that only restate that the unit was refused.
CONSEQUENCES = ("Unit configuration has fatal error", "has a bad unit file setting",
                "failed to load properly")


def systemd_messages(stderr, path, unit):
    """[((file, line) or None, message)] in order, from systemd-analyze verify's output; file is
    relative to the case's directory."""
    work = os.path.dirname(path)
    messages = []
    for raw in stderr.splitlines():
        raw = raw.strip()
        if not raw:
            continue
        match = re.match(re.escape(work) + r"/([^:]*):(\d+): (.*)$", raw)
        if match:
            messages.append(((match.group(1), int(match.group(2))), match.group(3)))
            continue
        for prefix in (unit + ": ", os.path.basename(path) + ": "):
            if raw.startswith(prefix):
                raw = raw[len(prefix):]
                break
        messages.append((None, raw))
    return messages


def located(text, path):
    """((file, line), message) of a vigil "file:line: message" string, file relative to the
    case's directory."""
    work = os.path.dirname(path)
    match = re.match(re.escape(work) + r"/([^:]*):(\d+): (.*)$", text, re.S)
    if not match:
        return (None, text)
    return ((match.group(1), int(match.group(2))), match.group(3))


def run_case(vigild, name, corpus=CORPUS):
    work = tempfile.mkdtemp(prefix="vigil-unit-parity-")
    try:
        shutil.copy(os.path.join(corpus, name), work)
        dropins = os.path.join(corpus, name + ".d")
        if os.path.isdir(dropins):
            shutil.copytree(dropins, os.path.join(work, name + ".d"))
        path = os.path.join(work, name)
        unit = name.replace("@.service", "@test_instance.service")
        sd = subprocess.run(["systemd-analyze", "verify", "--man=no", "--recursive-errors=no", path],
                            capture_output=True, text=True, errors="replace")
        vg = subprocess.run([vigild, "--check-unit", path, "--json"], capture_output=True,
                            text=True, errors="replace")
        return compare(name, path, unit, sd, vg)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def compare(name, path, unit, sd, vg):
    problems = []
    messages = systemd_messages(sd.stderr, path, unit)
    sd_refused = any(any(r in m for r in REFUSED) for _, m in messages)
    vg_refused = vg.returncode != 0
    if sd_refused != vg_refused:
        problems.append("systemd %s it, vigil %s it" % ("refuses" if sd_refused else "accepts",
                                                        "refuses" if vg_refused else "accepts"))
    causes = [(line, m) for line, m in messages if not any(c in m for c in CONSEQUENCES)]
    if sd_refused and vg_refused:
        error = vg.stderr.strip().splitlines()[0] if vg.stderr.strip() else ""
        error = error[len("Error: "):] if error.startswith("Error: ") else error
        vline, vmessage = located(error, path)
        # systemd's reason is its last message before giving up (a warning may come first).
        if causes:
            line, reason = causes[-1]
            if not vmessage.startswith(reason):
                problems.append("systemd refuses because %r, vigil because %r" % (reason, error))
            elif line is not None and line != vline:
                problems.append("systemd refuses at %s, vigil at %s" % (line, vline))
    elif not sd_refused and not vg_refused:
        warnings = json.loads(vg.stdout)["warnings"]
        ours = [located(w, path) for w in warnings]
        theirs = [(line, m) for line, m in causes]
        unmatched = list(ours)
        for line, message in theirs:
            hit = next((o for o in unmatched
                        if o[1].startswith(message) and (line is None or o[0] == line)), None)
            if hit is None:
                problems.append("vigil lacks systemd's warning %s: %s" % (line, message))
            else:
                unmatched.remove(hit)
        for line, message in unmatched:
            if "vigil" not in message:
                problems.append("vigil warns where systemd does not: %s: %s" % (line, message))
    return problems, sd_refused


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    vigild = os.path.abspath(sys.argv[1])
    if shutil.which("systemd-analyze") is None:
        sys.exit("systemd-analyze is missing: run scripts/install-deps.sh (Debian package systemd)")
    args = sys.argv[2:]
    cases = [(CORPUS, n) for n in args if n != "--system-units"]
    if not cases:
        cases = [(CORPUS, n) for n in sorted(os.listdir(CORPUS)) if n.endswith(".service")]
    if "--system-units" in args:
        system = "/lib/systemd/system"
        for n in sorted(os.listdir(system)):
            path = os.path.join(system, n)
            if n.endswith(".service") and not os.path.islink(path) and os.path.getsize(path) > 0:
                cases.append((system, n))
    names = [n for _, n in cases]
    disagreements = 0
    refused = 0
    for corpus, name in cases:
        problems, sd_refused = run_case(vigild, name, corpus)
        refused += sd_refused
        if problems:
            disagreements += 1
            print("DISAGREE %s" % name)
            for problem in problems:
                print("    " + problem)
        else:
            print("ok       %s%s" % (name, " (refused by both)" if sd_refused else ""))
    print("%d units (%d refused by systemd), %d disagreements" % (len(names), refused,
                                                                  disagreements))
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())

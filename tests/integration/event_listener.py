#!/usr/bin/python3
"""An event listener for the integration and compat tests, written as supervisord's users write
them: with supervisor.childutils. It appends every event it receives to RECORD as one JSON line
({"headers": {...}, "payload": "..."}), then answers OK, except for REMOTE_COMMUNICATION events
whose data asks for something else:

  reject-once    answer FAIL the first time this event (by serial) arrives
  die-once       exit without answering, the first time (RECORD.died marks it)
  hold:PATH      answer OK, then send no READY until PATH exists

Usage: event_listener.py RECORD
"""

import json
import os
import sys
import time

from supervisor import childutils


def record(path, headers, payload):
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps({"headers": headers, "payload": payload}) + "\n")


def main():
    path = sys.argv[1]
    rejected = set()
    while True:
        headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
        record(path, headers, payload)
        data = ""
        if headers["eventname"] == "REMOTE_COMMUNICATION":
            data = payload.partition("\n")[2]
        if data == "reject-once" and headers["serial"] not in rejected:
            rejected.add(headers["serial"])
            childutils.listener.fail(sys.stdout)
            continue
        if data == "die-once" and not os.path.exists(path + ".died"):
            open(path + ".died", "w").close()
            sys.exit(1)
        childutils.listener.ok(sys.stdout)
        if data.startswith("hold:"):
            deadline = time.monotonic() + 60
            while not os.path.exists(data[5:]) and time.monotonic() < deadline:
                time.sleep(0.01)


if __name__ == "__main__":
    main()

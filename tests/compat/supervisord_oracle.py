#!/usr/bin/env python3
"""Reads a supervisord configuration with supervisord's own code (Debian's supervisor 4.2.5) and
prints what it means as JSON, in the shape of `vigild --check --json`, or {"error": message}.

Used by test_supervisord_parity.py to compare vigil's reading of a file with supervisord's."""

import json
import sys

sys.path.insert(0, "/usr/lib/python3/dist-packages")

from supervisor import datatypes  # noqa: E402
from supervisor.events import EventTypes  # noqa: E402
from supervisor.options import ServerOptions  # noqa: E402


class Rejected(Exception):
    pass


def autorestart_name(value):
    if value is datatypes.RestartUnconditionally:
        return "true"
    if value is datatypes.RestartWhenExitUnexpected:
        return "unexpected"
    return "false"


def logfile_name(value):
    if value is None:
        return None
    if value is datatypes.Automatic:
        return "AUTO"
    return value


def log(pconfig, channel):
    return {
        "logfile": logfile_name(getattr(pconfig, channel + "_logfile")),
        "maxbytes": getattr(pconfig, channel + "_logfile_maxbytes"),
        "backups": getattr(pconfig, channel + "_logfile_backups"),
        "capture_maxbytes": getattr(pconfig, channel + "_capture_maxbytes"),
        "events_enabled": bool(getattr(pconfig, channel + "_events_enabled")),
        "syslog": bool(getattr(pconfig, channel + "_syslog")),
    }


def process(pconfig, group):
    return {
        "name": pconfig.name,
        "group": group,
        "command": pconfig.command,
        "priority": pconfig.priority,
        "autostart": bool(pconfig.autostart),
        "autorestart": autorestart_name(pconfig.autorestart),
        "exitcodes": list(pconfig.exitcodes),
        "startsecs": pconfig.startsecs,
        "startretries": pconfig.startretries,
        "stopsignal": int(pconfig.stopsignal),
        "stopwaitsecs": pconfig.stopwaitsecs,
        "stopasgroup": bool(pconfig.stopasgroup),
        "killasgroup": bool(pconfig.killasgroup),
        "directory": pconfig.directory,
        "umask": pconfig.umask,
        "uid": pconfig.uid,
        "redirect_stderr": bool(pconfig.redirect_stderr),
        "stdout": log(pconfig, "stdout"),
        "stderr": log(pconfig, "stderr"),
        "environment": dict(pconfig.environment or {}),
        "serverurl": pconfig.serverurl,
    }


def kind(gconfig):
    name = type(gconfig).__name__
    if name == "EventListenerPoolConfig":
        return "event listener pool"
    if name == "FastCGIGroupConfig":
        return "fastcgi group"
    return "group"


def main(path):
    options = ServerOptions()

    def usage(msg):
        raise Rejected(str(msg))

    options.usage = usage
    try:
        options.realize(args=["-c", path])
    except Rejected as e:
        print(json.dumps({"error": str(e)}))
        return
    except Exception as e:  # supervisord itself would crash with a traceback here
        print(json.dumps({"error": "%s: %s" % (type(e).__name__, e), "crash": True}))
        return
    section = options.configroot.supervisord
    servers = []
    for config in options.server_configs:
        entry = {"section": config["section"], "username": config["username"],
                 "password": config["password"]}
        if config["family"] == 1:  # AF_UNIX
            entry.update(family="unix", file=config["file"], chmod=config["chmod"],
                         chown=list(config["chown"]))
        else:
            entry.update(family="inet", host=config["host"], port=config["port"])
        servers.append(entry)
    groups = []
    for gconfig in options.process_group_configs:
        entry = {"name": gconfig.name, "priority": gconfig.priority, "kind": kind(gconfig),
                 "processes": [process(p, gconfig.name) for p in gconfig.process_configs]}
        if entry["kind"] == "event listener pool":
            entry["events"] = sorted(name for name in dir(EventTypes)
                                     if getattr(EventTypes, name) in gconfig.pool_events)
            entry["buffer_size"] = gconfig.buffer_size
        groups.append(entry)
    print(json.dumps({
        "supervisord": {
            "logfile": options.logfile,
            "logfile_maxbytes": section.logfile_maxbytes,
            "logfile_backups": section.logfile_backups,
            "loglevel": section.loglevel,
            "pidfile": options.pidfile,
            "umask": section.umask,
            "nodaemon": bool(section.nodaemon),
            "silent": bool(section.silent),
            "minfds": section.minfds,
            "minprocs": section.minprocs,
            "nocleanup": bool(section.nocleanup),
            "childlogdir": section.childlogdir,
            "user": section.user,
            "directory": section.directory,
            "strip_ansi": bool(section.strip_ansi),
            "identifier": section.identifier,
            "environment": dict(section.environment or {}),
        },
        "servers": servers,
        "serverurl": options.serverurl,
        "groups": groups,
    }))


if __name__ == "__main__":
    main(sys.argv[1])

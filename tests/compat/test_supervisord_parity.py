#!/usr/bin/env python3
"""Parity of vigil's supervisord dialect with supervisord itself.

Every case is a configuration file. supervisord 4.2.5's own option parser (through
supervisord_oracle.py) and `vigild --check --json` both read it; they must agree on whether it
is valid, and for a valid file on every setting of every process. Usage:
    test_supervisord_parity.py /path/to/vigild
"""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.path.join(HERE, "supervisord_oracle.py")

S = "[supervisord]\n"
P = S + "[program:a]\ncommand=/bin/cat\n"

CASES = {
    # The seed's files, included as operators deploy them.
    "seed_files": S + "[include]\nfiles=%s/*.ini\n" % os.path.join(HERE, "seed"),
    # INI dialect (supervisord.md 1.2)
    "inline_comments": P + "startsecs = 3 ; comment\nexitcodes=0;1\n",
    "hash_inline": P + "stopsignal=TERM #c\ndirectory=/tmp#x\n",
    "comment_search_order": P + "environment=A=a;b ;c #d\n",
    "colon_delimiter": S + "[program:a]\ncommand: /bin/cat\nstartsecs: 4\n",
    "key_case": S + "[program:a]\nCOMMAND=/bin/cat\nStartSecs=2\n",
    "section_case": S + "[Program:a]\ncommand=/bin/cat\n",
    "continuation": S + "[program:a]\ncommand=/bin/echo\n  one\n\n  two\n",
    "duplicate_sections": P + "[program:a]\nstartsecs=9\n",
    "duplicate_keys": P + "startsecs=1\nstartsecs=2\n",
    "default_section": "[DEFAULT]\nstartsecs=7\nautorestart=true\n" + P,
    "default_reaches_supervisord": "[DEFAULT]\nidentifier=fromdefault\n" + P,
    "empty_value": P + "environment=\n",
    "unknown_key": P + "foobar=1\n",
    "no_section_header": "command=/bin/cat\n" + P,
    "garbage_line": P + "this is not a key\n",
    "empty_key": P + "=value\n",
    "bracket_junk": S + "[program:a] trailing\ncommand=/bin/cat\n",
    "crlf": P.replace("\n", "\r\n"),
    "unicode_space": P + "startsecs=\u00a05\u3000\n",
    # Expansions (1.3)
    "here": P + "directory=%(here)s\n",
    "env_expansion": P + "directory=%(ENV_HOME)s\n",
    "missing_expansion": P + "directory=%(ENV_NO_SUCH_VARIABLE_X)s\n",
    "program_group_names": P + "environment=P=%(program_name)s,G=%(group_name)s,H=%(host_node_name)s\n",
    "process_num_format": S + "[program:w]\ncommand=/bin/cat %(process_num)03d\n"
    "process_name=w%(process_num)02d\nnumprocs=3\nnumprocs_start=7\n",
    "process_num_in_priority": P + "priority=%(process_num)d\n",
    "numprocs_var": S + "[program:w]\ncommand=/bin/cat %(numprocs)d\nprocess_name=w%(process_num)d\nnumprocs=2\n",
    "double_percent": P + "environment=A=100%%\n",
    "bare_percent": S + "[program:a]\ncommand=/bin/echo 100%\n",
    "bad_format_char": S + "[program:a]\ncommand=/bin/echo %(program_name)q\n",
    "incomplete_key": S + "[program:a]\ncommand=/bin/echo %(program_name\n",
    "int_as_string_format": S + "[program:a]\ncommand=/bin/echo %(program_name)d\n",
    "logfile_double_expansion": P + "stdout_logfile=/tmp/a%%%%.log\n",
    "supervisord_env_percent": "[supervisord]\nenvironment=A=100%%\n[program:a]\ncommand=/bin/cat\n",
    "supervisord_env_to_program": "[supervisord]\nenvironment=GLOBAL=g\n"
    "[program:a]\ncommand=/bin/echo %(ENV_GLOBAL)s\n",
    "program_env_to_command": P.replace("command=/bin/cat", "command=/bin/echo %(ENV_MINE)s")
    + "environment=MINE=m\n",
    # Datatypes (1.4)
    "booleans": P + "autostart=Off\nstopasgroup=YES\nredirect_stderr=1\n",
    "bad_boolean": P + "autostart=yup\n",
    "boolean_with_space": P + "autostart=true \n",
    "byte_sizes": P + "stdout_logfile_maxbytes=10KB\nstderr_logfile_maxbytes=1gb\n"
    "stdout_capture_maxbytes=10 MB\n",
    "byte_size_m": P + "stdout_logfile_maxbytes=10M\n",
    "byte_size_decimal": P + "stdout_logfile_maxbytes=1.5MB\n",
    "signals": P + "stopsignal=usr1\n",
    "signal_sig_prefix": P + "stopsignal=SIGQUIT\n",
    "signal_number": P + "stopsignal=9\n",
    "signal_zero": P + "stopsignal=0\n",
    "signal_99": P + "stopsignal=99\n",
    "signal_35": P + "stopsignal=35\n",
    "signal_rtmin": P + "stopsignal=RTMIN\n",
    "signal_bad": P + "stopsignal=FOO\n",
    "exitcodes": P + "exitcodes= 0 , 1 \n",
    "exitcodes_empty": P + "exitcodes=\n",
    "exitcodes_256": P + "exitcodes=0,256\n",
    "exitcodes_negative": P + "exitcodes=-1\n",
    "autorestart_values": S + "[program:a]\ncommand=/bin/cat\nautorestart=TRUE\n"
    "[program:b]\ncommand=/bin/cat\nautorestart=false\n[program:c]\ncommand=/bin/cat\nautorestart=Unexpected\n",
    "autorestart_maybe": P + "autorestart=maybe\n",
    "umask": P + "umask=027\n",
    "umask_bad": P + "umask=099\n",
    "user_root": P + "user=root\n",
    "user_numeric": P + "user=0\n",
    "user_missing": P + "user=nosuchuser\n",
    "user_missing_uid": P + "user=64999\n",
    "int_underscore": P + "startsecs=1_0\n",
    "int_unicode_digit": P + "startsecs=\u0663\n",
    "int_plus": P + "startretries=+5\n",
    "int_negative": P + "startsecs=-1\nstartretries=-2\n",
    "int_bad": P + "startsecs=ten\n",
    "logfile_none": P + "stdout_logfile=NONE\nstderr_logfile=off\n",
    "logfile_auto_no_rotation": P + "stdout_logfile=auto\nstdout_logfile_maxbytes=0\n",
    "logfile_syslog": P + "stdout_logfile=syslog\n",
    "logfile_path": P + "stdout_logfile=/tmp/a.log\n",
    "logfile_missing_dir": P + "stdout_logfile=/nonexistent/dir/a.log\n",
    "logfile_relative": P + "stdout_logfile=a.log\n",
    "redirect_with_logfile": P + "redirect_stderr=true\nstderr_logfile=/tmp/e.log\n",
    "environment_quotes": P + "environment=A=\"x,y\",B='q'\n",
    "environment_space": P + "environment=A=hello world\n",
    "environment_dollar": P + "environment=A=$HOME\n",
    "environment_semicolon": P + "environment=A=1;B=2\n",
    "environment_equals": P + "environment=A=x=y\n",
    "environment_at": P + "environment=A=a@b\n",
    "environment_trailing": P + "environment=A=1,B\n",
    "environment_unclosed": P + "environment=A=\"open\n",
    "environment_unicode": P + "environment=A=h\u00e9llo\n",
    "environment_multiline": S + "[program:a]\ncommand=/bin/cat\nenvironment=A=1,\n  B=2\n",
    # Sections and options (1.5)
    "no_supervisord": "[program:a]\ncommand=/bin/cat\n",
    "no_command": S + "[program:a]\nautostart=true\n",
    "empty_command": S + "[program:a]\ncommand=\n",
    "unclosed_quote_command": S + "[program:a]\ncommand=/bin/echo \"open\n",
    "numprocs_without_process_num": P + "numprocs=2\n",
    "numprocs_zero": P + "numprocs=0\n",
    "process_name_literal": P + "process_name=fixed\n",
    "process_name_bad_char": P + "process_name=a b\n",
    "name_colon": S + "[program:a:b]\ncommand=/bin/cat\n",
    "name_slash": S + "[program:a/b]\ncommand=/bin/cat\n",
    "name_unicode": S + "[program:\u65e5\u672c]\ncommand=/bin/cat\n",
    "stopasgroup_without_kill": P + "stopasgroup=true\nkillasgroup=false\n",
    "killasgroup_alone": P + "killasgroup=true\n",
    "serverurl_auto": P + "serverurl=AUTO\n",
    "serverurl_empty": P + "serverurl=\n",
    "serverurl_custom": P + "serverurl=http://localhost:1\n",
    "supervisord_options": "[supervisord]\nlogfile=/tmp/s.log\nlogfile_maxbytes=1MB\n"
    "logfile_backups=2\nloglevel=DEBUG\npidfile=/tmp/s.pid\numask=002\nnodaemon=true\n"
    "silent=on\nminfds=2048\nminprocs=300\nnocleanup=1\nchildlogdir=/var/tmp\n"
    "strip_ansi=true\nidentifier=ident\nenvironment=X=1\n",
    "supervisord_user": "[supervisord]\nuser=root\n",
    "supervisord_user_missing": "[supervisord]\nuser=nosuchuser\n",
    "supervisord_loglevel_warning": "[supervisord]\nloglevel=warning\n",
    "supervisord_loglevel_blather": "[supervisord]\nloglevel=blather\n",
    "supervisord_childlogdir_missing": "[supervisord]\nchildlogdir=/nonexistent\n",
    "supervisord_directory_missing": "[supervisord]\ndirectory=/nonexistent\n",
    "supervisord_logfile_missing_dir": "[supervisord]\nlogfile=/nonexistent/s.log\n",
    "unix_server": S + "[unix_http_server]\nfile=/tmp/vigil-parity.sock\nchmod=0770\nchown=root:root\n",
    "unix_server_relative": S + "[unix_http_server]\nfile=%(here)s/run/../s.sock\n",
    "unix_server_no_file": S + "[unix_http_server]\nchmod=0700\n",
    "unix_server_bad_chmod": S + "[unix_http_server]\nfile=/tmp/s.sock\nchmod=9\n",
    "unix_server_bad_chown": S + "[unix_http_server]\nfile=/tmp/s.sock\nchown=nosuchuser\n",
    "inet_server": S + "[inet_http_server]\nport=127.0.0.1:9001\nusername=u\npassword={SHA}abc\n",
    "inet_server_star": S + "[inet_http_server]\nport=*:9001\n",
    "inet_server_port_only": S + "[inet_http_server]\nport=9001\n",
    "inet_server_no_port": S + "[inet_http_server]\nusername=u\npassword=p\n",
    "inet_server_bad_port": S + "[inet_http_server]\nport=localhost:99999\n",
    "inet_server_half_auth": S + "[inet_http_server]\nport=9001\nusername=u\n",
    "two_servers": S + "[inet_http_server]\nport=9001\n[unix_http_server]\nfile=/tmp/a.sock\n"
    "[unix_http_server:second]\nfile=/tmp/b.sock\n",
    "group": S + "[program:b]\ncommand=/bin/cat\npriority=2\n[program:a]\ncommand=/bin/cat\n"
    "priority=1\n[group:g]\nprograms=b,a\npriority=5\n",
    "group_unknown_program": P + "[group:g]\nprograms=a,nope\n",
    "group_without_programs": P + "[group:g]\npriority=3\n",
    "group_bad_name": P + "[group:g h]\nprograms=a\n",
    "priorities_sort": S + "[program:c]\ncommand=/bin/cat\n[program:b]\ncommand=/bin/cat\n"
    "priority=1\n[program:a]\ncommand=/bin/cat\npriority=1\n",
    "eventlistener": S + "[eventlistener:l]\ncommand=/bin/cat\nevents=PROCESS_STATE,tick_5\n",
    "eventlistener_no_events": S + "[eventlistener:l]\ncommand=/bin/cat\n",
    "eventlistener_bad_event": S + "[eventlistener:l]\ncommand=/bin/cat\nevents=FOO\n",
    "eventlistener_redirect": S + "[eventlistener:l]\ncommand=/bin/cat\nevents=TICK_5\n"
    "redirect_stderr=true\n",
    "eventlistener_buffer_zero": S + "[eventlistener:l]\ncommand=/bin/cat\nevents=TICK_5\n"
    "buffer_size=0\n",
    "include_missing_files_key": S + "[include]\n",
    "include_no_match": S + "[include]\nfiles=/nonexistent/*.conf\n",
    "rpcinterface_stock": S + "[rpcinterface:supervisor]\n"
    "supervisor.rpcinterface_factory=supervisor.rpcinterface:make_main_rpcinterface\n",
    "rpcinterface_no_factory": S + "[rpcinterface:supervisor]\n",
    "vigil_access_section": P + "[access:ops]\nusers=root\nverbs=read,start\nprograms=a\n",
    "fcgi_program": S + "[fcgi-program:f]\ncommand=/bin/cat\nsocket=unix:///tmp/f.sock\n",
    "fcgi_no_socket": S + "[fcgi-program:f]\ncommand=/bin/cat\n",
    "fcgi_relative_socket": S + "[fcgi-program:f]\ncommand=/bin/cat\nsocket=unix://f.sock\n",
    "fcgi_tcp_with_mode": S + "[fcgi-program:f]\ncommand=/bin/cat\nsocket=tcp://localhost:9\n"
    "socket_mode=0700\n",
}


def run_vigil(vigild, path, cwd):
    result = subprocess.run([vigild, "-c", path, "--check", "--json"], cwd=cwd,
                            capture_output=True, text=True, timeout=60)
    if result.returncode == 0:
        return json.loads(result.stdout)
    if result.returncode != 2:
        raise AssertionError("vigild exited %d (not 0 or 2) on %s:\n%s" %
                             (result.returncode, path, result.stderr))
    return {"error": result.stderr.strip()}


def run_oracle(path, cwd):
    # Debian's python3 is the one its supervisor package is installed for.
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    result = subprocess.run([python, ORACLE, path], cwd=cwd, capture_output=True,
                            text=True, timeout=60)
    if result.returncode != 0:
        raise AssertionError("oracle failed on %s:\n%s" % (path, result.stderr))
    return json.loads(result.stdout)


def comparable(vigil):
    """vigil's JSON minus what supervisord has no notion of."""
    vigil = json.loads(json.dumps(vigil))
    vigil.pop("warnings", None)
    for group in vigil.get("groups", []):
        for proc in group["processes"]:
            proc.pop("argv", None)
    return vigil


def check_seed_meaning(vigild, tmp):
    """The seed's three files mean what their authors wrote, whatever supervisord says."""
    path = os.path.join(tmp, "seed_meaning.conf")
    with open(path, "w", encoding="utf-8") as f:
        f.write(CASES["seed_files"])
    config = run_vigil(vigild, path, tmp)
    procs = {p["name"]: p for g in config["groups"] for p in g["processes"]}
    expected = {
        "doris_be": {"command": "sh /path/doris/be/bin/start_be.sh", "startsecs": 5,
                     "directory": "/path/doris/be/be", "environment": {}},
        "PaloFe": {"command": "sh /path/doris/fe/bin/start_fe.sh", "startsecs": 10,
                   "directory": "/path/doris/fe", "environment": {"JAVA_HOME": "/path/jdk8"}},
        "BrokerBootstrap": {"command": "sh /path/apache_hdfs_broker/bin/start_broker.sh",
                            "startsecs": 5, "directory": "/path/apache_hdfs_broker",
                            "environment": {"JAVA_HOME": "/usr/local/java"}},
    }
    problems = []
    for name, settings in expected.items():
        proc = procs.get(name)
        if proc is None:
            problems.append("seed: %s missing" % name)
            continue
        settings = dict(settings, autostart=True, autorestart="true", uid=0, startretries=3,
                        stopasgroup=True, killasgroup=True, group=name)
        for key, value in settings.items():
            if proc[key] != value:
                problems.append("seed: %s %s is %r, meant %r" % (name, key, proc[key], value))
    return problems


def main():
    vigild = os.path.abspath(sys.argv[1])
    failures = []
    with tempfile.TemporaryDirectory(prefix="vigil-parity-") as tmp:
        for name, text in sorted(CASES.items()):
            path = os.path.join(tmp, name + ".conf")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            expected = run_oracle(path, tmp)
            actual = run_vigil(vigild, path, tmp)
            if "error" in expected or "error" in actual:
                if ("error" in expected) != ("error" in actual):
                    failures.append("%s: supervisord %s, vigil %s" % (
                        name,
                        "rejects (%s)" % expected["error"] if "error" in expected else "accepts",
                        "rejects (%s)" % actual["error"] if "error" in actual else "accepts"))
                continue
            if comparable(actual) != expected:
                failures.append("%s: readings differ\n  supervisord: %s\n  vigil:       %s" % (
                    name, json.dumps(expected, sort_keys=True),
                    json.dumps(comparable(actual), sort_keys=True)))
        failures += check_seed_meaning(vigild, tmp)
    for failure in failures:
        print("FAIL " + failure)
    print("%d cases, %d disagreements" % (len(CASES), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

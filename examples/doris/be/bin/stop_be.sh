#!/bin/sh
# Stand-in for Apache Doris's bin/stop_be.sh (apache/doris@22ea203b, Apache License 2.0), rewritten
# for POSIX sh. Messages and exit statuses are the real ones.
#
# Usage: sh stop_be.sh [--grace]
# Like the real script, only the first argument is looked at and anything else is ignored.
# --grace sends SIGTERM, otherwise SIGKILL; then it waits, with no timeout, until the process is
# gone. The real script polls every 2 s; this one polls every 1 s to keep tests short.
# Like the real one it does not read be.conf, so a PID_DIR set there is not honoured.

# The real script has `set -eo pipefail`; dash has no pipefail.
set -eu

curdir="$(cd "$(dirname "$0")" >/dev/null 2>&1 && pwd)"

DORIS_HOME="$(
    cd "${curdir}/.."
    pwd
)"
export DORIS_HOME

PID_DIR="$(
    cd "${curdir}"
    pwd
)"
export PID_DIR

signum=9
if [ "${1:-}" = "--grace" ]; then
    signum=15
fi

pidfile="${PID_DIR}/be.pid"

if [ -f "${pidfile}" ]; then
    pid="$(cat "${pidfile}")"

    # check if pid valid
    if test -z "${pid}"; then
        echo "ERROR: invalid pid."
        exit 1
    fi

    # check if pid process exist
    if ! kill -0 "${pid}" 2>&1; then
        echo "ERROR: be process ${pid} does not exist."
        exit 1
    fi

    pidcomm="$(basename "$(ps -p "${pid}" -o comm=)")"
    # check if pid process is backend process
    if [ "doris_be" != "${pidcomm}" ]; then
        echo "ERROR: pid process may not be be. "
        exit 1
    fi

    # kill pid process and check it
    if kill "-${signum}" "${pid}" >/dev/null 2>&1; then
        while true; do
            if kill -0 "${pid}" >/dev/null 2>&1; then
                echo "waiting be to stop, pid: ${pid}"
                sleep 1
            else
                echo "stop ${pidcomm}, and remove pid file. "
                if [ -f "${pidfile}" ]; then rm "${pidfile}"; fi
                exit 0
            fi
        done
    else
        echo "ERROR: failed to stop ${pid}"
        exit 1
    fi
else
    echo "ERROR: ${pidfile} does not exist"
    exit 1
fi

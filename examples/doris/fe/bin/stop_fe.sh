#!/bin/sh
# Stand-in for Apache Doris's bin/stop_fe.sh (apache/doris@18f24715, Apache License 2.0), rewritten
# for POSIX sh. Messages and exit statuses are the real ones.
#
# Usage: sh stop_fe.sh [--grace]
# Like the real script, only the first argument is looked at and anything else is ignored.
# --grace sends SIGTERM, otherwise SIGKILL; then it waits, with no timeout, until the process is
# gone. The real script polls every 2 s; this one polls every 1 s to keep tests short.

# The real script has `set -eo pipefail`; dash has no pipefail. No -u: fe.conf is expanded with eval.
set -e

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

# fe.conf is read, so a PID_DIR set there is honoured (stop_be.sh does not read be.conf).
while read -r line; do
    envline="$(echo "${line}" |
        sed 's/[[:blank:]]*=[[:blank:]]*/=/g' |
        sed 's/^[[:blank:]]*//g' |
        grep -E "^[[:upper:]]([[:upper:]]|_|[[:digit:]])*=" ||
        true)"
    envline="$(eval "echo ${envline}")"
    case "${envline}" in
    *=*) eval 'export "${envline}"' ;;
    esac
done <"${DORIS_HOME}/conf/fe.conf"

signum=9
if [ "${1:-}" = "--grace" ]; then
    signum=15
fi

pidfile="${PID_DIR}/fe.pid"

if [ -f "${pidfile}" ]; then
    pid="$(cat "${pidfile}")"

    # check if pid valid
    if test -z "${pid}"; then
        echo "ERROR: Invalid PID"
        exit 1
    fi

    # check if pid process exist
    if ! kill -0 "${pid}" 2>&1; then
        echo "ERROR: fe process with PID ${pid} does not exist"
        exit 1
    fi

    pidcomm="$(basename "$(ps -p "${pid}" -o comm=)")"
    # check if pid process is frontend process
    if [ "java" != "${pidcomm}" ]; then
        echo "ERROR: PID may not be the fe process"
        exit 1
    fi

    # kill pid process and check it
    if kill "-${signum}" "${pid}" >/dev/null 2>&1; then
        while true; do
            if kill -0 "${pid}" >/dev/null 2>&1; then
                echo "Waiting for fe process with PID ${pid} to terminate"
                sleep 1
            else
                echo "stop ${pidcomm} and remove PID file"
                if [ -f "${pidfile}" ]; then rm "${pidfile}"; fi
                exit 0
            fi
        done
    else
        echo "ERROR: Failed to stop process with PID ${pid}"
        exit 1
    fi
else
    echo "ERROR: ${pidfile} does not exist"
    exit 1
fi

#!/bin/sh
# Stand-in for Apache Doris's fs_brokers/apache_hdfs_broker/bin/stop_broker.sh
# (apache/doris@46dd93b2, Apache License 2.0), rewritten for POSIX sh.
#
# Usage: sh stop_broker.sh   (arguments are ignored; there is no --grace)
# As in Doris: SIGKILL at once, no wait. A process whose name is not "java" only gets a warning
# and is killed anyway. A missing pid file, or a process that is already gone, is not an error:
# the exit status is 0.

# The real script has `set -eo pipefail`; dash has no pipefail.
set -eu

curdir="$(cd "$(dirname "$0")" >/dev/null 2>&1 && pwd)"

BROKER_HOME=$(
    cd "${curdir}/.."
    pwd
)
export BROKER_HOME

PID_DIR=$(
    cd "${curdir}"
    pwd
)
export PID_DIR

pidfile="${PID_DIR}/apache_hdfs_broker.pid"

if [ -f "${pidfile}" ]; then
    pid="$(cat "${pidfile}")"
    pidcomm="$(basename "$(ps -p "${pid}" -o comm=)")"

    if [ "java" != "${pidcomm}" ]; then
        echo "ERROR: pid process may not broker. "
    fi

    if kill -9 "${pid}" >/dev/null 2>&1; then
        echo "stop ${pidcomm}, and remove pid file. "
        rm "${pidfile}"
    fi
fi

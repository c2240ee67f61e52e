#!/bin/sh
# Stand-in for Apache Doris's fs_brokers/apache_hdfs_broker/bin/start_broker.sh
# (apache/doris@aa24c44f, Apache License 2.0), rewritten for POSIX sh. The order of the steps,
# messages, redirections and exit statuses follow the real script; launching lib/java (a fake
# broker, see ../lib/java) replaces the JVM. What is left out is listed in ../../README.md.
#
# Usage: sh start_broker.sh [--daemon] [-- ARGS...]

# The real script has `set -eo pipefail`; dash has no pipefail. No -u: the real script has none,
# and the conf file's values are expanded with eval.
set -e

curdir="$(cd "$(dirname "$0")" >/dev/null 2>&1 && pwd)"

# The real script uses getopt with the single long option --daemon.
RUN_DAEMON=0
while [ $# -gt 0 ]; do
    case "$1" in
    --daemon)
        RUN_DAEMON=1
        shift
        ;;
    --)
        shift
        break
        ;;
    *)
        echo "Internal error"
        exit 1
        ;;
    esac
done

# The broker's home is BROKER_HOME and its log directory BROKER_LOG_DIR (not DORIS_HOME/LOG_DIR).
BROKER_HOME="$(
    cd "${curdir}/.."
    pwd
)"
export BROKER_HOME

PID_DIR="$(
    cd "${curdir}"
    pwd
)"
export PID_DIR

export JAVA_OPTS="-Xmx1024m -Dfile.encoding=UTF-8 --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens java.base/jdk.internal.ref=ALL-UNNAMED"
export BROKER_LOG_DIR="${BROKER_HOME}/log"

# The real check is that ${JAVA_HOME}/bin/java (or `command -v java` when JAVA_HOME is empty) is
# executable. The stand-in has no JVM: JAVA_HOME must name a directory with a `release` file, and
# the fake broker process is lib/java. As in Doris, this runs before the conf file is read, so
# JAVA_HOME cannot come from apache_hdfs_broker.conf.
if [ -z "${JAVA_HOME:-}" ] || [ ! -f "${JAVA_HOME}/release" ]; then
    echo "The JAVA_HOME environment variable is not defined correctly"
    echo "This environment variable is needed to run this program"
    echo "NB: JAVA_HOME should point to a JDK not a JRE"
    exit 1
fi
JAVA="${BROKER_HOME}/lib/java"

# Every uppercase KEY=VALUE line of the conf file is expanded with eval and exported, as in Doris.
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
done <"${BROKER_HOME}/conf/apache_hdfs_broker.conf"

# The broker script has no proxy-variable check (FE and BE do).

pidfile="${PID_DIR}/apache_hdfs_broker.pid"

if [ -f "${pidfile}" ]; then
    if kill -0 "$(cat "${pidfile}")" >/dev/null 2>&1; then
        echo "Broker running as process $(cat "${pidfile}").  Stop it first."
        exit 1
    fi
fi

if [ ! -d "${BROKER_LOG_DIR}" ]; then
    mkdir -p "${BROKER_LOG_DIR}"
fi

date >>"${BROKER_LOG_DIR}/apache_hdfs_broker.out"

# JAVA_OPTS is split into words on purpose, as in the real script. The binary is never exec'ed.
# In the foreground its output goes to the terminal, not to apache_hdfs_broker.out.
# shellcheck disable=SC2086
if [ "${RUN_DAEMON}" -eq 1 ]; then
    nohup "${JAVA}" ${JAVA_OPTS} org.apache.doris.broker.hdfs.BrokerBootstrap "$@" >>"${BROKER_LOG_DIR}/apache_hdfs_broker.out" 2>&1 </dev/null &
else
    "${JAVA}" ${JAVA_OPTS} org.apache.doris.broker.hdfs.BrokerBootstrap "$@" 2>&1 </dev/null
fi

# Only the script writes this pid file. After a foreground run that exited 0, $! is empty.
echo $! >"${pidfile}"

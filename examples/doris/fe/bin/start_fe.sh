#!/bin/sh
# Stand-in for Apache Doris's bin/start_fe.sh (apache/doris@014253c9, Apache License 2.0), rewritten
# for POSIX sh. Options, checks, messages, redirections, pid file handling and exit statuses follow
# the real script; launching lib/java (a fake FE, see ../lib/java) replaces the JVM. What is left
# out is listed in ../../README.md.
#
# Usage: sh start_fe.sh [--daemon] [--console] [--helper HOST:PORT] [--image PATH] [--version]
#                       [--metadata_failure_recovery] [--cluster_snapshot X] [-- ARGS...]

# The real script has `set -eo pipefail`; dash has no pipefail. No -u: the real script has none,
# and the conf file's values are expanded with eval.
set -e

curdir="$(cd "$(dirname "$0")" >/dev/null 2>&1 && pwd)"

# The real script uses getopt long options; this loop accepts the same ones, both as `--opt VALUE`
# and `--opt=VALUE`, but not getopt's abbreviations (`--dae`).
RUN_DAEMON=0
RUN_CONSOLE=0
HELPER=''
IMAGE_PATH=''
IMAGE_TOOL=''
OPT_VERSION=''
METADATA_FAILURE_RECOVERY=''
CLUSTER_SNAPSHOT=''
while [ $# -gt 0 ]; do
    case "$1" in
    --daemon)
        RUN_DAEMON=1
        shift
        ;;
    --console)
        RUN_CONSOLE=1
        shift
        ;;
    --version)
        OPT_VERSION="--version"
        shift
        ;;
    --metadata_failure_recovery)
        METADATA_FAILURE_RECOVERY="-r"
        shift
        ;;
    --helper=* | --image=* | --cluster_snapshot=*)
        opt="${1%%=*}"
        value="${1#*=}"
        shift
        set -- "${opt}" "${value}" "$@"
        ;;
    --helper | --image | --cluster_snapshot)
        if [ $# -lt 2 ]; then
            echo "Internal error"
            exit 1
        fi
        case "$1" in
        --helper) HELPER="$2" ;;
        --image)
            IMAGE_TOOL=1
            IMAGE_PATH="$2"
            ;;
        --cluster_snapshot) CLUSTER_SNAPSHOT="-cluster_snapshot $2" ;;
        esac
        shift 2
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

DORIS_HOME="$(
    cd "${curdir}/.."
    pwd
)"
export DORIS_HOME

# export env variables from fe.conf
#
# JAVA_OPTS
# LOG_DIR
# PID_DIR
export JAVA_OPTS="-Xmx1024m"
export LOG_DIR="${DORIS_HOME}/log"
PID_DIR="$(
    cd "${curdir}"
    pwd
)"
export PID_DIR

# Every uppercase KEY=VALUE line of fe.conf is expanded with eval and exported, as in Doris.
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

if [ -e "${DORIS_HOME}/bin/palo_env.sh" ]; then
    # shellcheck disable=SC1091
    . "${DORIS_HOME}/bin/palo_env.sh"
fi

# The real check is that ${JAVA_HOME}/bin/java (or `command -v java`) is executable, followed by a
# JDK 17 check. The stand-in has no JVM: a JAVA_HOME with a `release` file counts as a JDK, and
# the fake FE process is lib/java.
if [ -z "${JAVA_HOME:-}" ] || [ ! -f "${JAVA_HOME}/release" ]; then
    echo "The JAVA_HOME environment variable is not set correctly"
    echo "This environment variable is required to run this program"
    echo "Note: JAVA_HOME should point to a JDK and not a JRE"
    echo "You can set JAVA_HOME in the fe.conf configuration file"
    exit 1
fi
JAVA="${DORIS_HOME}/lib/java"

for var in http_proxy HTTP_PROXY https_proxy HTTPS_PROXY; do
    eval "value=\"\${${var}:-}\""
    if [ -n "${value}" ]; then
        echo "env '${var}' = '${value}', need unset it using 'unset ${var}'"
        exit 1
    fi
done

# need check and create if the log directory existed before outing message to the log file.
if [ ! -d "${LOG_DIR}" ]; then
    mkdir -p "${LOG_DIR}"
fi

STDOUT_LOGGER="${LOG_DIR}/fe.out"
log() {
    # same datetime format as in fe.log: 2024-06-03 14:54:41,478
    cur_date=$(date +"%Y-%m-%d %H:%M:%S,$(date +%3N)")
    if [ "${RUN_CONSOLE}" -eq 1 ]; then
        echo "StdoutLogger ${cur_date} $1"
    else
        echo "StdoutLogger ${cur_date} $1" >>"${STDOUT_LOGGER}"
    fi
}

final_java_opt="${JAVA_OPTS_FOR_JDK_17:-${JAVA_OPTS}}"
log "Using Java version 17"
log "${final_java_opt}"

pidfile="${PID_DIR}/fe.pid"

# A stale file whose process is dead is left in place (BE removes it; FE does not).
if [ -f "${pidfile}" ] && [ "${OPT_VERSION}" = "" ]; then
    if kill -0 "$(cat "${pidfile}")" >/dev/null 2>&1; then
        echo "Frontend running as process $(cat "${pidfile}"). Stop it first."
        exit 1
    fi
fi

CUR_DATE=$(date)
log "start time: ${CUR_DATE}"

if [ "${HELPER}" != "" ]; then
    # change it to '-helper' to be compatible with code in Frontend
    HELPER="-helper ${HELPER}"
fi

if [ "${OPT_VERSION}" != "" ]; then
    export DORIS_LOG_TO_STDERR=1
    "${JAVA}" org.apache.doris.DorisFE --version
    exit 0
fi

# final_java_opt and HELPER are split into words on purpose, as in the real script. The binary is
# never exec'ed: in the foreground this shell stays the parent of the FE process.
# shellcheck disable=SC2086
if [ "${IMAGE_TOOL}" = 1 ]; then
    if [ -n "${IMAGE_PATH}" ]; then
        "${JAVA}" ${final_java_opt} org.apache.doris.DorisFE -i "${IMAGE_PATH}"
    else
        echo "Internal error, USE IMAGE_TOOL like: ./start_fe.sh --image image_path"
    fi
elif [ "${RUN_DAEMON}" -eq 1 ]; then
    nohup "${JAVA}" ${final_java_opt} -XX:-OmitStackTraceInFastThrow -XX:OnOutOfMemoryError="kill -9 %p" org.apache.doris.DorisFE ${HELPER} "${METADATA_FAILURE_RECOVERY}" "${CLUSTER_SNAPSHOT}" "$@" >>"${STDOUT_LOGGER}" 2>&1 </dev/null &
elif [ "${RUN_CONSOLE}" -eq 1 ]; then
    # As in apache/doris@87717e0f: nothing is redirected, everything goes to the terminal.
    # (@014253c9 sends stdout to fe.out and only the logs to stderr.)
    export DORIS_LOG_TO_STDERR=1
    "${JAVA}" ${final_java_opt} -XX:-OmitStackTraceInFastThrow -XX:OnOutOfMemoryError="kill -9 %p" org.apache.doris.DorisFE ${HELPER} "${METADATA_FAILURE_RECOVERY}" "${CLUSTER_SNAPSHOT}" "$@"
else
    "${JAVA}" ${final_java_opt} -XX:-OmitStackTraceInFastThrow -XX:OnOutOfMemoryError="kill -9 %p" org.apache.doris.DorisFE ${HELPER} "${METADATA_FAILURE_RECOVERY}" "${CLUSTER_SNAPSHOT}" "$@" >>"${STDOUT_LOGGER}" 2>&1 </dev/null
fi

# After a foreground run that exited 0, $! is empty and so is the pid file, as in Doris. A
# non-zero exit never gets here: set -e exits with the child's status first.
echo $! >"${pidfile}"

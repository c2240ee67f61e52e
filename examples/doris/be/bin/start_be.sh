#!/bin/sh
# Stand-in for Apache Doris's bin/start_be.sh (newest apache/doris version, Apache License 2.0),
# rewritten for POSIX sh. Options, checks, messages, redirections and exit statuses follow the
# real script; launching lib/doris_be (a fake BE, see ../lib/doris_be) replaces the real binary.
# What is left out is listed in ../../README.md.
#
# Usage: sh start_be.sh [--daemon] [--console] [--version] [-- ARGS...]

# The real script has `set -eo pipefail`; dash has no pipefail. No -u: the real script has none,
# and the conf file's values are expanded with eval.
set -e

curdir="$(cd "$(dirname "$0")" >/dev/null 2>&1 && pwd)"

# The real script uses getopt long options (plus --benchmark and --benchmark_filter, which the
# stand-in does not have); getopt's abbreviations (`--dae`) are not accepted here.
RUN_DAEMON=0
RUN_CONSOLE=0
RUN_VERSION=0
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
        RUN_VERSION=1
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

DORIS_HOME="$(
    cd "${curdir}/.."
    pwd
)"
export DORIS_HOME

# export env variables from be.conf
#
# LOG_DIR
# PID_DIR
export LOG_DIR="${DORIS_HOME}/log"
PID_DIR="$(
    cd "${curdir}"
    pwd
)"
export PID_DIR

# Every uppercase KEY=VALUE line of be.conf is expanded with eval and exported, as in Doris. This
# is how be.conf's JAVA_HOME and DORIS_STANDIN_CRASH_AFTER reach the BE.
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
done <"${DORIS_HOME}/conf/be.conf"

STDOUT_LOGGER="${LOG_DIR}/be.out"
log() {
    # same datetime format as in fe.log: 2024-06-03 14:54:41,478
    cur_date=$(date +"%Y-%m-%d %H:%M:%S,$(date +%3N)")
    if [ "${RUN_CONSOLE}" -eq 1 ]; then
        echo "StdoutLogger ${cur_date} $1"
    else
        echo "StdoutLogger ${cur_date} $1" >>"${STDOUT_LOGGER}"
    fi
}

if [ "${RUN_VERSION}" -eq 1 ]; then
    "${DORIS_HOME}"/lib/doris_be --version
    exit 0
fi

# Host checks, skipped with SKIP_CHECK_ULIMIT=true (Doris PR #45267, for containers). The real
# script also requires vm.max_map_count >= 2000000 ("Set kernel parameter 'vm.max_map_count' to a
# value greater than 2000000, ...") and no swap ("Disable swap memory before starting be"), both
# exit 1; the stand-in skips those two so the demo runs on any host.
if [ "${SKIP_CHECK_ULIMIT:-false}" != "true" ]; then
    # shellcheck disable=SC3045 # not POSIX, but dash (/bin/sh here) and bash have it
    MAX_FILE_COUNT="$(ulimit -n)"
    if [ "${MAX_FILE_COUNT}" != "unlimited" ] && [ "${MAX_FILE_COUNT}" -lt 60000 ]; then
        echo "Set max number of open file descriptors to a value greater than 60000."
        echo "Ask your system manager to modify /etc/security/limits.conf and append content like"
        echo "  * soft nofile 655350"
        echo "  * hard nofile 655350"
        echo "and then run 'ulimit -n 655350' to take effect on current session."
        exit 1
    fi
fi

if [ -e "${DORIS_HOME}/bin/palo_env.sh" ]; then
    # shellcheck disable=SC1091
    . "${DORIS_HOME}/bin/palo_env.sh"
fi

export PPROF_TMPDIR="${LOG_DIR}"

# The real check is only that JAVA_HOME is set (the JVM is embedded through JNI), followed by a
# JDK 17 check. The stand-in has no JVM: a JAVA_HOME with a `release` file counts as a JDK.
if [ -z "${JAVA_HOME:-}" ] || [ ! -f "${JAVA_HOME}/release" ]; then
    echo "The JAVA_HOME environment variable is not set correctly"
    echo "This environment variable is required to run this program"
    echo "Note: JAVA_HOME should point to a JDK and not a JRE"
    echo "You can set JAVA_HOME in the be.conf configuration file"
    exit 1
fi

for var in http_proxy HTTP_PROXY https_proxy HTTPS_PROXY; do
    eval "value=\"\${${var}:-}\""
    if [ -n "${value}" ]; then
        echo "env '${var}' = '${value}', need unset it using 'unset ${var}'"
        exit 1
    fi
done

if [ ! -d "${LOG_DIR}" ]; then
    mkdir -p "${LOG_DIR}"
fi

pidfile="${PID_DIR}/be.pid"

# Unlike FE, BE removes a stale pid file. The script never writes be.pid: doris_be does.
if [ -f "${pidfile}" ]; then
    if kill -0 "$(cat "${pidfile}")" >/dev/null 2>&1; then
        echo "Backend is already running as process $(cat "${pidfile}"), stop it first"
        exit 1
    else
        rm "${pidfile}"
    fi
fi

# The real script also runs `chmod 550 lib/doris_be` here; the stand-in leaves the file alone.
log "Start time: $(date)"

export AWS_MAX_ATTEMPTS=2

if [ -z "${JEMALLOC_CONF:-}" ]; then
    JEMALLOC_CONF="percpu_arena:percpu,background_thread:true,metadata_thp:auto,muzzy_decay_ms:5000,dirty_decay_ms:5000,oversize_threshold:0,prof:true,prof_active:false,lg_prof_interval:-1"
fi
export JEMALLOC_CONF="${JEMALLOC_CONF},prof_prefix:"

# The binary is never exec'ed: in the foreground this shell stays the parent of doris_be, and the
# script's exit status is doris_be's (set -e).
if [ "${RUN_DAEMON}" -eq 1 ]; then
    nohup "${DORIS_HOME}/lib/doris_be" "$@" >>"${LOG_DIR}/be.out" 2>&1 </dev/null &
elif [ "${RUN_CONSOLE}" -eq 1 ]; then
    # As in apache/doris@d0d00bf6: everything to the terminal. (The newest version sends only
    # stdout to the terminal and stderr to be.out.)
    export DORIS_LOG_TO_STDERR=1
    "${DORIS_HOME}/lib/doris_be" "$@" 2>&1 </dev/null
else
    "${DORIS_HOME}/lib/doris_be" "$@" >>"${LOG_DIR}/be.out" 2>&1 </dev/null
fi

#!/bin/sh
# Installs the Debian 12 packages vigil needs to build, test and demo, if any are missing.
# `install-deps.sh bench` also installs the peers bench/run.py measures vigild against.
# Idempotent and quiet when everything is already present. Needs root (or sudo) to install.
set -eu

PACKAGES="
  g++ cmake ninja-build make pkg-config
  clang libclang-rt-14-dev
  libgtest-dev libgmock-dev
  libfmt-dev nlohmann-json3-dev libcli11-dev libexpat1-dev
  libmicrohttpd-dev nettle-dev libcurl4-openssl-dev libsystemd-dev
  python3 supervisor systemd procps passwd util-linux
"
BENCH_PACKAGES="s6 runit"
if [ "${1:-}" = bench ]; then
  PACKAGES="$PACKAGES $BENCH_PACKAGES"
fi

missing=""
for pkg in $PACKAGES; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $pkg" ;;
  esac
done

[ -z "$missing" ] && exit 0

echo "vigil: installing missing Debian packages:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || {
    echo "vigil: need root to install:$missing" >&2
    exit 1
  }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
# policy-rc.d keeps the supervisor and runit packages from starting a system-wide supervisord or
# runsvdir: tests and benchmarks run their own instances and must not meet one they did not start.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
echo "vigil: dependencies installed"

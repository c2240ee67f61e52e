#!/bin/sh
# make demo: vigild on examples/supervisord.conf.
set -eu
build=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$repo/examples/run"
exec "$build/src/daemon/vigild" -c "$repo/examples/supervisord.conf" --check

#!/bin/sh
# make demo: vigild in the foreground on examples/supervisord.conf, which runs the seed
# document's three supervisord program files against stand-ins of Doris's FE, BE and Broker.
set -eu
build=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$repo/examples/run"
cat <<MSG
vigil demo: vigild runs Doris FE, BE and Broker stand-ins from the seed's supervisord files
  config:   examples/supervisord.conf and examples/conf.d/*.ini
  services: examples/doris/ (their own logs: examples/doris/*/log/*.out)
The BE stand-in crashes every ~7 s; watch vigild bring it back. Press Ctrl-C to stop everything.

MSG
exec "$build/src/daemon/vigild" -c "$repo/examples/supervisord.conf"

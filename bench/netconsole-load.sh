#!/usr/bin/env bash
# Loopback load test of the netconsole receiver (`ktriage serve --netconsole-port`): extended
# netconsole records at rising rates from several senders; prints per step the records sent,
# received, missed as counted from sequence-number gaps, and the true loss, then the highest rate
# held without loss. Not a timed test: numbers depend on the machine and its load.
# Usage: bench/netconsole-load.sh [SECONDS_PER_STEP] [SENDERS] [RATES]   e.g. 3 4 10000,50000,200000
# Needs: a built ktriage-cli/target/ktriage.jar (./ktriage builds it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/ktriage-cli/target/ktriage.jar"
[ -f "$jar" ] || { echo "build first: ./ktriage --version" >&2; exit 2; }
log="${KTRIAGE_SHARED:-$root/../shared}/lab/out/null-deref/console.log"
exec java -Xmx512m -cp "$jar" "$root/bench/NetconsoleLoad.java" "$log" "${1:-3}" "${2:-4}" ${3:+"$3"}

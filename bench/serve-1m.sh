#!/usr/bin/env bash
# A store of a million reports for bench/serve-load.py: fills DATA_DIR's store (or the JDBC URL's
# database) with COUNT reports generated from the shared syzkaller corpus — each a corpus report with
# a console line of its own in front (host name, IPv4, MAC: a new content hash), a varied host,
# release and time — then times the queries and a re-triage bounded by RETRIAGE_SECONDS on it.
# The corpus goes through the store's write path (each file with its line diagnosed as stored by
# the server's Diagnoser); on PostgreSQL the copies are made in SQL and the bucket counters
# recomputed from the diagnoses (see StoreFill), on H2 every copy goes through the write path (hours
# for a million). A re-triage of the filled store under the same rule book moves nothing (stores
# filled by the earlier StoreFill carry each corpus file's diagnosis made without the line; 2 of
# the 735 texts read otherwise with it, so 0.27 % of their reports move).
# A fill resumes where an interrupted one stopped. Not a timed test: figures depend on the machine
# and its load.
# Usage: bench/serve-1m.sh DATA_DIR [JDBC_URL|-] [COUNT] [RETRIAGE_SECONDS]
#   e.g. bench/serve-1m.sh /tmp/ktriage-1m jdbc:postgresql://127.0.0.1:5432/ktriage?user=ktriage
# Needs: Maven (builds the test classes once), Python 3.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:?usage: bench/serve-1m.sh DATA_DIR [JDBC_URL|-] [COUNT] [RETRIAGE_SECONDS]}"
jdbc="${2:--}"
count="${3:-1000000}"
retriage="${4:-600}"
corpus="${KTRIAGE_SHARED:-$root/../shared}/corpus/syzkaller/report"
mkdir -p "$data"
cp="$data/classpath.txt"
(cd "$root" && nice -n 19 mvn -B -q -o -pl ktriage-server -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp" -Dspotless.check.skip=true >&2)
echo "fill: $count reports, load $(cut -d' ' -f1-3 /proc/loadavg)"
nice -n 10 java -Xmx1g -cp "$root/ktriage-server/target/test-classes:$root/ktriage-server/target/classes:$(cat "$cp")" \
  org.ktriage.server.StoreFill "$data" "$jdbc" "$count" "$corpus"
args=(--keep "$data" --no-ingest --retriage "$retriage")
[ "$jdbc" = - ] || args+=(--db "$jdbc")
exec nice -n 10 python3 "$root/bench/serve-load.py" "${args[@]}"

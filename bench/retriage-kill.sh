#!/usr/bin/env bash
# Kills `ktriage serve` (SIGKILL) in the middle of a re-triage or of its apply, on PostgreSQL, then
# shows from the database that nothing is half-applied: one generation is current, every bucket of
# every generation counts exactly the diagnoses naming it, the current generation holds one
# diagnosis per report and a staged one exactly one per report up to its progress mark.
# Not a test: for the issue 13 note, on a big store (bench/serve-1m.sh fills one).
# Usage: bench/retriage-kill.sh DATA_DIR JDBC_URL PSQL_URL staging SECONDS   (kill SECONDS into a
#          re-triage, started or resumed)
#        bench/retriage-kill.sh DATA_DIR JDBC_URL PSQL_URL apply MILLISECONDS (kill that long after
#          asking to apply the staged re-triage; it must be staged)
#   e.g. bench/retriage-kill.sh /tmp/d 'jdbc:postgresql://127.0.0.1:5432/k?user=k' postgresql://k@127.0.0.1:5432/k staging 60
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="$1" jdbc="$2" psql_url="$3" mode="$4" after="$5"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
mkdir -p "$data"
KTRIAGE_JAVA_OPTS="${KTRIAGE_JAVA_OPTS:--Xmx2g -Xss4m -XX:+UseParallelGC}" \
  nice -n 5 "$root/ktriage" serve --port "$port" --data "$data" --db "$jdbc" >"$data/kill.log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true' EXIT
for _ in $(seq 600); do
  curl -fs "$base/health" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "$base/health" >/dev/null || { echo "the server did not start; see $data/kill.log" >&2; exit 1; }
case "$mode" in
  staging)
    curl -s -X POST "$base/api/v1/retriage" >/dev/null
    sleep "$after"
    echo "before the kill: $(curl -s "$base/api/v1/retriage")"
    ;;
  apply)
    staged="$(curl -s "$base/api/v1/retriage" | python3 -c 'import json, sys; s = json.load(sys.stdin)["staged"]; print(s["generation"] if s and s["state"] == "staged" else "")')"
    [ -n "$staged" ] || { echo "no staged re-triage to apply" >&2; exit 1; }
    curl -s -X POST "$base/api/v1/retriage/$staged/apply" >/dev/null &
    python3 -c "import time; time.sleep($after / 1000)"
    ;;
  *) echo "mode: staging or apply" >&2; exit 2 ;;
esac
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
trap - EXIT
echo "killed ($mode, $after) at $(date -u +%T)"
psql -X -q "$psql_url" <<'SQL'
SELECT id, state, through_report, done_report FROM triage_generation ORDER BY id;
SELECT current_generation FROM triage_state WHERE id = 1;
-- buckets whose count is not the number of diagnoses naming them (none expected)
SELECT b.generation, COUNT(*) AS buckets_off FROM bucket b
  LEFT JOIN (SELECT bucket_id, COUNT(*) AS n FROM diagnosis
             WHERE bucket_id IS NOT NULL GROUP BY bucket_id) d ON d.bucket_id = b.id
  WHERE b.report_count <> COALESCE(d.n, 0) GROUP BY 1;
-- diagnoses per generation against the reports it covers (equal expected)
SELECT g.id, g.state, COUNT(d.report_id) AS diagnoses,
  CASE WHEN g.state IN ('staging', 'staged')
       THEN (SELECT COUNT(*) FROM report r WHERE r.id <= g.done_report)
       ELSE (SELECT COUNT(*) FROM report) END AS reports_covered
  FROM triage_generation g LEFT JOIN diagnosis d ON d.generation = g.id
  GROUP BY g.id, g.state ORDER BY g.id;
SQL

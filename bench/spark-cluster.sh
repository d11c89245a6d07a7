#!/usr/bin/env bash
# Archive re-triage on a real standalone Spark cluster on this machine (issue 14): a Spark Master
# and a Worker JVM (org.apache.spark.deploy.master.Master, ...deploy.worker.Worker) started from the
# Spark jars Maven resolved for ktriage-spark (its `provided` Spark 3.5 with the project's Jackson,
# linked into a SPARK_HOME/jars the Worker launches its executors from), and the job submitted to
# spark://127.0.0.1:<port> with spark-submit's own class (org.apache.spark.deploy.SparkSubmit), the
# jars exactly as the README's production command gives them (ktriage.jar and the job's jar, --jars).
# Input: the corpus's JSONL export (every corpus of the runner less the wild held-out part, written
# by the test-side RetriageCorpus, which also re-triages it on a single thread). The same submit
# runs once more with --master local[N]. It checks the cluster's buckets.jsonl and local[N]'s are
# byte for byte the single-machine buckets, and prints per-core throughput and start-up cost.
#
#   bench/spark-cluster.sh                     # outputs in $SPARK_OUT (/var/tmp/ktriage-spark-cluster)
#
# Knobs: SPARK_OUT, SPARK_WORKER_CORES (2), SPARK_WORKER_MEMORY (2g; executors get 1g),
# SPARK_TIMEOUT (seconds for each submit, 900), SPARK_NO_BUILD=1 (reuse the last run's build),
# KTRIAGE_SHARED (../shared). Needs a JDK 17 and Maven (offline repository with
# ktriage-spark's dependencies). Every JVM it starts is stopped on exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT=${SPARK_OUT:-/var/tmp/ktriage-spark-cluster}
CORES=${SPARK_WORKER_CORES:-2}
MEM=${SPARK_WORKER_MEMORY:-2g}
TIMEOUT=${SPARK_TIMEOUT:-900}

log() { echo "spark-cluster: $*" >&2; }
die() {
	log "$*"
	exit 1
}

pids=()
cleanup() {
	local p
	# the Worker's shutdown hook stops the executors it launched
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

if [ -z "${SPARK_NO_BUILD:-}" ]; then rm -rf "$OUT"; else rm -rf "$OUT"/{spark-home,work,corpus,out-*}; fi
mkdir -p "$OUT"/{spark-home/jars,work,corpus}
java_bin=$(readlink -f "$(command -v java)")
export JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$java_bin")")}
export SPARK_HOME=$OUT/spark-home SPARK_SCALA_VERSION=2.13

# ---- build: ktriage.jar (reader and analyzer, as shipped), the job's jar, the test classes
# (SPARK_NO_BUILD=1: reuse the previous run's build and class paths)
if [ -z "${SPARK_NO_BUILD:-}" ]; then
log "building (load $(cut -d' ' -f1-3 /proc/loadavg))"
(cd "$root" && nice -n 19 mvn -B -q -o -pl ktriage-cli -am package -DskipTests -Dspotless.check.skip=true >&2)
(cd "$root" && nice -n 19 mvn -B -q -o -pl ktriage-spark -am package -DskipTests dependency:build-classpath \
	-Dmdep.includeScope=test -Dmdep.outputFile="$OUT/test-classpath.txt" -Dspotless.check.skip=true >&2)
# the cluster's own jars: ktriage-spark's compile and provided dependencies from the Maven
# repository (Spark, Scala, Jackson 2.23 with its Scala module) less ktriage's modules and the JDBC
# driver, which the submit brings, as on a production cluster
(cd "$root" && nice -n 19 mvn -B -q -o -pl ktriage-spark dependency:build-classpath \
	-Dmdep.includeScope=compile -Dmdep.outputFile="$OUT/cluster-classpath.txt" >&2)
fi
tr ':' '\n' <"$OUT/cluster-classpath.txt" | grep '\.jar$' | grep -v -e '/org/ktriage/' -e '/org/postgresql/' |
	while read -r j; do ln -s "$j" "$OUT/spark-home/jars/"; done
log "SPARK_HOME $SPARK_HOME: $(ls "$SPARK_HOME/jars" | wc -l) jars ($(ls "$SPARK_HOME/jars" | grep -c '^spark-') Spark)"
ktriage_jar=$root/ktriage-cli/target/ktriage.jar
job_jar=$(ls "$root"/ktriage-spark/target/ktriage-spark-*.jar | grep -v -e sources -e tests | head -1)
[ -f "$ktriage_jar" ] && [ -f "$job_jar" ] || die "no $ktriage_jar or job jar"

# ---- the corpus export and single-machine re-triage (one thread, as ktriage triage -j 1)
nice -n 10 java -Xmx1g -Dktriage.shared="${KTRIAGE_SHARED:-$root/../shared}" \
	-cp "$root/ktriage-spark/target/test-classes:$root/ktriage-spark/target/classes:$(cat "$OUT/test-classpath.txt")" \
	org.ktriage.spark.RetriageCorpus "$root" "$OUT/corpus" | tee "$OUT/single.txt" >&2
reports=$(wc -l <"$OUT/corpus/export.jsonl")

# Spark 3.5 on JDK 17: the module openings its launcher adds (launcher JavaModuleOptions)
opens=(-XX:+IgnoreUnrecognizedVMOptions)
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
	java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
	sun.security.action sun.util.calendar; do
	opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
opens+=(-Djdk.reflect.useDirectMethodHandle=false)
spark_cp="$SPARK_HOME/jars/*"

# ---- the cluster: a Master, a Worker with $CORES cores
MASTER_PORT=$(free_port)
MASTER_UI=$(free_port)
WORKER_PORT=$(free_port)
WORKER_UI=$(free_port)
master=spark://127.0.0.1:$MASTER_PORT
t_cluster=$(date +%s.%N)
nice -n 10 java "${opens[@]}" -Xmx512m -cp "$spark_cp" org.apache.spark.deploy.master.Master \
	--host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$MASTER_UI" >"$OUT/master.log" 2>&1 &
pids+=($!)
nice -n 10 java "${opens[@]}" -Xmx512m -cp "$spark_cp" org.apache.spark.deploy.worker.Worker \
	--host 127.0.0.1 --port "$WORKER_PORT" --webui-port "$WORKER_UI" --cores "$CORES" --memory "$MEM" \
	--work-dir "$OUT/work" "$master" >"$OUT/worker.log" 2>&1 &
pids+=($!)
alive=0
for _ in $(seq 1 180); do
	alive=$(curl -fsS "http://127.0.0.1:$MASTER_UI/json/" 2>/dev/null |
		python3 -c 'import json,sys; print(sum(w["cores"] for w in json.load(sys.stdin)["workers"] if w["state"] == "ALIVE"))' 2>/dev/null || echo 0)
	[ "$alive" -ge "$CORES" ] && break
	sleep 1
done
[ "$alive" -ge "$CORES" ] || die "no worker registered with $master (see $OUT/master.log, $OUT/worker.log)"
log "cluster $master up with $alive cores in $(python3 -c "import time; print(round(time.time() - $t_cluster, 1))") s"

# ---- the submit: the README's production command, to the cluster and to local[N]
submit() { # submit MASTER OUT_DIR
	local t0 t1
	t0=$(date +%s.%N)
	timeout "$TIMEOUT" nice -n 10 java "${opens[@]}" -Xmx1g -cp "$spark_cp" org.apache.spark.deploy.SparkSubmit \
		--master "$1" --deploy-mode client --class org.ktriage.spark.RetriageJob \
		--conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
		--conf spark.ui.enabled=false --conf spark.sql.shuffle.partitions=4 \
		--conf "spark.executor.extraJavaOptions=-Djdk.reflect.useDirectMethodHandle=false" \
		--executor-memory 1g --total-executor-cores "$CORES" \
		--jars "$ktriage_jar" "$job_jar" \
		--jsonl "file://$OUT/corpus/export.jsonl" --out "$2" >"$2.log" 2>&1 ||
		die "the submit to $1 failed (see $2.log)"
	t1=$(date +%s.%N)
	grep -q '^retriage: ' "$2.log" || die "no summary line in $2.log"
	python3 - "$1" "$2.log" "$t0" "$t1" "$reports" "$CORES" <<'PY'
# start-up: from the submit to the first task (driver JVM, SparkContext, executors launched and
# registered); work: from the first task to the last one finished (read, triage, group, write)
import datetime, re, sys
master, log, t0, t1, reports, cores = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
def ts(line):
    return datetime.datetime.strptime(line[:17], "%y/%m/%d %H:%M:%S").timestamp()
lines = open(log, encoding="utf-8", errors="replace").read().splitlines()
started = [ts(l) for l in lines if " Starting task " in l]
finished = [ts(l) for l in lines if " Finished task " in l]
job = float(next(l for l in lines if l.startswith("retriage: ")).split(" reports in ")[1].split(" s")[0])
work = max(finished) - min(started)
print("%-26s wall %6.1f s  start-up %5.1f s  work %5.1f s = %4.0f reports/s per core (%d cores)  [job's own clock %.1f s]"
      % (master, t1 - t0, min(started) - t0, work, reports / work / cores, cores, job))
PY
}
submit "$master" "$OUT/out-cluster" | tee "$OUT/figures.txt" >&2
executors=$(find "$OUT/work" -mindepth 2 -maxdepth 2 -path '*/app-*/*' | wc -l)
[ "$executors" -ge 1 ] || die "the worker launched no executor (see $OUT/worker.log)"
submit "local[$CORES]" "$OUT/out-local" | tee -a "$OUT/figures.txt" >&2

# ---- the same buckets as single-machine re-triage, and one diagnosis a report
for o in out-cluster out-local; do
	cmp -s "$OUT/corpus/buckets-single.jsonl" "$OUT/$o/buckets.jsonl" ||
		die "$o/buckets.jsonl differs from single-machine re-triage's buckets"
	n=$(cat "$OUT/$o"/diagnoses/part-* | wc -l)
	[ "$n" = "$reports" ] || die "$o wrote $n diagnoses for $reports reports"
done
{
	cat "$OUT/single.txt"
	cat "$OUT/figures.txt"
	echo "buckets: cluster and local[$CORES] equal single-machine ($(wc -l <"$OUT/corpus/buckets-single.jsonl") buckets, $reports reports; $executors executor(s) on the worker)"
} | tee "$OUT/result.txt" >&2

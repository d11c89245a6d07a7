#!/usr/bin/env bash
# Long fuzzing runs of the ktriage-ingest Jazzer targets (every *Fuzzer class under
# ktriage-ingest/src/test/java), one target after another, each bounded by inputs and by time.
#
# The module is compiled once; its classes are copied to a work directory so the run does not
# depend on (or disturb) later builds of the worktree; each target then runs in Jazzer's own
# driver (no Maven per target), starting from its committed seeds
# (src/test/resources/.../<Target>Inputs/fuzz) plus the corpus it grew on earlier runs
# (WORK/corpus/<Target>, not committed). A finding (anything but the project's
# UnreadableInputException, an input running longer than -timeout, or RSS over -rss_limit_mb) is
# written to WORK/findings/<Target>/, minimized for up to 60 s, and the smallest reproducer is
# copied into the target's seed directory, where the short CI run (regression mode) replays it from
# then on: commit it with the fix.
#
# Usage: bench/fuzz-long.sh [-t SECONDS] [-n RUNS] [-w WORK] [TARGET...]
#   -t SECONDS  time budget per target (default 600)
#   -n RUNS     stop a target after RUNS inputs if that comes first (default 200000)
#   -w WORK     work directory (default /var/tmp/ktriage-fuzz)
#   TARGET      simple class names (default: every *Fuzzer class)
#   KTRIAGE_FUZZ_NO_BUILD=1 reuses the classes already in WORK/snap.
# Run it under `nice -n 19` on a shared machine. Output: WORK/logs/<Target>.log, a row per target
# in WORK/summary.tsv (appended; one row per target per run) and a Markdown table of this run on
# standard output.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
secs=600
runs=200000
work=/var/tmp/ktriage-fuzz
while getopts t:n:w: opt; do
  case $opt in
    t) secs=$OPTARG ;;
    n) runs=$OPTARG ;;
    w) work=$OPTARG ;;
    *) echo "usage: $0 [-t SECONDS] [-n RUNS] [-w WORK] [TARGET...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
src=ktriage-ingest/src/test/java
mapfile -t all < <(find "$src" -name '*Fuzzer.java' | sed -e "s|^$src/||" -e 's|\.java$||' -e 's|/|.|g' | sort)
targets=()
if (($# == 0)); then
  targets=("${all[@]}")
else
  for want in "$@"; do
    for c in "${all[@]}"; do [ "${c##*.}" = "$want" ] && targets+=("$c"); done
  done
fi
((${#targets[@]})) || { echo "fuzz-long: no such target: $*" >&2; exit 2; }
mkdir -p "$work"/{logs,corpus,findings}
snap=$work/snap
if [ -z "${KTRIAGE_FUZZ_NO_BUILD:-}" ] || [ ! -s "$work/cp.txt" ]; then
  echo "fuzz-long: compiling ktriage-ingest and its tests" >&2
  mvn -B -q -o -pl ktriage-ingest -am test-compile -Dspotless.check.skip=true >&2
  mvn -B -q -o -pl ktriage-ingest dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/deps.txt" >&2
  rm -rf "$snap"
  mkdir -p "$snap"
  for m in model testkit ingest; do cp -r "ktriage-$m/target/classes" "$snap/$m"; done
  cp -r ktriage-ingest/target/test-classes "$snap/ingest-tests"
  # the reactor siblings from this build, not whatever the local repository holds
  deps=$(sed -e "s|[^:]*/ktriage-model-[^:]*\.jar|$snap/model|" \
    -e "s|[^:]*/ktriage-testkit-[^:]*\.jar|$snap/testkit|" "$work/deps.txt")
  echo "$snap/ingest-tests:$snap/ingest:$deps" > "$work/cp.txt"
  git rev-parse --short HEAD > "$work/commit.txt"
fi
cp=$(cat "$work/cp.txt")
summary=$work/summary.tsv
[ -s "$summary" ] || printf 'date\tcommit\ttarget\tseconds\tinputs\toutcome\n' > "$summary"
# the sanitizers for injection into SQL/LDAP/OS commands etc. watch APIs these readers never call;
# the regex ones slow every String.matches by a reflective hook
hooks=com.code_intelligence.jazzer.sanitizers
disabled="$hooks.RegexRoadblocks:$hooks.RegexInjection:$hooks.LdapInjection:$hooks.NamingContextLookup"
table="| target | inputs | seconds | outcome |
|---|---:|---:|---|"
total=0
for cls in "${targets[@]}"; do
  name=${cls##*.}
  seeds=ktriage-ingest/src/test/resources/$(dirname "${cls//.//}")/${name}Inputs/fuzz
  mkdir -p "$work/corpus/$name" "$work/findings/$name" "$seeds"
  log=$work/logs/$name.log
  echo "fuzz-long: $name (<= ${secs}s, <= $runs inputs)" >&2
  start=$(date +%s)
  touch "$work/logs/$name.start"
  set +e
  # -timeout: one input running over 25 s is a hang (a finding); the outer timeout is a guard
  timeout --kill-after=30 $((secs + 180)) java -Xmx2g -XX:+UseParallelGC \
    -Dktriage.shared="${KTRIAGE_SHARED:-$root/../shared}" -cp "$cp" \
    com.code_intelligence.jazzer.Jazzer --target_class="$cls" --target_method=fuzz \
    --instrumentation_includes='org.ktriage.**' --disabled_hooks="$disabled" \
    "$work/corpus/$name" "$seeds" -max_total_time="$secs" -runs="$runs" -timeout=25 \
    -rss_limit_mb=3072 -artifact_prefix="$work/findings/$name/" -print_final_stats=1 \
    > "$log" 2>&1
  rc=$?
  set -e
  took=$(($(date +%s) - start))
  n=$(grep -aoE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' | tail -1 || true)
  [ -n "$n" ] || n=$(grep -aoE '^#[0-9]+' "$log" | tr -d '#' | tail -1 || true)
  n=${n:-0}
  outcome=clean
  if ((rc != 0)); then
    found=$(find "$work/findings/$name" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' \
      -o -name 'oom-*' \) -newer "$work/logs/$name.start" -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2-)
    if [ -n "$found" ]; then
      # minimize (libFuzzer -minimize_crash), keep the smallest reproducer as a regression seed
      timeout 300 java -Xmx2g -Dktriage.shared="${KTRIAGE_SHARED:-$root/../shared}" -cp "$cp" \
        com.code_intelligence.jazzer.Jazzer --target_class="$cls" --target_method=fuzz \
        --instrumentation_includes='org.ktriage.**' --disabled_hooks="$disabled" \
        -minimize_crash=1 -max_total_time=60 -timeout=25 \
        -exact_artifact_path="$found.min" "$found" > "$log.min" 2>&1 || true
      keep=$found
      [ -s "$found.min" ] && keep=$found.min
      cp "$keep" "$seeds/$(basename "$found")"
      outcome="FINDING $(basename "$found") (rc $rc; $(wc -c < "$keep") bytes kept in $seeds; stack in $log)"
    else
      outcome="failed (rc $rc, see $log)"
    fi
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$(cat "$work/commit.txt")" "$name" \
    "$took" "$n" "$outcome" >> "$summary"
  table+=$'\n'"| $name | $n | $took | $outcome |"
  total=$((total + n))
done
printf '%s\n\n%d targets, %d inputs executed in this run\n' "$table" "${#targets[@]}" "$total"

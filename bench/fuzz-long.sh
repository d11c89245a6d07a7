#!/usr/bin/env bash
# Long fuzzing runs of the ktriage-ingest Jazzer targets (the *Fuzzer classes): each target is
# fuzzed in its own Maven test run with JAZZER_FUZZ=1 for a time budget, starting from its
# committed seeds plus the corpus it grew on earlier runs (ktriage-ingest/.cifuzz-corpus, not
# committed). A finding stops the target's run, is written by Jazzer next to the seeds
# (src/test/resources/.../<Target>Inputs/fuzz/crash-*) and so becomes a regression seed once it
# is committed; the log shows its stack trace.
#
# Usage: [FUZZ_RUNS=N] bench/fuzz-long.sh [SECONDS_PER_TARGET] [TARGET...]
#   SECONDS_PER_TARGET  default 600; TARGETs default to every target (package.Class)
#   FUZZ_RUNS           stop each target after N inputs (libFuzzer -runs) if that comes first
# One fuzzing process at a time (targets run one after another); run it under `nice -n 19` on a
# shared machine. Output: bench/fuzz-logs/<Target>.log and a summary line per target (inputs
# executed, outcome) in bench/fuzz-logs/summary.tsv; the total of this run is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(
    fuzz.TextReaderFuzzer fuzz.CrashSessionParserFuzzer fuzz.ElfCoreFuzzer
    fuzz.KdumpCompressedReaderFuzzer fuzz.FlattenedDumpSourceFuzzer fuzz.SplitKdumpMemoryFuzzer
    fuzz.PageCompressionFuzzer fuzz.VmcoreInfoFuzzer fuzz.PrintkReaderFuzzer
    fuzz.KallsymsTableFuzzer fuzz.OrcTableFuzzer btf.BtfFuzzer kernel.KernelObjectsFuzzer
  )
fi
logs=bench/fuzz-logs
mkdir -p "$logs"
summary=$logs/summary.tsv
[ -s "$summary" ] || printf 'target\tseconds\truns\toutcome\n' > "$summary"
total=0
for t in "${targets[@]}"; do
  cls=org.ktriage.ingest.$t
  name=${t##*.}
  log=$logs/$name.log
  echo "fuzz-long: $name for ${secs}s" >&2
  # -max_total_time given last wins over the annotation's short CI budget; -rss_limit_mb keeps a
  # runaway allocation a finding rather than a swapped machine
  set +e
  JAZZER_FUZZ=1 mvn -B -o -pl ktriage-ingest -am test \
    -Dtest="$cls#fuzz" -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true \
    -Djazzer.internal.arg.0=fuzz-long -Djazzer.internal.arg.1=-max_total_time="$secs" \
    -Djazzer.internal.arg.2=-rss_limit_mb=2048 \
    ${FUZZ_RUNS:+-Djazzer.internal.arg.3=-runs="$FUZZ_RUNS"} \
    > "$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -aoE '(Done|DONE) +[0-9]+ runs|#[0-9]+[[:space:]]+DONE' "$log" | grep -oE '[0-9]+' | tail -1)
  if ((rc == 0)); then outcome=clean; else outcome="FINDING or failure (rc $rc, see $log)"; fi
  printf '%s\t%s\t%s\t%s\n' "$name" "$secs" "${runs:-?}" "$outcome" | tee -a "$summary"
  total=$((total + ${runs:-0}))
done
echo "fuzz-long: ${#targets[@]} targets, $total inputs executed in this run" >&2

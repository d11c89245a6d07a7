#!/usr/bin/env bash
# Issue 16's comparisons in one call, each on the same inputs, A and B run in turn (A B A B ...),
# whole processes timed by /usr/bin/time; prints for each the median wall and CPU seconds, the
# median peak RSS and the median of the pair-by-pair A/B wall and CPU ratios. Under load quote the
# CPU ratios: wall time then mostly measures the wait for a core.
#
#   1. ktriage dmesg VMCORE              vs makedumpfile --dump-dmesg VMCORE OUT   (lab dumps)
#   2. ktriage analyze --format json VMCORE  vs crash reaching log + bt -a + mod + ps
#      (only when CRASH_VMLINUX names the debug vmlinux of the lab kernel and crash is installed)
#   3. ktriage triage -j 1 on syzkaller's 747 corpus reports  vs syzkaller's pkg/report on the same
#      files (only when SYZKALLER_SRC names a syzkaller checkout and its Go toolchain is usable;
#      never committed here: fetch it yourself)
#   4. ktriage analyze of a generated log (1 GiB; --quick 16 MiB): MB/s end to end
#   5. ktriage triage of N = 1 000 / 10 000 / 100 000 logs (--quick: 300): inputs/s, peak RSS,
#      -j 2 against -j 1 and the same buckets from both
#   6. start-up of each command with the launcher's class-data sharing archive against without
#
# Usage: bench/compare.sh [--quick] [--runs N] [--only NAME[,NAME]]   NAME: dmesg analyze syzkaller
#        big-log triage-n startup
# env:   KTRIAGE_SHARED (default ../shared), BENCH_WORK (scratch; default $TMPDIR/ktriage-bench),
#        CRASH_VMLINUX (+ CRASH, default crash), SYZKALLER_SRC, GO (default go),
#        BENCH_MIB (size of the generated log), BENCH_NS (the N of section 5, e.g. "1000 10000")
# Needs: the built jar (./ktriage builds it and its archive), /usr/bin/time, makedumpfile, awk.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
quick=0
runs=""
only=""
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --runs) runs="$2"; shift ;;
    --only) only=",$2,"; shift ;;
    -h | --help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$runs" ] || runs=$((quick ? 1 : 5))
shared="${KTRIAGE_SHARED:-$root/../shared}"
fix="$shared/lab/fixtures"
corpus="$shared/corpus/syzkaller/report"
# --quick: a slice of the corpus, small sizes, no warm-up: a smoke test of every comparison
corpus_files() { find "$corpus" -type f | sort | if ((quick)); then head -n 60; else cat; fi; }
work="${BENCH_WORK:-${TMPDIR:-/tmp}/ktriage-bench}"
mkdir -p "$work"
jar="$root/ktriage-cli/target/ktriage.jar"
jsa="$root/ktriage-cli/target/ktriage.jsa"
# the launcher builds the jar and the archive when they are missing or stale
"$root/ktriage" --version >/dev/null
[ -x /usr/bin/time ] || { echo "compare.sh: needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 2; }
# the launcher itself, with the JVM options it picks per command and input (its CDS archive,
# young generation), without its build check
kt=(env KTRIAGE_NO_BUILD=1 "$root/ktriage")

want() { [ -z "$only" ] || [[ "$only" == *",$1,"* ]]; }
say() { printf '%s\n' "$*"; }

# one run of a command: "wall cpu peakKiB" on stdout; its own output goes to $work/out.last
# (a ktriage run that ends in usage error, unreadable input or a JVM failure stops the script)
run1() {
  local rc=0
  /usr/bin/time -f '%e %U %S %M' -o "$work/time.last" "$@" >"$work/out.last" 2>&1 || rc=$?
  if [ "$1" = env ] && ((rc > 1)); then
    echo "compare.sh: exit $rc from: $*" >&2
    tail -n 5 "$work/out.last" >&2
    exit 1
  fi
  awk '/^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$/ {t = $0} END {split(t, f, " "); printf "%s %.3f %s\n", f[1], f[2] + f[3], f[4]}' "$work/time.last"
}

# the resident set (KiB) of process $1 once a second until it ends, one number a line
rss_series() {
  while kill -0 "$1" 2>/dev/null; do
    awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || true
    sleep 1
  done
}

# median of the numbers on stdin
median() { sort -g | awk '{a[NR] = $1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# pair LABEL_A LABEL_B -- A... -- B...: runs A and B in turn $runs times (after one warm-up each)
# and prints one row: medians of A and B, and of the pairwise ratios A/B
pair() {
  local la=$1 lb=$2 a=() b=() i ta tb
  shift 2
  [ "$1" = -- ] && shift
  while [ "$1" != -- ]; do a+=("$1"); shift; done
  shift
  b=("$@")
  if ((!quick)); then
    run1 "${a[@]}" >/dev/null
    run1 "${b[@]}" >/dev/null
  fi
  : >"$work/pair"
  for ((i = 0; i < runs; i++)); do
    ta=$(run1 "${a[@]}")
    tb=$(run1 "${b[@]}")
    echo "$ta $tb" >>"$work/pair"
  done
  row "$la" "$lb" "$work/pair"
}

# row LABEL_A LABEL_B FILE (lines: wallA cpuA kbA wallB cpuB kbB)
row() {
  local wa ca ma wb cb mb rw rc
  wa=$(awk '{print $1}' "$3" | median); ca=$(awk '{print $2}' "$3" | median)
  ma=$(awk '{print int($3 / 1024)}' "$3" | median | xargs printf '%.0f')
  wb=$(awk '{print $4}' "$3" | median); cb=$(awk '{print $5}' "$3" | median)
  mb=$(awk '{print int($6 / 1024)}' "$3" | median | xargs printf '%.0f')
  # a B too fast for /usr/bin/time's 10 ms resolution has no ratio
  rw=$(awk '$4 > 0 {printf "%.2f\n", $1 / $4}' "$3" | median)
  rc=$(awk '$5 > 0 {printf "%.2f\n", $2 / $5}' "$3" | median)
  printf '%-44s %8s %8s %7s MiB | %-30s %8s %8s %7s MiB | A/B wall %6s cpu %6s\n' \
    "$1" "$wa" "$ca" "$ma" "$2" "$wb" "$cb" "$mb" "$rw" "$rc"
}

header() {
  say ""
  say "== $*"
  printf '%-44s %8s %8s %11s | %-30s %8s %8s %11s |\n' "A" "wall s" "cpu s" "peak" "B" "wall s" "cpu s" "peak"
}

say "ktriage bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg), runs $runs$( ((quick)) && echo ', quick')"
say "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $(java -version 2>&1 | head -1)"

vmcore="$fix/timer-after-unload-kdump.vmcore"

# 1. dmesg vs makedumpfile
if want dmesg; then
  header "dmesg of the lab dumps: ktriage dmesg (A) vs makedumpfile --dump-dmesg (B)"
  dumps=("$vmcore")
  if ((!quick)); then
    [ -s "$work/kdump.elf" ] || xz -dc "$fix/timer-after-unload-kdump.elf.xz" >"$work/kdump.elf"
    dumps+=("$work/kdump.elf" "$fix/timer-after-unload-qemu.vmcore")
  fi
  min_heap() { # the smallest of 4 8 16 32 64 MiB with which ktriage dmesg prints the same log
    local ref m
    ref=$(java -jar "$jar" dmesg "$1" 2>/dev/null | md5sum)
    for m in 4 8 16 32 64; do
      if [ "$(java -Xmx${m}m -jar "$jar" dmesg "$1" 2>/dev/null | md5sum)" = "$ref" ]; then
        echo "-Xmx${m}m"; return
      fi
    done
    echo "more than -Xmx64m"
  }
  mdf() { rm -f "$work/m.txt"; makedumpfile --dump-dmesg "$1" "$work/m.txt"; }
  export -f mdf
  export work
  for d in "${dumps[@]}"; do
    if ! command -v makedumpfile >/dev/null; then
      say "$(basename "$d"): makedumpfile not installed (Debian: apt-get install makedumpfile); skipped"
    elif ! mdf "$d" >/dev/null 2>&1; then
      pair "ktriage dmesg $(basename "$d")" "makedumpfile: cannot read" -- "${kt[@]}" dmesg "$d" -- true
    else
      pair "ktriage dmesg $(basename "$d")" "makedumpfile --dump-dmesg" -- "${kt[@]}" dmesg "$d" -- \
        bash -c 'mdf "$0"' "$d"
    fi
    ((quick)) || say "  smallest heap with the same output: $(min_heap "$d")"
  done
fi

# 2. analyze vs crash with debuginfo
if want analyze; then
  header "a dump's diagnosis: ktriage analyze --format json (A) vs crash log + bt -a + mod + ps (B)"
  if [ -n "${CRASH_VMLINUX:-}" ] && command -v "${CRASH:-crash}" >/dev/null; then
    printf 'log\nbt -a\nmod\nps\nquit\n' >"$work/crash.cmd"
    pair "ktriage analyze $(basename "$vmcore")" "crash (debug vmlinux)" -- \
      "${kt[@]}" analyze --format json "$vmcore" -- \
      "${CRASH:-crash}" -s -i "$work/crash.cmd" "$CRASH_VMLINUX" "$vmcore"
  else
    : >"$work/one"
    for ((i = 0; i < runs + 1; i++)); do run1 "${kt[@]}" analyze --format json "$vmcore" >>"$work/one"; done
    sed -i 1d "$work/one"
    say "$(printf '%-44s %8s %8s %7s MiB | crash skipped: set CRASH_VMLINUX to the debug vmlinux of the dump' \
      "ktriage analyze $(basename "$vmcore")" "$(awk '{print $1}' "$work/one" | median)" \
      "$(awk '{print $2}' "$work/one" | median)" "$(awk '{print int($3 / 1024)}' "$work/one" | median)")"
  fi
fi

# 3. triage of the corpus vs syzkaller's pkg/report
if want syzkaller; then
  header "the syzkaller corpus ($(corpus_files | wc -l) reports): ktriage triage -j 1 (A) vs syzkaller pkg/report (B)"
  syz=""
  if [ -n "${SYZKALLER_SRC:-}" ] && [ -f "$SYZKALLER_SRC/pkg/report/report.go" ] && command -v "${GO:-go}" >/dev/null; then
    # a small program of ours, built inside the user's checkout: parses and titles every file given
    mkdir -p "$SYZKALLER_SRC/tools/ktriage-bench-report"
    cat >"$SYZKALLER_SRC/tools/ktriage-bench-report/main.go" <<'EOF'
// Parses every file named on the command line with pkg/report (linux/amd64) and prints its title.
package main

import (
	"fmt"
	"os"

	"github.com/google/syzkaller/pkg/mgrconfig"
	"github.com/google/syzkaller/pkg/report"
	"github.com/google/syzkaller/sys/targets"
)

func main() {
	cfg := &mgrconfig.Config{Derived: mgrconfig.Derived{
		TargetOS: targets.Linux, TargetArch: targets.AMD64,
		SysTarget: targets.Get(targets.Linux, targets.AMD64)}}
	reporter, err := report.NewReporter(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for _, path := range os.Args[1:] {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		if rep := reporter.Parse(data); rep != nil {
			fmt.Println(rep.Title)
		}
	}
}
EOF
    # offline: the checkout's own vendor/ directory when it has one (syzkaller vendored its
    # dependencies until January 2025), never a toolchain or module download
    gomod=""
    [ -f "$SYZKALLER_SRC/vendor/modules.txt" ] && gomod=-mod=vendor
    if (cd "$SYZKALLER_SRC" && GOTOOLCHAIN=local GOPROXY=off GOFLAGS="$gomod" GOWORK=off \
        "${GO:-go}" build -o "$work/syz-report" ./tools/ktriage-bench-report) >"$work/go.log" 2>&1; then
      syz="$work/syz-report"
    else
      say "syzkaller harness does not build (last lines of $work/go.log):"; tail -3 "$work/go.log"
    fi
  fi
  mapfile -t files < <(corpus_files)
  if [ -n "$syz" ]; then
    pair "ktriage triage -j 1" "syzkaller pkg/report" -- \
      "${kt[@]}" triage -j 1 --no-progress -f csv "${files[@]}" -- "$syz" "${files[@]}"
    say "  reports per CPU second (medians): ktriage $(awk -v n="${#files[@]}" '$2 > 0 {printf "%.0f\n", n / $2}' "$work/pair" | median)," \
      "syzkaller $(awk -v n="${#files[@]}" '$5 > 0 {printf "%.0f\n", n / $5}' "$work/pair" | median);" \
      "ktriage / syzkaller throughput per core $(awk '$2 > 0 {printf "%.2f\n", $5 / $2}' "$work/pair" | median)"
    "$syz" "${files[@]}" >"$work/syz-titles.txt" 2>/dev/null || true
    say "  titled: syzkaller $(wc -l <"$work/syz-titles.txt") of ${#files[@]} reports"
    # start-up and one report, so the per-report cost can be read off both
    pair "ktriage triage -j 1 (1 report)" "syzkaller pkg/report (1 report)" -- \
      "${kt[@]}" triage -j 1 --no-progress -f csv "${files[0]}" -- "$syz" "${files[0]}"
  else
    say "syzkaller skipped: set SYZKALLER_SRC to a syzkaller checkout and GO to a Go toolchain its go.mod accepts"
    pair "ktriage triage -j 2" "ktriage triage -j 1" -- \
      "${kt[@]}" triage -j 2 --no-progress -f csv "${files[@]}" -- \
      "${kt[@]}" triage -j 1 --no-progress -f csv "${files[@]}"
  fi
fi

# 4. a big console log
if want big-log; then
  mib=${BENCH_MIB:-$((quick ? 4 : 1024))}
  big="$work/big-$mib.log"
  if [ ! -s "$big" ]; then
    # a serial console that saw many clean boots, then the crash: the lab console log's boot
    # (everything before its first report) repeated to size, the whole log with its oops last
    console="$root/samples/lab-timer-after-unload-console.log"
    awk '/BUG:|Oops:|WARNING:|Kernel panic/ {exit} {print}' "$console" >"$work/boot.unit"
    for ((i = 0; i < 64; i++)); do cat "$work/boot.unit"; done >"$work/boot64.unit"
    : >"$big"
    while [ "$(stat -c %s "$big")" -lt $((mib * 1048576 - $(stat -c %s "$console"))) ]; do
      cat "$work/boot64.unit" >>"$big"
    done
    cat "$console" >>"$big"
  fi
  header "analyze of a $(($(stat -c %s "$big") / 1048576)) MiB console log (clean boots, then the crash)"
  : >"$work/one"
  for ((i = 0; i < (quick ? 1 : 3); i++)); do run1 "${kt[@]}" analyze --format json "$big" >>"$work/one"; done
  w=$(awk '{print $1}' "$work/one" | median); c=$(awk '{print $2}' "$work/one" | median)
  m=$(awk '{print int($3 / 1024)}' "$work/one" | median)
  say "$(printf '%-44s %8s %8s %7s MiB | %.0f MB/s wall, %.0f MB/s per CPU second' "ktriage analyze --format json" "$w" "$c" "$m" \
    "$(awk -v b="$(stat -c %s "$big")" -v t="$w" 'BEGIN {print b / 1e6 / t}')" \
    "$(awk -v b="$(stat -c %s "$big")" -v t="$c" 'BEGIN {print b / 1e6 / t}')")"
fi

# 5. triage of many logs
if want triage-n; then
  if ((quick)); then ns=(100); else ns=(1000 10000 100000); fi
  # shellcheck disable=SC2206
  [ -n "${BENCH_NS:-}" ] && ns=($BENCH_NS)
  mapfile -t files < <(corpus_files)
  for n in "${ns[@]}"; do
    dir="$work/logs-$n"
    if [ ! -d "$dir" ] || [ "$(find "$dir" -type f | wc -l)" -ne "$n" ]; then
      rm -rf "$dir"
      mkdir -p "$dir"
      # hard links of the corpus' reports, in directories of 1 000
      for ((i = 0; i < n; i++)); do
        ((i % 1000 == 0)) && mkdir -p "$dir/$((i / 1000))"
        ln -f "${files[i % ${#files[@]}]}" "$dir/$((i / 1000))/$i.log" 2>/dev/null ||
          cp "${files[i % ${#files[@]}]}" "$dir/$((i / 1000))/$i.log"
      done
    fi
    header "triage of $n logs: -j 2 (A) vs -j 1 (B)"
    r=$runs
    ((n >= 10000)) && runs=1
    pair "ktriage triage -j 2 ($n logs)" "ktriage triage -j 1" -- \
      "${kt[@]}" triage -j 2 --no-progress -f csv "$dir" -- "${kt[@]}" triage -j 1 --no-progress -f csv "$dir"
    runs=$r
    awk -v n="$n" '{printf "  inputs/s: -j 2 %.0f, -j 1 %.0f (wall); per CPU second %.0f / %.0f\n", n / $1, n / $4, n / $2, n / $5}' "$work/pair" | tail -1
    "${kt[@]}" triage -j 1 --no-progress -f csv "$dir" >"$work/j1.csv" 2>/dev/null || true
    # the -j 2 run again, its resident set read every second: flat when no per-input state is kept
    "${kt[@]}" triage -j 2 --no-progress -f csv "$dir" >"$work/j2.csv" 2>/dev/null &
    rss_series $! >"$work/rss.txt"
    wait $! || true
    awk '{a[NR] = $1} END {if (NR) printf "  RSS over the -j 2 run (MiB at 10%%, 25%%, 50%%, 75%%, 100%% of %d s): %d %d %d %d %d\n", NR,
      a[int(NR * .1) + 1] / 1024, a[int(NR * .25) + 1] / 1024, a[int(NR * .5) + 1] / 1024, a[int(NR * .75) + 1] / 1024, a[NR] / 1024}' "$work/rss.txt"
    if cmp -s "$work/j1.csv" "$work/j2.csv"; then
      say "  buckets: -j 2 == -j 1 ($(($(wc -l <"$work/j1.csv") - 1)) buckets)"
    else
      say "  buckets: -j 2 DIFFERS from -j 1"
      exit 1
    fi
  done
fi

# 6. start-up of each command with and without the class-data sharing archive
if want startup && [ -f "$jsa" ]; then
  header "start-up per command: with the launcher's class-data sharing archive (A) vs JDK default sharing only (B)"
  nkt=(env KTRIAGE_NO_BUILD=1 KTRIAGE_NO_CDS=1 "$root/ktriage")
  pair "--version" "" -- "${kt[@]}" --version -- "${nkt[@]}" --version
  pair "dmesg (kdump vmcore)" "" -- "${kt[@]}" dmesg "$vmcore" -- "${nkt[@]}" dmesg "$vmcore"
  ((quick)) && exit 0
  pair "rules" "" -- "${kt[@]}" rules -- "${nkt[@]}" rules
  pair "analyze (kdump vmcore)" "" -- "${kt[@]}" analyze "$vmcore" -- "${nkt[@]}" analyze "$vmcore"
  pair "analyze --format json (console log)" "" -- \
    "${kt[@]}" analyze --format json "$root/samples/lab-timer-after-unload-console.log" -- \
    "${nkt[@]}" analyze --format json "$root/samples/lab-timer-after-unload-console.log"
  pair "triage samples/" "" -- "${kt[@]}" triage --no-progress "$root/samples" -- \
    "${nkt[@]}" triage --no-progress "$root/samples"
fi

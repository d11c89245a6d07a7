#!/usr/bin/env bash
# Compares, on the lab's dumps and in one run, whole-process wall time of
#   ktriage dmesg DUMP          vs  makedumpfile --dump-dmesg DUMP OUT
#   ktriage analyze DUMP        vs  crash reaching `log` + `bt -a` (only when a debug vmlinux is given)
# and the smallest Java heap (-Xmx) with which ktriage dmesg still works on each dump.
# Usage: bench/dmesg-vs-makedumpfile.sh [RUNS]      env: VMLINUX=/path/to/vmlinux-dbg (optional)
# Needs: a built ktriage-cli/target/ktriage.jar (./ktriage builds it), makedumpfile, xz.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs=${1:-5}
jar="$root/ktriage-cli/target/ktriage.jar"
fix="${KTRIAGE_SHARED:-$root/../shared}/lab/fixtures"
work="${TMPDIR:-/tmp}/ktriage-bench"
mkdir -p "$work"
[ -f "$jar" ] || { echo "build first: (cd $root && mvn -B -q package -DskipTests)" >&2; exit 2; }
elf="$work/kdump.elf"
[ -s "$elf" ] || xz -dc "$fix/timer-after-unload-kdump.elf.xz" > "$elf"

# median wall seconds of a command run $runs times
median() {
  local t=()
  for _ in $(seq "$runs"); do
    local s e
    s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N)
    t+=("$(echo "$e - $s" | bc -l)")
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}

min_heap() { # smallest of 4 8 16 32 64 MiB with identical output
  local dump=$1 ref
  ref=$(java -jar "$jar" dmesg "$dump" | md5sum)
  for m in 4 8 16 32 64; do
    if [ "$(java -Xmx${m}m -jar "$jar" dmesg "$dump" 2>/dev/null | md5sum)" = "$ref" ]; then
      echo "${m}m"; return
    fi
  done
  echo ">64m"
}

# makedumpfile refuses to overwrite its output file
mdf() {
  rm -f "$work/m.txt"
  makedumpfile --dump-dmesg "$1" "$work/m.txt"
}

printf '%-34s %12s %14s %7s %9s\n' dump "ktriage s" "makedumpfile s" ratio "min -Xmx"
for d in "$fix/timer-after-unload-kdump.vmcore" "$elf" "$fix/timer-after-unload-qemu.vmcore"; do
  k=$(median java ${KTRIAGE_JAVA_OPTS:-} -jar "$jar" dmesg "$d")
  if mdf "$d" > /dev/null 2>&1; then
    m=$(median mdf "$d")
    r=$(echo "$k / $m" | bc -l | xargs printf '%.1f')
  else
    m="cannot read"; r="-"
  fi
  printf '%-34s %12s %14s %7s %9s\n' "$(basename "$d")" "$k" "$m" "$r" "$(min_heap "$d")"
done

echo
printf '%-34s %12s %14s\n' dump "ktriage analyze s" "crash log+bt -a s"
for d in "$fix/timer-after-unload-kdump.vmcore" "$fix/timer-after-unload-qemu.vmcore"; do
  a=$(median java -jar "$jar" analyze --format json "$d")
  if [ -n "${VMLINUX:-}" ] && command -v crash > /dev/null; then
    printf 'log\nbt -a\nquit\n' > "$work/crash.cmd"
    c=$(median crash -s -i "$work/crash.cmd" "$VMLINUX" "$d")
  else
    c="no VMLINUX"
  fi
  printf '%-34s %12s %14s\n' "$(basename "$d")" "$a" "$c"
done
cpu() { /usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.2f", $1 + $2}'; }
echo "CPU seconds (user+sys, one run; less sensitive to machine load than wall time):"
echo "  ktriage dmesg kdump vmcore: $(cpu java -jar "$jar" dmesg "$fix/timer-after-unload-kdump.vmcore")"
echo "  makedumpfile --dump-dmesg:  $(cpu sh -c "rm -f $work/m.txt; makedumpfile --dump-dmesg $fix/timer-after-unload-kdump.vmcore $work/m.txt")"
echo "peak RSS of ktriage dmesg (kdump vmcore): $(/usr/bin/time -f '%M KB' java -jar "$jar" dmesg "$fix/timer-after-unload-kdump.vmcore" 2>&1 >/dev/null | tail -1)"

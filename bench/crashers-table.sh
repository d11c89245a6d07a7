#!/usr/bin/env bash
# Runs every hostile reproducer in ../shared/crashers (and the large ones make-hostile-dumps.py
# writes) through the built jar in a JVM limited to 256 MiB of heap, one command at a time, and
# prints a table: command, file, outcome (one-line error / PARTIAL / whole report / other), exit
# code, wall seconds, CPU seconds, peak RSS. HostileInputTest asserts the same in CI; this is
# the note's table. Usage: bench/crashers-table.sh [GENERATED_DIR] (default /tmp/ktriage-hostile)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=$(cd ../shared && pwd)
gen=${1:-/tmp/ktriage-hostile}
jar=ktriage-cli/target/ktriage.jar
[ -f "$jar" ] || { echo "build the jar first (./ktriage --version)" >&2; exit 2; }
if [ ! -f "$gen/elf-xnum-4g-phdrs.vmcore" ]; then
  mkdir -p "$gen"
  (cd "$shared/crashers" && python3 make-hostile-dumps.py "$gen" "$shared" >/dev/null)
fi
out=$(mktemp) err=$(mktemp) tim=$(mktemp)
trap 'rm -f "$out" "$err" "$tim"' EXIT
printf '| command | file | outcome | exit | wall s | CPU s | peak RSS MB |\n|---|---|---|---|---|---|---|\n'
for f in "$shared"/crashers/*.vmcore "$shared"/crashers/*.txt "$gen"/*.vmcore; do
  case $f in *.vmcore) cmds="analyze dmesg" ;; *) cmds="analyze" ;; esac
  for c in $cmds; do
    set +e
    /usr/bin/time -f '%e %U %S %M' -o "$tim" timeout 120 \
      java -Xmx256m -XX:+UseSerialGC -jar "$jar" "$c" "$f" >"$out" 2>"$err"
    rc=$?
    set -e
    read -r wall usr sys rss < <(tail -n 1 "$tim") || true
    lines=$(wc -l <"$err")
    if ((rc == 124)); then outcome="HANG (killed at 120 s)"
    elif grep -q -e 'internal error' -e $'\tat ' "$err"; then outcome="INTERNAL ERROR: $(head -c 120 "$err")"
    elif ((rc == 3)) && ((lines == 1)); then outcome="one-line error: $(head -c 100 "$err" | tr -d '\n')"
    elif grep -q PARTIAL "$out"; then outcome=PARTIAL
    elif ((rc == 0)); then outcome="whole report"
    else outcome="other: $(head -c 100 "$err" | tr -d '\n')"; fi
    cpu=$(echo "$usr + $sys" | bc)
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$c" "$(basename "$f")" "$outcome" "$rc" "$wall" "$cpu" "$((rss / 1024))"
  done
done

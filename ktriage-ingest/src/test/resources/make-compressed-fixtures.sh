#!/bin/sh
# Makes makedumpfile variants of the lab's kdump ELF fixture for ktriage-ingest's tests:
# LZO (-l), zlib (-c), flattened (-F) and a 3-part split set; snappy (-p) and zstd (-z) only when
# this makedumpfile was built with them (Debian bookworm's is not). Needs: makedumpfile, xz.
# Usage: make-compressed-fixtures.sh [OUTDIR]   (default /tmp/ktriage-fixtures, where the tests look
# unless -Dktriage.generatedFixtures=DIR is given)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
shared=${KTRIAGE_SHARED:-$root/../shared}
out=${1:-/tmp/ktriage-fixtures}
mkdir -p "$out"
elf="$out/kdump.elf"
[ -s "$elf" ] || xz -dc "$shared/lab/fixtures/timer-after-unload-kdump.elf.xz" > "$elf"
mk() { # name, makedumpfile options
  name=$1; shift
  [ -s "$out/$name" ] && return 0
  rm -f "$out/$name"
  makedumpfile "$@" -d 31 "$elf" "$out/$name" > "$out/$name.log" 2>&1
}
mk kdump-lzo.vmcore -l
mk kdump-zlib.vmcore -c
if [ ! -s "$out/kdump-flat.vmcore" ]; then
  makedumpfile -F -c -d 31 "$elf" > "$out/kdump-flat.vmcore" 2> "$out/kdump-flat.log"
fi
if [ ! -s "$out/kdump-split.3" ]; then
  makedumpfile --split -c -d 31 "$elf" "$out/kdump-split.1" "$out/kdump-split.2" "$out/kdump-split.3" \
    > "$out/kdump-split.log" 2>&1
fi
for opt in p z; do
  name=kdump-$opt.vmcore
  rm -f "$out/$name"
  if makedumpfile -$opt -d 31 "$elf" "$out/$name.try" 2>&1 | grep -q "option is disabled"; then
    rm -f "$out/$name.try"
    echo "makedumpfile here lacks -$opt; that variant is covered by synthetic dumps only" >&2
  else
    mv "$out/$name.try" "$out/$name"
  fi
done
makedumpfile --dump-dmesg "$elf" "$out/kdump-elf.dmesg.txt" > /dev/null 2>&1 || true
ls -l "$out"

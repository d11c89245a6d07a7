#!/usr/bin/env bash
# Figures for the hostile sizes of text (issue 12.4) at full scale, from the built jar: makes the
# files in DIR (default /tmp/ktriage-hostile-sizes, about 3.6 GiB) and runs each in a JVM with a
# 256 MiB heap, printing exit code, wall and CPU seconds, peak RSS and what the report said it
# dropped. HostileTextSizeTest asserts the same bounds (bench/hostile-sizes.sh runs it at full
# size; CI at scaled sizes). Files: a 2 GiB one-line log, 1 GiB of NUL bytes, a Call Trace of 10
# million frames, 100 000 reports in one log, and gzip/xz/zstd bombs of 4 GiB each, of NUL bytes
# (refused from the inflated head) and of log text (read up to ReadLimits.INFLATED_BYTES, said).
# Usage: bench/hostile-sizes-figures.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
jar=$PWD/ktriage-cli/target/ktriage.jar
[ -f "$jar" ] || { echo "build the jar first (./ktriage --version)" >&2; exit 2; }
dir=${1:-/tmp/ktriage-hostile-sizes}
mkdir -p "$dir"
[ -f "$dir/bomb-text.log.zst" ] || python3 - "$dir" <<'PY'
import gzip, lzma, sys, os, subprocess
d = sys.argv[1]
HEAD=("[  100.000000] BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
"[  100.000001] #PF: supervisor read access in kernel mode\n"
"[  100.000002] Oops: 0000 [#1] PREEMPT SMP NOPTI\n"
"[  100.000003] CPU: 1 PID: 42 Comm: kworker/1:1 Not tainted 6.18.0 #1\n"
"[  100.000004] RIP: 0010:list_del+0x10/0x40\n"
"[  100.000005] Call Trace:\n"
"[  100.000006]  <TASK>\n").encode()
MiB=1<<20
with open(d+'/one-line.txt','wb') as f:
    f.write(HEAD); f.write(b"[  100.000008]  </TASK>\n"); c=b'A'*MiB
    for i in range(2048): f.write(c)
with open(d+'/nul.txt','wb') as f:
    c=bytes(MiB)
    for i in range(1024): f.write(c)
with open(d+'/frames.txt','wb') as f:
    f.write(HEAD)
    buf=[]
    for i in range(10_000_000):
        buf.append(b"[  100.000007]  worker_thread+0x%x/0x400\n" % (i & 0x3ff))
        if len(buf)==100000: f.write(b''.join(buf)); buf=[]
    f.write(b''.join(buf))
with open(d+'/reports.txt','wb') as f:
    one=HEAD+(b"[  100.000008]  process_one_work+0x1e2/0x3b0\n[  100.000009]  worker_thread+0x50/0x3a0\n[  100.000010]  </TASK>\n[  100.000011] ---[ end trace 0000000000000000 ]---\n")
    for i in range(100):
        f.write(one*1000)
# bombs: 4 GiB of NUL, and 4 GiB of text (a log line repeated): NUL is refused from its head, text reads to the cap
z=bytes(64*MiB)
t=(b"[  100.000012] a log line of a busy kernel, repeated to inflate\n"*(64*MiB//62+1))[:64*MiB]
for name,data in (('nul',z),('text',t)):
    g=gzip.compress(data,6); open(f'{d}/bomb-{name}.log.gz','wb').write(g*64)
    x=lzma.compress(data,preset=0); open(f'{d}/bomb-{name}.log.xz','wb').write(x*64)
    zs=subprocess.run(['zstd','-qc'],input=data,capture_output=True).stdout; open(f'{d}/bomb-{name}.log.zst','wb').write(zs*64)
PY
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '| command, input | exit | wall s | CPU s | peak RSS MiB | said |\n|---|---|---|---|---|---|\n'
run() {
  local cmd=$1 f=$2 rc wall u s rss said
  set +e
  /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" java -Xmx256m -XX:+UseSerialGC -jar "$jar" \
    "$cmd" "$f" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  set -e
  read -r wall u s rss < <(tail -n 1 "$tmp/time")
  said=$(grep -h -o -E "(longer than|has more than|kept the first|inflates beyond|binary data)[^|]{0,70}" \
    "$tmp/out" "$tmp/err" | head -1 || true)
  printf '| %s %s (%s MiB) | %s | %s | %s | %s | %s |\n' "$cmd" "$(basename "$f")" \
    "$(($(stat -c %s "$f") >> 20))" "$rc" "$wall" "$(echo "$u + $s" | bc)" "$((rss / 1024))" "$said"
}
for f in one-line.txt nul.txt frames.txt reports.txt; do run analyze "$dir/$f"; done
for f in "$dir"/bomb-*; do run triage "$f"; done

#!/usr/bin/env bash
# A live lab guest crashing into a running `ktriage serve` (issue 14): boots Debian's 6.1 kernel
# under QEMU (TCG, user networking) with netconsole to the host, plain and extended (two targets,
# `+` prefix on the second) and a pstore RAM backend (ramoops in a memmap= reservation); insmods the
# lab's null-deref module (sysrq-c when that module is not built); the oops goes out over netconsole
# while the kernel panics and reboots (kernel.panic=1, a warm reset: QEMU keeps the RAM); the second
# boot finds the ramoops records in /sys/fs/pstore, prints them base64-encoded on the serial
# console, and powers off. On the host: a netconsole tap (netconsole-tap.py) records the datagrams
# and forwards them to `ktriage serve --netconsole-port`; the pstore files are cut out of the console
# log and sent with `ktriage collect --pstore-dir`. It checks that each report is in the bucket
# `ktriage analyze` gives the first boot's console log, and that collect sends nothing the second
# time. Outputs in $LIVE_OUT (default /var/tmp/ktriage-live-guest): console.log, netconsole.txt
# (recorded datagrams), pstore/, serve.err, result.txt, dashboard-bucket.html/.png (the bucket page
# as headless chromium rendered it), dashboard.txt.
#
#   lab/live/live-guest.sh            # needs qemu-system-x86, busybox-static, cpio, python3, a JDK
#   LIVE_KEEP_RESOURCES=1 lab/live/live-guest.sh
#       also copies the recorded datagrams and pstore files into the test resources
#       (ktriage-server/src/test/resources/netconsole/live-guest/, ktriage-collect's pstore/)
#
# Knobs: LAB_OUT (the shared lab's output dir with pkgs/ and build/modules, default
# /var/tmp/ktriage-lab), LIVE_KVER (default 6.1.0-56-amd64), LIVE_TIMEOUT (seconds for both boots,
# default 900), LIVE_ACCEL (tcg).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
LAB_OUT=${LAB_OUT:-/var/tmp/ktriage-lab}
KVER=${LIVE_KVER:-6.1.0-56-amd64}
OUT=${LIVE_OUT:-/var/tmp/ktriage-live-guest}
TIMEOUT=${LIVE_TIMEOUT:-900}
ACCEL=${LIVE_ACCEL:-tcg}
VMLINUZ=$LAB_OUT/pkgs/root/boot/vmlinuz-$KVER
MODDIR=$LAB_OUT/pkgs/root/lib/modules/$KVER
# ramoops: 1 MiB reserved at 240 MiB of the 256 MiB guest, records of 64 KiB
RAMOOPS_ADDR=0x0f000000
RAMOOPS_SIZE=0x100000
RAMOOPS_RECORD=0x10000

log() { echo "live-guest: $*" >&2; }
die() { log "$*"; exit 1; }

[ -f "$VMLINUZ" ] || die "no $VMLINUZ: run the shared lab once (it unpacks Debian's kernel there)"
for t in qemu-system-x86_64 cpio gzip python3 base64 curl; do
	command -v "$t" >/dev/null || die "$t is missing"
done
file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' || die "/bin/busybox is not static (apt-get install busybox-static)"

pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, getattr(socket, sys.argv[1])); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' "$1"
}

rm -rf "$OUT"
mkdir -p "$OUT"/{initramfs/bin,initramfs/lib/live,pstore,data,no-kdump}
st=$OUT/initramfs

# ---- ports: guest netconsole targets (UDP, the tap listens), the receiver, the HTTP service
NC_PLAIN=$(free_port SOCK_DGRAM)
NC_EXT=$(free_port SOCK_DGRAM)
NC_RECV=$(free_port SOCK_DGRAM)
HTTP_PORT=$(free_port SOCK_STREAM)

# ---- initramfs: busybox, the drivers (e1000 NIC, netconsole, ramoops), the crashing module
cp /bin/busybox "$st/bin/busybox"
for m in drivers/net/ethernet/intel/e1000/e1000.ko fs/configfs/configfs.ko drivers/net/netconsole.ko \
	lib/reed_solomon/reed_solomon.ko fs/pstore/ramoops.ko; do
	f=$MODDIR/kernel/$m
	[ -f "$f" ] || die "no $f"
	cp "$f" "$st/lib/live/"
done
crasher=$LAB_OUT/build/modules/lab_null_deref.ko
if [ -f "$crasher" ] && modinfo -F vermagic "$crasher" | grep -q "^$KVER "; then
	cp "$crasher" "$st/lib/live/"
	log "crash: insmod lab_null_deref.ko (the shared lab's null-deref scenario)"
else
	log "crash: sysrq-c (no lab_null_deref.ko built for $KVER under $LAB_OUT/build/modules)"
fi
# netconsole targets: [+][src-port]@[src-ip]/[dev],[tgt-port]@<tgt-ip>/[tgt-mac]; several
# separated by ';' (drivers/net/netconsole.c, netpoll_parse_options()); 10.0.2.15 is the guest's
# address under QEMU user networking, 10.0.2.2 the host's loopback and 52:55:0a:00:02:02 the MAC
# QEMU's user-mode stack answers ARP with for it (netpoll sends no ARP: it needs the MAC given)
NETCONSOLE="6665@10.0.2.15/eth0,$NC_PLAIN@10.0.2.2/52:55:0a:00:02:02;+6666@10.0.2.15/eth0,$NC_EXT@10.0.2.2/52:55:0a:00:02:02"
sed -e "s|@NETCONSOLE@|$NETCONSOLE|g" -e "s|@RAMOOPS_ADDR@|$RAMOOPS_ADDR|" \
	-e "s|@RAMOOPS_SIZE@|$RAMOOPS_SIZE|" -e "s|@RAMOOPS_RECORD@|$RAMOOPS_RECORD|" \
	"$here/guest-init.sh" >"$st/init"
chmod 755 "$st/init"
(cd "$st" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$OUT/initrd.gz"

# ---- the service, with its netconsole receiver, and the tap in front of it
"$root/ktriage" --version >/dev/null # builds the jar when needed, before the clock starts
"$root/ktriage" serve --port "$HTTP_PORT" --netconsole-port "$NC_RECV" --data "$OUT/data" \
	2>"$OUT/serve.err" &
pids+=($!)
url=http://127.0.0.1:$HTTP_PORT
for _ in $(seq 1 120); do
	curl -fsS "$url/health" >/dev/null 2>&1 && break
	sleep 1
done
curl -fsS "$url/health" >/dev/null || die "ktriage serve did not start: $(cat "$OUT/serve.err")"
python3 "$here/netconsole-tap.py" "$OUT/netconsole.txt" "$NC_PLAIN:$NC_RECV" "$NC_EXT:$NC_RECV" &
pids+=($!)
log "serve on $url, netconsole udp $NC_RECV (tap: plain $NC_PLAIN, extended $NC_EXT)"

# ---- boot, crash, warm reset, second boot dumps pstore and powers off
append="console=ttyS0,115200 loglevel=7 no_timer_check memmap=1M\$$RAMOOPS_ADDR"
start=$(date +%s)
timeout "$TIMEOUT" nice -n 19 qemu-system-x86_64 -accel "$ACCEL" -M pc -m 256M -smp 1 \
	-kernel "$VMLINUZ" -initrd "$OUT/initrd.gz" -append "$append" \
	-nic user,model=e1000 -display none -monitor none -serial "file:$OUT/console.log" \
	|| log "qemu ended with status $? (124: timed out)"
log "guest ran $(($(date +%s) - start)) s"
grep -q 'LIVE: pstore dumped' "$OUT/console.log" || die "no pstore dump on the second boot (see $OUT/console.log)"

# the first boot's console, up to the reset, as analyze reads it
awk '/LIVE: second boot/ {exit} {print}' "$OUT/console.log" | tr -d '\r' >"$OUT/console-first-boot.log"
# pstore files out of the console: PSTORE-BEGIN <name> <size> / base64 / PSTORE-END
tr -d '\r' <"$OUT/console.log" | awk -v dir="$OUT/pstore" '
	/^PSTORE-BEGIN / { name = $2; file = dir "/" name ".b64"; printf "" > file; on = 1; next }
	/^PSTORE-END/ { close(file); on = 0; next }
	on { print >> file }'
for b in "$OUT"/pstore/*.b64; do
	[ -e "$b" ] || die "no pstore record in the console log"
	base64 -d "$b" >"${b%.b64}"
	rm "$b"
done
ls -l "$OUT/pstore" >&2

# ---- the netconsole reports: the receiver cuts a report after its sender's silence
expected=$("$root/ktriage" analyze --format json "$OUT/console-first-boot.log" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["signature"])')
log "analyze of the first boot's console: signature $expected"
for _ in $(seq 1 60); do
	n=$(curl -fsS "$url/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["reports"])')
	[ "$n" -ge 1 ] && break
	sleep 1
done
sleep 5 # the other target's report
report_sigs() {
	local n id
	n=$(curl -fsS "$url/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["reports"])')
	for id in $(seq 1 "$n"); do
		curl -fsS "$url/api/v1/reports/$id" |
			python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["id"], r["signature"], ",".join(r["labels"]), r["host"])'
	done
}
report_sigs | tee "$OUT/netconsole-reports.txt" >&2
nc_reports=$(wc -l <"$OUT/netconsole-reports.txt")
[ "$nc_reports" -ge 1 ] || die "no report from netconsole"

# ---- the pstore files through ktriage collect (twice: the second run sends nothing)
"$root/ktriage" collect --server "$url" --pstore-dir "$OUT/pstore" --kdump-dir "$OUT/no-kdump" \
	--state "$OUT/collect.state" --host live-guest 2>&1 | tee "$OUT/collect-1.txt" >&2
"$root/ktriage" collect --server "$url" --pstore-dir "$OUT/pstore" --kdump-dir "$OUT/no-kdump" \
	--state "$OUT/collect.state" --host live-guest 2>&1 | tee "$OUT/collect-2.txt" >&2
report_sigs | tee "$OUT/all-reports.txt" >&2
all=$(wc -l <"$OUT/all-reports.txt")
[ "$all" -gt "$nc_reports" ] || die "collect sent no report"

bad=$(awk -v s="$expected" '$2 != s' "$OUT/all-reports.txt")
{
	echo "expected signature (analyze of the console): $expected"
	echo "reports: $all ($nc_reports from netconsole, $((all - nc_reports)) from collect)"
	cat "$OUT/all-reports.txt"
	echo "datagrams recorded: $(wc -l <"$OUT/netconsole.txt")"
} | tee "$OUT/result.txt" >&2
[ -z "$bad" ] || die "reports outside the expected bucket: $bad"

# ---- the dashboard in a real browser (Debian's headless chromium, as the server's browser tests):
# the bucket page of the netconsole reports shows the crash, its class, the sender and the source
if command -v chromium >/dev/null; then
	bucket=$(curl -fsS "$url/api/v1/reports/1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["bucketId"])')
	browse() {
		timeout 120 nice -n 19 chromium --headless --no-sandbox --disable-gpu --no-first-run \
			--disable-background-networking --disable-component-update --disable-sync \
			--disable-dev-shm-usage --user-data-dir="$OUT/chromium" --window-size=1280,1400 "$@" \
			2>>"$OUT/chromium.err"
	}
	browse --dump-dom "$url/buckets/$bucket" >"$OUT/dashboard-bucket.html"
	browse --screenshot="$OUT/dashboard-bucket.png" "$url/buckets/$bucket" >/dev/null || true
	curl -fsS "$url/api/v1/buckets/$bucket" >"$OUT/bucket.json"
	python3 - "$OUT/dashboard-bucket.html" "$OUT/bucket.json" "$nc_reports" <<'PY' | tee "$OUT/dashboard.txt" >&2 ||
import html, json, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
bucket = json.load(open(sys.argv[2]))
want = int(sys.argv[3])
def text(fragment):
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split()
title = re.search(r'<h1 id="title">(.*?)</h1>', page, re.S)
summary = re.search(r'<header[^>]*id="summary"[^>]*>(.*?)</header>', page, re.S)
table = re.search(r'<table[^>]*id="reports".*?<tbody>(.*?)</tbody>', page, re.S)
rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S) if table else []
netconsole = [r for r in rows if "source=netconsole" in text(r) and "127.0.0.1" in text(r)]
ok = (title is not None and " ".join(text(title.group(1))) == bucket["title"]
      and summary is not None and bucket["class"] in text(summary.group(1))
      and len(netconsole) == want)
print("dashboard bucket page (chromium): title %r, class %s, %d report rows, %d from netconsole (127.0.0.1)"
      % (" ".join(text(title.group(1))) if title else None, bucket["class"], len(rows), len(netconsole)))
sys.exit(0 if ok else 1)
PY
		die "the dashboard's bucket page does not show the netconsole reports (see $OUT/dashboard-bucket.html)"
else
	log "no chromium: the dashboard check is skipped (apt-get install chromium)"
fi

if [ -n "${LIVE_KEEP_RESOURCES:-}" ]; then
	res=$root/ktriage-server/src/test/resources/netconsole/live-guest
	mkdir -p "$res"
	cp "$OUT/netconsole.txt" "$res/datagrams.txt"
	cp "$OUT/console-first-boot.log" "$res/console.log"
	printf 'plain %s\nextended %s\n' "$NC_PLAIN" "$NC_EXT" >"$res/ports.txt"
	pres=$root/ktriage-collect/src/test/resources/pstore/live-guest
	mkdir -p "$pres"
	cp "$OUT"/pstore/* "$pres/"
	log "resources kept in $res and $pres"
fi
log "ok: every report in the bucket of $expected"

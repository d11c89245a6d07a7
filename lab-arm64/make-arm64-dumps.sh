#!/bin/bash
# make-arm64-dumps.sh: real arm64 crash dumps of a stock Debian 12 arm64 kernel, made under QEMU
# TCG on an x86_64 Debian 12 host, with the shared crash lab's own bug modules cross-built for arm64.
#
# usage: sudo lab-arm64/make-arm64-dumps.sh [SCENARIO...]   (default: all)
#        lab-arm64/make-arm64-dumps.sh --list
# Scenarios (the shared lab's, see ../shared/lab/README.md, plus two without a module):
#   timer-after-unload  lab_timer_uaf: insmod, rmmod at once with its .bss timer still queued
#   null-deref          lab_null_deref: d->refcnt++ through a NULL struct pointer
#   bug-on              lab_bug: BUG_ON(state != 0) in module init
#   soft-lockup         lab_softlockup: kthread lab_spin spins with preemption off; watchdog_thresh=5
#   use-after-free      lab_uaf: kfree, then follow the freed object's ops pointer; slub_debug=FZP
#   panic-call          lab_panic: panic() from module init
#   sysrq-crash         echo c > /proc/sysrq-trigger (sysrq_handle_crash)
#   oom-panic           vm.panic_on_oom=1, three busybox dd with 100 MiB buffers fill the guest
#
# Steps
# 1. Host packages (apt-get install, host architecture): qemu-system-arm, gcc-aarch64-linux-gnu
#    (the cross compiler), linux-kbuild-<series> (the host's fixdep/modpost; kbuild runs on the host),
#    cpio, xz-utils. The host's dpkg architectures are not changed: the arm64 packages come through a
#    private apt configuration (lists under $OUT/apt) and are only downloaded and unpacked.
# 2. arm64 packages (apt-get download, unpacked under $OUT/pkgs, never installed): the kernel that
#    linux-image-arm64 depends on (or ARM64_KVER), its linux-headers-<KVER> and -common, and
#    busybox-static. The private headers copy gets its scripts/tools links pointed at the host's
#    /usr/lib/linux-kbuild-<series> and its Makefile at the private -common directory.
# 3. Builds the lab modules ($KTRIAGE_SHARED/lab/modules, default <repo>/../shared/lab/modules) with
#    Kbuild, ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-, in $OUT/build/modules.
# 4. Builds a busybox initramfs: lab-arm64/init, the lab modules (/lib/lab), qemu_fw_cfg.ko (it hands
#    the VMCOREINFO note to QEMU's vmcoreinfo device).
# 5. Boots `qemu-system-aarch64 -M virt -cpu $ARM64_CPU -m $ARM64_MEM -smp 2 -accel tcg` with
#    `-device vmcoreinfo` (KASLR on: QEMU's virt board puts a kaslr-seed in the device tree), waits
#    (bounded) for "---[ end Kernel panic", then QMP stop, dump-guest-memory (kdump-zlib, and elf
#    when ARM64_ELF=1) and quit. QEMU never outlives the script (EXIT trap, killed by PID).
# Outputs: $OUT/<scenario>/{vmcore,vmcore.elf,console.log}; lab-arm64/out/<scenario>/console.log,
# scenario.json and headline.txt (the first report line and the panic line).
# Knobs: ARM64_OUT (default /var/tmp/ktriage-arm64), ARM64_KVER (pin the kernel), ARM64_CPU (default
# cortex-a57), ARM64_MEM (default 256M), ARM64_TIMEOUT (seconds to wait for the panic, default 900),
# ARM64_ELF=1 (also an ELF dump), ARM64_SKIP_APT=1, KTRIAGE_SHARED.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
SHARED_LAB=${KTRIAGE_SHARED:-$REPO/../shared}/lab
OUT=${ARM64_OUT:-/var/tmp/ktriage-arm64}
TIMEOUT=${ARM64_TIMEOUT:-900}
CPU=${ARM64_CPU:-cortex-a57}
MEM=${ARM64_MEM:-256M}
ALL=(timer-after-unload null-deref bug-on soft-lockup use-after-free panic-call sysrq-crash oom-panic)
QEMU_PID=

die() { echo "make-arm64-dumps.sh: $*" >&2; exit 1; }
cleanup() { [ -n "$QEMU_PID" ] && kill "$QEMU_PID" 2>/dev/null || true; }
trap cleanup EXIT

# apt-get/apt-cache on the private arm64 configuration (host sources, arm64 only, own lists)
apt_arm64() {
	local cmd=$1
	shift
	"$cmd" -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$OUT/apt/sources.list.d" \
		-o Dir::State::Lists="$OUT/apt/lists" -o Dir::Cache="$OUT/apt/cache" -o Dir::State::status=/dev/null \
		-o APT::Architecture=arm64 -o APT::Architectures::=arm64 "$@"
}

prepare() {
	mkdir -p "$OUT/apt/lists/partial" "$OUT/apt/cache/archives/partial" "$OUT/apt/sources.list.d" "$OUT/pkgs"
	if [ "${ARM64_SKIP_APT:-0}" != 1 ]; then
		rm -f "$OUT"/apt/sources.list.d/*
		cp /etc/apt/sources.list.d/*.sources "$OUT/apt/sources.list.d/" 2>/dev/null || true
		[ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$OUT/apt/sources.list.d/host.list"
		apt_arm64 apt-get update -q >&2
	fi
	KVER=${ARM64_KVER:-$(apt_arm64 apt-cache depends linux-image-arm64 | sed -n 's/.*Depends: linux-image-\([^ ]*\)$/\1/p' | head -1)}
	[ -n "$KVER" ] || die "cannot tell the kernel linux-image-arm64 depends on"
	local series=${KVER%%-*}                 # 6.1.0-57-arm64 -> 6.1.0
	series=${series%.0}                      # -> 6.1 (Debian's linux-kbuild-6.1)
	local abi=${KVER%-arm64}                 # 6.1.0-57
	if [ "${ARM64_SKIP_APT:-0}" != 1 ]; then
		local kpkg
		kpkg=$(apt_arm64 apt-cache show "linux-image-$KVER" | sed -n 's/^Version: //p' | head -1)
		# the host's kbuild of the same package version runs fixdep/modpost for the arm64 build
		apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends qemu-system-arm \
			gcc-aarch64-linux-gnu cpio xz-utils "linux-kbuild-$series=$kpkg" >&2
		(cd "$OUT/pkgs" && for p in "linux-image-$KVER" "linux-headers-$KVER" "linux-headers-$abi-common" busybox-static; do
			ls "${p}"_*.deb >/dev/null 2>&1 || apt_arm64 apt-get download "$p" >&2
		done)
	fi
	ROOT=$OUT/pkgs/root
	HDR=$OUT/pkgs/hdr/usr/src/linux-headers-$KVER
	if [ ! -f "$ROOT/boot/vmlinuz-$KVER" ] || [ ! -f "$HDR/Makefile" ]; then
		rm -rf "$ROOT" "$OUT/pkgs/hdr"
		for d in "$OUT"/pkgs/linux-image-"$KVER"_*_arm64.deb "$OUT"/pkgs/busybox-static_*_arm64.deb; do dpkg-deb -x "$d" "$ROOT"; done
		for d in "$OUT"/pkgs/linux-headers-"$KVER"_*_arm64.deb "$OUT"/pkgs/linux-headers-"$abi"-common_*_all.deb; do dpkg-deb -x "$d" "$OUT/pkgs/hdr"; done
		for h in "$HDR" "$OUT/pkgs/hdr/usr/src/linux-headers-$abi-common"; do
			ln -sfn "/usr/lib/linux-kbuild-$series/scripts" "$h/scripts"
			ln -sfn "/usr/lib/linux-kbuild-$series/tools" "$h/tools"
		done
		sed -i "s#^include /usr/src/#include $OUT/pkgs/hdr/usr/src/#" "$HDR/Makefile"
	fi
	grep -q "^include $OUT/pkgs/hdr/" "$HDR/Makefile" || die "$HDR/Makefile does not include the private -common copy"
	KPKGVER=$(dpkg-deb -f "$OUT"/pkgs/linux-image-"$KVER"_*_arm64.deb Version)

	# lab modules, cross-built
	local mb=$OUT/build/modules
	rm -rf "$mb"
	mkdir -p "$mb"
	cp "$SHARED_LAB"/modules/Kbuild "$SHARED_LAB"/modules/lab_*.c "$mb/"
	nice -n 19 make -s -C "$HDR" M="$mb" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- modules >&2
	for c in "$SHARED_LAB"/modules/lab_*.c; do
		local ko=$mb/$(basename "${c%.c}").ko
		[ -f "$ko" ] || die "no $ko"
	done

	# initramfs
	local st=$OUT/build/initramfs
	rm -rf "$st"
	mkdir -p "$st"/{bin,proc,sys,dev,tmp,lib/lab}
	cp "$ROOT/bin/busybox" "$st/bin/busybox"
	cp "$ROOT/lib/modules/$KVER/kernel/drivers/firmware/qemu_fw_cfg.ko" "$st/lib/lab/"
	cp "$mb"/lab_*.ko "$st/lib/lab/"
	cp "$HERE/init" "$st/init"
	chmod +x "$st/init"
	(cd "$st" && find . -print0 | cpio --null -o -H newc --quiet | gzip -9) >"$OUT/build/initrd.gz"
}

append_of() { # scenario -> extra kernel command line
	case "$1" in
	use-after-free) echo "slub_debug=FZP" ;;
	*) echo "init_on_free=1" ;; # free pages zeroed: smaller dumps
	esac
}

run() { # scenario
	local sc=$1 d=$OUT/$1
	rm -rf "$d"
	mkdir -p "$d"
	local sock=$d/qmp.sock t0
	t0=$(date +%s)
	qemu-system-aarch64 -M virt -cpu "$CPU" -m "$MEM" -smp 2 -accel tcg,thread=multi \
		-kernel "$ROOT/boot/vmlinuz-$KVER" -initrd "$OUT/build/initrd.gz" \
		-append "console=ttyAMA0 loglevel=7 panic=0 $(append_of "$sc") lab.scenario=$sc" \
		-device vmcoreinfo -display none -monitor none -serial "file:$d/console.log" \
		-qmp "unix:$sock,server=on,wait=off" -no-reboot &
	QEMU_PID=$!
	local ok=false
	while [ $(($(date +%s) - t0)) -lt "$TIMEOUT" ] && kill -0 "$QEMU_PID" 2>/dev/null; do
		if grep -a -q -- '---\[ end Kernel panic' "$d/console.log" 2>/dev/null; then ok=true; break; fi
		sleep 2
	done
	local formats=(-- dump "$d/vmcore" kdump-zlib)
	[ "${ARM64_ELF:-0}" = 1 ] && formats+=(-- dump "$d/vmcore.elf" elf)
	if $ok; then
		sleep 2 # let the other CPU settle in panic's stop loop
		timeout 600 python3 "$HERE/qmp.py" "$sock" stop "${formats[@]}" -- quit
	fi
	kill "$QEMU_PID" 2>/dev/null || true
	wait "$QEMU_PID" 2>/dev/null || true
	QEMU_PID=
	$ok || die "$sc: no '---[ end Kernel panic' within ${TIMEOUT}s (see $d/console.log)"
	local o=$HERE/out/$sc
	mkdir -p "$o"
	cp "$d/console.log" "$o/console.log"
	# the first report line after /init started, and the panic line
	local first panic
	first=$(sed -n '/LAB: init started/,$p' "$d/console.log" | grep -a -m1 -E '\] (Unable to handle|Internal error|kernel BUG|watchdog: BUG|Kernel panic|BUG:|[a-z0-9_-]+ invoked oom-killer|sysrq: Trigger)' | sed 's/^\[[^]]*\] //')
	panic=$(grep -a -m1 'Kernel panic - not syncing' "$d/console.log" | sed 's/^\[[^]]*\] //')
	printf '%s\n%s\n' "$first" "$panic" >"$o/headline.txt"
	local elf=0
	[ -f "$d/vmcore.elf" ] && elf=$(stat -c %s "$d/vmcore.elf")
	printf '{"scenario":"%s","arch":"arm64","cpu":"%s","memory":"%s","kernel":"%s","package":"%s","boot_to_dump_s":%d,"vmcore_format":"kdump-zlib","vmcore_bytes":%d,"elf_bytes":%d}\n' \
		"$sc" "$CPU" "$MEM" "$KVER" "$KPKGVER" $(($(date +%s) - t0)) "$(stat -c %s "$d/vmcore")" "$elf" >"$o/scenario.json"
	echo "$sc: $(cat "$o/scenario.json")"
}

main() {
	if [ "${1:-}" = --list ]; then printf '%s\n' "${ALL[@]}"; exit 0; fi
	[ -d "$SHARED_LAB/modules" ] || die "no shared lab modules at $SHARED_LAB/modules (set KTRIAGE_SHARED)"
	[ $# -gt 0 ] || set -- "${ALL[@]}"
	prepare
	for sc in "$@"; do run "$sc"; done
}

main "$@"
exit $?

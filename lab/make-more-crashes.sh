#!/bin/bash
# make-more-crashes.sh: ktriage's extra crash-lab scenarios, run through the
# shared lab's machinery (make-crashes.sh, its guest /init and qmp.py).
#
# usage: sudo lab/make-more-crashes.sh [SCENARIO[-kdump]...]   (default: all of ours)
#        lab/make-more-crashes.sh --list
# It copies the shared lab ($KTRIAGE_SHARED/lab, default <repo>/../shared/lab)
# to $LAB_WORK (default /var/tmp/ktriage-lab-work), adds lab/modules/*.c to its
# Kbuild, splices lab/scenarios.sh into its scenario_meta and lab/guest-init.sh
# into its guest/init, runs it, and copies each scenario's text outputs to
# lab/out/<scenario>/.  Dumps stay in $LAB_OUT/<scenario>/ (default
# /var/tmp/ktriage-lab); modules and initramfs are built in $LAB_BUILD (default
# $LAB_OUT/build-more).  All LAB_* knobs of make-crashes.sh apply.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
SHARED_LAB=${KTRIAGE_SHARED:-$REPO/../shared}/lab
WORK=${LAB_WORK:-/var/tmp/ktriage-lab-work}
OURS=(timer-pending hung-mutex rcu-stall warn-panic list-corruption stack-overflow double-free)

splice() { # file, line pattern, snippet: insert snippet before the first matching line
	awk -v pat="$2" -v snip="$3" '!done && $0 ~ pat { while ((getline l < snip) > 0) print l; done = 1 } { print }
		END { if (!done) exit 1 }' "$1" >"$1.new" || { echo "make-more-crashes.sh: cannot find /$2/ in $1" >&2; exit 1; }
	mv "$1.new" "$1"
}

main() {
	if [ "${1:-}" = --list ]; then printf '%s\n' "${OURS[@]}"; exit 0; fi
	[ -x "$SHARED_LAB/make-crashes.sh" ] || { echo "make-more-crashes.sh: no shared lab at $SHARED_LAB (set KTRIAGE_SHARED)" >&2; exit 1; }
	[ $# -gt 0 ] || set -- "${OURS[@]}"

	rm -rf "$WORK"
	mkdir -p "$WORK"
	# the machinery only; the shared out/ and fixtures/ are not ours to rewrite
	cp -r "$SHARED_LAB"/make-crashes.sh "$SHARED_LAB"/qmp.py "$SHARED_LAB"/guest "$SHARED_LAB"/modules "$WORK"/
	chmod -R u+w "$WORK"
	cp "$HERE"/modules/lab_*.c "$WORK/modules/"
	for c in "$HERE"/modules/lab_*.c; do echo "obj-m += $(basename "${c%.c}").o"; done >>"$WORK/modules/Kbuild"

	splice "$WORK/make-crashes.sh" '^[[:space:]]*[*][)] die "unknown scenario' "$HERE/scenarios.sh"
	splice "$WORK/guest/init" '^shell[|]' "$HERE/guest-init.sh"
	sed -i "s/^ALL_SCENARIOS=(.*/ALL_SCENARIOS=(${OURS[*]})/" "$WORK/make-crashes.sh"
	# our modules and /init differ from the shared lab's: build them in a separate
	# directory, so a shared-lab run on the same $LAB_OUT (even a concurrent one)
	# keeps its own initramfs
	sed -i -e 's|"\$LAB_OUT"/build|"$LAB_BUILD"|g' -e 's|\$LAB_OUT/build|$LAB_BUILD|g' "$WORK/make-crashes.sh"
	! grep -n 'LAB_OUT"*/build' "$WORK/make-crashes.sh" || { echo "make-more-crashes.sh: build paths left unpatched" >&2; exit 1; }
	export LAB_BUILD=${LAB_BUILD:-${LAB_OUT:-/var/tmp/ktriage-lab}/build-more}
	mkdir -p "$LAB_BUILD"
	p=${LAB_OUT:-/var/tmp/ktriage-lab}/build/kvm-probe.result
	[ -s "$p" ] && [ ! -s "$LAB_BUILD/kvm-probe.result" ] && cp "$p" "$LAB_BUILD/"
	# no_timer_check: under TCG on a loaded host the boot-time IO-APIC timer check
	# can fail ("Kernel panic - not syncing: IO-APIC + timer doesn't work!") before
	# /init runs; skip it in the first and in the kdump capture kernel
	sed -i 's/lab\.scenario=\$base \$S_APPEND"/lab.scenario=$base no_timer_check $S_APPEND"/' "$WORK/make-crashes.sh"
	sed -i 's/panic=-1 lab\.capture=1/panic=-1 no_timer_check lab.capture=1/' "$WORK/guest/init"
	grep -q 'no_timer_check \$S_APPEND' "$WORK/make-crashes.sh" && grep -q 'no_timer_check lab.capture' "$WORK/guest/init" ||
		{ echo "make-more-crashes.sh: could not add no_timer_check" >&2; exit 1; }
	# crash reference runs: also keep the timer wheel ("timer", crash-*-timer.txt)
	sed -i 's/"ps|ps")$/"ps|ps" "timer|timer")/' "$WORK/make-crashes.sh"
	grep -q '"timer|timer")' "$WORK/make-crashes.sh" || { echo "make-more-crashes.sh: could not add the timer job" >&2; exit 1; }
	# bookworm's crash 8.0.2 cannot list this kernel's tasks (see the shared README)
	# and each session costs minutes on a loaded host: run it only with
	# LAB_CRASH_BOOKWORM=1; crash 8.0.6 (crash-trixie-*.txt) always runs
	sed -i 's/^\(\t*\)run_crash "\$sc" "\$f" "\$sfx" crash crash && crash_ok=true || crash_ok_all=false$/\1if [ "${LAB_CRASH_BOOKWORM:-0}" = 1 ]; then run_crash "$sc" "$f" "$sfx" crash crash \&\& crash_ok=true || crash_ok_all=false; else crash_ok=null; fi/' "$WORK/make-crashes.sh"
	grep -q 'LAB_CRASH_BOOKWORM' "$WORK/make-crashes.sh" || { echo "make-more-crashes.sh: could not patch the bookworm crash run" >&2; exit 1; }
	chmod +x "$WORK/make-crashes.sh" "$WORK/guest/init"

	rc=0
	"$WORK/make-crashes.sh" "$@" || rc=$?
	# a run whose guest panicked before /init started (boot flake) is retried once
	retry=()
	for sc in "$@"; do
		c=$WORK/out/$sc/console.log
		[ -f "$c" ] && ! grep -a -q 'LAB: init started' "$c" && retry+=("$sc")
	done
	if [ ${#retry[@]} -gt 0 ]; then
		echo "make-more-crashes.sh: the guest did not reach /init in: ${retry[*]}; retrying once" >&2
		"$WORK/make-crashes.sh" "${retry[@]}" || rc=$?
	fi
	for sc in "$@"; do
		[ -d "$WORK/out/$sc" ] || continue
		rm -rf "$HERE/out/$sc"
		mkdir -p "$HERE/out"
		cp -r "$WORK/out/$sc" "$HERE/out/$sc"
	done
	# one summary table over every scenario of ours that has outputs
	if [ -d "$HERE/out" ]; then
		{ head -2 "$WORK/out/SUMMARY.md"
		  for d in "$HERE"/out/*/; do grep "^| $(basename "$d") |" "$WORK/out/SUMMARY.md" || grep -h "^| $(basename "$d") |" "$HERE/out/SUMMARY.md" 2>/dev/null || true; done
		} >"$HERE/out/SUMMARY.md.new" 2>/dev/null && mv "$HERE/out/SUMMARY.md.new" "$HERE/out/SUMMARY.md"
	fi
	return $rc
}

main "$@"; exit $?   # one line: bash reads the whole function first, so editing this file mid-run is safe

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
# /var/tmp/ktriage-lab).  All LAB_* knobs of make-crashes.sh apply.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
SHARED_LAB=${KTRIAGE_SHARED:-$REPO/../shared}/lab
WORK=${LAB_WORK:-/var/tmp/ktriage-lab-work}
OURS=(timer-pending hung-mutex rcu-stall warn-panic list-corruption stack-overflow)

if [ "${1:-}" = --list ]; then printf '%s\n' "${OURS[@]}"; exit 0; fi
[ -x "$SHARED_LAB/make-crashes.sh" ] || { echo "make-more-crashes.sh: no shared lab at $SHARED_LAB (set KTRIAGE_SHARED)" >&2; exit 1; }
[ $# -gt 0 ] || set -- "${OURS[@]}"

rm -rf "$WORK"
cp -r "$SHARED_LAB" "$WORK"
chmod -R u+w "$WORK"
rm -rf "$WORK/out" "$WORK/fixtures"   # the shared outputs are not ours to rewrite
cp "$HERE"/modules/lab_*.c "$WORK/modules/"
for c in "$HERE"/modules/lab_*.c; do echo "obj-m += $(basename "${c%.c}").o"; done >>"$WORK/modules/Kbuild"

splice() { # file, line pattern, snippet: insert snippet before the first matching line
	awk -v pat="$2" -v snip="$3" '!done && $0 ~ pat { while ((getline l < snip) > 0) print l; done = 1 } { print }
		END { if (!done) exit 1 }' "$1" >"$1.new" || { echo "make-more-crashes.sh: cannot find /$2/ in $1" >&2; exit 1; }
	mv "$1.new" "$1"
}
splice "$WORK/make-crashes.sh" '^[[:space:]]*[*][)] die "unknown scenario' "$HERE/scenarios.sh"
splice "$WORK/guest/init" '^shell[|]' "$HERE/guest-init.sh"
sed -i "s/^ALL_SCENARIOS=(.*/ALL_SCENARIOS=(${OURS[*]})/" "$WORK/make-crashes.sh"
chmod +x "$WORK/make-crashes.sh" "$WORK/guest/init"

rc=0
"$WORK/make-crashes.sh" "$@" || rc=$?
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
exit $rc

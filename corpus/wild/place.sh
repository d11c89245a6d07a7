#!/usr/bin/env bash
# Files a gathered report into tune/ or heldout/: a third of the files, drawn by a hash of the
# file name (fixed before any tuning, independent of the content and of ktriage's output).
# Usage: corpus/wild/place.sh FILE...
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$dir/tune" "$dir/heldout"
for f in "$@"; do
  name="$(basename "$f")"
  h=$(printf '%s' "$name" | sha256sum | cut -c1-8)
  if (( 16#$h % 3 == 0 )); then part=heldout; else part=tune; fi
  [ "$(readlink -f "$f")" = "$(readlink -f "$dir/$part/$name")" ] || mv "$f" "$dir/$part/$name"
  echo "$part/$name"
done

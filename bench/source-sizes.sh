#!/bin/sh
# Issue 10's size measure: classes over 500 lines and methods over 80 lines in main sources, largest
# first, and their counts. Runs ktriage-testkit's SourceSizes as a single source file (JDK only, no
# build needed); SourceSizesTest checks the same list against docs/source-sizes.tsv.
#   bench/source-sizes.sh [repository root]
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
java "$here/ktriage-testkit/src/main/java/org/ktriage/testkit/SourceSizes.java" "${1:-$here}" "$out"
cat "$out"

#!/usr/bin/env bash
# Hostile sizes of text at full scale (issue 12.4): a 2 GiB one-line file, 1 GiB of NUL bytes,
# a Call Trace of 10 million frames, gzip/xz/zstd bombs of 4 GiB given to triage, a log of
# 100 000 reports. Runs HostileTextSizeTest with -Dktriage.hostile.full=true: each file is made
# under ktriage-cli/target/hostile-sizes/ (about 6 GiB of disk; removed with `mvn clean`) and read
# by ktriage in a child JVM with a 256 MiB heap, with CPU time bounded linearly in the size.
# CI runs the same test at scaled-down sizes (64 MiB line and NUL, 10^6 frames, 10 000 reports,
# 1.25 GiB bombs).
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -o -pl ktriage-cli -am test -Dtest=HostileTextSizeTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dktriage.hostile.full=true "$@"

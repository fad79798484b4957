#!/usr/bin/env bash
# Runs one Ferry job through the distribution's launcher and reports what it cost:
# rows/s, wall time, CPU time and peak RSS (from GNU time).
#
#   bench/run-job.sh JOB ROWS [extra `ferry run` arguments...]
#
# ROWS is the number of rows the job moves (used for rows/s). Build the distribution first:
#   ./mvnw -q package -DskipTests
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 JOB ROWS [ferry run arguments...]" >&2
  exit 2
fi
job=$1
rows=$2
shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
ferry=${FERRY:-$here/ferry-dist/target/ferry/bin/ferry}
[ -x "$ferry" ] || { echo "$ferry not found: run ./mvnw -q package -DskipTests first" >&2; exit 2; }
log=$(mktemp "${TMPDIR:-/tmp}/ferry-bench.XXXXXX")
trap 'rm -f "$log"' EXIT

status=0
/usr/bin/time -v "$ferry" run "$job" "$@" 2>"$log" || status=$?
if [ "$status" -ne 0 ]; then
  cat "$log" >&2
  echo "ferry exited with $status" >&2
  exit "$status"
fi

value() { grep -F "$1" "$log" | head -1 | awk -F': ' '{print $2}'; }
wall=$(value "Elapsed (wall clock) time")
user=$(value "User time (seconds)")
sys=$(value "System time (seconds)")
rss_kb=$(value "Maximum resident set size (kbytes)")
seconds=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
awk -v rows="$rows" -v s="$seconds" -v u="$user" -v y="$sys" -v rss="$rss_kb" -v job="$job" 'BEGIN {
  printf "job            %s\n", job
  printf "rows           %d\n", rows
  printf "wall           %.2f s\n", s
  printf "cpu            %.2f s (user %.2f, sys %.2f)\n", u + y, u, y
  printf "rows/s         %.0f\n", rows / s
  printf "peak RSS       %.0f MB\n", rss / 1024
}'

#!/usr/bin/env bash
# Verification benchmark (issue 21): on the relational benchmark's MariaDB -> PostgreSQL path,
# times `ferry verify` of an equal 2,000,000-row table by checksums pushed down into both
# databases and by the keyed merge of every row, beside the copy itself (`ferry run`), beside
# `SELECT count(*)` on each side, and beside the job's planning (`ferry validate`: the launcher,
# the job prepared, both stores described and checked), and checks the issue's two bars:
#
#   pushdown <= 0.5 x copy
#   pushdown <= 2 x (count(*) MariaDB + count(*) PostgreSQL) + planning
#
# Beside each wall time it prints how busy all the machine's CPUs were meanwhile (/proc/stat): on
# a quiet machine, below 100 % means the measurement left a CPU idle.
#
#   bench/relational/verify.sh [--rows N] [--runs N] [--no-merge] [--quiet P,S]
#
#   --rows N      rows of the table (default 2000000; run.sh loads them when the loaded table differs)
#   --runs N      rounds; each round runs every measurement once, interleaved (copy, counts,
#                 planning, pushdown, merge); the table shows medians (default 3)
#   --no-merge    leave out the keyed merge (the slowest measurement)
#   --quiet P,S   before each measurement, wait up to S seconds until other work keeps the CPUs at
#                 most P % busy (default 15,180), as run.sh does
#
# It first runs `run.sh --paths postgresql --tools ferry --rows N` once (untimed here): that loads
# MariaDB ferry_bench.orders when needed, finds Ferry the way run.sh does (FERRY, the
# distribution's launcher, or the installed artifacts' class path; see README.md), and leaves the
# PostgreSQL target equal to the source. Every round's copy truncates the target first; each
# verification must then report EQUAL, or the script stops.
#
# Environment: as run.sh (FERRY, FERRY_JAVA_OPTS, MARIADB_HOST/PORT, PG_HOST/PORT).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
target=$here/target

rows=2000000
runs=3
merge=true
quiet=15,180
while [ $# -gt 0 ]; do
  case $1 in
    --rows) rows=$2; shift ;;
    --runs) runs=$2; shift ;;
    --no-merge) merge=false ;;
    --quiet) quiet=$2; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $rows =~ ^[1-9][0-9]*$ ]] || { echo "--rows: a positive integer, not '$rows'" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "--runs: a positive integer, not '$runs'" >&2; exit 2; }
quiet_percent=${quiet%,*}
quiet_wait=${quiet#*,}

MARIADB_HOST=${MARIADB_HOST:-127.0.0.1}
MARIADB_PORT=${MARIADB_PORT:-3306}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
maria=(mariadb -h"$MARIADB_HOST" -P"$MARIADB_PORT" -uroot)
pg=(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -X -q -v ON_ERROR_STOP=1 -d ferry_bench)
job=$here/mariadb-to-postgresql.yaml
params=(--param "mariadbHost=$MARIADB_HOST" --param "mariadbPort=$MARIADB_PORT" --param "pgHost=$PG_HOST" --param "pgPort=$PG_PORT")

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "verify.sh: $*" >&2; exit 1; }

# 1. The data, the target and Ferry, through run.sh (its output goes to target/logs/verify-setup.log).
mkdir -p "$target/logs"
log "preparing the data and the target with run.sh --paths postgresql --tools ferry --rows $rows"
"$here/run.sh" --paths postgresql --tools ferry --rows "$rows" --runs 1 --quiet 100,0 \
  >"$target/logs/verify-setup.log" 2>&1 || die "run.sh failed: see $target/logs/verify-setup.log"
default_java_opts="-Xms256m -Xmx256m -XX:+UseSerialGC -XX:NewRatio=1 -XX:SurvivorRatio=4 -XX:TargetSurvivorRatio=90 -XX:Tier4InvocationThreshold=20000 -XX:Tier4CompileThreshold=40000 -XX:Tier4MinInvocationThreshold=2000"
if [ -n "${FERRY:-}" ]; then
  read -ra ferry <<<"$FERRY"
elif [ -x "$repo/ferry-dist/target/ferry/bin/ferry" ] &&
  "$repo/ferry-dist/target/ferry/bin/ferry" connectors 2>/dev/null | awk 'NR > 1 { print $1 }' | grep -qx postgresql; then
  # As run.sh chooses: the launcher when it has the connectors, else the installed class path.
  ferry=("$repo/ferry-dist/target/ferry/bin/ferry")
elif [ -f "$target/ferry-classpath/classpath.txt" ]; then
  # shellcheck disable=SC2206
  ferry=(java ${FERRY_JAVA_OPTS-$default_java_opts} -cp "$(cat "$target/ferry-classpath/classpath.txt")" io.ferry.cli.Ferry)
else
  die "no Ferry found (see bench/relational/README.md)"
fi
export FERRY_STATE_DIR=$target/state-verify
mkdir -p "$FERRY_STATE_DIR"

# 2. Measuring: wall time of each command, in seconds.
busy_percent() { # CPU busy % over one second
  local a b
  read -ra a < <(head -1 /proc/stat)
  sleep 1
  read -ra b < <(head -1 /proc/stat)
  awk -v a="${a[*]:1}" -v b="${b[*]:1}" 'BEGIN { n = split(a, x, " "); split(b, y, " "); for (i = 1; i <= n; i++) { t += y[i] - x[i]; if (i == 4 || i == 5) idle += y[i] - x[i] } printf "%d", t ? 100 * (t - idle) / t : 0 }'
}
await_quiet() {
  local waited=0
  while [ "$waited" -lt "$quiet_wait" ] && [ "$(busy_percent)" -gt "$quiet_percent" ]; do
    waited=$((waited + 1))
  done
}
declare -A times busy
cpu_ticks() { head -1 /proc/stat | awk '{ for (i = 2; i <= NF; i++) t += $i; print t, $5 + $6 }'; } # total, idle + iowait
timed() { # NAME COMMAND...: runs it, appends its wall time to times[NAME] and how busy the CPUs were meanwhile (%) to busy[NAME]; its output to target/logs/verify-NAME.log
  local name=$1 start end ticks0 ticks1
  shift
  await_quiet
  ticks0=$(cpu_ticks)
  start=$(date +%s.%N)
  "$@" >"$target/logs/verify-$name.log" 2>&1 || {
    local rc=$?
    # ferry verify: 6 means the target differs, which must not happen on an equal table.
    die "$name failed (exit $rc): see $target/logs/verify-$name.log"
  }
  end=$(date +%s.%N)
  ticks1=$(cpu_ticks)
  times[$name]+="$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }') "
  busy[$name]+="$(awk -v a="$ticks0" -v b="$ticks1" 'BEGIN { split(a, x, " "); split(b, y, " "); t = y[1] - x[1]; printf "%d", t ? 100 * (t - (y[2] - x[2])) / t : 0 }') "
}
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
equal_or_die() { # NAME: the verification's log says EQUAL
  grep -q '^EQUAL' "$target/logs/verify-$1.log" || die "$1 did not report EQUAL: see $target/logs/verify-$1.log"
}

for round in $(seq 1 "$runs"); do
  log "round $round of $runs"
  "${pg[@]}" -c "TRUNCATE orders"
  timed copy "${ferry[@]}" run "$job" "${params[@]}"
  [ "$("${pg[@]}" -At -c "SELECT count(*) FROM orders")" = "$rows" ] || die "the copy did not write $rows rows"
  "${pg[@]}" -c "VACUUM ANALYZE orders"
  timed count_mariadb "${maria[@]}" -N -B ferry_bench -e "SELECT COUNT(*) FROM orders"
  timed count_postgresql "${pg[@]}" -At -c "SELECT count(*) FROM orders"
  timed planning "${ferry[@]}" validate "$job" "${params[@]}"
  timed pushdown "${ferry[@]}" verify "$job" "${params[@]}" --recheck-delay 0
  equal_or_die pushdown
  grep -q '(content, checksum)' "$target/logs/verify-pushdown.log" ||
    die "the verification did not compare by checksums alone: see $target/logs/verify-pushdown.log"
  if $merge; then
    timed merge "${ferry[@]}" verify "$job" "${params[@]}" --no-pushdown --recheck-delay 0
    equal_or_die merge
  fi
done

# 3. The table and the bars.
m() { echo "${times[$1]}" | median; }
copy=$(m copy)
count_m=$(m count_mariadb)
count_p=$(m count_postgresql)
planning=$(m planning)
pushdown=$(m pushdown)
rate() { awk -v r="$rows" -v s="$1" 'BEGIN { printf "%.0f k", r / s / 1000 }'; }
echo
echo "Verification of $rows equal rows, MariaDB -> PostgreSQL, median of $runs (commit $(git -C "$repo" rev-parse --short HEAD), $(date -u +'%Y-%m-%d %H:%M UTC'))"
echo
# CPUs busy: of all the machine's CPUs, meanwhile (whoever used them): below 100 % on a quiet
# machine, the measurement left CPUs idle (waiting for I/O, for one side, or between queries).
echo "| measurement | wall (median) | rows/s | every round, s | CPUs busy, % |"
echo "|---|---:|---:|---|---|"
echo "| copy (ferry run, target truncated) | ${copy} s | $(rate "$copy") | ${times[copy]} | ${busy[copy]} |"
echo "| SELECT count(*) MariaDB | ${count_m} s | | ${times[count_mariadb]} | ${busy[count_mariadb]} |"
echo "| SELECT count(*) PostgreSQL | ${count_p} s | | ${times[count_postgresql]} | ${busy[count_postgresql]} |"
echo "| planning (ferry validate) | ${planning} s | | ${times[planning]} | ${busy[planning]} |"
echo "| ferry verify, checksums pushed down | ${pushdown} s | $(rate "$pushdown") | ${times[pushdown]} | ${busy[pushdown]} |"
if $merge; then
  merged=$(m merge)
  echo "| ferry verify --no-pushdown (keyed merge) | ${merged} s | $(rate "$merged") | ${times[merge]} | ${busy[merge]} |"
fi
echo
awk -v p="$pushdown" -v c="$copy" 'BEGIN { printf "bar 1: pushdown %.2f s <= 0.5 x copy = %.2f s: %s (%.2f x)\n", p, c / 2, p <= c / 2 ? "MET" : "NOT MET", p / c }'
awk -v p="$pushdown" -v a="$count_m" -v b="$count_p" -v l="$planning" 'BEGIN { bar = 2 * (a + b) + l; printf "bar 2: pushdown %.2f s <= 2 x (count %.2f + %.2f) + planning %.2f = %.2f s: %s\n", p, a, b, l, bar, p <= bar ? "MET" : "NOT MET" }'

#!/usr/bin/env bash
# Flink runner benchmark (issue 22, docs/flink.md): the relational benchmark's MariaDB ->
# PostgreSQL job (bench/relational/mariadb-to-postgresql.yaml, 2,000,000 `orders` rows loaded by
# bench/relational/run.sh) run by `ferry run --engine flink` on the mini cluster with 1, 2 and 4
# slots (--channels), and by the local engine with the default channels, interleaved, every run
# checked by the target's row count. Prints wall time, rows/s and CPU seconds of the ferry
# process (GNU time) per run, then the medians.
#
#   bench/flink/run.sh [--runs N] [--slots LIST]
#
#   --runs N      rounds (default 3); each round runs every configuration once
#   --slots LIST  comma-separated slot counts for Flink (default 1,2,4)
#
# Environment: FERRY (default: the distribution's launcher ferry-dist/target/ferry/bin/ferry),
# FERRY_JAVA_OPTS (default here -Xmx1g: the mini cluster needs more than the launcher's 256 MB),
# MARIADB_HOST/PORT, PG_HOST/PORT as bench/relational/run.sh. The source table must be loaded
# (bench/relational/run.sh --paths postgresql --tools ferry --runs 1 does it).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
runs=3
slots=1,2,4
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift ;;
    --slots) slots=$2; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

FERRY=${FERRY:-$repo/ferry-dist/target/ferry/bin/ferry}
export FERRY_JAVA_OPTS=${FERRY_JAVA_OPTS:--Xmx1g -XX:+UseParallelGC}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
MARIADB_HOST=${MARIADB_HOST:-127.0.0.1}
MARIADB_PORT=${MARIADB_PORT:-3306}
pg=(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -X -q -t -A -d ferry_bench)
job=$repo/bench/relational/mariadb-to-postgresql.yaml
params=(--param "mariadbHost=$MARIADB_HOST" --param "mariadbPort=$MARIADB_PORT" --param "pgHost=$PG_HOST" --param "pgPort=$PG_PORT")
rows=$(mariadb -h"$MARIADB_HOST" -P"$MARIADB_PORT" -uroot -N -e 'SELECT COUNT(*) FROM ferry_bench.orders')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

configs=(local)
IFS=, read -ra slot_list <<<"$slots"
for s in "${slot_list[@]}"; do configs+=("flink-$s"); done

echo "source rows: $rows; $runs rounds; configurations: ${configs[*]}; FERRY_JAVA_OPTS=$FERRY_JAVA_OPTS"
printf '%-10s %6s %9s %12s %8s\n' config round "wall s" "rows/s" "CPU s"
declare -A walls
for round in $(seq 1 "$runs"); do
  for config in "${configs[@]}"; do
    "${pg[@]}" -c 'TRUNCATE orders'
    args=(run "$job" "${params[@]}")
    if [ "$config" != local ]; then
      args+=(--engine flink --channels "${config#flink-}")
    fi
    start=$(date +%s.%N)
    FERRY_STATE_DIR=$work/state-$config /usr/bin/time -f '%U %S' -o "$work/time" "$FERRY" "${args[@]}" >"$work/out" 2>"$work/err" || {
      cat "$work/err" >&2
      exit 1
    }
    end=$(date +%s.%N)
    written=$("${pg[@]}" -c 'SELECT COUNT(*) FROM orders')
    [ "$written" = "$rows" ] || { echo "$config wrote $written rows, not $rows" >&2; exit 1; }
    wall=$(echo "$end - $start" | bc -l)
    cpu=$(awk '{print $1 + $2}' "$work/time")
    printf '%-10s %6d %9.2f %12.0f %8.2f\n' "$config" "$round" "$wall" "$(echo "$rows / $wall" | bc -l)" "$cpu"
    walls[$config]="${walls[$config]:-} $wall"
  done
done
echo
printf '%-10s %12s %12s\n' config "median wall" "rows/s"
for config in "${configs[@]}"; do
  median=$(tr ' ' '\n' <<<"${walls[$config]}" | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
  printf '%-10s %12.2f %12.0f\n' "$config" "$median" "$(echo "$rows / $median" | bc -l)"
done

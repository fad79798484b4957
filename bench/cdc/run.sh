#!/usr/bin/env bash
# Change-capture benchmark: a `kind: cdc` Ferry run from a MariaDB binlog to PostgreSQL (or to
# MariaDB), measured two ways, and its peak RSS.
#
#   bench/cdc/run.sh [--target postgresql|mariadb] [--events N] [--rate R] [--seconds S] [--runs N]
#
#   --target T     where changes are applied: postgresql (the service at PG_HOST:PG_PORT) or mariadb
#                  (the service at 127.0.0.1:3306); default postgresql
#   --events N     saturation: N rows inserted as fast as MariaDB takes them (transactions of 10,000),
#                  timed from the first commit until the target holds all of them; default 1000000
#   --rate R       fixed rate: R events/s (inserts, commits every 100 ms) for --seconds; the lag of each
#                  row is its arrival at the target minus its commit at the source (one clock: both
#                  servers run on this machine); default 10000
#   --seconds S    length of the fixed-rate phase; default 30
#   --runs N       repeat both phases N times (a new Ferry run each); default 1
#
# It starts a MariaDB of its own with the binlog on (ROW, FULL image and metadata) on a free port,
# data under bench/cdc/target/ (BENCH_CDC_TARGET to put it elsewhere), and stops it at the end.
# The target database is ferry_cdc_bench (FERRY_CDC_BENCH_DB to name another). Ferry: FERRY (a
# command that runs `ferry`), else the distribution's launcher
# ferry-dist/target/ferry/bin/ferry (./mvnw -q package -DskipTests).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
target=${BENCH_CDC_TARGET:-$here/target}

sink=postgresql
events=1000000
rate=10000
seconds=30
runs=1
while [ $# -gt 0 ]; do
  case $1 in
    --target) sink=$2; shift ;;
    --events) events=$2; shift ;;
    --rate) rate=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --runs) runs=$2; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case $sink in postgresql | mariadb) ;; *) echo "--target: postgresql or mariadb" >&2; exit 2 ;; esac
for n in "$events" "$rate" "$seconds" "$runs"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "not a positive integer: '$n'" >&2; exit 2; }
done

# The target database (dropped and created): FERRY_CDC_BENCH_DB, so that two checkouts measuring
# at once on one machine do not share it.
tdb=${FERRY_CDC_BENCH_DB:-ferry_cdc_bench}
[[ $tdb =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "FERRY_CDC_BENCH_DB: not a plain name: '$tdb'" >&2; exit 2; }
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
pg=(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -X -q -v ON_ERROR_STOP=1)
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "cdc/run.sh: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }

ferry=${FERRY:-$repo/ferry-dist/target/ferry/bin/ferry}
[ -x "${ferry%% *}" ] || die "no Ferry at $ferry: build it with ./mvnw -q package -DskipTests, or set FERRY"
for tool in mariadb-install-db mariadbd mariadb psql /usr/bin/time; do
  command -v "$tool" >/dev/null || die "$tool not found"
done

# ---- the source: a MariaDB of our own with the binlog on -------------------------------------
. "$here/../lib/binlog-mariadb.sh"
ferry_pid=
cleanup() {
  [ -n "$ferry_pid" ] && pkill -TERM -P "$ferry_pid" 2>/dev/null || true
  stop_binlog_mariadb
  wait 2>/dev/null || true
}
trap cleanup EXIT
start_binlog_mariadb "$target"

# Every row carries the time the source wrote it; the target adds its arrival time. DATETIME and
# timestamp without zone on both sides, both servers on this machine's clock and zone.
"${src[@]}" -e "CREATE DATABASE bench;
  CREATE TABLE bench.events (id BIGINT PRIMARY KEY, payload VARCHAR(64) NOT NULL,
    created DATETIME(6) NOT NULL)"

case $sink in
  postgresql)
    "${pg[@]}" -d postgres -c "DROP DATABASE IF EXISTS $tdb" -c "CREATE DATABASE $tdb"
    tgt_sql() { "${pg[@]}" -d $tdb -At -c "$1"; }
    tgt_reset() {
      tgt_sql "DROP TABLE IF EXISTS events; CREATE TABLE events (id bigint PRIMARY KEY,
        payload varchar(64) NOT NULL, created timestamp(6) NOT NULL,
        arrived timestamp(6) NOT NULL DEFAULT clock_timestamp()::timestamp)"
    }
    lag_sql="SELECT percentile_cont(ARRAY[0.5,0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM arrived - created)) FROM events WHERE id > %d"
    sink_options="connector: postgresql, host: $PG_HOST, port: $PG_PORT, database: $tdb, user: postgres"
    ;;
  mariadb)
    maria=(mariadb -h127.0.0.1 -P3306 -uroot)
    "${maria[@]}" -e "DROP DATABASE IF EXISTS $tdb; CREATE DATABASE $tdb"
    tgt_sql() { "${maria[@]}" -N -B $tdb -e "$1"; }
    tgt_reset() {
      tgt_sql "DROP TABLE IF EXISTS events; CREATE TABLE events (id BIGINT PRIMARY KEY,
        payload VARCHAR(64) NOT NULL, created DATETIME(6) NOT NULL,
        arrived DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))"
    }
    lag_sql="" # percentiles computed below from the sorted lags
    sink_options="connector: mysql, host: 127.0.0.1, port: 3306, database: $tdb, user: root"
    ;;
esac

job=$target/cdc-bench.yaml
cat >"$job" <<EOF
name: cdc-bench
kind: cdc
source: {connector: mysql, host: 127.0.0.1, port: $port, database: bench, user: root, tables: [events], serverId: 4242}
sink: {$sink_options, table: events}
cdc: {startup: latest}
settings: {flushInterval: 200ms}
EOF

count() { tgt_sql "SELECT count(*) FROM events WHERE id > 0"; }

percentiles() { # $1: lowest id of the phase; prints "p50 p99" in seconds
  if [ -n "$lag_sql" ]; then
    tgt_sql "$(printf "$lag_sql" "$1")" | tr -d '{}' | tr ',' ' '
  else
    tgt_sql "SELECT TIMESTAMPDIFF(MICROSECOND, created, arrived) / 1e6 FROM events WHERE id > $1 ORDER BY 1" |
      awk '{ v[NR] = $1 } END { if (NR == 0) { print "- -"; exit } i50 = int(NR * 0.5); i99 = int(NR * 0.99); if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1; print v[i50], v[i99] }'
  fi
}

wait_for() { # $1: rows expected; $2: timeout s; prints the ms when reached
  local deadline=$(($(now_ms) + $2 * 1000))
  while [ "$(count)" -lt "$1" ]; do
    [ "$(now_ms)" -lt "$deadline" ] || die "the target did not reach $1 rows in $2 s ($(count) rows; see $target/logs/ferry-*.log)"
    sleep 0.05
  done
  now_ms
}

results=()
for run in $(seq 1 "$runs"); do
  tgt_reset
  "${src[@]}" -e "TRUNCATE bench.events"
  log "run $run: starting Ferry (cdc, startup latest) into $sink"
  (cd "$target" && exec /usr/bin/time -v -o "$target/logs/ferry-$run.time" $ferry run "$job") \
    >"$target/logs/ferry-$run.log" 2>&1 &
  ferry_pid=$!
  # Streaming once a probe row arrives (a probe a second: one written before Ferry took its
  # start position is not in its log).
  deadline=$(($(now_ms) + 120000))
  for ((probe = 1; ; probe++)); do
    "${src[@]}" -e "INSERT INTO bench.events VALUES (-$probe, 'probe', NOW(6))"
    sleep 1
    [ "$(tgt_sql "SELECT count(*) FROM events WHERE id < 0")" -gt 0 ] && break
    [ "$(now_ms)" -lt "$deadline" ] || die "Ferry did not start streaming in 120 s (see $target/logs/ferry-$run.log)"
  done

  # Saturation: N rows as fast as MariaDB takes them.
  log "run $run: saturation, $events events"
  first=$(now_ms)
  for ((from = 1; from <= events; from += 10000)); do
    to=$((from + 9999 > events ? events : from + 9999))
    echo "INSERT INTO bench.events SELECT seq, concat('event ', seq), NOW(6) FROM seq_${from}_to_${to};"
  done | "${src[@]}" bench
  inserted=$(now_ms)
  done_at=$(wait_for "$events" 900)
  sat=$(awk -v n="$events" -v ms=$((done_at - first)) 'BEGIN { printf "%.0f", n / (ms / 1000) }')
  log "run $run: $events events in $((done_at - first)) ms ($sat events/s; the source took $((inserted - first)) ms)"

  # Fixed rate: R events/s in commits every 100 ms, paced by the clock.
  log "run $run: $rate events/s for $seconds s"
  base=$((events + 1))
  total=$((rate * seconds))
  start=$(now_ms)
  sent=0
  {
    while [ "$sent" -lt "$total" ]; do
      due=$(((($(now_ms) - start) * rate) / 1000))
      [ "$due" -gt "$total" ] && due=$total
      if [ "$due" -gt "$sent" ]; then
        echo "INSERT INTO bench.events SELECT seq, concat('event ', seq), NOW(6) FROM seq_$((base + sent))_to_$((base + due - 1));"
        sent=$due
      fi
      sleep 0.1
    done
  } | "${src[@]}" bench
  wait_for $((events + total)) 300 >/dev/null
  read -r p50 p99 < <(percentiles "$events")
  log "run $run: lag p50 ${p50} s, p99 ${p99} s"

  # SIGTERM to Ferry itself (GNU time, its parent, would not pass it on): it pauses with a checkpoint.
  pkill -TERM -P "$ferry_pid" || true
  wait "$ferry_pid" || true
  ferry_pid=
  rss=$(awk -F': ' '/Maximum resident/ { printf "%.0f", $2 / 1024 }' "$target/logs/ferry-$run.time")
  results+=("$run $sat $p50 $p99 $rss")
done

commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo
echo "cdc: MariaDB $(mariadbd --version | awk '{print $3}') binlog -> $sink, commit $commit, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "| run | saturation events/s ($events inserts) | lag p50 at $rate/s | lag p99 at $rate/s | peak RSS MB |"
echo "|---:|---:|---:|---:|---:|"
for r in "${results[@]}"; do
  read -r n s a b m <<<"$r"
  printf '| %s | %s | %.3f s | %.3f s | %s |\n' "$n" "$s" "$a" "$b" "$m"
done

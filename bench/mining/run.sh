#!/usr/bin/env bash
# Shared-mining benchmark: three `kind: cdc` jobs on one MariaDB binlog source, each into its own
# PostgreSQL table, run two ways in interleaved rounds —
#   own:    each job reads the binlog itself (three binlog readers);
#   shared: `ferry cdc mine` reads it once into a mining log (a PostgreSQL table) and the three jobs
#           (cdc.sharedMining: true) read the log.
# Per round and way: N rows inserted as fast as MariaDB takes them (transactions of 10,000), timed
# from the first commit until all three targets hold all of them; events/s = N / that time (each
# job applies N events); the binlog readers connected to the source; the source server's CPU
# seconds and Ferry's (every Ferry process of the way) over the round.
#
#   bench/mining/run.sh [--events N] [--runs N]     (defaults: 200000, 2)
#
# It starts a MariaDB of its own with the binlog on, on a free port, data under bench/mining/target/
# (BENCH_MINING_TARGET to put it elsewhere). Targets and the mining log are in the PostgreSQL at
# PG_HOST:PG_PORT, database ferry_mining_bench (FERRY_MINING_BENCH_DB). Ferry: FERRY, else
# ferry-dist/target/ferry/bin/ferry (./mvnw -q package -DskipTests).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
target=${BENCH_MINING_TARGET:-$here/target}
events=200000
runs=2
while [ $# -gt 0 ]; do
  case $1 in
    --events) events=$2; shift ;;
    --runs) runs=$2; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for n in "$events" "$runs"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "not a positive integer: '$n'" >&2; exit 2; }
done
tdb=${FERRY_MINING_BENCH_DB:-ferry_mining_bench}
[[ $tdb =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "FERRY_MINING_BENCH_DB: not a plain name: '$tdb'" >&2; exit 2; }
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
pg=(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -X -q -v ON_ERROR_STOP=1)
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "mining/run.sh: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
ferry=${FERRY:-$repo/ferry-dist/target/ferry/bin/ferry}
[ -x "${ferry%% *}" ] || die "no Ferry at $ferry: build it with ./mvnw -q package -DskipTests, or set FERRY"
for tool in mariadb-install-db mariadbd mariadb psql; do
  command -v "$tool" >/dev/null || die "$tool not found"
done

. "$here/../lib/binlog-mariadb.sh"
pids=()
stop_ferry() { # SIGTERM: jobs pause with their checkpoint, the mining run appends and ends
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() { stop_ferry; stop_binlog_mariadb; wait 2>/dev/null || true; }
trap cleanup EXIT
start_binlog_mariadb "$target"
"${src[@]}" -e "CREATE DATABASE bench;
  CREATE TABLE bench.events (id BIGINT PRIMARY KEY, payload VARCHAR(64) NOT NULL, created DATETIME(6) NOT NULL)"
"${pg[@]}" -d postgres -c "DROP DATABASE IF EXISTS $tdb" -c "CREATE DATABASE $tdb"
tgt() { "${pg[@]}" -d "$tdb" -At -c "$1"; }

cpu_ticks() { # user + system clock ticks of a process and its children that ended
  awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
tick=$(getconf CLK_TCK)

job_file() { # $1 way, $2 job number
  local f=$target/$1-$2.yaml shared=""
  [ "$1" = shared ] && shared="
  sharedMining: true
  miningLog: {connector: postgresql, host: $PG_HOST, port: $PG_PORT, database: $tdb, user: postgres, table: mining_events}"
  cat >"$f" <<YAML
name: $1-$2
kind: cdc
source: {connector: mysql, host: 127.0.0.1, port: $port, database: bench, user: root, tables: [events], serverId: $((4300 + $2))}
sink: {connector: postgresql, host: $PG_HOST, port: $PG_PORT, database: $tdb, user: postgres, table: events_$2}
cdc:
  startup: latest$shared
settings: {flushInterval: 200ms}
YAML
  echo "$f"
}

start_ferry() { # $1 name, then the ferry arguments; the JVM's pid goes to pids
  local name=$1
  shift
  FERRY_STATE_DIR=$target/state-$name $ferry "$@" >"$target/logs/$name.log" 2>&1 &
  pids+=($!)
}

ferry_cpu() { # CPU seconds of the running Ferry JVMs (children of the launchers)
  local total=0 p c
  for p in "${pids[@]}"; do
    for c in $p $(pgrep -P "$p" || true); do total=$((total + $(cpu_ticks "$c"))); done
  done
  echo "$total"
}

min_count() {
  local m=-1 c i
  for i in 1 2 3; do
    c=$(tgt "SELECT count(*) FROM events_$i WHERE id > 0")
    if [ "$m" -lt 0 ] || [ "$c" -lt "$m" ]; then m=$c; fi
  done
  echo "$m"
}

results=()
round() { # $1 way, $2 run
  local way=$1 run=$2 i
  for i in 1 2 3; do
    tgt "DROP TABLE IF EXISTS events_$i; CREATE TABLE events_$i (id bigint PRIMARY KEY, payload varchar(64) NOT NULL, created timestamp(6) NOT NULL)"
  done
  tgt "DROP TABLE IF EXISTS mining_events, mining_events_state, mining_events_tables"
  "${src[@]}" -e "TRUNCATE bench.events"
  rm -rf "$target"/state-*
  if [ "$way" = shared ]; then
    start_ferry "$way-$run-mine" cdc mine "$(job_file "$way" 1)" --status-every 0
  fi
  for i in 1 2 3; do start_ferry "$way-$run-$i" run "$(job_file "$way" "$i")"; done
  # Streaming once a probe row reached every target.
  local deadline=$(($(now_ms) + 180000)) probe
  for ((probe = 1; ; probe++)); do
    "${src[@]}" -e "INSERT INTO bench.events VALUES (-$probe, 'probe', NOW(6))"
    sleep 1
    local ready=1
    for i in 1 2 3; do
      [ "$(tgt "SELECT count(*) FROM events_$i WHERE id < 0")" -gt 0 ] || ready=0
    done
    [ "$ready" = 1 ] && break
    [ "$(now_ms)" -lt "$deadline" ] || die "$way: the jobs did not stream within 180 s (see $target/logs/)"
  done
  local readers
  readers=$("${src[@]}" -N -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'")
  local src_cpu0 ferry_cpu0 first
  src_cpu0=$(cpu_ticks "$mariadbd_pid")
  ferry_cpu0=$(ferry_cpu)
  log "$way, run $run: $events events, $readers binlog readers"
  first=$(now_ms)
  for ((from = 1; from <= events; from += 10000)); do
    to=$((from + 9999 > events ? events : from + 9999))
    echo "INSERT INTO bench.events SELECT seq, concat('event ', seq), NOW(6) FROM seq_${from}_to_${to};"
  done | "${src[@]}" bench
  deadline=$(($(now_ms) + 900000))
  while [ "$(min_count)" -lt "$events" ]; do
    [ "$(now_ms)" -lt "$deadline" ] || die "$way: the targets did not reach $events rows in 900 s"
    sleep 0.1
  done
  local done_at src_cpu ferry_cpu_s rate
  done_at=$(now_ms)
  src_cpu=$(awk -v t=$(($(cpu_ticks "$mariadbd_pid") - src_cpu0)) -v h="$tick" 'BEGIN { printf "%.1f", t / h }')
  ferry_cpu_s=$(awk -v t=$(($(ferry_cpu) - ferry_cpu0)) -v h="$tick" 'BEGIN { printf "%.1f", t / h }')
  rate=$(awk -v n="$events" -v ms=$((done_at - first)) 'BEGIN { printf "%.0f", n / (ms / 1000) }')
  log "$way, run $run: $((done_at - first)) ms, $rate events/s per job, source CPU ${src_cpu} s, Ferry CPU ${ferry_cpu_s} s"
  stop_ferry
  results+=("$run $way $rate $readers $src_cpu $ferry_cpu_s")
}

for run in $(seq 1 "$runs"); do
  if [ $((run % 2)) = 1 ]; then round own "$run"; round shared "$run"; else round shared "$run"; round own "$run"; fi
done

commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo
echo "shared mining: MariaDB $(mariadbd --version | awk '{print $3}') binlog -> 3 jobs -> PostgreSQL, $events events, commit $commit, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "| run | way | events/s per job | binlog readers | source CPU s | Ferry CPU s |"
echo "|---:|---|---:|---:|---:|---:|"
for r in "${results[@]}"; do
  read -r n w s b c f <<<"$r"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$n" "$w" "$s" "$b" "$c" "$f"
done

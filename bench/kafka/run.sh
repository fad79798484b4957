#!/usr/bin/env bash
# Kafka benchmark: rows/s of Ferry's MariaDB -> Kafka and Kafka -> PostgreSQL beside Kafka's own
# kafka-producer-perf-test and kafka-consumer-perf-test on the same broker, with records of the
# same size (the average size of the JSON values Ferry wrote).
#
#   bench/kafka/run.sh [--rows N] [--keep-broker]
#
#   --rows N        rows to generate and move (default 2000000, as the relational benchmark)
#   --keep-broker   leave the broker running at the end (its PID is in target/broker.pid)
#
# The broker: Kafka 4 (KRaft, broker and controller in one process, one node) started from the
# Kafka jars Maven resolves for bench/kafka/pom.xml (the perf tools come from kafka-tools), on
# 127.0.0.1:$KAFKA_PORT (default 19092; the controller on the next port), its data under
# bench/kafka/target/. Started and stopped by this script.
#
# Environment: FERRY (the command that runs `ferry`, default the distribution's launcher
# ferry-dist/target/ferry/bin/ferry), MARIADB_HOST/MARIADB_PORT (127.0.0.1:3306, user root),
# PG_HOST/PG_PORT (127.0.0.1:5432, user postgres), KAFKA_PORT, JAVA (default java).
#
# Databases it owns (left with the last run's data): MariaDB ferry_bench_kafka (the source orders,
# from bench/relational's generator and schema), PostgreSQL ferry_bench_kafka (target orders).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
target=$here/target
rows=2000000
keep_broker=false
while [ $# -gt 0 ]; do
  case $1 in
    --rows) rows=$2; shift ;;
    --keep-broker) keep_broker=true ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $rows =~ ^[1-9][0-9]*$ ]] || { echo "--rows: a positive integer, not '$rows'" >&2; exit 2; }

MARIADB_HOST=${MARIADB_HOST:-127.0.0.1}
MARIADB_PORT=${MARIADB_PORT:-3306}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
KAFKA_PORT=${KAFKA_PORT:-19092}
JAVA=${JAVA:-java}
FERRY=${FERRY:-$repo/ferry-dist/target/ferry/bin/ferry}
bootstrap=127.0.0.1:$KAFKA_PORT
topic=ferry_bench_orders
maria=(mariadb -h"$MARIADB_HOST" -P"$MARIADB_PORT" -uroot --default-character-set=utf8mb4)
pg=(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -X -q -v ON_ERROR_STOP=1)

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }
for tool in mariadb psql awk "$JAVA"; do
  command -v "$tool" >/dev/null || die "$tool not found"
done
[ -x "$FERRY" ] || die "$FERRY not found: build the distribution (./mvnw -q package -DskipTests) or set FERRY"
mkdir -p "$target/logs"

# ---------------------------------------------------------------------------------------------
# The broker's class path (offline when the jars are there), and the broker.
# ---------------------------------------------------------------------------------------------
cp_file=$target/classpath.txt
if [ ! -s "$cp_file" ] || [ "$here/pom.xml" -nt "$cp_file" ]; then
  log "resolving the Kafka jars (bench/kafka/pom.xml)"
  "$repo/mvnw" -q -o -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null 2>&1 ||
    "$repo/mvnw" -q -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null ||
    die "cannot resolve the Kafka jars of bench/kafka/pom.xml"
fi
cp=$(cat "$cp_file")
kafka() { "$JAVA" -Xmx1g -cp "$cp" "$@"; }

broker_dir=$target/broker
rm -rf "$broker_dir"
mkdir -p "$broker_dir/data"
cat >"$broker_dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$((KAFKA_PORT + 1))
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$((KAFKA_PORT + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$broker_dir/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
kafka kafka.tools.StorageTool format -t "$(kafka kafka.tools.StorageTool random-uuid)" \
  -c "$broker_dir/server.properties" >"$target/logs/format.log" 2>&1 || { cat "$target/logs/format.log" >&2; die "formatting the broker's storage failed"; }
log "starting the Kafka broker on $bootstrap"
"$JAVA" -Xmx1g -Xms1g -cp "$cp" kafka.Kafka "$broker_dir/server.properties" >"$target/logs/broker.log" 2>&1 &
broker=$!
echo "$broker" >"$target/broker.pid"
stop_broker() { $keep_broker || { kill "$broker" 2>/dev/null && wait "$broker" 2>/dev/null; } || true; }
trap stop_broker EXIT
for _ in $(seq 1 60); do
  kafka org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --list >/dev/null 2>&1 && break
  kill -0 "$broker" 2>/dev/null || { tail -20 "$target/logs/broker.log" >&2; die "the broker did not start"; }
  sleep 1
done
topics() { kafka org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" "$@"; }

# ---------------------------------------------------------------------------------------------
# Data: MariaDB ferry_bench_kafka.orders from the relational benchmark's generator; the
# PostgreSQL target from its schema.
# ---------------------------------------------------------------------------------------------
"${maria[@]}" -e "CREATE DATABASE IF NOT EXISTS ferry_bench_kafka CHARACTER SET utf8mb4"
loaded=$("${maria[@]}" -N -B ferry_bench_kafka -e "SELECT COUNT(*) FROM orders" 2>/dev/null || echo none)
if [ "$loaded" != "$rows" ]; then
  log "loading $rows rows into MariaDB ferry_bench_kafka.orders (bench/relational/generate.sql)"
  "${maria[@]}" ferry_bench_kafka -e "DROP TABLE IF EXISTS orders"
  "${maria[@]}" ferry_bench_kafka <"$repo/bench/relational/schema-mariadb.sql"
  sed "s/seq_1_to_2000000/seq_1_to_$rows/" "$repo/bench/relational/generate.sql" | "${maria[@]}" ferry_bench_kafka
fi
if [ -z "$("${pg[@]}" -d postgres -At -c "SELECT 1 FROM pg_database WHERE datname = 'ferry_bench_kafka'")" ]; then
  "${pg[@]}" -d postgres -c "CREATE DATABASE ferry_bench_kafka ENCODING 'UTF8' TEMPLATE template0"
fi
"${pg[@]}" -d ferry_bench_kafka -c "SET client_min_messages = warning" -f "$repo/bench/relational/schema-postgresql.sql"

seconds() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e - s }'; }
results=()
result() { results+=("$(printf '%-34s %10s s %12s rows/s' "$1" "$2" "$(awk -v r="$rows" -v s="$2" 'BEGIN { printf "%.0f", r / s }')")"); }

# ---------------------------------------------------------------------------------------------
# 1. MariaDB -> Kafka (Ferry), then kafka-consumer-perf-test reading that topic, which also gives
#    the average record size for kafka-producer-perf-test.
# ---------------------------------------------------------------------------------------------
topics --delete --if-exists --topic "$topic" >/dev/null 2>&1 || true
sleep 1
log "Ferry: MariaDB -> Kafka"
start=$(date +%s.%N)
"$FERRY" run "$here/mariadb-to-kafka.yaml" -p mariadbHost="$MARIADB_HOST" -p mariadbPort="$MARIADB_PORT" \
  -p bootstrap="$bootstrap" --state-dir "$target/state" >"$target/logs/ferry-to-kafka.log" 2>&1 ||
  { tail -30 "$target/logs/ferry-to-kafka.log" >&2; die "Ferry MariaDB -> Kafka failed"; }
result "ferry mariadb -> kafka" "$(seconds "$start" "$(date +%s.%N)")"

log "kafka-consumer-perf-test on $topic"
consumed=$(kafka org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bootstrap" --topic "$topic" \
  --messages "$rows" --timeout 120000 2>"$target/logs/consumer-perf.log" | tail -1)
# start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
messages=$(echo "$consumed" | awk -F', *' '{ print $5 }')
[ "$messages" = "$rows" ] || die "the topic holds $messages records, not $rows: $consumed"
record_size=$(echo "$consumed" | awk -F', *' '{ printf "%.0f", $3 * 1048576 / $5 }')
result "kafka-consumer-perf-test" "$(echo "$consumed" | awk -F', *' '{ printf "%.2f", $5 / $6 }')"

log "kafka-producer-perf-test: $rows records of $record_size bytes (acks=all, idempotent, as Ferry)"
topics --delete --if-exists --topic ferry_bench_perf >/dev/null 2>&1 || true
topics --create --topic ferry_bench_perf --partitions 4 --replication-factor 1 >/dev/null
produced=$(kafka org.apache.kafka.tools.ProducerPerformance --topic ferry_bench_perf --num-records "$rows" \
  --record-size "$record_size" --throughput -1 \
  --producer-props bootstrap.servers="$bootstrap" acks=all enable.idempotence=true 2>"$target/logs/producer-perf.log" | tail -1)
# N records sent, R records/sec (M MB/sec), ...
result "kafka-producer-perf-test" "$(echo "$produced" | awk -v r="$rows" '{ printf "%.2f", r / $4 }')"

# ---------------------------------------------------------------------------------------------
# 2. Kafka -> PostgreSQL (Ferry), the target checked by count.
# ---------------------------------------------------------------------------------------------
"${pg[@]}" -d ferry_bench_kafka -c "TRUNCATE orders"
log "Ferry: Kafka -> PostgreSQL"
start=$(date +%s.%N)
"$FERRY" run "$here/kafka-to-postgresql.yaml" -p bootstrap="$bootstrap" -p pgHost="$PG_HOST" -p pgPort="$PG_PORT" \
  --state-dir "$target/state" >"$target/logs/ferry-from-kafka.log" 2>&1 ||
  { tail -30 "$target/logs/ferry-from-kafka.log" >&2; die "Ferry Kafka -> PostgreSQL failed"; }
result "ferry kafka -> postgresql" "$(seconds "$start" "$(date +%s.%N)")"
copied=$("${pg[@]}" -d ferry_bench_kafka -At -c "SELECT count(*) FROM orders")
[ "$copied" = "$rows" ] || die "PostgreSQL ferry_bench_kafka.orders holds $copied rows, not $rows"

echo
echo "Kafka benchmark: $rows rows, JSON values of $record_size bytes on average, one local broker"
printf '%s\n' "${results[@]}"

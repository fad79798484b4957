#!/usr/bin/env bash
# Search and document stores: times Ferry moving the relational benchmark's 2,000,000-row MariaDB
# table ferry_bench.orders into Elasticsearch (kind: fullSync: ids from the primary key, a new index
# behind an alias) and, when a MongoDB is given, into MongoDB; prints rows/s, CPU and peak RSS of
# Ferry, beside Elasticsearch's own figures (its indexing stats and CPU). For MongoDB only Ferry's
# side is measured (the server may be remote; read its own figures from its monitoring).
#
#   bench/search/run.sh [--stores LIST] [--es-heap SIZE]
#
#   --stores LIST   comma-separated, of: elasticsearch, mongodb (default: both)
#   --es-heap SIZE  the Elasticsearch node's heap (default 1g)
#
# Environment: FERRY (default ferry-dist/target/ferry/bin/ferry), MONGO_URI (a real MongoDB, e.g.
# mongodb://127.0.0.1:27017; without it the MongoDB store is skipped, saying so: no mongod can run
# on the project's machines), ES_HOME (an unpacked Elasticsearch 8; default: the one the
# elasticsearch connector's test build unpacks under its target/).
#
# The source table comes from bench/relational/run.sh (run it once first). The Elasticsearch node
# is started here on 127.0.0.1:9250 (as uid 65534 when run as root) with its data under
# bench/search/target/, and stopped at the end.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
target=$here/target
stores=elasticsearch,mongodb
es_heap=1g
while [ $# -gt 0 ]; do
  case $1 in
    --stores) stores=$2; shift ;;
    --es-heap) es_heap=$2; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
has() { [[ ",$1," == *",$2,"* ]]; }
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }

ferry=${FERRY:-$repo/ferry-dist/target/ferry/bin/ferry}
[ -x "$ferry" ] || die "no Ferry at $ferry: build it with ./mvnw -q package -DskipTests"
maria=(mariadb -h127.0.0.1 -P3306 -uroot --default-character-set=utf8mb4)
rows=$("${maria[@]}" -N -B ferry_bench -e "SELECT COUNT(*) FROM orders" 2>/dev/null) ||
  die "no ferry_bench.orders: run bench/relational/run.sh once"
mkdir -p "$target/logs"

cpu_of() { # PID: user+sys seconds so far
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"
}

# Runs Ferry on JOB; sets wall, cpu, rss from GNU time.
time_ferry() { # NAME JOB
  /usr/bin/time -v -o "$target/logs/$1.time" "$ferry" run "$2" >"$target/logs/$1.log" 2>&1 ||
    die "Ferry failed: see $target/logs/$1.log"
  wall=$(awk -F': ' '/Elapsed/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$target/logs/$1.time")
  cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$target/logs/$1.time")
  rss=$(awk -F': ' '/Maximum resident/ { printf "%d", $2 / 1024 }' "$target/logs/$1.time")
}

results=()

# ---------------------------------------------------------------------------------------------
# Elasticsearch
# ---------------------------------------------------------------------------------------------
if has "$stores" elasticsearch; then
  es_home=${ES_HOME:-$(ls -d "$repo"/ferry-connectors/ferry-connector-elasticsearch/target/elasticsearch/elasticsearch-8* 2>/dev/null | head -1)}
  [ -n "$es_home" ] && [ -x "$es_home/bin/elasticsearch" ] ||
    die "no Elasticsearch 8: build ferry-connectors/ferry-connector-elasticsearch with its tests once, or set ES_HOME"
  node=$target/es-node
  rm -rf "$node"
  mkdir -p "$node/data" "$node/logs"
  cp -r "$es_home/config" "$node/config"
  run_as=()
  if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$node"
    run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  fi
  log "starting Elasticsearch ($es_home, heap $es_heap) on 127.0.0.1:9250"
  ES_PATH_CONF=$node/config ES_JAVA_OPTS="-Xms$es_heap -Xmx$es_heap" ES_JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")} \
    "${run_as[@]}" "$es_home/bin/elasticsearch" -E network.host=127.0.0.1 -E http.port=9250 \
    -E transport.port=9350 -E discovery.type=single-node -E xpack.security.enabled=false \
    -E path.data="$node/data" -E path.logs="$node/logs" >"$target/logs/es-node.log" 2>&1 &
  es_pid=$!
  trap 'kill "$es_pid" 2>/dev/null; wait "$es_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:9250/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null && break
    kill -0 "$es_pid" 2>/dev/null || die "Elasticsearch did not start: see $target/logs/es-node.log"
    sleep 1
  done
  es_java=$(pgrep -f "org.elasticsearch.bootstrap.Elasticsearch" | head -1)
  cat >"$target/es.yaml" <<YAML
kind: fullSync
source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: ferry_bench, table: orders}
sink: {connector: elasticsearch, hosts: ["http://127.0.0.1:9250"], index: orders_bench, replicas: 0}
YAML
  before=$(cpu_of "$es_java")
  log "Ferry: MariaDB ferry_bench.orders -> Elasticsearch orders_bench (kind: fullSync)"
  time_ferry es "$target/es.yaml"
  es_cpu=$(awk -v a="$before" -v b="$(cpu_of "$es_java")" 'BEGIN { printf "%.2f", b - a }')
  stats=$(curl -s "http://127.0.0.1:9250/orders_bench/_stats/indexing,store,refresh")
  count=$(curl -s "http://127.0.0.1:9250/orders_bench/_count" | sed 's/.*"count":\([0-9]*\).*/\1/')
  [ "$count" = "$rows" ] || die "Elasticsearch holds $count documents, expected $rows"
  # The primaries' figures come first in the _stats answer.
  first() { grep -o "\"$1\":[0-9]*" <<<"$stats" | head -1 | cut -d: -f2; }
  index_total=$(first index_total)
  index_ms=$(first index_time_in_millis)
  store=$(first size_in_bytes)
  results+=("$(printf '%-26s %8.2f %10s %8s %9s %8s   ES: %s docs indexed, %s ms indexing time (%s docs/s per indexing thread), %s MB stored' \
    "mariadb -> elasticsearch" "$wall" "$(awk -v r="$rows" -v w="$wall" 'BEGIN { printf "%.0f", r / w }')" "$cpu" "$es_cpu" "$rss" \
    "$index_total" "$index_ms" "$(awk -v n="$index_total" -v t="$index_ms" 'BEGIN { printf "%.0f", n / (t / 1000) }')" \
    "$(awk -v b="$store" 'BEGIN { printf "%.0f", b / 1048576 }')")")
  kill "$es_pid"; wait "$es_pid" 2>/dev/null || true
  trap - EXIT
fi

# ---------------------------------------------------------------------------------------------
# MongoDB (only against a real server)
# ---------------------------------------------------------------------------------------------
if has "$stores" mongodb; then
  if [ -z "${MONGO_URI:-}" ]; then
    results+=("mariadb -> mongodb          skipped: set MONGO_URI to a real MongoDB (none can run on the project's machines)")
  else
    cat >"$target/mongo.yaml" <<YAML
source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: ferry_bench, table: orders}
sink: {connector: mongodb, uri: "$MONGO_URI", database: ferry_bench, collection: orders, writeMode: upsert, idColumns: [id]}
YAML
    log "Ferry: MariaDB ferry_bench.orders -> MongoDB ferry_bench.orders (upsert by id)"
    time_ferry mongo "$target/mongo.yaml"
    results+=("$(printf '%-26s %8.2f %10s %8s %9s %8s' "mariadb -> mongodb" "$wall" \
      "$(awk -v r="$rows" -v w="$wall" 'BEGIN { printf "%.0f", r / w }')" "$cpu" "-" "$rss")")
  fi
fi

echo
echo "Search and document stores: $rows rows of MariaDB ferry_bench.orders; $(nproc) cores; $(java -version 2>&1 | head -1)"
echo "Repository HEAD: $(git -C "$repo" rev-parse --short HEAD)"
echo
printf '%-26s %8s %10s %8s %9s %8s\n' path "wall s" "rows/s" "CPU s" "store s" "RSS MB"
printf '%s\n' "${results[@]}"
echo
echo "CPU s = user+sys of the Ferry JVM; store s = CPU of the Elasticsearch node meanwhile. Logs: bench/search/target/logs/"

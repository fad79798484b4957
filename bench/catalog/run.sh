#!/usr/bin/env bash
# Metadata catalog benchmark (issue 20, docs/catalog.md): a source of 10,000 tables x 20 columns
# collected by `ferry server`; prints how long the collection took, the server's heap bound and peak
# RSS, and checks that a re-collection with no change writes nothing in the catalog but its
# instance (and its instance row's counts all zero).
#
#   bench/catalog/run.sh [--sources LIST] [--tables N] [--reload] [--heap SIZE] [--port N]
#
#   --sources LIST  comma-separated, of: mariadb, postgresql (default: both)
#   --tables N      tables in each source (default 10000; 20 columns each: the published figures
#                   use the default)
#   --reload        drop and create the source tables even when they are already there
#   --heap SIZE     the server's -Xmx (default 512m): a collection that fits in it has bounded memory
#   --port N        the server's port (default 18480, on 127.0.0.1)
#
# Environment: FERRY (the command that runs `ferry`, default the distribution's launcher
# ferry-dist/target/ferry/bin/ferry), MARIADB_HOST/MARIADB_PORT (127.0.0.1:3306, user root, no
# password), PG_HOST/PG_PORT (127.0.0.1:5432, user postgres, trust).
#
# Databases it owns: MariaDB ferry_bench_catalog and PostgreSQL ferry_bench_catalog (schema bench)
# hold the source tables, left in place for the next run; PostgreSQL ferry_bench_catalog_meta is
# the server's metadata store, created afresh by every run (so the first collection adds every
# table). Server data dir and log: bench/catalog/target/ (git-ignored).
#
# "Writes nothing" is checked on the metadata store itself: a digest of every catalog row's id and
# xmin (PostgreSQL's row version, new on every insert and update) of ferry_catalog_table,
# ferry_catalog_column and ferry_catalog_history, before and after the re-collection.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
target=$here/target

sources=mariadb,postgresql
tables=10000
reload=false
heap=512m
port=18480
while [ $# -gt 0 ]; do
  case $1 in
    --sources) sources=$2; shift ;;
    --tables) tables=$2; shift ;;
    --reload) reload=true ;;
    --heap) heap=$2; shift ;;
    --port) port=$2; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $tables =~ ^[1-9][0-9]*$ ]] || { echo "--tables: a positive integer, not '$tables'" >&2; exit 2; }
[[ $port =~ ^[1-9][0-9]*$ ]] || { echo "--port: a port number, not '$port'" >&2; exit 2; }
for s in ${sources//,/ }; do
  case $s in mariadb | postgresql) ;; *) echo "--sources: unknown source '$s'" >&2; exit 2 ;; esac
done
has() { [[ ",$1," == *",$2,"* ]]; }

MARIADB_HOST=${MARIADB_HOST:-127.0.0.1}
MARIADB_PORT=${MARIADB_PORT:-3306}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
FERRY=${FERRY:-$repo/ferry-dist/target/ferry/bin/ferry}
maria=(mariadb -h"$MARIADB_HOST" -P"$MARIADB_PORT" -uroot --default-character-set=utf8mb4)
pg=(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -X -q -v ON_ERROR_STOP=1)
meta=ferry_bench_catalog_meta
base=http://127.0.0.1:$port
password=bench-catalog-$$

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }

for tool in curl jq awk python3; do
  command -v "$tool" >/dev/null || die "$tool not found"
done
has "$sources" mariadb && { command -v mariadb >/dev/null || die "mariadb client not found"; }
command -v psql >/dev/null || die "psql not found (the metadata store is PostgreSQL)"
[ -x "$FERRY" ] || command -v "$FERRY" >/dev/null ||
  die "no ferry at $FERRY: build the distribution (./mvnw -q package -pl ferry-dist -am -DskipTests) or set FERRY"

# ---- the sources: N tables of 20 columns (a key, then 19 of mixed types, some commented)

# One table's definition; $1 the table's name, $2 the dialect.
table_ddl() {
  local name=$1 dialect=$2
  if [ "$dialect" = mariadb ]; then
    printf "CREATE TABLE %s (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT NOT NULL COMMENT 'the customer', sku VARCHAR(40) NOT NULL, qty INT NOT NULL DEFAULT 1, price DECIMAL(12,2), status VARCHAR(16) NOT NULL DEFAULT 'new', note TEXT, created_at DATETIME(6) NOT NULL, updated_at TIMESTAMP NULL, flag TINYINT(1) NOT NULL DEFAULT 0, weight DOUBLE, code CHAR(8), region VARCHAR(60) COMMENT 'sales region', city VARCHAR(80), zip VARCHAR(12), phone VARCHAR(30), email VARCHAR(200), score FLOAT, payload BLOB, day DATE, KEY by_customer (customer_id), UNIQUE KEY by_sku (sku)) COMMENT 'benchmark table';\n" "$name"
  else
    printf "CREATE TABLE bench.%s (id BIGSERIAL PRIMARY KEY, customer_id BIGINT NOT NULL, sku VARCHAR(40) NOT NULL UNIQUE, qty INT NOT NULL DEFAULT 1, price NUMERIC(12,2), status VARCHAR(16) NOT NULL DEFAULT 'new', note TEXT, created_at TIMESTAMP(6) NOT NULL, updated_at TIMESTAMPTZ, flag BOOLEAN NOT NULL DEFAULT false, weight DOUBLE PRECISION, code CHAR(8), region VARCHAR(60), city VARCHAR(80), zip VARCHAR(12), phone VARCHAR(30), email VARCHAR(200), score REAL, payload BYTEA, day DATE); CREATE INDEX ON bench.%s (customer_id); COMMENT ON COLUMN bench.%s.region IS 'sales region';\n" "$name" "$name" "$name"
  fi
}

names() { seq -f 't%05g' 1 "$tables"; }

load_mariadb() {
  local have
  have=$("${maria[@]}" -N -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'ferry_bench_catalog'")
  if [ "$reload" = false ] && [ "$have" = "$tables" ]; then
    log "mariadb: ferry_bench_catalog has its $tables tables"
    return
  fi
  log "mariadb: creating $tables tables of 20 columns in ferry_bench_catalog (once; --reload to redo)"
  "${maria[@]}" -e "DROP DATABASE IF EXISTS ferry_bench_catalog; CREATE DATABASE ferry_bench_catalog"
  { echo "SET SESSION innodb_strict_mode = 0;"; names | while read -r n; do table_ddl "$n" mariadb; done; } |
    "${maria[@]}" ferry_bench_catalog
}

load_postgresql() {
  "${pg[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'ferry_bench_catalog'" | grep -q 1 ||
    "${pg[@]}" -d postgres -c "CREATE DATABASE ferry_bench_catalog"
  local have
  have=$("${pg[@]}" -d ferry_bench_catalog -tAc "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'bench'")
  if [ "$reload" = false ] && [ "$have" = "$tables" ]; then
    log "postgresql: ferry_bench_catalog.bench has its $tables tables"
    return
  fi
  log "postgresql: creating $tables tables of 20 columns in ferry_bench_catalog.bench (once; --reload to redo)"
  # Batches of 500 tables per transaction: one lock table entry per table created.
  "${pg[@]}" -d ferry_bench_catalog -c "DROP SCHEMA IF EXISTS bench CASCADE" -c "CREATE SCHEMA bench"
  names | awk -v per=500 'NR % per == 1 { print "BEGIN;" } { print } NR % per == 0 { print "COMMIT;" } END { if (NR % per) print "COMMIT;" }' |
    while read -r line; do
      case $line in BEGIN\; | COMMIT\;) echo "$line" ;; *) table_ddl "$line" postgresql ;; esac
    done | "${pg[@]}" -d ferry_bench_catalog
}

has "$sources" mariadb && load_mariadb
has "$sources" postgresql && load_postgresql

# ---- the server, on a fresh PostgreSQL metadata store

mkdir -p "$target"
rm -rf "$target/data"
"${pg[@]}" -d postgres -c "DROP DATABASE IF EXISTS $meta" -c "CREATE DATABASE $meta"
log "starting ferry server on 127.0.0.1:$port (-Xmx$heap), log in $target/server.log"
FERRY_ADMIN_PASSWORD=$password FERRY_JAVA_OPTS="${FERRY_JAVA_OPTS:-} -Xmx$heap" \
  "$FERRY" server --server.address=127.0.0.1 --server.port="$port" --ferry.data-dir="$target/data" \
  --spring.datasource.url="jdbc:postgresql://$PG_HOST:$PG_PORT/$meta" --spring.datasource.username=postgres \
  >"$target/server.log" 2>&1 &
launcher=$!
server_pid() { pgrep -P "$launcher" java 2>/dev/null | head -1 || true; }
stop() {
  kill "$launcher" 2>/dev/null || true
  local java
  java=$(server_pid)
  [ -n "$java" ] && kill "$java" 2>/dev/null || true
  wait "$launcher" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 1 240); do
  curl -fs "$base/actuator/health" >/dev/null 2>&1 && break
  kill -0 "$launcher" 2>/dev/null || die "the server stopped: see $target/server.log"
  sleep 0.5
done
curl -fs "$base/actuator/health" >/dev/null || die "the server did not start in 120 s: see $target/server.log"
pid=$(server_pid)
[ -n "$pid" ] || pid=$launcher

api() { # method path [json]
  local out
  out=$(curl -s -u "admin:$password" -X "$1" -H 'Content-Type: application/json' ${3:+-d "$3"} -w '\n%{http_code}' "$base$2")
  local code=${out##*$'\n'}
  [[ $code == 2* ]] || die "$1 $2: $code ${out%$'\n'*}"
  printf '%s' "${out%$'\n'*}"
}

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0; }

# Waits for an instance to end, sampling the server's RSS; prints the instance JSON, and writes
# the peak RSS (kB) to $target/peak (the caller runs it in a subshell).
await() {
  local id=$1 state json peak
  peak=$(rss_kb)
  while :; do
    json=$(api GET "/api/catalog/instances/$id")
    state=$(jq -r .instance.state <<<"$json")
    local r
    r=$(rss_kb)
    [ "$r" -gt "$peak" ] && peak=$r
    [ "$state" != RUNNING ] && break
    sleep 0.5
  done
  echo "$peak" >"$target/peak"
  printf '%s' "$json"
}

millis() { # instance JSON → its duration in milliseconds
  python3 -c '
import json, sys
import re
from datetime import datetime
i = json.loads(sys.argv[1])["instance"]
f = lambda s: datetime.fromisoformat(re.sub(r"(\.\d{1,6})\d*", r"\1", s).replace("Z", "+00:00"))
print(int((f(i["endedAt"]) - f(i["startedAt"])).total_seconds() * 1000))' "$1"
}

digest() {
  "${pg[@]}" -d "$meta" -tA -c "SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (
      SELECT 't' || id || ':' || xmin AS x FROM ferry_catalog_table
      UNION ALL SELECT 'c' || id || ':' || xmin FROM ferry_catalog_column
      UNION ALL SELECT 'h' || id || ':' || xmin FROM ferry_catalog_history) rows"
}

counts() { jq -r '.instance | "\(.databases) databases, \(.tables) tables, \(.columns) columns; added \(.tablesAdded)/\(.columnsAdded), changed \(.tablesChanged)/\(.columnsChanged), removed \(.tablesRemoved)/\(.columnsRemoved) (tables/columns); state \(.state)"' <<<"$1"; }

failures=0
results=()
for source in ${sources//,/ }; do
  case $source in
    mariadb)
      connector=mysql
      url="jdbc:mysql://$MARIADB_HOST:$MARIADB_PORT/ferry_bench_catalog"
      user=root
      includes=ferry_bench_catalog
      ;;
    postgresql)
      connector=postgresql
      url="jdbc:postgresql://$PG_HOST:$PG_PORT/ferry_bench_catalog"
      user=postgres
      includes=bench
      ;;
  esac
  ds=$(api POST /api/datasources "$(jq -nc --arg a "bench-$source" --arg c "$connector" --arg u "$url" --arg user "$user" \
    '{alias: $a, connector: $c, options: {url: $u, user: $user, password: ""}}')" | jq -r .id)
  rss_before=$(rss_kb)
  log "$source: first collection (task created: the first run starts at creation)"
  started=$(api POST /api/catalog/tasks "$(jq -nc --arg n "bench $source" --argjson ds "$ds" --arg i "$includes" \
    '{name: $n, dataSourceId: $ds, cycle: "day", time: "03:00", includes: $i}')")
  task=$(jq -r .task.id <<<"$started")
  first=$(await "$(jq -r .instance.id <<<"$started")")
  first_ms=$(millis "$first")
  first_peak=$(cat "$target/peak")
  log "$source: $(counts "$first")"

  before=$(digest)
  log "$source: re-collection with no change"
  second=$(await "$(api POST "/api/catalog/tasks/$task/sync" | jq -r .instance.id)")
  second_ms=$(millis "$second")
  after=$(digest)
  log "$source: $(counts "$second")"

  ok=true
  [ "$(jq -r .instance.state <<<"$first")" = SUCCEEDED ] || { ok=false; log "$source: the first collection did not succeed"; }
  [ "$(jq -r .instance.tables <<<"$first")" = "$tables" ] || { ok=false; log "$source: the first collection found $(jq -r .instance.tables <<<"$first") tables, not $tables"; }
  [ "$(jq -r .instance.columns <<<"$first")" = "$((tables * 20))" ] || { ok=false; log "$source: the first collection found $(jq -r .instance.columns <<<"$first") columns, not $((tables * 20))"; }
  [ "$(jq -r '.instance | .tablesAdded + .tablesChanged + .tablesRemoved + .columnsAdded + .columnsChanged + .columnsRemoved' <<<"$second")" = 0 ] ||
    { ok=false; log "$source: the re-collection counted changes"; }
  [ "$(jq -r .instance.state <<<"$second")" = SUCCEEDED ] || { ok=false; log "$source: the re-collection did not succeed"; }
  if [ "$before" = "$after" ]; then
    unchanged="no catalog row written"
  else
    unchanged="CATALOG ROWS WRITTEN"
    ok=false
  fi
  [ "$ok" = true ] || failures=$((failures + 1))
  results+=("$(printf '%-11s %6d x 20 %9.1f s %9.1f s   %-22s %7d MB -> %d MB (peak)   %s' \
    "$source" "$tables" "$(awk -v m="$first_ms" 'BEGIN { print m / 1000 }')" "$(awk -v m="$second_ms" 'BEGIN { print m / 1000 }')" \
    "$unchanged" "$((rss_before / 1024))" "$((first_peak / 1024))" "$([ "$ok" = true ] && echo ok || echo FAILED)")")
done

echo
echo "ferry server -Xmx$heap, metadata store PostgreSQL $meta, $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ), $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
printf '%-11s %-11s %11s %11s   %-22s %-30s %s\n' source tables collection re-collect "re-collection writes" "server RSS" check
for r in "${results[@]}"; do echo "$r"; done
exit $((failures > 0))

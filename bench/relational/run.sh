#!/usr/bin/env bash
# Relational benchmark: times Ferry against the native tools on the same 2,000,000-row MariaDB
# table, on three paths, and prints rows/s, CPU and peak RSS of each and the ratios.
#
#   bench/relational/run.sh [--reload] [--rows N] [--runs N] [--paths LIST] [--tools LIST] [--profile]
#
#   --reload        regenerate ferry_bench.orders even when it is already loaded
#   --rows N        rows to generate and move (default 2000000; the published figures use the default)
#   --runs N        timed runs of every path and tool; the table shows the median by wall time (default 1)
#   --paths LIST    comma-separated, of: postgresql, mariadb, csv, pgmariadb (default: all four;
#                   pgmariadb is PostgreSQL -> MariaDB, from a PostgreSQL copy of the source table)
#   --tools LIST    comma-separated, of: native, ferry (default: both)
#   --quiet P,S     before each timed run, wait up to S seconds (1 s samples) until other work keeps
#                   the CPUs at most P % busy (default 15,180; the table warns about runs that started busier)
#   --profile       after the timed runs, one more Ferry run per path with Java Flight Recorder,
#                   and the hottest frames of it (target/profile/)
#
# Environment: FERRY (the command that runs `ferry`, default the distribution's launcher
# ferry-dist/target/ferry/bin/ferry), FERRY_JAVA_OPTS (passed on to the launcher),
# MARIADB_HOST/MARIADB_PORT (127.0.0.1:3306, user root, no password),
# PG_HOST/PG_PORT (127.0.0.1:5432, user postgres, trust).
#
# Databases it owns (and leaves in place with the last run's data): MariaDB ferry_bench (source
# orders + bench_info), MariaDB ferry_bench_copy (target orders), PostgreSQL ferry_bench (target
# orders + orders_file_check). Generated files: bench/relational/target/ (git-ignored).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
target=$here/target

rows=2000000
runs=1
paths=postgresql,mariadb,csv,pgmariadb
tools=native,ferry
reload=false
profile=false
quiet_percent=15
quiet_wait=180
while [ $# -gt 0 ]; do
  case $1 in
    --reload) reload=true ;;
    --rows) rows=$2; shift ;;
    --runs) runs=$2; shift ;;
    --paths) paths=$2; shift ;;
    --tools) tools=$2; shift ;;
    --profile) profile=true ;;
    --quiet) quiet_percent=${2%,*}; quiet_wait=${2#*,}; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $rows =~ ^[1-9][0-9]*$ ]] || { echo "--rows: a positive integer, not '$rows'" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "--runs: a positive integer, not '$runs'" >&2; exit 2; }
for p in ${paths//,/ }; do
  case $p in postgresql | mariadb | csv | pgmariadb) ;; *) echo "--paths: unknown path '$p'" >&2; exit 2 ;; esac
done
for t in ${tools//,/ }; do
  case $t in native | ferry) ;; *) echo "--tools: unknown tool '$t'" >&2; exit 2 ;; esac
done
has() { [[ ",$1," == *",$2,"* ]]; }

MARIADB_HOST=${MARIADB_HOST:-127.0.0.1}
MARIADB_PORT=${MARIADB_PORT:-3306}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
export PGCLIENTENCODING=UTF8
maria=(mariadb -h"$MARIADB_HOST" -P"$MARIADB_PORT" -uroot --default-character-set=utf8mb4)
pg=(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -X -q -v ON_ERROR_STOP=1)
columns="id, customer_id, sku, qty, price, status, created_at, note"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }

for tool in mariadb psql /usr/bin/time awk; do
  command -v "$tool" >/dev/null || die "$tool not found (see bench/relational/README.md)"
done
[[ $(/usr/bin/time -v true 2>&1) == *"Maximum resident"* ]] || die "/usr/bin/time is not GNU time (apt-get install time)"

mkdir -p "$target/logs" "$target/out"

# ---------------------------------------------------------------------------------------------
# Checksums: count and the sum, over rows, of the first 32 bits of the MD5 of one canonical text
# form of the row, computed the same way in MariaDB and PostgreSQL:
#   id|customer_id|sku|qty|price|status|YYYY-MM-DD HH:MM:SS|note     (NULL written as \N)
# ---------------------------------------------------------------------------------------------
maria_checksum() { # DATABASE TABLE
  "${maria[@]}" -N -B "$1" -e "SELECT CONCAT(COUNT(*), ' ', IFNULL(SUM(CAST(CONV(LEFT(MD5(CONCAT_WS('|',
      id, customer_id, sku, qty, price, IFNULL(status, '\\\\N'), DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'),
      IFNULL(note, '\\\\N'))), 8), 16, 10) AS UNSIGNED)), 0)) FROM $2"
}
pg_checksum() { # TABLE
  "${pg[@]}" -d ferry_bench -At -c "SELECT count(*) || ' ' || coalesce(sum(('x' || left(md5(concat_ws('|',
      id, customer_id, sku, qty, price, coalesce(status, '\\N'), to_char(created_at, 'YYYY-MM-DD HH24:MI:SS'),
      coalesce(note, '\\N'))), 8))::bit(32)::bigint), 0) FROM $1"
}

# ---------------------------------------------------------------------------------------------
# Data: ferry_bench.orders, generated once (generate.sql); bench_info remembers for which
# generator text and row count, and the source checksum.
# ---------------------------------------------------------------------------------------------
generator_id="$(md5sum <"$here/generate.sql" | cut -c1-12)-$rows"
"${maria[@]}" -e "CREATE DATABASE IF NOT EXISTS ferry_bench CHARACTER SET utf8mb4;
  CREATE TABLE IF NOT EXISTS ferry_bench.bench_info (k VARCHAR(32) PRIMARY KEY, v VARCHAR(200));"
info() { "${maria[@]}" -N -B ferry_bench -e "SELECT v FROM bench_info WHERE k = '$1'"; }
loaded_id=$(info generator)
loaded_count=$("${maria[@]}" -N -B ferry_bench -e "SELECT COUNT(*) FROM orders" 2>/dev/null || echo none)
if $reload || [ "$loaded_id" != "$generator_id" ] || [ "$loaded_count" != "$rows" ]; then
  log "loading $rows rows into MariaDB ferry_bench.orders (generate.sql)"
  "${maria[@]}" ferry_bench -e "DROP TABLE IF EXISTS orders; DELETE FROM bench_info;"
  "${maria[@]}" ferry_bench <"$here/schema-mariadb.sql"
  start=$(date +%s.%N)
  sed "s/seq_1_to_2000000/seq_1_to_$rows/" "$here/generate.sql" | "${maria[@]}" ferry_bench
  "${maria[@]}" ferry_bench -e "ANALYZE TABLE orders" >/dev/null
  log "loaded in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s; computing its checksum"
  source_sum=$(maria_checksum ferry_bench orders)
  "${maria[@]}" ferry_bench -e "INSERT INTO bench_info VALUES ('generator', '$generator_id'), ('checksum', '$source_sum')"
else
  source_sum=$(info checksum)
  log "ferry_bench.orders already holds the $rows generated rows (--reload regenerates them)"
fi
[ "${source_sum%% *}" = "$rows" ] || die "source checksum '$source_sum' does not count $rows rows"
log "source: $source_sum (rows, checksum)"

# Targets: MariaDB ferry_bench_copy.orders, PostgreSQL ferry_bench.orders and orders_file_check.
# The source of the PostgreSQL -> MariaDB path: PostgreSQL ferry_bench.orders_source, a copy of
# the MariaDB table (its comment names the generator and row count it was copied from).
"${maria[@]}" -e "CREATE DATABASE IF NOT EXISTS ferry_bench_copy CHARACTER SET utf8mb4;
  DROP TABLE IF EXISTS ferry_bench_copy.orders;"
"${maria[@]}" ferry_bench_copy <"$here/schema-mariadb.sql"
if [ -z "$("${pg[@]}" -d postgres -At -c "SELECT 1 FROM pg_database WHERE datname = 'ferry_bench'")" ]; then
  "${pg[@]}" -d postgres -c "CREATE DATABASE ferry_bench ENCODING 'UTF8' TEMPLATE template0"
fi
"${pg[@]}" -d ferry_bench -c "SET client_min_messages = warning" -f "$here/schema-postgresql.sql"
if has "$paths" pgmariadb; then
  if [ "$("${pg[@]}" -d ferry_bench -At -c "SELECT obj_description('orders_source'::regclass)" 2>/dev/null)" != "$generator_id" ]; then
    log "copying the source table to PostgreSQL ferry_bench.orders_source (the PostgreSQL -> MariaDB path's source)"
    "${pg[@]}" -d ferry_bench -c "SET client_min_messages = warning" -c "DROP TABLE IF EXISTS orders_source" \
      -c "CREATE TABLE orders_source (LIKE orders INCLUDING ALL)"
    "${maria[@]}" --quick -B -N ferry_bench -e "SELECT $columns FROM orders" |
      "${pg[@]}" -d ferry_bench -c "COPY orders_source ($columns) FROM STDIN WITH (FORMAT text, NULL 'NULL')"
    "${pg[@]}" -d ferry_bench -c "VACUUM ANALYZE orders_source" -c "COMMENT ON TABLE orders_source IS '$generator_id'"
  fi
  [ "$(pg_checksum orders_source)" = "$source_sum" ] || die "PostgreSQL ferry_bench.orders_source does not match the source: drop it and run again"
fi

# SELECT ... INTO OUTFILE writes where secure_file_priv allows: anywhere when it is empty (and,
# on MariaDB, when it is NULL), then into target/server, writable by the server's user; only into
# its folder when it names one; nowhere on MySQL when it is NULL.
server_dir=
if has "$paths" mariadb && has "$tools" native; then
  priv=$("${maria[@]}" -N -B -e "SELECT IFNULL(@@secure_file_priv, '<NULL>')")
  if [ "$priv" = '<NULL>' ] && "${maria[@]}" -N -B -e "SELECT VERSION()" | grep -qi mariadb; then priv=; fi
  case $priv in
    '<NULL>') die "MySQL's secure_file_priv is NULL: SELECT ... INTO OUTFILE is disabled (leave out --paths mariadb or --tools native)" ;;
    '') server_dir=$target/server; mkdir -p "$server_dir"; chmod 1777 "$server_dir" ;;
    *) server_dir=${priv%/} ;;
  esac
fi

# ---------------------------------------------------------------------------------------------
# Ferry: FERRY if set; else the distribution's launcher when it has the mysql, postgresql and file
# connectors; else (a distribution not built, or built without working JDBC connector folders)
# `java -cp` over the installed artifacts (~/.m2, from `./mvnw install`): ferry-cli and the three
# connectors with their dependencies, resolved by a scratch pom in target/ferry-classpath/. Both
# run io.ferry.cli.Ferry with the launcher's default JVM options (FERRY_JAVA_OPTS replaces them).
# ---------------------------------------------------------------------------------------------
# The launcher's defaults (ferry-dist/src/main/bin/ferry).
default_java_opts="-Xms256m -Xmx256m -XX:+UseSerialGC -XX:NewRatio=1 -XX:SurvivorRatio=4 -XX:TargetSurvivorRatio=90 -XX:Tier4InvocationThreshold=20000 -XX:Tier4CompileThreshold=40000 -XX:Tier4MinInvocationThreshold=2000"
launcher=$repo/ferry-dist/target/ferry/bin/ferry
ferry_kind=
ferry_has_connectors() { # COMMAND...: lists mysql, postgresql and file
  local installed
  installed=" $({ "$@" connectors 2>/dev/null || true; } | awk 'NR > 1 { print $1 }' | tr '\n' ' ')"
  [[ $installed == *" mysql "* && $installed == *" postgresql "* && $installed == *" file "* ]]
}
build_classpath() {
  local dir=$target/ferry-classpath version
  version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$repo/pom.xml" | head -1)
  mkdir -p "$dir"
  cat >"$dir/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by bench/relational/run.sh: the class path of ferry-cli plus the connectors the benchmark uses. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>io.ferry</groupId><artifactId>ferry-parent</artifactId><version>$version</version>
    <relativePath>$repo/pom.xml</relativePath>
  </parent>
  <artifactId>ferry-bench-relational-classpath</artifactId>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>io.ferry</groupId><artifactId>ferry-cli</artifactId><version>\${project.version}</version></dependency>
    <dependency><groupId>io.ferry</groupId><artifactId>ferry-connector-mysql</artifactId><version>\${project.version}</version></dependency>
    <dependency><groupId>io.ferry</groupId><artifactId>ferry-connector-postgresql</artifactId><version>\${project.version}</version></dependency>
    <dependency><groupId>io.ferry</groupId><artifactId>ferry-connector-file</artifactId><version>\${project.version}</version></dependency>
  </dependencies>
</project>
POM
  local mvn=("$repo/mvnw" -q -f "$dir/pom.xml" dependency:build-classpath -Dmdep.outputFile="$dir/classpath.txt" -DincludeScope=runtime)
  "${mvn[@]}" -o >"$dir/mvn.log" 2>&1 || "${mvn[@]}" >"$dir/mvn.log" 2>&1 ||
    die "cannot resolve Ferry's artifacts (target/ferry-classpath/mvn.log): run ./mvnw -q install -DskipTests first"
}
if has "$tools" ferry; then
  if [ -n "${FERRY:-}" ]; then
    read -ra ferry <<<"$FERRY"
    ferry_kind=custom
    ferry_has_connectors "${ferry[@]}" || die "FERRY='$FERRY' does not list the mysql, postgresql and file connectors"
  elif [ -x "$launcher" ] && ferry_has_connectors "$launcher"; then
    ferry=("$launcher")
    ferry_kind=launcher
  else
    log "the distribution ($launcher) is missing or lacks working mysql/postgresql/file connectors: running Ferry from the installed artifacts' class path"
    build_classpath
    ferry_kind=classpath
    ferry=(java -cp "$(cat "$target/ferry-classpath/classpath.txt")" io.ferry.cli.Ferry)
    ferry_has_connectors java ${FERRY_JAVA_OPTS-$default_java_opts} "${ferry[@]:1}" ||
      die "the class path in target/ferry-classpath/classpath.txt does not list the mysql, postgresql and file connectors"
  fi
  export FERRY_STATE_DIR=$target/state
  case $ferry_kind in
    launcher) ferry_desc="the distribution's launcher, ferry-dist/target/ferry/bin/ferry" ;;
    classpath) ferry_desc="java -cp <installed ferry-cli + mysql, postgresql, file connectors> io.ferry.cli.Ferry (target/ferry-classpath/classpath.txt; newest jar $(tr ':' '\n' <"$target/ferry-classpath/classpath.txt" | grep /io/ferry/ | xargs ls -t | head -1 | xargs date +%H:%M -r))" ;;
    custom) ferry_desc="FERRY=$FERRY" ;;
  esac
  log "Ferry: $ferry_desc"
fi

# ---------------------------------------------------------------------------------------------
# Measuring. Client side: GNU time over the command (user+sys of it and its children; peak RSS of
# the largest process). Server side: CPU of mariadbd and all postgres processes (their own time,
# plus the postmaster's reaped backends), read from /proc before and after.
# ---------------------------------------------------------------------------------------------
clk_tck=$(getconf CLK_TCK)
# The servers' processes: the mariadbd of MARIADB_PORT (its pid file) and the postmaster of PG_PORT
# (postmaster.pid in its data directory) with its children; when a pid cannot be read (a remote
# server, no permission), every local mariadbd/mysqld/postgres process as before. Other servers
# on the machine (tests start their own) are then left out; other clients of the same servers are
# not.
maria_pid=$(cat "$("${maria[@]}" -N -B -e "SELECT @@pid_file" 2>/dev/null)" 2>/dev/null || true)
pg_pid=$(head -1 "$("${pg[@]}" -d postgres -At -c "SHOW data_directory" 2>/dev/null)/postmaster.pid" 2>/dev/null || true)
server_ticks() {
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v mp="$maria_pid" -v pp="$pg_pid" '
    { op = index($0, "("); cl = index($0, ") "); name = substr($0, op + 1, cl - op - 1)
      pid = substr($0, 1, op - 2)
      n = split(substr($0, cl + 2), f, " ")
      if (mp != "" && pp != "") { if (pid != mp && pid != pp && f[2] != pp) next }
      else if (name != "mariadbd" && name != "mysqld" && name != "postgres") next
      t += f[12] + f[13] + f[14] + f[15] }
    END { printf "%d\n", t }'
}

# The CPU of the PostgreSQL backends serving database ferry_bench, the benchmark's own sessions
# (the server CPU above also counts other work on the same servers): each backend's user+sys
# ticks, sampled every 0.1 s while a command runs, the last sample of each summed (a backend's
# last < 0.1 s is missed). pg_backend_sampler FILE runs until killed; pg_backend_ticks FILE sums.
pg_backend_sampler() {
  while :; do
    for pid in $(pgrep -f '^postgres: (.*: )?[^ ]+ ferry_bench ' || true); do
      stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
      echo "$pid ${stat##*) }"
    done
    sleep 0.1
  done >"$1"
}
pg_backend_ticks() {
  awk '{ t[$1] = $13 + $14 } END { for (p in t) s += t[p]; printf "%d\n", s }' "$1"
}

# The share of all CPUs busy during one second (other work on the machine skews the timings).
busy_percent() {
  local a b
  a=$(head -1 /proc/stat)
  sleep 1
  b=$(head -1 /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ")
    for (i = 2; i <= 9; i++) { d = y[i] - x[i]; total += d; if (i == 5 || i == 6) idle += d }
    printf "%.0f\n", total ? 100 * (total - idle) / total : 0 }'
}

quiesce() {
  sync
  "${pg[@]}" -d ferry_bench -c CHECKPOINT
}

results=$target/results.txt
: >"$results"
failed=0

# measure PATH TOOL RUN VERIFY_FUNCTION COMMAND...
measure() {
  local path=$1 tool=$2 run=$3 verify=$4
  shift 4
  local name="$path-$tool-$run" tf="$target/logs/$path-$tool-$run.time" out="$target/logs/$path-$tool-$run.log"
  quiesce
  local load waited=0
  load=$(busy_percent)
  while [ "$load" -gt "$quiet_percent" ] && [ "$waited" -lt "$quiet_wait" ]; do
    [ "$waited" -eq 0 ] && log "the machine is $load % busy with other work: waiting up to $quiet_wait s for it to calm down"
    waited=$((waited + 1))
    load=$(busy_percent)
  done
  local s0 s1 status=0 sampler
  s0=$(server_ticks)
  pg_backend_sampler "$tf.pg" &
  sampler=$!
  /usr/bin/time -v -o "$tf" "$@" >"$out" 2>&1 || status=$?
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  s1=$(server_ticks)
  local check
  if [ "$status" -ne 0 ]; then
    check="FAILED (exit $status, see target/logs/$name.log)"
    tail -20 "$out" >&2
  else
    local got
    got=$("$verify" 2>&1) || got="verification failed: $(echo "$got" | tail -1)"
    if [ "$got" = "$source_sum" ]; then check="ok"; else check="MISMATCH: $got, source $source_sum"; fi
  fi
  [ "$check" = ok ] || failed=1
  awk -v path="$path" -v tool="$tool" -v run="$run" -v rows="$rows" -v server="$(((s1 - s0)))" \
      -v tck="$clk_tck" -v check="$check" -v busy="$load" -v pgb="$(pg_backend_ticks "$tf.pg")" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = 0; for (i = 1; i <= n; i++) wall = wall * 60 + p[i] }
    /User time/ { user = $2 } /System time/ { sys = $2 } /Maximum resident/ { rss = $2 }
    END { printf "%s\t%s\t%d\t%.2f\t%.2f\t%.2f\t%.0f\t%s\t%d\t%.2f\n", path, tool, run, wall, user + sys, server / tck, rss / 1024, check, busy, pgb / tck }' \
    "$tf" >>"$results"
  log "$(tail -1 "$results" | awk -F'\t' '{ printf "%-10s %-6s run %d: %6.2f s wall, %6.2f s CPU, %6.2f s server CPU (PostgreSQL backends %.2f s), %4d MB, %s", $1, $2, $3, $4, $5, $6, $10, $7, $8 }') (machine busy before: $load %)"
}

verify_pg() { pg_checksum orders; }
verify_maria() { maria_checksum ferry_bench_copy orders; }
verify_file() { # FILE COPY_OPTIONS
  "${pg[@]}" -d ferry_bench -c "TRUNCATE orders_file_check" \
    -c "COPY orders_file_check ($columns) FROM STDIN WITH ($2)" <"$1"
  pg_checksum orders_file_check
}
verify_native_tsv() { verify_file "$target/out/orders-native.tsv" "FORMAT text, NULL 'NULL'"; }
verify_ferry_csv() { verify_file "$target/out/orders-ferry.csv" "FORMAT csv, HEADER true"; }

select_sql="SELECT $columns FROM orders"
mariadb_cli="${maria[*]} --quick -B -N ferry_bench"

# The native commands. `mariadb -B` escapes tab, LF, backslash and NUL as COPY's text format does,
# but prints NULL as the word NULL: COPY reads it with NULL 'NULL' (the data holds no text NULL).
native_postgresql="$mariadb_cli -e \"$select_sql\" | ${pg[*]} -d ferry_bench -c \"COPY orders ($columns) FROM STDIN WITH (FORMAT text, NULL 'NULL')\""
native_csv="$mariadb_cli -e \"$select_sql\" > $target/out/orders-native.tsv"
# PostgreSQL's COPY text escapes tab, LF, CR and backslash and writes NULL as \N, which LOAD DATA's
# defaults (tab-separated, backslash escapes) read back; the data holds no \b, \f or \v.
native_pgmariadb="${pg[*]} -d ferry_bench -c \"COPY orders_source ($columns) TO STDOUT\" | ${maria[*]} --local-infile=1 ferry_bench_copy -e \"LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE orders CHARACTER SET utf8mb4 ($columns)\""
native_mariadb="${maria[*]} ferry_bench -e \"SELECT $columns INTO OUTFILE '$server_dir/orders.tsv' CHARACTER SET utf8mb4 FROM orders\" && ${maria[*]} ferry_bench_copy -e \"LOAD DATA INFILE '$server_dir/orders.tsv' INTO TABLE orders CHARACTER SET utf8mb4 ($columns)\""

# ferry_command PATH [EXTRA_JVM_OPTIONS]: sets cmd to the `ferry run` command line of that path's job.
ferry_command() {
  local opts="${FERRY_JAVA_OPTS-$default_java_opts}${2:+ $2}"
  case $ferry_kind in
    classpath) read -ra cmd <<<"java $opts"; cmd+=("${ferry[@]:1}") ;;
    *) if [ -n "${2:-}" ]; then cmd=(env "FERRY_JAVA_OPTS=$opts" "${ferry[@]}"); else cmd=("${ferry[@]}"); fi ;;
  esac
  cmd+=(run)
  case $1 in
    postgresql) cmd+=("$here/mariadb-to-postgresql.yaml" --param "pgHost=$PG_HOST" --param "pgPort=$PG_PORT") ;;
    mariadb) cmd+=("$here/mariadb-to-mariadb.yaml") ;;
    csv) cmd+=("$here/mariadb-to-csv.yaml" --param "output=$target/out/orders-ferry.csv") ;;
    pgmariadb) cmd+=("$here/postgresql-to-mariadb.yaml" --param "pgHost=$PG_HOST" --param "pgPort=$PG_PORT") ;;
  esac
  cmd+=(--param "mariadbHost=$MARIADB_HOST" --param "mariadbPort=$MARIADB_PORT")
}

prepare_target() { # PATH TOOL
  case $1 in
    postgresql) "${pg[@]}" -d ferry_bench -c "TRUNCATE orders" ;;
    pgmariadb) "${maria[@]}" ferry_bench_copy -e "TRUNCATE orders" ;;
    mariadb)
      "${maria[@]}" ferry_bench_copy -e "TRUNCATE orders"
      if [ "$2" = native ]; then rm -f "$server_dir/orders.tsv"; fi ;;
    csv) rm -f "$target/out/orders-$2".* ;;
  esac
}
cleanup_after() { # PATH TOOL: drop the big intermediate files once verified
  case $1 in
    mariadb) if [ "$2" = native ]; then rm -f "$server_dir/orders.tsv"; fi ;;
    csv) rm -f "$target/out/orders-$2".* ;;
  esac
}

# Warm-up, untimed: one Ferry run of the first path, so that the launcher's class-data archive
# exists (the first run of an installation writes it as it exits) and every timed run starts as
# a user's later runs do.
if has "$tools" ferry; then
  first=${paths%%,*}
  prepare_target "$first" ferry
  ferry_command "$first"
  log "warm-up: one untimed Ferry run of $first"
  "${cmd[@]}" >"$target/logs/warm-up.log" 2>&1 || die "the warm-up run failed: see target/logs/warm-up.log"
  cleanup_after "$first" ferry
fi

for run in $(seq 1 "$runs"); do
  for path in ${paths//,/ }; do
    for tool in ${tools//,/ }; do
      prepare_target "$path" "$tool"
      if [ "$tool" = native ]; then
        cmd_var=native_$path
        case $path in postgresql) v=verify_pg ;; mariadb | pgmariadb) v=verify_maria ;; csv) v=verify_native_tsv ;; esac
        measure "$path" native "$run" "$v" bash -o pipefail -c "${!cmd_var}"
      else
        case $path in postgresql) v=verify_pg ;; mariadb | pgmariadb) v=verify_maria ;; csv) v=verify_ferry_csv ;; esac
        ferry_command "$path"
        measure "$path" ferry "$run" "$v" "${cmd[@]}"
      fi
      cleanup_after "$path" "$tool"
    done
  done
done

# ---------------------------------------------------------------------------------------------
# The table: per path and tool the run with the median wall time, then Ferry/native ratios.
# ---------------------------------------------------------------------------------------------
cores=$(nproc)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
java_version=$({ java -version 2>&1 || true; } | head -1 | sed 's/.*"\(.*\)".*/\1/')
maria_version=$("${maria[@]}" -N -B -e "SELECT VERSION()")
pg_version=$("${pg[@]}" -d postgres -At -c "SHOW server_version")
echo
echo "Relational paths: $(echo "$rows" | sed ':a; s/\B[0-9]\{3\}\>/,&/; ta') rows of MariaDB ferry_bench.orders; median of $runs run(s) by wall time"
echo "Machine: $cores cores, $mem, $(. /etc/os-release && echo "$PRETTY_NAME"); OpenJDK $java_version, MariaDB $maria_version, PostgreSQL $pg_version; $(date +%Y-%m-%d)"
if has "$tools" ferry; then
  if [ -n "${FERRY_JAVA_OPTS+set}" ]; then jvm="FERRY_JAVA_OPTS=$FERRY_JAVA_OPTS"; else jvm="$default_java_opts (the launcher's default)"; fi
  echo "Ferry: $ferry_desc; JVM options: $jvm"
  echo "Repository HEAD: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo ' with uncommitted changes')"
fi
echo
sort -t$'\t' -k1,1 -k2,2 -k4,4n "$results" | awk -F'\t' -v quiet="$quiet_percent" -v rows="$rows" -v runs="$runs" -v order="$paths" '
  { key = $1 SUBSEP $2; n[key]++; line[key, n[key]] = $0 }
  END {
    label["postgresql"] = "mariadb -> postgresql"; label["mariadb"] = "mariadb -> mariadb"; label["csv"] = "mariadb -> csv file"; label["pgmariadb"] = "postgresql -> mariadb"
    printf "%-22s %-7s %8s %10s %10s %10s %10s %9s  %s\n", "path", "tool", "wall s", "rows/s", "CPU s", "server s", "pg bk s", "RSS MB", "target check"
    np = split(order, paths, ",")
    for (i = 1; i <= np; i++) {
      p = paths[i]
      for (t = 1; t <= 2; t++) {
        tool = t == 1 ? "native" : "ferry"; key = p SUBSEP tool
        if (!(key in n)) continue
        split(line[key, int((n[key] + 1) / 2)], f, "\t")
        wall[key] = f[4]; cpu[key] = f[5]; srv[key] = f[6]; rss[key] = f[7]; ok[key] = f[8] == "ok"; pgb[key] = f[10]
        printf "%-22s %-7s %8.2f %10s %10.2f %10.2f %10.2f %9d  %s\n", label[p], tool, f[4], commas(rows / f[4]), f[5], f[6], f[10], f[7], f[8]
        if (f[9] > quiet) busy = busy sprintf("\nwarning: %s %s run %d started with the machine %d %% busy with other work", p, tool, f[3], f[9])
      }
    }
    header = 0
    for (i = 1; i <= np; i++) {
      p = paths[i]; nk = p SUBSEP "native"; fk = p SUBSEP "ferry"
      if (!(nk in wall) || !(fk in wall) || !ok[nk] || !ok[fk]) continue
      if (!header) {
        printf "\n%-22s %10s %22s %22s %14s\n", "Ferry / native", "rows/s", "CPU (client+server)", "CPU (client+pg bk)", "peak RSS"
        header = 1
      }
      printf "%-22s %9.2fx %21.2fx %21s %9d MB vs %d MB\n", label[p], wall[nk] / wall[fk],
        (cpu[fk] + srv[fk]) / (cpu[nk] + srv[nk]),
        p == "postgresql" || p == "pgmariadb" ? sprintf("%.2fx", (cpu[fk] + pgb[fk]) / (cpu[nk] + pgb[nk])) : "-", rss[fk], rss[nk]
    }
    if (busy != "") print busy
  }
  function commas(x,   s) { s = sprintf("%.0f", x); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]([^0-9]|$)/, ",&", s); return s }'
echo
echo "CPU s = user+sys of the client command (mariadb|psql, mariadb client, or the Ferry JVM); server s = CPU of mariadbd and postgres meanwhile"
echo "(all their work, other clients' too); pg bk s = CPU of the PostgreSQL backends serving database ferry_bench (this benchmark's only)."
echo "Ratios above 1 are better for rows/s, below 1 better for CPU."
echo "Logs and GNU time output: bench/relational/target/logs/"

# ---------------------------------------------------------------------------------------------
# --profile: one more Ferry run per path under Java Flight Recorder; the hottest frames.
# ---------------------------------------------------------------------------------------------
if $profile && has "$tools" ferry; then
  command -v jfr >/dev/null || die "--profile needs the JDK's jfr tool on the PATH"
  mkdir -p "$target/profile"
  for path in ${paths//,/ }; do
    prepare_target "$path" ferry
    quiesce
    rec=$target/profile/$path.jfr
    rm -f "$rec"
    ferry_command "$path" "-XX:StartFlightRecording=filename=$rec,settings=profile"
    "${cmd[@]}" >"$target/logs/$path-ferry-profile.log" 2>&1 || die "profiled run of $path failed: see target/logs/$path-ferry-profile.log"
    cleanup_after "$path" ferry
    jfr print --stack-depth 64 --events jdk.ExecutionSample "$rec" >"$target/profile/$path.samples.txt"
    {
      echo "== $path: samples per thread"
      awk '/sampledThread = / { sub(/.*sampledThread = "/, ""); sub(/".*/, ""); gsub(/[0-9]+$/, "N"); print }' \
        "$target/profile/$path.samples.txt" | sort | uniq -c | sort -rn | head -10
      echo "== $path: top frames (self)"
      awk '/stackTrace = \[/ { getline; sub(/^ +/, ""); sub(/ +line:.*/, ""); print }' \
        "$target/profile/$path.samples.txt" | sort | uniq -c | sort -rn | head -25
      echo "== $path: nearest Ferry method on the stack (time in it and in the JDK/driver code it calls)"
      awk '/stackTrace = \[/ { f = "(no Ferry frame)"
          while ((getline l) > 0 && l !~ /^ *\]/) if (f == "(no Ferry frame)" && l ~ /^ *io\.ferry\./) { sub(/^ +/, "", l); sub(/ +line:.*/, "", l); f = l }
          print f }' "$target/profile/$path.samples.txt" | sort | uniq -c | sort -rn | head -20
      echo "== $path: top classes (self)"
      awk '/stackTrace = \[/ { getline; sub(/^ +/, ""); sub(/\(.*/, ""); sub(/\.[^.]*$/, ""); print }' \
        "$target/profile/$path.samples.txt" | sort | uniq -c | sort -rn | head -15
    } | tee "$target/profile/$path.top.txt"
  done
fi
exit "$failed"

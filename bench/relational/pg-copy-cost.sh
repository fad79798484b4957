#!/usr/bin/env bash
# What a COPY FROM STDIN of the benchmark's 2,000,000 rows costs one PostgreSQL backend, by format
# and shape, without Ferry: the CPU (user+sys) of each backend, read from /proc/<pg_backend_pid()>/stat
# just before it disconnects, so other work on the machine does not count.
#
#   bench/relational/pg-copy-cost.sh [RUNS]     (after bench/relational/run.sh --paths pgmariadb)
#
# Shapes, each into the emptied ferry_bench.orders (primary key on id) after a CHECKPOINT:
#   text      one COPY of all rows in key order, text format (what psql does for the native pipe)
#   binary    the same rows in binary format (what Ferry's sink sends since issue 16)
#   text-2    two COPYs at once, each one half of the key range, one transaction each
#   binary-2  the same in binary
# Files: bench/relational/target/copy-cost/ (2 x ~300 MB, made once from the PostgreSQL table).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$here/target/copy-cost
runs=${1:-2}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
pg=(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -X -q -v ON_ERROR_STOP=1 -d ferry_bench)
cols="(id, customer_id, sku, qty, price, status, created_at, note)"
mkdir -p "$dir"
# The rows: PostgreSQL's copy of the source table (run.sh --paths pgmariadb makes it).
src=$("${pg[@]}" -At -c "SELECT count(*) FROM orders_source" 2>/dev/null || true)
[ "${src:-0}" -gt 0 ] ||
  { echo "ferry_bench.orders_source is missing: run bench/relational/run.sh --paths pgmariadb --tools native first" >&2; exit 1; }
if [ ! -s "$dir/b.bin" ]; then
  half=$("${pg[@]}" -At -c "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY id) FROM orders_source")
  for f in text binary; do
    "${pg[@]}" -c "\\copy (SELECT * FROM orders_source ORDER BY id) TO '$dir/all.$f' WITH (FORMAT $f)"
    "${pg[@]}" -c "\\copy (SELECT * FROM orders_source WHERE id <= $half ORDER BY id) TO '$dir/a.$f' WITH (FORMAT $f)"
    "${pg[@]}" -c "\\copy (SELECT * FROM orders_source WHERE id > $half ORDER BY id) TO '$dir/b.$f' WITH (FORMAT $f)"
  done
  mv "$dir/all.binary" "$dir/all.bin"; mv "$dir/a.binary" "$dir/a.bin"; mv "$dir/b.binary" "$dir/b.bin"
fi
copy() { # FILE FORMAT: one session, one COPY; prints the backend's CPU seconds
  { echo "SELECT pg_backend_pid() AS bpid \\gset"
    echo "\\setenv BPID :bpid"
    echo "\\copy orders $cols FROM '$1' WITH (FORMAT $2)"
    echo "\\! awk -v t=$(getconf CLK_TCK) '{ printf \"%.2f\\n\", (\$14 + \$15) / t }' /proc/\$BPID/stat"
  } | "${pg[@]}"
}
reset() { "${pg[@]}" -c "TRUNCATE orders" -c CHECKPOINT; }
printf '%-9s %s\n' shape "backend CPU s (per run; two sessions: their sum)  index MB"
for run in $(seq 1 "$runs"); do
  for shape in text binary text-2 binary-2; do
    reset
    case $shape in
      text) s=$(copy "$dir/all.text" text) ;;
      binary) s=$(copy "$dir/all.bin" binary) ;;
      text-2 | binary-2)
        f=${shape%-2}; ext=$([ "$f" = binary ] && echo bin || echo text)
        copy "$dir/a.$ext" "$f" >"$dir/cpu.a" & copy "$dir/b.$ext" "$f" >"$dir/cpu.b" & wait
        s=$(awk '{ s += $1 } END { printf "%.2f", s }' "$dir/cpu.a" "$dir/cpu.b") ;;
    esac
    printf '%-9s %6s  %6.0f\n' "$shape" "$s" "$("${pg[@]}" -At -c "SELECT pg_relation_size('orders_pkey') / 1048576.0")"
  done
done

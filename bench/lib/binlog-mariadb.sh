# Sourced by the change-capture benchmarks: starts a MariaDB of the benchmark's own with the
# binlog on (ROW, FULL image and metadata) on a free port, data under $1/mariadb, logs under $1/logs.
# Sets: port, mariadbd_pid, src (the mariadb client command as an array). Stop it with
# stop_binlog_mariadb. Needs die() from the caller.
start_binlog_mariadb() {
  local target=$1
  rm -rf "$target/mariadb" && mkdir -p "$target/mariadb" "$target/logs"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$target/mariadb/data" \
    --auth-root-authentication-method=normal >"$target/logs/install.log" 2>&1
  mariadbd --no-defaults --user="$(id -un)" --datadir="$target/mariadb/data" --port="$port" \
    --bind-address=127.0.0.1 --socket="$target/mariadb/sock" --log-bin="$target/mariadb/data/binlog" \
    --binlog-format=ROW --binlog-row-image=FULL --binlog-row-metadata=FULL --server-id=1 \
    --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 --sync-binlog=0 \
    >"$target/logs/mariadbd.log" 2>&1 &
  mariadbd_pid=$!
  src=(mariadb -h127.0.0.1 -P"$port" -uroot)
  for _ in $(seq 1 100); do "${src[@]}" -e 'select 1' >/dev/null 2>&1 && break; sleep 0.1; done
  "${src[@]}" -e 'select 1' >/dev/null || die "the source MariaDB did not start (see $target/logs/mariadbd.log)"
}

stop_binlog_mariadb() {
  [ -n "${mariadbd_pid:-}" ] && kill "$mariadbd_pid" 2>/dev/null || true
}

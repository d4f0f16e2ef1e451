# Sourced by .ci/run: a throwaway PostgreSQL cluster for the history tests, from the
# distribution's packages, run by the `postgres` system user on a socket in a fresh folder,
# stopped when the run ends. Exports SHAKYO_TEST_POSTGRESQL (the tests' server URL).

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

start_postgresql() {
  if ! compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    { $sudo apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null; } ||
      { echo "warning: could not install PostgreSQL" >&2; return 1; }
  fi
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"  # whichever version the distribution has
  PG_DIR="$(mktemp -d /tmp/shakyo-pg.XXXXXX)"
  chmod 755 "$PG_DIR"
  chown postgres "$PG_DIR"
  as_postgres "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --no-locale --no-sync >/dev/null
  PG_CTL="$bin/pg_ctl"
  trap stop_postgresql EXIT
  as_postgres "$PG_CTL" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-c listen_addresses='' -k $PG_DIR -c fsync=off" start >/dev/null
  export SHAKYO_TEST_POSTGRESQL="postgresql://postgres@/postgres?host=$PG_DIR"
}

stop_postgresql() {
  as_postgres "$PG_CTL" -D "$PG_DIR/data" -m fast -w stop >/dev/null || true
  rm -rf "$PG_DIR"
}

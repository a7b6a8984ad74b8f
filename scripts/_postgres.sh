# Sourced by scripts/test: a local PostgreSQL for the database tests (Debian's package).
# ensure_postgres prints the DATABASE_URL to use; it starts the server when it
# can (as root), and creates the test role once. scripts/test installs the package.

ensure_postgres() {
  local version role=helpcenter password=helpcenter
  if [ -n "${HELPCENTER_TEST_POSTGRES:-}" ]; then  # a server of your own: postgres://…
    echo "$HELPCENTER_TEST_POSTGRES"
    return 0
  fi
  if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "PostgreSQL is needed for the database tests: apt-get install postgresql, or set HELPCENTER_TEST_POSTGRES=postgres://user:pw@host/db" >&2
    return 1
  fi
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
    pg_createcluster "$version" main >&2
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
    if [ "$(id -u)" != 0 ]; then
      echo "PostgreSQL $version is not running: sudo pg_ctlcluster $version main start" >&2
      return 1
    fi
    # Its notes (e.g. "Removed stale pid file." after a machine restart) go to stderr: only
    # the URL may reach stdout.
    pg_ctlcluster "$version" main start >&2 || return 1
  fi
  if [ "$(id -u)" = 0 ]; then
    su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='$role'\"" | grep -q 1 \
      || su postgres -c "psql -qc \"CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password'\"" >/dev/null
    su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='$role'\"" | grep -q 1 \
      || su postgres -c "createdb -O $role $role" >&2
  fi
  local port
  port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
  echo "postgres://$role:$password@127.0.0.1:$port/$role"
}

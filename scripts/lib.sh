# Shared helpers for the scripts in this folder (sourced, not run).
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Install Debian packages by name; apt-get update runs once per script.
APT_UPDATED=${APT_UPDATED:-}
apt_install() {
  local sudo=()
  if [ "$(id -u)" != 0 ]; then sudo=(sudo); fi
  if [ -z "$APT_UPDATED" ]; then
    say "apt-get update"
    "${sudo[@]}" apt-get update -qq
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The first PostgreSQL server binaries on this machine (Debian's layout).
pg_bindir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

# Start a throwaway PostgreSQL on 127.0.0.1:$1 with its own data directory;
# prints the data directory. Stop it with pg_throwaway_stop DIR.
pg_throwaway_start() {
  local port=$1 bindir dir runas=()
  if ! bindir=$(pg_bindir); then
    apt_install postgresql >&2
    bindir=$(pg_bindir)
  fi
  dir=$(mktemp -d /tmp/gongzhi-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root: run it as Debian's postgres user.
    chown postgres: "$dir"
    runas=(runuser -u postgres --)
  fi
  "${runas[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${runas[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
    "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  echo "$dir"
}

pg_throwaway_stop() {
  local dir=$1 bindir runas=()
  [ -d "$dir/data" ] || return 0
  bindir=$(pg_bindir) || return 0
  if [ "$(id -u)" = 0 ]; then runas=(runuser -u postgres --); fi
  "${runas[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

#!/usr/bin/env bash
# make demo: set up, start from a fresh SQLite database under var/ (the demo's database
# and uploaded photos are removed first), migrate, load the demo town as of today and
# serve it on http://127.0.0.1:$PORT (default 8000) with gunicorn, as production would
# (DEBUG off). Every run is a new demo whose present is counted from the day it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

PORT=${PORT:-8000}
if ! [[ "$PORT" =~ ^[0-9]+$ ]] || [ "$PORT" -lt 1 ] || [ "$PORT" -gt 65535 ]; then
  echo "PORT must be a port number (1 to 65535), not '$PORT'" >&2
  exit 2
fi

scripts/setup.sh
VAR_DIR=${GONGZHI_VAR_DIR:-var}
mkdir -p "$VAR_DIR"
if [ ! -s "$VAR_DIR/secret_key" ]; then
  python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > "$VAR_DIR/secret_key"
fi
export DJANGO_SECRET_KEY="$(cat "$VAR_DIR/secret_key")"
export DJANGO_DEBUG=0
# Plain http on this machine: no HTTPS redirect, cookies not marked Secure.
export DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_HSTS_SECONDS=0
export GONGZHI_SERVE_MEDIA=1
# The demo lives in the var directory only: never in a database or media root named
# elsewhere in the environment (it is removed and rebuilt on every run).
unset DATABASE_URL DJANGO_MEDIA_ROOT

say "database (SQLite, $VAR_DIR/gongzhi.sqlite3): removed and made afresh"
rm -f "$VAR_DIR/gongzhi.sqlite3" "$VAR_DIR/gongzhi.sqlite3-wal" "$VAR_DIR/gongzhi.sqlite3-shm" \
  "$VAR_DIR/gongzhi.sqlite3-journal"
rm -rf "$VAR_DIR/media"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py collectstatic --noinput -v 0
say "demo data (the programme's history, and the present counted from today)"
.venv/bin/python manage.py seed_demo
say "serving http://127.0.0.1:$PORT (Ctrl-C stops; make demo again for a fresh demo)"
exec .venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
  --no-control-socket --access-logfile - --error-logfile -

#!/usr/bin/env bash
# make demo: set up, migrate the SQLite database under var/, load the demo town and
# serve it on http://127.0.0.1:8000 with gunicorn, as production would (DEBUG off).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

scripts/setup.sh
mkdir -p var
if [ ! -s var/secret_key ]; then
  python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
fi
export DJANGO_SECRET_KEY="$(cat var/secret_key)"
export DJANGO_DEBUG=0
# Plain http on this machine: no HTTPS redirect, cookies not marked Secure.
export DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_HSTS_SECONDS=0
export GONGZHI_SERVE_MEDIA=1

say "database (SQLite, var/gongzhi.sqlite3)"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py collectstatic --noinput -v 0
say "demo data"
.venv/bin/python manage.py seed_demo
say "serving http://127.0.0.1:8000 (Ctrl-C stops)"
exec .venv/bin/gunicorn config.wsgi:application --bind 127.0.0.1:8000 --workers 2 \
  --no-control-socket --access-logfile - --error-logfile -

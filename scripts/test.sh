#!/usr/bin/env bash
# make test: the whole suite on a throwaway PostgreSQL, again on SQLite, the browser
# tests in Debian's Chromium, lint and format, migrations and the deploy check.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

scripts/setup.sh

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
pg_bindir >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi

PG_PORT=$(free_port)
PG_DIR=$(pg_throwaway_start "$PG_PORT")
trap 'pg_throwaway_stop "$PG_DIR"' EXIT
PG_URL="postgres://postgres@127.0.0.1:${PG_PORT}/gongzhi"
# One pytest-xdist worker per core; --dist loadgroup keeps the tests that share a
# world built once (the demo year, the permission matrix) on one worker.
PYTEST=(.venv/bin/python -m pytest -q -p no:randomly -n auto --dist loadgroup)

say "unit and integration tests on PostgreSQL"
DATABASE_URL="$PG_URL" "${PYTEST[@]}" gongzhi

say "unit and integration tests on SQLite"
GONGZHI_VAR_DIR=$(mktemp -d) "${PYTEST[@]}" gongzhi

say "browser tests (Chromium) on PostgreSQL"
DATABASE_URL="$PG_URL" "${PYTEST[@]}" e2e

say "ruff (lint and format)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

say "migrations match the models"
DJANGO_DEBUG=1 .venv/bin/python manage.py makemigrations --check --dry-run

say "deploy check with production settings"
DJANGO_DEBUG=0 \
DJANGO_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" \
DJANGO_ALLOWED_HOSTS=gongzhi.example.org \
DATABASE_URL="$PG_URL" \
  .venv/bin/python manage.py check --deploy --fail-level WARNING

say "all checks passed"

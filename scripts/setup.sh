#!/usr/bin/env bash
# Prepare everything the project needs on this machine; safe to run again.
# Installs uv with pip when missing, never lets uv download a Python, installs the
# pinned Python and npm packages, copies (htmx) or builds (ECharts) the front-end assets
# into static/vendor and compiles translations.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

export UV_PYTHON_DOWNLOADS=never

if ! command -v uv >/dev/null 2>&1 && ! python3 -m uv --version >/dev/null 2>&1; then
  say "installing uv with pip"
  python3 -m pip install --quiet uv
fi
if command -v uv >/dev/null 2>&1; then UV=(uv); else UV=(python3 -m uv); fi

say "python environment (uv sync --locked)"
"${UV[@]}" sync --locked --python "$(command -v python3)" --quiet

if ! command -v npm >/dev/null 2>&1; then
  apt_install nodejs npm
fi
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.gongzhi-lock 2>/dev/null)" != "$lock_sum" ]; then
  say "front-end packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.gongzhi-lock
fi
mkdir -p static/vendor
cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
# ECharts with only the chart types and components the pages use (static/src/
# echarts-entry.js), not the whole dist bundle: about half the bytes on a phone.
npx --no-install esbuild static/src/echarts-entry.js --bundle --minify --format=iife \
  --global-name=echarts --target=es2017 --legal-comments=eof --log-level=warning \
  --define:process.env.NODE_ENV='"production"' --outfile=static/vendor/echarts.min.js

if ! command -v msgfmt >/dev/null 2>&1; then
  apt_install gettext
fi
DJANGO_DEBUG=1 .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

#!/usr/bin/env bash
# make bench [SCALE=town|district|city]: generate a data set of that scale in a
# throwaway PostgreSQL, serve the app with gunicorn on 127.0.0.1 as production
# would (DEBUG off), load every page with wrk for a bounded time and compare it with
# the floor page; prints the table and writes bench/results.json. See README.md,
# "Benchmark".
#
# Tunables (environment): BENCH_WORKERS (2), BENCH_WORKER_CLASS (sync),
# BENCH_DURATION (10 s per page), BENCH_WARMUP (2), BENCH_THREADS (2),
# BENCH_CONNECTIONS (8), BENCH_TIMEOUT (10), BENCH_ONLY (some measurements, comma-
# separated, e.g. "planning,batch launch"), BENCH_OUT (bench/results.json; with
# BENCH_ONLY, only the dated copy in bench/results/ unless BENCH_OUT is given),
# BENCH_REDIS (1: the cache in a throwaway Redis, as in production; 0: each worker's
# own memory), BENCH_SMS_SEND_SECONDS (10: how long "sms reminders" sends).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

SCALE=${SCALE:-town}
case "$SCALE" in
  town | district | city) ;;
  *) echo "SCALE must be town, district or city (not '$SCALE')" >&2; exit 2 ;;
esac
WORKERS=${BENCH_WORKERS:-2}
WORKER_CLASS=${BENCH_WORKER_CLASS:-sync}
USE_REDIS=${BENCH_REDIS:-1}

scripts/setup.sh
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
pg_bindir >/dev/null || missing+=(postgresql)
if [ "$USE_REDIS" = 1 ] && ! command -v redis-server >/dev/null 2>&1; then
  missing+=(redis-server)
fi
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi

SCRATCH=bench/results
mkdir -p "$SCRATCH"
RUN_DIR=$(mktemp -d /tmp/gongzhi-bench.XXXXXX)
PG_DIR=""
GUNICORN_PID=""
REDIS_PID=""
cleanup() {
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill -TERM "$GUNICORN_PID" 2>/dev/null || true
    wait "$GUNICORN_PID" 2>/dev/null || true
  fi
  if [ -n "$PG_DIR" ]; then pg_throwaway_stop "$PG_DIR"; fi
  if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
    kill -TERM "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT

say "PostgreSQL (throwaway, 127.0.0.1)"
PG_PORT=$(free_port)
PG_DIR=$(pg_throwaway_start "$PG_PORT")
"$(pg_bindir)/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres gongzhi_bench

CACHE="locmem cache per worker"
if [ "$USE_REDIS" = 1 ]; then
  # The cache (sessions' neighbours, allauth's rate limits) shared by the workers, as
  # production's REDIS_URL does: in memory only, gone with the run.
  say "Redis (throwaway, 127.0.0.1)"
  REDIS_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$RUN_DIR" --logfile "$RUN_DIR/redis.log" &
  REDIS_PID=$!
  export REDIS_URL="redis://127.0.0.1:${REDIS_PORT}/0"
  for _ in $(seq 1 50); do
    if .venv/bin/python -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).ping()" \
      "$REDIS_URL" 2>/dev/null; then break; fi
    sleep 0.1
  done
  CACHE="Redis $(redis-server --version | grep -o 'v=[0-9.]*' | cut -c3-) cache"
fi

# The same environment for migrate, the generator (its session is signed with the
# secret key) and the server: production settings over plain http.
export DATABASE_URL="postgres://postgres@127.0.0.1:${PG_PORT}/gongzhi_bench"
export DJANGO_DEBUG=0
DJANGO_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
export DJANGO_SECRET_KEY
export DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_HSTS_SECONDS=0
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_STATIC_ROOT="$RUN_DIR/static" DJANGO_MEDIA_ROOT="$RUN_DIR/media"
export GONGZHI_LOG_LEVEL=WARNING

say "migrate"
.venv/bin/python manage.py migrate --noinput -v 0
say "data set: $SCALE"
.venv/bin/python bench/generate.py --scale "$SCALE" --out "$SCRATCH/dataset.json"
.venv/bin/python manage.py collectstatic --noinput -v 0

PORT=$(free_port)
BASE_URL="http://127.0.0.1:${PORT}"
GUNICORN_VERSION=$(.venv/bin/gunicorn --version | awk '{print $NF}' | tr -d '()')
SERVER="gunicorn ${GUNICORN_VERSION}, ${WORKERS} ${WORKER_CLASS} workers, PostgreSQL $(pg_bindir | grep -o '[0-9]\+' | head -1), ${CACHE}, DEBUG off"
say "gunicorn on $BASE_URL ($WORKERS $WORKER_CLASS workers)"
.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:${PORT}" \
  --workers "$WORKERS" --worker-class "$WORKER_CLASS" --no-control-socket \
  --error-logfile "$SCRATCH/gunicorn.log" >>"$SCRATCH/gunicorn.log" 2>&1 &
GUNICORN_PID=$!

healthy() {
  python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
    "$BASE_URL/healthz" 2>/dev/null
}
for _ in $(seq 1 150); do
  if healthy; then break; fi
  if ! kill -0 "$GUNICORN_PID" 2>/dev/null; then
    echo "gunicorn exited; see $SCRATCH/gunicorn.log" >&2
    exit 1
  fi
  sleep 0.2
done
if ! healthy; then
  echo "gunicorn did not answer $BASE_URL/healthz within 30 s; see $SCRATCH/gunicorn.log" >&2
  exit 1
fi

say "load (wrk)"
status=0
ONLY_ARGS=()
OUT_ARGS=(--out "${BENCH_OUT:-bench/results.json}")
if [ -n "${BENCH_ONLY:-}" ]; then
  # e.g. BENCH_ONLY="planning,batch launch": only these measurements (comma-separated).
  IFS=, read -r -a only <<<"$BENCH_ONLY"
  ONLY_ARGS=(--only "${only[@]}")
  # A partial run does not replace the full one: only its dated copy, unless asked.
  OUT_ARGS=()
  if [ -n "${BENCH_OUT:-}" ]; then OUT_ARGS=(--out "$BENCH_OUT"); fi
fi
.venv/bin/python bench/run.py --base-url "$BASE_URL" --gunicorn-pid "$GUNICORN_PID" \
  --dataset "$SCRATCH/dataset.json" --server "$SERVER" --workers "$WORKERS" "${ONLY_ARGS[@]}" \
  "${OUT_ARGS[@]}" --scratch "$SCRATCH" || status=$?

kill -TERM "$GUNICORN_PID"
wait "$GUNICORN_PID" 2>/dev/null || true
GUNICORN_PID=""
if [ "$status" != 0 ]; then
  echo "benchmark failed; server log: $SCRATCH/gunicorn.log" >&2
fi
exit "$status"

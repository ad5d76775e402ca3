#!/usr/bin/env bash
# The whole test run, as CI does it: install everything, start the services, then lint,
# migrations check, deploy check, the full suite on PostgreSQL (browser tests and a real
# Celery worker on Redis included), a run on SQLite and a smoke test of the demo, and a
# lint of docker-compose.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
step() { printf '\n==> %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }

PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/buurtwijs}
REDIS=${TEST_REDIS_URL:-redis://127.0.0.1:6379/0}
PG_HOST=$(printf '%s' "$PG_URL" | sed -E 's#^[a-z]+://([^@/]*@)?([^:/]+).*#\2#')
PG_PORT=$(printf '%s' "$PG_URL" | sed -nE 's#^[a-z]+://([^@/]*@)?[^:/]+:([0-9]+).*#\2#p')
PG_PORT=${PG_PORT:-5432}

# --- Debian packages: chromium for the browser tests, redis-server, docker-compose (lint).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v pg_isready >/dev/null 2>&1 || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  step "Debian packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Please install these Debian packages first: ${missing[*]}" >&2; exit 1
  fi
  $SUDO apt-get update -qq
  # docker-compose only lints the file here; its recommends would pull in a Docker engine.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

step "Python and npm packages"
BUURTWIJS_DEV=1 scripts/setup.sh

# --- Services: use PostgreSQL and Redis if they run, start them if they do not.
step "PostgreSQL on $PG_HOST:$PG_PORT and Redis"
if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break; sleep 1; done
  fi
  pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || { echo "PostgreSQL is not reachable at $PG_HOST:$PG_PORT" >&2; exit 1; }
fi
if ! .venv/bin/python -c "import redis,sys; redis.Redis.from_url('$REDIS').ping()" 2>/dev/null; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 20); do
    .venv/bin/python -c "import redis; redis.Redis.from_url('$REDIS').ping()" 2>/dev/null && break; sleep 0.5
  done
fi

step "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

step "mypy (django-stubs)"
.venv/bin/mypy buurtwijs wijken accounts initiatieven signalen dashboard core opendata privacy wijkbudget peilingen outbox bewonersagenda wijkgesprek buurtverbinders

step "Layers of ARCHITECTURE.md (import-linter)"
.venv/bin/lint-imports

step "Migrations are complete"
.venv/bin/python manage.py makemigrations --check --dry-run

step "Deploy check with production settings"
DEBUG=false SECRET_KEY="ci-$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" \
  ALLOWED_HOSTS=buurtwijs.example.nl DATABASE_URL="$PG_URL" REDIS_URL="$REDIS" \
  .venv/bin/python manage.py check --deploy --fail-level WARNING
DEBUG=false SECRET_KEY="ci-$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" \
  ALLOWED_HOSTS=buurtwijs.example.nl STATIC_ROOT="$(mktemp -d)" \
  .venv/bin/python manage.py collectstatic --noinput -v 0

step "Test suites: PostgreSQL (browser tests, a real Celery worker) and, alongside, SQLite"
# The two runs share nothing (their own databases, caches and temporary folders), so
# the SQLite run (the embedded default, without browser, worker and the API fuzzer)
# goes alongside on the second core, at a lower priority so the browser tests keep
# their pace. Its output follows the PostgreSQL run's.
mkdir -p var
sqlite_log=var/test-sqlite.log
( env -u DATABASE_URL -u REDIS_URL nice -n 10 .venv/bin/pytest -q --durations=10 \
    -m "not browser and not worker and not api_fuzz" -p no:cacheprovider \
    >"$sqlite_log" 2>&1 ) &
sqlite_pid=$!
# Skipping is not allowed here: a missing browser or worker must fail the run.
pg_status=0
BUURTWIJS_REQUIRE_BROWSER=1 BUURTWIJS_REQUIRE_WORKER=1 DATABASE_URL="$PG_URL" \
  TEST_REDIS_URL="${REDIS%/*}/15" .venv/bin/pytest -q --durations=15 || pg_status=$?
sqlite_status=0
wait "$sqlite_pid" || sqlite_status=$?
step "Test suite on SQLite (ran alongside): its output"
cat "$sqlite_log"
if [ "$pg_status" != 0 ] || [ "$sqlite_status" != 0 ]; then
  echo "Tests failed: PostgreSQL run exit $pg_status, SQLite run exit $sqlite_status" >&2
  exit 1
fi

step "Smoke test: the README's demo on SQLite answers"
scripts/smoke.sh

step "docker-compose.yml"
created_env=""
if [ ! -f .env ]; then cp .env.example .env; created_env=1; fi
docker-compose -f docker-compose.yml config -q
[ -n "$created_env" ] && rm -f .env

step "All checks passed in $(( $(date +%s) - started ))s"

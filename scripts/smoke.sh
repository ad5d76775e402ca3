#!/usr/bin/env bash
# Start the embedded demo on a fresh SQLite file and check that its pages answer.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
port=${SMOKE_PORT:-8765}
export SQLITE_PATH="$tmp/smoke.sqlite3"
env -u DATABASE_URL -u REDIS_URL .venv/bin/python manage.py migrate --noinput -v 0
env -u DATABASE_URL -u REDIS_URL .venv/bin/python manage.py load_demo >"$tmp/demo.log"
env -u DATABASE_URL -u REDIS_URL .venv/bin/python manage.py runserver "127.0.0.1:$port" --noreload >"$tmp/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 40); do
  curl -fs "http://127.0.0.1:$port/health/" >/dev/null 2>&1 && break; sleep 0.25
done
fail() { echo "smoke: $*" >&2; cat "$tmp/server.log" >&2; exit 1; }
# Each page is read whole before grep: grep -q would close the pipe early, and with
# pipefail curl's broken pipe would count as a failure.
page() { curl -fsS "http://127.0.0.1:$port$1"; }
health=$(page /health/) || fail "/health/ does not answer"
grep -q '"status": "ok"' <<<"$health" || fail "/health/ is not ok: $health"
home=$(page /) || fail "/ does not answer"
grep -q 'lang="nl"' <<<"$home" || fail "home page is not Dutch"
grep -q 'data-bw-map' <<<"$home" || fail "home page has no map"
wijk=$(grep -oE '/wijk/WK[0-9]{6}/' <<<"$home" | head -n 1)
[ -n "$wijk" ] || fail "home page links no wijk"
wijk_page=$(page "$wijk") || fail "$wijk does not answer"
grep -q 'data-bw-map' <<<"$wijk_page" || fail "$wijk has no map"
login=$(page /account/login/) || fail "/account/login/ does not answer"
grep -q 'name="password"' <<<"$login" || fail "login page has no password field"
echo "smoke: demo on SQLite serves /, $wijk, /account/login/ and /health/"

#!/usr/bin/env bash
# The embedded demo: no services needed. SQLite, tasks run at once, e-mail to the console.
# PORT=8001 make run   serves on another port (default 8000).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
# Links in e-mails (also those the scheduler sends) point at the address served below.
export PORT
export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}
BUURTWIJS_SCRUBBER_WARM=background scripts/setup.sh
mkdir -p var
# deduce (the scrubber of signal text) needs a lookup cache, built once per machine: a
# few minutes. Build it beside the rest of the start-up instead of before it.
echo "==> Scrubber lookup cache: prepared in the background (first time on this machine:"
echo "    a few minutes; log: var/scrubber-warm.log). The site does not wait for it."
TZ=Europe/Amsterdam nohup .venv/bin/python -c \
  "from signalen.intake.scrub import cache_build; cache_build()" \
  >var/scrubber-warm.log 2>&1 </dev/null &
echo $! >var/scrubber-warm.pid
echo "==> Database (SQLite in var/)"
.venv/bin/python manage.py migrate --noinput
echo "==> Demo municipality and demo users"
if [ -n "${CBS_FILE:-}" ]; then
  .venv/bin/python manage.py load_demo --cbs "$CBS_FILE" ${CBS_GEMEENTE:+--gemeente "$CBS_GEMEENTE"}
else
  .venv/bin/python manage.py load_demo
fi
echo "==> Scheduled jobs (digests, reminders, roll-up, open data) in a second process"
# The demo has no Redis, so no Celery beat: run_schedule runs the same BEAT_SCHEDULE
# in its own process, and stops when the server stops.
.venv/bin/python manage.py run_schedule &
schedule_pid=$!
trap 'kill "$schedule_pid" 2>/dev/null || true; wait "$schedule_pid" 2>/dev/null || true' EXIT
echo "==> Buurtwijs runs on http://127.0.0.1:$PORT (stop with Ctrl+C)"
echo "    Until the scrubber is loaded, a signal you log is saved sealed and scrubbed"
echo "    as soon as it is; the console says when."
SCRUB_LOAD_IN_BACKGROUND=true .venv/bin/python manage.py runserver "127.0.0.1:$PORT"

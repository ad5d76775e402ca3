#!/usr/bin/env bash
# The embedded demo: no services needed. SQLite, tasks run at once, e-mail to the console.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
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
echo "==> Buurtwijs runs on http://127.0.0.1:8000 (stop with Ctrl+C)"
.venv/bin/python manage.py runserver 127.0.0.1:8000

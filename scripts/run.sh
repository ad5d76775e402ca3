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
echo "==> Buurtwijs runs on http://127.0.0.1:8000 (stop with Ctrl+C)"
exec .venv/bin/python manage.py runserver 127.0.0.1:8000

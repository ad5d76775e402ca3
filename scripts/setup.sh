#!/usr/bin/env bash
# Install what Buurtwijs needs to run: a Python virtualenv with the pinned packages,
# the front-end assets from npm, and the compiled translations. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "Buurtwijs needs Python 3.11, 3.12 or 3.13 ($PYTHON not found)." >&2
  exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 14) else 1)'; then
  echo "Buurtwijs needs Python 3.11, 3.12 or 3.13; $("$PYTHON" --version) found." >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "Buurtwijs needs Node.js with npm for its front-end assets (Debian: apt-get install nodejs npm)." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> Python virtualenv in .venv"
  "$PYTHON" -m venv .venv
fi
echo "==> Python packages (pyproject.toml)"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
extras=""
[ "${BUURTWIJS_DEV:-0}" = "1" ] && extras="[dev]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"
# deduce builds its lookup cache on first use (90-200 s); do it now, not in a worker.
# It dates the cache in local time and compares that with its files' times: build it
# in the time zone Django runs in (settings.TIME_ZONE sets TZ), or every process would
# find it out of date within an hour of the install and build it again.
# The cache lives once per machine (~/.cache/buurtwijs, or $BUURTWIJS_DEDUCE_CACHE), so
# a second checkout finds it. `make run` builds it in the background instead
# (BUURTWIJS_SCRUBBER_WARM=background) so that the site answers meanwhile.
if [ "${BUURTWIJS_SCRUBBER_WARM:-now}" = "now" ]; then
  TZ=Europe/Amsterdam .venv/bin/python -c "from signalen.intake.scrub import warm; warm()"
fi

echo "==> Front-end assets (package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error

echo "==> Translations"
.venv/bin/python manage.py compile_translations
mkdir -p var

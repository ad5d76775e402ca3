# Buurtwijs: the README's two commands, and a few helpers for developers.
.PHONY: run test setup lint format messages worker beat

# Install everything and start the embedded demo on http://127.0.0.1:8000.
run:
	scripts/run.sh

# Install everything (also Debian packages and services when missing) and run all checks.
test:
	scripts/test.sh

setup:
	BUURTWIJS_DEV=1 scripts/setup.sh

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
	.venv/bin/mypy buurtwijs wijken accounts initiatieven signalen dashboard core opendata privacy wijkbudget peilingen outbox bewonersagenda wijkgesprek buurtverbinders

format:
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

# Refresh the .po files after changing strings (needs GNU gettext), then compile them.
messages:
	.venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete
	.venv/bin/python manage.py compile_translations

worker:
	.venv/bin/celery -A buurtwijs worker -l info -c 2

beat:
	.venv/bin/celery -A buurtwijs beat -l info

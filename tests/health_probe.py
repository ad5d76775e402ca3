"""A web process for tests/test_health_database_down.py: the site's WSGI application
(every middleware, the request signals that close broken connections, as under
gunicorn), answering one GET /health/ per line "get" on stdin with one JSON line on
stdout: {"status", "content_type", "body"}."""

from __future__ import annotations

import io
import json
import os
import sys
from wsgiref.util import setup_testing_defaults


def _start_response(started: dict):  # type: ignore[no-untyped-def]
    def start_response(status, headers, exc_info=None):  # type: ignore[no-untyped-def]
        started.update(status=int(status.split()[0]), headers=dict(headers))

    return start_response


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtwijs.settings")
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    for line in sys.stdin:
        if line.strip() != "get":
            continue
        environ: dict = {"PATH_INFO": "/health/", "HTTP_HOST": "localhost"}
        setup_testing_defaults(environ)
        environ["wsgi.errors"] = io.StringIO()
        started: dict = {}
        body = b"".join(application(environ, _start_response(started)))
        answer = {
            "status": started["status"],
            "content_type": started["headers"].get("Content-Type", ""),
            "body": json.loads(body) if body.startswith(b"{") else body.decode(),
        }
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()

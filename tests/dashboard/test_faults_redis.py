"""Redis is a cache, never a dependency of reading: stop it and the pages still answer.

Each test starts a redis-server of its own (tests/redis_server.py), points the cache at
it exactly as production settings do for REDIS_URL, loads the public wijk page, the
officer's dashboards and the API, stops (or freezes) that Redis and loads them again.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache

from buurtwijs.cache import reset_circuits
from signalen.models import WijkThema
from tests.conftest import mfa_client
from tests.redis_server import own_redis  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/wijk/WK043901/", "/"]
OFFICER_PAGES = ["/dashboard/wijk/WK043901/", "/dashboard/GM0439/"]
API = [
    "/api/v1/gemeenten/GM0439/",
    "/api/v1/wijken/WK043901/",
    "/api/v1/initiatieven/",
    "/api/v1/themas/",
]
PLACEHOLDER = "redis://127.0.0.1:1/0"


@pytest.fixture(scope="module")
def production_caches() -> dict:
    """CACHES as buurtwijs/settings.py makes them for a REDIS_URL (a fresh process)."""
    code = "import json; from django.conf import settings; print(json.dumps(settings.CACHES))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "REDIS_URL": PLACEHOLDER, "DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def redis_cache(own_redis, production_caches, settings):  # noqa: F811
    config = json.loads(json.dumps(production_caches))
    assert config["default"]["LOCATION"] == PLACEHOLDER
    config["default"]["LOCATION"] = own_redis.url
    # Tests wait for the breaker to let Redis be tried again; keep that short.
    if "RETRY_SECONDS" in config["default"]:
        config["default"]["RETRY_SECONDS"] = 0.3
    reset_circuits()
    settings.CACHES = config
    cache.clear()
    yield own_redis
    reset_circuits()


def _same(html: bytes) -> str:
    """A page without what differs per request (the CSRF token)."""
    text = html.decode()
    return re.sub(
        r'(csrfmiddlewaretoken" value=|csrf-token" content=)"[^"]*"', r"\1", text
    )


def _load(client, urls):
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        found[url] = _same(response.content)
    return found


def test_pages_and_the_api_answer_the_same_after_redis_stops(
    client, redis_cache, dash_data, ambtenaar
):
    officer = mfa_client(client.__class__(), ambtenaar)
    before = _load(client, PAGES + API) | _load(officer, OFFICER_PAGES)
    assert redis_cache.url  # the cache really was Redis: something is stored there
    assert cache.get("bw:gen:all") is not None

    redis_cache.stop()
    started = time.monotonic()
    after = _load(client, PAGES + API) | _load(officer, OFFICER_PAGES)
    took = time.monotonic() - started

    assert after == before
    for url in API:
        assert client.get(url)["Content-Type"].startswith("application/json")
    assert took < 10, took


def test_a_frozen_redis_costs_one_short_timeout_not_one_per_cache_read(
    client, redis_cache, dash_data, ambtenaar
):
    """A Redis that hangs (SIGSTOP) instead of refusing: the socket timeout and the
    circuit breaker keep a page that reads the cache many times fast."""
    officer = mfa_client(client.__class__(), ambtenaar)
    before = _load(officer, OFFICER_PAGES) | _load(client, API)
    redis_cache.process.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        after = _load(officer, OFFICER_PAGES) | _load(client, API)
        took = time.monotonic() - started
    finally:
        redis_cache.process.send_signal(signal.SIGCONT)
    assert after == before
    assert took < 5, took


def test_what_changed_during_the_outage_shows_once_redis_is_back(
    client, redis_cache, dash_data, ambtenaar
):
    """A write while Redis is down cannot renew the generations, and Redis comes back
    with the tokens it had; when the process reaches it again it renews the site-wide
    token, so the page cached before the outage is not served after it."""
    officer = mfa_client(client, ambtenaar)
    page = OFFICER_PAGES[0]
    assert "Schulden jonge gezinnen" in _load(officer, [page])[page]
    redis_cache.stop(save=True)
    thema = WijkThema.objects.get(name="Schulden jonge gezinnen")
    thema.name = "Schulden en huur"
    thema.save()
    assert "Schulden en huur" in _load(officer, [page])[page]
    redis_cache.start()
    time.sleep(0.4)  # the breaker tries Redis again
    after = _load(officer, [page])[page]
    assert "Schulden en huur" in after
    assert "Schulden jonge gezinnen" not in after


def test_an_unexpected_error_in_the_api_answers_json(client, db, monkeypatch):
    from opendata.api import views

    def broken(*args, **kwargs):
        raise RuntimeError("something unexpected")

    monkeypatch.setattr(views.GemeenteList, "get", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/gemeenten/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "server_error"


def test_an_unexpected_error_on_a_page_answers_the_html_500_page(
    client, db, monkeypatch
):
    from dashboard import views

    monkeypatch.setattr(views.wijken_queries, "wijk_head", lambda **kw: 1 / 0)
    client.raise_request_exception = False
    response = client.get("/wijk/WK043901/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_health_says_the_cache_is_down_but_answers_200_while_redis_is_stopped(
    client, redis_cache
):
    up = client.get("/health/")
    assert up.status_code == 200
    assert up.json()["cache"] == "ok"
    redis_cache.stop()
    down = client.get("/health/")
    assert down.status_code == 200
    assert down.json()["cache"] == "down"
    assert down.json()["status"] == "degraded"
    redis_cache.start()
    assert client.get("/health/").json()["cache"] == "ok"

"""Through a real Celery worker on Redis, as in production (CI requires these to run).

The worker is started here as a subprocess on its own queue and a Redis database of its
own (TEST_REDIS_URL, default db 15, emptied afterwards), pointed at the test database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
import redis
from celery import Celery
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from accounts.models import Invitation, Role
from buurtwijs import health

pytestmark = pytest.mark.worker

ROOT = Path(__file__).resolve().parents[1]
QUEUE = f"buurtwijs-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        message = f"Redis is not reachable at {url}: {exc}"
        if os.environ.get("BUURTWIJS_REQUIRE_WORKER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    yield url
    redis.Redis.from_url(url).flushdb()


def _database_url() -> str:
    """The test database as a URL, so the worker reads what the tests write."""
    s = connection.settings_dict
    if connection.vendor != "postgresql":
        return ""
    user = s.get("USER") or ""
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


@pytest.fixture(scope="session")
def worker(redis_url, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        database_url = _database_url()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)
    }
    # DB_CONN_MAX_AGE=0: the worker closes its connection after each task, so the
    # test database can be dropped at the end of the run.
    env.update(
        REDIS_URL=redis_url,
        CELERY_TASK_ALWAYS_EAGER="false",
        DATABASE_URL=database_url,
        DB_CONN_MAX_AGE="0",
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "buurtwijs",
            "worker",
            "--pool",
            "solo",
            "--queues",
            QUEUE,
            "--hostname",
            f"{QUEUE}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    # Not the current app: tests after this one still send through the project's.
    app = Celery(
        "buurtwijs-test", broker=redis_url, backend=redis_url, set_as_current=False
    )
    app.conf.update(
        task_serializer="json", result_serializer="json", accept_content=["json"]
    )
    try:
        # The first round trip also waits for the worker to be ready (about 3 s).
        assert app.send_task("buurtwijs.ping", queue=QUEUE).get(timeout=60) == "pong"
        yield app
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_task_runs_on_a_real_worker(worker):
    assert worker.send_task("buurtwijs.ping", queue=QUEUE).get(timeout=30) == "pong"


@pytest.mark.django_db(transaction=True)
def test_a_database_task_runs_on_the_worker_against_the_same_database(worker):
    if connection.vendor != "postgresql":
        pytest.skip("The worker shares the database only on PostgreSQL.")
    long_ago = timezone.now() - timedelta(days=200)
    Invitation.objects.create(
        email="oud@example.nl", role=Role.PROFESSIONAL, expires_at=long_ago
    )
    Invitation.objects.create(
        email="nieuw@example.nl",
        role=Role.PROFESSIONAL,
        expires_at=timezone.now() + timedelta(days=3),
    )
    result = worker.send_task("accounts.tasks.purge_expired_invitations", queue=QUEUE)
    assert result.get(timeout=30) == 1
    assert list(Invitation.objects.values_list("email", flat=True)) == [
        "nieuw@example.nl"
    ]


@pytest.mark.django_db
def test_health_sees_the_real_broker_and_worker(client, worker):
    with (
        override_settings(CELERY_TASK_ALWAYS_EAGER=False),
        mock.patch.object(health, "celery_app", worker),
    ):
        response = client.get("/health/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["broker"] == "ok"
    assert body["worker"] == "ok"
    assert body["workers"] >= 1


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_signals_gives_one_roll_up_run_on_the_worker(
    worker, settings, monkeypatch
):
    """Signals logged through the service schedule (debounced) one task; the worker
    runs it against the same database and records one successful run."""
    if connection.vendor != "postgresql":
        pytest.skip("The worker shares the database only on PostgreSQL.")
    from signalen import tasks
    from signalen.intake import services
    from signalen.intake.scrub.types import ScrubResult
    from signalen.models import Bron, Categorie, RollupRun, WijkThema
    from tests.factories import GemeenteFactory, TeamFactory, UserFactory, WijkFactory

    settings.ROLLUP_AFTER_INTAKE = True
    settings.ROLLUP_DEBOUNCE_SECONDS = 1
    # The scrubber has its own worker and queue; this test is about the roll-up. The
    # scrub that follows each signal's commit runs here, with a fake scrubber.
    import signalen.intake.scrub as scrub_package

    monkeypatch.setattr(
        scrub_package,
        "scrub",
        lambda text, keep=(): ScrubResult(text=text, removals=()),
    )
    monkeypatch.setattr(
        services,
        "pending_scrub_send",
        lambda pk: services.signal_scrub_pending(signaal_id=pk),
    )
    monkeypatch.setattr(services, "embed_after_commit", lambda ids: None)
    sent = []

    def to_the_test_worker(args=None, kwargs=None, countdown=None, **options):
        sent.append(
            worker.send_task(
                tasks.rollup_wijk_task.name,
                args=args,
                kwargs=kwargs,
                countdown=countdown,
                queue=QUEUE,
            )
        )

    monkeypatch.setattr(tasks.rollup_wijk_task, "apply_async", to_the_test_worker)
    # Transactional tests empty the tables after themselves, seeded ones included.
    categorie, _ = Categorie.objects.get_or_create(
        code="wonen-woonoverlast", defaults={"name": "Wonen"}
    )
    bron, _ = Bron.objects.get_or_create(
        code="huisbezoek", defaults={"name": "Huisbezoek"}
    )
    wijk = WijkFactory(code="WK990199", gemeente=GemeenteFactory(code="GM9901"))
    authors = [
        UserFactory(role=Role.PROFESSIONAL, email=f"pro{n}@example.nl")
        for n in range(2)
    ]
    TeamFactory(gemeente=wijk.gemeente, wijken=[wijk], members=authors)
    texts = [
        "schimmel in slaapkamer kinderen, corporatie reageert niet",
        "zwarte schimmel badkamer, kind hoest al weken",
        "vocht en schimmel in huurwoning, astma zoontje erger",
        "schimmel op muren, corporatie doet niks aan vocht",
        "vochtplekken en schimmel, melding bij corporatie al 3x",
        "schimmel achter kast, benauwd, vocht in huurwoning",
        "kind vaak ziek, schimmel in kinderkamer, corporatie doet niks",
        "schimmelplekken keuken en badkamer, vocht in muren",
    ]
    # The vectors would be made here, eagerly, between the commit's callbacks (in
    # production the scrub worker makes them): slow enough on a loaded machine that
    # the worker starts the first run before the last callback, which then rightly
    # schedules a second one. This test is about the roll-up.
    monkeypatch.setattr(services, "embed_after_commit", lambda ids: None)
    # One commit for the burst: with a commit per signal, a loaded machine can take
    # longer than the one-second debounce (one due row per burst of commits is
    # covered without a clock in tests/signalen/test_rollup_durable.py).
    with transaction.atomic():
        for n, text in enumerate(texts * 3):
            services.signaal_create(
                author=authors[n % 2],
                wijk=wijk,
                categorie=categorie,
                bron=bron,
                text=text,
                observed_on=timezone.localdate() - timedelta(days=n),
            )

    assert len(sent) == 1
    run_id = sent[0].get(timeout=60)
    run = RollupRun.objects.get(wijk=wijk)
    assert run.pk == run_id
    assert run.status == RollupRun.Status.SUCCESS
    assert run.trigger == RollupRun.Trigger.INTAKE
    assert run.task_id == sent[0].id
    assert run.signals_read == 24
    assert WijkThema.objects.filter(wijk=wijk).count() == run.themes_created >= 1

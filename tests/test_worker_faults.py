"""A worker killed with SIGKILL in the middle of its work (issue #15 item 9).

Each test starts real Celery workers (tests/fault_worker.py: the production worker
with a stand-in scrubber and a pause to kill it in) on a redis-server of its own
(tests/redis_server.py) and on the test database, kills the first worker with SIGKILL
while it works, and shows that a second worker finishes the work from what is durable
in the database, long before kombu's visibility timeout (an hour) would give the
killed task out again:

- a roll-up run: marked abandoned by the beat sweep once its heartbeat stops, its
  lock (15 minutes to live) does not block the next run, and the wijk is rolled up
  again on the new worker;
- the scrub of a sealed signal: the signal stays sealed (never stored unscrubbed, never
  lost) and the scrub sweep gets it scrubbed on the new worker;
- a task sent through the outbox (the embedding of a signal; mails go the same way):
  the outbox sweep sends it again once its time limit and grace have passed, and the
  new worker does it.

The sweeps are sent to the new worker as Celery beat sends them (every minute in
production). The worker shares the test database only on PostgreSQL: on SQLite these
tests skip (CI runs them in the PostgreSQL pass, marked `worker` like the other tests
with a real worker). Each takes about 20-40 s.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from celery import Celery
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role
from outbox.models import OutboxTask
from outbox.tasks import outbox_sweep
from signalen import tasks
from signalen.intake import services
from signalen.intake.schedule import runs_abandon_silent
from signalen.intake.scrub.types import ScrubResult
from signalen.intake.scrubbing import ScrubUnavailable
from signalen.models import (
    Bron,
    Categorie,
    RollupPending,
    RollupRun,
    Signaal,
    SignaalVector,
)
from signalen.themes.runs import LOCK_PREFIX
from tests.factories import GemeenteFactory, TeamFactory, UserFactory, WijkFactory
from tests.redis_server import own_redis  # noqa: F401 - a fixture
from tests.test_worker import _database_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[1]
HEARTBEAT_SECONDS = 1
# Shrunk from 120 s for the test; the mechanism is the same: no heartbeat for this
# long and the sweep marks the run abandoned.
STALE_SECONDS = 6
WAIT = 90.0  # generous: a loaded 2-core machine starts a worker in 3-15 s


def wait_for(what: str, check: Callable[[], Any], timeout: float = WAIT) -> Any:
    """Poll `check` until it returns something truthy; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.25)


class Workers:
    """Start fault workers on one Redis and test database; kill what is left."""

    def __init__(self, redis_url: str, database_url: str, markers: Path) -> None:
        self.redis_url = redis_url
        self.database_url = database_url
        self.markers = markers
        self.processes: list[subprocess.Popen[bytes]] = []
        self.redis_server: Any = None
        self.connect()

    def connect(self) -> None:
        """A client of its own (again, after Redis restarted)."""
        # Not the current app: tests after this one still send through the
        # project's (the outbox and the task proxies look tasks up there).
        self.app = Celery(
            "buurtwijs-fault-test",
            broker=self.redis_url,
            backend=self.redis_url,
            set_as_current=False,
        )
        self.app.conf.update(
            task_serializer="json", result_serializer="json", accept_content=["json"]
        )

    def start(self, *, pause: str = "", **extra: str) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        env.update(
            REDIS_URL=self.redis_url,
            CELERY_BROKER_URL=self.redis_url,
            CELERY_RESULT_BACKEND=self.redis_url,
            CELERY_TASK_ALWAYS_EAGER="false",
            DATABASE_URL=self.database_url,
            DB_CONN_MAX_AGE="0",
            ROLLUP_HEARTBEAT_SECONDS=str(HEARTBEAT_SECONDS),
            ROLLUP_HEARTBEAT_STALE_SECONDS=str(STALE_SECONDS),
            # As the test's settings (wijk_with_team): a wijk made due by the worker
            # (its own scrub, a sweep) is rolled up within a wait here.
            ROLLUP_DEBOUNCE_SECONDS="1",
            SIGNAL_EMBEDDER="fake",
            BUURTWIJS_FAULT_PAUSE=pause,
            BUURTWIJS_FAULT_MARKERS=str(self.markers),
            **extra,
        )
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.fault_worker",
                "--pool",
                "solo",
                "--queues",
                "celery,scrub",
                "--hostname",
                f"fault-{uuid.uuid4().hex[:8]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
        )
        self.processes.append(process)
        return process

    def ready(self) -> None:
        """The first round trip waits for a free worker to be up."""
        assert self.app.send_task("buurtwijs.ping").get(timeout=WAIT) == "pong"

    def run(self, name: str, **options: Any) -> Any:
        """Send a task as beat would and wait for its answer."""
        return self.app.send_task(name, **options).get(timeout=WAIT)

    @staticmethod
    def kill(process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


@pytest.fixture
def workers(own_redis, tmp_path, monkeypatch) -> Iterator[Workers]:  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("The worker shares the test database only on PostgreSQL.")
    markers = tmp_path / "markers"
    markers.mkdir()
    pool = Workers(own_redis.url, _database_url(), markers)
    pool.redis_server = own_redis

    # What this process sends goes to the fault workers' Redis, as from a web process.
    def sender(task: Any, queue: str) -> Callable[..., None]:
        def apply_async(  # type: ignore[no-untyped-def]
            args=None, kwargs=None, countdown=None, task_id=None, **options
        ):
            pool.app.send_task(
                task.name,
                args=args,
                kwargs=kwargs,
                countdown=countdown,
                task_id=task_id,
                queue=queue,
            )

        return apply_async

    rollup, scrub = tasks.rollup_wijk_task, tasks.signal_scrub_pending_task
    embed = tasks.embed_signal_task
    monkeypatch.setattr(rollup, "apply_async", sender(rollup, "celery"))
    monkeypatch.setattr(scrub, "apply_async", sender(scrub, "scrub"))
    monkeypatch.setattr(embed, "apply_async", sender(embed, "scrub"))
    try:
        yield pool
    finally:
        pool.stop_all()


@pytest.fixture
def wijk_with_team(settings):
    """A wijk, two professionals in its team, and the taxonomy the signals need."""
    settings.ROLLUP_AFTER_INTAKE = True
    settings.ROLLUP_DEBOUNCE_SECONDS = 1
    # Transactional tests empty the tables after themselves, seeded ones included.
    categorie, _ = Categorie.objects.get_or_create(
        code="wonen-woonoverlast", defaults={"name": "Wonen"}
    )
    bron, _ = Bron.objects.get_or_create(
        code="huisbezoek", defaults={"name": "Huisbezoek"}
    )
    wijk = WijkFactory(code="WK990177", gemeente=GemeenteFactory(code="GM9901"))
    authors = [
        UserFactory(role=Role.PROFESSIONAL, email=f"fault{n}@example.nl")
        for n in range(2)
    ]
    TeamFactory(gemeente=wijk.gemeente, wijken=[wijk], members=authors)
    return wijk, authors, categorie, bron


def _scrubbed_as_by_the_worker(signaal: Signaal) -> Signaal:
    """What the scrub worker does with a sealed signal, with a stand-in scrubber that
    keeps the text: open it, store it, and schedule the roll-up and the vector."""
    from signalen.intake.sealing import unseal

    with transaction.atomic():
        signaal.text = unseal(signaal.text_sealed)
        signaal.text_sealed = None
        signaal.scrub_pending = False
        signaal.save(
            update_fields=["text", "text_sealed", "scrub_pending", "updated_at"]
        )
        services.rollup_schedule_after_intake(signaal.wijk_id)
        services.embed_after_commit([signaal.pk])
    return signaal


def log_signals(
    wijk_with_team, texts: list[str], *, scrubbed: bool = True
) -> list[Signaal]:
    """Signals through the intake service (saved sealed), scrubbed as the worker
    would unless `scrubbed=False`."""
    wijk, authors, categorie, bron = wijk_with_team
    saved = [
        services.signaal_create(
            author=authors[n % 2],
            wijk=wijk,
            categorie=categorie,
            bron=bron,
            text=text,
            observed_on=timezone.localdate() - timedelta(days=n),
        )[0]
        for n, text in enumerate(texts)
    ]
    return [_scrubbed_as_by_the_worker(s) for s in saved] if scrubbed else saved


SCHIMMEL = [
    "schimmel in slaapkamer kinderen, corporatie reageert niet",
    "zwarte schimmel badkamer, kind hoest al weken",
    "vocht en schimmel in huurwoning, astma zoontje erger",
    "schimmel op muren, corporatie doet niks aan vocht",
    "vochtplekken en schimmel, melding bij corporatie al 3x",
    "schimmel achter kast, benauwd, vocht in huurwoning",
]


def test_a_roll_up_killed_mid_run_is_abandoned_and_runs_again_on_a_new_worker(
    workers, wijk_with_team, monkeypatch, settings
):
    wijk = wijk_with_team[0]
    # (The intake saves sealed and scrubs on the worker; older code scrubbed here.)
    monkeypatch.setattr(
        services,
        "text_scrub",
        lambda text, **kw: ScrubResult(text=text, removals=()),
        raising=False,
    )
    # The signals are scrubbed here as the scrub worker would (the scrub on a killed
    # worker is the next test): left to the worker, its first scrub would add the
    # wijk's due row with the worker's own debounce (120 s, longer than any wait
    # here), and a roll-up started between two scrubs would read part of the
    # signals. So the scrub tasks are not sent, and the test's scrub adds the due
    # row after the test's debounce (1 s) and sends the countdown task.
    monkeypatch.setattr(services, "pending_scrub_send", lambda signaal_id: None)
    first = workers.start(pause="rollup")
    workers.ready()

    # Intake: the due row and the countdown task; the worker claims and starts it.
    # Scrubbed in one commit, so the one due row comes after all of them (scrubbed
    # one by one, the worker could claim the row between two scrubs and the next
    # scrub would add another).
    saved = log_signals(wijk_with_team, SCHIMMEL * 2, scrubbed=False)
    with transaction.atomic():
        for signaal in saved:
            _scrubbed_as_by_the_worker(signaal)
    assert not Signaal.objects.filter(scrub_pending=True).exists()
    pending = RollupPending.objects.get(wijk=wijk)
    assert pending.due_at <= timezone.now() + timedelta(seconds=5)  # the test's
    wait_for("the run to start", (workers.markers / "rollup-started").exists)
    killed = RollupRun.objects.get(wijk=wijk)
    assert killed.status == RollupRun.Status.RUNNING
    assert not RollupPending.objects.filter(wijk=wijk).exists()  # claimed

    # While the worker lives its heartbeat keeps the run alive past the stale limit.
    wait_for(
        "heartbeats past the stale limit",
        lambda: (
            RollupRun.objects.get(pk=killed.pk).heartbeat_at
            > killed.started_at + timedelta(seconds=STALE_SECONDS + 1)
        ),
    )
    settings.ROLLUP_HEARTBEAT_STALE_SECONDS = STALE_SECONDS
    assert runs_abandon_silent() == 0

    workers.kill(first)
    killed_at = time.monotonic()
    lock = redis.Redis.from_url(workers.redis_url)
    key = f"{LOCK_PREFIX}{wijk.pk}"
    assert lock.get(key).decode() == RollupRun.objects.get(pk=killed.pk).lock_token
    lock_left = lock.ttl(key)
    assert lock_left > 10 * 60  # ROLLUP_LOCK_TTL: it would block the wijk that long
    assert RollupRun.objects.get(pk=killed.pk).status == RollupRun.Status.RUNNING

    # A new worker; beat sends the sweep every minute, here every second.
    workers.start()
    workers.ready()

    def sweep_abandons() -> dict | None:
        result = workers.run(tasks.rollup_sweep.name)
        return result if result["abandoned"] else None

    swept = wait_for("the sweep to abandon the killed run", sweep_abandons)
    abandoned_after = time.monotonic() - killed_at
    killed.refresh_from_db()
    assert killed.status == RollupRun.Status.ABANDONED
    assert "teken van leven" in killed.error
    # The killed run's work is due again and started at once.
    assert swept["started"] == [wijk.pk]

    rerun = wait_for(
        "the roll-up to run again on the new worker",
        lambda: RollupRun.objects.filter(
            wijk=wijk, status=RollupRun.Status.SUCCESS
        ).first(),
    )
    rerun_after = time.monotonic() - killed_at
    assert rerun.pk != killed.pk
    assert rerun.signals_read == len(SCHIMMEL) * 2
    assert rerun.themes_created >= 1
    # Not held up by the killed run's lock, which had minutes left to live.
    assert rerun_after < lock_left
    # The new run lets go of the lock right after its commit (the run is marked a
    # success inside the transaction, the lock is released after it).
    wait_for("the new run to release the lock", lambda: not lock.exists(key))
    assert not RollupRun.objects.filter(status=RollupRun.Status.RUNNING).exists()
    print(
        f"killed run abandoned {abandoned_after:.1f} s after SIGKILL (stale limit "
        f"{STALE_SECONDS} s), rolled up again after {rerun_after:.1f} s; the lock "
        f"had {lock_left} s left"
    )


def test_a_scrub_killed_mid_task_is_done_by_the_sweep_and_never_stored_unsealed(
    workers, wijk_with_team, monkeypatch
):
    def scrubber_away(text, **kw):
        raise ScrubUnavailable("de scrubber is er even niet")

    monkeypatch.setattr(services, "text_scrub", scrubber_away, raising=False)
    first = workers.start(pause="scrub")
    workers.ready()

    (signaal,) = log_signals(
        wijk_with_team,
        ["Mevrouw Jansen zit alleen thuis en eet slecht."],
        scrubbed=False,
    )
    assert signaal.scrub_pending
    wait_for("the scrub to start", (workers.markers / "scrub-started").exists)
    workers.kill(first)

    # Nothing was lost and nothing was stored unscrubbed: still sealed, still pending.
    signaal.refresh_from_db()
    assert signaal.scrub_pending
    assert signaal.text == ""
    assert signaal.text_sealed is not None

    workers.start()
    workers.ready()
    # The sweep leaves a signal 30 s to its first task (PENDING_SWEEP_AFTER): that
    # time has passed.
    Signaal.objects.filter(pk=signaal.pk).update(
        created_at=timezone.now() - timedelta(minutes=1)
    )

    def swept_and_scrubbed() -> bool:
        if Signaal.objects.filter(pk=signaal.pk, scrub_pending=False).exists():
            return True
        workers.run(tasks.scrub_pending_sweep.name)
        return False

    wait_for("the sweep to get the signal scrubbed", swept_and_scrubbed)
    signaal.refresh_from_db()
    assert signaal.text == "Mevrouw [naam] zit alleen thuis en eet slecht."
    assert signaal.text_sealed is None
    assert not signaal.scrub_pending


def test_an_outbox_task_killed_mid_run_is_sent_again_and_done_on_a_new_worker(
    workers, wijk_with_team, monkeypatch, settings
):
    settings.ROLLUP_AFTER_INTAKE = False  # this test is about the embedding
    # (The intake saves sealed and scrubs on the worker; older code scrubbed here.)
    monkeypatch.setattr(
        services,
        "text_scrub",
        lambda text, **kw: ScrubResult(text=text, removals=()),
        raising=False,
    )
    # Shrunk for the test (30 min and 3 min): a started task has its time limit plus
    # the grace before the outbox sweep sends it again.
    short = {"CELERY_TASK_TIME_LIMIT": "6", "CELERY_TASK_SOFT_TIME_LIMIT": "5"}
    short["OUTBOX_GRACE_SECONDS"] = "2"
    first = workers.start(pause="embed", **short)
    workers.ready()

    (signaal,) = log_signals(wijk_with_team, ["schimmel in de badkamer, kind hoest"])
    row = OutboxTask.objects.get(name=tasks.embed_signal_task.name)
    assert row.kwargs == {}
    assert row.args == [signaal.pk]
    wait_for("the embedding to start", (workers.markers / "embed-started").exists)
    workers.kill(first)
    killed_at = time.monotonic()
    row.refresh_from_db()
    assert row.runs == 1
    assert row.done_at is None
    assert not SignaalVector.objects.filter(signaal=signaal).exists()

    workers.start(**short)
    workers.ready()

    def swept_and_done() -> bool:
        if OutboxTask.objects.filter(pk=row.pk, done_at__isnull=False).exists():
            return True
        workers.run(outbox_sweep.name)
        return False

    wait_for("the outbox sweep to get the task done", swept_and_done)
    done_after = time.monotonic() - killed_at
    row.refresh_from_db()
    assert row.runs == 2
    assert row.sent >= 2
    assert not row.gave_up
    assert SignaalVector.objects.filter(signaal=signaal).exists()
    print(f"outbox task done on the new worker {done_after:.1f} s after SIGKILL")


def test_an_outbox_task_lost_with_a_redis_restart_is_sent_again(
    workers, wijk_with_team, monkeypatch, settings
):
    """Redis without persistence (docker-compose.yml) forgets every queued message
    when it restarts; the outbox row stays in the database and its sweep sends it."""
    settings.ROLLUP_AFTER_INTAKE = False
    settings.OUTBOX_GRACE_SECONDS = 2
    # (The intake saves sealed and scrubs on the worker; older code scrubbed here.)
    monkeypatch.setattr(
        services,
        "text_scrub",
        lambda text, **kw: ScrubResult(text=text, removals=()),
        raising=False,
    )
    (signaal,) = log_signals(wijk_with_team, ["vocht en schimmel in huurwoning"])
    row = OutboxTask.objects.get(name=tasks.embed_signal_task.name)
    assert row.sent == 1
    queued = redis.Redis.from_url(workers.redis_url)
    # No worker yet: the messages wait in Redis (the vector's, and the scrub task the
    # intake queued on commit, which finds nothing pending when it runs).
    assert queued.llen("scrub") >= 1

    workers.redis_server.stop()  # without saving: the message is gone
    workers.redis_server.start()
    workers.connect()
    assert queued.llen("scrub") == 0

    workers.start(OUTBOX_GRACE_SECONDS="2")
    workers.ready()

    def swept_and_done() -> bool:
        if OutboxTask.objects.filter(pk=row.pk, done_at__isnull=False).exists():
            return True
        workers.run(outbox_sweep.name)
        return False

    wait_for("the outbox sweep to send the lost task again", swept_and_done)
    assert SignaalVector.objects.filter(signaal=signaal).exists()
    row.refresh_from_db()
    assert row.runs == 1

"""Readers while signals arrive: the public wijk page and the officer's wijk dashboard
under 20 concurrent readers, against a bare view on the same server, same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/bench_readers.py --database bw_bench_dash --port 8797 \\
        --redis-port 6396 [--seconds 30] [--readers 20] [--workers 3] \\
        [--signal-every 1.0] [--rollup-every 5]

Runs on a database made by ``bench/bench_dashboard.py --keep`` (the same data: 300
wijken, the signals, the officer with an authenticator). Starts, on loopback only,
gunicorn with the product's settings and middleware (DEBUG off, sessions in the
database, the cache on the Redis of ``--redis-port``, db 0, which the bench clears
first), then, in Python threads in this process (one connection per request):

  (a) ``--readers`` readers of a bare view (no work; bench/urls_bench.py), for
      ``--seconds``;
  (b) the same readers, each request either the public wijk page (anonymous) or the
      officer's wijk dashboard (logged in as the bench's ambtenaar), of a wijk of the
      officer's gemeente drawn by its number of signals, for ``--seconds``, while a
      writer process logs a real signal (``signaal_create``) every
      ``--signal-every`` seconds in a wijk drawn the same way, and runs the roll-up
      (``rollup_wijk``) of each wijk with new signals every ``--rollup-every``
      seconds, as the debounce after intake does (``--writer-nice``: at a lower CPU
      priority, as a roll-up worker that yields the cores to the web).

"Today" is the real date on the server (the generated data ends on 2026-11-01, so
the default period reaches it). The scrubber is the intake's own bench: the writer
stores the generated texts as typed. Prints requests per second, median and p95 per
page against the bare view's, the writer's signals and roll-ups, and the load
average before and after. Target (issue 17): the mixed readers' requests per second
at least 0.1x the bare view's and their p95 under 1 s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_rollup import load_average  # noqa: E402

PORT = 8797
OFFICER_EMAIL = "ambtenaar@bench.example"
TARGET_RATIO = 0.1
TARGET_P95_MS = 1000.0


def environment(args: argparse.Namespace) -> dict[str, str]:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        raise SystemExit(
            "Set DATABASE_URL to the PostgreSQL server (see the docstring)."
        )
    parts = urllib.parse.urlsplit(base)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
        "DATABASE_URL": urllib.parse.urlunsplit(
            parts._replace(path=f"/{args.database}")
        ),
        "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0",
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "STATIC_ROOT": tempfile.mkdtemp(),
        "LOG_LEVEL": "WARNING",
        "ROLLUP_AFTER_INTAKE": "false",
    }


# --- in this process: the data, a session -------------------------------------------------


def setup(env: dict[str, str]) -> dict[str, Any]:
    """The officer's gemeente, its wijken weighted by their signals, and a session of
    the officer (a cookie the readers send)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.cache import cache
    from django.db.models import Sum

    from accounts.models import User
    from signalen.models import SignaalTelling
    from wijken.models import Wijk

    cache.clear()
    officer = User.objects.get(email=OFFICER_EMAIL)
    wijken = list(
        Wijk.objects.filter(gemeente_id=officer.gemeente_id, is_active=True)
        .order_by("code")
        .values_list("pk", "code")
    )
    weights = dict(
        SignaalTelling.objects.filter(
            wijk_id__in=[pk for pk, _c in wijken], buurt=None, doelgroep=None
        )
        .values_list("wijk_id")
        .annotate(n=Sum("count"))
        .order_by()
    )
    session = SessionStore()
    session[SESSION_KEY] = str(officer.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    session.create()
    from django.db import connections

    connections.close_all()
    return {
        "session": session.session_key,
        "wijken": [(pk, code, int(weights.get(pk, 0)) + 1) for pk, code in wijken],
    }


# --- the writer (its own process: its roll-ups do not hold this process's GIL) ----------


def writer(args: argparse.Namespace) -> None:
    """Log a signal every --signal-every seconds in a wijk drawn by its signals; run
    the roll-up of every wijk with new signals every --rollup-every seconds. Stops
    after --seconds; prints what it did as JSON."""
    import django

    django.setup()
    import datetime as dt
    from unittest import mock

    from django.utils import timezone

    from signalen.intake import services as intake_services
    from signalen.intake.scrub.types import ScrubResult
    from signalen.models import Signaal
    from signalen.themes.runs import RollupBusy, rollup_wijk
    from wijken.models import Wijk

    wijken = json.loads(args.wijken)
    rng = random.Random(args.seed)
    examples: dict[int, list[Signaal]] = {}
    signals = 0
    runs: list[float] = []
    pending: set[int] = set()
    deadline = time.monotonic() + args.seconds
    next_rollup = time.monotonic() + args.rollup_every
    today = timezone.localdate()
    with (
        # The signal is saved sealed and scrubbed on the worker: here at once, as
        # typed (no deduce).
        mock.patch(
            "signalen.intake.scrub.scrub",
            lambda text, *_a, **_kw: ScrubResult(text=text, removals=()),
        ),
        mock.patch(
            "signalen.intake.warmup.in_process_scrubber_ready", return_value=True
        ),
        mock.patch.object(intake_services, "embed_after_commit", return_value=None),
        mock.patch.object(
            intake_services, "rollup_schedule_after_intake", return_value=None
        ),
    ):
        while time.monotonic() < deadline:
            started = time.monotonic()
            pk = rng.choices(
                [w[0] for w in wijken], weights=[w[2] for w in wijken], k=1
            )[0]
            if pk not in examples:
                examples[pk] = list(
                    Signaal.objects.filter(
                        wijk_id=pk, withdrawn_at__isnull=True, scrub_pending=False
                    )
                    .select_related("author", "categorie", "bron", "buurt", "wijk")
                    .order_by("-pk")[:20]
                )
            if examples[pk]:
                example = rng.choice(examples[pk])
                signaal, _created = intake_services.signaal_create(
                    author=example.author,
                    wijk=example.wijk,
                    categorie=example.categorie,
                    bron=example.bron,
                    text=example.text,
                    observed_on=today - dt.timedelta(days=rng.randint(0, 13)),
                    buurt=example.buurt,
                    doelgroepen=list(example.doelgroepen.all()),
                )
                intake_services.signal_scrub_pending(signaal_id=signaal.pk)
                signals += 1
                pending.add(pk)
            if time.monotonic() >= next_rollup:
                for wijk_pk in sorted(pending):
                    run_started = time.monotonic()
                    try:
                        rollup_wijk(Wijk.objects.get(pk=wijk_pk), trigger="intake")
                    except RollupBusy:
                        continue
                    runs.append(time.monotonic() - run_started)
                pending.clear()
                next_rollup = time.monotonic() + args.rollup_every
            time.sleep(max(0.0, args.signal_every - (time.monotonic() - started)))
    print(json.dumps({"signals": signals, "runs": runs}))


# --- the readers ----------------------------------------------------------------------


class Reader(threading.Thread):
    def __init__(
        self,
        *,
        port: int,
        pick: Any,
        until: float,
        seed: int,
    ) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.pick = pick
        self.until = until
        self.rng = random.Random(seed)
        self.times: dict[str, list[float]] = {}
        self.errors = 0

    def run(self) -> None:
        while time.monotonic() < self.until:
            kind, path, headers = self.pick(self.rng)
            started = time.monotonic()
            try:
                connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=30
                )
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                ok = response.status == 200
            except OSError:
                ok = False
            if not ok:
                self.errors += 1
                continue
            self.times.setdefault(kind, []).append((time.monotonic() - started) * 1000)


def drive(
    args: argparse.Namespace, pick: Any, *, seconds: float
) -> tuple[dict[str, list[float]], int, float]:
    until = time.monotonic() + seconds
    readers = [
        Reader(port=args.port, pick=pick, until=until, seed=args.seed + n)
        for n in range(args.readers)
    ]
    started = time.monotonic()
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    elapsed = time.monotonic() - started
    times: dict[str, list[float]] = {}
    for reader in readers:
        for kind, found in reader.times.items():
            times.setdefault(kind, []).extend(found)
    return times, sum(r.errors for r in readers), elapsed


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="bw_bench_dash")
    parser.add_argument("--port", type=int, default=PORT, help="gunicorn's port")
    parser.add_argument("--redis-port", type=int, default=6379)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--signal-every", type=float, default=1.0)
    parser.add_argument("--rollup-every", type=float, default=5.0)
    parser.add_argument(
        "--writer-nice",
        type=int,
        default=0,
        help="run the writer (its roll-ups) at this nice level, as a roll-up worker "
        "that yields the cores to the web workers",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--writer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--wijken", help=argparse.SUPPRESS)
    args = parser.parse_args()
    env = environment(args)
    if args.writer:
        os.environ.update(env)
        writer(args)
        return

    load_before = load_average()
    ids = setup(env)
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "buurtwijs.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection(
                    "127.0.0.1", args.port, timeout=2
                )
                connection.request("GET", "/bench/bare/")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer within 60 s")
            time.sleep(0.5)
        wijken = ids["wijken"]
        codes = [code for _pk, code, _w in wijken]
        weights = [w for _pk, _code, w in wijken]
        officer = {"Cookie": f"sessionid={ids['session']}"}

        def bare(rng: random.Random) -> tuple[str, str, dict[str, str]]:
            return "bare view", "/bench/bare/", {}

        def mixed(rng: random.Random) -> tuple[str, str, dict[str, str]]:
            code = rng.choices(codes, weights=weights, k=1)[0]
            if rng.random() < 0.5:
                return "public wijk page", f"/wijk/{code}/", {}
            return "officer wijk dashboard", f"/dashboard/wijk/{code}/", officer

        # Warm up: every page once (the cold pages are bench_dashboard.py's row).
        for code in codes:
            for path, headers in (
                (f"/wijk/{code}/", {}),
                (f"/dashboard/wijk/{code}/", officer),
            ):
                connection = http.client.HTTPConnection(
                    "127.0.0.1", args.port, timeout=60
                )
                connection.request("GET", path, headers=headers)
                status = connection.getresponse().status
                if status != 200:
                    raise SystemExit(f"{path}: HTTP {status}")
        bare_times, bare_errors, bare_seconds = drive(args, bare, seconds=args.seconds)
        writer_process = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--writer",
                "--database",
                args.database,
                "--redis-port",
                str(args.redis_port),
                "--seconds",
                str(args.seconds),
                "--signal-every",
                str(args.signal_every),
                "--rollup-every",
                str(args.rollup_every),
                "--seed",
                str(args.seed),
                "--wijken",
                json.dumps(wijken),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        mixed_times, mixed_errors, mixed_seconds = drive(
            args, mixed, seconds=args.seconds
        )
        written = json.loads(writer_process.communicate(timeout=600)[0] or "{}")
        load_after = load_average()
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    bare_all = bare_times.get("bare view", [])
    bare_rps = len(bare_all) / bare_seconds
    mixed_all = [t for found in mixed_times.values() for t in found]
    mixed_rps = len(mixed_all) / mixed_seconds
    print(
        f"\n{args.readers} readers, {args.seconds:.0f} s each, gunicorn "
        f"--workers {args.workers} on {os.cpu_count()} cores, database "
        f"{args.database}, Redis :{args.redis_port}; writer (nice "
        f"{args.writer_nice}): "
        f"{written.get('signals', 0)} signals, {len(written.get('runs', []))} "
        f"roll-ups (median "
        f"{statistics.median(written['runs']) if written.get('runs') else 0:.1f} s)\n"
    )
    print(
        f"{'':26} {'requests':>8} {'rps':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}"
    )
    rows = [("bare view", bare_all, bare_seconds, bare_errors)]
    rows += [
        (kind, found, mixed_seconds, 0) for kind, found in sorted(mixed_times.items())
    ]
    rows += [("mixed readers, all", mixed_all, mixed_seconds, mixed_errors)]
    for label, found, seconds, errors in rows:
        if not found:
            print(f"{label:26} {0:8d}")
            continue
        print(
            f"{label:26} {len(found):8d} {len(found) / seconds:7.1f} "
            f"{statistics.median(found):7.1f} {percentile(found, 0.95):7.1f} {errors:6d}"
        )
    ratio = mixed_rps / bare_rps if bare_rps else 0.0
    p95 = percentile(mixed_all, 0.95) if mixed_all else float("inf")
    met = ratio >= TARGET_RATIO and p95 < TARGET_P95_MS
    print(
        f"\nload average before: {load_before}; after: {load_after}\n"
        f"readers_ratio={ratio:.3f} readers_p95_ms={p95:.0f} "
        f"target={'met' if met else 'MISSED'} (>= {TARGET_RATIO}x bare rps, "
        f"p95 < {TARGET_P95_MS:.0f} ms)"
    )


if __name__ == "__main__":
    main()

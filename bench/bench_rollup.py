"""The roll-up of every wijk on a million signals in PostgreSQL, against vectorising
alone, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/bench_rollup.py [--signals 1000000] [--new 100] \\
        [--database bw_bench_rollup] [--keep] [--reuse] [--quiet] \\
        [--professionals 400] [--wijken-per-team 3] [size options of generate.py]

Creates the PostgreSQL database ``--database`` on the server DATABASE_URL points at,
migrates it and fills it with bench/generate.py (300 wijken by default; 1,000 residents,
no initiatives) and bench/generate_signals.py (teams, professionals, signals by COPY).
``--reuse`` takes an existing database made with ``--keep`` and only clears the roll-up
output (themes, members, events, runs, counts) first. The database is dropped at the
end, also after an error, unless ``--keep``.

Then, in this process, with ``as_of`` = generate.NOW (so the 180-day window is fixed):

  load     read every wijk's window into engine input (rollup_runs._load_signals);
  (a)      floor: ``signalen.themes.rollup.represent.vectorise`` of every wijk's window, as
           bench_rollup_engine.py measures it — the least any run must do;
  (b)      full roll-up: ``rollup_wijk(wijk, trigger="manual")`` for every wijk, cold
           (no themes yet): wall time, slowest wijk, the busiest wijk;
  (c)      incremental: ``--new`` signals (observed in the last 14 days) added to the
           busiest wijk, then ``rollup_wijk`` of that wijk;
  (d)      ``counts_rebuild`` of the busiest wijk alone;
  (e)      a second full roll-up: nothing changed, so it should create and update
           nothing (its themes_created / updated / closed are printed).

Every time is printed with its ratio to the floor (a); single-wijk figures also against
that wijk's own share of the floor. Peak memory per phase is the process's peak RSS
(VmHWM, reset before each phase through /proc/self/clear_refs; without that, the
process peak from getrusage). Progress bars go to stderr.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import re
import resource
import sys
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import Sizes, add_size_arguments, sizes_from  # noqa: E402
from bench.generate_signals import (  # noqa: E402
    SignalSizes,
    add_signal_arguments,
    signal_sizes_from,
)

DEFAULT_DATABASE = "bw_bench_rollup"
NEW_SIGNALS_DAYS = 14


# --- memory ---------------------------------------------------------------------------


def _status_kb(key: str) -> int | None:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    match = re.search(rf"^{key}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def peak_reset() -> bool:
    """Reset the peak RSS (Linux ≥ 4.0); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_mb() -> float:
    hwm = _status_kb("VmHWM")
    if hwm is not None:
        return hwm / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclasses.dataclass
class Phase:
    seconds: float = 0.0
    peak_mb: float = 0.0


@contextmanager
def phase() -> Iterator[Phase]:
    result = Phase()
    peak_reset()
    started = time.perf_counter()
    try:
        yield result
    finally:
        result.seconds = time.perf_counter() - started
        result.peak_mb = peak_mb()


def bar(items: Any, desc: str, show: bool, **extra: Any) -> Any:
    from tqdm import tqdm

    return tqdm(items, desc=desc, file=sys.stderr, disable=not show, **extra)


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


# --- database -------------------------------------------------------------------------


def database_exists(admin: Any, name: str) -> bool:
    row = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return row.fetchone() is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_arguments(parser, Sizes(residents=1000, initiatives=0))
    add_signal_arguments(parser, SignalSizes())
    parser.add_argument("--new", type=int, default=100, help="signals added for (c)")
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--reuse", action="store_true", help="use the existing --database as it is"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="(f): a cold full pass through Celery with 1 and with N worker processes",
    )
    parser.add_argument(
        "--redis-port", type=int, default=6397, help="own Redis for (f), started here"
    )
    parser.add_argument(
        "--workers-only", action="store_true", help="only (f), with --workers"
    )
    args = parser.parse_args()
    sizes = sizes_from(args)
    signal_sizes = signal_sizes_from(args)
    with throwaway_database(args.database, reuse=args.reuse, keep=args.keep):
        run(args, sizes, signal_sizes, generate_data=not args.reuse)


@contextmanager
def throwaway_database(name: str, *, reuse: bool, keep: bool) -> Iterator[None]:
    """Create database `name` on the server of DATABASE_URL (or, with `reuse`, use the
    one there), point Django's settings at it, and drop it afterwards unless `keep`."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise SystemExit("--database: lower-case letters, digits and _ only.")
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        raise SystemExit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. "
            "postgres://postgres@127.0.0.1:5432/postgres; this script creates (and "
            "unless --keep, drops) its own database there."
        )
    try:
        import psycopg
    except ImportError:
        raise SystemExit("psycopg is not installed; use the project's .venv.") from None

    try:
        admin = psycopg.connect(base_url, autocommit=True)
    except psycopg.OperationalError as error:
        raise SystemExit(f"Cannot reach PostgreSQL at {base_url}: {error}") from None
    exists = database_exists(admin, name)
    if reuse and not exists:
        raise SystemExit(f"--reuse: database {name} does not exist (run with --keep).")
    if exists and not reuse:
        raise SystemExit(
            f"Database {name} exists: pass --reuse to use it, or drop it first."
        )
    if not exists:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(base_url)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "buurtwijs.settings",
            "DATABASE_URL": urllib.parse.urlunsplit(parts._replace(path=f"/{name}")),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
            "LOG_LEVEL": "WARNING",
            "ROLLUP_AFTER_INTAKE": "false",
        }
    )
    os.environ.pop("REDIS_URL", None)  # local-memory cache for the locks, eager Celery
    try:
        yield
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - cleaning up after any failure
            pass
        if keep:
            print(f"kept database {name}", file=sys.stderr)
        else:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s",
                [name],
            )
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


# --- the run --------------------------------------------------------------------------


def rollup_output_clear() -> None:
    """Themes, members, events, runs and counts: what a roll-up writes (and whatever
    refers to them)."""
    from django.db import connection

    from signalen.models import (
        RollupRun,
        SignaalTelling,
        ThemaGebeurtenis,
        ThemaLid,
        WijkThema,
    )

    tables = [
        m._meta.db_table
        for m in (ThemaGebeurtenis, ThemaLid, WijkThema, RollupRun, SignaalTelling)
    ]
    with connection.cursor() as cursor:
        # CASCADE: other apps' rows that point at themes go too (throwaway database).
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def team_layout() -> tuple[dict[int, int], dict[int, list[int]], dict[int, list[int]]]:
    """(wijk → team, team → professionals, wijk → buurten) as stored."""
    from accounts.models import Team
    from wijken.models import Buurt

    team_of_wijk = dict(
        Team.wijken.through.objects.order_by("team_id", "wijk_id").values_list(
            "wijk_id", "team_id"
        )
    )
    members: dict[int, list[int]] = {}
    for team_id, user_id in Team.members.through.objects.order_by(
        "team_id", "user_id"
    ).values_list("team_id", "user_id"):
        members.setdefault(team_id, []).append(user_id)
    buurten: dict[int, list[int]] = {}
    for wijk_id, buurt_id in Buurt.objects.order_by("wijk_id", "pk").values_list(
        "wijk_id", "pk"
    ):
        buurten.setdefault(wijk_id, []).append(buurt_id)
    return team_of_wijk, members, buurten


def representations_store(*, show: bool, ids: tuple[int, int] | None = None) -> int:
    """Store what the worker stores at intake for every signal that has none yet:
    stems (``text.stems``) and a 384-dim float16 vector. The vector is a hashing
    stand-in for e5 (sum of one seeded random vector per stem, normalised): same size
    and cost to load and use, no model run (embedding 1,000,000 texts with e5 takes
    hours). Its ``created_at`` is the signal's, as if made at intake; ``ids`` (first,
    last): only those signals. COPY in chunks. Returns the rows stored."""
    import hashlib
    import json

    import numpy as np
    from django.db import connection

    from signalen.models import Signaal, SignaalVector
    from signalen.themes.rollup import text as dutch

    cache: dict[str, np.ndarray] = {}

    def stem_vector(stem: str) -> np.ndarray:
        found = cache.get(stem)
        if found is None:
            seed = int.from_bytes(hashlib.sha256(stem.encode()).digest()[:8], "little")
            found = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
            cache[stem] = found
        return found

    missing = Signaal.objects.filter(vector__isnull=True).exclude(text="")
    if ids is not None:
        missing = missing.filter(pk__gte=ids[0], pk__lte=ids[1])
    todo = missing.count()
    table = SignaalVector._meta.db_table
    stored = 0
    last = 0
    progress = bar(range(todo), "stems and vectors", show)
    while True:
        rows = list(
            missing.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "text", "created_at")[:20000]
        )
        if not rows:
            break
        last = rows[-1][0]
        with connection.cursor() as cursor:
            copy_sql = (
                f"COPY {table} (signaal_id, vector, model, stems, created_at) "
                "FROM STDIN"
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for pk, text, created in rows:
                    stems = dutch.stems(text)
                    vector = np.zeros(384, dtype=np.float32)
                    for stem in stems:
                        vector += stem_vector(stem)
                    norm = float(np.linalg.norm(vector))
                    if norm:
                        vector /= norm
                    copy.write_row(
                        (
                            pk,
                            vector.astype("<f2").tobytes(),
                            "bench-hash-384",
                            json.dumps(stems),
                            created,
                        )
                    )
        stored += len(rows)
        progress.update(len(rows))
    progress.close()
    return stored


def workers_pass(
    count: int,
    wijk_ids: list[int],
    per_wijk: dict[int, int],
    as_of: datetime.date,
    redis_port: int,
) -> float:
    """A cold full pass through Celery: clear the roll-up output, start ``count``
    worker processes (solo pool, one task at a time each) on our own Redis, send a
    ``rollup_wijk_task`` per wijk (biggest first), and time until every wijk has a
    finished run. Returns the seconds from sending the first task."""
    import signal
    import subprocess

    from celery import Celery
    from django.utils import timezone

    from signalen.models import RollupRun

    rollup_output_clear()
    url = f"redis://127.0.0.1:{redis_port}/0"
    env = {**os.environ, "REDIS_URL": url, "CELERY_TASK_ALWAYS_EAGER": "false"}
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "buurtwijs",
                "worker",
                "--pool",
                "solo",
                "-n",
                f"bench{i}@%h",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        for i in range(count)
    ]
    try:
        app = Celery("bench", broker=url)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                replies = app.control.ping(timeout=1.0) or []
            except OSError:  # Redis still starting
                time.sleep(0.5)
                continue
            if len(replies) >= count:
                break
        else:
            raise SystemExit(f"(f): {count} workers did not answer in 120 s")
        sent_at = timezone.now()
        started = time.perf_counter()
        for wijk_id in sorted(wijk_ids, key=lambda w: (-per_wijk.get(w, 0), w)):
            app.send_task(
                "signalen.tasks.rollup_wijk_task",
                args=[wijk_id],
                kwargs={"trigger": "manual", "as_of": as_of.isoformat()},
            )
        done = RollupRun.objects.filter(
            started_at__gte=sent_at,
            status__in=[RollupRun.Status.SUCCESS, RollupRun.Status.FAILED],
        )
        while done.values("wijk_id").distinct().count() < len(wijk_ids):
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        failed = done.filter(status=RollupRun.Status.FAILED).count()
        if failed:
            print(f"(f) {count} workers: {failed} runs failed", file=sys.stderr)
        return seconds
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)


def workers_passes(
    args: argparse.Namespace,
    wijken: list[Any],
    per_wijk: dict[int, int],
    as_of: datetime.date,
) -> dict[int, float]:
    """(f): a cold full pass with 1 worker and with ``--workers``, on our own Redis
    (``--redis-port``, started and stopped here). Seconds per worker count."""
    import subprocess

    passes: dict[int, float] = {}
    command = ["redis-server", "--port", str(args.redis_port), "--save", ""]
    redis_server = subprocess.Popen(
        [*command, "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL
    )
    try:
        for count in sorted({1, args.workers}):
            passes[count] = workers_pass(
                count, [w.pk for w in wijken], per_wijk, as_of, args.redis_port
            )
    finally:
        redis_server.terminate()
        redis_server.wait(timeout=30)
    return passes


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def run(
    args: argparse.Namespace,
    sizes: Sizes,
    signal_sizes: SignalSizes,
    *,
    generate_data: bool,
) -> None:
    import django

    django.setup()
    import random

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count, Q
    from django.utils import timezone

    from bench.generate import NOW, generate
    from bench.generate_signals import (
        check_signal_database,
        phrasebook,
        signals,
        signals_create,
    )
    from signalen.models import (
        Signaal,
        SignaalTelling,
        SignaalVector,
        ThemaLid,
        WijkThema,
    )
    from signalen.themes.rollup.represent import vectorise
    from signalen.themes.runs import (
        _load_signals,
        counts_rebuild,
        params_from_settings,
        rollup_wijk,
    )
    from wijken.models import Wijk

    show = not args.quiet
    load_before = load_average()
    seconds, _ = timed(lambda: call_command("migrate", verbosity=0))
    print(f"migrated in {seconds:.1f} s", file=sys.stderr)
    if generate_data:
        check_signal_database(signal_sizes)
        seconds, base = timed(lambda: generate(sizes, seed=args.seed, show=show))
        seconds_signals, out = timed(
            lambda: signals(base, signal_sizes, seed=args.seed, show=show)
        )
        print(
            f"generated in {seconds + seconds_signals:.1f} s "
            f"(signals {seconds_signals:.1f} s): "
            + ", ".join(f"{n:,} {k}" for k, n in {**base.counts, **out.counts}.items())
        )
    else:
        rollup_output_clear()
        print("reused the database; cleared the roll-up output", file=sys.stderr)

    seconds, stored = timed(lambda: representations_store(show=show))
    print(f"stored stems and vectors of {stored:,} signals in {seconds:.1f} s")

    params = params_from_settings()
    as_of = NOW.date()
    start = as_of - datetime.timedelta(days=params.window_days)
    wijken = list(Wijk.objects.order_by("code"))
    live = Signaal.objects.filter(withdrawn_at__isnull=True)
    total = Signaal.objects.count()
    per_wijk = dict(live.values_list("wijk_id").annotate(n=Count("pk")).order_by())
    window_per_wijk = dict(
        live.filter(observed_on__gt=start, observed_on__lte=as_of)
        .values_list("wijk_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    busiest = max(wijken, key=lambda w: (per_wijk.get(w.pk, 0), -w.pk))
    print(
        f"\n{total:,} signals in {len(wijken)} wijken "
        f"({sum(1 for w in wijken if per_wijk.get(w.pk))} with signals), "
        f"{sum(window_per_wijk.values()):,} in the {params.window_days}-day window up "
        f"to {as_of}; busiest wijk {busiest.code}: {per_wijk.get(busiest.pk, 0):,} "
        f"signals, {window_per_wijk.get(busiest.pk, 0):,} in the window; "
        f"median wijk {sorted(per_wijk.values())[len(per_wijk) // 2] if per_wijk else 0:,}"
    )
    print(
        f"PostgreSQL {getattr(connection, 'pg_version', 0) // 10000}, {os.cpu_count()} cores, "
        f"variant {params.variant}, cluster_cap {params.cluster_cap}, "
        f"load average before: {load_before}"
    )

    if args.workers_only:
        passes = workers_passes(args, wijken, per_wijk, as_of)
        for count, seconds in passes.items():
            note = (
                f"  {passes[1] / seconds:.2f}x the 1-worker pass" if count > 1 else ""
            )
            print(
                f"(f) cold full pass, {count} Celery worker(s): {seconds:.2f} s{note}"
            )
        print(f"load average before: {load_before}; after: {load_average()}")
        return

    # load + (a) the floor --------------------------------------------------------------
    load_seconds = 0.0
    floor_of: dict[int, float] = {}
    with phase() as floor_phase:
        for wijk in bar(wijken, "(a) floor: vectorise", show):
            seconds, loaded = timed(
                partial(_load_signals, wijk, as_of, params.window_days)
            )
            load_seconds += seconds
            if loaded:
                floor_of[wijk.pk], _ = timed(partial(vectorise, loaded, params))
            del loaded
    floor = sum(floor_of.values())

    # (b) full roll-up, cold ------------------------------------------------------------
    def full_rollup(desc: str) -> tuple[Phase, dict[str, Any]]:
        figures: dict[str, Any] = {
            "created": 0,
            "updated": 0,
            "closed": 0,
            "read": 0,
            "slowest": (0.0, None, 0),
            "busiest": 0.0,
            "modes": Counter(),
        }
        with phase() as measured:
            for wijk in bar(wijken, desc, show):
                seconds, rollup_run = timed(
                    partial(rollup_wijk, wijk, trigger="manual", as_of=as_of)
                )
                figures["created"] += rollup_run.themes_created
                figures["updated"] += rollup_run.themes_updated
                figures["closed"] += rollup_run.themes_closed
                figures["read"] += rollup_run.signals_read
                figures["modes"][rollup_run.mode] += 1
                if seconds > figures["slowest"][0]:
                    figures["slowest"] = (seconds, wijk, rollup_run.signals_read)
                if wijk.pk == busiest.pk:
                    figures["busiest"] = seconds
        return measured, figures

    full, first = full_rollup("(b) full roll-up")
    current = WijkThema.objects.filter(is_current=True)
    themes_found = current.count()
    in_themes = (
        ThemaLid.objects.filter(thema__is_current=True)
        .values("signaal_id")
        .distinct()
        .count()
    )
    tellingen = SignaalTelling.objects.count()
    biggest_theme = current.order_by("-size").values_list("size", flat=True).first()

    # (c) incremental: new signals in the busiest wijk ---------------------------------
    team_of_wijk, members, buurten = team_layout()
    with transaction.atomic():
        new_first, _, _ = signals_create(
            random.Random(f"new-{args.seed}"),
            phrasebook(),
            count=args.new,
            wijk_weights={busiest.pk: 1.0},
            team_of_wijk=team_of_wijk,
            members_of_team=members,
            buurten_by_wijk=buurten,
            show=False,
            desc="new signals",
            days=NEW_SIGNALS_DAYS,
            seed=args.seed,
        )
    # As at intake: logged now, stems and vector stored by the worker before the
    # debounced run starts.
    new_ids = (new_first, new_first + args.new - 1)
    Signaal.objects.filter(pk__gte=new_ids[0], pk__lte=new_ids[1]).update(
        created_at=timezone.now(), updated_at=timezone.now()
    )
    representations_store(show=False, ids=new_ids)
    SignaalVector.objects.filter(
        signaal_id__gte=new_ids[0], signaal_id__lte=new_ids[1]
    ).update(created_at=timezone.now())
    with phase() as incremental:
        incremental_run = rollup_wijk(busiest, trigger="manual", as_of=as_of)
    new_in_themes = ThemaLid.objects.filter(
        signaal_id__gte=new_first,
        signaal_id__lt=new_first + args.new,
        thema__is_current=True,
    ).count()

    # (d) counts alone -----------------------------------------------------------------
    with phase() as counts_phase, transaction.atomic():
        counts_rows = counts_rebuild(busiest)

    # (e) second full roll-up -----------------------------------------------------------
    second_full, second = full_rollup("(e) second full roll-up")

    # (f) across workers ------------------------------------------------------------
    passes = workers_passes(args, wijken, per_wijk, as_of) if args.workers else {}
    load_after = load_average()

    # report ------------------------------------------------------------------------------
    busiest_floor = floor_of.get(busiest.pk, 0.0)
    slowest_seconds, slowest_wijk, slowest_read = first["slowest"]

    def ratio(seconds: float, against: float) -> str:
        return f"{seconds / against:8.2f}x" if against else "       -"

    def line(label: str, seconds: float, note: str = "", own: float = 0.0) -> None:
        own_ratio = f"  {seconds / own:6.2f}x own wijk floor" if own else ""
        print(f"{label:44} {seconds:9.2f} s {ratio(seconds, floor)}{own_ratio}  {note}")

    print(f"\n{'':44} {'seconds':>11} {'x floor':>9}")
    line(
        "(a) floor: vectorise every window",
        floor,
        f"busiest wijk {busiest_floor:.2f} s; peak RSS {floor_phase.peak_mb:,.0f} MB",
    )
    line("    load windows from PostgreSQL", load_seconds, "(outside the floor)")
    line(
        "(b) full roll-up, every wijk, cold",
        full.seconds,
        f"peak RSS {full.peak_mb:,.0f} MB; {first['read']:,} signals read; "
        f"{first['created']} themes created",
    )
    line(
        "    slowest wijk",
        slowest_seconds,
        f"{slowest_wijk.code if slowest_wijk else '-'}: {slowest_read:,} signals",
        own=floor_of.get(slowest_wijk.pk, 0.0) if slowest_wijk else 0.0,
    )
    line(
        f"    busiest wijk {busiest.code}",
        first["busiest"],
        f"{window_per_wijk.get(busiest.pk, 0):,} signals in the window",
        own=busiest_floor,
    )
    line(
        f"(c) incremental, busiest wijk +{args.new}",
        incremental.seconds,
        f"peak RSS {incremental.peak_mb:,.0f} MB; {incremental_run.signals_read:,} "
        f"read; created {incremental_run.themes_created}, updated "
        f"{incremental_run.themes_updated}, closed {incremental_run.themes_closed}; "
        f"{new_in_themes}/{args.new} new signals in a theme",
        own=busiest_floor,
    )
    line(
        "(d) counts_rebuild, busiest wijk",
        counts_phase.seconds,
        f"{counts_rows:,} rows from {per_wijk.get(busiest.pk, 0) + args.new:,} signals",
        own=busiest_floor,
    )
    line(
        "(e) second full roll-up (nothing changed)",
        second_full.seconds,
        f"peak RSS {second_full.peak_mb:,.0f} MB; created {second['created']}, "
        f"updated {second['updated']}, closed {second['closed']}; runs: "
        + ", ".join(f"{n} {mode}" for mode, n in sorted(second["modes"].items())),
    )
    for count, seconds in passes.items():
        line(
            f"(f) cold full pass, {count} Celery worker{'s' if count > 1 else ''}",
            seconds,
            f"{passes[1] / seconds:.2f}x the 1-worker pass" if count > 1 else "",
        )
    window_total = first["read"]
    print(
        f"\nthemes found: {themes_found:,} current (largest {biggest_theme or 0:,} "
        f"signals); signals in themes: {in_themes:,} of {window_total:,} in the window "
        f"({in_themes / max(window_total, 1):.0%}), noise: "
        f"{window_total - in_themes:,}; SignaalTelling rows: {tellingen:,}"
    )
    print(
        "modes (b): "
        + ", ".join(f"{n} {mode}" for mode, n in sorted(first["modes"].items()))
        + f"; (c): {incremental_run.mode}"
    )
    print(f"load average before: {load_before}; after: {load_after}")
    themes_with = (
        WijkThema.objects.filter(is_current=True).values("wijk_id").distinct().count()
    )
    print(
        f"wijken with a current theme: {themes_with} of {len(wijken)}; "
        f"withdrawn signals: {Signaal.objects.filter(~Q(withdrawn_at=None)).count():,}"
    )

    if args.keep:  # leave the generated data as generated, for --reuse
        Signaal.objects.filter(pk__gte=new_first, pk__lt=new_first + args.new).delete()
        rollup_output_clear()


if __name__ == "__main__":
    main()

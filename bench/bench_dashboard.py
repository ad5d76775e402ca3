"""The officers' dashboard on a million signals, against the same template rendered
with a static context, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/bench_dashboard.py [--runs 25] [--database bw_bench_dash] \\
        [--keep] [--reuse] [--counts sql|orm] [--quiet] \\
        [--signals 1000000] [size options of generate.py]

Creates the PostgreSQL database ``--database`` on the server DATABASE_URL points at,
migrates it and fills it with bench/generate.py (300 wijken, 1,200 buurten, CBS figures
for every wijk, 100,000 residents, 20,000 initiatives) and bench/generate_signals.py
(teams, professionals, 1,000,000 signals by COPY). Then, directly with the ORM and SQL
(no roll-up engine run):

- CBS figures for every buurt too (so the blind spots have something to rank);
- the frozen facts and counts (``SignaalFeit``, ``SignaalTelling``: each signal in the
  week it was logged, signalen.intake.facts): ``--counts sql`` (default) writes them
  with one ``INSERT ... SELECT`` each and then checks, on the busiest wijk, that
  ``rollup_runs.counts_rebuild`` finds nothing to change; ``--counts orm`` runs
  ``facts_backfill`` for every wijk;
- 4 to 10 themes per wijk (``WijkThema``; at least two shared with the gemeente, the
  rest team, gemeente or publiek, mixed statuses) with members (``ThemaLid``: 95 % of
  the signals of the 180-day window, skewed over the themes), and sizes from them;
- a successful ``RollupRun`` per wijk (freshness);
- an ambtenaar of the busiest wijk's gemeente with an authenticator app (TOTP), so the
  MFA middleware lets them through (checked).

``--reuse`` takes a database made with ``--keep`` as it is. The database is dropped at
the end, also after an error, unless ``--keep``.

Then, in this process and without a server, it calls each dashboard view with a
RequestFactory request of that officer, "today" fixed at generate.NOW (2026-11-01), so
the periods fall on the generated data whatever the date. Per row: 3 warm-up requests,
then ``--runs`` timed ones; median and p90 in ms, queries per request, response size.
The baseline of each row is the same template rendered (``render``) with the context
the view passed in one real request, captured and kept as it was: the same page size,
no database work (checked). For the CSV exports the baseline is ``csv_response`` of the
same sheets. Target (issue 6): the median within 3x of the baseline and under 150 ms.
For a row that misses it, the queries of one request are printed, slowest first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import statistics
import sys
import time
import urllib.parse
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_rollup import (  # noqa: E402
    bar,
    load_average,
    throwaway_database,
)
from bench.generate import Sizes, add_size_arguments, sizes_from  # noqa: E402
from bench.generate_signals import (  # noqa: E402
    SignalSizes,
    add_signal_arguments,
    signal_sizes_from,
)

DEFAULT_DATABASE = "bw_bench_dash"
WARMUP = 3
RENEWED_RUNS = 5
TARGET_RATIO = 3.0
TARGET_MS = 150.0
WINDOW_DAYS = 180
OFFICER_EMAIL = "ambtenaar@bench.example"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 - a throwaway test secret
THEME_STATUSES = {
    "gesignaleerd": 35,
    "erkend": 25,
    "opgepakt": 20,
    "afgerond": 10,
    "verworpen": 10,
}
THEME_VISIBILITY = {"team": 30, "gemeente": 50, "publiek": 20}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_arguments(parser, Sizes())
    add_signal_arguments(parser, SignalSizes())
    parser.add_argument("--runs", type=int, default=25, help="timed requests per row")
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--reuse", action="store_true", help="use the existing --database as it is"
    )
    parser.add_argument(
        "--counts",
        choices=("sql", "orm"),
        default="sql",
        help="build SignaalFeit and SignaalTelling with INSERT ... SELECT (checked "
        "against counts_rebuild on the busiest wijk) or facts_backfill per wijk",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument(
        "--port",
        type=int,
        help="the cache: a Redis on 127.0.0.1:PORT (db 0, cleared by the bench), as "
        "in production; without it REDIS_URL, and without that Django's local memory",
    )
    parser.add_argument(
        "--states-only",
        action="store_true",
        help="measure only the real case (after a signal and its roll-up, cold, warm)",
    )
    parser.add_argument(
        "--reps",
        type=int,
        default=5,
        help="signals (each with its roll-up) in the real case",
    )
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="make the data and stop (with --keep, for later runs with --reuse)",
    )
    args = parser.parse_args()
    sizes = sizes_from(args)
    signal_sizes = signal_sizes_from(args)
    with throwaway_database(args.database, reuse=args.reuse, keep=args.keep):
        run(args, sizes, signal_sizes, generate_data=not args.reuse)


# --- the data the dashboards read ------------------------------------------------------


def buurt_figures_create(rng: random.Random, *, show: bool) -> int:
    """CBS figures for every buurt: the wijk's inhabitants split over its buurten, the
    other figures drawn around the wijk's (so some buurten stand out)."""
    from bench.generate import KERNCIJFERS_YEAR, bulk_insert
    from wijken.models import Buurt, Kerncijfers, Level

    wijk_figures = {
        k.code: k for k in Kerncijfers.objects.filter(level=Level.WIJK).order_by("code")
    }
    by_wijk: dict[str, list[str]] = {}
    for wijk_code, buurt_code in Buurt.objects.order_by(
        "wijk__code", "code"
    ).values_list("wijk__code", "code"):
        by_wijk.setdefault(wijk_code, []).append(buurt_code)
    objs = []

    def near(value: float | None, spread: float, top: float = 100.0) -> float | None:
        if value is None:
            return None
        return round(min(top, max(0.0, value + rng.uniform(-spread, spread))), 1)

    for wijk_code, codes in by_wijk.items():
        w = wijk_figures.get(wijk_code)
        if w is None or not w.inhabitants:
            continue
        shares = [rng.uniform(0.5, 2.0) for _ in codes]
        for code, share in zip(codes, shares, strict=True):
            inhabitants = max(50, int(w.inhabitants * share / sum(shares)))
            size = near(w.avg_household_size, 0.4, 4.0) or 2.0
            men = int(inhabitants * rng.uniform(0.46, 0.52))
            objs.append(
                Kerncijfers(
                    level=Level.BUURT,
                    code=code,
                    year=KERNCIJFERS_YEAR,
                    inhabitants=inhabitants,
                    men=men,
                    women=inhabitants - men,
                    households=int(inhabitants / max(size, 1.0)),
                    avg_household_size=size,
                    pct_age_0_15=near(w.pct_age_0_15, 4),
                    pct_age_15_25=near(w.pct_age_15_25, 3),
                    pct_age_25_45=near(w.pct_age_25_45, 5),
                    pct_age_45_65=near(w.pct_age_45_65, 5),
                    pct_age_65_plus=near(w.pct_age_65_plus, 8),
                    pct_single_person_households=near(
                        w.pct_single_person_households, 12
                    ),
                    population_density=w.population_density,
                    income_per_inhabitant=(
                        None
                        if rng.random() < 0.15
                        else near(w.income_per_inhabitant, 8)
                    ),
                    source="bench/bench_dashboard.py",
                )
            )
    return len(bulk_insert(Kerncijfers, objs, desc="buurt kerncijfers", show=show))


def counts_sql() -> int:
    """The frozen facts of every signal (signalen.intake.facts: the week it was
    logged, in Europe/Amsterdam) and the three groupings of counts from them, for
    every wijk, with SQL. Returns the number of count rows."""
    from django.db import connection

    from signalen.models import Signaal, SignaalFeit, SignaalTelling

    telling = SignaalTelling._meta.db_table
    signaal = Signaal._meta.db_table
    feit = SignaalFeit._meta.db_table
    feit_groups = SignaalFeit.doelgroepen.through._meta.db_table
    through = Signaal.doelgroepen.through._meta.db_table
    logged = "date_trunc('week', s.created_at AT TIME ZONE 'Europe/Amsterdam')::date"
    facts = [
        f"""INSERT INTO {feit} (signaal_id, wijk_id, buurt_id, categorie_id, week)
        SELECT s.id, s.wijk_id, s.buurt_id, s.categorie_id, {logged}
        FROM {signaal} s WHERE s.withdrawn_at IS NULL""",
        f"""INSERT INTO {feit_groups} (signaalfeit_id, doelgroep_id)
        SELECT f.id, d.doelgroep_id FROM {feit} f
        JOIN {through} d ON d.signaal_id = f.signaal_id""",
    ]
    counts = [
        f"""INSERT INTO {telling} (wijk_id, buurt_id, categorie_id, doelgroep_id, week, count)
        SELECT f.wijk_id, NULL, f.categorie_id, NULL, f.week, count(*)
        FROM {feit} f GROUP BY f.wijk_id, f.categorie_id, f.week""",
        f"""INSERT INTO {telling} (wijk_id, buurt_id, categorie_id, doelgroep_id, week, count)
        SELECT f.wijk_id, f.buurt_id, f.categorie_id, NULL, f.week, count(*)
        FROM {feit} f WHERE f.buurt_id IS NOT NULL
        GROUP BY f.wijk_id, f.buurt_id, f.categorie_id, f.week""",
        f"""INSERT INTO {telling} (wijk_id, buurt_id, categorie_id, doelgroep_id, week, count)
        SELECT f.wijk_id, NULL, f.categorie_id, d.doelgroep_id, f.week, count(*)
        FROM {feit} f JOIN {feit_groups} d ON d.signaalfeit_id = f.id
        GROUP BY f.wijk_id, d.doelgroep_id, f.categorie_id, f.week""",
    ]
    total = 0
    with connection.cursor() as cursor:
        for sql in facts:
            cursor.execute(sql)
        for sql in counts:
            cursor.execute(sql)
            total += cursor.rowcount
    return total


def counts_of(wijk: Any) -> list[tuple[Any, ...]]:
    from signalen.models import SignaalTelling

    return sorted(
        SignaalTelling.objects.filter(wijk=wijk).values_list(
            "buurt_id", "categorie_id", "doelgroep_id", "week", "count"
        ),
        key=repr,
    )


def themes_create(rng: random.Random, wijken: list[Any], *, as_of: dt.date) -> int:
    """4 to 10 themes per wijk with members from the 180-day window; returns members."""
    from django.db import connection

    from bench.generate import NOW
    from bench.generate_signals import WORD, phrasebook
    from signalen.models import Categorie, Signaal, ThemaLid, WijkThema

    book = phrasebook()
    categories = dict(Categorie.objects.values_list("code", "pk"))
    themes = []
    for wijk in wijken:
        for i, label in enumerate(rng.sample(book.labels, k=rng.randint(4, 10))):
            words = []
            for clause in book.clauses[label]:
                for word in WORD.findall(clause.lower()):
                    if word not in words:
                        words.append(word)
            status = rng.choices(list(THEME_STATUSES), list(THEME_STATUSES.values()))[0]
            visibility = (
                "gemeente"
                if i < 2
                else rng.choices(
                    list(THEME_VISIBILITY), list(THEME_VISIBILITY.values())
                )[0]
            )
            code = max(set(book.categories[label]), key=book.categories[label].count)
            themes.append(
                WijkThema(
                    wijk=wijk,
                    label=" ".join(words[:4]),
                    name=label.replace("_", " ").capitalize()
                    if rng.random() < 0.5
                    else "",
                    keywords=words[:8],
                    categorie_id=categories.get(code),
                    status=status,
                    status_reason="Geen thema voor de gemeente."
                    if status == "verworpen"
                    else "",
                    visibility=visibility,
                    trend=rng.choice(["rising", "stable", "falling"]),
                    status_changed_at=NOW,
                )
            )
    WijkThema.objects.bulk_create(themes, batch_size=2000)
    thema = WijkThema._meta.db_table
    lid = ThemaLid._meta.db_table
    signaal = Signaal._meta.db_table
    start = as_of - dt.timedelta(days=WINDOW_DAYS)
    with connection.cursor() as cursor:
        # 95 % of the window's signals in a theme, skewed towards each wijk's first.
        cursor.execute(
            f"""WITH t AS (
                SELECT id, wijk_id,
                       row_number() OVER (PARTITION BY wijk_id ORDER BY id) - 1 AS idx,
                       count(*) OVER (PARTITION BY wijk_id) AS n
                FROM {thema})
            INSERT INTO {lid} (thema_id, signaal_id, added_at)
            SELECT t.id, s.id, %s
            FROM {signaal} s JOIN t ON t.wijk_id = s.wijk_id
             AND t.idx = floor(t.n * power(((s.id * 7919) %% 1000) / 1000.0, 2))
            WHERE s.withdrawn_at IS NULL AND s.observed_on > %s
              AND s.observed_on <= %s AND s.id %% 20 <> 0""",
            [NOW, start, as_of],
        )
        members = cursor.rowcount
        cursor.execute(
            f"""UPDATE {thema} w SET size = a.n, authors = a.authors,
                   first_observed_on = a.first, last_observed_on = a.last,
                   recent_count = a.recent, baseline_count = a.n - a.recent
            FROM (SELECT l.thema_id, count(*) AS n,
                         count(DISTINCT s.author_id) AS authors,
                         min(s.observed_on) AS first, max(s.observed_on) AS last,
                         count(*) FILTER (WHERE s.observed_on > %s) AS recent
                  FROM {lid} l JOIN {signaal} s ON s.id = l.signaal_id
                  GROUP BY l.thema_id) a
            WHERE a.thema_id = w.id""",
            [as_of - dt.timedelta(days=56)],
        )
    return members


def runs_create(wijken: list[Any]) -> None:
    from bench.generate import NOW
    from signalen.models import RollupRun, WijkThema

    runs = RollupRun.objects.bulk_create(
        [
            RollupRun(
                wijk=wijk,
                trigger=RollupRun.Trigger.NIGHTLY,
                status=RollupRun.Status.SUCCESS,
                started_at=NOW - dt.timedelta(minutes=3),
                finished_at=NOW,
            )
            for wijk in wijken
        ]
    )
    for rollup_run in runs:
        WijkThema.objects.filter(wijk_id=rollup_run.wijk_id).update(last_run=rollup_run)


def officer_create(gemeente: Any) -> Any:
    from accounts.mfa import totp_activate
    from accounts.models import Role, User

    user = User.objects.create_user(
        email=OFFICER_EMAIL,
        password=None,
        display_name="Bench Ambtenaar",
        role=Role.AMBTENAAR,
        gemeente=gemeente,
    )
    totp_activate(user=user, secret=TOTP_SECRET)
    return user


def relation_sizes() -> dict[str, tuple[int, str]]:
    """Rows (estimated by ANALYZE) and total size of the big tables."""
    from django.db import connection

    from signalen.models import Signaal, SignaalFeit, SignaalTelling, ThemaLid

    tables = [
        Signaal._meta.db_table,
        Signaal.doelgroepen.through._meta.db_table,
        SignaalFeit._meta.db_table,
        SignaalFeit.doelgroepen.through._meta.db_table,
        SignaalTelling._meta.db_table,
        ThemaLid._meta.db_table,
    ]
    out = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT reltuples::bigint, pg_size_pretty(pg_total_relation_size(oid)) "
                "FROM pg_class WHERE relname = %s",
                [table],
            )
            rows, size = cursor.fetchone()
            out[table] = (int(rows), size)
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        out["database"] = (0, cursor.fetchone()[0])
    return out


# --- the run --------------------------------------------------------------------------


def run(
    args: argparse.Namespace,
    sizes: Sizes,
    signal_sizes: SignalSizes,
    *,
    generate_data: bool,
) -> None:
    import django

    if args.port:  # after throwaway_database, which leaves the cache local
        os.environ["REDIS_URL"] = f"redis://127.0.0.1:{args.port}/0"
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count

    from accounts.mfa import has_mfa
    from accounts.models import User
    from bench.generate import NOW, generate, timed
    from bench.generate_signals import check_signal_database, signals
    from initiatieven.models import Initiatief
    from signalen.models import (
        Categorie,
        Doelgroep,
        Signaal,
        SignaalTelling,
        ThemaLid,
        WijkThema,
    )
    from signalen.themes.runs import counts_rebuild
    from wijken.models import Kerncijfers, Wijk

    show = not args.quiet
    as_of = NOW.date()
    load_before = load_average()
    seconds, _ = timed(lambda: call_command("migrate", verbosity=0))
    print(f"migrated in {seconds:.1f} s", file=sys.stderr)
    wijken = list(Wijk.objects.select_related("gemeente").order_by("code"))
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
        wijken = list(Wijk.objects.select_related("gemeente").order_by("code"))
    per_wijk = dict(
        Signaal.objects.values_list("wijk_id").annotate(n=Count("pk")).order_by()
    )
    busiest = max(wijken, key=lambda w: (per_wijk.get(w.pk, 0), -w.pk))
    # The median wijk of the officer's gemeente (the officer reads only that one).
    ranked = sorted(
        (w for w in wijken if w.gemeente_id == busiest.gemeente_id),
        key=lambda w: (per_wijk.get(w.pk, 0), w.pk),
    )
    median_wijk = ranked[len(ranked) // 2]

    if generate_data:
        rng = random.Random(f"dashboard-{args.seed}")
        started = time.perf_counter()
        with transaction.atomic():
            n_figures = buurt_figures_create(rng, show=show)
        print(
            f"buurt kerncijfers: {n_figures:,} in {time.perf_counter() - started:.1f} s"
        )
        started = time.perf_counter()
        if args.counts == "sql":
            with transaction.atomic():
                n_counts = counts_sql()
            seconds = time.perf_counter() - started
            # counts_rebuild writes only rows of the running block that differ: on
            # the SQL facts and rows of the busiest wijk it must leave all as it is.
            before = counts_of(busiest)
            check_started = time.perf_counter()
            with transaction.atomic():
                rebuilt = counts_rebuild(busiest)
            check_seconds = time.perf_counter() - check_started
            after = counts_of(busiest)
            same = before == after and rebuilt == len(before)
            print(
                f"counts (INSERT ... SELECT): {n_counts:,} rows in {seconds:.1f} s; "
                f"counts_rebuild({busiest.code}) gives the same {rebuilt:,} rows: "
                f"{'yes' if same else 'NO'} ({check_seconds:.1f} s)"
            )
            if not same:
                raise SystemExit("The SQL counts differ from counts_rebuild's.")
        else:
            from signalen.intake.facts import facts_backfill

            with transaction.atomic():
                for w in bar(wijken, "facts_backfill", show):
                    facts_backfill(wijk_ids=[w.pk])
                n_counts = SignaalTelling.objects.count()
            print(
                f"counts (facts_backfill per wijk): {n_counts:,} rows in "
                f"{time.perf_counter() - started:.1f} s"
            )
        started = time.perf_counter()
        with transaction.atomic():
            members = themes_create(rng, wijken, as_of=as_of)
            runs_create(wijken)
            officer_create(busiest.gemeente)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"themes, members, runs, officer in {time.perf_counter() - started:.1f} s "
            f"({members:,} theme members)"
        )

    if args.build_only:
        return
    officer = User.objects.select_related("gemeente").get(email=OFFICER_EMAIL)
    if not has_mfa(officer):
        raise SystemExit(
            "The officer has no authenticator: the MFA check would stop them."
        )
    officer = User.objects.select_related("gemeente").get(pk=officer.pk)  # no cache

    shared = WijkThema.objects.filter(
        is_current=True, visibility__in=("gemeente", "publiek")
    ).exclude(status="verworpen")
    sizes_db = relation_sizes()
    n_signals = Signaal.objects.count()
    print(
        f"\ndata: {n_signals:,} signals in {len(wijken)} wijken "
        f"({Kerncijfers.objects.filter(level='wijk').count():,} wijken and "
        f"{Kerncijfers.objects.filter(level='buurt').count():,} buurten with CBS "
        f"figures), {Initiatief.objects.count():,} initiatives, "
        f"{SignaalTelling.objects.count():,} SignaalTelling rows, "
        f"{WijkThema.objects.count():,} themes ({shared.count():,} shown to officers), "
        f"{ThemaLid.objects.count():,} theme members"
    )
    print(
        "sizes: "
        + "; ".join(
            f"{table} {size}" + (f" (~{rows:,} rows)" if rows else "")
            for table, (rows, size) in sizes_db.items()
        )
    )
    busiest_tellingen = SignaalTelling.objects.filter(wijk=busiest).count()
    print(
        f"busiest wijk {busiest.code} (gemeente {busiest.gemeente.code}, "
        f"{len([w for w in wijken if w.gemeente_id == busiest.gemeente_id])} wijken): "
        f"{per_wijk.get(busiest.pk, 0):,} signals, {busiest_tellingen:,} count rows, "
        f"{shared.filter(wijk=busiest).count()} shared themes with "
        f"{ThemaLid.objects.filter(thema__in=shared.filter(wijk=busiest)).count():,} "
        f"members; median wijk of that gemeente {median_wijk.code}: "
        f"{per_wijk.get(median_wijk.pk, 0):,} signals"
    )

    states = real_case(
        args,
        officer=officer,
        busiest=busiest,
        median_wijk=median_wijk,
        as_of=as_of,
    )
    if args.states_only:
        states_report(args, states, load_before=load_before, as_of=as_of)
        return
    times = timing(
        args,
        officer=officer,
        busiest=busiest,
        median_wijk=median_wijk,
        as_of=as_of,
        category=busiest_category(busiest, Categorie),
        doelgroep=Doelgroep.objects.order_by("order", "name")[0].code,
    )
    load_after = load_average()
    report(args, times, load_before=load_before, load_after=load_after, as_of=as_of)
    states_report(args, states, load_before=load_before, as_of=as_of)


def busiest_category(wijk: Any, Categorie: Any) -> str:
    from django.db.models import Sum

    from signalen.models import SignaalTelling

    top = (
        SignaalTelling.objects.filter(wijk=wijk, buurt=None, doelgroep=None)
        .values("categorie__code")
        .annotate(n=Sum("count"))
        .order_by("-n")
        .first()
    )
    return top["categorie__code"] if top else Categorie.objects.first().code


# --- timing ---------------------------------------------------------------------------

# A wijk page renders its content apart (and caches it, dashboard/views.py): the
# baseline renders the whole page with the content's context, as before the cache.
PAGE_OF_CONTENT = {
    "dashboard/_officer_wijk_content.html": "dashboard/officer_wijk.html",
    "dashboard/_wijk_page_content.html": "dashboard/wijk_page.html",
}


def content_capture(captured: dict[str, Any]) -> Callable[..., str]:
    """A stand-in for render_to_string in dashboard.views that keeps the context."""
    from django.template.loader import render_to_string

    def capture(template: str, context: Any = None, request: Any = None) -> str:
        if template in PAGE_OF_CONTENT:
            captured["template"] = PAGE_OF_CONTENT[template]
            captured["context"] = context
            captured["content"] = True
        return render_to_string(template, context, request)

    return capture


class Row:
    def __init__(self, label: str, path: str) -> None:
        self.label = label
        self.path = path
        self.times: list[float] = []
        self.bare_times: list[float] = []
        self.queries = 0
        self.bare_queries = 0
        self.size = 0
        self.bare_size = 0
        self.captured: list[dict[str, Any]] = []
        self.sql_ms = 0.0
        self.cold_ms = 0.0
        self.cold_queries = 0
        self.renewed_times: list[float] = []

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def bare_median(self) -> float:
        return statistics.median(self.bare_times)

    @property
    def ratio(self) -> float:
        return self.median / self.bare_median if self.bare_median else 0.0

    @property
    def met(self) -> bool:
        return self.ratio <= TARGET_RATIO and self.median < TARGET_MS


def timing(
    args: argparse.Namespace,
    *,
    officer: Any,
    busiest: Any,
    median_wijk: Any,
    as_of: dt.date,
    category: str,
    doelgroep: str,
) -> list[Row]:
    from django.core.cache import cache
    from django.db import connection
    from django.shortcuts import render
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import resolve
    from django.utils import timezone

    from dashboard import exports
    from wijken import generations
    from wijken.models import Buurt

    gemeente = busiest.gemeente.code
    buurt = Buurt.objects.filter(wijk=busiest, is_active=True).order_by("code").first()
    wijk = f"/dashboard/wijk/{busiest.code}/"
    specs = [
        ("gemeente overview", f"/dashboard/{gemeente}/"),
        (
            "gemeente ?periode=12m&sort=-per1000",
            f"/dashboard/{gemeente}/?periode=12m&sort=-per1000",
        ),
        ("wijk (busiest)", wijk),
        (f"wijk ?categorie={category}", f"{wijk}?categorie={category}"),
        (
            f"wijk ?buurt={buurt.code if buurt else ''}",
            f"{wijk}?buurt={buurt.code if buurt else ''}",
        ),
        (f"wijk ?doelgroep={doelgroep}", f"{wijk}?doelgroep={doelgroep}"),
        ("wijk ?periode=12m", f"{wijk}?periode=12m"),
        (
            "wijk ?periode=12m&categorie&buurt",
            f"{wijk}?periode=12m&categorie={category}&buurt={buurt.code if buurt else ''}",
        ),
        (f"wijk (median, {median_wijk.code})", f"/dashboard/wijk/{median_wijk.code}/"),
        ("wijk export.csv", f"{wijk}export.csv"),
        ("gemeente export.csv", f"/dashboard/{gemeente}/export.csv"),
    ]
    factory = RequestFactory()
    real_localdate = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        # "Today" is the end of the generated data, so the periods fall on it.
        if value is None:
            return as_of
        return real_localdate(value, timezone)

    # The context (or sheets) a view passes, kept as it was for the baseline.
    captured: dict[str, Any] = {}
    real_csv = exports.csv_response

    def capture_render(req: Any, template: str, context: Any = None, **kw: Any) -> Any:
        if not captured.get("content"):
            captured["template"], captured["context"] = template, context
        return render(req, template, context, **kw)

    def capture_csv(sheets: Any, *, filename: str) -> Any:
        captured["sheets"], captured["filename"] = sheets, filename
        return real_csv(sheets, filename=filename)

    rows = []
    with mock.patch("django.utils.timezone.localdate", localdate):
        for label, url in specs:
            row = Row(label, url)
            path, _, query = url.partition("?")
            match = resolve(path)

            def request(path: str = path, query: str = query) -> Any:
                req = factory.get(path, dict(urllib.parse.parse_qsl(query)))
                req.user = officer
                return req

            def call(match: Any = match, request: Callable[[], Any] = request) -> Any:
                return match.func(request(), *match.args, **match.kwargs)

            # The first request after the cache is cleared (theme counts, blind spots,
            # participants computed and stored), timed once on its own.
            cache.clear()
            with CaptureQueriesContext(connection) as cold:
                start = time.perf_counter()
                call()
                row.cold_ms = (time.perf_counter() - start) * 1000
            row.cold_queries = len(cold)
            # One real request, its context (or sheets) captured as passed.
            captured.clear()
            cache.clear()
            with (
                mock.patch("dashboard.views.render", capture_render),
                mock.patch(
                    "dashboard.views.render_to_string", content_capture(captured)
                ),
                mock.patch("dashboard.exports.csv_response", capture_csv),
                CaptureQueriesContext(connection) as queries,
            ):
                response = call()
            if response.status_code != 200:
                raise SystemExit(f"{label}: HTTP {response.status_code}")
            row.queries = len(queries)
            row.size = len(response.content)

            bare: Callable[[], Any]
            if "sheets" in captured:
                bare = partial(
                    exports.csv_response,
                    captured["sheets"],
                    filename=captured["filename"],
                )
            else:
                bare = partial(
                    lambda template, context, request: render(
                        request(), template, context
                    ),
                    captured["template"],
                    captured["context"],
                    request,
                )

            with CaptureQueriesContext(connection) as bare_queries:
                bare_response = bare()
            row.bare_queries = len(bare_queries)
            row.bare_size = len(bare_response.content)
            # Interleaved in blocks, so a burst of load elsewhere hits both alike.
            for _ in range(WARMUP):
                call()
                bare()
            block = max(1, args.runs // 5)
            while len(row.times) < args.runs:
                n = min(block, args.runs - len(row.times))
                row.times += measure_runs(call, n)
                row.bare_times += measure_runs(bare, n)
            # The queries of one warm request, for the profile of a missed target.
            with CaptureQueriesContext(connection) as warm:
                call()
            row.captured = list(warm.captured_queries)
            row.sql_ms = sum(float(q["time"]) * 1000 for q in row.captured)
            # The first request after a write in the wijk (a new signal, a theme
            # changed): its generation renewed, the page's figures made anew; the
            # costly parts keyed on their own data (theme counts, blind spots,
            # participants) stay cached when the write did not touch them.
            for _ in range(RENEWED_RUNS):
                generations.bump(wijk_ids=[busiest.pk])
                row.renewed_times += measure_runs(call, 1)
            rows.append(row)
            print(
                f"  {label:44} {row.median:7.1f} ms  bare {row.bare_median:6.1f} ms"
                f"  cold {row.cold_ms:6.1f} ms"
                f"  after a write {statistics.median(row.renewed_times):6.1f} ms",
                file=sys.stderr,
            )
    return rows


# --- the real case: a signal, its roll-up, through the middleware, with Redis -------------


class State:
    """One row of the real case: a page in one state, its times and the bare render
    of the same context."""

    def __init__(self, label: str, path: str, bare: str) -> None:
        self.label = label
        self.path = path
        self.bare = bare  # the label of the row whose bare render is the baseline
        self.times: list[float] = []
        self.queries: list[int] = []

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else 0.0


def real_case(
    args: argparse.Namespace,
    *,
    officer: Any,
    busiest: Any,
    median_wijk: Any,
    as_of: dt.date,
) -> dict[str, Any]:
    """The officer's wijk pages through Django's test client (every middleware:
    sessions, authentication, MFA, CSP, locale), with the configured cache (Redis with
    --port), in the states an officer meets: warm (nothing changed), right after a
    real signal (`signaal_create`) in the busiest wijk, right after that signal's
    roll-up (`rollup_wijk`), and cold (the cache cleared). The median wijk of the same
    gemeente is read after each write in the busiest wijk: a write there must leave
    it as it was. Baseline: the same template rendered with the context the view
    passed (no middleware, no query)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.shortcuts import render
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from signalen.intake import services as intake_services
    from signalen.intake.scrub.types import ScrubResult
    from signalen.models import Signaal, WijkThema
    from signalen.themes.runs import rollup_wijk

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    busy_url = f"/dashboard/wijk/{busiest.code}/"
    median_url = f"/dashboard/wijk/{median_wijk.code}/"
    year_url = f"{busy_url}?periode=12m"
    real_localdate = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        if value is None:
            return as_of
        return real_localdate(value, timezone)

    client = Client()
    client.force_login(officer)
    captured: dict[str, Any] = {}

    def get(url: str, row: State | None = None) -> Any:
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url, secure=True)
            ms = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        if row is not None:
            row.times.append(ms)
            row.queries.append(len(ctx))
        return response

    # The scrubber is the intake's own bench (bench_intake.py): the generated texts
    # hold no personal data, so the signal is stored as typed, at once.
    def scrub_as_typed(text: str, *_a: Any, **_kw: Any) -> ScrubResult:
        return ScrubResult(text=text, removals=())

    template = Signaal.objects.filter(
        wijk=busiest, withdrawn_at__isnull=True, scrub_pending=False
    ).order_by("-observed_on", "-pk")
    examples = list(
        template.select_related("author", "categorie", "bron", "buurt")[:50]
    )
    rng = random.Random(f"real-case-{args.seed}")
    rows = {
        name: State(name, url, bare)
        for name, url, bare in [
            ("busiest, warm", busy_url, "busiest"),
            ("busiest, after a signal", busy_url, "busiest"),
            ("busiest, after the signal's roll-up", busy_url, "busiest"),
            ("busiest 12 months, after the roll-up", year_url, "busiest 12m"),
            ("busiest, cold", busy_url, "busiest"),
            ("median, warm", median_url, "median"),
            ("median, after a signal in busiest", median_url, "median"),
            ("median, after a roll-up in busiest", median_url, "median"),
            ("median, cold", median_url, "median"),
        ]
    }
    run_seconds: list[float] = []
    with (
        mock.patch("django.utils.timezone.localdate", localdate),
        # The signal is saved sealed and scrubbed on the worker: here at once, as
        # typed (no deduce), before its roll-up.
        mock.patch("signalen.intake.scrub.scrub", scrub_as_typed),
        mock.patch(
            "signalen.intake.warmup.in_process_scrubber_ready", return_value=True
        ),
        mock.patch.object(intake_services, "embed_after_commit", return_value=None),
        mock.patch.object(
            intake_services, "rollup_schedule_after_intake", return_value=None
        ),
    ):
        # A real run first, so the themes, their members and what the run stores
        # are the engine's (the generated themes have no run behind them); the
        # team shares its largest themes with the gemeente.
        started = time.perf_counter()
        rollup_wijk(busiest, trigger="manual", as_of=as_of)
        for wijk in (busiest, median_wijk):
            rollup_wijk(wijk, trigger="manual", as_of=as_of)
            largest = WijkThema.objects.filter(wijk=wijk, is_current=True).order_by(
                "-size"
            )[:6]
            WijkThema.objects.filter(pk__in=[t.pk for t in largest]).update(
                visibility="gemeente"
            )
        print(
            f"first roll-ups (busiest twice, median once) in "
            f"{time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        cache.clear()
        bare: dict[str, Callable[[], Any]] = {}
        factory = RequestFactory()
        for name, url in (
            ("busiest", busy_url),
            ("busiest 12m", year_url),
            ("median", median_url),
        ):
            captured.clear()
            cache.clear()
            with mock.patch(
                "dashboard.views.render_to_string", content_capture(captured)
            ):
                get(url)
            bare[name] = partial(
                lambda t, c, u: render(factory.get(u), t, c),
                captured["template"],
                captured["context"],
                url,
            )
        bare_times: dict[str, list[float]] = {name: [] for name in bare}
        for _ in range(WARMUP):
            get(busy_url)
            get(median_url)
        for _ in range(args.reps):
            example = rng.choice(examples)
            signaal, _created = intake_services.signaal_create(
                author=example.author,
                wijk=busiest,
                categorie=example.categorie,
                bron=example.bron,
                text=example.text,
                observed_on=as_of - dt.timedelta(days=rng.randint(0, 13)),
                buurt=example.buurt,
                doelgroepen=list(example.doelgroepen.all()),
            )
            intake_services.signal_scrub_pending(signaal_id=signaal.pk)
            get(busy_url, rows["busiest, after a signal"])
            get(median_url, rows["median, after a signal in busiest"])
            started = time.perf_counter()
            rollup_wijk(busiest, trigger="intake", as_of=as_of)
            run_seconds.append(time.perf_counter() - started)
            get(busy_url, rows["busiest, after the signal's roll-up"])
            get(year_url, rows["busiest 12 months, after the roll-up"])
            get(median_url, rows["median, after a roll-up in busiest"])
            for _ in range(5):
                get(busy_url, rows["busiest, warm"])
                get(median_url, rows["median, warm"])
            for name, call in bare.items():
                bare_times[name] += measure_runs(call, 5)
        for _ in range(args.reps):
            cache.clear()
            get(busy_url, rows["busiest, cold"])
            cache.clear()
            get(median_url, rows["median, cold"])
    return {
        "rows": list(rows.values()),
        "bare": {name: statistics.median(t) for name, t in bare_times.items()},
        "runs": run_seconds,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "load": load_average(),
    }


def states_report(
    args: argparse.Namespace,
    states: dict[str, Any],
    *,
    load_before: str,
    as_of: dt.date,
) -> None:
    print(
        f"\nthe real case: the officer's wijk page through the test client (all "
        f"middleware), cache {states['cache']}, {args.reps} signals each with its "
        f"roll-up in the busiest wijk (roll-up median "
        f"{statistics.median(states['runs']):.1f} s); today = {as_of}\n"
        f"target: median < {TARGET_MS:.0f} ms and <= {TARGET_RATIO:.0f}x bare\n"
    )
    print(
        f"{'':40} {'median':>7} {'max':>7} {'bare':>6} {'x bare':>7} {'queries':>7}"
        "  target"
    )
    for row in states["rows"]:
        bare = states["bare"][row.bare]
        ratio = row.median / bare if bare else 0.0
        met = row.median < TARGET_MS and ratio <= TARGET_RATIO
        print(
            f"{row.label:40} {row.median:7.1f} {max(row.times):7.1f} {bare:6.1f} "
            f"{ratio:7.1f} {statistics.median(row.queries):7.0f}  "
            f"{'met' if met else 'MISSED'}"
        )
    print(
        f"\nload average before: {load_before}; after the real case: {states['load']}"
    )


def measure_runs(call: Callable[[], Any], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(
    args: argparse.Namespace,
    rows: list[Row],
    *,
    load_before: str,
    load_after: str,
    as_of: dt.date,
) -> None:
    from django.db import connection

    print(
        f"\nofficers' dashboard, {args.runs} requests per row after {WARMUP} warm-up "
        f"(view and baseline interleaved), user: an ambtenaar of the busiest wijk's "
        f"gemeente (TOTP set up); today = {as_of}; PostgreSQL "
        f"{getattr(connection, 'pg_version', 0) // 10000}, {os.cpu_count()} cores, DEBUG off\n"
        f"target: median <= {TARGET_RATIO:.0f}x baseline and < {TARGET_MS:.0f} ms\n"
    )
    print(
        f"{'':44} {'median':>7} {'p90':>7} {'bare':>6} {'bare p90':>8} "
        f"{'x bare':>7} {'SQL ms':>7} {'queries':>7} {'KB':>5} {'bare KB':>7}  target"
        f"  {'cold':>7} {'cold q':>6} {'write':>7}"
    )
    for r in rows:
        print(
            f"{r.label:44} {r.median:7.1f} {percentile(r.times, 0.9):7.1f} "
            f"{r.bare_median:6.1f} {percentile(r.bare_times, 0.9):8.1f} "
            f"{r.ratio:7.1f} {r.sql_ms:7.1f} {r.queries:7d} {r.size / 1024:5.0f} "
            f"{r.bare_size / 1024:7.0f}  {'met' if r.met else 'MISSED':6}"
            f"  {r.cold_ms:7.1f} {r.cold_queries:6d}"
            f" {statistics.median(r.renewed_times):7.1f}"
        )
    bare_with_queries = [r.label for r in rows if r.bare_queries]
    if bare_with_queries:
        print(
            f"\nWARNING: baseline did database work for: {', '.join(bare_with_queries)}"
        )
    print(
        "\n(cold: one request right after the cache was cleared, timed on its own, "
        "and its queries; write: median of "
        f"{RENEWED_RUNS} requests each right after a write renewed the busiest "
        "wijk's generation (and so its gemeente's); the other columns are warm "
        "requests: nothing changed since the last one)"
    )
    print(f"\nload average before: {load_before}; after: {load_after}")
    missed = [r for r in rows if not r.met]
    for r in missed:
        print(
            f"\n{r.label} ({r.path}): {r.queries} queries, {r.sql_ms:.1f} ms SQL in one "
            f"request (median {r.median:.1f} ms); slowest first:"
        )
        for q in sorted(r.captured, key=lambda q: -float(q["time"]))[:8]:
            sql = re.sub(r"\s+", " ", q["sql"])
            print(f"  {float(q['time']) * 1000:7.1f} ms  {sql[:150]}")


if __name__ == "__main__":
    main()

"""The initiatives list page on large data, against the same template with a static
context, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/bench_initiatieven.py [--runs 30] [--explain] \\
        [--database NAME] \\
        [--initiatives 20000] [--residents 100000] [--gemeenten 30] ...

Creates a throwaway PostgreSQL database on the server DATABASE_URL points at, migrates
it, fills it with bench/generate.py (defaults: 300 wijken, 1,200 buurten, 100,000
residents, 20,000 initiatives) and then, in this process and without a server, calls
the list view with a RequestFactory request of a logged-in resident for:

  (a) page 1, unfiltered          (b) the busiest wijk        (c) full-text search
  (d) search + thema + status + sort by participants          (f) page 500 (deep OFFSET)

The baseline (e) renders the same template, for the same user, with a static context:
the page of (a) evaluated beforehand (20 initiatives with counts and themes), a
paginator of the same size and the filter form with the same choices as plain lists, so
it does no database work (checked) and writes about as much HTML. Prints median and
p95 per request, the ratio of the medians to the baseline, the queries per request and
the page size. The database is dropped at the end, also after an error.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
import urllib.parse
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import Sizes, add_size_arguments, sizes_from  # noqa: E402

WARMUP = 3
SEARCH_TERM = "koffie"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure(call: Callable[[], Any], runs: int) -> list[float]:
    for _ in range(WARMUP):
        call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def static_context(page: Any, filterset: Any) -> dict[str, Any]:
    """What the view passes, with every query already done: a pre-evaluated page and a
    plain form with the same fields and choices."""
    from django import forms
    from django.core.paginator import Page, Paginator

    objects = list(page.object_list)
    for i in objects:  # make sure the prefetch and joins are in memory
        list(i.themas.all())
        _ = (i.wijk.name, i.buurt and i.buurt.name)
    paginator = Paginator(range(page.paginator.count), page.paginator.per_page)
    static_page = Page(objects, 1, paginator)

    fields: dict[str, forms.Field] = {}
    for name, real in filterset.form.fields.items():
        if hasattr(real, "choices"):
            fields[name] = forms.ChoiceField(
                label=real.label, required=False, choices=list(real.choices)
            )
        else:
            fields[name] = forms.CharField(
                label=real.label, required=False, max_length=200
            )
    StaticForm = type("StaticForm", (forms.Form,), fields)

    class StaticFilter:
        form = StaticForm()

    return {
        "filter": StaticFilter(),
        "page": static_page,
        "initiatieven": objects,
        "map_query": "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_arguments(parser, Sizes())
    parser.add_argument("--runs", type=int, default=30, help="timed requests per row")
    parser.add_argument("--term", default=SEARCH_TERM, help="the search word")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN ANALYZE of the slowest query of each row",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument(
        "--database",
        help="name of the throwaway database (default: a random one); it must not "
        "exist yet, and is dropped at the end",
    )
    args = parser.parse_args()
    sizes = sizes_from(args)
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        raise SystemExit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. "
            "postgres://postgres@127.0.0.1:5432/postgres; this script creates and "
            "drops its own database there."
        )
    try:
        import psycopg
    except ImportError:
        raise SystemExit("psycopg is not installed; use the project's .venv.") from None

    name = args.database or f"bw_bench_initiatieven_{uuid.uuid4().hex[:6]}"
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise SystemExit(f"--database {name!r}: use lower-case letters, digits and _")
    try:
        admin = psycopg.connect(base_url, autocommit=True)
    except psycopg.OperationalError as error:
        raise SystemExit(f"Cannot reach PostgreSQL at {base_url}: {error}") from None
    admin.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(base_url)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "buurtwijs.settings",
            "DATABASE_URL": urllib.parse.urlunsplit(parts._replace(path=f"/{name}")),
            "DEBUG": "false",
            "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
            "ALLOWED_HOSTS": "testserver",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("REDIS_URL", None)  # local-memory cache, eager Celery
    try:
        run(args, sizes)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - cleaning up after any failure
            pass
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [name],
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def run(args: argparse.Namespace, sizes: Sizes) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.shortcuts import render
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.generate import generate, timed
    from initiatieven import views

    seconds, _ = timed(lambda: call_command("migrate", verbosity=0))
    print(f"migrated in {seconds:.1f} s", file=sys.stderr)
    seconds, out = timed(lambda: generate(sizes, seed=args.seed, show=not args.quiet))
    print(", ".join(f"{n:,} {key}" for key, n in out.counts.items()))
    print(f"generated in {seconds:.1f} s")

    busiest = max(out.wijk_weights, key=lambda pk: out.wijk_weights[pk])
    user = User.objects.select_related("wijk").get(pk=out.residents_by_wijk[busiest][0])
    factory = RequestFactory()

    def request(params: dict[str, str]) -> Any:
        req = factory.get("/initiatieven/", params)
        req.user = user
        return req

    def view(params: dict[str, str]) -> Callable[[], Any]:
        return lambda: views.initiatief_list(request(params))

    rows = [
        ("(a) page 1, unfiltered", {}),
        ("(b) busiest wijk", {"wijk": str(busiest)}),
        (f"(c) search q={args.term}", {"q": args.term}),
        (
            "(d) q + thema + status + sort",
            {
                "q": args.term,
                "thema": "ontmoeting",
                "status": "actief",
                "sort": "deelnemers",
            },
        ),
        ("(f) page 500, unfiltered", {"pagina": "500"}),
    ]

    # The baseline's context comes from the same view's own page and filter.
    first = request({})
    filterset, qs = views._filtered(first)
    qs = views._sorted(
        views.queries.initiatieven_with_counts(qs), sort="", searching=False
    )
    from django.core.paginator import Paginator

    page = Paginator(qs, views.PAGE_SIZE).get_page(1)
    context = static_context(page, filterset)

    def bare() -> Any:
        return render(request({}), "initiatieven/initiatief_list.html", context)

    results = []
    for label, call in [
        *((label, view(params)) for label, params in rows),
        ("(e) baseline: template, static context", bare),
    ]:
        with CaptureQueriesContext(connection) as captured:
            response = call()
        if response.status_code != 200:
            raise SystemExit(f"{label}: HTTP {response.status_code}")
        found = response.content.decode().count('class="bw-card bw-initiatief-card"')
        times = measure(call, args.runs)
        results.append(
            (label, times, len(captured), len(response.content), found, captured)
        )

    baseline = statistics.median(results[-1][1])
    if results[-1][2]:
        raise SystemExit("The baseline did database work; it must not.")
    print(
        f"\nlist view of initiatieven, {args.runs} requests per row after {WARMUP} "
        f"warm-up, user: a resident of the busiest wijk; PostgreSQL "
        f"{connection.pg_version // 10000}, DEBUG off\n"
    )
    print(
        f"{'':42} {'median ms':>10} {'p95 ms':>8} {'x baseline':>11} "
        f"{'queries':>8} {'KB':>6} {'cards':>6}"
    )
    for label, times, queries, size, found, _captured in results:
        median = statistics.median(times)
        print(
            f"{label:42} {median:10.1f} {percentile(times, 0.95):8.1f} "
            f"{median / baseline:11.1f} {queries:8d} {size / 1024:6.0f} {found:6d}"
        )
    search = [
        q["sql"]
        for q in results[2][5].captured_queries
        if "@@" in q["sql"] and "LIMIT" in q["sql"]
    ]
    if search:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + search[0])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        index = "initiatief_search_vector_gin"
        used = "yes" if index in plan else "NO (sequential scan)"
        print(f"\nsearch uses the GIN index {index} on the stored vector: {used}")
    if args.explain:
        for label, _times, _queries, _size, _found, captured in results[:-1]:
            print(f"\n{label}: queries of one request")
            for q in captured.captured_queries:
                sql = re.sub(r"^DECLARE .*? CURSOR WITH HOLD FOR ", "", q["sql"])
                print(f"  {float(q['time']) * 1000:8.1f} ms  {sql[:100]}")
            slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
            print(f"\n{label}: slowest query ({float(slowest['time']) * 1000:.0f} ms)")
            # ModelChoiceField iterates with a server-side cursor: explain its SELECT.
            sql = re.sub(r"^DECLARE .*? CURSOR WITH HOLD FOR ", "", slowest["sql"])
            print(sql)
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()

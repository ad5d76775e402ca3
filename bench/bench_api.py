"""The public API's main list endpoints and the open-data export on the large generated
data set, each against a bare JSON (or CSV) response of the same size, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/bench_api.py [--runs 15] [--database bw_bench_api] \\
        [--keep] [--reuse] [--quiet] [--signals 1000000] [size options of generate.py]

The data are bench_dashboard.py's (bench/generate.py, bench/generate_signals.py, buurt
figures, the counts by INSERT ... SELECT, themes with members, roll-up runs); the public
themes also get an approved public title and text. "Today" is generate.NOW.

Per row: the view is called in this process with a RequestFactory request (no server,
no network), 3 warm-up calls, then ``--runs`` timed ones interleaved with the baseline;
median in ms, queries, response size. The API caches its answers (opendata/api/cache.py),
so each API row has three medians: warm (nothing changed since the last call: the
normal case), cold (the cache cleared before each call: every answer computed) and
after a write (the busiest wijk's generation renewed before each call, as any write in
it does: what covers that wijk, its gemeente or the whole site is computed anew, the
geography stays cached). The baseline of an API row is a JsonResponse of the very data
that row answered (the same size, no database work). The open-data rows
time ``opendata.dataset_bytes`` of the busiest gemeente against writing the same rows
with ``csv`` (or the same GeoJSON with ``json.dumps``); the last row is a whole build
of that gemeente (every file written to a temporary MEDIA_ROOT).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_dashboard import (  # noqa: E402
    buurt_figures_create,
    counts_sql,
    measure_runs,
    runs_create,
    themes_create,
)
from bench.bench_rollup import load_average, throwaway_database  # noqa: E402
from bench.generate import Sizes, add_size_arguments, sizes_from  # noqa: E402
from bench.generate_signals import (  # noqa: E402
    SignalSizes,
    add_signal_arguments,
    signal_sizes_from,
)

DEFAULT_DATABASE = "bw_bench_api"
WARMUP = 3
# Cold and after-a-write calls per row (each needs the cache cleared or a bump first).
COLD_RUNS = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_arguments(parser, Sizes())
    add_signal_arguments(parser, SignalSizes())
    parser.add_argument("--runs", type=int, default=15, help="timed calls per row")
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--reuse", action="store_true", help="use the existing --database as it is"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args()
    with throwaway_database(args.database, reuse=args.reuse, keep=args.keep):
        run(
            args,
            sizes_from(args),
            signal_sizes_from(args),
            generate_data=not args.reuse,
        )


def publish_themes() -> int:
    """Public themes get what the team approves before residents see them."""
    from django.utils import timezone

    from signalen.models import WijkThema

    return WijkThema.objects.filter(visibility="publiek").update(
        public_title="Samen iets doen aan wat wij vaak zien",
        public_text="Het wijkteam ziet dit vaak. Doet u mee?",
        public_approved_at=timezone.now(),
    )


def generate_all(
    args: argparse.Namespace, sizes: Sizes, signal_sizes: SignalSizes
) -> None:
    from django.db import connection, transaction

    from bench.generate import NOW, generate, timed
    from bench.generate_signals import check_signal_database, signals
    from wijken.models import Wijk

    show = not args.quiet
    check_signal_database(signal_sizes)
    seconds, base = timed(lambda: generate(sizes, seed=args.seed, show=show))
    seconds_signals, out = timed(
        lambda: signals(base, signal_sizes, seed=args.seed, show=show)
    )
    print(
        f"generated in {seconds + seconds_signals:.1f} s: "
        + ", ".join(f"{n:,} {k}" for k, n in {**base.counts, **out.counts}.items()),
        file=sys.stderr,
    )
    rng = random.Random(f"api-{args.seed}")
    wijken = list(Wijk.objects.select_related("gemeente").order_by("code"))
    started = time.perf_counter()
    with transaction.atomic():
        buurt_figures_create(rng, show=show)
        counts = counts_sql()
        members = themes_create(rng, wijken, as_of=NOW.date())
        runs_create(wijken)
        published = publish_themes()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"figures, {counts:,} count rows, {members:,} theme members, {published} "
        f"public themes in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


class Row:
    def __init__(self, label: str) -> None:
        self.label = label
        self.times: list[float] = []
        self.bare_times: list[float] = []
        self.queries = 0
        self.cold_queries: int | None = None
        self.size = 0
        self.bare_size = 0
        self.cold_times: list[float] = []
        self.renewed_times: list[float] = []

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @staticmethod
    def _median_or_none(times: list[float]) -> float | None:
        return statistics.median(times) if times else None

    @property
    def cold_median(self) -> float | None:
        return self._median_or_none(self.cold_times)

    @property
    def renewed_median(self) -> float | None:
        return self._median_or_none(self.renewed_times)

    @property
    def bare_median(self) -> float:
        return statistics.median(self.bare_times)


def time_row(
    label: str,
    call: Callable[[], bytes],
    bare: Callable[[], bytes],
    runs: int,
    *,
    write: Callable[[], None] | None = None,
) -> Row:
    """Warm medians against the baseline; with `write` (renews a generation) also
    cold (cache cleared) and after-a-write medians, each call timed on its own."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    row = Row(label)
    if write is not None:
        cache.clear()
        with CaptureQueriesContext(connection) as cold_queries:
            call()
        row.cold_queries = len(cold_queries)
    call()  # the cache filled
    with CaptureQueriesContext(connection) as queries:
        row.size = len(call())
    row.queries = len(queries)
    with CaptureQueriesContext(connection) as bare_queries:
        row.bare_size = len(bare())
    if len(bare_queries):
        raise SystemExit(f"{label}: the baseline did database work")
    for _ in range(WARMUP):
        call()
        bare()
    block = max(1, runs // 5)
    while len(row.times) < runs:
        n = min(block, runs - len(row.times))
        row.times += measure_runs(call, n)
        row.bare_times += measure_runs(bare, n)
    if write is not None:
        for _ in range(COLD_RUNS):
            cache.clear()
            row.cold_times += measure_runs(call, 1)
        call()
        for _ in range(COLD_RUNS):
            write()
            row.renewed_times += measure_runs(call, 1)
    print(
        f"  {label:52} {row.median:8.1f} ms  bare {row.bare_median:7.1f} ms"
        + (
            f"  cold {row.cold_median:7.1f} ms  after a write "
            f"{row.renewed_median:7.1f} ms"
            if write is not None
            else ""
        ),
        file=sys.stderr,
    )
    return row


def api_rows(
    args: argparse.Namespace, specs: list[tuple[str, str]], *, busiest: Any
) -> list[Row]:
    from django.http import JsonResponse

    from wijken import generations

    def write() -> None:
        # What any write in the busiest wijk does (a signal, a theme, an initiative).
        generations.bump(wijk_ids=[busiest.pk])

    from django.test import RequestFactory
    from django.urls import resolve

    factory = RequestFactory()
    rows = []
    for label, url in specs:
        path, _, query = url.partition("?")
        match = resolve(path)

        def call(match: Any = match, path: str = path, query: str = query) -> bytes:
            request = factory.get(path, dict(urllib.parse.parse_qsl(query)))
            response = match.func(request, *match.args, **match.kwargs)
            if response.status_code != 200:
                raise SystemExit(f"{path}?{query}: HTTP {response.status_code}")
            return bytes(response.content)

        data = json.loads(call())

        def bare(data: Any = data) -> bytes:
            return bytes(JsonResponse(data, safe=False).content)

        rows.append(time_row(label, call, bare, args.runs, write=write))
    return rows


def export_rows(args: argparse.Namespace, gemeente: Any, as_of: Any) -> list[Row]:
    from opendata import builds as opendata

    rows = []
    for dataset in opendata.DATASETS:

        def call(dataset: Any = dataset) -> bytes:
            return opendata.dataset_bytes(dataset, gemeente, today=as_of)

        content = call()
        if dataset.filename.endswith(".csv"):
            parsed = list(csv.reader(io.StringIO(content.decode("utf-8"))))

            def bare(parsed: list[list[str]] = parsed) -> bytes:
                out = io.StringIO()
                csv.writer(out).writerows(parsed)
                return out.getvalue().encode("utf-8")

        else:
            geo = json.loads(content)

            def bare(geo: Any = geo) -> bytes:
                return json.dumps(geo, ensure_ascii=False).encode("utf-8")

        rows.append(time_row(f"open data {dataset.filename}", call, bare, args.runs))
    with tempfile.TemporaryDirectory() as media:
        from django.core.files.storage import FileSystemStorage

        storage = FileSystemStorage(location=media)
        files = [
            (d.filename, opendata.dataset_bytes(d, gemeente, today=as_of))
            for d in opendata.DATASETS
        ]

        def build() -> bytes:
            opendata.build_for_gemeente(gemeente, today=as_of, storage=storage)
            return b"x" * sum(len(c) for _n, c in files)

        def bare_build() -> bytes:
            for name, content in files:
                Path(media, name).write_bytes(content)
            return b"x" * sum(len(c) for _n, c in files)

        rows.append(
            time_row(
                f"open data: whole build of {gemeente.code}",
                build,
                bare_build,
                max(3, args.runs // 3),
            )
        )
    return rows


def run(
    args: argparse.Namespace,
    sizes: Sizes,
    signal_sizes: SignalSizes,
    *,
    generate_data: bool,
) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import Count

    from bench.generate import NOW
    from signalen.models import Signaal
    from wijken.models import Wijk

    load_before = load_average()
    call_command("migrate", verbosity=0)
    if generate_data:
        generate_all(args, sizes, signal_sizes)
    settings.API_RATE_LIMIT = "1000000/minute"
    as_of = NOW.date()
    wijken = list(Wijk.objects.select_related("gemeente").order_by("code"))
    per_wijk = dict(
        Signaal.objects.values_list("wijk_id").annotate(n=Count("pk")).order_by()
    )
    busiest = max(wijken, key=lambda w: (per_wijk.get(w.pk, 0), -w.pk))
    gemeente = busiest.gemeente
    first_buurt = busiest.buurten.order_by("code").first()
    specs = [
        ("gemeenten (page of 50)", "/api/v1/gemeenten/"),
        (
            "wijken of the busiest gemeente",
            f"/api/v1/gemeenten/{gemeente.code}/wijken/",
        ),
        (
            "wijken of it as GeoJSON",
            f"/api/v1/gemeenten/{gemeente.code}/wijken/?format=geojson",
        ),
        ("initiatives (page of 50)", "/api/v1/initiatieven/"),
        ("initiatives (page of 200)", "/api/v1/initiatieven/?page_size=200"),
        (
            "initiatives of the busiest gemeente",
            f"/api/v1/initiatieven/?gemeente={gemeente.code}",
        ),
        ("public themes (page of 50)", "/api/v1/themas/"),
        (
            "signals of the busiest wijk, 3 blocks",
            f"/api/v1/wijken/{busiest.code}/signalen/",
        ),
        (
            "signals of the busiest wijk, 13 blocks",
            f"/api/v1/wijken/{busiest.code}/signalen/?blocks=13",
        ),
        (
            "signals of the gemeente per wijk, 13 blocks",
            f"/api/v1/gemeenten/{gemeente.code}/signalen/?blocks=13",
        ),
    ]
    if first_buurt is not None:
        specs.append(
            (
                "signals of one buurt, 13 blocks",
                f"/api/v1/wijken/{busiest.code}/signalen/?blocks=13&buurt={first_buurt.code}",
            )
        )
    print(
        f"data: {sum(per_wijk.values()):,} signals in {len(wijken)} wijken; busiest "
        f"wijk {busiest.code} ({per_wijk.get(busiest.pk, 0):,} signals), gemeente "
        f"{gemeente.code}; today fixed at {as_of}",
        file=sys.stderr,
    )
    real_localdate = __import__("django.utils.timezone").utils.timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> Any:
        return as_of if value is None else real_localdate(value, timezone)

    with mock.patch("django.utils.timezone.localdate", localdate):
        rows = api_rows(args, specs, busiest=busiest) + export_rows(
            args, gemeente, as_of
        )
    load_after = load_average()
    print(
        f"\n{args.runs} warm calls per row (view and baseline interleaved), "
        f"{COLD_RUNS} cold and {COLD_RUNS} after a write; cache "
        f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
        f"load average before {load_before}, after {load_after}\n"
    )
    print(
        f"{'row':52} {'warm':>8} {'cold':>8} {'write':>8} {'bare':>7} "
        f"{'x warm':>7} {'x cold':>7} {'x write':>7} {'q warm':>6} {'q cold':>6} "
        f"{'size':>10}"
    )

    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}"

    def ratio(value: float | None, bare: float) -> str:
        return "-" if value is None else f"{value / max(bare, 0.001):.1f}x"

    for row in rows:
        print(
            f"{row.label:52} {row.median:8.1f} {ms(row.cold_median):>8} "
            f"{ms(row.renewed_median):>8} {row.bare_median:7.1f} "
            f"{ratio(row.median, row.bare_median):>7} "
            f"{ratio(row.cold_median, row.bare_median):>7} "
            f"{ratio(row.renewed_median, row.bare_median):>7} {row.queries:6} "
            f"{'-' if row.cold_queries is None else row.cold_queries:>6} "
            f"{row.size:10,}"
        )
    print(
        "\n(ms, medians; warm: nothing changed since the last call; cold: the cache "
        "cleared before each call; write: the busiest wijk's generation renewed before "
        "each call; x: against the bare JSON response of the same data; q: queries of "
        "one call; the open-data rows are not cached)"
    )


if __name__ == "__main__":
    main()

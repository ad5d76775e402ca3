"""Time the national CBS wijken import against just reading the file.

    .venv/bin/python bench/bench_import.py [FILE]

FILE defaults to ../shared/data/cbs/wijken_2024_nl_wgs84.geojson beside the checkout.
The baseline is parsing the file without writing (JSON, geometry repair, figures), in
the same process and run, so the printed ratios say what the database costs and
compare across machines. The import runs twice: into an empty database (inserts) and
again (upserts of unchanged rows).

It never touches a real database: it uses a throwaway SQLite file, or, when
DATABASE_URL names a PostgreSQL server, a temporary database on it that is dropped
at the end.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FILE = REPO.parent / "shared" / "data" / "cbs" / "wijken_2024_nl_wgs84.geojson"
PARSE_RUNS = 3


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def main(argv: list[str]) -> int:
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        print(__doc__)
        return 2
    path = Path(argv[1]) if len(argv) == 2 else DEFAULT_FILE
    if not path.is_file():
        print(
            f"CBS file not found: {path}\n"
            "Give the path of wijken_2024_nl_wgs84.geojson, or put the shared data "
            "in ../shared/data beside the checkout.",
            file=sys.stderr,
        )
        return 1

    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtwijs.settings")
    import django

    django.setup()
    from django.db import connection

    from wijken.importer import cbs_file_parse, cbs_import
    from wijken.models import Kerncijfers, Wijk

    # A throwaway database: Django's test machinery creates and drops it.
    tmpdir = tempfile.TemporaryDirectory(prefix="bench_import_")
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        # A file, not Django's in-memory default: that is what production writes to.
        test_settings["NAME"] = str(Path(tmpdir.name) / "bench.sqlite3")
    else:
        test_settings["NAME"] = f"bench_import_{os.getpid()}"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        parse_times = []
        for _ in range(PARSE_RUNS):
            seconds, parsed = timed(lambda: cbs_file_parse(path=path))
            parse_times.append(seconds)
        baseline = min(parse_times)
        first, _ = timed(lambda: cbs_import(paths=[path]))
        second, report = timed(lambda: cbs_import(paths=[path]))
        wijken, figures = Wijk.objects.count(), Kerncijfers.objects.count()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        tmpdir.cleanup()

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"file      {path.name} ({parsed.rows} features)")
    print(f"database  {connection.vendor}")
    print(f"result    {wijken} wijken, {figures} kerncijfers rows")
    print(
        f"re-run    {report.counts['wijk'].updated} wijken updated, "
        f"{report.counts['wijk'].created} created"
    )
    print()
    print(f"{'step':<26}{'seconds':>9}{'x parse':>9}")
    for name, seconds in (
        (f"parse only (best of {PARSE_RUNS})", baseline),
        ("import into empty db", first),
        ("re-import (upsert)", second),
    ):
        print(f"{name:<26}{seconds:>9.2f}{seconds / baseline:>9.2f}")
    print(f"\npeak memory (max RSS)     {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

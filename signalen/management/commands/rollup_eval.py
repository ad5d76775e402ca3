"""Quality figures of the roll-up engine on a labelled CSV, without touching the database.

    .venv/bin/python manage.py rollup_eval                       # bench/rollup_eval.csv
    .venv/bin/python manage.py rollup_eval my.csv --variant tfidf+char

Columns ``text,label`` and optionally ``wijk,category,target_groups,author,observed_on``;
an empty label means "belongs to no theme". The definitions of the figures are in
``signalen/themes/rollup/evaluation.py``. The last line is always
``ARI=… NMI=… purity=… found=…/… noise_pulled_in=…``.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from signalen.themes.rollup import VARIANTS, Params
from signalen.themes.rollup.evaluation import EvalFileError, evaluate, read_csv

DEFAULT_FILE = Path(settings.BASE_DIR) / "bench" / "rollup_eval.csv"


class Command(BaseCommand):
    help = (
        "Meet de kwaliteit van de thema-motor op een CSV met labels, zonder database. "
        "(Quality figures of the roll-up engine on a labelled CSV.)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE))
        parser.add_argument(
            "--variant",
            choices=VARIANTS,
            default=Params().variant,
            help="Welke kenmerken de motor gebruikt. (Representation variant.)",
        )
        parser.add_argument("--k", type=int, default=None, help="Minimum per thema.")
        parser.add_argument("--threshold", type=float, default=None)
        parser.add_argument("--density", type=float, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        params = replace(Params(), variant=options["variant"])
        if options["k"] is not None:
            params = replace(params, k=options["k"])
        if options["threshold"] is not None:
            params = replace(params, distance_threshold=options["threshold"])
        if options["density"] is not None:
            params = replace(params, density_min_similarity=options["density"])
        try:
            rows, has_author = read_csv(options["file"])
        except EvalFileError as error:
            raise CommandError(str(error)) from error
        started = time.perf_counter()
        report = evaluate(rows, params)
        elapsed = time.perf_counter() - started
        write = self.stdout.write
        write(f"file: {options['file']}")
        write(
            f"variant: {params.variant}  k={params.k}  "
            f"threshold={params.distance_threshold}  "
            f"density={params.density_min_similarity}  "
            f"two-author rule: {'on' if has_author else 'off (no author column)'}"
        )
        write(
            f"rows: {report.rows}  themes found by the engine: {report.themes}  "
            f"time: {elapsed:.2f}s"
        )
        write(report.last_line())

"""Quality figures of the roll-up engine on a labelled CSV, without touching the database.

    .venv/bin/python manage.py rollup_eval                       # bench/rollup_eval.csv
    .venv/bin/python manage.py rollup_eval my.csv --variant tfidf+char
    .venv/bin/python manage.py rollup_eval --attach 0.2 --review 0.2 --seed 1

With ``--attach`` / ``--review`` a simulated team works along through the product's own
services, in real rows inside a transaction that is rolled back (see
``signalen/themes/replay.py``); it refuses a database that holds signals, so point it at
an empty one (``env -u DATABASE_URL SQLITE_PATH=/tmp/eval.sqlite3``, migrated).
``--through-services`` replays that way without help too (a run per week);
``--shortcut`` keeps the in-memory simulation (``rollup/evaluation.py``: ``simulate``). Variants starting with ``e5+``
embed every text once with the product's embedder (``SIGNAL_EMBEDDER``) and keep the
vectors in ``.cache/rollup_eval/`` (keyed by the file's content and the model), so a
second run of the same file does not embed again.

Columns ``text,label`` and optionally ``wijk,category,target_groups,author,observed_on``;
an empty label means "belongs to no theme". The definitions of the figures are in
``signalen/themes/rollup/evaluation.py``. The last line is always
``ARI=… NMI=… purity=… found=…/… noise_pulled_in=…``.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from signalen.themes import embedding
from signalen.themes.replay import ReplayRefused, replay
from signalen.themes.rollup import VARIANTS, Params
from signalen.themes.rollup.evaluation import (
    EvalFileError,
    LabelledSignal,
    evaluate,
    read_csv,
    simulate,
    with_vectors,
)

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
        parser.add_argument(
            "--cut",
            choices=("fixed", "relative"),
            default=None,
            help="Vaste of relatieve grenzen per wijk. (Fixed or relative cut rules.)",
        )
        parser.add_argument("--z-cut", type=float, default=None)
        parser.add_argument("--z-density", type=float, default=None)
        parser.add_argument("--z-assign", type=float, default=None)
        parser.add_argument("--weight-vector", type=float, default=None)
        parser.add_argument(
            "--attach",
            type=float,
            default=0.0,
            help="Aandeel signalen dat een professional aan een thema koppelt.",
        )
        parser.add_argument(
            "--review",
            type=float,
            default=0.0,
            help="Aandeel thema's dat na elke run wordt nagekeken.",
        )
        parser.add_argument("--seed", type=int, default=1)
        path = parser.add_mutually_exclusive_group()
        path.add_argument(
            "--through-services",
            action="store_true",
            help=(
                "Speel de weken na via de services van de pagina's, in een transactie "
                "die wordt teruggedraaid (standaard met --attach/--review). "
                "(Replay through the pages' services, rolled back.)"
            ),
        )
        path.add_argument(
            "--shortcut",
            action="store_true",
            help=(
                "Simuleer het team in het geheugen, zonder database. "
                "(In-memory simulation, no database.)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        params = replace(Params(), variant=options["variant"])
        if options["k"] is not None:
            params = replace(params, k=options["k"])
        if options["threshold"] is not None:
            params = replace(params, distance_threshold=options["threshold"])
        if options["density"] is not None:
            params = replace(params, density_min_similarity=options["density"])
        for option, field in (
            ("cut", "cut"),
            ("z_cut", "z_cut"),
            ("z_density", "z_density"),
            ("z_assign", "z_assign"),
            ("weight_vector", "weight_vector"),
        ):
            if options[option] is not None:
                params = replace(params, **{field: options[option]})
        for share in ("attach", "review"):
            if not 0.0 <= options[share] <= 1.0:
                raise CommandError(f"--{share} must be between 0 and 1")
        try:
            rows, has_author = read_csv(options["file"])
        except EvalFileError as error:
            raise CommandError(str(error)) from error
        helped = bool(options["attach"] or options["review"])
        through = options["through_services"] or (helped and not options["shortcut"])
        if params.variant.startswith("e5+") and not through:
            rows = self._embedded(options["file"], rows)
        started = time.perf_counter()
        simulation: Any = None
        if through:
            try:
                simulation = replay(
                    rows,
                    params,
                    attach=options["attach"],
                    review=options["review"],
                    seed=options["seed"],
                )
            except ReplayRefused as error:
                raise CommandError(str(error)) from error
            report = simulation.report
        elif helped:
            simulation = simulate(
                rows,
                params,
                attach=options["attach"],
                review=options["review"],
                seed=options["seed"],
            )
            report = simulation.report
        else:
            report = evaluate(rows, params)
        elapsed = time.perf_counter() - started
        write = self.stdout.write
        write(f"file: {options['file']}")
        write(
            f"variant: {params.variant}  k={params.k}  "
            f"threshold={params.distance_threshold}  "
            f"density={params.density_min_similarity}  cut={params.cut} "
            f"z={params.z_cut}/{params.z_density}/{params.z_assign}  "
            f"weight_vector={params.weight_vector}  "
            f"two-author rule: {'on' if has_author else 'off (no author column)'}"
        )
        write(
            f"rows: {report.rows}  themes found by the engine: {report.themes}  "
            f"time: {elapsed:.2f}s"
        )
        if simulation is not None:
            write(
                f"simulated team: attach={options['attach']} "
                f"review={options['review']} seed={options['seed']}  "
                f"runs: {simulation.runs}  attached: {simulation.attached}  "
                f"marked 'hoort er niet bij': {simulation.marked}  "
                f"true theme in top 3: {simulation.suggested_top3}/"
                f"{simulation.suggested_asked}"
            )
        if through:
            stored = " ".join(
                f"{kind}={n}" for kind, n in simulation.stored_actions.items()
            )
            write(
                f"through services: embedded {simulation.embedded} signals; "
                f"stored actions before rollback: {stored or 'none'}; "
                "rolled back, nothing kept"
            )
        write(report.last_line())

    def _embedded(self, file: str, rows: list[LabelledSignal]) -> list[LabelledSignal]:
        embedder = embedding.get_embedder()
        if embedder is None:
            return rows
        digest = hashlib.sha256(Path(file).read_bytes()).hexdigest()[:16]
        model = hashlib.sha256(embedder.name.encode()).hexdigest()[:8]
        cache = Path(settings.BASE_DIR) / ".cache" / "rollup_eval"
        path = cache / f"{digest}-{model}.npy"
        if path.exists():
            stored = np.load(path)
            if stored.shape[0] == len(rows):
                return with_vectors(rows, lambda texts: stored)
        started = time.perf_counter()
        vectors = embedder([row.signal.text for row in rows])
        self.stdout.write(
            f"embedded {len(rows)} texts with {embedder.name} in "
            f"{time.perf_counter() - started:.1f}s"
        )
        cache.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors.astype(np.float32))
        return with_vectors(rows, lambda texts: vectors)

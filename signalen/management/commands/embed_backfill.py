"""Give every signal that has none its stored sentence vector (and stems).

    .venv/bin/python manage.py embed_backfill              # all that are missing
    .venv/bin/python manage.py embed_backfill --limit 500  # a part; run again to go on

Batches of ``--batch`` signals, each saved in its own transaction: stop it at any
moment (Ctrl-C, a crash) and the next run starts where this one stopped.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from signalen.themes import embedding
from signalen.themes.vectors import signals_to_embed, vectors_backfill


class Command(BaseCommand):
    help = (
        "Maak de ontbrekende vectoren van signalen (hervatbaar). "
        "(Embed the signals that have no stored vector yet; resumable.)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=64)
        parser.add_argument("--limit", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1 or (
            options["limit"] is not None and options["limit"] < 0
        ):
            raise CommandError("--batch must be at least 1 and --limit not negative")
        if embedding.get_embedder() is None:
            raise CommandError("SIGNAL_EMBEDDER is 'none': nothing to embed with")
        missing = signals_to_embed().count()
        total = missing if options["limit"] is None else min(missing, options["limit"])
        with tqdm(total=total, unit="signaal", disable=total == 0) as bar:
            done = vectors_backfill(
                batch_size=options["batch"], limit=options["limit"], progress=bar.update
            )
        self.stdout.write(f"embedded: {done}  still missing: {missing - done}")

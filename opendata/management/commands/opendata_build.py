"""Build the open-data files now (the nightly task does the same)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from opendata import builds


class Command(BaseCommand):
    help = "Build the open-data CSV and GeoJSON files of every active gemeente."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--gemeente",
            action="append",
            default=[],
            help="Only this gemeente (CBS code, e.g. GM0439); may be repeated.",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Print no progress bar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        codes = [code.upper() for code in options["gemeente"]]
        gemeenten = [
            g for g in builds.gemeenten_to_build() if not codes or g.code in codes
        ]
        unknown = set(codes) - {g.code for g in gemeenten}
        if unknown:
            raise CommandError(
                f"Unknown or inactive gemeente: {', '.join(sorted(unknown))}"
            )
        bar = tqdm(
            total=len(gemeenten) * len(builds.DATASETS),
            unit="file",
            disable=options["no_progress"],
            file=self.stderr,
        )
        for gemeente in gemeenten:
            bar.set_description(gemeente.code)
            builds.build_for_gemeente(gemeente, progress=lambda _name: bar.update(1))
        bar.close()
        self.stdout.write(f"Built the open data of {len(gemeenten)} gemeente(n).")

"""manage.py import_cbs FILE [FILE ...]: load CBS/PDOK geography and key figures."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from wijken.importer import FIGURES, LEVELS, CBSImportError, ImportReport, cbs_import


class _TqdmProgress:
    """One tqdm bar per stage (reading a file, writing a level), on stderr."""

    def __init__(self, *, file: TextIO, disable: bool) -> None:
        self.file = file
        self.disable = disable
        self.stage: str | None = None
        self.bar: tqdm[Any] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.disable:
            return
        if stage != self.stage or self.bar is None:
            self.close()
            self.stage = stage
            self.bar = tqdm(
                total=total, desc=stage, file=self.file, unit="", leave=False
            )
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = (
        "Import gemeenten, wijken, buurten and their key figures from the CBS/PDOK "
        "downloads: GeoJSON (WGS84 or RD New), GeoPackage (.gpkg) and the kerncijfers "
        "or indicator CSVs. Re-running updates; areas missing from a file that covers "
        "their gemeente are deactivated, never deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--gemeente",
            action="append",
            default=[],
            dest="gemeenten",
            metavar="GM0439",
            help="Only import this gemeente (repeat for more).",
        )
        parser.add_argument(
            "--year",
            type=int,
            help="Year of the key figures; overrides jaarstatcode, metadata.year and "
            "the year in the file name.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read, check and report, but write nothing.",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bars.")

    def handle(self, *args: Any, **options: Any) -> None:
        # tqdm redraws a line with \r, so it needs the raw stream, not Django's
        # OutputWrapper that ends every write with a newline.
        stream: TextIO = getattr(self.stderr, "_out", sys.stderr)
        progress = _TqdmProgress(
            file=stream, disable=options["quiet"] or not stream.isatty()
        )
        try:
            report = cbs_import(
                paths=options["files"],
                gemeenten=options["gemeenten"],
                year=options["year"],
                dry_run=options["dry_run"],
                progress=progress,
            )
        except CBSImportError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            progress.close()
        if options["verbosity"] >= 1:
            self.stdout.write(self.summary(report))

    def summary(self, report: ImportReport) -> str:
        lines = [f"Read {parsed.summary()}" for parsed in report.files]
        lines.append("")
        lines.append(f"{'':<12}{'created':>9}{'updated':>9}{'deactivated':>13}")
        for key in (*LEVELS, FIGURES):
            counts = report.counts[key]
            deactivated = "-" if key == FIGURES else str(counts.deactivated)
            lines.append(
                f"{key:<12}{counts.created:>9}{counts.updated:>9}{deactivated:>13}"
            )
        if report.dry_run:
            lines.append("")
            lines.append("Dry run: nothing was written.")
        return "\n".join(lines)

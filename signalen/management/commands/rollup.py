"""manage.py rollup: run the roll-up (signals to wijk themes) by hand.

    .venv/bin/python manage.py rollup --wijk WK043901
    .venv/bin/python manage.py rollup --gemeente GM0439 --recluster
    .venv/bin/python manage.py rollup --all

One run per wijk, each recorded as a RollupRun (trigger "manual"). A wijk another run
is busy with is skipped; a failing wijk is reported and the rest go on. The command ends
with a summary, and with exit status 1 when a wijk failed.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from signalen.models import RollupRun
from signalen.themes.runs import RollupBusy, rollup_many, wijken_to_roll_up
from wijken.models import Gemeente, Wijk


@dataclass
class _Tally:
    runs: int = 0
    signals_read: int = 0
    created: int = 0
    updated: int = 0
    closed: int = 0
    busy: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def add(self, wijk: Wijk, run: RollupRun | None, error: Exception | None) -> None:
        if run is not None:
            self.runs += 1
            self.signals_read += run.signals_read
            self.created += run.themes_created
            self.updated += run.themes_updated
            self.closed += run.themes_closed
        elif isinstance(error, RollupBusy):
            self.busy.append(wijk.code)
        else:
            self.failed.append((wijk.code, f"{type(error).__name__}: {error}"))


class Command(BaseCommand):
    help = (
        "Voer de roll-up uit: maak van signalen thema's per wijk. Kies precies een van "
        "--wijk, --gemeente of --all. (Run the roll-up for one wijk, a gemeente or all.)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--wijk", metavar="WKxxxxxx", help="Alleen deze wijk.")
        which.add_argument(
            "--gemeente", metavar="GMxxxx", help="Alle wijken van deze gemeente."
        )
        which.add_argument(
            "--all",
            action="store_true",
            help="Alle wijken met signalen of actuele thema's.",
        )
        parser.add_argument(
            "--recluster",
            action="store_true",
            help="Cluster alles opnieuw in plaats van nieuwe signalen toe te voegen "
            "aan bestaande thema's (zoals de nachtelijke run).",
        )
        parser.add_argument("--quiet", action="store_true", help="Geen voortgangsbalk.")

    def handle(self, *args: Any, **options: Any) -> None:
        wijken = self.wijken(options)
        # tqdm redraws a line with \r, so it needs the raw stream, not Django's
        # OutputWrapper that ends every write with a newline.
        stream: TextIO = getattr(self.stderr, "_out", sys.stderr)
        bar = tqdm(
            total=len(wijken),
            desc="roll-up",
            unit=" wijk",
            file=stream,
            leave=False,
            disable=options["quiet"] or not stream.isatty(),
        )
        tally = _Tally()

        def progress(
            wijk: Wijk, run: RollupRun | None, error: Exception | None
        ) -> None:
            tally.add(wijk, run, error)
            bar.set_postfix_str(wijk.code, refresh=False)
            bar.update(1)

        started = time.perf_counter()
        try:
            rollup_many(
                wijken,
                trigger=RollupRun.Trigger.MANUAL,
                recluster=options["recluster"],
                progress=progress,
            )
        finally:
            bar.close()
        elapsed = time.perf_counter() - started
        if options["verbosity"] >= 1:
            self.stdout.write(self.summary(tally, len(wijken), elapsed))
        for code in tally.busy:
            self.stderr.write(
                f"{code}: een andere run is bezig; overgeslagen. (busy, skipped)"
            )
        for code, error in tally.failed:
            self.stderr.write(f"{code}: mislukt (failed): {error}")
        if tally.failed:
            raise CommandError(
                f"{len(tally.failed)} wijk(en) mislukt; zie de fouten hierboven en "
                "de roll-up-runs in het beheer. (failed)"
            )

    def wijken(self, options: dict[str, Any]) -> list[Wijk]:
        if options["wijk"] is not None:
            code = options["wijk"].strip().upper()
            wijk = Wijk.objects.filter(code=code).first()
            if wijk is None:
                raise CommandError(
                    f"Wijk {options['wijk']!r} niet gevonden (unknown wijk code); "
                    "een wijkcode ziet eruit als WK043901."
                )
            return [wijk]
        if options["gemeente"] is not None:
            code = options["gemeente"].strip().upper()
            gemeente = Gemeente.objects.filter(code=code).first()
            if gemeente is None:
                raise CommandError(
                    f"Gemeente {options['gemeente']!r} niet gevonden (unknown gemeente "
                    "code); een gemeentecode ziet eruit als GM0439."
                )
            wijken = list(gemeente.wijken.filter(is_active=True).order_by("code"))
            if not wijken:
                raise CommandError(
                    f"Gemeente {gemeente.code} heeft geen actieve wijken (no wijken)."
                )
            return wijken
        return list(
            Wijk.objects.filter(pk__in=wijken_to_roll_up(recent_only=False)).order_by(
                "code"
            )
        )

    def summary(self, tally: _Tally, total: int, elapsed: float) -> str:
        return "\n".join(
            [
                f"Wijken (wijken): {total}; gelukt (done) {tally.runs}, "
                f"mislukt (failed) {len(tally.failed)}, bezet (busy) {len(tally.busy)}",
                f"Signalen gelezen (signals read): {tally.signals_read}",
                f"Thema's nieuw / bijgewerkt / niet meer actueel "
                f"(created / updated / closed): {tally.created} / {tally.updated} / "
                f"{tally.closed}",
                f"Tijd (wall time): {elapsed:.1f} s",
            ]
        )

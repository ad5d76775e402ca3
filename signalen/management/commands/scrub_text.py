"""Scrub lines of text from standard input, exactly as the signal form would store them.

    printf 'Mw. Jansen, 06-12345678\\n' | .venv/bin/python manage.py scrub_text
    Mw. [NAAM], [TELEFOON]

One line out for each line in (empty lines stay empty). For audits and tests: it runs
the scrubber in this process (loading deduce, ~1 GB), never through the worker.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Lees regels tekst van standaardinvoer en schrijf elke regel geschoond terug, "
        "precies zoals het signaalformulier hem zou opslaan. "
        "(Scrub each line of standard input as the signal form would store it.)"
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--keep",
            action="append",
            default=[],
            metavar="NAAM",
            help="Naam die nooit wordt weggehaald (mag vaker). (A name never removed.)",
        )
        parser.add_argument(
            "--wijk",
            metavar="CODE",
            help=(
                "CBS-code van de wijk: de namen van wijk en gemeente blijven staan, "
                "zoals in het formulier. (Keep the wijk and gemeente names.)"
            ),
        )
        parser.add_argument(
            "--buurt",
            metavar="CODE",
            help="CBS-code van de buurt (met --wijk). (Also keep this buurt's name.)",
        )
        parser.add_argument(
            "--explain",
            action="store_true",
            help="Schrijf wat is weggehaald naar standaardfout. (Removals to stderr.)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from signalen.intake.scrub import scrub
        from signalen.intake.scrubbing import area_names

        keep: set[str] = set(options["keep"])
        if options["wijk"]:
            from wijken.models import Buurt, Wijk

            wijk = (
                Wijk.objects.select_related("gemeente")
                .filter(code=options["wijk"])
                .first()
            )
            if wijk is None:
                raise CommandError(f"Onbekende wijk: {options['wijk']}")
            buurt = None
            if options["buurt"]:
                buurt = Buurt.objects.filter(code=options["buurt"], wijk=wijk).first()
                if buurt is None:
                    raise CommandError(
                        f"Onbekende buurt in deze wijk: {options['buurt']}"
                    )
            keep.update(area_names(wijk, buurt))
        elif options["buurt"]:
            raise CommandError("--buurt werkt alleen samen met --wijk.")
        stdin = options.get("stdin") or sys.stdin
        for number, line in enumerate(stdin, start=1):
            text = line.removesuffix("\n").removesuffix("\r")
            result = scrub(text, keep)
            self.stdout.write(result.text)
            if options["explain"]:
                for removal in result.removals:
                    self.stderr.write(f"{number}: {removal.label}: {removal.original}")
        self.stdout.flush()

"""Compile every .po file under LOCALE_PATHS to .mo with Babel.

Django's own `compilemessages` needs GNU gettext's msgfmt, which a fresh machine may not
have; Babel is a pinned Python dependency, so installs need nothing else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the project's .po translation files to .mo (no gettext needed)."

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = 0
        for root in settings.LOCALE_PATHS:
            for po_path in sorted(Path(root).glob("*/LC_MESSAGES/*.po")):
                locale = po_path.parent.parent.name
                try:
                    with po_path.open("rb") as fh:
                        catalog = read_po(fh, locale=locale)
                except Exception as exc:
                    raise CommandError(f"Cannot read {po_path}: {exc}") from exc
                mo_path = po_path.with_suffix(".mo")
                with mo_path.open("wb") as fh:
                    # Fuzzy entries are not trustworthy translations: leave them out.
                    write_mo(fh, catalog, use_fuzzy=False)
                compiled += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"{po_path} -> {mo_path}")
        self.stdout.write(f"Compiled {compiled} translation file(s).")

"""Warn and remove inactive resident accounts now (the nightly job, by hand)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from privacy.services import inactive_accounts_run


class Command(BaseCommand):
    help = (
        "Warn resident accounts unused for AVG_INACTIVE_DAYS and remove those warned "
        "AVG_INACTIVE_GRACE_DAYS ago that did not log in since."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count who would be warned or removed; change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(
            f"Inactive after {settings.AVG_INACTIVE_DAYS} days, removed "
            f"{settings.AVG_INACTIVE_GRACE_DAYS} days after the warning."
        )
        result = inactive_accounts_run(
            dry_run=options["dry_run"], progress=self.stdout.write
        )
        if options["dry_run"]:
            self.stdout.write(
                f"Dry run: would remove {result['to_remove']}, "
                f"would warn {result['to_warn']}."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed {result['removed']}, warned {result['warned']}, "
                f"warnings cancelled by a login {result['cancelled']}, "
                f"expired export files deleted {result['exports_purged']}."
            )
        )

"""Restore a back-up made by `manage.py backup` (buurtwijs/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from buurtwijs.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a back-up (.tar.gz from `manage.py backup`) into an empty database "
        "and MEDIA_ROOT: checks every checksum first, migrates, loads, then compares "
        "the rows per model with the manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "archive", help="The .tar.gz written by `manage.py backup`."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Remove everything in this database and MEDIA_ROOT first (without "
            "it, a database with accounts or a MEDIA_ROOT with files is refused).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(
                archive_path=Path(options["archive"]), replace=options["replace"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {sum(report.rows.values())} rows in {len(report.rows)} models "
            f"and {report.files} files; rows per model match the manifest."
        )

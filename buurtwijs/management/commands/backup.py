"""Back up the database and the uploaded files into one .tar.gz (buurtwijs/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from buurtwijs.backup import BackupError, backup_create, default_name, manifest_summary


class Command(BaseCommand):
    help = (
        "Write a consistent back-up of the database and MEDIA_ROOT to one .tar.gz "
        "with a manifest (rows per model, a SHA-256 per file). Restore it with "
        "`manage.py restore`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "output",
            nargs="?",
            help="File or folder to write to (default: buurtwijs-backup-<time>.tar.gz "
            "in the current folder).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"] or default_name())
        if output.is_dir():
            output = output / default_name()
        try:
            manifest = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Back-up written to {output}: {manifest_summary(manifest)}")

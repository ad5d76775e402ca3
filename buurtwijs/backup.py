"""Back-up and restore: the database and the uploaded files in one .tar.gz.

One archive holds:

- ``database.json``: every row of every model (Django's dumpdata, with each model's
  base manager so no filtered manager hides rows, and times to the microsecond), read in one transaction so it is one
  consistent moment (REPEATABLE READ on PostgreSQL); content types and permissions by
  natural key, since a freshly migrated database makes its own. Sessions are left out:
  people log in again. The same file restores on SQLite and on PostgreSQL.
- ``media/``: every file under MEDIA_ROOT (the photos residents uploaded).
- ``manifest.json``: when, from which database and migrations, the number of rows per
  model and a SHA-256 checksum of every file in the archive.

A restore checks every checksum before it changes anything, brings the database to the
current migrations, refuses a database that already has accounts (unless told to
replace everything), empties it, loads the rows and puts the files back; then it counts
the rows per model again and compares them with the manifest.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from buurtwijs import backup_json

FORMAT = "buurtwijs-backup/1"
DATABASE_FILE = "database.json"
MANIFEST_FILE = "manifest.json"
MEDIA_DIR = "media"
# Made anew by `migrate` (post_migrate) in the database restored into, or not worth
# keeping (sessions: people log in again).
EXCLUDED = ("contenttypes", "auth.permission", "sessions")


class BackupError(Exception):
    """A back-up that cannot be made or restored, with a message for the operator."""


@dataclass
class RestoreReport:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _excluded(label: str) -> bool:
    app_label = label.split(".")[0]
    return label in EXCLUDED or app_label in EXCLUDED


def backed_up_models() -> list[Any]:
    # Auto-created ones too: the rows of many-to-many links are counted as well.
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and not _excluded(model._meta.label_lower)
    ]


def row_counts() -> dict[str, int]:
    """Rows per model of what a back-up holds (label -> count)."""
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in backed_up_models()
    }


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def media_files(root: Path) -> dict[str, str]:
    """Every file under `root`: its path relative to it -> its SHA-256."""
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): _sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def backup_create(*, output: Path) -> dict[str, Any]:
    """Write a back-up archive to `output` and return its manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="buurtwijs-backup-") as folder:
        dump = Path(folder) / DATABASE_FILE
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                # One snapshot for every table (only possible as the first statement).
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"
                    )
            counts = row_counts()
            # Fixture JSON with times to the microsecond (buurtwijs/backup_json.py).
            serializers.register_serializer(
                backup_json.FORMAT_NAME, "buurtwijs.backup_json"
            )
            call_command(
                "dumpdata",
                exclude=list(EXCLUDED),
                natural_foreign=True,
                use_base_manager=True,
                format=backup_json.FORMAT_NAME,
                output=str(dump),
                verbosity=0,
            )
            migrations = _migrations()
        media = media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": migrations,
            "rows": counts,
            "files": {DATABASE_FILE: _sha256(dump)}
            | {f"{MEDIA_DIR}/{name}": digest for name, digest in media.items()},
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST_FILE)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=DATABASE_FILE)
            for name in media:
                archive.add(media_root / name, arcname=f"{MEDIA_DIR}/{name}")
        partial.replace(output)  # a half-written archive never has the final name
    return manifest


def default_name() -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return f"buurtwijs-backup-{stamp}.tar.gz"


def _safe_members(archive: tarfile.TarFile) -> Iterable[tarfile.TarInfo]:
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts or not member.isfile():
            raise BackupError(f"The archive holds an unsafe entry: {member.name!r}.")
        yield member


def backup_restore(*, archive_path: Path, replace: bool = False) -> RestoreReport:
    """Restore a back-up into this database and MEDIA_ROOT (see the module docstring).

    Without `replace`, a database that has accounts, or a MEDIA_ROOT with files, is
    refused; with it, what is there is removed first."""
    if not archive_path.is_file():
        raise BackupError(f"No back-up found at {archive_path}.")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="buurtwijs-restore-") as folder:
        unpacked = Path(folder)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                members = list(_safe_members(archive))
                archive.extractall(unpacked, members=members, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"The archive cannot be read: {exc}") from exc
        manifest = _manifest(unpacked)
        _verify(unpacked, manifest)

        call_command("migrate", interactive=False, verbosity=0)
        user_model = apps.get_model(settings.AUTH_USER_MODEL)
        if not replace:
            if user_model._base_manager.exists():
                raise BackupError(
                    "This database already has accounts. Restore into an empty "
                    "database, or pass --replace to remove everything in it first."
                )
            if media_files(media_root):
                raise BackupError(
                    f"MEDIA_ROOT ({media_root}) already has files. Empty it, or pass "
                    "--replace to remove them first."
                )
        with transaction.atomic():
            # flush empties every table; post_migrate makes content types and
            # permissions again, which the dump refers to by natural key.
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(unpacked / DATABASE_FILE), verbosity=0)
        if media_root.is_dir():
            shutil.rmtree(media_root)
        source = unpacked / MEDIA_DIR
        if source.is_dir():
            shutil.copytree(source, media_root)
        else:
            media_root.mkdir(parents=True, exist_ok=True)

    report = RestoreReport(rows=row_counts(), files=len(media_files(media_root)))
    expected = {label: int(n) for label, n in manifest["rows"].items()}
    differ = {
        label: (expected.get(label), report.rows.get(label))
        for label in sorted(set(expected) | set(report.rows))
        if expected.get(label, 0) != report.rows.get(label, 0)
    }
    if differ:
        raise BackupError(f"Rows per model differ after the restore: {differ}")
    return report


def _manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST_FILE).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"The archive has no readable {MANIFEST_FILE}.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"Unknown back-up format {manifest.get('format')!r} (expected {FORMAT})."
        )
    return manifest


def _verify(folder: Path, manifest: dict[str, Any]) -> None:
    files: dict[str, str] = manifest.get("files", {})
    if DATABASE_FILE not in files:
        raise BackupError("The manifest lists no database dump.")
    present = {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path.relative_to(folder).as_posix() != MANIFEST_FILE
    }
    if present != set(files):
        raise BackupError(
            "The archive does not hold exactly the files its manifest lists "
            f"(missing {sorted(set(files) - present)}, "
            f"extra {sorted(present - set(files))})."
        )
    for name, digest in files.items():
        if _sha256(folder / name) != digest:
            raise BackupError(f"Checksum mismatch for {name}: the archive is damaged.")


def manifest_summary(manifest: dict[str, Any]) -> str:
    rows = sum(int(n) for n in manifest["rows"].values())
    files = len(manifest["files"]) - 1
    created = datetime.datetime.fromisoformat(manifest["created_at"])
    return f"{rows} rows in {len(manifest['rows'])} models, {files} files, {created:%Y-%m-%d %H:%M}"

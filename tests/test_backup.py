"""`manage.py backup` and `manage.py restore`: back up, wipe, restore, and everything is
there again (rows per model, uploaded photos byte for byte)."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from accounts.models import User
from buurtwijs.backup import backed_up_models, media_files, row_counts
from signalen.intake.sealing import seal, unseal
from signalen.models import Signaal
from tests.conftest import PASSWORD
from tests.initiatieven.factories import InitiatiefFactory, jpeg_bytes
from tests.signalen.helpers import make_signaal

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def site(media, bewoner, professional, ambtenaar, team, wijk):
    """Residents, staff with an authenticator, an initiative with a photo, a signal."""
    initiatief = InitiatiefFactory(owner=bewoner, wijk=wijk, title="Moestuin")
    initiatief.photo.save("moestuin.jpg", ContentFile(jpeg_bytes()), save=True)
    (media / "losse-map").mkdir()
    (media / "losse-map" / "notitie.txt").write_text("bewaar mij")
    make_signaal(author=professional, team=team, wijk=wijk, text="Eenzaam in de flat")
    return initiatief


def _backup(tmp_path) -> Path:
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    return archive


def _wipe(media: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)


def test_a_backup_restored_into_an_empty_database_has_every_row_and_file(
    site, media, tmp_path
):
    rows, files = row_counts(), media_files(media)
    assert rows["accounts.user"] == 3
    assert rows["initiatieven.initiatief"] == 1
    assert rows["signalen.signaal"] == 1
    assert len(files) == 2

    archive = _backup(tmp_path)
    _wipe(media)
    assert User.objects.count() == 0
    assert not media.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert row_counts() == rows
    assert media_files(media) == files
    assert "rows per model match the manifest" in out.getvalue()
    # What people need works again: passwords, and the photo of the initiative.
    assert User.objects.get(email="bewoner@example.nl").check_password(PASSWORD)
    site.refresh_from_db()
    with site.photo.open("rb") as photo:
        assert photo.read() == (media / site.photo.name).read_bytes()


def table_rows() -> dict[str, list[tuple]]:
    """Every row of every table a back-up holds, as comparable values. Content types
    and permissions are made anew by `migrate`, so links to them are compared by
    natural key; the link tables of many-to-many fields get new ids on a load (the
    dump lists the links on their object), so their rows are compared without id."""
    types = {c.pk: (c.app_label, c.model) for c in ContentType.objects.all()}
    permissions = {
        p.pk: (types[p.content_type_id], p.codename) for p in Permission.objects.all()
    }
    tables: dict[str, list[tuple]] = {}
    for model in backed_up_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if not (model._meta.auto_created and f.primary_key)
        ]
        rows = []
        for values in model._base_manager.values_list(*[f.attname for f in fields]):
            row = []
            for f, value in zip(fields, values, strict=True):
                if f.is_relation and f.related_model is ContentType:
                    value = types.get(value)
                elif f.is_relation and f.related_model is Permission:
                    value = permissions.get(value)
                elif isinstance(value, memoryview):
                    value = bytes(value)
                row.append(repr(value))
            rows.append(tuple(row))
        tables[model._meta.label_lower] = sorted(rows)
    return tables


def test_every_row_of_every_table_and_every_file_comes_back_the_same(
    site, media, tmp_path, professional, team, wijk
):
    """Back up, wipe (every row and every file), restore, compare: on SQLite and, in
    CI's PostgreSQL pass (DATABASE_URL), on PostgreSQL."""
    sealed = make_signaal(author=professional, team=team, wijk=wijk, text="")
    Signaal.objects.filter(pk=sealed.pk).update(
        text_sealed=seal("Mevrouw Jansen belde"), scrub_pending=True
    )
    before, files = table_rows(), media_files(media)
    assert sum(len(rows) for rows in before.values()) > 50
    assert before["signalen.signaal"]

    archive = _backup(tmp_path)
    _wipe(media)
    assert User.objects.count() == 0

    call_command("restore", str(archive), stdout=io.StringIO())

    after = table_rows()
    assert after.keys() == before.keys()
    differ = [label for label in before if after[label] != before[label]]
    assert differ == [], {
        label: (before[label][:1], after[label][:1]) for label in differ
    }
    assert media_files(media) == files
    # New rows get new ids (on PostgreSQL the sequences were set past the restored
    # rows), and the restored sealed text still opens.
    later = InitiatiefFactory(owner=site.owner, wijk=site.wijk, title="Na herstel")
    assert later.pk > site.pk
    assert unseal(Signaal.objects.get(pk=sealed.pk).text_sealed) == (
        "Mevrouw Jansen belde"
    )


def test_the_archive_has_a_manifest_with_counts_and_checksums(site, media, tmp_path):
    archive = _backup(tmp_path)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["format"] == "buurtwijs-backup/1"
    assert manifest["rows"]["accounts.user"] == 3
    assert set(manifest["files"]) == names - {"manifest.json"}
    assert (
        manifest["files"]["media/losse-map/notitie.txt"]
        == (media_files(media)["losse-map/notitie.txt"])
    )
    assert "sessions.session" not in manifest["rows"]


def test_a_restore_into_a_database_with_accounts_is_refused(site, media, tmp_path):
    archive = _backup(tmp_path)
    with pytest.raises(CommandError, match="already has accounts"):
        call_command("restore", str(archive))
    assert User.objects.count() == 3


def test_replace_restores_over_a_database_in_use(site, media, tmp_path):
    rows = row_counts()
    archive = _backup(tmp_path)
    InitiatiefFactory(owner=site.owner, wijk=site.wijk, title="Later gemaakt")
    call_command("restore", str(archive), "--replace", stdout=io.StringIO())
    assert row_counts() == rows


def _rewrite(archive: Path, change) -> Path:
    """A copy of the archive with its members changed by `change(name, data)`."""
    damaged = archive.with_name("damaged.tar.gz")
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            name, data = change(member.name, data)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    return damaged


def test_a_damaged_archive_is_refused_before_anything_changes(site, media, tmp_path):
    archive = _backup(tmp_path)

    def flip(name, data):
        return name, (data + b"x" if name.endswith(".jpg") else data)

    damaged = _rewrite(archive, flip)
    _wipe(media)
    with pytest.raises(CommandError, match="Checksum mismatch"):
        call_command("restore", str(damaged))
    assert not media.exists()


def test_an_archive_with_a_path_outside_its_folder_is_refused(site, media, tmp_path):
    archive = _backup(tmp_path)

    def escape(name, data):
        return ("../../buiten.txt" if name.endswith(".txt") else name), data

    with pytest.raises(CommandError, match="unsafe entry"):
        call_command("restore", str(_rewrite(archive, escape)), "--replace")
    assert not (tmp_path.parent / "buiten.txt").exists()


def test_a_missing_or_unreadable_archive_gives_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No back-up found"):
        call_command("restore", str(tmp_path / "er-niet.tar.gz"))
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"geen archief")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("restore", str(junk))

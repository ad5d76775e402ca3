"""manage.py import_cbs: output, options and exit status."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.wijken.cbs_files import db_snapshot, feature, write_geojson
from wijken.models import Buurt, Wijk

pytestmark = pytest.mark.django_db

MANAGE_PY = Path(__file__).resolve().parents[2] / "manage.py"


def wijken_file(tmp_path: Path) -> Path:
    return write_geojson(
        tmp_path / "wijken_2024.geojson",
        [
            feature(
                wijkcode="WK043901",
                wijknaam="Centrum",
                gemeentecode="GM0439",
                gemeentenaam="Purmerend",
                aantal_inwoners=1200,
            ),
            feature(
                wijkcode="WK040501",
                wijknaam="Binnenstad",
                gemeentecode="GM0405",
                gemeentenaam="Hoorn",
            ),
        ],
    )


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_cbs", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_imports_and_prints_a_summary_table(tmp_path):
    output = run(str(wijken_file(tmp_path)))

    assert "Read wijken_2024.geojson: GeoJSON, WGS84, year 2024, 2 features" in output
    lines = output.splitlines()
    assert any(line.split() == ["gemeente", "2", "0", "0"] for line in lines)
    assert any(line.split() == ["wijk", "2", "0", "0"] for line in lines)
    assert any(line.split() == ["kerncijfers", "1", "0", "-"] for line in lines)
    assert Wijk.objects.count() == 2


def test_rerun_reports_updates(tmp_path):
    path = str(wijken_file(tmp_path))
    run(path)

    output = run(path)

    assert any(line.split() == ["wijk", "0", "2", "0"] for line in output.splitlines())
    assert Wijk.objects.count() == 2


def test_gemeente_option_is_repeatable(tmp_path):
    run(str(wijken_file(tmp_path)), "--gemeente", "GM0439", "--gemeente", "GM0405")
    assert Wijk.objects.count() == 2

    Wijk.objects.all().delete()
    run(str(wijken_file(tmp_path)), "--gemeente", "GM0405")
    assert list(Wijk.objects.values_list("code", flat=True)) == ["WK040501"]


def test_year_option_sets_the_year_of_the_figures(tmp_path):
    run(str(wijken_file(tmp_path)), "--year", "2023", "--quiet")

    assert Wijk.objects.get(code="WK043901")
    from wijken.models import Kerncijfers

    assert list(Kerncijfers.objects.values_list("year", flat=True)) == [2023]


def test_dry_run_writes_nothing(tmp_path):
    before = db_snapshot()

    output = run(str(wijken_file(tmp_path)), "--dry-run")

    assert "Dry run: nothing was written." in output
    assert any(line.split() == ["wijk", "2", "0", "0"] for line in output.splitlines())
    assert db_snapshot() == before


def test_bad_file_is_a_command_error_with_exit_status_1(tmp_path):
    good = wijken_file(tmp_path)
    missing = tmp_path / "bestaat_niet.geojson"

    with pytest.raises(CommandError) as caught:
        run(str(good), str(missing))

    assert caught.value.returncode == 1
    assert str(caught.value) == f"{missing}: file does not exist"
    assert Wijk.objects.count() == 0
    assert Buurt.objects.count() == 0


def test_verbosity_zero_prints_nothing(tmp_path):
    assert run(str(wijken_file(tmp_path)), "--verbosity", "0") == ""


def test_from_the_shell_a_bad_file_exits_1_with_one_line(tmp_path):
    # The importer stops before touching any database, so the subprocess may use
    # whatever database the environment names.
    bad = tmp_path / "kapot.geojson"
    bad.write_text("{not json", encoding="utf-8")

    result = subprocess.run(
        [sys.executable, str(MANAGE_PY), "import_cbs", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        check=False,
    )

    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"CommandError: {bad}: is not valid JSON (line 1")

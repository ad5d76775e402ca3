"""Issue #18 item 14: links in e-mails point at the address the demo is served on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _site_url(**env: str) -> str:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT", "DEBUG")
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup();"
            "from core.mail import site_url; print(site_url('/x/'))",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "buurtwijs.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_without_site_url_mail_links_point_at_the_demo_port():
    assert _site_url(PORT="8123") == "http://127.0.0.1:8123/x/"


def test_without_site_url_or_port_mail_links_point_at_port_8000():
    assert _site_url() == "http://127.0.0.1:8000/x/"


def test_a_set_site_url_wins_over_the_port():
    assert (
        _site_url(SITE_URL="https://buurtwijs.example.nl/", PORT="8123")
        == "https://buurtwijs.example.nl/x/"
    )


def test_an_empty_site_url_counts_as_unset():
    assert _site_url(SITE_URL="  ", PORT="8124") == "http://127.0.0.1:8124/x/"


def test_a_port_that_is_not_a_number_is_refused():
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL",)}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "buurtwijs.settings", "PORT": "acht"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "PORT must be a whole number" in result.stderr


def test_run_sh_exports_site_url_from_the_port_for_server_and_scheduler():
    script = (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8")
    export = script.index("export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}")
    assert export < script.index("run_schedule")
    assert export < script.index("runserver")

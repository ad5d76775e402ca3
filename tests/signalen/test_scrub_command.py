"""`manage.py scrub_text`: one scrubbed line out for each line in, as the form stores it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from signalen.intake.scrub import scrub
from signalen.intake.scrubbing import area_names
from tests.factories import BuurtFactory

ROOT = Path(__file__).resolve().parents[2]

LINES = [
    "Mw. Jansen, 06-12345678, vraagt hulp bij formulieren.",
    "",
    "Geen persoonsgegevens: 85 jaar, sinds 2019, Voedselbank.",
    "BSN 111222333 en IBAN NL91 ABNA 0417 1643 00, mail a.b@c.nl",
    "   ",
    "Fatima El Amrani woont op Kerkstraat 14, 1441 AB.",
]


def run(stdin: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("scrub_text", *args, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_each_line_in_gives_one_scrubbed_line_out():
    out, err = run("\n".join(LINES) + "\n")
    lines = out.split("\n")
    assert lines[-1] == ""
    assert lines[:-1] == [scrub(line).text for line in LINES]
    assert lines[0] == "Mw. [NAAM], [TELEFOON], vraagt hulp bij formulieren."
    assert lines[1] == ""
    assert lines[2] == LINES[2]
    assert lines[3] == "BSN [BSN] en IBAN [IBAN], mail [E-MAIL]"
    assert lines[4] == "   "
    assert err == ""


def test_a_last_line_without_a_newline_and_windows_line_ends_are_handled():
    out, _err = run("bel 06-12345678\r\nlaatste regel 0612345678")
    assert out == "bel [TELEFOON]\nlaatste regel [TELEFOON]\n"


def test_empty_input_gives_empty_output():
    out, _err = run("")
    assert out == ""


def test_explain_writes_what_was_removed_to_stderr_only():
    out, err = run("Mw. Jansen\n\nbel 06-12345678\n", "--explain")
    assert out == "Mw. [NAAM]\n\nbel [TELEFOON]\n"
    assert err.splitlines() == ["1: naam: Jansen", "3: telefoonnummer: 06-12345678"]


def test_keep_leaves_a_name_alone():
    out, _err = run("Mevrouw Overwhez woont hier\n", "--keep", "Overwhez")
    assert out == "Mevrouw Overwhez woont hier\n"


@pytest.mark.django_db
def test_wijk_keeps_the_same_place_names_as_the_form(wijk):
    buurt = BuurtFactory(code="BU04390109", name="Jan Pieter Heije", wijk=wijk)
    text = f"Mevrouw {buurt.name} voelt zich eenzaam.\n"
    out, _err = run(text, "--wijk", wijk.code, "--buurt", buurt.code)
    assert out == text
    assert buurt.name in area_names(wijk, buurt)
    assert wijk.gemeente.name in area_names(wijk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--wijk", "WK999999"], "Onbekende wijk"),
        (["--buurt", "BU04390101"], "--wijk"),
    ],
)
def test_an_unknown_wijk_or_a_buurt_without_wijk_is_refused(wijk, args, message):
    with pytest.raises(CommandError, match=message):
        run("tekst\n", *args)


def test_the_command_runs_as_a_pipe_line_for_line():
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("DATABASE_URL", None)
    completed = subprocess.run(
        [sys.executable, "manage.py", "scrub_text"],
        input="Dhr. Kowalski, tel +31 6 1234 5678\n\nKrzysztof Wiśniewski, 85 jaar\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
        check=True,
    )
    assert completed.stdout.split("\n") == [
        "Dhr. [NAAM], tel [TELEFOON]",
        "",
        "[NAAM], 85 jaar",
        "",
    ]

"""``manage.py rollup_eval``: figures on a labelled CSV, without the database."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

LAST_LINE = re.compile(
    r"^ARI=-?\d\.\d{3} NMI=\d\.\d{3} purity=\d\.\d{3} found=\d+/\d+ "
    r"noise_pulled_in=\d+/\d+$"
)
THEMES = {
    "schimmel": [
        "schimmel in slaapkamer, corporatie reageert niet",
        "zwarte schimmel badkamer, vocht, kind hoest",
        "vocht en schimmel in huurwoning",
        "schimmel op muren, corporatie doet niks",
        "vochtplekken en schimmel in huis",
        "schimmel achter kast, vocht in muren",
    ],
    "eenzaam": [
        "eenzaam sinds buurthuis dicht is",
        "oudere alleen, eenzaam, mist buurthuis",
        "eenzaam, geen koffieochtend meer in buurthuis",
        "eenzaamheid, alleen thuis, buurthuis gesloten",
        "mist buurthuis, voelt zich eenzaam",
        "eenzaam en alleen sinds buurthuis dicht",
    ],
}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("rollup_eval", *args, stdout=out)
    return out.getvalue()


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def labelled_rows() -> list[dict[str, str]]:
    rows = [
        {
            "text": text,
            "label": label,
            "wijk": "WK1",
            "category": "wonen" if label == "schimmel" else "eenzaamheid",
            "author": f"p{n % 3}",
            "observed_on": "2026-11-01",
        }
        for label, texts in THEMES.items()
        for n, text in enumerate(texts)
    ]
    rows.append({"text": "vraag over parkeervergunning", "label": "", "wijk": "WK1"})
    return rows


def test_the_default_file_prints_figures_with_the_agreed_last_line() -> None:
    output = run()
    last = output.strip().splitlines()[-1]
    assert LAST_LINE.match(last), last
    assert "rollup_eval.csv" in output
    assert "two-author rule: on" in output


@pytest.mark.parametrize("variant", ["tfidf", "tfidf+char", "tfidf+char+category"])
def test_each_variant_can_be_chosen(tmp_path, variant) -> None:
    path = write_csv(
        tmp_path / "set.csv",
        ["text", "label", "wijk", "category", "author", "observed_on"],
        labelled_rows(),
    )
    output = run(str(path), "--variant", variant)
    assert f"variant: {variant}" in output
    assert LAST_LINE.match(output.strip().splitlines()[-1])


def test_a_clear_small_set_is_found_completely(tmp_path) -> None:
    path = write_csv(
        tmp_path / "set.csv",
        ["text", "label", "wijk", "category", "author", "observed_on"],
        labelled_rows(),
    )
    last = run(str(path)).strip().splitlines()[-1]
    assert "found=2/2" in last
    assert "noise_pulled_in=0/1" in last


def test_a_csv_without_author_and_wijk_columns_is_one_wijk_without_author_rule(
    tmp_path,
) -> None:
    path = write_csv(
        tmp_path / "plain.csv", ["text", "label", "category"], labelled_rows()
    )
    output = run(str(path))
    assert "two-author rule: off" in output
    assert "found=2/2" in output.strip().splitlines()[-1]


def test_the_same_file_gives_the_same_figures_twice(tmp_path) -> None:
    path = write_csv(tmp_path / "plain.csv", ["text", "label"], labelled_rows())
    assert run(str(path)).splitlines()[-1] == run(str(path)).splitlines()[-1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("tekst,thema\nschimmel,a\n", "missing column"),
        ("text,label,observed_on\nschimmel,a,gisteren\n", "not a date"),
        ("text,label\nschimmel,a,extra\n", "wrong number of fields"),
        ("text,label\n", "no rows"),
        ("", "missing column"),
    ],
)
def test_a_malformed_csv_gives_a_clear_error(tmp_path, content, message) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run(str(path))


def test_a_missing_file_gives_a_clear_error(tmp_path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        run(str(tmp_path / "nope.csv"))


def test_an_unknown_variant_is_refused() -> None:
    with pytest.raises(CommandError):
        run("--variant", "embeddings")


def test_a_simulated_team_attaches_and_reviews_and_keeps_the_last_line(
    tmp_path,
) -> None:
    rows = [
        {**row, "observed_on": f"2026-0{1 + n % 3}-1{n % 9}"}
        for n, row in enumerate(labelled_rows() * 6)
    ]
    path = write_csv(
        tmp_path / "set.csv",
        ["text", "label", "wijk", "category", "author", "observed_on"],
        rows,
    )
    output = run(str(path), "--attach", "0.5", "--review", "0.5", "--seed", "3")
    assert "simulated team: attach=0.5 review=0.5 seed=3" in output
    assert LAST_LINE.match(output.strip().splitlines()[-1])
    # The same seed gives the same figures.
    again = run(str(path), "--attach", "0.5", "--review", "0.5", "--seed", "3")
    assert again.strip().splitlines()[-1] == output.strip().splitlines()[-1]


@pytest.mark.parametrize("share", ["-0.1", "1.5"])
def test_a_share_outside_zero_and_one_is_refused(share) -> None:
    with pytest.raises(CommandError, match="between 0 and 1"):
        run("--attach", share)

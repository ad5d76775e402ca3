"""``manage.py rollup_eval``: figures on a labelled CSV, in memory, or with a simulated
team through the services the pages use (rolled back afterwards)."""

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
    output = run(
        str(path), "--attach", "0.5", "--review", "0.5", "--seed", "3", "--shortcut"
    )
    assert "simulated team: attach=0.5 review=0.5 seed=3" in output
    assert LAST_LINE.match(output.strip().splitlines()[-1])
    # The same seed gives the same figures.
    again = run(
        str(path), "--attach", "0.5", "--review", "0.5", "--seed", "3", "--shortcut"
    )
    assert again.strip().splitlines()[-1] == output.strip().splitlines()[-1]


@pytest.mark.parametrize("share", ["-0.1", "1.5"])
def test_a_share_outside_zero_and_one_is_refused(share) -> None:
    with pytest.raises(CommandError, match="between 0 and 1"):
        run("--attach", share)


# --- Through the services the pages use (issue 16, item 5) -----------------------------


def helped_rows() -> list[dict[str, str]]:
    """Two themes in one wijk over three weeks, with a mislabelled-looking noise row
    that the engine is likely to pull in (so a review has something to mark)."""
    rows = []
    for week in range(3):
        for label, texts in THEMES.items():
            for n, text in enumerate(texts):
                rows.append(
                    {
                        "text": text,
                        "label": label,
                        "wijk": "WK990101",
                        "category": "wonen" if label == "schimmel" else "eenzaamheid",
                        "target_groups": "ouderen",
                        "author": f"p{1 + n % 3}",
                        "observed_on": f"2026-11-{2 + 7 * week + n % 5:02d}",
                    }
                )
        rows.append(
            {
                "text": "schimmel en vocht, eenzaam, buurthuis dicht",
                "label": "",
                "wijk": "WK990101",
                "category": "wonen",
                "target_groups": "",
                "author": "p1",
                "observed_on": f"2026-11-{3 + 7 * week:02d}",
            }
        )
    return rows


COLUMNS = [
    "text",
    "label",
    "wijk",
    "category",
    "target_groups",
    "author",
    "observed_on",
]


@pytest.fixture
def spied(monkeypatch):
    """Counts the calls of the services, and what ThemaActie holds at each call."""
    from signalen.models import ThemaActie
    from signalen.themes import runs, services

    calls: dict[str, int] = {
        "theme_suggestions": 0,
        "signal_attach": 0,
        "signal_not_belong": 0,
        "rollup_wijk": 0,
    }
    seen_actions: list[str] = []
    for name in ("theme_suggestions", "signal_attach", "signal_not_belong"):
        original = getattr(services, name)

        def wrapper(*args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            out = _original(*args, **kwargs)
            seen_actions.extend(ThemaActie.objects.values_list("soort", flat=True))
            return out

        monkeypatch.setattr(services, name, wrapper)
    original_run = runs.rollup_wijk

    def run_wrapper(*args, **kwargs):
        calls["rollup_wijk"] += 1
        return original_run(*args, **kwargs)

    monkeypatch.setattr("signalen.themes.replay.rollup_wijk", run_wrapper)
    return calls, seen_actions


@pytest.mark.django_db
def test_the_simulated_team_works_through_the_services_and_leaves_nothing_behind(
    tmp_path, spied
) -> None:
    from accounts.models import Team, User
    from signalen.models import RollupRun, Signaal, SignaalVector, ThemaActie, WijkThema
    from wijken.models import Wijk

    calls, seen_actions = spied
    path = write_csv(tmp_path / "set.csv", COLUMNS, helped_rows())
    before = (User.objects.count(), Team.objects.count(), Wijk.objects.count())
    output = run(str(path), "--attach", "1", "--review", "1", "--seed", "2")

    assert LAST_LINE.match(output.strip().splitlines()[-1])
    assert "through services: embedded 39 signals" in output
    # The pages' services were called, and their rows existed during the run.
    assert calls["rollup_wijk"] == 3  # one wijk, three weeks
    assert calls["theme_suggestions"] > 0
    assert calls["signal_attach"] > 0
    assert "attach" in seen_actions
    assert re.search(r"stored actions before rollback: attach=[1-9]", output)
    # Nothing is left afterwards.
    assert not Signaal.objects.exists()
    assert not SignaalVector.objects.exists()
    assert not ThemaActie.objects.exists()
    assert not WijkThema.objects.exists()
    assert not RollupRun.objects.exists()
    assert not Wijk.objects.filter(code="WK990101").exists()
    assert (User.objects.count(), Team.objects.count(), Wijk.objects.count()) == before


@pytest.mark.django_db
def test_a_review_marks_members_of_another_label_through_signal_not_belong(
    tmp_path, spied
) -> None:
    from signalen.models import ThemaActie

    calls, seen_actions = spied
    path = write_csv(tmp_path / "set.csv", COLUMNS, helped_rows())
    output = run(str(path), "--review", "1", "--seed", "1")
    assert calls["signal_attach"] == 0
    marked = int(re.search(r"marked 'hoort er niet bij': (\d+)", output).group(1))
    assert marked > 0
    assert calls["signal_not_belong"] == marked
    assert "not_belong" in seen_actions
    assert f"not_belong={marked}" in output
    assert not ThemaActie.objects.exists()


@pytest.mark.django_db
def test_the_replay_gives_the_same_figures_for_the_same_seed(tmp_path) -> None:
    path = write_csv(tmp_path / "set.csv", COLUMNS, helped_rows())
    first = run(str(path), "--attach", "0.5", "--review", "0.5", "--seed", "4")
    again = run(str(path), "--attach", "0.5", "--review", "0.5", "--seed", "4")
    assert first.strip().splitlines()[-1] == again.strip().splitlines()[-1]


@pytest.mark.django_db
def test_the_replay_without_help_runs_every_week_through_rollup_wijk(
    tmp_path, spied
) -> None:
    calls, _seen = spied
    path = write_csv(tmp_path / "set.csv", COLUMNS, helped_rows())
    output = run(str(path), "--through-services")
    assert calls["rollup_wijk"] == 3
    assert calls["signal_attach"] == calls["signal_not_belong"] == 0
    assert "stored actions before rollback: none" in output
    assert LAST_LINE.match(output.strip().splitlines()[-1])


@pytest.mark.django_db
def test_the_replay_refuses_a_database_that_holds_signals(
    tmp_path, professional, team
) -> None:
    from signalen.models import Signaal
    from tests.signalen.helpers import make_signaal

    make_signaal(author=professional, team=team)
    path = write_csv(tmp_path / "set.csv", COLUMNS, helped_rows())
    with pytest.raises(CommandError, match="holds signals"):
        run(str(path), "--attach", "0.2")
    assert Signaal.objects.count() == 1


def test_through_services_and_shortcut_cannot_be_combined() -> None:
    with pytest.raises(CommandError):
        run("--through-services", "--shortcut")

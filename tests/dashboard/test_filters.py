"""Dashboard filters: in the URL, checked, and wrong values reported, not obeyed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dashboard.filters import resolve
from signalen.kanon import Period, block_start
from tests.conftest import mfa_client

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def test_default_is_the_last_12_weeks_of_whole_blocks_that_are_over(db):
    _f, query = resolve({})
    assert query.period.week_count == 12
    # The block of today is not over yet: the period ends the week before it.
    assert query.period.last_week == block_start(today()) - datetime.timedelta(weeks=1)
    assert query.period.first_week == block_start(query.period.first_week)
    assert query.params == {}


@pytest.mark.parametrize(("preset", "weeks"), [("3m", 12), ("6m", 24), ("12m", 52)])
def test_presets(db, preset, weeks):
    _f, query = resolve({"periode": preset})
    assert query.period.week_count == weeks


@pytest.mark.parametrize("preset", [None, "3m", "6m", "12m"])
def test_the_period_does_not_slide_along_week_by_week(db, preset):
    """Within one block of four weeks every day gives the same period, so a total
    cannot be compared with the one of a week earlier; the next block moves it by
    exactly one whole block."""
    data = {"periode": preset} if preset else {}
    for start in (block_start(datetime.date(2026, 6, 1)), block_start(today())):
        periods = {
            resolve(data, today=start + datetime.timedelta(days=n))[1].period
            for n in range(28)
        }
        assert len(periods) == 1
        (period,) = periods
        assert period.last_week == start - datetime.timedelta(weeks=1)
        assert period.first_week == block_start(period.first_week)
        following = resolve(data, today=start + datetime.timedelta(days=28))[1].period
        assert following == Period(
            period.first_week + datetime.timedelta(weeks=4),
            period.last_week + datetime.timedelta(weeks=4),
        )
        # The day before the block still gives the period of the block before.
        earlier = resolve(data, today=start - datetime.timedelta(days=1))[1].period
        assert earlier.last_week == period.last_week - datetime.timedelta(weeks=4)


def test_custom_period_in_the_running_block_is_refused(db):
    """Only blocks that are over are shown: a custom period inside today's block has
    no whole block, and one that ends in it stops at the block before."""
    day = datetime.date(2026, 6, 10)
    f, query = resolve(
        {
            "periode": "eigen",
            "van": block_start(day).isoformat(),
            "tot": day.isoformat(),
        },
        today=day,
    )
    assert "tot" in f.form.errors
    assert "nog geen blok van vier weken voorbij" in str(f.form.errors["tot"])
    assert query.period == Period.of_blocks(blocks=3, as_of=day)
    _f, query = resolve(
        {"periode": "eigen", "van": "2026-01-07", "tot": day.isoformat()}, today=day
    )
    assert query.period.last_week == block_start(day) - datetime.timedelta(weeks=1)


def test_custom_period_snaps_to_whole_blocks(db):
    _f, query = resolve(
        {"periode": "eigen", "van": "2026-01-07", "tot": "2026-02-04"},
        today=datetime.date(2026, 6, 1),
    )
    # Blocks of the grid: 2025-12-29..2026-01-25 and 2026-01-26..2026-02-22.
    assert query.period == Period(
        datetime.date(2025, 12, 29), datetime.date(2026, 2, 16)
    )
    assert query.params == {
        "periode": "eigen",
        "van": "2026-01-07",
        "tot": "2026-02-04",
    }


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"periode": "eigen", "van": "2026-03-01", "tot": "2026-02-01"},
            "tot",
            "voor de begindatum",
        ),
        ({"periode": "eigen", "van": "gisteren", "tot": "2026-02-01"}, "van", ""),
        ({"periode": "eigen", "van": "2026-13-45", "tot": "2026-02-01"}, "van", ""),
        ({"periode": "eigen"}, "van", "begin- en einddatum"),
        ({"periode": "eigen", "van": "1990-01-01", "tot": "2026-02-01"}, "van", "2000"),
        (
            {"periode": "eigen", "van": "2026-01-01", "tot": "2099-01-01"},
            "tot",
            "toekomst",
        ),
        (
            {"periode": "eigen", "van": "2020-01-01", "tot": "2026-02-01"},
            "tot",
            "hoogstens",
        ),
        ({"periode": "<script>"}, "periode", ""),
        ({"periode": "x" * 5000}, "periode", ""),
    ],
)
def test_bad_periods_fall_back_to_default_with_error(db, data, field, message):
    f, query = resolve(data, today=datetime.date(2026, 6, 1))
    assert field in f.form.errors
    if message:
        assert message in str(f.form.errors[field])
    assert query.period.week_count == 12
    assert "van" not in query.params


def test_unknown_category_is_ignored_with_notice(db):
    _f, query = resolve({"categorie": "bestaat-niet"})
    assert query.categorie == ""
    assert any("categorie bestaat niet" in n for n in query.notices)


def test_buurt_and_doelgroep_together_uses_buurt(wijk, dash_data):
    _f, query = resolve({"buurt": "BU04390101", "doelgroep": "ouderen"}, wijk=wijk)
    assert query.buurt == "BU04390101"
    assert query.doelgroep == ""
    assert any("buurt én doelgroep" in n for n in query.notices)


def test_buurt_of_another_wijk_is_refused(wijk, other_wijk, dash_data):
    _f, query = resolve({"buurt": "BU04390201"}, wijk=wijk)
    assert query.buurt == ""
    assert query.notices


def test_pages_show_errors_and_notices(client, ambtenaar, gemeente, wijk, dash_data):
    client = mfa_client(client, ambtenaar)
    page = client.get(
        f"/dashboard/wijk/{wijk.code}/",
        {
            "periode": "eigen",
            "van": "2026-03-01",
            "tot": "2026-02-01",
            "categorie": "nee",
        },
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "De einddatum ligt voor de begindatum." in text
    assert "De gekozen categorie bestaat niet" in text
    page = client.get(
        f"/dashboard/wijk/{wijk.code}/", {"buurt": "BU04390101", "doelgroep": "ouderen"}
    )
    assert (
        "Er zijn geen tellingen per buurt én doelgroep tegelijk"
        in page.content.decode()
    )
    page = client.get(
        f"/dashboard/{gemeente.code}/",
        {"van": "<script>alert(1)</script>", "periode": "eigen"},
    )
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.content.decode()


def test_filters_change_the_figures(client, ambtenaar, gemeente, wijk, every_block):
    client = mfa_client(client, ambtenaar)
    buurt = client.get(f"/dashboard/wijk/{wijk.code}/", {"buurt": "BU04390101"})
    assert "Signalen in buurt Binnenstad." in buurt.content.decode()
    assert buurt.context["table"].total.value == 24
    assert buurt.context["table"].cells_withheld
    doelgroep = client.get(f"/dashboard/wijk/{wijk.code}/", {"doelgroep": "ouderen"})
    assert (
        "Een signaal over twee doelgroepen telt bij elk van beide."
        in doelgroep.content.decode()
    )
    assert doelgroep.context["table"].total.value == 25
    assert doelgroep.context["table"].cells_withheld
    categorie = client.get(
        f"/dashboard/wijk/{wijk.code}/", {"categorie": "eenzaamheid"}
    )
    # The total stays that of all categories: a column total is never shown.
    assert categorie.context["table"].total.value == 37
    assert not categorie.context["table"].cells_withheld
    assert [c for c, _n in categorie.context["categories"]] == ["eenzaamheid"]


def test_sort_parameter(client, ambtenaar, gemeente, wijk, other_wijk, dash_data):
    client = mfa_client(client, ambtenaar)
    names = lambda r: [row.name for row in r.context["rows"]]  # noqa: E731
    assert names(client.get(f"/dashboard/{gemeente.code}/")) == [
        "Overwhere",
        "Purmerend Centrum",
    ]
    assert names(client.get(f"/dashboard/{gemeente.code}/?sort=-naam")) == [
        "Purmerend Centrum",
        "Overwhere",
    ]
    # Hidden counts sort as no value, after every shown one when descending.
    assert names(client.get(f"/dashboard/{gemeente.code}/?sort=-per1000")) == [
        "Purmerend Centrum",
        "Overwhere",
    ]
    assert names(client.get(f"/dashboard/{gemeente.code}/?sort=onzin")) == [
        "Overwhere",
        "Purmerend Centrum",
    ]
    page = client.get(f"/dashboard/{gemeente.code}/?sort=-themas&periode=6m")
    assert names(page) == ["Purmerend Centrum", "Overwhere"]
    text = page.content.decode()
    assert 'aria-sort="descending"' in text
    assert "periode=6m&amp;sort=themas" in text


def test_dates_win_over_the_preset(db):
    _f, query = resolve(
        {"periode": "3m", "van": "2026-01-07", "tot": "2026-02-04"},
        today=datetime.date(2026, 6, 1),
    )
    assert query.preset == "eigen"
    assert query.period.first_week == datetime.date(2025, 12, 29)

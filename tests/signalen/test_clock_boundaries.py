"""The moments when dates reckoned from today go wrong: the first and last minute of a
4-week block, just after midnight (Amsterdam is an hour or two ahead of UTC) and the
days summer time starts and ends. The clock is pinned with time-machine (`frozen_now`
in tests/conftest.py)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from signalen.kanon import BLOCK_WEEKS, block_start
from signalen.models import RollupRun
from signalen.themes.queries import theme_outside_sizes
from signalen.themes.runs import rollup_wijk
from tests.conftest import AMSTERDAM, FROZEN_NOW
from tests.signalen.helpers import last_block_day

BLOCK_FIRST_MINUTE = datetime.datetime(2026, 11, 2, 0, 0, 30, tzinfo=AMSTERDAM)
BLOCK_LAST_MINUTE = datetime.datetime(2026, 11, 29, 23, 59, 0, tzinfo=AMSTERDAM)
SUMMER_TIME_STARTS = datetime.datetime(2026, 3, 29, 3, 30, tzinfo=AMSTERDAM)
SUMMER_TIME_ENDS = datetime.datetime(2026, 10, 25, 2, 30, tzinfo=AMSTERDAM)
NEW_YEARS_EVE = datetime.datetime(2026, 12, 31, 23, 59, 0, tzinfo=AMSTERDAM)
MOMENTS = [
    pytest.param(BLOCK_FIRST_MINUTE, id="first-minute-of-a-block"),
    pytest.param(BLOCK_LAST_MINUTE, id="last-minute-of-a-block"),
    pytest.param(SUMMER_TIME_STARTS, id="summer-time-starts"),
    pytest.param(SUMMER_TIME_ENDS, id="summer-time-ends"),
    pytest.param(NEW_YEARS_EVE, id="new-years-eve"),
]


def test_the_pinned_clock_is_what_django_and_python_read(frozen_now):
    assert timezone.localdate() == FROZEN_NOW.date()
    assert datetime.date.today() == FROZEN_NOW.date()
    assert abs(timezone.now() - FROZEN_NOW) < datetime.timedelta(minutes=1)
    frozen_now.shift(datetime.timedelta(days=1))
    assert timezone.localdate() == FROZEN_NOW.date() + datetime.timedelta(days=1)


def test_the_boundary_moments_are_where_they_claim_to_be():
    assert block_start(BLOCK_FIRST_MINUTE.date()) == BLOCK_FIRST_MINUTE.date()
    assert block_start(BLOCK_LAST_MINUTE.date()) == BLOCK_FIRST_MINUTE.date()
    assert BLOCK_LAST_MINUTE.date() - BLOCK_FIRST_MINUTE.date() == datetime.timedelta(
        weeks=BLOCK_WEEKS, days=-1
    )
    assert SUMMER_TIME_STARTS.utcoffset() == datetime.timedelta(hours=2)
    assert SUMMER_TIME_ENDS.utcoffset() == datetime.timedelta(hours=2)  # fold 0


@pytest.mark.parametrize("frozen_now", MOMENTS, indirect=True)
def test_a_theme_from_the_last_complete_block_shows_its_full_size_at_any_moment(
    frozen_now, thema
):
    assert thema.leden.count() == 6
    assert theme_outside_sizes([thema.pk])[thema.pk].value == 6


@pytest.mark.parametrize("frozen_now", MOMENTS, indirect=True)
def test_the_last_complete_block_ends_the_day_before_todays_block_starts(frozen_now):
    today = timezone.localdate()
    assert last_block_day() == block_start(today) - datetime.timedelta(days=1)
    assert block_start(last_block_day()) == block_start(today) - datetime.timedelta(
        weeks=BLOCK_WEEKS
    )


@pytest.mark.parametrize(
    "frozen_now",
    [datetime.datetime(2026, 11, 2, 0, 30, tzinfo=AMSTERDAM)],
    indirect=True,
)
def test_a_run_just_after_midnight_is_dated_today_in_amsterdam_not_yesterday_in_utc(
    frozen_now, wijk
):
    assert timezone.now().astimezone(datetime.UTC).date() == datetime.date(2026, 11, 1)
    run = rollup_wijk(wijk)
    assert run.status == RollupRun.Status.SUCCESS
    assert run.params["as_of"] == "2026-11-02"

"""The dashboard's query counts are pinned and do not grow with the data."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from signalen.models import ThemaInitiatief, WijkThema
from tests.conftest import mfa_client
from tests.dashboard.conftest import telling
from tests.dashboard.test_loop import _escalation, _goal, _theme
from tests.factories import BuurtFactory, KerncijfersFactory, WijkFactory
from tests.initiatieven.factories import (
    BehoefteFactory,
    DeelnameFactory,
    InitiatiefFactory,
)

pytestmark = pytest.mark.django_db

# Session, user and MFA checks included. Measured with a cleared cache (EXPECTED)
# and with the cache the same request filled (EXPECTED_WARM).
EXPECTED = {
    # Blind spots check, per period, that buurt totals cannot give away the rest of
    # their wijk (signalen.intake.queries._split_unsafe): 9 queries; the ranking is a
    # daily figure of the gemeente, cached on the day (its key reads nothing).
    # Open beleidssignalen per wijk: 1 query on the overview; on the wijk dashboard
    # the beleidssignalen (1) and the goals with their latest progress (2).
    # The running initiatives and their participants: 2 queries when not cached
    # (their key is the wijken's generation of initiatives: no query).
    # The theme sparklines: the figures fixed per block that is over (1,
    # signalen.themes.published); the first page to read them after a block ends
    # (here the wijk page) fixes them: the members per block, one insert, the rows
    # again (3 more). The filter form takes the
    # buurten the wijk came with. The chart per block and category reads the wijk's
    # counts and the categories once more (2). Whether a team of the wijk shares
    # its report with the gemeente (1).
    # "Wie horen we niet?" below the wijk dashboard (dashboard/representation.py,
    # not in the cached content): the CBS figures (1), the signals per doelgroep
    # (the categories and two count tables, 3), the initiatives and the people
    # taking part per theme (4 each, 8) and the closed surveys' respondents (1): 13.
    "overview": 30,
    "wijk": 57,
    # With a buurt filter wijk_week_table checks the split (_split_unsafe, 4 queries)
    # for this period and the one before, whatever the data: 8 more.
    "wijk_filtered": 60,
    # The export adds the audit entry.
    "overview_csv": 31,
    "wijk_csv": 41,
    # The public wijk page, with its public themes ("Wat speelt er in de wijk?": the
    # themes, their initiatives and their trekkers, 3 queries; their sizes: the
    # themes, 1, and their fixed figures, 1), and the themes of its
    # initiatives (1 prefetch). The wijkteam's places: 1 (its contact comes with
    # the wijk).
    # (The wijk's own row first: the rest only when the content is rendered, 1.)
    # The wijkbudget's round and the bewonersagenda, not kept with the content: 2.
    # The wijkgesprek panel (the next meeting, the latest public minutes): 2.
    "public": 19,
}
EXPECTED_WARM = {
    # The whole page's figures come from the cache, keyed on the generations of the
    # wijk and gemeente (wijken/generations.py, no query): what is left is the
    # session, the user and MFA, the gemeente, or the wijk with its buurten (also
    # the filter form's choices), and on an export its audit entry. The wijk page
    # also asks whether a team shares its report (1, not cached: it is a right).
    "overview": 6,
    "wijk": 8,
    "wijk_filtered": 8,
    "overview_csv": 7,
    "wijk_csv": 8,
    # The public wijk page's content is rendered once per state of the parts it
    # shows: the wijk's own row (no polygons), the session, the user and MFA (to
    # know whether they may manage the places).
    # The wijkbudget's round and the bewonersagenda, not kept with the content: 2.
    # The wijkgesprek panel: 2.
    "public": 8,
}


def _urls(gemeente, wijk):
    return {
        "overview": f"/dashboard/{gemeente.code}/",
        "wijk": f"/dashboard/wijk/{wijk.code}/",
        "wijk_filtered": f"/dashboard/wijk/{wijk.code}/?periode=6m&categorie=eenzaamheid&buurt=BU04390101",
        "overview_csv": f"/dashboard/{gemeente.code}/export.csv",
        "wijk_csv": f"/dashboard/wijk/{wijk.code}/export.csv",
        "public": f"/wijk/{wijk.code}/",
    }


def _count(client, url, *, cold: bool = True) -> int:
    if cold:
        # The theme counts, blind spots and participants are cached: the first
        # request computes them, the next ones only build the keys.
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _counts(client, urls) -> tuple[dict[str, int], dict[str, int]]:
    cold, warm = {}, {}
    for name, url in urls.items():
        cold[name] = _count(client, url)
        warm[name] = _count(client, url, cold=False)
    return cold, warm


def _loop_data(wijk, team, author, officer, n: int):
    """Beleidssignalen, goals with progress and public themes with answers."""
    for i in range(n):
        thema = _theme(
            wijk,
            f"lus {n} {i}",
            visibility="publiek",
            public_title=f"Openbaar {n} {i}",
            public_text="Samen iets doen.",
            public_approved_at=timezone.now(),
            is_call=bool(i % 2),
        )
        ThemaInitiatief.objects.create(
            thema=thema, initiatief=InitiatiefFactory(wijk=wijk, status="actief")
        )
        _escalation(thema, team, author)
        _goal(wijk, team, author, officer, title=f"Doel {n} {i}")


def _more_data(gemeente, wijk, buurten):
    for n in range(5):
        extra = WijkFactory(gemeente=gemeente, code=f"WK0439{50 + n}")
        KerncijfersFactory(code=extra.code, level="wijk", inhabitants=3000 + n)
        for b in range(3):
            buurt = BuurtFactory(wijk=extra, code=f"BU0439{50 + n}{b:02d}")
            KerncijfersFactory(code=buurt.code, level="buurt", inhabitants=900)
        telling(extra, 1, "eenzaamheid", 7 + n)
        telling(extra, 2, "gezondheid", 2)
    for n in range(6):
        telling(wijk, n, "veiligheid", 5 + n)
        telling(wijk, n, "mantelzorg", 1)
        telling(wijk, n, "veiligheid", 3, buurt=buurten[n % 3])
        WijkThema.objects.create(
            wijk=wijk,
            label=f"thema {n}",
            keywords=["a", "b"],
            status="erkend",
            visibility="gemeente",
            size=5,
        )
    for n in range(4):
        initiatief = InitiatiefFactory(wijk=wijk, buurt=buurten[n % 3], status="actief")
        BehoefteFactory(initiatief=initiatief)
        DeelnameFactory(initiatief=initiatief)


def test_query_counts_are_pinned_and_flat(
    client, ambtenaar, professional, team, gemeente, wijk, buurten, dash_data
):
    client = mfa_client(client, ambtenaar)
    urls = _urls(gemeente, wijk)
    _loop_data(wijk, team, professional, ambtenaar, 1)
    small, small_warm = _counts(client, urls)
    _more_data(gemeente, wijk, buurten)
    _loop_data(wijk, team, professional, ambtenaar, 4)
    large, large_warm = _counts(client, urls)
    assert small == large
    assert small_warm == large_warm
    assert small == EXPECTED
    assert small_warm == EXPECTED_WARM


# After a roll-up (the state after every signal): the run renewed the wijk's signal
# counts, members and themes; initiatives, goals and beleidssignalen stay cached, the
# blind spots are the day's figure, the theme sizes come from the counts the run
# stored (no members counted).
EXPECTED_AFTER_ROLLUP = {
    # The page as warm (8), the signal counts (the week tables, the chart, the CBS
    # figures) and the themes (the themes, their stored counts, the freshness); with a buurt filter the split checks of the two periods.
    # "Wie horen we niet?": only its signal counts again (3), the rest cached.
    "wijk": 24,
    "wijk_filtered": 30,
    # The public page: rendered again (its themes with their stored counts; the
    # initiatives' figures stay cached); the wijkbudget's round and the
    # bewonersagenda (2); the wijkgesprek panel (2).
    "public": 19,
}


def _after_rollup(client, urls) -> dict[str, int]:
    from signalen.themes.blocks import rollup_finished

    found = {}
    for name in EXPECTED_AFTER_ROLLUP:
        assert client.get(urls[name]).status_code == 200  # warm
        rollup_finished(WijkThema.objects.first().wijk)
        found[name] = _count(client, urls[name], cold=False)
    return found


def test_query_counts_after_a_rollup_are_pinned_and_flat(
    client, ambtenaar, professional, team, gemeente, wijk, buurten, dash_data
):
    client = mfa_client(client, ambtenaar)
    urls = _urls(gemeente, wijk)
    _loop_data(wijk, team, professional, ambtenaar, 1)
    small = _after_rollup(client, urls)
    _more_data(gemeente, wijk, buurten)
    _loop_data(wijk, team, professional, ambtenaar, 4)
    large = _after_rollup(client, urls)
    assert small == large
    assert small == EXPECTED_AFTER_ROLLUP

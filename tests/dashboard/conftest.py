"""Fixtures for the officers' dashboard: buurten with CBS figures, pre-aggregated counts,
themes and a roll-up run, made straight with the ORM (the engine is tested elsewhere)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from signalen.kanon import block_start
from signalen.models import (
    Categorie,
    Doelgroep,
    RollupRun,
    SignaalTelling,
    WijkThema,
)
from tests.factories import BuurtFactory, KerncijfersFactory, square

SECRET_TEXT = "Mevrouw-Geheimstraat-17 valt steeds"


def week(n: int) -> datetime.date:
    """The Monday n weeks before the last week that officers see (0 = the last week
    of the last whole block of four weeks that is over; see signalen.kanon)."""
    last = block_start(timezone.localdate()) - datetime.timedelta(weeks=1)
    return last - datetime.timedelta(weeks=n)


def telling(wijk, weeks_ago: int, code: str, count: int, *, buurt=None, doelgroep=None):
    return SignaalTelling.objects.create(
        wijk=wijk,
        buurt=buurt,
        doelgroep=Doelgroep.objects.get(code=doelgroep) if doelgroep else None,
        categorie=Categorie.objects.get(code=code),
        week=week(weeks_ago),
        count=count,
    )


@pytest.fixture
def buurten(wijk):
    return [
        BuurtFactory(
            code="BU04390101", name="Binnenstad", wijk=wijk, geometry=square(5.0, 52.0)
        ),
        BuurtFactory(
            code="BU04390102", name="Wagenweg", wijk=wijk, geometry=square(5.01, 52.0)
        ),
        BuurtFactory(
            code="BU04390103",
            name="Grijze Hoek",
            wijk=wijk,
            geometry=square(5.02, 52.0),
        ),
    ]


@pytest.fixture
def other_buurten(other_wijk):
    return [
        BuurtFactory(code="BU04390201", name="Overbuurt", wijk=other_wijk),
        BuurtFactory(code="BU04390202", name="Jonge Wijk", wijk=other_wijk),
    ]


@pytest.fixture
def kerncijfers(wijk, other_wijk, buurten, other_buurten):
    KerncijfersFactory(
        code=wijk.code,
        level="wijk",
        inhabitants=8000,
        households=4000,
        pct_age_65_plus=20.0,
        pct_single_person_households=40.0,
    )
    KerncijfersFactory(code=other_wijk.code, level="wijk", inhabitants=5000)
    figures = [
        ("BU04390101", 3000, 15.0, 35.0, 30.0),
        ("BU04390102", 3000, 18.0, 38.0, 28.0),
        # Many elderly, many living alone, low income: the blind spot.
        ("BU04390103", 2000, 38.0, 60.0, 19.0),
        ("BU04390201", 2500, 16.0, 36.0, 29.0),
        ("BU04390202", 2500, 10.0, 30.0, 31.0),
    ]
    for code, inhabitants, old, single, income in figures:
        KerncijfersFactory(
            code=code,
            level="buurt",
            inhabitants=inhabitants,
            pct_age_65_plus=old,
            pct_single_person_households=single,
            income_per_inhabitant=income,
        )


@pytest.fixture
def dash_data(wijk, other_wijk, kerncijfers, buurten, other_buurten):
    """Counts this period and the one before; one hidden cell (3) in the current one."""
    # This period (weeks 0..11, three blocks: 0-3, 4-7, 8-11): 12 + 8 eenzaamheid,
    # 3 geld (hidden), all in the block of weeks 0-3.
    telling(wijk, 1, "eenzaamheid", 12)
    telling(wijk, 2, "eenzaamheid", 8)
    telling(wijk, 1, "geldzorgen-schulden", 3)
    # The period before (weeks 12..23): 10 eenzaamheid and 2 gezondheid (hidden).
    telling(wijk, 14, "eenzaamheid", 10)
    telling(wijk, 15, "gezondheid", 2)
    # Officers see a period's total only when every block of four weeks in it shows
    # (signalen.intake.queries._canonical_total): the other blocks of both periods get
    # 6 veiligheid + 1 mantelzorg each (7 per block).
    for weeks_ago in (5, 9, 17, 21):
        telling(wijk, weeks_ago, "veiligheid", 6)
        telling(wijk, weeks_ago + 1, "mantelzorg", 1)
    # Per buurt: Binnenstad and Wagenweg shown, Grijze Hoek small.
    telling(wijk, 1, "eenzaamheid", 11, buurt=buurten[0])
    telling(wijk, 3, "gezondheid", 1, buurt=buurten[0])
    telling(wijk, 2, "eenzaamheid", 6, buurt=buurten[1])
    telling(wijk, 3, "gezondheid", 1, buurt=buurten[1])
    telling(wijk, 1, "geldzorgen-schulden", 2, buurt=buurten[2])
    # Per doelgroep.
    telling(wijk, 1, "eenzaamheid", 9, doelgroep="ouderen")
    telling(wijk, 2, "eenzaamheid", 4, doelgroep="ouderen")
    # The other wijk: a total below K.
    telling(other_wijk, 1, "eenzaamheid", 4)
    now = timezone.now()
    RollupRun.objects.create(
        wijk=wijk,
        trigger="nightly",
        status="success",
        started_at=now - datetime.timedelta(minutes=5),
        finished_at=now,
    )
    WijkThema.objects.create(
        wijk=wijk,
        # Outside the team a theme carries only the name a professional wrote.
        name="Eenzaam in de flat",
        label="eenzaam flat lift",
        keywords=["eenzaam", "flat", "lift"],
        categorie=Categorie.objects.get(code="eenzaamheid"),
        status="erkend",
        visibility="gemeente",
        size=9,
    )
    WijkThema.objects.create(
        wijk=wijk,
        name="Schulden jonge gezinnen",
        keywords=["schulden"],
        status="opgepakt",
        visibility="publiek",
        size=7,
    )
    WijkThema.objects.create(
        wijk=wijk,
        name="Alleen voor het team",
        keywords=["teamgeheim"],
        status="gesignaleerd",
        visibility="team",
        size=30,
    )
    WijkThema.objects.create(
        wijk=wijk,
        name="Oud thema",
        keywords=["oud"],
        status="erkend",
        visibility="gemeente",
        size=12,
        is_current=False,
    )


@pytest.fixture
def every_block(wijk, buurten, dash_data):
    """dash_data, plus counts for the target groups and the buurten in the two blocks
    of the current period that only had the wijk's 6 veiligheid + 1 mantelzorg (weeks
    5/6 and 9/10), so the totals of ouderen and of Binnenstad can show (a period with
    an empty block shows none). The 7 split as ouderen 5 + 1 and mantelzorgers 1, and
    as Binnenstad 5 + 1 and Wagenweg 1, so the wijk total minus the shown part leaves
    hidden parts that cannot be pinned (not all 0, not one cell).
    Totals this period: ouderen 13 + 6 + 6 = 25, Binnenstad 12 + 6 + 6 = 24."""
    for weeks_ago in (5, 9):
        telling(wijk, weeks_ago, "veiligheid", 5, doelgroep="ouderen")
        telling(wijk, weeks_ago + 1, "mantelzorg", 1, doelgroep="ouderen")
        telling(wijk, weeks_ago, "veiligheid", 1, doelgroep="mantelzorgers")
        telling(wijk, weeks_ago, "veiligheid", 5, buurt=buurten[0])
        telling(wijk, weeks_ago + 1, "mantelzorg", 1, buurt=buurten[0])
        telling(wijk, weeks_ago, "veiligheid", 1, buurt=buurten[1])

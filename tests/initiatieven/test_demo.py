from __future__ import annotations

import pytest

from initiatieven.demo import demo_initiatieven_load
from initiatieven.models import Behoefte, Deelname, Initiatief
from tests.factories import BuurtFactory, GemeenteFactory, WijkFactory

pytestmark = pytest.mark.django_db


def test_demo_initiatives_load_once_and_again_without_duplicates():
    gemeente = GemeenteFactory(code="GM9901", name="Demostad", is_demo=True)
    first = WijkFactory(code="WK990101", gemeente=gemeente)
    WijkFactory(code="WK990102", gemeente=gemeente)
    BuurtFactory(code="BU99010101", wijk=first)
    assert demo_initiatieven_load(gemeente=gemeente) == 8
    counts = (
        Initiatief.objects.count(),
        Behoefte.objects.count(),
        Deelname.objects.count(),
    )
    assert counts[0] == 8
    assert counts[1] > 8
    assert demo_initiatieven_load(gemeente=gemeente) == 8
    assert (
        Initiatief.objects.count(),
        Behoefte.objects.count(),
        Deelname.objects.count(),
    ) == counts
    walk = Initiatief.objects.get(title="Wandelclub De Wagenweg")
    assert walk.owner.email == "bewoner@demo.buurtwijs.nl"
    assert walk.buurt is not None
    assert walk.buurt.wijk == walk.wijk
    assert walk.themas.count() == 3


def test_demo_news_and_an_upcoming_meeting_load_once():
    from django.utils import timezone

    from initiatieven.models import Afspraak, Bericht, Bijeenkomst

    gemeente = GemeenteFactory(code="GM9901", name="Demostad", is_demo=True)
    WijkFactory(code="WK990101", gemeente=gemeente)
    demo_initiatieven_load(gemeente=gemeente)
    demo_initiatieven_load(gemeente=gemeente)
    assert Bericht.objects.count() == 2
    meeting = Bijeenkomst.objects.get()
    assert meeting.starts_at > timezone.now()
    assert Afspraak.objects.get().bijeenkomst == meeting

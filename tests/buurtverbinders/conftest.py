"""Fixtures for buurtverbinders: a connector in the standing wijk, an initiative with an
open need (its organiser a neighbour), a helper who lets connectors see their offer, a
connector of another wijk. The scrubber is a quick stand-in (one phone number)."""

from __future__ import annotations

import pytest

from buurtverbinders import services
from buurtverbinders.models import Verbinder
from initiatieven.models import Aanbod, Behoefte, BehoefteKind, Initiatief, Status
from signalen.intake.staff_text import ScrubbedText
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _quick_scrubber(monkeypatch):
    def scrub(text, *, wijk, keep=(), error=None):
        cleaned = text.replace("06-12345678", "[TELEFOON]")
        removed = ("telefoon",) if cleaned != text else ()
        return ScrubbedText(original=text, text=cleaned, removed=removed)

    monkeypatch.setattr("buurtverbinders.services.staff_text_scrub", scrub)


@pytest.fixture
def connector(wijk, professional):
    user = UserFactory(
        email="verbinder@example.nl", display_name="Vera Verbinder", wijk=wijk
    )
    Verbinder.objects.create(user=user, wijk=wijk, granted_by=professional)
    return user


@pytest.fixture
def other_connector(other_wijk):
    user = UserFactory(
        email="verbinder2@example.nl", display_name="Otto Ander", wijk=other_wijk
    )
    Verbinder.objects.create(user=user, wijk=other_wijk)
    return user


@pytest.fixture
def organiser(wijk):
    return UserFactory(
        email="org@example.nl", display_name="Olga Organisator", wijk=wijk
    )


@pytest.fixture
def behoefte(wijk, organiser):
    initiatief = Initiatief.objects.create(
        wijk=wijk,
        title="Boodschappenmaatje",
        summary="Boodschappen voor buren",
        owner=organiser,
        status=Status.ACTIEF,
    )
    return Behoefte.objects.create(
        initiatief=initiatief,
        kind=BehoefteKind.VRIJWILLIGERS,
        description="Iemand op dinsdag",
    )


@pytest.fixture
def helper(wijk):
    user = UserFactory(email="helper@example.nl", display_name="Henk Helper", wijk=wijk)
    Aanbod.objects.create(user=user, talents="Ik heb een bakfiets")
    services.consent_set(user=user, welcome=False, share_offer=True)
    return user

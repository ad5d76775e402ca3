"""Fixtures for the wijkpeilingen tests: buurten, a colleague, surveys with responses.

Staff texts and open answers go through signalen's scrubber; most tests here are not
about it, so an autouse fixture replaces it with one that only removes the word
"Jansen" (so a test still sees that scrubbing happened). Tests marked
``@pytest.mark.real_scrubber`` use deduce itself.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.mfa import totp_activate
from accounts.models import Role
from peilingen.models import (
    CONSENT_VERSION,
    Antwoord,
    Peiling,
    PeilingStatus,
    Respons,
    Vraag,
    VraagSoort,
)
from signalen.intake.scrub.types import ScrubResult
from tests.conftest import TOTP_SECRET
from tests.factories import BuurtFactory, UserFactory


def fake_scrub(text, *args, **kwargs):
    return ScrubResult(text=text.replace("Jansen", "[naam]"), removals=())


@pytest.fixture(autouse=True)
def _stand_in_scrubber(request, monkeypatch):
    if request.node.get_closest_marker("real_scrubber"):
        return
    from peilingen import services
    from signalen.intake import services as intake_services
    from signalen.intake import staff_text

    monkeypatch.setattr(services, "text_scrub", fake_scrub)
    monkeypatch.setattr(staff_text, "text_scrub", fake_scrub)
    monkeypatch.setattr(intake_services, "text_scrub", fake_scrub, raising=False)


@pytest.fixture
def buurt_a(wijk):
    return BuurtFactory(code="BU04390101", name="Aalmarkt", wijk=wijk)


@pytest.fixture
def buurt_b(wijk):
    return BuurtFactory(code="BU04390102", name="Beemster", wijk=wijk)


@pytest.fixture
def buurt_c(wijk):
    return BuurtFactory(code="BU04390103", name="Cornelis", wijk=wijk)


@pytest.fixture
def colleague(team):
    user = UserFactory(
        email="collega@example.nl", display_name="Carla Collega", role=Role.PROFESSIONAL
    )
    team.members.add(user)
    totp_activate(user=user, secret=TOTP_SECRET)
    return user


def make_peiling(wijk, *, status=PeilingStatus.GESLOTEN, team=None, questions=None):
    peiling = Peiling.objects.create(
        wijk=wijk, team=team, title="Hoe woont u?", status=status
    )
    specs = questions or [
        (
            VraagSoort.EEN,
            "Wat helpt de wijk het meest?",
            ["Groen", "Ontmoeten", "Verkeer"],
        ),
        (VraagSoort.SCHAAL, "Hoe prettig woont u?", []),
        (VraagSoort.MEER, "Waar ziet u buren?", ["Park", "Winkel"]),
        (VraagSoort.OPEN, "Nog iets?", []),
    ]
    for i, (kind, text, options) in enumerate(specs, start=1):
        Vraag.objects.create(
            peiling=peiling, order=i, kind=kind, text=text, options=options
        )
    return peiling


def add_response(
    peiling, *, buurt=None, age_band="", household="", channel="online", **answers
):
    """answers: een=<index>, schaal=<1-5>, meer=[...], open="text"."""
    respons = Respons.objects.create(
        peiling=peiling,
        channel=channel,
        buurt=buurt,
        age_band=age_band,
        household=household,
        consent=True,
        consent_version=CONSENT_VERSION,
        created_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    for vraag in peiling.vragen.all():
        value = answers.get(vraag.kind)
        if value is None:
            continue
        if vraag.kind == VraagSoort.EEN:
            Antwoord.objects.create(respons=respons, vraag=vraag, choices=[value])
        elif vraag.kind == VraagSoort.MEER:
            Antwoord.objects.create(respons=respons, vraag=vraag, choices=value)
        elif vraag.kind == VraagSoort.SCHAAL:
            Antwoord.objects.create(respons=respons, vraag=vraag, scale=value)
        else:
            Antwoord.objects.create(respons=respons, vraag=vraag, text=value)
    return respons

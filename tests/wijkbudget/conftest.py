"""Fixtures for the wijkbudget: rounds in each phase, an initiative of the standing
resident with a request, a neighbour in the same wijk and one in another wijk."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from initiatieven.models import Initiatief
from signalen.intake.staff_text import ScrubbedText
from tests.factories import UserFactory
from wijkbudget.models import Aanvraag, Ronde

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _quick_scrubber(monkeypatch):
    """Advice texts pass the scrubber; a test that needs the real one asks for it
    (`real_scrubber`). The stand-in takes out one obvious phone number."""

    def scrub(text, *, wijk, keep=(), error=None):
        cleaned = text.replace("06-12345678", "[telefoonnummer]")
        removed = ("telefoonnummer",) if cleaned != text else ()
        return ScrubbedText(original=text, text=cleaned, removed=removed)

    monkeypatch.setattr("wijkbudget.services.staff_text_scrub", scrub)


def make_ronde(wijk, *, phase: str = "stemmen", amount: int = 1000, **fields) -> Ronde:
    today = timezone.localdate()
    dates = {
        "aanvragen": (
            today - 2 * DAY,
            today + 5 * DAY,
            today + 8 * DAY,
            today + 20 * DAY,
        ),
        "advies": (
            today - 20 * DAY,
            today - 5 * DAY,
            today + 2 * DAY,
            today + 20 * DAY,
        ),
        "stemmen": (
            today - 20 * DAY,
            today - 10 * DAY,
            today - 2 * DAY,
            today + 10 * DAY,
        ),
        "gesloten": (today - 40 * DAY, today - 30 * DAY, today - 20 * DAY, today - DAY),
        "aangekondigd": (
            today + 5 * DAY,
            today + 10 * DAY,
            today + 15 * DAY,
            today + 20 * DAY,
        ),
    }[phase]
    values = {
        "title": f"Wijkbudget {wijk.name}",
        "amount": amount,
        "rules": "Plannen voor de hele wijk.",
        "requests_open": dates[0],
        "requests_close": dates[1],
        "vote_open": dates[2],
        "vote_close": dates[3],
    }
    values.update(fields)
    return Ronde.objects.create(wijk=wijk, **values)


def make_aanvraag(ronde, initiatief, *, amount: int = 400, **fields) -> Aanvraag:
    return Aanvraag.objects.create(
        ronde=ronde,
        initiatief=initiatief,
        amount=amount,
        purpose=fields.pop("purpose", "Bankjes voor de wandelroute."),
        submitted_by=initiatief.owner,
        **fields,
    )


@pytest.fixture
def initiatief(bewoner, wijk):
    return Initiatief.objects.create(
        title="Wandelclub De Wagenweg",
        summary="Elke dinsdag wandelen.",
        wijk=wijk,
        owner=bewoner,
    )


@pytest.fixture
def tweede_initiatief(wijk):
    owner = UserFactory(email="repair@example.nl", display_name="Rita", wijk=wijk)
    return Initiatief.objects.create(
        title="Repair Café", summary="Samen repareren.", wijk=wijk, owner=owner
    )


@pytest.fixture
def ronde(wijk):
    """A round of the standing wijk in its voting weeks."""
    return make_ronde(wijk, phase="stemmen")


@pytest.fixture
def aanvragen(ronde, initiatief, tweede_initiatief):
    return [
        make_aanvraag(ronde, initiatief, amount=600),
        make_aanvraag(ronde, tweede_initiatief, amount=500),
    ]


@pytest.fixture
def buurman(wijk):
    """A verified resident of the round's wijk."""
    return UserFactory(email="buurman@example.nl", display_name="Bob", wijk=wijk)


@pytest.fixture
def overbuur(other_wijk):
    """A verified resident of another wijk of the same gemeente."""
    return UserFactory(email="over@example.nl", display_name="Olga", wijk=other_wijk)

"""Data for the API and open-data tests: the dashboard's counts (dash_data), public and
hidden initiatives with names shown and not shown, a public theme with signals behind
it, and themes that must stay out of sight. Import the fixtures into a test module."""

from __future__ import annotations

import pytest
from django.utils import timezone

from initiatieven.models import Bericht, Deelname, Thema
from signalen.models import ThemaInitiatief, ThemaLid, ThemaTrekker, WijkThema
from tests.dashboard.conftest import SECRET_TEXT, week
from tests.factories import UserFactory
from tests.initiatieven.factories import BehoefteFactory, InitiatiefFactory
from tests.signalen.helpers import make_signaal

PUBLIC_TEXT = "In de flats aan de Gorslaan zijn ouderen vaak alleen."
HIDDEN_NAME = "Verborgen Vera"
SHOWN_NAME = "Zichtbare Zeger"
CO_NAME = "Mede Organisator"


@pytest.fixture
def api_data(dash_data, wijk, other_wijk, buurten, team, professional, bewoner):
    """Everything the public API shows, plus what it must never show."""
    thema_tuin = Thema.objects.get_or_create(code="groen", defaults={"name": "Groen"})[
        0
    ]
    co = UserFactory(display_name=CO_NAME)
    shown = UserFactory(display_name=SHOWN_NAME)
    quiet = UserFactory(display_name=HIDDEN_NAME)
    tuin = InitiatiefFactory(
        title="Buurttuin Binnenstad",
        wijk=wijk,
        buurt=buurten[0],
        owner=bewoner,
        status="actief",
        themas=[thema_tuin],
    )
    tuin.co_organisers.add(co)
    Deelname.objects.create(initiatief=tuin, user=shown, kind="doe_mee", show_name=True)
    Deelname.objects.create(initiatief=tuin, user=quiet, kind="doe_mee")
    Deelname.objects.create(initiatief=tuin, user=quiet, kind="steun")
    BehoefteFactory(initiatief=tuin, description="Iemand met een schoffel")
    Bericht.objects.create(
        initiatief=tuin, author=bewoner, title="Eerste oogst", text="Tomaten!"
    )
    Bericht.objects.create(
        initiatief=tuin,
        author=bewoner,
        title="Weggehaald bericht",
        text="Dit is verborgen",
        is_hidden=True,
    )
    InitiatiefFactory(title="Koffie Overwhere", wijk=other_wijk, status="idee")
    hidden = InitiatiefFactory(
        title="Verborgen initiatief",
        wijk=wijk,
        is_hidden=True,
        hidden_reason="Reclame",
        owner=quiet,
    )
    now = timezone.now()
    call = WijkThema.objects.create(
        wijk=wijk,
        name="Eenzaam flat",
        label="eenzaam flat",
        keywords=["eenzaam", "flat", "teamwoord"],
        status="opgepakt",
        visibility="publiek",
        size=12,
        public_title="Samen koffie in de flat",
        public_text=PUBLIC_TEXT,
        is_call=True,
        public_approved_at=now,
        public_approved_by=professional,
    )
    for n in range(12):
        ThemaLid.objects.create(
            thema=call,
            signaal=make_signaal(
                author=professional,
                team=team,
                text=SECRET_TEXT if n == 0 else f"Ouderen in de flat alleen {n}",
                observed_on=week(1),
            ),
        )
    ThemaInitiatief.objects.create(thema=call, initiatief=tuin)
    ThemaInitiatief.objects.create(thema=call, initiatief=hidden)
    ThemaTrekker.objects.create(thema=call, user=shown, show_name=True)
    ThemaTrekker.objects.create(thema=call, user=quiet, show_name=False)
    small = WijkThema.objects.create(
        wijk=wijk,
        name="Klein thema",
        label="klein",
        keywords=["klein"],
        status="erkend",
        visibility="publiek",
        size=3,
        public_title="Weinig gezien",
        public_text="Een paar keer gezien.",
        public_approved_at=now,
        public_approved_by=professional,
    )
    for n in range(3):
        ThemaLid.objects.create(
            thema=small,
            signaal=make_signaal(
                author=professional,
                team=team,
                text=f"Klein signaal {n}",
                observed_on=week(2),
            ),
        )
    unapproved = WijkThema.objects.create(
        wijk=wijk,
        name="Nog niet goedgekeurd",
        status="erkend",
        visibility="publiek",
        size=9,
        public_title="Niet goedgekeurd",
        public_text="Mag nog niet naar buiten.",
    )
    return {
        "tuin": tuin,
        "hidden": hidden,
        "call": call,
        "small": small,
        "unapproved": unapproved,
        "professional": professional,
    }


# Strings that must never leave the team through the API or the open data: signal text,
# the engine's and the team's words, professionals, hidden things and names not shown.
FORBIDDEN = (
    SECRET_TEXT,
    "Ouderen in de flat alleen",
    "Klein signaal",
    "teamwoord",
    "teamgeheim",
    "Alleen voor het team",
    "eenzaam flat lift",
    "Eenzaam flat",
    "Piet Professional",
    "professional@example.nl",
    "bewoner@example.nl",
    HIDDEN_NAME,
    "Verborgen initiatief",
    "Reclame",
    "Weggehaald bericht",
    "Niet goedgekeurd",
    "Mag nog niet naar buiten",
)


def small_counts(data, *, k: int = 5) -> list:
    """Every count in a JSON answer (a dict with "hidden") that is shown below k."""
    found = []
    if isinstance(data, dict):
        if "hidden" in data and "count" in data:
            count = data["count"]
            if data["hidden"] and count is not None:
                found.append(data)
            if count is not None and count < k:
                found.append(data)
        for value in data.values():
            found += small_counts(value, k=k)
    elif isinstance(data, list):
        for value in data:
            found += small_counts(value, k=k)
    return found

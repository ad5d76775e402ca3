"""Fixtures for the wijkgesprek: a planned meeting chaired by the standing resident,
a held one, neighbours, public and team-only themes.

Free text goes through signalen's scrubber; most tests are not about it, so an
autouse fixture replaces it with one that only removes the word "Jansen". Tests marked
``@pytest.mark.real_scrubber`` use deduce itself."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from signalen.intake.scrub.types import ScrubResult
from signalen.models import ThemaZichtbaarheid
from tests.factories import UserFactory
from tests.signalen.helpers import EXAMPLE, make_signaal, make_thema
from wijkgesprek.models import Voorzitter, Wijkgesprek


def fake_scrub(text, *args, **kwargs):
    return ScrubResult(text=text.replace("Jansen", "[naam]"), removals=())


@pytest.fixture(autouse=True)
def _stand_in_scrubber(request, monkeypatch):
    if request.node.get_closest_marker("real_scrubber"):
        return
    from signalen.intake import staff_text

    monkeypatch.setattr(staff_text, "text_scrub", fake_scrub)


@pytest.fixture
def neighbour(wijk):
    return UserFactory(email="buur@example.nl", display_name="Buur Bram", wijk=wijk)


@pytest.fixture
def outsider_resident(other_wijk):
    return UserFactory(email="elders@example.nl", display_name="Eli", wijk=other_wijk)


@pytest.fixture
def gesprek(wijk, bewoner, professional):
    Voorzitter.objects.create(wijk=wijk, user=bewoner)
    return Wijkgesprek.objects.create(
        wijk=wijk,
        starts_at=timezone.now() + datetime.timedelta(days=10),
        place="Buurthuis De Ster",
        chair=bewoner,
        created_by=professional,
    )


@pytest.fixture
def held(wijk, neighbour):
    return Wijkgesprek.objects.create(
        wijk=wijk,
        starts_at=timezone.now() - datetime.timedelta(days=7),
        place="Buurthuis De Ster",
        chair=neighbour,
        minutes="We spraken over de bankjes in het park.",
    )


@pytest.fixture
def public_theme(wijk, professional, team, taxonomy):
    # One member signal: its size is below K outside the team.
    signals = [make_signaal(author=professional, team=team, wijk=wijk, text=EXAMPLE)]
    return make_thema(
        wijk,
        signalen=signals,
        size=3,
        visibility=ThemaZichtbaarheid.PUBLIEK,
        public_title="Veilig naar school",
        public_text="Wij zoeken ouders die mee willen denken.",
        public_approved_at=timezone.now(),
    )


@pytest.fixture
def team_theme(wijk, professional, team, taxonomy):
    signals = [make_signaal(author=professional, team=team, wijk=wijk, text=EXAMPLE)]
    return make_thema(
        wijk, signalen=signals, label="geheime woorden", keywords=["geheim"]
    )

"""Fixtures for the bewonersagenda: a threshold of 3, neighbours in the wijk, one in
another wijk, an unverified resident, a concern, public and team-only themes."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from bewonersagenda import services
from bewonersagenda.models import AgendaInstelling
from signalen.models import ThemaZichtbaarheid
from tests.factories import UserFactory
from tests.signalen.helpers import EXAMPLE, make_signaal, make_thema


@pytest.fixture
def instelling(gemeente):
    return AgendaInstelling.objects.create(gemeente=gemeente, minimum=3, per_thousand=0)


@pytest.fixture
def neighbours(wijk):
    return [
        UserFactory(email=f"buur{n}@example.nl", display_name=f"Buur {n}", wijk=wijk)
        for n in range(1, 4)
    ]


@pytest.fixture
def outsider_resident(other_wijk):
    return UserFactory(
        email="elders@example.nl", display_name="Eli Elders", wijk=other_wijk
    )


@pytest.fixture
def unverified_resident(wijk):
    user = UserFactory(email="nieuw-bewoner@example.nl", wijk=wijk)
    EmailAddress.objects.filter(user=user).update(verified=False)
    return user


@pytest.fixture
def agendapunt(instelling, bewoner, wijk):
    return services.agendapunt_create(
        author=bewoner,
        wijk=wijk,
        title="Een zebrapad bij de school",
        text="Kinderen steken over op een drukke weg.",
    )


@pytest.fixture
def public_theme(wijk, professional, team, taxonomy):
    signals = [make_signaal(author=professional, team=team, wijk=wijk, text=EXAMPLE)]
    return make_thema(
        wijk,
        signalen=signals,
        size=12,
        visibility=ThemaZichtbaarheid.PUBLIEK,
        public_title="Veilig naar school",
        public_text="Wij zoeken ouders die mee willen denken.",
        public_approved_at=timezone.now(),
    )


@pytest.fixture
def team_theme(wijk, professional, team, taxonomy):
    return make_thema(wijk, label="geheime woorden", keywords=["geheim"])

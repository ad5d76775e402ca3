"""Fixtures for the signalen tests: a buurt, a colleague, taxonomy entries, signals."""

from __future__ import annotations

import pytest

from accounts.mfa import totp_activate
from accounts.models import Role
from signalen.models import Bron, Categorie, Doelgroep
from tests.conftest import TOTP_SECRET
from tests.factories import BuurtFactory, UserFactory
from tests.signalen.helpers import make_signaal


@pytest.fixture
def buurt(wijk):
    return BuurtFactory(code="BU04390101", name="Binnenstad", wijk=wijk)


@pytest.fixture
def other_buurt(other_wijk):
    return BuurtFactory(code="BU04390201", name="Elders", wijk=other_wijk)


@pytest.fixture
def colleague(team):
    """A second professional in the standing team."""
    user = UserFactory(
        email="collega@example.nl", display_name="Carla Collega", role=Role.PROFESSIONAL
    )
    team.members.add(user)
    totp_activate(user=user, secret=TOTP_SECRET)
    return user


@pytest.fixture
def outsider_team(outsider_professional):
    return outsider_professional.teams.get()


@pytest.fixture
def categorie(db):
    return Categorie.objects.get(code="eenzaamheid")


@pytest.fixture
def bron(db):
    return Bron.objects.get(code="huisbezoek")


@pytest.fixture
def doelgroep(db):
    return Doelgroep.objects.get(code="ouderen")


@pytest.fixture
def signaal(professional, team):
    return make_signaal(author=professional, team=team)


@pytest.fixture
def outsider_signaal(outsider_professional, outsider_team):
    return make_signaal(
        author=outsider_professional,
        team=outsider_team,
        text="Geheim signaal van een ander team.",
    )

"""Fixtures for the signalen tests: a buurt, a colleague, taxonomy entries, signals,
and the standing theme (`thema`, shaped per module by `thema_spec`)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from accounts.mfa import totp_activate
from accounts.models import Role
from signalen.models import Bron, Categorie, Doelgroep, WijkThema
from tests.conftest import TOTP_SECRET
from tests.factories import BuurtFactory, UserFactory
from tests.signalen.helpers import EXAMPLE, last_block_day, make_signaal, make_thema


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


@dataclass(frozen=True)
class ThemaSpec:
    """How the standing `thema` fixture is made. A test module that needs another
    theme overrides the `thema_spec` fixture; one test can pass a spec with
    ``@pytest.mark.parametrize("thema", [ThemaSpec(...)], indirect=True)``.

    The members are written by the professional and the colleague in turn (two
    authors), and by default dated in the last complete 4-week block, so the theme's
    size shows outside the team."""

    count: int = 6
    text: str = EXAMPLE
    # The first member's text, when it differs (a test looks for it by a unique word).
    first_text: str | None = None
    doelgroepen: tuple[str, ...] = ()
    # None: the factory's default, today.
    observed_on: Callable[[], datetime.date] | None = last_block_day
    # More members written by the colleague: (text, doelgroep codes).
    extra: tuple[tuple[str, tuple[str, ...]], ...] = ()
    make: Callable[..., WijkThema] = make_thema


@pytest.fixture
def thema_spec() -> ThemaSpec:
    return ThemaSpec()


@pytest.fixture
def thema(request, thema_spec, professional, colleague, team, wijk) -> WijkThema:
    spec: ThemaSpec = getattr(request, "param", None) or thema_spec
    dated = {"observed_on": spec.observed_on()} if spec.observed_on else {}

    def doelgroepen(codes: tuple[str, ...]) -> dict:
        if not codes:
            return {}
        return {"doelgroepen": list(Doelgroep.objects.filter(code__in=codes))}

    signalen = [
        make_signaal(
            author=professional if i % 2 else colleague,
            team=team,
            text=spec.first_text if i == 0 and spec.first_text else spec.text,
            **doelgroepen(spec.doelgroepen),
            **dated,
        )
        for i in range(spec.count)
    ]
    signalen += [
        make_signaal(
            author=colleague, team=team, text=text, **doelgroepen(codes), **dated
        )
        for text, codes in spec.extra
    ]
    return spec.make(wijk, signalen=signalen)

from __future__ import annotations

import pytest

from tests.factories import BuurtFactory, UserFactory, square
from tests.initiatieven.factories import InitiatiefFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def buurt(wijk):
    return BuurtFactory(
        code="BU04390101", name="Binnenstad", wijk=wijk, geometry=square(5.0, 52.0)
    )


@pytest.fixture
def other_buurt(other_wijk):
    return BuurtFactory(
        code="BU04390201", name="Overbuurt", wijk=other_wijk, geometry=square(5.1, 52.0)
    )


@pytest.fixture
def buurman(wijk):
    return UserFactory(
        email="buurman@example.nl", display_name="Bob Buurman", wijk=wijk
    )


@pytest.fixture
def initiatief(bewoner, wijk):
    return InitiatiefFactory(
        title="Wandelclub De Wagenweg",
        summary="Elke dinsdag wandelen we samen een uur door de wijk.",
        wijk=wijk,
        owner=bewoner,
    )


@pytest.fixture
def hidden_initiatief(bewoner, wijk):
    return InitiatiefFactory(
        title="Verborgen plan",
        wijk=wijk,
        owner=bewoner,
        is_hidden=True,
        hidden_reason="Spam",
    )

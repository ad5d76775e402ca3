"""Smoke test of bench/generate_signals.py: a tiny set on the test database."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from accounts.models import Role, Team, User
from bench.generate import NOW, Sizes, generate
from bench.generate_signals import (
    DAYS,
    SignalSizes,
    noise_text,
    phrasebook,
    signals,
    theme_text,
)
from signalen.models import Signaal


@pytest.mark.django_db
def test_tiny_set_has_the_asked_counts_and_consistent_links():
    base = generate(
        Sizes(
            gemeenten=1,
            wijken_per_gemeente=3,
            buurten_per_wijk=2,
            residents=5,
            initiatives=0,
        ),
        seed=3,
        show=False,
    )
    out = signals(
        base, SignalSizes(signals=200, professionals=4, wijken_per_team=2), show=False
    )

    assert Signaal.objects.count() == 200
    assert out.counts["signals"] == 200
    # Two teams (3 wijken, 2 per team), at least two professionals each.
    assert Team.objects.count() == 2
    assert User.objects.filter(role=Role.PROFESSIONAL).count() == 4
    assert all(len(ids) >= 2 for ids in out.members_of_team.values())
    links = Signaal.doelgroepen.through.objects.count()
    assert links == out.counts["doelgroep_links"]
    assert links > 0

    wijk_ids = {w.pk for w in base.wijken}
    earliest = NOW.date() - dt.timedelta(days=DAYS)
    for s in Signaal.objects.all():
        assert s.wijk_id in wijk_ids
        assert s.team_id == out.team_of_wijk[s.wijk_id]
        assert s.author_id in out.members_of_team[s.team_id]
        assert earliest <= s.observed_on <= NOW.date()
        assert 0 < len(s.text) <= 1000
        assert s.scrub_summary == {}
        assert s.buurt_id is None or s.buurt.wijk_id == s.wijk_id


def test_texts_are_seeded_and_vary():
    book = phrasebook()
    first = [theme_text(random.Random(7), book, label) for label in book.labels]
    again = [theme_text(random.Random(7), book, label) for label in book.labels]
    assert first == again
    rng = random.Random(8)
    noise = {noise_text(rng, book) for _ in range(200)}
    assert len(noise) > 190  # noise must not repeat into a theme

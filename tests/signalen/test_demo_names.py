"""Issue 18 item 7: the demo's themes carry names a professional wrote, never the
engine's keyword lists, and a name someone chose is never overwritten."""

from __future__ import annotations

import pytest

from signalen.demo import DEMO_AUTHORS, DEMO_TOPICS
from signalen.demo.names import demo_theme_names_load
from signalen.models import Categorie, ThemaGebeurtenis, ThemaLid, WijkThema
from tests.factories import UserFactory
from tests.signalen.helpers import make_signaal

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_author(team):
    user = UserFactory(email=DEMO_AUTHORS[0], role="professional")
    team.members.add(user)
    return user


def theme_of(wijk, author, team, texts, **kw):
    thema = WijkThema.objects.create(
        wijk=wijk, label="woorden, van, systeem", keywords=["woorden"], size=9, **kw
    )
    for text in texts:
        ThemaLid.objects.create(
            thema=thema, signaal=make_signaal(author=author, team=team, text=text)
        )
    return thema


def test_a_demo_theme_gets_the_name_of_its_topic(demo_author, team, wijk):
    topic = DEMO_TOPICS[0]
    thema = theme_of(wijk, demo_author, team, topic.texts[:6])
    assert demo_theme_names_load() == 1
    thema.refresh_from_db()
    assert thema.name == topic.about
    event = ThemaGebeurtenis.objects.get(
        thema=thema, soort=ThemaGebeurtenis.Soort.RENAMED
    )
    assert event.actor == demo_author


def test_a_mixed_theme_is_named_after_its_category_and_wijk(demo_author, team, wijk):
    texts = [
        DEMO_TOPICS[0].texts[0],
        DEMO_TOPICS[1].texts[0],
        "Iets anders.",
        "Nog iets.",
    ]
    thema = theme_of(
        wijk,
        demo_author,
        team,
        texts,
        categorie=Categorie.objects.get(code="eenzaamheid"),
    )
    demo_theme_names_load()
    thema.refresh_from_db()
    assert thema.name == f"Eenzaamheid in {wijk.name}"
    assert "woorden" not in thema.name


def test_two_parts_of_one_topic_are_told_apart(demo_author, team, wijk):
    topic = DEMO_TOPICS[1]
    first = theme_of(wijk, demo_author, team, topic.texts[:5])
    second = theme_of(wijk, demo_author, team, topic.texts[5:10])
    demo_theme_names_load()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.name == topic.about
    assert second.name == f"{topic.about} (deel 2)"


def test_a_name_the_team_chose_is_kept_and_a_second_run_changes_nothing(
    demo_author, team, wijk
):
    thema = theme_of(wijk, demo_author, team, DEMO_TOPICS[2].texts[:5], name="Eigen")
    assert demo_theme_names_load() == 0
    thema.refresh_from_db()
    assert thema.name == "Eigen"
    other = theme_of(wijk, demo_author, team, DEMO_TOPICS[3].texts[:5])
    assert demo_theme_names_load() == 1
    assert demo_theme_names_load() == 0
    other.refresh_from_db()
    assert other.name == DEMO_TOPICS[3].about


def test_without_the_demo_team_nothing_happens(team, wijk, professional):
    theme_of(wijk, professional, team, DEMO_TOPICS[0].texts[:5])
    assert demo_theme_names_load() == 0

"""Organisers post updates: Markdown rendered safely, newest first, rate limited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from initiatieven.models import Bericht
from tests.conftest import mfa_client
from tests.initiatieven.factories import InitiatiefFactory

pytestmark = pytest.mark.django_db


def _create_url(initiatief):
    return reverse("initiatieven:bericht-create", args=[initiatief.pk])


def test_an_organiser_posts_an_update_that_shows_on_the_page(
    client, bewoner, initiatief
):
    client.force_login(bewoner)
    assert client.get(_create_url(initiatief)).status_code == 200
    response = client.post(
        _create_url(initiatief),
        {"title": "Eerste wandeling", "text": "Het was **gezellig**!"},
    )
    bericht = Bericht.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#bericht-{bericht.pk}")
    assert bericht.author == bewoner
    page = client.get(initiatief.get_absolute_url()).content.decode()
    assert "Eerste wandeling" in page
    assert "<strong>gezellig</strong>" in page


def test_a_co_organiser_may_post_too(client, initiatief, buurman):
    initiatief.co_organisers.add(buurman)
    client.force_login(buurman)
    response = client.post(_create_url(initiatief), {"text": "Ik ben er ook bij."})
    assert response.status_code == 302
    assert Bericht.objects.get().author == buurman


def test_updates_show_newest_first(client, bewoner, initiatief):
    Bericht.objects.create(initiatief=initiatief, author=bewoner, title="Oud", text="a")
    Bericht.objects.create(
        initiatief=initiatief, author=bewoner, title="Nieuw", text="b"
    )
    page = client.get(initiatief.get_absolute_url()).content.decode()
    assert page.index("Nieuw") < page.index("Oud")


def test_anonymous_is_sent_to_log_in(client, initiatief):
    response = client.post(_create_url(initiatief), {"text": "Hallo"})
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert not Bericht.objects.exists()


def test_a_resident_who_does_not_organise_gets_403(client, initiatief, buurman):
    client.force_login(buurman)
    assert client.get(_create_url(initiatief)).status_code == 403
    assert client.post(_create_url(initiatief), {"text": "Hallo"}).status_code == 403
    assert not Bericht.objects.exists()


def test_a_beheerder_does_not_post_updates(client, initiatief, beheerder):
    mfa_client(client, beheerder)
    assert client.post(_create_url(initiatief), {"text": "Hallo"}).status_code == 403


def test_an_owner_of_another_initiative_cannot_change_ids(client, initiatief, wijk):
    other_owner_initiatief = InitiatiefFactory(wijk=wijk)
    bericht = Bericht.objects.create(
        initiatief=initiatief, author=initiatief.owner, text="Van ons"
    )
    client.force_login(other_owner_initiatief.owner)
    # The update through its own initiative: not an organiser there.
    url = reverse("initiatieven:bericht-update", args=[initiatief.pk, bericht.pk])
    assert client.post(url, {"text": "Gekaapt"}).status_code == 403
    # The update through the other's own initiative: not found there.
    url = reverse(
        "initiatieven:bericht-update", args=[other_owner_initiatief.pk, bericht.pk]
    )
    assert client.post(url, {"text": "Gekaapt"}).status_code == 404
    url = reverse(
        "initiatieven:bericht-delete", args=[other_owner_initiatief.pk, bericht.pk]
    )
    assert client.post(url).status_code == 404
    bericht.refresh_from_db()
    assert bericht.text == "Van ons"


def test_an_organiser_edits_and_deletes_an_update(client, bewoner, initiatief):
    bericht = Bericht.objects.create(
        initiatief=initiatief, author=bewoner, text="Eerst"
    )
    client.force_login(bewoner)
    url = reverse("initiatieven:bericht-update", args=[initiatief.pk, bericht.pk])
    assert "Eerst" in client.get(url).content.decode()
    assert client.post(url, {"title": "", "text": "Daarna"}).status_code == 302
    bericht.refresh_from_db()
    assert bericht.text == "Daarna"
    url = reverse("initiatieven:bericht-delete", args=[initiatief.pk, bericht.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Bericht.objects.exists()


def test_a_non_organiser_cannot_delete(client, bewoner, initiatief, buurman):
    bericht = Bericht.objects.create(initiatief=initiatief, author=bewoner, text="x")
    client.force_login(buurman)
    url = reverse("initiatieven:bericht-delete", args=[initiatief.pk, bericht.pk])
    assert client.post(url).status_code == 403
    assert Bericht.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Schrijf een bericht."),
        ({"title": "", "text": ""}, "Schrijf een bericht."),
        ({"title": "", "text": "   "}, "Schrijf een bericht."),
        ({"title": "x", "text": "a" * 5001}, "hoogstens 5000 tekens"),
        ({"title": "t" * 121, "text": "Hallo"}, "hoogstens 120 tekens"),
        ({"title": "<script>x</script>", "text": "Hallo"}, "Gebruik geen &lt; of &gt;"),
    ],
)
def test_bad_input_gets_a_dutch_message_and_keeps_the_text(
    client, bewoner, initiatief, data, message
):
    client.force_login(bewoner)
    response = client.post(_create_url(initiatief), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    if data.get("text", "").strip():
        assert data["text"][:50] in body
    assert not Bericht.objects.exists()


def test_script_tags_in_the_text_never_reach_the_page(client, bewoner, initiatief):
    client.force_login(bewoner)
    client.post(
        _create_url(initiatief),
        {"text": "Hoi <script>alert(1)</script> [klik](javascript:alert(2))"},
    )
    page = client.get(initiatief.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in page


def test_posting_is_rate_limited_per_user(client, bewoner, initiatief, settings):
    settings.INITIATIEVEN_POST_LIMIT_PER_DAY = 2
    client.force_login(bewoner)
    for n in range(2):
        assert (
            client.post(_create_url(initiatief), {"text": f"Bericht {n}"}).status_code
            == 302
        )
    response = client.post(_create_url(initiatief), {"text": "Nog een"})
    assert response.status_code == 400
    assert "maximum per dag" in response.content.decode()
    assert "Nog een" in response.content.decode()
    assert Bericht.objects.count() == 2


def test_hidden_updates_are_only_seen_by_organisers_and_beheerders(
    client, bewoner, initiatief, buurman, beheerder
):
    Bericht.objects.create(
        initiatief=initiatief,
        author=bewoner,
        title="Geheim bericht",
        text="x",
        is_hidden=True,
    )
    url = initiatief.get_absolute_url()
    assert "Geheim bericht" not in client.get(url).content.decode()
    client.force_login(buurman)
    assert "Geheim bericht" not in client.get(url).content.decode()
    client.force_login(bewoner)
    assert "Geheim bericht" in client.get(url).content.decode()
    mfa_client(client, beheerder)
    assert "Geheim bericht" in client.get(url).content.decode()


def test_updates_of_a_hidden_initiative_are_unreachable(
    client, hidden_initiatief, buurman
):
    client.force_login(buurman)
    assert client.get(_create_url(hidden_initiatief)).status_code == 404

"""E-mail to followers and participants: direct, daily digest or off; one-click
unsubscribe with a signed token; never about one's own action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatieven import notifications, services, tasks
from initiatieven.models import Meldingsvoorkeur, Notificatie, Volger
from tests.factories import UserFactory
from tests.initiatieven.factories import DeelnameFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def volger(initiatief):
    user = UserFactory(email="volger@example.nl", display_name="Vera Volger")
    Volger.objects.create(user=user, initiatief=initiatief)
    return user


def _post(initiatief, capture, text="Nieuws!"):
    with capture(execute=True):
        return services.bericht_create(
            initiatief=initiatief, author=initiatief.owner, text=text
        )


def _digests(capture) -> int:
    """The daily digest task as beat runs it: its digests go out after its commit
    (through the outbox)."""
    with capture(execute=True):
        return tasks.send_digests()


def test_by_default_news_waits_for_the_daily_digest(
    initiatief, volger, mailoutbox, django_capture_on_commit_callbacks
):
    _post(initiatief, django_capture_on_commit_callbacks)
    assert mailoutbox == []
    row = Notificatie.objects.get()
    assert row.user == volger
    assert row.sent_at is None
    assert _digests(django_capture_on_commit_callbacks) == 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [volger.email]
    assert "Wandelclub De Wagenweg" in mail.body
    assert "Nieuws!" in mail.body
    assert "List-Unsubscribe" in mail.extra_headers
    # Sent once: the next run has nothing.
    assert _digests(django_capture_on_commit_callbacks) == 0
    assert tasks.send_digest(volger.pk) == 0
    assert len(mailoutbox) == 1


def test_the_digest_bundles_everything_into_one_mail(
    initiatief, volger, mailoutbox, django_capture_on_commit_callbacks
):
    _post(initiatief, django_capture_on_commit_callbacks, "Eerste")
    with django_capture_on_commit_callbacks(execute=True):
        services.bijeenkomst_create(
            initiatief=initiatief,
            created_by=initiatief.owner,
            starts_at=timezone.now() + timedelta(days=5),
            place="Het buurthuis",
        )
    _digests(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    assert "Eerste" in mailoutbox[0].body
    assert "Het buurthuis" in mailoutbox[0].body


def test_direct_means_a_mail_right_away(
    initiatief, volger, mailoutbox, django_capture_on_commit_callbacks
):
    notifications.frequency_set(user=volger, frequency="direct")
    _post(initiatief, django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [[volger.email]]
    _digests(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1


def test_off_means_no_mail(
    initiatief, volger, mailoutbox, django_capture_on_commit_callbacks
):
    notifications.frequency_set(user=volger, frequency="uit")
    _post(initiatief, django_capture_on_commit_callbacks)
    _digests(django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_participants_hear_it_too_but_never_about_their_own_action(
    initiatief, buurman, mailoutbox, django_capture_on_commit_callbacks
):
    DeelnameFactory(initiatief=initiatief, user=buurman)
    DeelnameFactory(initiatief=initiatief, user=initiatief.owner)
    Volger.objects.create(user=initiatief.owner, initiatief=initiatief)
    notifications.frequency_set(user=initiatief.owner, frequency="direct")
    notifications.frequency_set(user=buurman, frequency="direct")
    _post(initiatief, django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [[buurman.email]]


def test_nothing_is_sent_before_the_commit(
    initiatief, volger, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.bericht_create(
            initiatief=initiatief, author=initiatief.owner, text="x"
        )
    assert len(callbacks) == 1
    assert not Notificatie.objects.exists()


def test_the_settings_page_changes_the_choice(client, volger):
    client.force_login(volger)
    url = reverse("initiatieven:meldingen")
    page = client.get(url).content.decode()
    assert "Eén keer per dag" in page
    assert client.post(url, {"frequency": "direct"}).status_code == 302
    assert Meldingsvoorkeur.objects.get(user=volger).frequency == "direct"
    response = client.post(url, {"frequency": "elk uur"})
    assert response.status_code == 400
    assert "Kies een van de mogelijkheden." in response.content.decode()
    assert Meldingsvoorkeur.objects.get(user=volger).frequency == "direct"


def test_the_settings_page_needs_a_login_and_is_linked_from_mijn(client, bewoner):
    response = client.get(reverse("initiatieven:meldingen"))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    client.force_login(bewoner)
    page = client.get(reverse("initiatieven:mijn")).content.decode()
    assert reverse("initiatieven:meldingen") in page


def test_one_click_unsubscribe_without_login(client, volger):
    url = reverse(
        "initiatieven:unsubscribe",
        kwargs={"token": notifications.unsubscribe_token(user=volger)},
    )
    response = client.get(url)
    assert response.status_code == 200
    assert "Ja, geen e-mail meer" in response.content.decode()
    assert not Meldingsvoorkeur.objects.exists()  # GET changes nothing
    response = client.post(url)  # no CSRF token: mail programs post directly
    assert response.status_code == 200
    assert Meldingsvoorkeur.objects.get(user=volger).frequency == "uit"


@pytest.mark.parametrize("token", ["abc", "eyJ1Ijo1fQ:xxxx:yyyy"])
def test_a_tampered_token_changes_nothing(client, volger, token):
    url = reverse("initiatieven:unsubscribe", kwargs={"token": token})
    response = client.get(url)
    assert response.status_code == 400
    assert "Deze link werkt niet" in response.content.decode()
    assert client.post(url).status_code == 400
    assert not Meldingsvoorkeur.objects.exists()


def test_a_token_for_one_user_cannot_be_edited_into_another(client, volger, buurman):
    token = notifications.unsubscribe_token(user=volger)
    payload, rest = token.split(":", 1)
    forged = payload[:-1] + ("A" if payload[-1] != "A" else "B") + ":" + rest
    client.post(reverse("initiatieven:unsubscribe", kwargs={"token": forged}))
    assert not Meldingsvoorkeur.objects.exists()


def test_the_unsubscribe_link_in_a_mail_works(
    client, initiatief, volger, mailoutbox, django_capture_on_commit_callbacks
):
    notifications.frequency_set(user=volger, frequency="direct")
    _post(initiatief, django_capture_on_commit_callbacks)
    link = mailoutbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    assert notifications.frequency_of(user=volger) == "uit"


def test_the_daily_digest_is_in_the_beat_schedule():
    from buurtwijs.schedule import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["initiatieven-send-digests"]["task"] == tasks.send_digests.name

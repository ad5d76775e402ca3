"""Reports and the beheerder's moderation queue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from initiatieven.models import Bericht, Initiatief, Melding
from tests.conftest import mfa_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/initiatieven/moderatie/"


@pytest.fixture
def bericht(initiatief):
    return Bericht.objects.create(
        initiatief=initiatief, author=initiatief.owner, title="Koop nu", text="x"
    )


def _report(client, initiatief, data=None, bericht=None):
    if bericht is None:
        url = reverse("initiatieven:melden", args=[initiatief.pk])
    else:
        url = reverse("initiatieven:bericht-melden", args=[initiatief.pk, bericht.pk])
    if data is None:
        data = {"reason": "spam", "text": "Reclame"}
    return client.post(url, data)


def test_the_queue_url_is_the_documented_one():
    assert reverse("initiatieven:moderatie") == QUEUE


def test_a_resident_reports_an_initiative(client, initiatief, buurman):
    client.force_login(buurman)
    url = reverse("initiatieven:melden", args=[initiatief.pk])
    assert client.get(url).status_code == 200
    response = _report(client, initiatief)
    assert response.status_code == 302
    melding = Melding.objects.get()
    assert (melding.reporter, melding.bericht, melding.reason) == (
        buurman,
        None,
        "spam",
    )


def test_a_resident_reports_an_update(client, initiatief, bericht, buurman):
    client.force_login(buurman)
    assert _report(client, initiatief, bericht=bericht).status_code == 302
    assert Melding.objects.get().bericht == bericht


def test_anonymous_must_log_in_to_report(client, initiatief):
    response = _report(client, initiatief)
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert not Melding.objects.exists()


def test_one_open_report_per_person_per_item(client, initiatief, bericht, buurman):
    client.force_login(buurman)
    _report(client, initiatief)
    response = _report(client, initiatief, {"reason": "onjuist", "text": "Nog eens"})
    assert response.status_code == 400
    assert "U heeft dit al gemeld" in response.content.decode()
    assert "Nog eens" in response.content.decode()
    # The update is another item.
    assert _report(client, initiatief, bericht=bericht).status_code == 302
    assert Melding.objects.count() == 2


def test_reporting_is_rate_limited(client, wijk, buurman, settings):
    from tests.initiatieven.factories import InitiatiefFactory

    settings.INITIATIEVEN_REPORT_LIMIT_PER_DAY = 2
    client.force_login(buurman)
    items = [InitiatiefFactory(wijk=wijk) for _ in range(3)]
    assert _report(client, items[0]).status_code == 302
    assert _report(client, items[1]).status_code == 302
    response = _report(client, items[2])
    assert response.status_code == 400
    assert "maximum per dag" in response.content.decode()
    assert Melding.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Kies een reden."),
        ({"reason": "boos"}, "Kies een van de mogelijkheden."),
        ({"reason": "anders", "text": "  "}, "Vertel wat er niet goed is."),
        ({"reason": "spam", "text": "t" * 1001}, "Hoogstens 1000 tekens."),
    ],
)
def test_bad_report_input_is_refused(client, initiatief, buurman, data, message):
    client.force_login(buurman)
    response = _report(client, initiatief, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Melding.objects.exists()


def test_a_script_tag_in_a_report_is_shown_as_text(
    client, initiatief, buurman, beheerder
):
    client.force_login(buurman)
    _report(client, initiatief, {"reason": "anders", "text": "<script>x()</script>"})
    mfa_client(client, beheerder)
    page = client.get(QUEUE).content.decode()
    assert "<script>x()" not in page
    assert "&lt;script&gt;x()" in page


def test_hidden_updates_and_hidden_initiatives_cannot_be_reported(
    client, initiatief, hidden_initiatief, buurman
):
    hidden = Bericht.objects.create(
        initiatief=initiatief, author=initiatief.owner, text="x", is_hidden=True
    )
    client.force_login(buurman)
    assert _report(client, initiatief, bericht=hidden).status_code == 404
    assert _report(client, hidden_initiatief).status_code == 404
    assert not Melding.objects.exists()


def test_an_update_cannot_be_reported_through_another_initiative(
    client, initiatief, bericht, buurman, wijk
):
    from tests.initiatieven.factories import InitiatiefFactory

    other = InitiatiefFactory(wijk=wijk)
    client.force_login(buurman)
    assert _report(client, other, bericht=bericht).status_code == 404


def test_the_queue_is_for_beheerders_only(client, request):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    for role in ("bewoner", "professional", "ambtenaar"):
        mfa_client(client, request.getfixturevalue(role))
        assert client.get(QUEUE).status_code == 403
    mfa_client(client, request.getfixturevalue("beheerder"))
    assert client.get(QUEUE).status_code == 200


def test_others_cannot_handle_reports(client, initiatief, buurman):
    melding = Melding.objects.create(
        reporter=UserFactory(), initiatief=initiatief, reason="spam"
    )
    client.force_login(buurman)
    url = reverse("initiatieven:moderatie-handle", args=[melding.pk])
    assert client.post(url, {"action": "dismiss"}).status_code == 403
    melding.refresh_from_db()
    assert melding.status == "open"


def test_a_beheerder_hides_an_initiative_and_the_owner_hears_why(
    client,
    initiatief,
    buurman,
    beheerder,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(buurman)
    _report(client, initiatief)
    other = UserFactory()
    Melding.objects.create(reporter=other, initiatief=initiatief, reason="onjuist")
    melding = Melding.objects.order_by("pk").first()
    mfa_client(client, beheerder)
    assert "Wandelclub De Wagenweg" in client.get(QUEUE).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("initiatieven:moderatie-handle", args=[melding.pk]),
            {"action": "hide", f"m{melding.pk}-reason": "Dit is reclame."},
        )
    assert response.status_code == 302
    initiatief.refresh_from_db()
    assert initiatief.is_hidden
    assert initiatief.hidden_reason == "Dit is reclame."
    assert set(Melding.objects.values_list("status", flat=True)) == {"verborgen"}
    assert [m.to for m in mailoutbox] == [[initiatief.owner.email]]
    assert "Dit is reclame." in mailoutbox[0].body
    # Hidden: gone for the reporter, still there for the owner.
    client.force_login(buurman)
    assert client.get(initiatief.get_absolute_url()).status_code == 404
    client.force_login(initiatief.owner)
    page = client.get(initiatief.get_absolute_url()).content.decode()
    assert "Dit is reclame." in page


def test_a_beheerder_hides_an_update(
    client,
    initiatief,
    bericht,
    buurman,
    beheerder,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    melding = Melding.objects.create(
        reporter=buurman, initiatief=initiatief, bericht=bericht, reason="spam"
    )
    mfa_client(client, beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("initiatieven:moderatie-handle", args=[melding.pk]),
            {"action": "hide", f"m{melding.pk}-reason": "Reclame"},
        )
    bericht.refresh_from_db()
    assert bericht.is_hidden
    assert not Initiatief.objects.get().is_hidden
    assert len(mailoutbox) == 1
    client.force_login(buurman)
    assert "Koop nu" not in client.get(initiatief.get_absolute_url()).content.decode()


def test_hiding_needs_a_reason(client, initiatief, buurman, beheerder):
    melding = Melding.objects.create(
        reporter=buurman, initiatief=initiatief, reason="spam"
    )
    mfa_client(client, beheerder)
    response = client.post(
        reverse("initiatieven:moderatie-handle", args=[melding.pk]),
        {"action": "hide", f"m{melding.pk}-reason": "  "},
    )
    assert response.status_code == 400
    assert "Schrijf waarom u dit verbergt." in response.content.decode()
    initiatief.refresh_from_db()
    assert not initiatief.is_hidden


def test_a_beheerder_dismisses_a_report(client, initiatief, buurman, beheerder):
    melding = Melding.objects.create(
        reporter=buurman, initiatief=initiatief, reason="spam"
    )
    mfa_client(client, beheerder)
    response = client.post(
        reverse("initiatieven:moderatie-handle", args=[melding.pk]),
        {"action": "dismiss"},
    )
    assert response.status_code == 302
    melding.refresh_from_db()
    assert (melding.status, melding.handled_by) == ("afgewezen", beheerder)
    initiatief.refresh_from_db()
    assert not initiatief.is_hidden
    assert "Er zijn geen open meldingen." in client.get(QUEUE).content.decode()
    # Handled reports cannot be handled again; a wrong action is refused.
    url = reverse("initiatieven:moderatie-handle", args=[melding.pk])
    assert client.post(url, {"action": "dismiss"}).status_code == 404
    fresh = Melding.objects.create(
        reporter=buurman, initiatief=initiatief, reason="spam"
    )
    url = reverse("initiatieven:moderatie-handle", args=[fresh.pk])
    assert client.post(url, {"action": "delete"}).status_code == 400


def test_after_a_dismissal_the_person_may_report_again(client, initiatief, buurman):
    Melding.objects.create(
        reporter=buurman, initiatief=initiatief, reason="spam", status="afgewezen"
    )
    client.force_login(buurman)
    assert _report(client, initiatief).status_code == 302


@pytest.mark.parametrize("n", [1, 25])
def test_the_queue_keeps_a_fixed_number_of_queries(
    client, initiatief, beheerder, n, django_assert_max_num_queries
):
    for _ in range(n):
        bericht = Bericht.objects.create(
            initiatief=initiatief, author=initiatief.owner, text="x"
        )
        Melding.objects.create(
            reporter=UserFactory(),
            initiatief=initiatief,
            bericht=bericht,
            reason="spam",
        )
    mfa_client(client, beheerder)
    with django_assert_max_num_queries(4):
        response = client.get(QUEUE)
    assert response.status_code == 200


# --- Beheerders are told (issue 18 item 10) ------------------------------------------------


def test_beheerders_are_told_when_something_is_reported(
    client,
    initiatief,
    buurman,
    beheerder,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    from initiatieven.models import Frequentie, Meldingsvoorkeur, Notificatie

    Meldingsvoorkeur.objects.create(user=beheerder, frequency=Frequentie.DIRECT)
    other = UserFactory(role="beheerder", email="tweede@example.nl")  # digest
    client.force_login(buurman)
    with django_capture_on_commit_callbacks(execute=True):
        _report(
            client, initiatief, {"reason": "privacy", "text": "Mijn adres staat er"}
        )
    assert [m.to for m in mailoutbox] == [[beheerder.email]]
    mail = mailoutbox[0]
    assert "Wandelclub De Wagenweg" in mail.subject
    assert QUEUE in mail.body
    assert "Mijn adres staat er" not in mail.body  # the queue shows the text
    waiting = Notificatie.objects.get(user=other)
    assert waiting.sent_at is None
    assert waiting.url == QUEUE
    assert not Notificatie.objects.filter(user=buurman).exists()


def test_a_report_is_told_once_and_not_after_it_was_handled(
    initiatief, buurman, beheerder
):
    from initiatieven import moderation
    from initiatieven.models import Notificatie

    melding = Melding.objects.create(
        reporter=buurman, initiatief=initiatief, reason="spam"
    )
    moderation.beheerders_reported_notify(melding_id=melding.pk)
    moderation.beheerders_reported_notify(melding_id=melding.pk)
    assert Notificatie.objects.filter(user=beheerder).count() == 1
    handled = Melding.objects.create(
        reporter=beheerder, initiatief=initiatief, reason="spam", status="afgewezen"
    )
    assert moderation.beheerders_reported_notify(melding_id=handled.pk) == 0
    assert moderation.beheerders_reported_notify(melding_id=999999) == 0


def test_the_menu_links_beheerders_to_the_queue_with_the_open_count(
    client, initiatief, buurman, beheerder, bewoner, ambtenaar
):
    Melding.objects.create(reporter=buurman, initiatief=initiatief, reason="spam")
    mfa_client(client, beheerder)
    page = client.get("/").content.decode()
    assert f'href="{QUEUE}"' in page
    assert "Meldingen (1 open)" in page
    for user in (bewoner, ambtenaar):
        client.force_login(user)
        assert f'href="{QUEUE}"' not in client.get("/").content.decode()

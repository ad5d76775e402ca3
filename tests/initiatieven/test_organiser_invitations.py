"""Co-organisers join by invitation: the form answers the same for every address, no
name shows before the person accepts, and they can say no (issue 15, item 7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from initiatieven.models import OrganiserInvitation
from initiatieven.organisers import INVITATIONS_PER_DAY
from tests.accounts.conftest import check_page
from tests.conftest import mfa_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SENT = "Uitnodiging verstuurd. Als de persoon ja zegt, ziet u de naam hier."


@pytest.fixture
def fatima(wijk):
    return UserFactory(
        email="fatima@example.nl", display_name="Fatima El Amrani", wijk=wijk
    )


@pytest.fixture
def owner_client(client, bewoner):
    client.force_login(bewoner)
    return client


def organisers_url(initiatief) -> str:
    return reverse("initiatieven:organisers", args=[initiatief.pk])


def invite(client, initiatief, email: str, capture=None):
    data = {"action": "add", "add-email": email}
    if capture is None:
        return client.post(organisers_url(initiatief), data, follow=True)
    with capture(execute=True):
        return client.post(organisers_url(initiatief), data, follow=True)


def answer_url(invitation: OrganiserInvitation) -> str:
    return reverse("initiatieven:organiser-invitation", args=[invitation.token])


# --- The owner's side: the same answer for every address ------------------------------


def test_inviting_an_account_adds_nobody_and_shows_no_name(
    owner_client, initiatief, fatima, django_capture_on_commit_callbacks
):
    response = invite(
        owner_client,
        initiatief,
        "Fatima@Example.nl",
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert SENT in body
    assert "Fatima El Amrani" not in body
    assert "organiseert nu mee" not in body
    assert initiatief.co_organisers.count() == 0
    invitation = OrganiserInvitation.objects.get()
    assert invitation.email == "fatima@example.nl"
    assert invitation.status == "open"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["fatima@example.nl"]
    assert answer_url(invitation) in mail.outbox[0].body
    # The initiative's public page names only the owner.
    assert (
        "Fatima El Amrani"
        not in owner_client.get(initiatief.get_absolute_url()).content.decode()
    )


def normalised_mail(message, invitation: OrganiserInvitation) -> str:
    return message.body.replace(invitation.token, "TOKEN")


@pytest.mark.parametrize(
    "email",
    [
        "fatima@example.nl",  # a resident
        "professional@example.nl",  # staff
        "buurman@example.nl",  # already organises along
        "bewoner.oud@example.nl",  # an unconfirmed second address of the owner's neighbour
    ],
)
def test_the_answer_is_the_same_whatever_the_address(
    owner_client,
    initiatief,
    fatima,
    professional,
    buurman,
    email,
    django_capture_on_commit_callbacks,
):
    initiatief.co_organisers.add(buurman)
    EmailAddress.objects.create(user=buurman, email="bewoner.oud@example.nl")
    stranger = invite(
        owner_client,
        initiatief,
        "niemand@example.nl",
        django_capture_on_commit_callbacks,
    )

    response = invite(
        owner_client, initiatief, email, django_capture_on_commit_callbacks
    )

    for page in (stranger, response):
        assert page.status_code == 200
        assert [str(m) for m in page.context["messages"]] == [SENT]
        assert not page.context["add_form"].errors
        body = page.content.decode()
        assert "Fatima El Amrani" not in body
        assert "Piet Professional" not in body
    first, second = (
        OrganiserInvitation.objects.get(email=address)
        for address in ("niemand@example.nl", email)
    )
    assert [m.to for m in mail.outbox] == [["niemand@example.nl"], [email]]
    assert normalised_mail(mail.outbox[0], first) == normalised_mail(
        mail.outbox[1], second
    )
    assert mail.outbox[0].subject == mail.outbox[1].subject
    assert list(initiatief.co_organisers.all()) == [buurman]


def test_the_mail_is_the_same_for_an_account_and_for_a_stranger(
    owner_client, initiatief, fatima, django_capture_on_commit_callbacks
):
    invite(
        owner_client,
        initiatief,
        "fatima@example.nl",
        django_capture_on_commit_callbacks,
    )
    invite(
        owner_client,
        initiatief,
        "niemand@example.nl",
        django_capture_on_commit_callbacks,
    )

    first, second = (
        m.body.replace(i.token, "T")
        for m, i in zip(
            mail.outbox,
            OrganiserInvitation.objects.order_by("pk"),
            strict=True,
        )
    )
    assert first == second
    assert "Fatima" not in first


def test_the_organiser_sees_the_open_invitation_and_can_withdraw_it(
    owner_client, initiatief
):
    invite(owner_client, initiatief, "iemand@example.nl")
    invitation = OrganiserInvitation.objects.get()

    page = owner_client.get(organisers_url(initiatief))
    check_page(page)
    assert "Uitnodiging verstuurd naar iemand@example.nl" in page.content.decode()

    response = owner_client.post(
        organisers_url(initiatief), {"action": "withdraw", "invitation": invitation.pk}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "withdrawn"
    assert invitation.email == ""
    assert owner_client.get(answer_url(invitation)).status_code == 410


def test_a_new_invitation_to_the_same_address_replaces_the_open_one(
    owner_client, initiatief
):
    invite(owner_client, initiatief, "iemand@example.nl")
    invite(owner_client, initiatief, "IEMAND@example.nl")

    statuses = list(
        OrganiserInvitation.objects.order_by("pk").values_list("status", flat=True)
    )
    assert statuses == ["withdrawn", "open"]


def test_inviting_ones_own_address_is_refused(owner_client, initiatief):
    response = invite(owner_client, initiatief, "bewoner@example.nl")

    assert response.status_code == 400
    assert "Dit is uw eigen e-mailadres." in response.content.decode()
    assert not OrganiserInvitation.objects.exists()


def test_more_than_the_daily_number_of_invitations_is_refused(owner_client, initiatief):
    for number in range(INVITATIONS_PER_DAY):
        invite(owner_client, initiatief, f"buur{number}@example.nl")

    response = invite(owner_client, initiatief, "een.te.veel@example.nl")

    assert response.status_code == 400
    assert "uitnodigingen verstuurd" in response.content.decode()
    assert OrganiserInvitation.objects.count() == INVITATIONS_PER_DAY


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Vul een e-mailadres in."),
        ("geen-adres", "Dit is geen geldig e-mailadres."),
        ("a" * 250 + "@example.nl", None),
        ('"<b>"@example.nl', None),
    ],
)
def test_bad_addresses_give_an_error_and_send_nothing(
    owner_client, initiatief, email, message
):
    response = invite(owner_client, initiatief, email)

    assert response.status_code == 400
    assert "Fout:" in response.content.decode()
    if message:
        assert message in response.content.decode()
    assert not OrganiserInvitation.objects.exists()
    assert mail.outbox == []


def test_an_unknown_action_is_a_bad_request(owner_client, initiatief):
    response = owner_client.post(organisers_url(initiatief), {"action": "toveren"})

    assert response.status_code == 400


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_withdrawing_an_unknown_invitation_is_not_found(
    owner_client, initiatief, value
):
    response = owner_client.post(
        organisers_url(initiatief), {"action": "withdraw", "invitation": value}
    )

    assert response.status_code == 404


def test_withdrawing_an_invitation_of_another_initiative_is_not_found(
    client, initiatief, buurman, wijk
):
    from tests.initiatieven.factories import InitiatiefFactory

    theirs = InitiatiefFactory(owner=buurman, wijk=wijk)
    client.force_login(buurman)
    invite(client, theirs, "iemand@example.nl")
    invitation = OrganiserInvitation.objects.get()
    client.force_login(initiatief.owner)

    response = client.post(
        organisers_url(initiatief), {"action": "withdraw", "invitation": invitation.pk}
    )

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "open"


# --- Who may invite -------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, initiatief):
    response = client.post(
        organisers_url(initiatief), {"action": "add", "add-email": "a@example.nl"}
    )

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert not OrganiserInvitation.objects.exists()


def test_a_co_organiser_sees_open_invitations_but_cannot_invite_or_withdraw(
    client, initiatief, bewoner, buurman
):
    initiatief.co_organisers.add(buurman)
    client.force_login(bewoner)
    invite(client, initiatief, "iemand@example.nl")
    invitation = OrganiserInvitation.objects.get()
    client.force_login(buurman)

    assert client.get(organisers_url(initiatief)).status_code == 200
    add = client.post(
        organisers_url(initiatief), {"action": "add", "add-email": "x@example.nl"}
    )
    withdraw = client.post(
        organisers_url(initiatief), {"action": "withdraw", "invitation": invitation.pk}
    )

    assert add.status_code == withdraw.status_code == 403
    assert OrganiserInvitation.objects.get().status == "open"


def test_a_resident_who_does_not_organise_cannot_invite(client, initiatief, fatima):
    client.force_login(fatima)

    response = client.post(
        organisers_url(initiatief), {"action": "add", "add-email": "x@example.nl"}
    )

    assert response.status_code == 403
    assert not OrganiserInvitation.objects.exists()


@pytest.mark.parametrize("role", ["professional", "ambtenaar", "beheerder"])
def test_staff_cannot_invite_on_a_residents_initiative(
    client, request, initiatief, role
):
    mfa_client(client, request.getfixturevalue(role))

    response = client.post(
        organisers_url(initiatief), {"action": "add", "add-email": "x@example.nl"}
    )

    assert response.status_code == 403
    assert not OrganiserInvitation.objects.exists()


# --- The invited person's side --------------------------------------------------------


@pytest.fixture
def invitation(owner_client, initiatief, client):
    invite(owner_client, initiatief, "fatima@example.nl")
    owner_client.logout()
    return OrganiserInvitation.objects.get()


def test_the_invitation_page_names_the_initiative_and_the_inviter(
    client, invitation, fatima
):
    client.force_login(fatima)

    page = client.get(answer_url(invitation))

    check_page(page)
    body = page.content.decode()
    assert "Wandelclub De Wagenweg" in body
    assert "Bea Bewoner" in body
    assert "Ja, ik organiseer mee" in body
    assert "Nee, liever niet" in body


def test_accepting_makes_the_person_co_organiser_and_only_then_shows_the_name(
    client, invitation, initiatief, fatima
):
    client.force_login(fatima)

    response = client.post(answer_url(invitation), {"answer": "accept"})

    assert response.status_code == 302
    assert response["Location"] == initiatief.get_absolute_url()
    assert list(initiatief.co_organisers.all()) == [fatima]
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    assert invitation.accepted_user == fatima
    assert invitation.email == ""
    page = client.get(initiatief.get_absolute_url()).content.decode()
    assert "Fatima El Amrani" in page


def test_declining_adds_nobody_and_forgets_the_address(client, invitation, initiatief):
    response = client.post(answer_url(invitation), {"answer": "decline"})

    assert response.status_code == 302
    assert initiatief.co_organisers.count() == 0
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert invitation.email == ""
    assert client.get(answer_url(invitation)).status_code == 410


def test_an_anonymous_visitor_is_asked_to_log_in_before_accepting(
    client, invitation, initiatief
):
    response = client.post(answer_url(invitation), {"answer": "accept"})

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=")
    assert initiatief.co_organisers.count() == 0
    invitation.refresh_from_db()
    assert invitation.status == "open"


@pytest.mark.parametrize("role", ["professional", "ambtenaar", "beheerder"])
def test_staff_cannot_accept_but_may_decline(
    client, request, invitation, initiatief, role
):
    mfa_client(client, request.getfixturevalue(role))

    page = client.get(answer_url(invitation))
    assert "Ja, ik organiseer mee" not in page.content.decode()
    response = client.post(answer_url(invitation), {"answer": "accept"})

    assert response.status_code == 400
    assert "Alleen bewoners" in response.content.decode()
    assert initiatief.co_organisers.count() == 0
    assert client.post(answer_url(invitation), {"answer": "decline"}).status_code == 302


def test_a_link_can_be_used_once(client, invitation, fatima, buurman):
    client.force_login(fatima)
    client.post(answer_url(invitation), {"answer": "accept"})
    client.force_login(buurman)

    response = client.post(answer_url(invitation), {"answer": "accept"})

    assert response.status_code == 410
    assert buurman not in invitation.initiatief.co_organisers.all()


def test_an_expired_invitation_gives_410(client, invitation, fatima):
    OrganiserInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(fatima)

    assert client.get(answer_url(invitation)).status_code == 410
    assert client.post(answer_url(invitation), {"answer": "accept"}).status_code == 410


@pytest.mark.parametrize("token", ["onbekend", "x" * 64])
def test_an_unknown_token_gives_410(client, fatima, token):
    client.force_login(fatima)

    response = client.get(reverse("initiatieven:organiser-invitation", args=[token]))

    assert response.status_code == 410


@pytest.mark.parametrize("answer", ["", "misschien", "ACCEPT"])
def test_an_unknown_answer_is_a_bad_request_and_changes_nothing(
    client, invitation, fatima, answer
):
    client.force_login(fatima)

    response = client.post(answer_url(invitation), {"answer": answer})

    assert response.status_code == 400
    invitation.refresh_from_db()
    assert invitation.status == "open"


def test_the_invitation_shows_on_mijn_buurtwijs_for_a_confirmed_address(
    client, invitation, fatima
):
    client.force_login(fatima)

    page = client.get(reverse("initiatieven:mijn")).content.decode()

    assert "Uitnodigingen om mee te organiseren" in page
    assert answer_url(invitation) in page


def test_an_unconfirmed_address_does_not_show_someone_elses_invitation(
    client, invitation, buurman
):
    # Buurman typed Fatima's address into his profile but never confirmed it.
    EmailAddress.objects.create(user=buurman, email="fatima@example.nl")
    client.force_login(buurman)

    page = client.get(reverse("initiatieven:mijn")).content.decode()

    assert answer_url(invitation) not in page


def test_removing_an_account_removes_the_open_invitations_to_its_address(
    invitation, fatima
):
    from initiatieven.services import forget_user

    forget_user(user=fatima)

    assert not OrganiserInvitation.objects.filter(pk=invitation.pk).exists()

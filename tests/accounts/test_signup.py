"""Residents sign up themselves, with a display name and (optionally) their wijk."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import Role, User
from tests.accounts.conftest import check_page, is_logged_in
from tests.factories import WijkFactory

GOOD_PASSWORD = "Zonnebloem-langs-de-dijk-7"


def signup_data(**changes: str) -> dict[str, str]:
    data = {
        "display_name": "Fatima",
        "email": "fatima@example.nl",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "wijk": "",
    }
    data.update(changes)
    return data


def form_errors(response) -> dict[str, list[str]]:
    return {
        name: list(errors) for name, errors in response.context["form"].errors.items()
    }


def test_signup_page_says_who_signs_up_here(client, db):
    page = client.get("/account/signup/")
    check_page(page)
    text = page.content.decode()
    assert "Account maken als bewoner" in text
    assert "Werkt u in een wijkteam of bij de gemeente?" in text
    assert "uitnodiging per e-mail" in text
    assert 'href="/account/login/"' in text


def test_signup_form_renders_our_fields_with_labels_and_help(client, wijk):
    page = client.get("/account/signup/")
    text = page.content.decode()
    assert (
        '<label class="utrecht-form-label" for="id_display_name">Uw naam</label>'
        in text
    )
    assert 'aria-describedby="id_display_name_helptext"' in text
    assert 'autocomplete="given-name"' in text
    assert 'autocomplete="email"' in text
    assert 'autocomplete="new-password"' in text
    assert "utrecht-select utrecht-select--html-select" in text
    assert "Purmerend Centrum (Purmerend)" in text
    # Our fields come first and last around allauth's own.
    order = [text.index(f'name="{name}"') for name in signup_data()]
    assert order == sorted(order)


def test_signup_creates_a_resident_with_name_and_wijk_and_sends_a_verification_mail(
    client, wijk
):
    response = client.post("/account/signup/", signup_data(wijk=str(wijk.pk)))

    assert response.status_code == 302
    assert response["Location"] == "/account/confirm-email/"
    user = User.objects.get(email="fatima@example.nl")
    assert user.role == Role.BEWONER
    assert user.display_name == "Fatima"
    assert user.wijk == wijk
    assert not user.is_staff
    assert user.check_password(GOOD_PASSWORD)
    address = EmailAddress.objects.get(user=user)
    assert address.email == "fatima@example.nl"
    assert not address.verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["fatima@example.nl"]
    assert "/account/confirm-email/" in mail.outbox[0].body
    # Mandatory verification: not logged in until the link is used.
    assert not is_logged_in(client)


def test_signup_without_a_wijk_is_fine(client, wijk):
    response = client.post("/account/signup/", signup_data())

    assert response.status_code == 302
    assert User.objects.get(email="fatima@example.nl").wijk is None


def test_the_verification_link_confirms_the_address_and_logs_the_resident_in(
    client, wijk
):
    client.post("/account/signup/", signup_data(wijk=str(wijk.pk)))
    link = re.search(r"https?://\S+(/account/confirm-email/\S+/)", mail.outbox[0].body)
    assert link is not None
    confirm_page = client.get(link.group(1))
    check_page(confirm_page)
    assert "fatima@example.nl" in confirm_page.content.decode()

    response = client.post(link.group(1))

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="fatima@example.nl").verified
    assert is_logged_in(client)
    assert client.get("/account/start/").status_code == 200


def test_the_role_cannot_be_chosen_through_the_signup_form(client, db):
    client.post(
        "/account/signup/",
        signup_data(role=Role.BEHEERDER, is_staff="on", is_superuser="on"),
    )

    user = User.objects.get(email="fatima@example.nl")
    assert user.role == Role.BEWONER
    assert not user.is_staff
    assert not user.is_superuser


def test_empty_signup_form_shows_an_error_per_field_and_creates_nothing(client, db):
    response = client.post("/account/signup/", dict.fromkeys(signup_data(), ""))

    check_page(response)
    errors = form_errors(response)
    assert set(errors) == {"display_name", "email", "password1", "password2"}
    assert errors["display_name"] == ["Vul uw naam in."]
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_errors_are_summarised_linked_to_their_field_and_named_in_the_title(client, db):
    response = client.post("/account/signup/", signup_data(display_name=""))
    text = response.content.decode()

    assert "<title>Fout: Account maken · Buurtwijs</title>" in text
    assert 'role="alert"' in text
    assert '<a class="utrecht-link" href="#id_display_name">' in text
    assert 'id="id_display_name_error"' in text
    assert re.search(
        r'<input[^>]*aria-invalid="true"[^>]*aria-describedby="id_display_name_helptext'
        r' id_display_name_error"[^>]*id="id_display_name"',
        text,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "geen-e-mailadres"}, "email"),
        ({"email": "fatima@"}, "email"),
        ({"email": '"<script>"@example.nl'}, "email"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"display_name": "   "}, "display_name"),
        ({"display_name": "<script>alert(1)</script>"}, "display_name"),
        ({"display_name": "Fa<b>tima"}, "display_name"),
        ({"password2": GOOD_PASSWORD + "x"}, "password2"),
        ({"password1": "kort", "password2": "kort"}, "password1"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1"),
        ({"password1": "wachtwoord", "password2": "wachtwoord"}, "password1"),
        (
            {"password1": "fatima@example.nl", "password2": "fatima@example.nl"},
            "password1",
        ),
        ({"wijk": "999999"}, "wijk"),
        ({"wijk": "abc"}, "wijk"),
        ({"wijk": "1 OR 1=1"}, "wijk"),
    ],
)
def test_bad_signup_input_gives_a_clear_error_and_creates_nothing(
    client, wijk, changes, field
):
    response = client.post("/account/signup/", signup_data(**changes))

    assert response.status_code == 200
    assert field in form_errors(response)
    assert not User.objects.filter(email="fatima@example.nl").exists()
    assert mail.outbox == []


def test_an_unknown_wijk_is_explained_in_plain_dutch(client, wijk):
    response = client.post("/account/signup/", signup_data(wijk="999999"))

    assert form_errors(response)["wijk"] == [
        "Deze wijk kennen we niet. Kies een wijk uit de lijst."
    ]


def test_an_inactive_wijk_cannot_be_chosen(client, gemeente):
    closed = WijkFactory(code="WK043999", gemeente=gemeente, is_active=False)

    response = client.post("/account/signup/", signup_data(wijk=str(closed.pk)))

    assert "wijk" in form_errors(response)
    assert User.objects.count() == 0


def test_a_taken_email_looks_like_a_normal_signup_and_creates_no_account(
    client, bewoner
):
    response = client.post("/account/signup/", signup_data(email="Bewoner@Example.nl"))

    # allauth prevents account enumeration: same answer as a fresh sign-up ...
    assert response.status_code == 302
    assert response["Location"] == "/account/confirm-email/"
    # ... but no second account, and the owner of the address gets a warning mail.
    assert User.objects.filter(email__iexact="bewoner@example.nl").count() == 1
    bewoner.refresh_from_db()
    assert bewoner.display_name == "Bea Bewoner"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bewoner@example.nl"]


def test_the_verification_sent_page_renders_in_our_layout(client, db):
    client.post("/account/signup/", signup_data())

    page = client.get("/account/confirm-email/")

    check_page(page)
    assert "Kijk in uw e-mail" in page.content.decode()


def test_the_verification_mail_is_plain_dutch_from_buurtwijs(client, db):
    client.post("/account/signup/", signup_data())

    message = mail.outbox[0]
    assert message.subject == "Buurtwijs: Bevestig uw e-mailadres"
    assert message.body.startswith("Hallo,")
    assert "Klik op deze link om uw e-mailadres te bevestigen:" in message.body
    assert "testserver" not in message.body.split("http://testserver")[0]

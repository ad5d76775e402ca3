"""Every allauth page renders inside our layout, in Dutch, with utrecht markup.

check_page asserts: <html lang="nl">, one <main>, one h1, our header, every input
labelled, aria-describedby pointing at real ids, no placeholders, and no inline
style or script (the Content-Security-Policy forbids both).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.template.loader import get_template, render_to_string

from tests.accounts.conftest import check_page, login_with_password
from tests.conftest import PASSWORD, mfa_client

NEW_PASSWORD = "Tulpen-in-de-wijk-2026"


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/account/login/", "Inloggen"),
        ("/account/signup/", "Account maken als bewoner"),
        ("/account/password/reset/", "Wachtwoord vergeten"),
        ("/account/password/reset/done/", "Kijk in uw e-mail"),
        ("/account/password/reset/key/done/", "Wachtwoord gewijzigd"),
        ("/account/password/reset/key/1-fout/", "Deze link werkt niet meer"),
        ("/account/confirm-email/bestaat-niet/", "E-mailadres bevestigen"),
    ],
)
def test_pages_for_visitors_render_in_our_layout(client, db, path, heading):
    page = client.get(path, follow=True)

    check_page(page)
    assert f'<h1 class="utrecht-heading-1">{heading}</h1>' in page.content.decode()


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/account/logout/", "Uitloggen"),
        ("/account/password/change/", "Wachtwoord wijzigen"),
        ("/account/email/", "E-mailadressen"),
        ("/account/reauthenticate/", "Bevestig dat u het bent"),
        ("/account/2fa/", "Tweestapsverificatie"),
        ("/account/2fa/reauthenticate/", "Bevestig dat u het bent"),
    ],
)
def test_pages_for_logged_in_users_render_in_our_layout(
    client, professional, path, heading
):
    page = mfa_client(client, professional).get(path)

    check_page(page)
    assert f'<h1 class="utrecht-heading-1">{heading}</h1>' in page.content.decode()


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/account/2fa/totp/deactivate/", "App loskoppelen"),
        ("/account/2fa/recovery-codes/", "Uw herstelcodes"),
        ("/account/2fa/recovery-codes/generate/", "Nieuwe herstelcodes maken"),
    ],
)
def test_2fa_management_pages_render_after_reauthentication(
    client, professional, path, heading
):
    mfa_client(client, professional)
    client.post("/account/reauthenticate/", {"password": PASSWORD})

    page = client.get(path)

    check_page(page)
    assert f'<h1 class="utrecht-heading-1">{heading}</h1>' in page.content.decode()


def test_the_2fa_overview_shows_the_state_of_app_and_codes(client, professional):
    page = mfa_client(client, professional).get("/account/2fa/")
    text = page.content.decode()

    assert "Aan. U logt in met een code uit de app op uw telefoon." in text
    assert "U heeft nog 10 van de 10 herstelcodes." in text
    assert 'href="/account/2fa/totp/deactivate/"' in text


def test_the_code_page_at_login_renders_in_our_layout(client, professional):
    login_with_password(client, "professional@example.nl")

    page = client.get("/account/2fa/authenticate/")

    check_page(page)
    text = page.content.decode()
    assert "herstelcode" in text
    assert 'form="logout-from-stage"' in text


def test_the_2fa_setup_page_renders_in_our_layout(client, professional_without_mfa):
    login_with_password(client, "nieuw@example.nl")

    page = client.get("/account/2fa/totp/activate/")

    check_page(page)
    assert "Stap 2: Scan de QR-code" in page.content.decode()


def test_the_password_reset_flow_renders_every_step(client, bewoner):
    check_page(client.get("/account/password/reset/"))
    response = client.post("/account/password/reset/", {"email": "bewoner@example.nl"})
    assert response["Location"] == "/account/password/reset/done/"
    link = re.search(
        r"https?://[^/\s]+(/account/password/reset/key/\S+/)", mail.outbox[0].body
    )
    assert link is not None

    form_page = client.get(link.group(1), follow=True)
    check_page(form_page)
    assert "Nieuw wachtwoord kiezen" in form_page.content.decode()
    action = (
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    )

    mismatch = client.post(
        action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}
    )
    check_page(mismatch)
    assert "password2" in mismatch.context["form"].errors

    done = client.post(
        action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True
    )
    check_page(done)
    assert "Uw nieuwe wachtwoord is opgeslagen." in done.content.decode()
    bewoner.refresh_from_db()
    assert bewoner.check_password(NEW_PASSWORD)


def test_a_reset_for_an_unknown_address_looks_the_same(client, db):
    response = client.post("/account/password/reset/", {"email": "niemand@example.nl"})

    assert response.status_code == 302
    assert response["Location"] == "/account/password/reset/done/"


def test_changing_the_password_shows_errors_in_our_markup(client, bewoner):
    mfa_client(client, bewoner)

    response = client.post(
        "/account/password/change/",
        {"oldpassword": "fout", "password1": "kort", "password2": "anders"},
    )

    check_page(response)
    assert set(response.context["form"].errors) >= {"oldpassword", "password1"}
    assert "utrecht-form-field--invalid" in response.content.decode()


def test_changing_the_password_works(client, bewoner):
    mfa_client(client, bewoner)

    response = client.post(
        "/account/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    bewoner.refresh_from_db()
    assert bewoner.check_password(NEW_PASSWORD)


def test_the_email_page_lists_addresses_as_labelled_radio_buttons(client, bewoner):
    page = mfa_client(client, bewoner).get("/account/email/")

    checked = check_page(page)
    text = page.content.decode()
    assert "<fieldset" in text
    assert "bewoner@example.nl" in text
    assert "utrecht-radio-button" in text
    assert "bevestigd" in text
    assert any(field.get("type") == "radio" for field in checked.inputs)


def test_adding_a_bad_email_address_shows_a_linked_error(client, bewoner):
    response = mfa_client(client, bewoner).post(
        "/account/email/", {"action_add": "", "email": "geen-adres"}
    )

    check_page(response)
    assert 'id="id_email_error"' in response.content.decode()


def test_the_messages_after_logging_in_speak_to_the_user_as_u(client, bewoner):
    response = login_with_password(client, "bewoner@example.nl")

    page = client.get(response["Location"])

    assert "U bent ingelogd als Bea Bewoner." in page.content.decode()


def test_an_inactive_account_gets_a_page_in_our_layout(client, bewoner):
    bewoner.is_active = False
    bewoner.save()

    response = login_with_password(client, "bewoner@example.nl")

    assert response["Location"] == "/account/inactive/"
    page = client.get("/account/inactive/")
    check_page(page)
    assert "Account staat uit" in page.content.decode()
    assert "_auth_user_id" not in client.session


TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize(
    "name",
    sorted(
        str(path.relative_to(TEMPLATES))
        for folder in ("account", "mfa", "allauth", "accounts")
        for path in (TEMPLATES / folder).rglob("*")
        if path.suffix in (".html", ".txt")
    ),
)
def test_every_overridden_template_compiles(name):
    assert get_template(name) is not None


def test_a_page_we_do_not_use_yet_still_renders_in_our_layout(rf, bewoner):
    request = rf.get("/account/signup/")
    request.user = bewoner

    html = render_to_string("account/signup_closed.html", request=request)

    assert '<html lang="nl"' in html
    assert html.count("<main") == 1
    assert '<h1 class="utrecht-heading-1">Account maken kan nu niet</h1>' in html

"""A user changes their own name and, as a resident, their wijk."""

from __future__ import annotations

import pytest

from tests.factories import WijkFactory

URL = "/account/gegevens/"


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_a_resident_changes_name_and_wijk(client, bewoner, other_wijk):
    client.force_login(bewoner)
    response = client.post(URL, {"display_name": "  Bea   B.  ", "wijk": other_wijk.pk})
    assert response.status_code == 302
    bewoner.refresh_from_db()
    assert bewoner.display_name == "Bea B."
    assert bewoner.wijk == other_wijk


def test_a_resident_may_clear_the_wijk(client, bewoner):
    client.force_login(bewoner)
    client.post(URL, {"display_name": "Bea", "wijk": ""})
    bewoner.refresh_from_db()
    assert bewoner.wijk is None


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"display_name": "", "wijk": ""}, "Vul uw naam in."),
        ({"display_name": "   ", "wijk": ""}, "Vul uw naam in."),
        ({"display_name": "x" * 81, "wijk": ""}, "81"),
        ({"display_name": "<script>x</script>", "wijk": ""}, "geen &lt; of &gt;"),
        ({"display_name": "Bea", "wijk": "abc"}, "Deze wijk kennen we niet"),
        ({"display_name": "Bea", "wijk": "999999"}, "Deze wijk kennen we niet"),
    ],
    ids=["empty", "blank", "too-long", "html", "not-a-number", "unknown-wijk"],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(client, bewoner, data, error):
    client.force_login(bewoner)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert error in response.content.decode()
    bewoner.refresh_from_db()
    assert bewoner.display_name == "Bea Bewoner"
    assert bewoner.wijk is not None


def test_an_inactive_wijk_cannot_be_chosen(client, bewoner, gemeente):
    gone = WijkFactory(code="WK043977", gemeente=gemeente, is_active=False)
    client.force_login(bewoner)
    response = client.post(URL, {"display_name": "Bea", "wijk": gone.pk})
    assert "Deze wijk kennen we niet" in response.content.decode()


def test_the_role_cannot_be_changed_through_the_form(client, bewoner):
    client.force_login(bewoner)
    client.post(URL, {"display_name": "Bea", "role": "beheerder", "is_staff": "on"})
    bewoner.refresh_from_db()
    assert bewoner.role == "bewoner"
    assert not bewoner.is_staff


def test_staff_change_only_their_name(client, professional, other_wijk):
    client.force_login(professional)
    page = client.get(URL).content.decode()
    assert 'name="wijk"' not in page
    client.post(URL, {"display_name": "Piet P.", "wijk": other_wijk.pk})
    professional.refresh_from_db()
    assert professional.display_name == "Piet P."
    assert professional.wijk is None


def test_staff_without_2fa_are_sent_to_set_it_up(client, professional_without_mfa):
    client.force_login(professional_without_mfa)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/account/2fa/totp/activate/"

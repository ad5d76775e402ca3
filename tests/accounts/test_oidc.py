"""Staff sign-in through the gemeente's OpenID Connect provider (accounts/oidc.py).

Against a real (tiny) provider started in the test run (tests/accounts/oidc_provider.py):
allauth fetches its discovery document, exchanges the code at its token endpoint
and reads its userinfo over HTTP, as it would with the gemeente's provider.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
import requests
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.conf import settings
from django.contrib.messages import get_messages

from accounts.mfa import totp_code_now
from accounts.models import ProviderSignIn, SignInOutcome, SignInProvider, User
from accounts.oidc import MFA_SESSION_KEY
from tests.accounts.conftest import is_logged_in
from tests.accounts.oidc_provider import LocalOIDCProvider
from tests.conftest import PASSWORD, TOTP_SECRET
from tests.factories import TeamFactory

LOGIN = "/account/login/"
START = "/account/start/"
CODE_STEP = "/account/2fa/authenticate/"
SETUP = "/account/2fa/totp/activate/"


@pytest.fixture(scope="module")
def oidc_server() -> Iterator[LocalOIDCProvider]:
    server = LocalOIDCProvider().start()
    yield server
    server.stop()


@pytest.fixture
def oidc(oidc_server):
    oidc_server.next_claims = {}
    oidc_server.codes.clear()
    oidc_server.tokens.clear()
    return oidc_server


def make_provider(server, gemeente, provider_id: str, label: str, **fields):
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=provider_id,
        name=label,
        client_id=f"buurtwijs-{provider_id}",
        secret="test-secret",
        settings={"server_url": server.url},
    )
    return SignInProvider.objects.create(
        app=app, gemeente=gemeente, label=label, **fields
    )


@pytest.fixture
def gemeente_provider(oidc, gemeente):
    return make_provider(oidc, gemeente, "gemeente-purmerend", "Gemeente Purmerend")


@pytest.fixture
def outsider_provider(oidc, outsider_gemeente):
    return make_provider(oidc, outsider_gemeente, "gemeente-elders", "Gemeente Elders")


def sign_in(client, server, provider_id: str, **claims):
    """Press "Inloggen via …", let the provider approve, follow it back.

    Returns the response of Buurtwijs' callback (not followed)."""
    server.next_claims = claims
    response = client.post(f"/account/oidc/{provider_id}/login/")
    assert response.status_code == 302, response.content[:500]
    authorize = response["Location"]
    assert authorize.startswith(f"{server.url}/authorize?")
    back = requests.get(authorize, allow_redirects=False, timeout=10)
    assert back.status_code == 302
    callback = urlparse(back.headers["Location"])
    assert callback.path == f"/account/oidc/{provider_id}/login/callback/"
    return client.get(f"{callback.path}?{callback.query}")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def audit_rows() -> list[tuple[str, int | None, bool]]:
    return list(
        ProviderSignIn.objects.order_by("at", "pk").values_list(
            "outcome", "user_id", "mfa_by_provider"
        )
    )


# --- Signed in --------------------------------------------------------------------------


def test_an_officer_with_mfa_at_the_provider_reaches_the_dashboard_without_a_code(
    client, oidc, gemeente_provider, ambtenaar
):
    response = sign_in(
        client,
        oidc,
        "gemeente-purmerend",
        email="Ambtenaar@Example.nl",
        amr=["pwd", "mfa"],
    )

    assert response.status_code == 302
    assert response["Location"] == START
    assert is_logged_in(client)
    assert client.session[MFA_SESSION_KEY] == ambtenaar.pk
    assert client.get(START).status_code == 200
    dashboard = client.get(f"/dashboard/{ambtenaar.gemeente.code}/")
    assert dashboard.status_code == 200
    # Linked once, so the next sign-in finds the account by the provider's "sub".
    assert SocialAccount.objects.get(user=ambtenaar).provider == "gemeente-purmerend"
    assert audit_rows() == [(SignInOutcome.OK, ambtenaar.pk, True)]


def test_mfa_at_the_provider_also_counts_for_an_officer_without_an_app(
    client, oidc, gemeente_provider, ambtenaar
):
    Authenticator.objects.filter(user=ambtenaar).delete()

    response = sign_in(
        client, oidc, "gemeente-purmerend", email=ambtenaar.email, amr="otp"
    )

    assert response["Location"] == START
    # RequireMFAMiddleware lets the session pass: no setup page.
    assert client.get(START).status_code == 200
    assert client.get(f"/dashboard/{ambtenaar.gemeente.code}/").status_code == 200


def test_an_acr_level_named_by_the_provider_counts_as_mfa(
    client, oidc, gemeente_provider, ambtenaar
):
    gemeente_provider.mfa_acr_values = "urn:gemeente:loa:substantial, urn:x:high"
    gemeente_provider.save()

    response = sign_in(
        client,
        oidc,
        "gemeente-purmerend",
        email=ambtenaar.email,
        acr="urn:gemeente:loa:substantial",
    )

    assert response["Location"] == START
    assert audit_rows() == [(SignInOutcome.OK, ambtenaar.pk, True)]


def test_without_an_mfa_claim_the_officer_types_their_code(
    client, oidc, gemeente_provider, ambtenaar
):
    response = sign_in(
        client,
        oidc,
        "gemeente-purmerend",
        email=ambtenaar.email,
        amr=["pwd"],
        acr="urn:gemeente:loa:low",
    )

    assert response.status_code == 302
    assert response["Location"] == CODE_STEP
    assert not is_logged_in(client)

    response = client.post(CODE_STEP, {"code": totp_code_now(TOTP_SECRET)})

    assert response.status_code == 302
    assert is_logged_in(client)
    assert MFA_SESSION_KEY not in client.session
    assert client.get(f"/dashboard/{ambtenaar.gemeente.code}/").status_code == 200
    assert audit_rows() == [(SignInOutcome.OK, ambtenaar.pk, False)]


def test_without_an_mfa_claim_a_professional_without_an_app_must_set_one_up(
    client, oidc, gemeente_provider, professional_without_mfa
):
    response = sign_in(
        client, oidc, "gemeente-purmerend", email=professional_without_mfa.email
    )

    assert response["Location"] == START
    assert is_logged_in(client)
    assert client.get(START)["Location"] == SETUP
    assert client.get("/signalen/")["Location"] == SETUP


def test_a_professional_signs_in_through_the_provider_of_their_team(
    client, oidc, gemeente, team, professional
):
    provider = make_provider(oidc, gemeente, "zorg-noord", "Zorggroep Noord")
    provider.teams.set([team])

    response = sign_in(
        client, oidc, "zorg-noord", email=professional.email, amr=["hwk"]
    )

    assert response["Location"] == START
    assert client.get(START).status_code == 200


def test_the_second_sign_in_uses_the_link_of_the_first(
    client, oidc, gemeente_provider, ambtenaar
):
    sign_in(client, oidc, "gemeente-purmerend", email=ambtenaar.email, amr=["mfa"])
    client.logout()

    response = sign_in(
        client, oidc, "gemeente-purmerend", email=ambtenaar.email, amr=["mfa"]
    )

    assert response["Location"] == START
    assert SocialAccount.objects.filter(user=ambtenaar).count() == 1


def test_the_linked_provider_account_is_in_the_personal_data_download_and_goes_with_it(
    client, oidc, gemeente_provider, ambtenaar, beheerder
):
    from accounts.services import staff_deactivate
    from privacy.services import personal_data_export

    sign_in(client, oidc, "gemeente-purmerend", email=ambtenaar.email, amr=["mfa"])
    account = personal_data_export(ambtenaar)["account"]
    [linked] = account["sign_in_providers"]
    assert linked["provider"] == "gemeente-purmerend"
    assert linked["uid"] == SocialAccount.objects.get(user=ambtenaar).uid
    assert linked["what_the_provider_sent"]  # the claims, as the provider sent them
    assert account["provider_sign_ins"][0]["outcome"] == SignInOutcome.OK
    assert "eyJ" not in str(account)  # the claims, never a raw (signed) token
    staff_deactivate(user=ambtenaar, by=beheerder)
    assert not SocialAccount.objects.exists()
    # The audit rows stay, pointing at the pseudonymised row; they name no one.
    client.logout()
    again = sign_in(client, oidc, "gemeente-purmerend", email="ambtenaar@example.nl")
    assert not is_logged_in(client)
    assert again.status_code in (200, 302)


# --- Refused ----------------------------------------------------------------------------


def assert_refused(client, response, outcome, *, user=None, text=""):
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not is_logged_in(client)
    assert any(text in message for message in messages_of(response))
    assert audit_rows() == [(outcome, user.pk if user else None, False)]
    assert not SocialAccount.objects.exists()


def test_an_unknown_email_is_refused_and_no_account_is_made(
    client, oidc, gemeente_provider, ambtenaar
):
    users = User.objects.count()

    response = sign_in(
        client, oidc, "gemeente-purmerend", email="nieuw@example.nl", amr=["mfa"]
    )

    assert_refused(
        client, response, SignInOutcome.UNKNOWN, text="al bestaat. Woont u in de wijk?"
    )
    assert User.objects.count() == users
    page = client.get(LOGIN)
    assert "Inloggen via uw organisatie" in page.content.decode()


def test_a_resident_is_refused_and_not_named_in_the_audit_log(
    client, oidc, gemeente_provider, bewoner
):
    response = sign_in(
        client, oidc, "gemeente-purmerend", email=bewoner.email, amr=["mfa"]
    )

    assert_refused(
        client, response, SignInOutcome.UNKNOWN, text="Log dan in met uw e-mailadres"
    )


def test_a_beheerder_is_refused(client, oidc, gemeente_provider, beheerder):
    response = sign_in(
        client, oidc, "gemeente-purmerend", email=beheerder.email, amr=["mfa"]
    )

    assert_refused(client, response, SignInOutcome.UNKNOWN)


def test_the_provider_of_another_gemeente_is_refused(
    client, oidc, gemeente_provider, outsider_provider, ambtenaar, professional
):
    response = sign_in(
        client, oidc, "gemeente-elders", email=ambtenaar.email, amr=["mfa"]
    )
    assert_refused(
        client,
        response,
        SignInOutcome.WRONG_PROVIDER,
        user=ambtenaar,
        text="niet de organisatie van uw account",
    )
    ProviderSignIn.objects.all().delete()

    response = sign_in(
        client, oidc, "gemeente-elders", email=professional.email, amr=["mfa"]
    )
    assert_refused(client, response, SignInOutcome.WRONG_PROVIDER, user=professional)


def test_an_officer_may_not_use_a_care_organisations_provider(
    client, oidc, gemeente, team, ambtenaar
):
    provider = make_provider(oidc, gemeente, "zorg-noord", "Zorggroep Noord")
    provider.teams.set([team])

    response = sign_in(client, oidc, "zorg-noord", email=ambtenaar.email)

    assert_refused(client, response, SignInOutcome.WRONG_PROVIDER, user=ambtenaar)


def test_a_professional_of_another_team_may_not_use_a_teams_provider(
    client, oidc, gemeente, professional
):
    other_team = TeamFactory(name="Wijkteam Noord", gemeente=gemeente)
    provider = make_provider(oidc, gemeente, "zorg-noord", "Zorggroep Noord")
    provider.teams.set([other_team])

    response = sign_in(client, oidc, "zorg-noord", email=professional.email)

    assert_refused(client, response, SignInOutcome.WRONG_PROVIDER, user=professional)


def test_an_unverified_email_is_refused(client, oidc, gemeente_provider, ambtenaar):
    response = sign_in(
        client,
        oidc,
        "gemeente-purmerend",
        email=ambtenaar.email,
        email_verified=False,
        amr=["mfa"],
    )

    assert_refused(client, response, SignInOutcome.UNVERIFIED, text="niet bevestigd")


def test_a_provider_switched_off_in_the_admin_is_refused(
    client, oidc, gemeente_provider, ambtenaar
):
    gemeente_provider.is_active = False
    gemeente_provider.save()

    response = sign_in(
        client, oidc, "gemeente-purmerend", email=ambtenaar.email, amr=["mfa"]
    )

    assert_refused(client, response, SignInOutcome.NOT_CONFIGURED)


def test_a_social_app_without_a_provider_row_is_refused(client, oidc, ambtenaar):
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="los",
        name="Los",
        client_id="buurtwijs-los",
        secret="x",
        settings={"server_url": oidc.url},
    )

    response = sign_in(client, oidc, "los", email=ambtenaar.email, amr=["mfa"])

    assert_refused(client, response, SignInOutcome.NOT_CONFIGURED)


def test_an_error_at_the_provider_sends_back_to_the_login_page(
    client, oidc, gemeente_provider
):
    client.post("/account/oidc/gemeente-purmerend/login/")

    response = client.get(
        "/account/oidc/gemeente-purmerend/login/callback/?error=access_denied"
    )

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not is_logged_in(client)


def test_the_provider_mark_does_not_outlive_a_password_login(
    client, oidc, gemeente_provider, ambtenaar
):
    sign_in(client, oidc, "gemeente-purmerend", email=ambtenaar.email, amr=["mfa"])
    assert client.session[MFA_SESSION_KEY] == ambtenaar.pk
    client.logout()

    client.post(LOGIN, {"login": ambtenaar.email, "password": PASSWORD})

    assert MFA_SESSION_KEY not in client.session


# --- The login page and the admin ---------------------------------------------------------


def test_the_login_page_shows_a_button_per_active_provider(
    client, oidc, gemeente_provider, outsider_provider
):
    outsider_provider.is_active = False
    outsider_provider.save()

    page = client.get(LOGIN).content.decode()

    assert "Inloggen via Gemeente Purmerend" in page
    assert 'action="/account/oidc/gemeente-purmerend/login/"' in page
    assert "Gemeente Elders" not in page


def test_the_login_page_has_no_provider_section_without_providers(client, db):
    assert "Inloggen via uw organisatie" not in client.get(LOGIN).content.decode()


def test_the_provider_button_in_english(client, oidc, gemeente_provider):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(LOGIN).content.decode()

    assert "Sign in via Gemeente Purmerend" in page
    assert "Sign in through your organisation" in page


def test_a_beheerder_configures_a_provider_in_the_admin(
    client, oidc, beheerder, gemeente, team
):
    client.force_login(beheerder)
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="gemeente-purmerend",
        name="Gemeente Purmerend",
        client_id="id",
        secret="secret",
        settings={"server_url": oidc.url},
    )

    assert client.get("/beheer/accounts/signinprovider/add/").status_code == 200
    response = client.post(
        "/beheer/accounts/signinprovider/add/",
        {
            "app": app.pk,
            "gemeente": gemeente.pk,
            "teams": [team.pk],
            "label": "Gemeente Purmerend",
            "mfa_acr_values": "urn:loa:high",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    provider = SignInProvider.objects.get()
    assert provider.acr_values == {"urn:loa:high"}
    assert list(provider.teams.all()) == [team]
    assert client.get("/beheer/accounts/signinprovider/").status_code == 200
    assert client.get("/beheer/accounts/providersignin/").status_code == 200
    assert client.get("/beheer/accounts/providersignin/add/").status_code == 403


@pytest.mark.parametrize("role_fixture", ["ambtenaar", "professional", "bewoner"])
def test_only_a_beheerder_reaches_the_provider_admin(client, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))

    response = client.get("/beheer/accounts/signinprovider/")

    assert response.status_code == 302
    assert "/login/" in response["Location"] or response["Location"] == SETUP


def test_the_login_page_lets_its_form_go_to_the_providers_only(
    client, oidc, gemeente_provider
):
    def form_action(path: str) -> list[str]:
        policy = client.get(path)["Content-Security-Policy"]
        # django-csp writes the directives in no fixed order.
        for part in policy.split(";"):
            name, _, values = part.strip().partition(" ")
            if name == "form-action":
                return values.split()
        return []

    assert form_action(LOGIN) == ["'self'", oidc.url]
    assert form_action("/account/signup/") == ["'self'"]


def test_the_admin_refuses_a_second_provider_with_the_same_client_id(
    client, oidc, beheerder, gemeente, outsider_gemeente, gemeente_provider
):
    client.force_login(beheerder)
    clash = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="gemeente-elders",
        name="Gemeente Elders",
        client_id=gemeente_provider.app.client_id,
        secret="secret",
        settings={"server_url": oidc.url},
    )

    response = client.post(
        "/beheer/accounts/signinprovider/add/",
        {"app": clash.pk, "gemeente": outsider_gemeente.pk, "label": "Elders"},
    )

    assert response.status_code == 200
    assert "dezelfde client-id" in response.content.decode()
    assert SignInProvider.objects.count() == 1


def test_the_linked_accounts_page_in_plain_dutch_and_english(
    client, oidc, gemeente_provider, ambtenaar
):
    sign_in(client, oidc, "gemeente-purmerend", email=ambtenaar.email, amr=["mfa"])

    page = client.get("/account/3rdparty/").content.decode()

    assert "U kunt ook inloggen met dit account" in page
    assert "Gemeente Purmerend" in page
    assert " je " not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/account/3rdparty/").content.decode()
    assert "You can also sign in with this account" in page


@pytest.mark.parametrize(
    ("path", "dutch", "english"),
    [
        ("/account/3rdparty/login/cancelled/", "Inloggen gestopt", "Sign-in stopped"),
        ("/account/3rdparty/login/error/", "Inloggen is niet gelukt", "did not work"),
    ],
)
def test_allauths_provider_pages_speak_plain_dutch_and_english(
    client, db, path, dutch, english
):
    assert dutch in client.get(path).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert english in client.get(path).content.decode()

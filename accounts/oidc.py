"""Staff sign-in through a gemeente's or care organisation's OpenID Connect provider.

allauth.socialaccount does the protocol; these are our rules (issue #19 item 5):

- only an EXISTING professional or officer may sign in this way, matched by the
  e-mail address the provider says it has verified; nobody signs up (a resident or
  an unknown address gets a plain message and the e-mail/password form);
- only through the provider configured for their gemeente or wijkteam
  (accounts.SignInProvider);
- two-step verification: when the ID token or userinfo says the provider asked a
  second factor ("amr" with mfa/otp/hwk, or an "acr" level the provider names),
  Buurtwijs asks no code of its own and RequireMFAMiddleware lets the session pass;
  otherwise the user types their TOTP code (or sets one up) as after a password;
- every attempt, accepted or refused, goes into ProviderSignIn (the audit log).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from allauth.mfa.stages import AuthenticateStage as AllauthAuthenticateStage
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from accounts.models import (
    ProviderSignIn,
    Role,
    SignInOutcome,
    SignInProvider,
    User,
)

if TYPE_CHECKING:
    from allauth.socialaccount.models import SocialApp, SocialLogin

logger = logging.getLogger("buurtwijs.accounts.oidc")

# In sociallogin.state (travels with the login through allauth's stages).
MFA_STATE_KEY = "buurtwijs_mfa_by_provider"
# In the session after the login: this user's second step was done at the provider.
MFA_SESSION_KEY = "buurtwijs_mfa_by_provider"

STAFF_ROLES = (Role.PROFESSIONAL, Role.AMBTENAAR)


class SignInRefused(Exception):
    def __init__(self, outcome: SignInOutcome, user: User | None = None) -> None:
        super().__init__(outcome)
        self.outcome = outcome
        self.user = user


def _claims(sociallogin: SocialLogin) -> list[dict[str, Any]]:
    data = sociallogin.account.extra_data or {}
    found = [data.get("id_token"), data.get("userinfo")]
    return [claims for claims in found if isinstance(claims, dict)]


def provider_did_mfa(sociallogin: SocialLogin, provider: SignInProvider) -> bool:
    """Did the provider ask a second factor, by its "amr" or "acr" claim?"""
    amr_ok = set(settings.OIDC_MFA_AMR_VALUES)
    acr_ok = provider.acr_values
    for claims in _claims(sociallogin):
        amr = claims.get("amr") or []
        if isinstance(amr, str):
            amr = [amr]
        if amr_ok.intersection(str(value) for value in amr):
            return True
        acr = claims.get("acr")
        if acr is not None and str(acr) in acr_ok:
            return True
    return False


def verified_email(sociallogin: SocialLogin) -> str | None:
    for address in sociallogin.email_addresses:
        if address.verified and address.email:
            return str(address.email).strip().lower()
    return None


def provider_for(sociallogin: SocialLogin) -> SignInProvider | None:
    app = sociallogin.provider.app
    if app is None or app.pk is None:
        return None
    return (
        SignInProvider.objects.filter(app_id=app.pk, is_active=True)
        .select_related("gemeente")
        .first()
    )


def may_use(user: User, provider: SignInProvider) -> bool:
    """Is this the provider of the user's own gemeente or wijkteam?"""
    team_ids = set(provider.teams.values_list("pk", flat=True))
    if user.role == Role.AMBTENAAR:
        return not team_ids and user.gemeente_id == provider.gemeente_id
    if user.role == Role.PROFESSIONAL:
        teams = user.teams.all()
        if team_ids:
            return teams.filter(pk__in=team_ids).exists()
        return teams.filter(gemeente_id=provider.gemeente_id).exists()
    return False


def check_sign_in(sociallogin: SocialLogin) -> tuple[SignInProvider, User]:
    """The provider row and the staff account this sign-in is for, or SignInRefused."""
    provider = provider_for(sociallogin)
    if provider is None:
        raise SignInRefused(SignInOutcome.NOT_CONFIGURED)
    email = verified_email(sociallogin)
    if email is None:
        raise SignInRefused(SignInOutcome.UNVERIFIED)
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None or user.role not in STAFF_ROLES:
        # A resident's account is not named in the audit log either.
        raise SignInRefused(SignInOutcome.UNKNOWN)
    if not may_use(user, provider):
        raise SignInRefused(SignInOutcome.WRONG_PROVIDER, user)
    if sociallogin.is_existing and sociallogin.user.pk != user.pk:
        raise SignInRefused(SignInOutcome.OTHER_ACCOUNT, user)
    return provider, user


def audit(
    sociallogin: SocialLogin,
    outcome: SignInOutcome,
    *,
    user: User | None = None,
    provider: SignInProvider | None = None,
    mfa_by_provider: bool = False,
) -> None:
    app = sociallogin.provider.app
    provider_id = (app.provider_id if app else "") or sociallogin.account.provider
    ProviderSignIn.objects.create(
        provider=provider,
        app_provider_id=provider_id,
        user=user,
        outcome=outcome,
        mfa_by_provider=mfa_by_provider,
    )
    logger.info(
        "Sign-in via provider %s: %s (user %s, mfa at provider %s)",
        provider_id,
        outcome,
        user.pk if user else "-",
        mfa_by_provider,
    )


def mfa_by_provider(request: HttpRequest, user: Any) -> bool:
    """Did this session's login include a second step at the provider?"""
    session = getattr(request, "session", None)
    return session is not None and session.get(MFA_SESSION_KEY) == user.pk


class AuthenticateStage(AllauthAuthenticateStage):
    """allauth's "type your code" step, skipped when the provider did a second step."""

    def _should_handle(self, request: HttpRequest) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if sociallogin is not None and sociallogin.state.get(MFA_STATE_KEY):
            return False
        return bool(super()._should_handle(request))


# --- Content-Security-Policy: the login form may lead to the providers ------------------

FORM_ACTION_ATTR = "_signin_provider_origins"


def provider_origins(app: SocialApp) -> set[str]:
    """The origins a sign-in at this provider goes to (its server and, when it is
    overridden in the app's settings, its authorization endpoint)."""
    settings_ = app.settings or {}
    urls = [
        settings_.get("server_url", ""),
        (settings_.get("openid_configuration_overrides") or {}).get(
            "authorization_endpoint", ""
        ),
    ]
    origins = set()
    for url in urls:
        parts = urlsplit(str(url))
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return origins


def allow_form_action_to(request: HttpRequest, apps: Iterable[SocialApp]) -> None:
    origins: set[str] = getattr(request, FORM_ACTION_ATTR, set())
    for app in apps:
        origins |= provider_origins(app)
    setattr(request, FORM_ACTION_ATTR, origins)


class ProviderFormActionMiddleware:
    """Adds the providers' origins to form-action on a page that shows their buttons.

    Chromium checks form-action on every redirect after a form is sent, so the login
    form's POST, answered with a redirect to the provider, is blocked with "form-action
    'self'" alone. Only pages that showed a provider button (the template tag
    signin_providers) get the addition. Must come after csp.middleware.CSPMiddleware
    in MIDDLEWARE, so this runs first on the way out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        origins = getattr(request, FORM_ACTION_ATTR, None)
        if origins:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), *sorted(origins)]
            response._csp_update = update  # type: ignore[attr-defined]
        return response

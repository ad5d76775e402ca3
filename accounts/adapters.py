from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext, gettext_lazy

from accounts import oidc
from accounts.client_ip import client_ip
from accounts.forms import check_email_characters
from accounts.models import Role, SignInOutcome
from accounts.ratelimit import login_attempt_consume, login_failures_clear


class AccountAdapter(DefaultAccountAdapter):
    """Residents sign up freely; everyone else arrives by invitation (accounts.views)."""

    # allauth's Dutch says "jou" and "en/of"; the site says "u", in B1.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": gettext_lazy(
            "Het e-mailadres of het wachtwoord klopt niet. Probeer het opnieuw."
        ),
        "username_password_mismatch": gettext_lazy(
            "Het e-mailadres of het wachtwoord klopt niet. Probeer het opnieuw."
        ),
        "phone_password_mismatch": gettext_lazy(
            "Het telefoonnummer of het wachtwoord klopt niet. Probeer het opnieuw."
        ),
    }

    def save_user(
        self, request: HttpRequest, user: Any, form: Any, commit: bool = True
    ) -> Any:
        user = super().save_user(request, user, form, commit=False)
        # The sign-up form has no role field, and whatever else is posted is
        # ignored: signing up always makes a resident.
        user.role = Role.BEWONER
        user.display_name = form.cleaned_data["display_name"]
        user.wijk = form.cleaned_data.get("wijk")
        if commit:
            user.save()
        return user

    def get_client_ip(self, request: HttpRequest) -> str:
        # The real client behind a trusted proxy (TRUSTED_PROXIES), for allauth's
        # limits per address; never a forged X-Forwarded-For.
        return client_ip(request) or super().get_client_ip(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """allauth's limit per client, then ours per account and client together
        (accounts/ratelimit.py). allauth rolls back what is in
        _login_failed_rl_usage when the password was right, so ours joins it there."""
        super().pre_authenticate(request, **credentials)
        login = str(credentials.get("email") or credentials.get("username") or "")
        ours = login_attempt_consume(request, login=login)
        if ours is None:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")
        usage = getattr(self, "_login_failed_rl_usage", None)
        if usage is not None:
            usage.usage.extend(ours.usage)
        else:
            self._login_failed_rl_usage = ours

    def _delete_login_attempts_cached_email(
        self, request: HttpRequest, **credentials: Any
    ) -> None:
        # allauth calls this after a successful password reset.
        super()._delete_login_attempts_cached_email(request, **credentials)
        login_failures_clear(request, login=str(credentials.get("email") or ""))

    def format_email_subject(self, subject: str) -> str:
        # Without django.contrib.sites allauth would prefix "[host name]".
        if account_settings.EMAIL_SUBJECT_PREFIX is not None:
            return super().format_email_subject(subject)
        return f"Buurtwijs: {subject}"

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        check_email_characters(email)
        return email

    def get_login_stages(self) -> list[str]:
        # The code step is skipped after a second step at the gemeente's provider.
        return [
            "accounts.oidc.AuthenticateStage"
            if path == "allauth.mfa.stages.AuthenticateStage"
            else path
            for path in super().get_login_stages()
        ]

    def post_login(
        self, request: HttpRequest, user: Any, **kwargs: Any
    ) -> HttpResponse | None:
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if sociallogin is not None and sociallogin.state.get(oidc.MFA_STATE_KEY):
            request.session[oidc.MFA_SESSION_KEY] = user.pk
        else:
            request.session.pop(oidc.MFA_SESSION_KEY, None)
        if sociallogin is not None:
            oidc.audit(
                sociallogin,
                SignInOutcome.OK,
                user=user,
                provider=oidc.provider_for(sociallogin),
                mfa_by_provider=bool(sociallogin.state.get(oidc.MFA_STATE_KEY)),
            )
        return super().post_login(request, user, **kwargs)  # type: ignore[no-any-return]

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Let someone who logged in a moment ago set up two-step verification
        without typing their password again.

        allauth asks for the password (or a code) again before MFA changes, and
        since 65.x only an explicit re-authentication counts, not the login itself.
        For a professional whom we force into the setup right after logging in,
        that means typing the password twice in a minute. So: within
        ACCOUNT_REAUTHENTICATION_TIMEOUT of logging in, setting up the first
        authenticator app and viewing the recovery codes it came with need no
        second password. Changing an app that existed before this login (switching
        it off, new recovery codes later) still does.
        """
        required = super().is_reauthentication_required(app=app, **kwargs)
        if not required or app != "allauth.mfa":
            return required
        request = self.request or context.request
        user = getattr(request, "user", None)
        if request is None or user is None or not user.is_authenticated:
            return required
        records = get_authentication_records(request, user)
        if not records:
            return required
        logged_in_at = records[-1]["at"]
        if time.time() - logged_in_at >= account_settings.REAUTHENTICATION_TIMEOUT:
            return required
        totp = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if totp is None or totp.created_at.timestamp() >= logged_in_at:
            return False
        return required


REFUSED_MESSAGES = {
    SignInOutcome.NOT_CONFIGURED: gettext_lazy(
        "Inloggen via deze organisatie kan niet. Log in met uw e-mailadres en "
        "wachtwoord."
    ),
    SignInOutcome.UNVERIFIED: gettext_lazy(
        "Uw organisatie heeft uw e-mailadres niet bevestigd. Daarom kunt u zo niet "
        "inloggen. Log in met uw e-mailadres en wachtwoord."
    ),
    SignInOutcome.UNKNOWN: gettext_lazy(
        "Via uw organisatie inloggen kan alleen met een account van een wijkteam of "
        "de gemeente dat al bestaat. Woont u in de wijk? Log dan in met uw "
        "e-mailadres en wachtwoord. Werkt u in een wijkteam of bij de gemeente? Dan "
        "krijgt u eerst een uitnodiging per e-mail."
    ),
    SignInOutcome.WRONG_PROVIDER: gettext_lazy(
        "Dit is niet de organisatie van uw account. Kies de knop van uw eigen "
        "gemeente of organisatie, of log in met uw e-mailadres en wachtwoord."
    ),
    SignInOutcome.OTHER_ACCOUNT: gettext_lazy(
        "Dit account bij uw organisatie hoort bij een ander Buurtwijs-account. Log "
        "in met uw e-mailadres en wachtwoord."
    ),
}


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Staff sign in through their gemeente's provider; nobody signs up that way."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        try:
            provider, user = oidc.check_sign_in(sociallogin)
        except oidc.SignInRefused as refused:
            oidc.audit(
                sociallogin,
                refused.outcome,
                user=refused.user,
                provider=oidc.provider_for(sociallogin),
            )
            messages.error(request, str(REFUSED_MESSAGES[refused.outcome]))
            raise ImmediateHttpResponse(redirect("account_login")) from None
        sociallogin.state[oidc.MFA_STATE_KEY] = oidc.provider_did_mfa(
            sociallogin, provider
        )
        if not sociallogin.is_existing:
            # The first time: link the provider's account to the existing one (the
            # owner gets allauth's "account connected" e-mail).
            sociallogin.connect(request, user)

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        messages.error(
            request,
            gettext(
                "Inloggen via uw organisatie is niet gelukt. Probeer het opnieuw, of "
                "log in met uw e-mailadres en wachtwoord."
            ),
        )
        raise ImmediateHttpResponse(redirect("account_login"))

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from accounts.client_ip import client_ip
from accounts.forms import check_email_characters
from accounts.models import Role
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

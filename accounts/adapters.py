from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Residents sign up freely; everyone else arrives by invitation (accounts.views)."""

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        user.role = "bewoner"
        user.display_name = form.cleaned_data["display_name"]
        user.wijk = form.cleaned_data.get("wijk")
        if commit:
            user.save()
        return user

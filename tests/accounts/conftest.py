"""Helpers for the account tests: log in like a person would, and check pages."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from accounts.mfa import totp_code_now
from accounts.models import Invitation, Role
from tests.conftest import PASSWORD, TOTP_SECRET


def login_with_password(client, email: str, password: str = PASSWORD):
    return client.post("/account/login/", {"login": email, "password": password})


def login_with_totp(client, email: str, secret: str = TOTP_SECRET):
    """Log in through the form and the code step; returns the last response."""
    response = login_with_password(client, email)
    assert response.status_code == 302
    assert response["Location"] == "/account/2fa/authenticate/"
    return client.post("/account/2fa/authenticate/", {"code": totp_code_now(secret)})


def recovery_codes_of(user) -> list[str]:
    authenticator = Authenticator.objects.get(
        user=user, type=Authenticator.Type.RECOVERY_CODES
    )
    return authenticator.wrap().get_unused_codes()


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def make_invitation(beheerder, team, gemeente):
    """An invitation straight in the database; pass fields to change it."""

    def make(**fields) -> Invitation:
        values = {
            "email": "nieuwe.collega@example.nl",
            "role": Role.PROFESSIONAL,
            "gemeente": gemeente,
            "team": team,
            "invited_by": beheerder,
            "expires_at": timezone.now() + timedelta(days=14),
        }
        values.update(fields)
        return Invitation.objects.create(**values)

    return make


class PageChecker(HTMLParser):
    """Collects what the accessibility and CSP checks look at."""

    def __init__(self) -> None:
        super().__init__()
        self.html_lang: str | None = None
        self.main_count = 0
        self.inline_styles: list[str] = []
        self.inline_scripts = 0
        self.script_open = False
        self.inputs: list[dict[str, str | None]] = []
        self.label_fors: set[str] = set()
        self.ids: set[str] = set()
        self.classes: set[str] = set()
        self.h1_count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        self.classes.update((attributes.get("class") or "").split())
        if "style" in attributes:
            self.inline_styles.append(tag)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        elif tag == "main":
            self.main_count += 1
        elif tag == "h1":
            self.h1_count += 1
        elif tag == "script" and not attributes.get("src"):
            self.inline_scripts += 1
        elif tag == "label" and attributes.get("for"):
            self.label_fors.add(attributes["for"])
        elif tag in ("input", "select", "textarea") and attributes.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            self.inputs.append(attributes)
        # Event handler attributes are inline script too.
        for name in attributes:
            if name.startswith("on"):
                self.inline_scripts += 1


def check_page(response) -> PageChecker:
    """Assert the page is ours: one <main>, lang, an h1, labelled inputs, and nothing
    the Content-Security-Policy would block."""
    assert response.status_code == 200
    content = response.content.decode()
    page = PageChecker()
    page.feed(content)
    assert page.html_lang == "nl"
    assert page.main_count == 1
    assert page.h1_count == 1
    assert "utrecht-heading-1" in page.classes
    assert "bw-header" in page.classes, "not rendered inside templates/base.html"
    assert page.inline_styles == []
    assert page.inline_scripts == 0
    for field in page.inputs:
        assert field.get("id") in page.label_fors, f"input without label: {field}"
        for described in (field.get("aria-describedby") or "").split():
            assert described in page.ids, f"aria-describedby points nowhere: {field}"
        assert "placeholder" not in field
    assert not re.search(r"<(input|select|textarea)[^>]*\sstyle=", content)
    return page

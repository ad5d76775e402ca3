"""The crawl's list of URL names it does not open (tests/browser/url_conf.py) stays true:
a name listed as POST only gives no page to a GET, for any role; every other name of
the URL conf gets a path from the demo data."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Invitation, Role, User
from tests.browser.url_conf import POST_ONLY, SKIPPED, demo_paths, url_names

ROLES = ("bewoner", "professional", "ambtenaar", "beheerder")


# POST-only URLs whose object the demo does not have (no GET to try).
NO_DEMO_OBJECT = {
    "themas:progress_hide",
    "themas:progress_show",
    "initiatieven:moderatie-handle",
}


@pytest.fixture
def demo(db, settings):
    """The demo, plus one open invitation (the crawl's demo has them too)."""
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    beheerder = User.objects.get(role=Role.BEHEERDER)
    Invitation.objects.create(
        email="nieuw@gemeente-demostad.nl",
        role=Role.PROFESSIONAL,
        invited_by=beheerder,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )


def test_every_url_name_is_visited_or_skipped_with_a_reason(demo):
    paths = demo_paths()
    assert set(paths) | set(SKIPPED) == set(url_names())
    assert not set(paths) & set(SKIPPED)
    assert all(reason.strip() for reason in SKIPPED.values())


def test_a_url_name_listed_as_post_only_gives_no_page_to_a_get(demo, client):
    paths = demo_paths(set(POST_ONLY) - NO_DEMO_OBJECT)
    pages = []
    for role in ROLES:
        client.force_login(User.objects.get(email=f"{role}@demo.buurtwijs.nl"))
        for name, path in paths.items():
            if client.get(path).status_code == 200:
                pages.append(f"{role} {name} {path}")
    assert not pages, "a GET page, not POST only: " + ", ".join(pages)


def test_an_unknown_url_name_has_no_demo_path(demo):
    with pytest.raises(LookupError):
        demo_paths(["bestaat-niet"])


def test_the_post_only_names_without_a_demo_object_are_still_post_only_names(demo):
    assert set(POST_ONLY) >= NO_DEMO_OBJECT
    with pytest.raises(LookupError):
        demo_paths(NO_DEMO_OBJECT)

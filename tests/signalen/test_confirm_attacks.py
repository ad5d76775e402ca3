"""A hostile but legitimate user against the confirm page and its status fragment:
another person's removals, a reflected query, a signal's text through the new pages."""

from __future__ import annotations

import pytest

from accounts.mfa import totp_activate
from accounts.models import Role
from signalen.intake import removals, services
from tests.conftest import TOTP_SECRET
from tests.factories import UserFactory
from tests.signalen.test_confirm_page import confirm_url, log_pending, status_url

pytestmark = pytest.mark.usefixtures("frozen_now")

XSS = '"><script>alert(1)</script>'


@pytest.fixture
def sent(monkeypatch):
    """The ids whose scrub was queued; nothing runs until the test says so."""
    ids: list[int] = []
    monkeypatch.setattr(services, "pending_scrub_send", ids.append)
    return ids


def test_a_query_is_not_reflected_as_html(
    client, professional, wijk, sent, django_capture_on_commit_callbacks
):
    signaal = log_pending(
        client, professional, wijk, sent, django_capture_on_commit_callbacks
    )
    for url in (confirm_url(signaal), status_url(signaal)):
        response = client.get(url, {"x": XSS, XSS: "1"})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_teammate_cannot_read_the_removals_with_any_query(
    client, professional, team, wijk, sent, django_capture_on_commit_callbacks
):
    signaal = log_pending(
        client, professional, wijk, sent, django_capture_on_commit_callbacks
    )
    services.signal_scrub_pending(signaal_id=signaal.pk)
    assert removals.recall(signaal_id=signaal.pk)
    teammate = UserFactory(role=Role.PROFESSIONAL, email="collega2@example.nl")
    team.members.add(teammate)
    totp_activate(user=teammate, secret=TOTP_SECRET)
    client.force_login(teammate)
    for query in ("", "?gewijzigd=1", "?herhaald=1"):
        for url in (confirm_url(signaal, query), status_url(signaal) + query):
            response = client.get(url)
            assert response.status_code == 404
            assert "06-12345678" not in response.content.decode()


def test_an_officer_of_the_gemeente_gets_no_text_and_no_removals(
    client, professional, ambtenaar, wijk, sent, django_capture_on_commit_callbacks
):
    signaal = log_pending(
        client, professional, wijk, sent, django_capture_on_commit_callbacks
    )
    services.signal_scrub_pending(signaal_id=signaal.pk)
    client.force_login(ambtenaar)
    for url in (confirm_url(signaal), status_url(signaal)):
        response = client.get(url)
        assert response.status_code == 403
        text = response.content.decode()
        assert "06-12345678" not in text
        assert "niemand in de flat" not in text


def test_the_author_no_longer_in_the_team_sees_nothing(
    client, professional, team, wijk, sent, django_capture_on_commit_callbacks
):
    signaal = log_pending(
        client, professional, wijk, sent, django_capture_on_commit_callbacks
    )
    services.signal_scrub_pending(signaal_id=signaal.pk)
    team.members.remove(professional)
    client.force_login(professional)
    for url in (confirm_url(signaal), status_url(signaal)):
        response = client.get(url)
        assert response.status_code == 404
        assert "06-12345678" not in response.content.decode()


def test_a_forged_cache_entry_is_not_shown(
    client, professional, wijk, sent, django_capture_on_commit_callbacks
):
    """A removals entry that was not sealed with the key (written by anyone who can
    reach the cache) is ignored, not shown."""
    from django.core.cache import cache

    signaal = log_pending(
        client, professional, wijk, sent, django_capture_on_commit_callbacks
    )
    services.signal_scrub_pending(signaal_id=signaal.pk)
    cache.set(
        removals.KEY_PREFIX + str(signaal.pk),
        b'[["naam", "Naam", "<script>alert(2)</script>"]]',
    )
    text = client.get(status_url(signaal)).content.decode()
    assert "<script>alert(2)</script>" not in text

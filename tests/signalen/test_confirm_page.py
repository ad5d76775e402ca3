"""The confirm page after logging a signal (issue 17 item 1): the POST saves the text
sealed and does not wait for the scrubber; the page says "wordt nog geanonimiseerd" and
its status fragment shows the scrubbed text and what was removed once the worker is done.
Only the author sees it; the removed originals never reach the database, the session,
a task message or a log line."""

from __future__ import annotations

import logging
import uuid

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.mfa import totp_activate
from accounts.models import Role
from signalen import tasks
from signalen.intake import removals, services
from signalen.models import Bron, Categorie, Signaal
from tests.conftest import TOTP_SECRET
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("frozen_now")

URL = "/signalen/nieuw/"
TEXT = "Mevrouw Jansen (06-12345678) zegt dat niemand in de flat haar meer bezoekt."


def confirm_url(signaal, query=""):
    return f"/signalen/{signaal.pk}/opgeslagen/{query}"


def status_url(signaal):
    return f"/signalen/{signaal.pk}/opgeslagen/stand/"


@pytest.fixture
def sent(monkeypatch):
    """The ids whose scrub was queued; nothing runs until the test says so."""
    ids: list[int] = []
    monkeypatch.setattr(services, "pending_scrub_send", ids.append)
    return ids


def form_data(wijk, **overrides):
    data = {
        "wijk": str(wijk.pk),
        "buurt": "",
        "categorie": str(Categorie.objects.get(code="eenzaamheid").pk),
        "bron": str(Bron.objects.get(code="huisbezoek").pk),
        "text": TEXT,
        "observed_on": timezone.localdate().isoformat(),
        "intake_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def log_pending(client, professional, wijk, sent, capture):
    """Log a signal through the form; its scrub is queued, not run."""
    client.force_login(professional)
    with capture(execute=True):
        response = client.post(URL, form_data(wijk))
    assert response.status_code == 302
    signaal = Signaal.objects.get()
    assert sent == [signaal.pk]
    return signaal


def test_the_page_says_pending_then_the_fragment_shows_the_scrubbed_text(
    client, professional, wijk, sent, django_capture_on_commit_callbacks
):
    signaal = log_pending(
        client, professional, wijk, sent, django_capture_on_commit_callbacks
    )
    page = client.get(confirm_url(signaal))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Opgeslagen, wordt nog geanonimiseerd" in content
    assert 'aria-live="polite"' in content
    assert "js/signaal-confirm.js" in content
    # Without JavaScript: a plain link asks again.
    assert f'href="{confirm_url(signaal)}"' in content
    assert "Jansen" not in content
    pending = client.get(status_url(signaal))
    assert pending.status_code == 200
    fragment = pending.content.decode()
    assert "<html" not in fragment
    assert 'data-bw-state="pending" data-bw-poll' in fragment
    assert {"no-store", "private"} <= {
        part.strip() for part in pending["Cache-Control"].split(",")
    }

    # The worker scrubs it (eagerly here); the next fetch has the text.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.signal_scrub_pending(signaal_id=signaal.pk) is True
    ready = client.get(status_url(signaal)).content.decode()
    assert 'data-bw-part="text" data-bw-state="ready"' in ready
    assert "Zo is de tekst bewaard" in ready
    assert "niemand in de flat" in ready
    assert "[TELEFOON]" in ready
    assert "06-12345678" in ready  # what was removed, for the author
    assert "Telefoonnummer" in ready
    # The whole page once more, as the no-script link gives it: the same text.
    again = client.get(confirm_url(signaal)).content.decode()
    assert "Zo is de tekst bewaard" in again
    assert "06-12345678" in again


def test_the_removed_originals_are_kept_sealed_and_only_a_few_minutes(
    client, professional, wijk, sent, django_capture_on_commit_callbacks
):
    signaal = log_pending(
        client, professional, wijk, sent, django_capture_on_commit_callbacks
    )
    services.signal_scrub_pending(signaal_id=signaal.pk)
    signaal.refresh_from_db()
    assert "06-12345678" not in signaal.text
    assert "06-12345678" not in str(signaal.scrub_summary)
    assert signaal.text_sealed is None
    stored = cache.get(removals.KEY_PREFIX + str(signaal.pk))
    assert stored
    assert b"06-12345678" not in stored
    assert b"Jansen" not in stored
    # Time up (or the cache down): the page names the kinds, not the originals.
    removals.forget(signaal_id=signaal.pk)
    content = client.get(status_url(signaal)).content.decode()
    assert "06-12345678" not in content
    assert "Telefoonnummer: 1 keer" in content


def test_the_scrub_task_carries_only_the_id_and_nothing_is_logged(
    client, professional, wijk, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    messages = []
    monkeypatch.setattr(
        tasks.signal_scrub_pending_task,
        "apply_async",
        lambda args=None, kwargs=None, **options: messages.append((args, kwargs)),
    )
    client.force_login(professional)
    with caplog.at_level(logging.DEBUG):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(URL, form_data(wijk))
        signaal = Signaal.objects.get()
        services.signal_scrub_pending(signaal_id=signaal.pk)
        client.get(status_url(signaal))
    assert messages == [([signaal.pk], None)]
    assert "Jansen" not in caplog.text
    assert "12345678" not in caplog.text


def test_a_teammate_sees_no_confirm_page_of_anothers_signal(
    client, professional, team, wijk, sent, django_capture_on_commit_callbacks
):
    signaal = log_pending(
        client, professional, wijk, sent, django_capture_on_commit_callbacks
    )
    services.signal_scrub_pending(signaal_id=signaal.pk)
    teammate = UserFactory(role=Role.PROFESSIONAL, email="collega@example.nl")
    team.members.add(teammate)
    totp_activate(user=teammate, secret=TOTP_SECRET)
    client.force_login(teammate)
    assert client.get(confirm_url(signaal)).status_code == 404
    assert client.get(status_url(signaal)).status_code == 404
    # The signal itself is the team's to read, without what was removed.
    detail = client.get(f"/signalen/{signaal.pk}/").content.decode()
    assert "06-12345678" not in detail


def test_another_team_gets_404(
    client,
    professional,
    outsider_professional,
    wijk,
    sent,
    django_capture_on_commit_callbacks,
):
    signaal = log_pending(
        client, professional, wijk, sent, django_capture_on_commit_callbacks
    )
    client.force_login(outsider_professional)
    assert client.get(confirm_url(signaal)).status_code == 404
    assert client.get(status_url(signaal)).status_code == 404


@pytest.mark.parametrize("role", ["bewoner", "ambtenaar", "beheerder"])
def test_other_roles_are_refused(client, request, role, professional, team):
    from tests.signalen.helpers import make_signaal

    signaal = make_signaal(author=professional, team=team)
    client.force_login(request.getfixturevalue(role))
    assert client.get(confirm_url(signaal)).status_code == 403
    assert client.get(status_url(signaal)).status_code == 403


def test_anonymous_users_are_sent_to_login(client, professional, team):
    from tests.signalen.helpers import make_signaal

    signaal = make_signaal(author=professional, team=team)
    for url in (confirm_url(signaal), status_url(signaal)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]


def test_a_pending_signal_can_be_withdrawn_and_its_page_is_gone(
    client, professional, wijk, sent, django_capture_on_commit_callbacks
):
    signaal = log_pending(
        client, professional, wijk, sent, django_capture_on_commit_callbacks
    )
    response = client.post(
        f"/signalen/{signaal.pk}/intrekken/", {"reason": "vergissing"}
    )
    assert response.status_code == 302
    signaal.refresh_from_db()
    assert signaal.withdrawn_at is not None
    assert signaal.text_sealed is None
    assert client.get(confirm_url(signaal)).status_code == 404
    assert client.get(status_url(signaal)).status_code == 404
    # The queued scrub finds nothing to open and clears the flag.
    assert services.signal_scrub_pending(signaal_id=signaal.pk) is True
    signaal.refresh_from_db()
    assert (signaal.text, signaal.scrub_pending) == ("", False)
    assert removals.recall(signaal_id=signaal.pk) is None


def test_withdrawing_a_scrubbed_signal_forgets_its_removals(
    client, professional, wijk, sent, django_capture_on_commit_callbacks
):
    signaal = log_pending(
        client, professional, wijk, sent, django_capture_on_commit_callbacks
    )
    services.signal_scrub_pending(signaal_id=signaal.pk)
    assert removals.recall(signaal_id=signaal.pk)
    client.post(f"/signalen/{signaal.pk}/intrekken/", {"reason": "vergissing"})
    assert removals.recall(signaal_id=signaal.pk) is None


def test_the_list_and_the_detail_page_show_a_pending_signal_as_such(
    client, professional, wijk, sent, django_capture_on_commit_callbacks
):
    signaal = log_pending(
        client, professional, wijk, sent, django_capture_on_commit_callbacks
    )
    for url in ("/signalen/", f"/signalen/{signaal.pk}/"):
        content = client.get(url).content.decode()
        assert "De tekst wordt nog geanonimiseerd" in content, url


def test_a_pending_signal_cannot_be_edited_yet(
    client, professional, wijk, sent, django_capture_on_commit_callbacks
):
    signaal = log_pending(
        client, professional, wijk, sent, django_capture_on_commit_callbacks
    )
    response = client.get(f"/signalen/{signaal.pk}/wijzigen/")
    assert response.status_code == 302
    assert response["Location"] == f"/signalen/{signaal.pk}/"
    response = client.post(f"/signalen/{signaal.pk}/wijzigen/", form_data(wijk))
    assert response.status_code == 302
    signaal.refresh_from_db()
    assert signaal.scrub_pending
    assert sent == [signaal.pk]  # nothing sealed or sent again


def test_an_edit_is_sealed_queued_and_confirmed_like_a_new_signal(
    client, professional, wijk, sent, django_capture_on_commit_callbacks
):
    signaal = log_pending(
        client, professional, wijk, sent, django_capture_on_commit_callbacks
    )
    services.signal_scrub_pending(signaal_id=signaal.pk)
    new_text = "Meneer De Vries (0612345679) heeft geen eten meer in huis."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/signalen/{signaal.pk}/wijzigen/", form_data(wijk, text=new_text)
        )
    assert response.status_code == 302
    assert response["Location"] == confirm_url(signaal, "?gewijzigd")
    signaal.refresh_from_db()
    assert signaal.scrub_pending
    assert signaal.text == ""
    assert b"De Vries" not in bytes(signaal.text_sealed)
    assert sent == [signaal.pk, signaal.pk]
    assert removals.recall(signaal_id=signaal.pk) is None  # the old text's
    page = client.get(response["Location"]).content.decode()
    assert "De wijziging is opgeslagen" in page
    assert "wordt nog geanonimiseerd" in page
    services.signal_scrub_pending(signaal_id=signaal.pk)
    ready = client.get(status_url(signaal) + "?gewijzigd").content.decode()
    assert "geen eten meer in huis" in ready
    assert "0612345679" in ready
    assert 'data-bw-part="themes" data-bw-state="none"' in ready  # no suggestion


def test_the_sweep_counts_from_the_last_change(professional, wijk, sent):
    import datetime

    signaal, _created = services.signaal_create(
        author=professional,
        wijk=wijk,
        categorie=Categorie.objects.get(code="eenzaamheid"),
        bron=Bron.objects.get(code="huisbezoek"),
        text=TEXT,
        observed_on=timezone.localdate(),
    )
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    Signaal.objects.filter(pk=signaal.pk).update(created_at=long_ago)
    # Just edited (sealed again): its own task has had no chance yet.
    assert services.pending_scrub_ids() == []
    Signaal.objects.filter(pk=signaal.pk).update(updated_at=long_ago)
    assert services.pending_scrub_ids() == [signaal.pk]

"""Every signal is saved with its text sealed and scrubbed later by the worker (issue
17 item 1: the POST never waits for the scrubber), so one typed while the scrubber is
away is kept too; a form posted twice saves one signal."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from buurtwijs.schedule import BEAT_SCHEDULE
from signalen import tasks
from signalen.intake import sealing, services
from signalen.models import AuditEntry, Bron, Categorie, Signaal

URL = "/signalen/nieuw/"
TEXT = "Mevrouw Jansen (06-12345678) zegt dat niemand in de flat haar meer bezoekt."


@pytest.fixture
def sent(monkeypatch):
    """The ids whose scrub task was sent (the broker is down in these tests too)."""
    ids: list[int] = []
    monkeypatch.setattr(services, "pending_scrub_send", ids.append)
    return ids


def create(professional, wijk, **kwargs):
    return services.signaal_create(
        author=professional,
        wijk=wijk,
        categorie=Categorie.objects.get(code="eenzaamheid"),
        bron=Bron.objects.get(code="huisbezoek"),
        text=kwargs.pop("text", TEXT),
        observed_on=timezone.localdate(),
        **kwargs,
    )


def test_the_sealed_text_is_not_plain_text_and_opens_with_the_key():
    token = sealing.seal(TEXT)
    assert b"Jansen" not in token
    assert b"06-12345678" not in token
    assert sealing.unseal(token) == TEXT


def test_a_new_signal_is_saved_sealed_with_its_facts_and_its_scrub_queued(
    professional, wijk, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signaal, created = create(professional, wijk, households_estimate=2)
    assert created
    signaal.refresh_from_db()
    assert signaal.scrub_pending
    assert signaal.text == ""
    assert signaal.households_estimate == 2
    assert b"Jansen" not in bytes(signaal.text_sealed)
    assert sent == [signaal.pk]
    assert AuditEntry.objects.filter(action="create", signaal=signaal).exists()


def test_the_worker_scrubs_it_later_and_forgets_the_sealed_text(
    professional, wijk, sent
):
    signaal, _result = create(professional, wijk)
    assert services.signal_scrub_pending(signaal_id=signaal.pk) is True
    signaal.refresh_from_db()
    assert not signaal.scrub_pending
    assert signaal.text_sealed is None
    assert "niemand in de flat" in signaal.text
    assert "Jansen" not in signaal.text
    assert "06-12345678" not in signaal.text
    assert signaal.scrub_summary
    # A second run (a retried task, the sweep) changes nothing.
    assert services.signal_scrub_pending(signaal_id=signaal.pk) is False


def test_a_withdrawn_pending_signal_is_never_opened(professional, wijk, sent):
    signaal, _result = create(professional, wijk)
    services.signaal_withdraw(signaal=signaal, actor=professional, reason="dubbel")
    signaal.refresh_from_db()
    assert signaal.text_sealed is None
    assert services.signal_scrub_pending(signaal_id=signaal.pk) is True
    signaal.refresh_from_db()
    assert signaal.text == ""


def test_a_sealed_text_under_another_key_is_dropped_not_shown(
    professional, wijk, sent, settings
):
    signaal, _result = create(professional, wijk)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert services.signal_scrub_pending(signaal_id=signaal.pk) is True
    signaal.refresh_from_db()
    assert (signaal.text, signaal.text_sealed, signaal.scrub_pending) == (
        "",
        None,
        False,
    )


def test_the_sweep_sends_only_signals_that_waited_a_while(professional, wijk, sent):
    old, _r = create(professional, wijk)
    _new, _r = create(professional, wijk, text="Nog een signaal over de flat.")
    five_minutes_ago = timezone.now() - datetime.timedelta(minutes=5)
    Signaal.objects.filter(pk=old.pk).update(
        created_at=five_minutes_ago, updated_at=five_minutes_ago
    )
    sent.clear()
    assert tasks.scrub_pending_sweep() == 1
    assert sent == [old.pk]


def test_the_sweep_runs_every_minute_and_the_task_goes_to_the_scrub_worker():
    from buurtwijs.celery import app

    entry = BEAT_SCHEDULE["signalen-scrub-pending-sweep"]
    assert entry["task"] == "signalen.tasks.scrub_pending_sweep"
    route = app.amqp.router.route({}, "signalen.tasks.signal_scrub_pending_task")
    assert route["queue"].name == "scrub"


def test_the_roll_up_leaves_a_pending_signal_out(professional, wijk, sent):
    from signalen.themes import runs

    create(professional, wijk)
    assert runs._load_signals(wijk, timezone.localdate(), 180) == []


def test_retention_also_wipes_a_sealed_text(professional, wijk, sent):
    signaal, _r = create(professional, wijk)
    later = timezone.now() + datetime.timedelta(days=10_000)
    services.signal_text_wipe_expired(now=later)
    signaal.refresh_from_db()
    assert signaal.text_sealed is None


def test_the_same_form_posted_twice_saves_one_signal(client, professional, wijk):
    client.force_login(professional)
    token = str(uuid.uuid4())
    data = {
        "wijk": str(wijk.pk),
        "buurt": "",
        "categorie": str(Categorie.objects.get(code="eenzaamheid").pk),
        "bron": str(Bron.objects.get(code="huisbezoek").pk),
        "text": "Drie oudere bewoners in de flat zien niemand meer.",
        "observed_on": timezone.localdate().isoformat(),
        "intake_token": token,
    }
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert first.status_code == second.status_code == 302
    assert Signaal.objects.count() == 1
    signaal = Signaal.objects.get()
    assert first["Location"] == f"/signalen/{signaal.pk}/opgeslagen/"
    assert second["Location"] == f"/signalen/{signaal.pk}/opgeslagen/?opnieuw"
    assert "al verstuurd" in client.get(second["Location"]).content.decode()
    assert "al verstuurd" not in client.get(first["Location"]).content.decode()


def test_the_empty_form_carries_a_fresh_token(client, professional, wijk):
    client.force_login(professional)
    one = client.get(URL).context["form"].initial["intake_token"]
    two = client.get(URL).context["form"].initial["intake_token"]
    assert isinstance(one, uuid.UUID)
    assert one != two


def test_a_bad_token_is_a_form_error_not_a_crash(client, professional, wijk):
    client.force_login(professional)
    response = client.post(
        URL,
        {
            "wijk": str(wijk.pk),
            "categorie": str(Categorie.objects.get(code="eenzaamheid").pk),
            "bron": str(Bron.objects.get(code="huisbezoek").pk),
            "text": "Tekst",
            "observed_on": timezone.localdate().isoformat(),
            "intake_token": "<script>",
        },
    )
    assert response.status_code == 400
    assert not Signaal.objects.exists()


def test_a_retried_service_call_returns_the_first_signal(professional, wijk):
    token = uuid.uuid4()
    first, created = create(professional, wijk, intake_token=token)
    assert created
    again, created = create(professional, wijk, intake_token=token)
    assert again.pk == first.pk
    assert not created
    assert Signaal.objects.count() == 1


def test_withdrawing_or_expiring_a_signal_drops_its_vector_and_stems(
    professional, wijk
):
    from signalen.models import SignaalVector

    first, _r = create(professional, wijk)
    second, _r = create(professional, wijk, text="Tweede signaal over de flat.")
    for signaal in (first, second):
        SignaalVector.objects.update_or_create(
            signaal=signaal, defaults={"vector": b"\x00" * 8, "stems": "flat"}
        )
    services.signaal_withdraw(signaal=first, actor=professional, reason="dubbel")
    assert not SignaalVector.objects.filter(signaal=first).exists()
    services.signal_text_wipe_expired(
        now=timezone.now() + datetime.timedelta(days=10_000)
    )
    assert not SignaalVector.objects.exists()

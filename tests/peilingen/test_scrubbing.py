"""Open answers are scrubbed before they are stored, or sealed until a worker can."""

from __future__ import annotations

import pytest

from peilingen import services, tasks
from peilingen.models import Antwoord, Kanaal, PeilingStatus, VraagSoort
from signalen.intake import sealing
from signalen.intake.scrubbing import ScrubUnavailable
from tests.peilingen.conftest import make_peiling

TEXT = "Mevrouw Jansen (06-12345678, j.jansen@example.nl) zegt dat het pad donker is."
pytestmark = pytest.mark.django_db


@pytest.fixture
def open_peiling(wijk):
    return make_peiling(
        wijk,
        status=PeilingStatus.OPEN,
        questions=[(VraagSoort.OPEN, "Wat wilt u kwijt?", [])],
    )


def submit(peiling, bewoner, text=TEXT):
    vraag = peiling.vragen.get()
    return services.response_submit(
        peiling=peiling,
        channel=Kanaal.ONLINE,
        answers={vraag.pk: text},
        consent=True,
        user=bewoner,
    )


@pytest.mark.real_scrubber
def test_an_open_answer_is_stored_without_name_phone_or_email(open_peiling, bewoner):
    respons = submit(open_peiling, bewoner)
    antwoord = respons.antwoorden.get()
    assert "Jansen" not in antwoord.text
    assert "06-12345678" not in antwoord.text
    assert "example.nl" not in antwoord.text
    assert "pad" in antwoord.text
    assert "donker" in antwoord.text
    assert antwoord.text_sealed is None
    assert not antwoord.scrub_pending


@pytest.fixture
def scrubber_down(monkeypatch):
    def down(*args, **kwargs):
        raise ScrubUnavailable("broker down")

    monkeypatch.setattr(services, "text_scrub", down)


@pytest.fixture
def sent(monkeypatch):
    ids: list[int] = []
    monkeypatch.setattr(services, "pending_scrub_send", ids.extend)
    return ids


@pytest.mark.real_scrubber
def test_with_the_scrubber_down_the_answer_is_sealed_then_scrubbed_by_the_worker(
    open_peiling, bewoner, scrubber_down, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        respons = submit(open_peiling, bewoner)
    antwoord = respons.antwoorden.get()
    # Never in plain text: not in the text field, and the sealed bytes are encrypted.
    assert antwoord.text == ""
    assert antwoord.scrub_pending
    sealed = bytes(antwoord.text_sealed)
    assert b"Jansen" not in sealed
    assert b"06-12345678" not in sealed
    assert sealing.unseal(sealed) == TEXT
    assert sent == [antwoord.pk]

    assert services.answer_scrub_pending(antwoord_id=antwoord.pk) is True
    antwoord.refresh_from_db()
    assert antwoord.text_sealed is None
    assert not antwoord.scrub_pending
    assert "Jansen" not in antwoord.text
    assert "donker" in antwoord.text
    # Twice is harmless.
    assert services.answer_scrub_pending(antwoord_id=antwoord.pk) is False


def test_the_sweep_sends_every_waiting_answer_again(
    open_peiling, bewoner, scrubber_down, sent
):
    respons = submit(open_peiling, bewoner)
    sent.clear()
    assert tasks.answer_scrub_pending_sweep() == 1
    assert sent == [respons.antwoorden.get().pk]


def test_a_pending_answer_is_not_shown_to_the_team_before_it_is_scrubbed(
    open_peiling, bewoner, scrubber_down, sent
):
    from peilingen.queries import open_answers

    submit(open_peiling, bewoner)
    (row,) = open_answers(open_peiling)
    assert row.pending
    assert row.text == ""


def test_the_answer_stand_in_scrubber_is_used_on_every_open_answer(
    open_peiling, bewoner
):
    """(With the stand-in of conftest.py.) Nothing else reaches the database."""
    submit(open_peiling, bewoner)
    assert Antwoord.objects.get().text.startswith("Mevrouw [naam]")

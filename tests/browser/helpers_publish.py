"""Publishing a theme's public text in the browser: preview, send, and (four eyes) a
colleague's approval, done through the service so the journey can go on."""

from __future__ import annotations

from playwright.sync_api import expect

from signalen.answers.publication import publication_approve, publication_pending
from signalen.models import WijkThema
from tests.signalen.helpers import second_professional


def warm_scrubber() -> None:
    """Load deduce before a page waits on it (45 s under load)."""
    from signalen.intake.scrubbing import text_scrub

    text_scrub("warm", keep=[])


def preview_and_send(page) -> None:
    page.get_by_role("button", name="Bekijk hoe het wordt verstuurd").click()
    expect(page.get_by_role("heading", name="Zo wordt het verstuurd")).to_be_visible()
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_text("Wacht op goedkeuring (vier ogen)")).to_be_visible()


def colleague_approves(thema: WijkThema, *, author) -> None:
    proposal = publication_pending(thema)
    assert proposal is not None
    publication_approve(
        actor=second_professional(thema, not_user=author), publicatie=proposal
    )

"""Four eyes on a public call (issue 15 item 1), on a phone: the professional sees the
scrubbed text before sending ("Zo wordt het verstuurd"), a colleague approves it, and
only then is the theme public, without the planted name and number. axe-core clean."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from accounts.mfa import totp_activate
from accounts.models import Role
from signalen.models import ThemaStatus, ThemaZichtbaarheid, WijkThema
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go, log_in
from tests.conftest import TOTP_SECRET
from tests.factories import UserFactory

CALL = "Riet (87) van de Dorpsstraat 12 zoekt gezelschap. Tel 06-12345678."


def test_a_call_is_previewed_scrubbed_and_public_after_a_colleague_approves(
    page, professional, team, wijk
):
    colleague = UserFactory(
        email="collega@example.nl", display_name="Carla Collega", role=Role.PROFESSIONAL
    )
    team.members.add(colleague)
    totp_activate(user=colleague, secret=TOTP_SECRET)
    today = timezone.localdate()
    thema = WijkThema.objects.create(
        wijk=wijk,
        label="gezelschap, ouderen",
        keywords=["gezelschap", "ouderen"],
        size=8,
        authors=2,
        status=ThemaStatus.ERKEND,
        visibility=ThemaZichtbaarheid.GEMEENTE,
        first_observed_on=today - datetime.timedelta(days=40),
        last_observed_on=today,
    )
    # Load deduce before the clock of the page starts (45 s under load here).
    from signalen.intake.scrubbing import text_scrub

    text_scrub("warm", keep=[])
    page.set_viewport_size({"width": 375, "height": 812})
    page.set_default_timeout(45_000)  # the scrubber loads on the first preview

    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, f"/signalen/themas/{thema.pk}/openbaar/")
    page.get_by_label("Openbare titel").fill("Ouderen zoeken gezelschap")
    page.get_by_label("Openbare tekst").fill(CALL)
    page.get_by_role("button", name="Bekijk hoe het wordt verstuurd").click()
    expect(page.get_by_role("heading", name="Zo wordt het verstuurd")).to_be_visible()
    preview = page.locator("section", has=page.get_by_role("heading", name="Zo wordt"))
    expect(preview).to_contain_text("[NAAM]")
    expect(preview).not_to_contain_text("Riet")
    expect(preview).not_to_contain_text("06-12345678")
    assert_accessible(page, context="preview of the public text on a phone")
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_text("Wacht op goedkeuring (vier ogen)")).to_be_visible()
    expect(
        page.get_by_role("button", name="Goedkeuren en openbaar maken")
    ).to_have_count(0)
    assert_accessible(page, context="theme page, own text waits for a colleague")
    assert go(page, f"/themas/{thema.pk}/").status == 404

    page.context.clear_cookies()
    log_in(page, colleague, totp_secret=TOTP_SECRET)
    go(page, f"/signalen/themas/{thema.pk}/")
    assert_accessible(page, context="theme page, a colleague may approve")
    page.get_by_role("button", name="Goedkeuren en openbaar maken").click()
    expect(page.get_by_text("U hebt de tekst goedgekeurd")).to_be_visible()

    page.context.clear_cookies()
    go(page, f"/themas/{thema.pk}/")
    expect(page.locator("h1")).to_have_text("Ouderen zoeken gezelschap")
    body = page.content().lower()
    assert "riet" not in body
    assert "06-12345678" not in body
    assert_accessible(page, context="public theme page on a phone")

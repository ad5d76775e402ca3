"""Issue 17 item 1 on a phone: the quick log answers at once ("Opgeslagen, wordt nog
geanonimiseerd"), and the confirm page shows the scrubbed text and what was removed as
soon as the worker has scrubbed it, without a reload; axe-core clean in both states."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from signalen.intake import services
from signalen.intake.scrubbing import text_scrub
from signalen.models import Signaal
from tests.browser.conftest import assert_accessible
from tests.browser.phone_crawl import PHONE_VIEWPORT
from tests.browser.test_foundation import go, log_in
from tests.conftest import TOTP_SECRET


@pytest.fixture
def queued(monkeypatch):
    """The scrub worker is busy: the ids wait here until the test runs their scrub."""
    text_scrub("Warm maken", timeout=60)  # load deduce before the browser's clock
    ids: list[int] = []
    monkeypatch.setattr(services, "pending_scrub_send", ids.append)
    return ids


def test_the_scrubbed_text_appears_on_the_phone_without_a_reload(
    page, professional, wijk, taxonomy, queued
):
    page.set_viewport_size(PHONE_VIEWPORT)
    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, "/signalen/nieuw/")
    page.get_by_label("Waar gaat het over?").select_option(
        label="Geldzorgen en schulden"
    )
    page.get_by_label("Hoe weet u dit?").select_option(label="Huisbezoek")
    page.get_by_label("Wat ziet of hoort u?").fill(
        "Mevrouw Jansen vertelde dat veel gezinnen in haar portiek de "
        "energierekening niet kunnen betalen. Bel haar op 06-12345678."
    )
    page.get_by_role("button", name="Signaal opslaan").click()

    # Saved at once, the text still sealed.
    expect(page.locator("h1")).to_contain_text("Het signaal is opgeslagen")
    text_part = page.locator("[data-bw-holder=text]")
    expect(text_part).to_have_attribute("aria-live", "polite")
    expect(text_part).to_contain_text("Opgeslagen, wordt nog geanonimiseerd")
    expect(page.get_by_role("link", name="Kijk of de tekst klaar is")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Jansen")
    assert_accessible(page, context="confirm page, text pending (phone)")
    url = page.url

    # The worker scrubs it; the page's script fetches the new part by itself.
    signaal = Signaal.objects.get()
    assert queued == [signaal.pk]
    services.signal_scrub_pending(signaal_id=signaal.pk)
    stored = page.locator(".bw-signaal-text")
    expect(stored).to_contain_text("energierekening", timeout=30_000)
    expect(stored).not_to_contain_text("06-12345678")
    expect(stored).not_to_contain_text("Jansen")
    removed = page.locator(".bw-signaal-removals")
    expect(removed).to_contain_text("06-12345678")
    expect(removed).to_contain_text("Jansen")
    expect(page.get_by_role("link", name="Kijk of de tekst klaar is")).to_have_count(0)
    assert page.url == url  # no reload, no navigation
    assert_accessible(page, context="confirm page, text scrubbed (phone)")

    # No horizontal scrolling on the phone.
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    )


def test_without_javascript_the_link_shows_the_scrubbed_text(
    browser, live_server, client, professional, wijk, taxonomy, queued
):
    client.force_login(professional)  # a session for the browser without scripts
    context = browser.new_context(
        java_script_enabled=False, viewport=PHONE_VIEWPORT, locale="nl-NL"
    )
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.base_url = live_server.url
    try:
        go(page, "/signalen/nieuw/")
        page.get_by_label("Waar gaat het over?").select_option(
            label="Geldzorgen en schulden"
        )
        page.get_by_label("Hoe weet u dit?").select_option(label="Huisbezoek")
        page.get_by_label("Wat ziet of hoort u?").fill(
            "Veel gezinnen kunnen de energierekening niet betalen."
        )
        page.get_by_role("button", name="Signaal opslaan").click()
        expect(page.locator("main")).to_contain_text(
            "Opgeslagen, wordt nog geanonimiseerd"
        )
        services.signal_scrub_pending(signaal_id=Signaal.objects.get().pk)
        page.get_by_role("link", name="Kijk of de tekst klaar is").click()
        expect(page.locator(".bw-signaal-text")).to_contain_text("energierekening")
    finally:
        context.close()

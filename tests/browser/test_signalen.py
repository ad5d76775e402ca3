"""A professional logs signals on a phone: MFA login, three signals, scrubbing shown,
axe-core clean on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from signalen.intake.scrubbing import text_scrub
from signalen.models import Signaal
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go, log_in
from tests.conftest import TOTP_SECRET
from tests.factories import BuurtFactory

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def taxonomy(taxonomy):
    """The seeded taxonomy (tests/conftest.py), and the scrubber warmed up."""
    # Load the scrubber (deduce) before the clock of the first click starts.
    text_scrub("Warm maken", timeout=60)
    return taxonomy


def log_signal(page, *, categorie: str, bron: str, text: str, doelgroep: str = ""):
    page.get_by_label("Waar gaat het over?").select_option(label=categorie)
    if doelgroep:
        # Target groups are folded away on the form (optional).
        page.get_by_text("Wie gaat het aan? Kies doelgroepen").click()
        page.get_by_label(doelgroep, exact=True).check()
    page.get_by_label("Hoe weet u dit?").select_option(label=bron)
    page.get_by_label("Wat ziet of hoort u?").fill(text)
    page.get_by_role("button", name="Signaal opslaan").click()
    expect(page.locator("h1")).to_contain_text("Het signaal is opgeslagen")


def test_a_professional_logs_three_signals_on_a_phone(
    page, professional, wijk, taxonomy
):
    BuurtFactory(code="BU04390101", name="Binnenstad", wijk=wijk)
    page.set_viewport_size(PHONE)
    log_in(page, professional, totp_secret=TOTP_SECRET)

    page.get_by_role("link", name="Signalen").first.click()
    expect(page.locator("h1")).to_contain_text("Signalen van uw team")
    assert_accessible(page, context="empty team list (phone)")

    page.get_by_role("link", name="Signaal doorgeven").first.click()
    expect(page.locator("h1")).to_contain_text("Signaal doorgeven")
    expect(page.get_by_text("Veilig Thuis")).to_be_visible()
    assert_accessible(page, context="quick-log form (phone)")

    # The text counter (static JS) follows the typing.
    page.get_by_label("Wat ziet of hoort u?").fill("Twaalf tekens")
    expect(page.locator("#id_text_counter")).to_have_text("13 / 1000")

    # 1: a name and a phone number, which are scrubbed and shown once.
    log_signal(
        page,
        categorie="Geldzorgen en schulden",
        bron="Huisbezoek",
        doelgroep="Gezinnen met kinderen",
        text="Mevrouw Jansen vertelde dat veel gezinnen in haar portiek de "
        "energierekening niet kunnen betalen. Bel haar op 06-12345678.",
    )
    removed = page.locator(".bw-signaal-removals")
    expect(removed).to_contain_text("06-12345678")
    expect(removed).to_contain_text("Jansen")
    stored = page.locator(".bw-signaal-text")
    expect(stored).not_to_contain_text("06-12345678")
    expect(stored).not_to_contain_text("Jansen")
    assert_accessible(page, context="confirmation with removals (phone)")

    # 2 and 3 via "Nog een signaal".
    page.get_by_role("link", name="Nog een signaal").click()
    log_signal(
        page,
        categorie="Eenzaamheid",
        bron="Op straat of bij een ontmoeting",
        doelgroep="Ouderen",
        text="Bij het bankje op het plein zitten elke dag dezelfde ouderen alleen.",
    )
    expect(page.get_by_text("geen persoonsgegevens")).to_be_visible()
    page.get_by_role("link", name="Nog een signaal").click()
    page.locator("#id_buurt").select_option(label="Binnenstad")
    log_signal(
        page,
        categorie="Wonen en woonoverlast",
        bron="Partner: woningcorporatie",
        text="Schimmel in veel huurwoningen aan de oostkant, <b>al maanden</b>.",
    )
    expect(page.locator(".bw-signaal-text")).to_contain_text("<b>al maanden</b>")

    assert Signaal.objects.count() == 3
    assert not Signaal.objects.filter(text__contains="06-12345678").exists()

    page.get_by_role("link", name="Naar de signalen van uw team").click()
    expect(page.locator(".bw-signaal-item")).to_have_count(3)
    assert_accessible(page, context="team list (phone)")

    page.locator(".bw-signaal-item a").first.click()
    expect(page.locator("h1")).to_contain_text("Signaal")
    assert_accessible(page, context="signal detail (phone)")

    page.get_by_role("link", name="Intrekken").first.click()
    assert_accessible(page, context="withdraw (phone)")
    page.get_by_label("Ik heb dit signaal dubbel gemeld").check()
    page.get_by_role("button", name="Signaal intrekken").click()
    expect(page.locator(".bw-signaal-item")).to_have_count(2)

    go(page, "/signalen/bulk/")
    assert_accessible(page, context="bulk entry (phone)")


def test_bad_input_is_shown_accessibly_with_input_kept(
    page, professional, wijk, taxonomy
):
    page.set_viewport_size(PHONE)
    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, "/signalen/nieuw/")
    page.get_by_label("Wat ziet of hoort u?").fill("Tekst blijft staan")
    page.get_by_role("button", name="Signaal opslaan").click()
    expect(page.locator(".bw-error-summary")).to_contain_text(
        "Kies waar het signaal over gaat"
    )
    expect(page.get_by_label("Wat ziet of hoort u?")).to_have_value(
        "Tekst blijft staan"
    )
    assert_accessible(page, context="quick-log form with errors (phone)")
    assert not Signaal.objects.exists()

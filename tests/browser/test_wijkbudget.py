"""The wijkbudget end to end on a phone (390 px), axe-core on every page: an officer
opens a round and prints codes, an organiser asks, the wijkteam advises, a resident
votes with the code of the household's letter (logged in) and a neighbour without an
account with another, the officer decides after closing, the organiser accounts with a receipt, anyone reads the
results; and the round page in English."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from initiatieven.models import Initiatief
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go, log_in
from tests.conftest import TOTP_SECRET
from wijkbudget import services
from wijkbudget.models import Aanvraag, Ronde, Stembiljet, Uitgave

PHONE = {"width": 390, "height": 844}
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _quick_scrubber(monkeypatch):
    from signalen.intake.staff_text import ScrubbedText

    monkeypatch.setattr(
        "wijkbudget.services.staff_text_scrub",
        lambda text, **kw: ScrubbedText(original=text, text=text, removed=()),
    )


def log_out(page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def fits_on_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def check(page, context: str) -> None:
    assert_accessible(page, context=context)
    fits_on_the_phone(page)


def move_round(ronde: Ronde, phase: str) -> None:
    """Shift the round's dates so that today falls in `phase`."""
    today = timezone.localdate()
    if phase == "stemmen":
        dates = (today - 20 * DAY, today - 10 * DAY, today - 2 * DAY, today + 10 * DAY)
    else:  # gesloten
        dates = (today - 40 * DAY, today - 30 * DAY, today - 20 * DAY, today - DAY)
    Ronde.objects.filter(pk=ronde.pk).update(
        requests_open=dates[0],
        requests_close=dates[1],
        vote_open=dates[2],
        vote_close=dates[3],
    )


def test_a_budget_round_from_opening_to_accounting_on_a_phone(
    page, wijk, bewoner, professional, ambtenaar, tmp_path
):
    page.set_viewport_size(PHONE)
    initiatief = Initiatief.objects.create(
        title="Wandelclub De Wagenweg",
        summary="Elke dinsdag wandelen.",
        wijk=wijk,
        owner=bewoner,
    )
    today = timezone.localdate()

    # The officer opens a round from the wijk page.
    log_in(page, ambtenaar, totp_secret=TOTP_SECRET)
    go(page, wijk.get_absolute_url())
    page.get_by_role("link", name="Nieuwe ronde openen").click()
    page.wait_for_url(re.compile(r"/wijkbudget/nieuw/"))
    check(page, "new round form")
    page.get_by_label("Titel").fill("Wijkbudget Centrum")
    page.get_by_label("Budget in euro").fill("2000")
    page.get_by_label("Spelregels").fill("Plannen voor de hele wijk.")
    page.get_by_label("Aanvragen vanaf").fill(today.isoformat())
    page.get_by_label("Aanvragen tot en met").fill((today + 5 * DAY).isoformat())
    page.get_by_label("Stemmen vanaf").fill((today + 7 * DAY).isoformat())
    page.get_by_label("Stemmen tot en met").fill((today + 20 * DAY).isoformat())
    page.get_by_role("button", name="Ronde openen").click()
    page.wait_for_url(re.compile(r"/wijkbudget/\d+/$"))
    expect(page.locator("h1")).to_have_text("Wijkbudget Centrum")
    check(page, "round page (officer)")
    ronde = Ronde.objects.get()

    page.get_by_role("link", name="Stemcodes maken en printen").click()
    check(page, "codes page")
    k = django_settings.K_ANONYMITY
    page.get_by_label("Hoeveel codes?").fill(str(k))
    page.get_by_role("button", name="Codes maken").click()
    expect(page.locator(".bw-codecard")).to_have_count(k)
    check(page, "print sheet")
    codes = page.locator(".bw-codecard__code").all_inner_texts()
    code = codes[1]
    log_out(page)

    # The organiser asks for money from the initiative's page.
    log_in(page, bewoner)
    go(page, initiatief.get_absolute_url())
    page.locator("#wijkbudget").get_by_role("link", name="Budget aanvragen").click()
    check(page, "request form")
    page.get_by_label("Hoeveel geld vraagt u? (in euro)").fill("800")
    page.get_by_label("Waar is het geld voor?").fill("Bankjes langs de route.")
    page.get_by_label("Begroting").fill("Twee bankjes 700\nKoffie 100")
    page.get_by_role("button", name="Aanvraag indienen").click()
    expect(page.get_by_text("Uw aanvraag staat in de ronde.")).to_be_visible()
    check(page, "request page (organiser)")
    aanvraag = Aanvraag.objects.get()
    log_out(page)

    # The wijkteam advises.
    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, aanvraag.get_absolute_url())
    page.get_by_role("link", name="Advies geven").click()
    check(page, "advice form")
    page.get_by_label("Haalbaar", exact=True).check()
    page.get_by_label("Toelichting").fill("Goed plan voor ouderen.")
    page.get_by_role("button", name="Advies opslaan").click()
    expect(page.get_by_text("Goed plan voor ouderen.")).to_be_visible()
    log_out(page)

    # Voting weeks: codes went to every address, so the resident votes with the code
    # of the household's letter, also when logged in (one vote per address)...
    move_round(ronde, "stemmen")
    log_in(page, bewoner)
    go(page, ronde.get_absolute_url())
    check(page, "round page while voting (resident)")
    page.get_by_role("link", name="Naar het stembiljet").click()
    expect(
        page.get_by_text("Ook met een account stemt u met die code.")
    ).to_be_visible()
    check(page, "ballot (account)")
    page.get_by_label("Wandelclub De Wagenweg: € 800").check()
    expect(page.locator(".bw-budget-sum")).to_contain_text("800")
    page.get_by_label("Uw stemcode").fill(codes[0])
    page.get_by_role("button", name="Stem uitbrengen").click()
    expect(page.locator("h1")).to_have_text("Dank u wel voor uw stem")
    check(page, "thanks")
    log_out(page)

    # ...and a neighbour without an account with the printed code.
    go(page, f"/wijkbudget/{ronde.pk}/stemmen/")
    check(page, "ballot (code)")
    page.get_by_label("Wandelclub De Wagenweg: € 800").check()
    page.get_by_label("Uw stemcode").fill(code)
    page.get_by_role("button", name="Stem uitbrengen").click()
    expect(page.locator("h1")).to_have_text("Dank u wel voor uw stem")
    assert Stembiljet.objects.filter(ronde=ronde).count() == 2
    # The same code a second time is refused.
    go(page, f"/wijkbudget/{ronde.pk}/stemmen/")
    page.get_by_label("Wandelclub De Wagenweg: € 800").check()
    page.get_by_label("Uw stemcode").fill(code)
    page.get_by_role("button", name="Stem uitbrengen").click()
    expect(page.get_by_text("Met deze stemcode is al gestemd.").first).to_be_visible()
    check(page, "ballot with an error")
    assert Stembiljet.objects.filter(ronde=ronde).count() == 2
    # The other households vote too (K ballots in all, so the totals can be shown).
    ronde.refresh_from_db()  # move_round changed its dates in the database
    for other in codes[2:]:
        services.vote_with_code(ronde=ronde, code=other, chosen_ids=[aanvraag.pk])

    # Closed: the officer decides.
    move_round(ronde, "gesloten")
    # allauth refuses a TOTP code used once already (within its window): the officer's
    # second login of this test may fall in the same window as the first.
    cache.clear()
    log_in(page, ambtenaar, totp_secret=TOTP_SECRET)
    go(page, aanvraag.get_absolute_url())
    page.get_by_role("link", name="Besluit vastleggen").click()
    check(page, "decision form")
    page.get_by_label("Toegekend", exact=True).check()
    page.get_by_label("Toegekend bedrag in euro").fill("750")
    page.get_by_label("Reden").fill("Veel stemmen en een positief advies.")
    page.get_by_role("button", name="Besluit opslaan").click()
    expect(page.get_by_text("Het besluit is vastgelegd.")).to_be_visible()
    log_out(page)

    # The organiser accounts for the money with a receipt.
    receipt = tmp_path / "bon.png"
    Image.new("RGB", (300, 400), (240, 240, 240)).save(receipt, format="PNG")
    log_in(page, bewoner)
    go(page, aanvraag.get_absolute_url())
    page.get_by_role("link", name="Uitgave toevoegen").click()
    check(page, "spending form")
    page.get_by_label("Bedrag in euro").fill("349,95")
    page.get_by_label("Waaraan is het geld besteed?").fill("Twee bankjes.")
    page.get_by_label("Datum van de uitgave").fill(today.isoformat())
    page.set_input_files("input[name=receipt]", str(receipt))
    page.get_by_label("Wat staat er op de bon?").fill("Bon van de bouwmarkt")
    page.get_by_role("button", name="Uitgave opslaan").click()
    expect(page.get_by_role("img", name="Bon van de bouwmarkt")).to_be_visible()
    check(page, "request page with spending")
    assert Uitgave.objects.count() == 1
    log_out(page)

    # Anyone reads the results.
    go(page, f"/wijkbudget/{ronde.pk}/uitslag/")
    expect(page.get_by_text(f"{k} bewoners hebben gestemd.")).to_be_visible()
    check(page, "results")
    go(page, "/wijkbudget/")
    check(page, "round list")

    # And in English.
    page.select_option("#bw-language", "en")
    page.get_by_role("button", name="Kies").click()
    go(page, ronde.get_absolute_url())
    expect(page.get_by_role("heading", name="How voting works")).to_be_visible()
    check(page, "round page in English")


def test_a_beheerder_opens_a_round_in_any_gemeente_on_a_phone(
    page, beheerder, outsider_wijk
):
    page.set_viewport_size(PHONE)
    today = timezone.localdate()
    log_in(page, beheerder, totp_secret=TOTP_SECRET)
    go(page, "/wijkbudget/")
    page.get_by_role("link", name="Nieuwe ronde openen").click()
    page.get_by_label("Wijk").select_option(str(outsider_wijk.pk))
    page.get_by_label("Titel").fill("Wijkbudget Hoorn")
    page.get_by_label("Budget in euro").fill("0")
    page.get_by_label("Spelregels").fill("Voor iedereen.")
    page.get_by_label("Aanvragen vanaf").fill((today + DAY).isoformat())
    page.get_by_label("Aanvragen tot en met").fill((today + 5 * DAY).isoformat())
    page.get_by_label("Stemmen vanaf").fill((today + 3 * DAY).isoformat())
    page.get_by_label("Stemmen tot en met").fill((today + 20 * DAY).isoformat())
    page.get_by_role("button", name="Ronde openen").click()
    expect(page.locator(".bw-error-summary")).to_be_visible()
    check(page, "round form with errors")
    page.get_by_label("Budget in euro").fill("3000")
    page.get_by_label("Stemmen vanaf").fill((today + 7 * DAY).isoformat())
    page.get_by_role("button", name="Ronde openen").click()
    page.wait_for_url(re.compile(r"/wijkbudget/\d+/$"))
    expect(page.get_by_text("Aangekondigd")).to_be_visible()
    check(page, "announced round (beheerder)")
    assert Ronde.objects.get().wijk == outsider_wijk

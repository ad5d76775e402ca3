"""Waar kan iemand terecht? (issue 19 item 3) on a 390 px phone, in Dutch and English:
the confirm page of a new signal shows what exists for it, one tap counts "informele
hulp eerst aangeboden", one tap makes the resident's card, which holds nothing of the
signal and opens without an account; axe-core clean on every page."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from signalen.models import Doelgroep, InformeleHulpTelling
from tests.browser.conftest import assert_accessible
from tests.browser.phone_crawl import PHONE_VIEWPORT
from tests.browser.test_foundation import go, log_in
from tests.conftest import TOTP_SECRET
from tests.initiatieven.factories import InitiatiefFactory
from tests.signalen.helpers import make_signaal
from tests.wijken.test_plekken_models import contact_data, plek_data
from wijken import services as wijken_services

SECRET_TEXT = "Meneer op drie hoog komt de deur niet meer uit sinds zijn vrouw stierf."


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_from_signal_to_card_on_a_phone(
    page, professional, team, wijk, taxonomy, language
):
    from initiatieven.models import Thema

    thema, _ = Thema.objects.get_or_create(
        code="eenzaamheid", defaults={"name": "Eenzaamheid"}
    )
    InitiatiefFactory(
        title="Eettafel voor ouderen",
        summary="Elke vrijdag samen eten.",
        wijk=wijk,
        status="actief",
        when="Vrijdag 17.30 uur",
        themas=[thema],
    )
    wijken_services.plek_create(wijk=wijk, data=plek_data())
    wijken_services.contact_save(wijk=wijk, data=contact_data())
    signaal = make_signaal(
        author=professional,
        team=team,
        text=SECRET_TEXT,
        doelgroepen=[Doelgroep.objects.get(code="ouderen")],
    )
    page.set_viewport_size(PHONE_VIEWPORT)
    page.context.add_cookies(
        [
            {
                "name": settings.LANGUAGE_COOKIE_NAME,
                "value": language,
                "url": page.base_url,
            }
        ]
    )
    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, f"/signalen/{signaal.pk}/opgeslagen/")
    panel = page.locator(".bw-terecht")
    expect(panel).to_contain_text("Eettafel voor ouderen")
    expect(panel).to_contain_text("Buurthuis De Kerkuil")
    expect(panel).to_contain_text("14 0299")
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page, context=f"confirm page with the panel ({language})")
    assert no_sideways_scroll(page)

    # The same lookup without a signal, between two visits.
    go(page, f"/signalen/terecht/{wijk.code}/?categorie=eenzaamheid&doelgroep=ouderen")
    expect(page.locator(".bw-terecht")).to_contain_text("Eettafel voor ouderen")
    assert_accessible(page, context=f"the lookup page ({language})")
    assert no_sideways_scroll(page)
    go(page, f"/signalen/{signaal.pk}/opgeslagen/")

    # One tap counts; nothing of who or which signal is kept.
    panel.locator(".bw-terecht-offered button").click()
    expect(page.locator(".bw-terecht")).to_be_visible()
    assert InformeleHulpTelling.objects.get(wijk=wijk).count == 1
    assert_accessible(page, context=f"confirm page after counting ({language})")

    # One tap makes the card.
    page.locator(".bw-terecht-form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(wijk.name)
    card_url = page.url
    assert "/terecht/" in card_url
    main = page.locator("main")
    expect(main).to_contain_text("Eettafel voor ouderen")
    expect(main).to_contain_text("Buurthuis De Kerkuil")
    expect(main).to_contain_text("14 0299")
    expect(main).not_to_contain_text("drie hoog")
    expect(main).not_to_contain_text("Eenzaamheid")
    expect(main).not_to_contain_text(professional.display_name)
    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("[data-bw-print-button]")).to_be_visible()
    assert_accessible(page, context=f"the card ({language})")
    assert no_sideways_scroll(page)

    # The resident opens it without an account, in the other language too.
    page.context.clear_cookies()
    go(page, card_url.split(page.base_url)[1])
    expect(page.locator("main")).to_contain_text("Eettafel voor ouderen")
    other = (
        "This card in English" if language == "nl" else "Deze kaart in het Nederlands"
    )
    page.get_by_role("link", name=other).click()
    expected = "en" if language == "nl" else "nl"
    expect(page.locator("html")).to_have_attribute("lang", expected)
    assert_accessible(page, context=f"the card, switched to {expected}")
    assert no_sideways_scroll(page)

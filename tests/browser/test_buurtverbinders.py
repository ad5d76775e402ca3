"""Issue #20 item 4, buurtverbinders, end to end on a phone (390 px): the wijkteam
grants the role, a resident lets connectors see their offer, the connector proposes a
match and logs a contact, both sides say yes and only then see each other's name; in
Dutch and in English. axe-core finds no serious or critical violation on any page, and
no page scrolls sideways."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from buurtverbinders import services
from buurtverbinders.models import Verbinder
from initiatieven.models import Aanbod, Behoefte, BehoefteKind, Initiatief, Status
from tests.browser.phone_crawl import PHONE_VIEWPORT
from tests.browser.test_foundation import go, log_in
from tests.browser.test_peilingen import check, log_in_resident
from tests.conftest import TOTP_SECRET
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _phone(page):
    page.set_viewport_size(PHONE_VIEWPORT)


@pytest.fixture
def organiser(wijk):
    return UserFactory(
        email="org@example.nl", display_name="Olga Organisator", wijk=wijk
    )


@pytest.fixture
def helper(wijk):
    user = UserFactory(email="helper@example.nl", display_name="Henk Helper", wijk=wijk)
    Aanbod.objects.create(user=user, talents="Ik heb een bakfiets")
    return user


@pytest.fixture
def behoefte(wijk, organiser):
    initiatief = Initiatief.objects.create(
        wijk=wijk,
        title="Boodschappenmaatje",
        summary="Boodschappen voor buren",
        owner=organiser,
        status=Status.ACTIEF,
    )
    return Behoefte.objects.create(
        initiatief=initiatief,
        kind=BehoefteKind.VRIJWILLIGERS,
        description="Iemand op dinsdag",
    )


def test_grant_consent_match_and_confirm_on_a_phone(
    page, professional, bewoner, helper, organiser, behoefte, wijk
):
    # The team grants the role.
    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, f"/buurtverbinders/wijk/{wijk.code}/team/")
    check(page, "team page")
    page.get_by_label("E-mailadres van de bewoner").fill("<b>x</b>")
    page.get_by_role("button", name="Rol geven").click()
    check(page, "team page with an error")
    page.get_by_label("E-mailadres van de bewoner").fill(bewoner.email)
    page.get_by_role("button", name="Rol geven").click()
    expect(page.get_by_text("Bea Bewoner")).to_be_visible()
    check(page, "team page with a connector")
    page.context.clear_cookies()

    # The helper lets connectors see the offer.
    log_in_resident(page, helper)
    go(page, "/buurtverbinders/")
    check(page, "index, resident")
    page.get_by_label("Buurtverbinders mogen mijn aanbod zien").check()
    page.get_by_role("button", name="Keuze bewaren").click()
    expect(page.get_by_text("Uw keuze is bewaard.")).to_be_visible()
    page.context.clear_cookies()

    # The connector proposes the match and logs it.
    log_in_resident(page, bewoner)
    go(page, "/buurtverbinders/")
    page.get_by_role("link", name="Uw pagina als buurtverbinder").click()
    check(page, "workspace")
    page.get_by_label("Vraag", exact=True).select_option(str(behoefte.pk))
    page.get_by_label("Aanbod", exact=True).select_option(str(helper.pk))
    page.get_by_role("button", name="Voorstellen").click()
    expect(page.get_by_text("De koppeling is voorgesteld.")).to_be_visible()
    page.get_by_label("Soort contact").select_option("koppeling")
    page.get_by_label("Datum").fill("2000-01-01")
    page.get_by_role("button", name="In het logboek zetten").click()
    expect(page.locator(".bw-error-summary")).to_be_visible()
    check(page, "workspace with an error")
    page.get_by_label("Datum").fill(
        page.evaluate("new Date().toISOString().slice(0,10)")
    )
    page.get_by_role("button", name="In het logboek zetten").click()
    expect(page.get_by_text("Het staat in uw logboek.")).to_be_visible()
    page.context.clear_cookies()

    # Both sides say yes; names only then.
    log_in_resident(page, organiser)
    go(page, "/buurtverbinders/")
    expect(page.get_by_text("Henk Helper")).to_have_count(0)
    check(page, "index, organiser, before")
    page.get_by_role("button", name="Ja, ik wil contact").click()
    expect(page.get_by_text("Henk Helper")).to_have_count(0)
    page.context.clear_cookies()
    log_in_resident(page, helper)
    go(page, "/buurtverbinders/")
    page.get_by_role("button", name="Ja, ik wil contact").click()
    expect(page.get_by_text("org@example.nl")).to_be_visible()
    check(page, "index, helper, matched")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_connector_pages_in_both_languages(
    page, bewoner, helper, behoefte, wijk, language
):
    Verbinder.objects.create(user=bewoner, wijk=wijk)
    services.consent_set(user=helper, welcome=True, share_offer=True)
    page.context.add_cookies(
        [
            {
                "name": settings.LANGUAGE_COOKIE_NAME,
                "value": language,
                "url": page.base_url,
            }
        ]
    )
    log_in_resident(page, bewoner)
    go(page, "/buurtverbinders/")
    heading = "Buurtverbinders" if language == "nl" else "Neighbourhood connectors"
    expect(page.locator("h1")).to_contain_text(heading)
    check(page, f"index, {language}")
    go(page, f"/buurtverbinders/wijk/{wijk.code}/")
    welcome = (
        "Nieuwe bewoners die welkom geheten willen worden"
        if language == "nl"
        else "New residents who would like a welcome"
    )
    expect(page.get_by_role("heading", name=welcome)).to_be_visible()
    check(page, f"workspace, {language}")

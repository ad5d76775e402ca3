"""The collective loop in the browser: a professional links an initiative to a theme
and publishes it as a call; a visitor reads the public page; a resident of the wijk
adopts the theme and posts progress. axe-core clean on every page."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from signalen.kanon import block_start
from signalen.models import (
    Categorie,
    ThemaInitiatief,
    ThemaLid,
    ThemaStatus,
    ThemaTrekker,
    ThemaVoortgang,
    WijkThema,
)
from tests.browser.conftest import assert_accessible
from tests.browser.helpers_publish import (
    colleague_approves,
    preview_and_send,
    warm_scrubber,
)
from tests.browser.test_foundation import go, log_in
from tests.conftest import TOTP_SECRET
from tests.initiatieven.factories import InitiatiefFactory
from tests.signalen.helpers import make_signaal

SIGNAL_TEXT = "Ouderen in de flat zijn alleen sinds het buurthuis dicht is gegaan."


def test_a_theme_becomes_a_call_that_a_resident_adopts(
    page, professional, bewoner, team, wijk, taxonomy
):
    signalen = [
        # Dated in the last whole block of four weeks: sizes outside the team count
        # only blocks that are over (signalen.themes.queries.theme_outside_sizes).
        make_signaal(
            author=professional,
            team=team,
            text=SIGNAL_TEXT,
            observed_on=block_start(timezone.localdate()) - datetime.timedelta(days=1),
        )
        for _i in range(6)
    ]
    thema = WijkThema.objects.create(
        wijk=wijk,
        label="ouderen, flat, buurthuis",
        keywords=["ouderen", "flat", "buurthuis"],
        categorie=Categorie.objects.get(code="eenzaamheid"),
        status=ThemaStatus.ERKEND,
        size=6,
        authors=1,
        recent_count=6,
        last_observed_on=signalen[0].observed_on,
    )
    for signaal in signalen:
        ThemaLid.objects.create(thema=thema, signaal=signaal)
    initiatief = InitiatiefFactory(
        title="Koffie-ochtend voor ouderen in het buurthuis",
        summary="Elke week koffie en een praatje.",
        wijk=wijk,
        owner=bewoner,
        status="actief",
    )

    # The professional links the initiative and writes the public call.
    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, reverse("signalen:thema_detail", kwargs={"pk": thema.pk}))
    expect(page.get_by_role("heading", name="Wat is er al in de wijk?")).to_be_visible()
    expect(page.locator(".bw-answer-suggestions")).to_contain_text(initiatief.title)
    assert_accessible(page, context="theme with suggestions")

    page.locator(".bw-answer-suggestions").get_by_role(
        "button", name="Koppelen aan dit thema"
    ).first.click()
    expect(page.locator(".bw-messages")).to_contain_text("is gekoppeld aan dit thema")
    expect(page.locator(".bw-answer-linked")).to_contain_text(initiatief.title)
    expect(page.locator(".bw-thema-status")).to_have_text("opgepakt")
    assert_accessible(page, context="theme with a linked initiative")

    # Signal text in the public text is refused, and what was typed stays.
    warm_scrubber()
    page.get_by_label("Openbare titel", exact=True).fill("Ouderen zoeken een plek")
    page.get_by_label("Openbare tekst", exact=True).fill(SIGNAL_TEXT)
    page.get_by_role("button", name="Bekijk hoe het wordt verstuurd").click()
    expect(page.locator(".bw-error-summary")).to_contain_text("eigen woorden")
    expect(page.get_by_label("Openbare titel", exact=True)).to_have_value(
        "Ouderen zoeken een plek"
    )
    assert_accessible(page, context="public text refused")

    page.get_by_label("Openbare tekst", exact=True).fill(
        "Het wijkteam hoort dat ouderen een plek missen om elkaar te zien. "
        "Wilt u helpen?"
    )
    page.get_by_label("Oproep aan bewoners", exact=False).check()
    preview_and_send(page)
    assert_accessible(page, context="public text sent, waiting for a colleague")
    colleague_approves(thema, author=professional)

    go(page, reverse("signalen:feedback"))
    expect(page.locator(".bw-feedback")).to_contain_text(initiatief.title)
    assert_accessible(page, context="feedback on own signals")

    # A visitor reads the public page: no signal text, no small counts.
    page.context.clear_cookies()
    go(page, reverse("themas:detail", kwargs={"pk": thema.pk}))
    expect(page.locator("h1")).to_have_text("Ouderen zoeken een plek")
    expect(page.locator(".bw-public-size")).to_contain_text("6 keer")
    expect(page.locator("main")).not_to_contain_text(SIGNAL_TEXT)
    assert_accessible(page, context="public theme, anonymous")

    # A resident of the wijk adopts it and posts progress.
    log_in(page, bewoner)
    go(page, reverse("themas:detail", kwargs={"pk": thema.pk}))
    assert_accessible(page, context="public theme, resident")
    page.get_by_label("Toon mijn naam bij dit thema").check()
    page.get_by_role("button", name="Ik wil dit trekken").click()
    expect(page.locator(".bw-messages")).to_contain_text("U bent nu trekker")
    expect(page.locator(".bw-trekkers")).to_contain_text(bewoner.display_name)
    assert_accessible(page, context="theme adopted")

    page.get_by_label("Wat is er gebeurd?").fill("De eerste koffie-ochtend was vol.")
    page.get_by_role("button", name="Voortgang plaatsen").click()
    expect(page.locator(".bw-progress")).to_contain_text("De eerste koffie-ochtend")
    assert_accessible(page, context="progress posted")

    assert ThemaInitiatief.objects.filter(thema=thema, initiatief=initiatief).exists()
    assert ThemaTrekker.objects.filter(thema=thema, user=bewoner).exists()
    assert ThemaVoortgang.objects.filter(thema=thema).count() == 1

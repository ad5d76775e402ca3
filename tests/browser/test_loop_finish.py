"""The collective loop, finished (issue 7), in a browser: the team hides a resident's
progress update and takes a public call off the public pages with one button and a
reason; the officer of the gemeente comments on a wijk goal that counts down, and the
team answers on the same timeline. axe-core clean on every page."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from signalen.answers import services as answers
from signalen.models import (
    DoelReactie,
    DoelRichting,
    DoelVoortgang,
    ThemaGebeurtenis,
    ThemaStatus,
    ThemaVoortgang,
    ThemaZichtbaarheid,
    WijkDoel,
    WijkThema,
)
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go, log_in
from tests.conftest import TOTP_SECRET
from tests.signalen.helpers import publish_approved

PUBLIC_TITLE = "Buren zoeken een plek om samen te komen"
PUBLIC_TEXT = "Het wijkteam hoort vaak dat buren geen plek hebben om elkaar te zien."
UPDATE = "Wij zoeken nog mensen. Bel mij op 06-12345678."
COMMENT = "Goed dat de wachtlijst daalt. Lukt 15 voor de zomer?"
REPLY = "We denken van wel: er komt een extra spreekuur."


def test_the_team_hides_an_update_and_takes_the_call_off_the_public_pages(
    page, professional, bewoner, wijk
):
    today = timezone.localdate()
    thema = WijkThema.objects.create(
        wijk=wijk,
        label="buren, plek",
        name="Buren zonder plek",
        keywords=["buren", "plek"],
        size=8,
        status=ThemaStatus.ERKEND,
        visibility=ThemaZichtbaarheid.GEMEENTE,
        first_observed_on=today - datetime.timedelta(days=40),
        last_observed_on=today,
    )
    publish_approved(
        actor=professional,
        thema=thema,
        title=PUBLIC_TITLE,
        text=PUBLIC_TEXT,
        is_call=True,
    )
    answers.theme_adopt(user=bewoner, thema=thema, show_name=False)
    update = answers.theme_progress_post(user=bewoner, thema=thema, text=UPDATE)

    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, f"/themas/{thema.pk}/")
    expect(page.locator("h1")).to_have_text(PUBLIC_TITLE)
    page.get_by_text("Dit bericht verbergen").click()
    assert_accessible(page, context="public theme, team may hide an update")
    page.get_by_label("Waarom verbergt u dit bericht?").fill(
        "Er staat een telefoonnummer in"
    )
    page.get_by_role("button", name="Verbergen", exact=True).click()
    expect(page.locator(".bw-messages")).to_contain_text("Het bericht is verborgen")
    expect(page.locator("#verborgen-voortgang")).to_be_visible()
    assert_accessible(page, context="public theme with a hidden update (team)")
    update.refresh_from_db()
    assert update.is_hidden
    assert update.hidden_reason == "Er staat een telefoonnummer in"

    go(page, f"/signalen/themas/{thema.pk}/")
    page.get_by_role("button", name="Niet meer openbaar maken").click()
    expect(page.locator("h1")).to_have_text("Niet meer openbaar maken")
    assert_accessible(page, context="confirm: take the theme off the public pages")
    page.get_by_role("button", name="Ja, niet meer openbaar").click()
    expect(page.locator(".bw-error-summary")).to_contain_text("Schrijf kort waarom")
    assert_accessible(page, context="confirm without a reason")
    page.get_by_label("Waarom haalt u het thema van de openbare pagina's?").fill(
        "Er is een vaste plek gevonden"
    )
    page.get_by_role("button", name="Ja, niet meer openbaar").click()
    expect(page.locator(".bw-messages")).to_contain_text(
        "staat niet meer op de openbare pagina's"
    )
    expect(page.locator("main")).to_contain_text("Er is een vaste plek gevonden")
    assert_accessible(page, context="theme taken off the public pages (history)")
    thema.refresh_from_db()
    assert thema.visibility == ThemaZichtbaarheid.GEMEENTE
    assert thema.gebeurtenissen.filter(
        soort=ThemaGebeurtenis.Soort.UNPUBLISHED
    ).exists()
    assert ThemaVoortgang.objects.filter(pk=update.pk).exists()

    page.context.clear_cookies()
    response = go(page, f"/themas/{thema.pk}/")
    assert response.status == 410
    expect(page.locator("h1")).to_have_text("Dit thema is niet meer openbaar")
    assert PUBLIC_TEXT not in page.content()
    assert_accessible(page, context="old address of a theme no longer public")
    go(page, wijk.get_absolute_url())
    assert PUBLIC_TITLE not in page.content()


def test_the_officer_comments_on_a_goal_that_counts_down(
    page, professional, ambtenaar, team, wijk
):
    today = timezone.localdate()
    doel = WijkDoel.objects.create(
        wijk=wijk,
        team=team,
        title="Kortere wachtlijst voor schuldhulp",
        indicator="mensen op de wachtlijst",
        direction=DoelRichting.OMLAAG,
        start_value=40,
        target_value=15,
        start_date=today - datetime.timedelta(days=50),
        deadline=today + datetime.timedelta(days=50),
        created_by=professional,
        agreed_by=ambtenaar,
    )
    DoelVoortgang.objects.create(
        doel=doel,
        date=today - datetime.timedelta(days=2),
        value=30,
        note="Twee extra vrijwilligers",
        author=professional,
    )

    log_in(page, ambtenaar, totp_secret=TOTP_SECRET)
    go(page, f"/signalen/doelen/{doel.pk}/")
    expect(page.locator("h1")).to_have_text(doel.title)
    expect(page.locator(".bw-goal-text")).to_contain_text(
        "nu 30, doel hoogstens 15 (40% van de weg vanaf 40)"
    )
    assert_accessible(page, context="goal that counts down (officer)")
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.locator(".bw-error-summary")).to_contain_text("Schrijf uw reactie.")
    assert_accessible(page, context="empty comment refused")
    page.get_by_label("Uw reactie").fill(COMMENT)
    page.get_by_label("Over").select_option(index=1)
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.locator(".bw-messages")).to_contain_text("Uw reactie is geplaatst")
    timeline = page.locator(".bw-goal-timeline")
    expect(timeline).to_contain_text(COMMENT)
    expect(timeline).to_contain_text("Reactie van de gemeente")
    expect(timeline).to_contain_text("over de stand van")
    assert_accessible(page, context="officer's comment on the timeline")

    page.context.clear_cookies()
    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, f"/signalen/doelen/{doel.pk}/")
    timeline = page.locator(".bw-goal-timeline")
    expect(timeline).to_contain_text(COMMENT)
    expect(timeline).to_contain_text(f"{ambtenaar.display_name} (gemeente)")
    page.get_by_label("Uw reactie").fill(REPLY)
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.locator(".bw-goal-timeline")).to_contain_text(REPLY)
    assert_accessible(page, context="the team answers on the goal's timeline")
    assert DoelReactie.objects.count() == 2
    assert DoelReactie.objects.filter(from_gemeente=True).count() == 1

"""An organiser posts an update, plans a meeting with an agreement, the reminder task
sends the mail; a neighbour reports an update and a beheerder handles it. axe-core on
every new page, on a phone and on a desktop."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from initiatieven import tasks
from initiatieven.models import Afspraak, Bericht, Bijeenkomst, Deelname, Initiatief
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go, log_in
from tests.conftest import TOTP_SECRET
from tests.factories import UserFactory

VIEWPORTS = {
    "phone": {"width": 375, "height": 812},
    "desktop": {"width": 1280, "height": 900},
}


@pytest.fixture
def initiatief(bewoner, wijk):
    return Initiatief.objects.create(
        title="Moestuin Het Hofje",
        summary="Samen groente kweken achter de flat.",
        wijk=wijk,
        owner=bewoner,
    )


@pytest.fixture
def buurvrouw(wijk, initiatief):
    user = UserFactory(
        email="buurvrouw@example.nl", display_name="Bea Buurvrouw", wijk=wijk
    )
    Deelname.objects.create(user=user, initiatief=initiatief, kind="doe_mee")
    return user


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_an_organiser_posts_news_and_plans_a_meeting_with_an_agreement(
    page, viewport, bewoner, initiatief, buurvrouw
):
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, bewoner)
    page.wait_for_url(re.compile(r"/account/start/"))
    go(page, initiatief.get_absolute_url())
    assert_accessible(page, context=f"detail as organiser, {viewport}")

    page.get_by_role("link", name="Bericht plaatsen").click()
    page.wait_for_url(re.compile(r"/berichten/nieuw/"))
    assert_accessible(page, context=f"update form, {viewport}")
    page.get_by_role("button", name="Plaatsen").click()
    expect(page.locator(".bw-error-summary")).to_contain_text("Schrijf een bericht.")
    assert_accessible(page, context=f"update form with errors, {viewport}")
    page.fill("input[name=title]", "De eerste tomaten")
    page.fill("textarea[name=text]", "Ze zijn **rood**. Kom proeven!")
    page.get_by_role("button", name="Plaatsen").click()
    page.wait_for_url(re.compile(r"/initiatieven/\d+/#bericht-\d+"))
    expect(page.get_by_role("heading", name="De eerste tomaten")).to_be_visible()
    expect(page.locator(".bw-bericht strong")).to_have_text("rood")
    assert_accessible(page, context=f"detail with an update, {viewport}")

    page.get_by_role("link", name="Bijeenkomst plannen").click()
    page.wait_for_url(re.compile(r"/bijeenkomsten/nieuw/"))
    assert_accessible(page, context=f"meeting form, {viewport}")
    yesterday = timezone.localdate() - timedelta(days=1)
    page.fill("input[name=date]", yesterday.isoformat())
    page.fill("input[name=time]", "19:30")
    page.fill("input[name=place]", "Buurthuis De Linde")
    page.get_by_role("button", name="Plannen").click()
    expect(page.locator(".bw-error-summary")).to_contain_text("al voorbij")
    expect(page.locator("input[name=place]")).to_have_value("Buurthuis De Linde")
    assert_accessible(page, context=f"meeting form with errors, {viewport}")
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.fill("input[name=date]", tomorrow.isoformat())
    page.fill("textarea[name=agenda]", "Oogst verdelen")
    page.get_by_role("button", name="Plannen").click()
    page.wait_for_url(re.compile(r"/bijeenkomsten/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Bijeenkomst van Moestuin Het Hofje")
    expect(page.get_by_role("link", name="Zet in mijn agenda (.ics)")).to_be_visible()
    assert_accessible(page, context=f"meeting page, {viewport}")

    page.fill("input[name=afspraak-description]", "Kratten regelen")
    page.select_option("select[name=afspraak-who_user]", label="Bea Buurvrouw")
    page.fill("input[name=afspraak-due_date]", tomorrow.isoformat())
    page.get_by_role("button", name="Afspraak opslaan").click()
    page.wait_for_url(re.compile(r"#afspraken$"))
    expect(page.get_by_role("cell", name="Kratten regelen")).to_be_visible()
    assert_accessible(page, context=f"meeting with an agreement, {viewport}")

    meeting = Bijeenkomst.objects.get()
    assert Bericht.objects.count() == 1
    assert Afspraak.objects.get().who_user == buurvrouw

    mail.outbox.clear()
    tasks.send_meeting_reminder(meeting.pk)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [bewoner.email, buurvrouw.email]
    )
    assert "Buurthuis De Linde" in mail.outbox[0].body
    assert "Oogst verdelen" in mail.outbox[0].body
    mail.outbox.clear()
    tasks.send_afspraak_reminder(Afspraak.objects.get().pk)
    assert [m.to for m in mail.outbox] == [[buurvrouw.email]]
    assert "Kratten regelen" in mail.outbox[0].body


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_neighbour_sets_mail_and_reports_and_a_beheerder_hides(
    page, viewport, initiatief, buurvrouw, beheerder
):
    Bericht.objects.create(
        initiatief=initiatief, author=initiatief.owner, title="Koop nu", text="Reclame"
    )
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, buurvrouw)
    page.wait_for_url(re.compile(r"/account/start/"))
    go(page, "/initiatieven/mijn/")
    page.get_by_role("link", name="Kies hoe vaak u e-mail krijgt").click()
    page.wait_for_url(re.compile(r"/initiatieven/meldingen/"))
    assert_accessible(page, context=f"mail settings, {viewport}")
    page.get_by_label("Meteen, bij elk bericht").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Uw keuze is opgeslagen.")).to_be_visible()

    go(page, initiatief.get_absolute_url())
    page.get_by_role("link", name="Bericht melden").click()
    page.wait_for_url(re.compile(r"/melden/"))
    assert_accessible(page, context=f"report form, {viewport}")
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.locator(".bw-error-summary")).to_contain_text("Kies een reden.")
    assert_accessible(page, context=f"report form with errors, {viewport}")
    page.get_by_label("Reclame of spam").check()
    page.get_by_role("button", name="Melding versturen").click()
    page.wait_for_url(re.compile(r"/initiatieven/\d+/$"))
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()

    log_in(page, beheerder, totp_secret=TOTP_SECRET)
    go(page, "/initiatieven/moderatie/")
    expect(page.get_by_text("Reclame of spam")).to_be_visible()
    assert_accessible(page, context=f"moderation queue, {viewport}")
    page.get_by_label("Waarom verbergt u dit?").fill("Dit is reclame.")
    page.get_by_role("button", name="Verbergen").click()
    expect(page.get_by_text("Er zijn geen open meldingen.")).to_be_visible()
    assert_accessible(page, context=f"moderation queue empty, {viewport}")
    assert Bericht.objects.get().is_hidden


def test_the_unsubscribe_page_is_accessible(page, buurvrouw):
    from initiatieven.notifications import unsubscribe_token

    go(page, f"/initiatieven/afmelden/{unsubscribe_token(user=buurvrouw)}/")
    assert_accessible(page, context="unsubscribe")
    page.get_by_role("button", name="Ja, geen e-mail meer").click()
    expect(page.get_by_text("U krijgt geen e-mail meer")).to_be_visible()
    assert_accessible(page, context="unsubscribed")

"""A professional agrees a wijk goal, keeps its progress and opens the team report:
MFA login, the goals list, a goal with a bad deadline refused and then saved, a
progress entry, the chart and its table, the printable report; axe-core clean on every
page. The officer of the gemeente then reads the goal, without forms."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from signalen.kanon import monday_of
from signalen.models import (
    Categorie,
    DoelVoortgang,
    SignaalTelling,
    WijkDoel,
    WijkThema,
)
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go, log_in
from tests.conftest import TOTP_SECRET


def test_a_professional_sets_a_goal_keeps_progress_and_opens_the_report(
    page, professional, ambtenaar, team, wijk, taxonomy
):
    today = timezone.localdate()
    WijkThema.objects.create(
        wijk=wijk,
        label="ouderen, soos",
        name="Eenzame ouderen",
        keywords=["ouderen", "soos"],
        categorie=Categorie.objects.get(code="eenzaamheid"),
        size=8,
        status="erkend",
        # A goal's theme must be shared with the gemeente.
        visibility="gemeente",
        first_observed_on=today - datetime.timedelta(days=40),
        last_observed_on=today,
    )
    SignaalTelling.objects.create(
        wijk=wijk,
        categorie=Categorie.objects.get(code="eenzaamheid"),
        week=monday_of(today),
        count=8,
    )
    log_in(page, professional, totp_secret=TOTP_SECRET)

    page.get_by_role("link", name="Doelen", exact=True).click()
    expect(page.locator("h1")).to_have_text("Doelen in de wijk")
    expect(
        page.get_by_text("Er zijn geen lopende doelen in deze wijk.")
    ).to_be_visible()
    assert_accessible(page, context="goals list, empty")

    page.get_by_role("link", name=f"Nieuw doel in {wijk.name}").click()
    expect(page.locator("h1")).to_have_text(f"Nieuw doel in {wijk.name}")
    assert_accessible(page, context="new goal form")

    start = today - datetime.timedelta(days=30)
    page.get_by_label("Doel", exact=True).fill("50 ouderen naar de soos")
    page.get_by_label("Doelgroep").select_option(label="Ouderen")
    page.get_by_label("Wat tellen we?").fill("ouderen die elke week komen")
    page.get_by_label("Beginstand").fill("0")
    page.get_by_label("Doel (aantal)").fill("50")
    page.get_by_label("Begindatum").fill(start.isoformat())
    # A deadline before the start is refused, and what was typed stays.
    page.get_by_label("Einddatum").fill(
        (start - datetime.timedelta(days=1)).isoformat()
    )
    page.get_by_label("Bij thema").select_option(label="Eenzame ouderen")
    page.get_by_label("Afgesproken met (gemeente)").select_option(
        label=ambtenaar.display_name
    )
    page.get_by_role("button", name="Doel opslaan").click()
    expect(page.locator(".bw-error-summary")).to_contain_text(
        "De einddatum moet na de begindatum liggen."
    )
    expect(page.get_by_label("Doel", exact=True)).to_have_value(
        "50 ouderen naar de soos"
    )
    assert not WijkDoel.objects.exists()
    assert_accessible(page, context="new goal with an error")

    page.get_by_label("Einddatum").fill(
        (today + datetime.timedelta(days=30)).isoformat()
    )
    page.get_by_role("button", name="Doel opslaan").click()
    expect(page.locator("h1")).to_have_text("50 ouderen naar de soos")
    expect(page.locator(".bw-messages")).to_contain_text("Het doel is opgeslagen.")
    expect(page.locator(".bw-goal-text")).to_contain_text("0 van 50 (0%), nog 30 dagen")
    expect(page.locator(".bw-goal-time")).to_contain_text("achter op schema")
    assert_accessible(page, context="goal detail, no progress yet")

    page.get_by_label("Stand op die datum").fill("30")
    page.get_by_label("Toelichting").fill("Soos draait op dinsdag en donderdag.")
    page.get_by_role("button", name="Stand opslaan").click()
    expect(page.locator(".bw-messages")).to_contain_text(
        "De nieuwe stand is opgeslagen."
    )
    expect(page.locator(".bw-goal-text")).to_contain_text("30 van 50 (60%)")
    expect(page.locator(".bw-goal-time")).to_contain_text("op schema")
    expect(page.locator(".bw-goal-entries")).to_contain_text(
        "Soos draait op dinsdag en donderdag."
    )
    expect(page.locator(".bw-goal-chart polyline")).to_have_count(2)
    assert DoelVoortgang.objects.get().value == 30
    assert_accessible(page, context="goal detail with progress")

    # A progress date in the future is refused.
    page.get_by_label("Datum", exact=True).fill(
        (today + datetime.timedelta(days=2)).isoformat()
    )
    page.get_by_label("Stand op die datum").fill("31")
    page.get_by_role("button", name="Stand opslaan").click()
    expect(page.locator(".bw-error-summary")).to_contain_text("in de toekomst")
    assert DoelVoortgang.objects.count() == 1
    assert_accessible(page, context="progress with an error")

    page.get_by_role("link", name="Terug naar de doelen").click()
    expect(page.locator(".bw-goal-item")).to_have_count(1)
    assert_accessible(page, context="goals list with a goal")

    page.get_by_role("link", name=f"Teamrapport van {wijk.name}").click()
    expect(page.locator("h1")).to_have_text(f"Teamrapport {wijk.name}")
    expect(page.locator("#rapport-themas + p + .bw-table-wrap")).to_contain_text(
        "Eenzame ouderen"
    )
    expect(page.locator(".bw-report-goal")).to_contain_text("30 van 50 (60%)")
    expect(page.locator(".bw-report-categories")).to_contain_text("8")
    assert_accessible(page, context="team report")

    # Printed: no navigation and no forms.
    page.emulate_media(media="print")
    expect(page.locator(".bw-nav")).to_be_hidden()
    for form in page.locator("main form").all():
        expect(form).to_be_hidden()
    expect(page.locator(".bw-report-goal")).to_be_visible()
    page.emulate_media(media="screen")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tabellen downloaden (CSV)").click()
    assert download_info.value.suggested_filename.startswith(
        f"teamrapport-{wijk.code}-"
    )

    # The officer of the gemeente reads the goal, without forms.
    page.context.clear_cookies()
    log_in(page, ambtenaar, totp_secret=TOTP_SECRET)
    go(page, "/signalen/doelen/")
    expect(page.locator(".bw-goal-item")).to_contain_text("50 ouderen naar de soos")
    assert_accessible(page, context="goals list (officer)")
    page.get_by_role("link", name="50 ouderen naar de soos").click()
    expect(page.locator(".bw-goal-text")).to_contain_text("30 van 50 (60%)")
    expect(page.get_by_role("button", name="Stand opslaan")).to_have_count(0)
    assert_accessible(page, context="goal detail (officer)")

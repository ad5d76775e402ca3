"""Issue #18, items 1-4: the professional on a phone (390x844).

The quick-log form fits on two phone screens with the text first; changing the wijk
resets the buurt; no page of any role scrolls sideways and tables stay readable;
dropdowns look like dropdowns, with meaningful empty choices.
"""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from accounts.models import Invitation, Role, User
from signalen.intake.scrubbing import text_scrub
from signalen.models import Signaal
from tests.browser.conftest import assert_accessible
from tests.browser.phone_crawl import PHONE_VIEWPORT, Visit, visit_all
from tests.browser.test_foundation import fresh_totp_code, go, log_in
from tests.browser.url_conf import SKIPPED, demo_paths, url_names
from tests.conftest import TOTP_SECRET
from tests.factories import BuurtFactory

PHONE = PHONE_VIEWPORT
DESKTOP = {"width": 1366, "height": 900}
TWO_SCREENS = 2 * PHONE["height"]


@pytest.fixture
def two_wijken(team, wijk, other_wijk):
    """The team works in two wijken, each with buurten (alphabetical: A < Z)."""
    team.wijken.add(other_wijk)
    return {
        wijk: [
            BuurtFactory(code="BU04390101", name="Aalmarkt", wijk=wijk),
            BuurtFactory(code="BU04390102", name="Zuiderpoort", wijk=wijk),
        ],
        other_wijk: [
            BuurtFactory(code="BU04390201", name="Beemsterhof", wijk=other_wijk),
            BuurtFactory(code="BU04390202", name="Wagenweg", wijk=other_wijk),
        ],
    }


@pytest.fixture
def scrubber():
    """Load the scrubber (deduce) before the browser's clock starts."""
    text_scrub("Warm maken", timeout=60)


def _border(page, selector: str) -> str:
    return page.eval_on_selector(selector, "el => getComputedStyle(el).borderColor")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_quick_log_form_puts_the_text_first_and_fits_on_two_phone_screens(
    page, professional, two_wijken, viewport
):
    page.set_viewport_size(viewport)
    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, "/signalen/nieuw/")

    # The text is the first field; category is one dropdown, target groups folded.
    first = page.locator(
        "form.bw-signaal-form :is(input:not([type=hidden]), select, textarea)"
    ).first
    expect(first).to_have_attribute("name", "text")
    expect(page.locator("select[name=categorie]")).to_be_visible()
    expect(page.locator("input[name=doelgroepen]").first).to_be_hidden()
    submit = page.get_by_role("button", name="Signaal opslaan")
    bottom = page.evaluate(
        "el => el.getBoundingClientRect().bottom + window.scrollY",
        submit.element_handle(),
    )
    assert bottom <= TWO_SCREENS, f"submit button at {bottom}px"

    # The empty required text box is not red before anything is typed.
    text = "textarea[name=text]"
    calm = _border(page, "input[name=households_estimate]")
    assert _border(page, text) == calm
    page.fill(text, "iets")
    page.fill(text, "")
    page.locator("select[name=bron]").focus()
    assert _border(page, text) != calm, "a text box emptied by the user is marked"

    # The notice's paragraphs use the width of the box, not narrow columns.
    notice = page.locator(".bw-signaal-notice")
    widths = page.eval_on_selector_all(
        ".bw-signaal-notice p", "ps => ps.map(p => p.getBoundingClientRect().width)"
    )
    box = notice.bounding_box()
    assert box is not None
    assert min(widths) > box["width"] * 0.7, widths
    assert_accessible(page, context=f"quick-log form {viewport['width']}px")

    # Target groups open on a tap, each a 44 px target.
    page.get_by_text("Wie gaat het aan? Kies doelgroepen").click()
    ouderen = page.get_by_label("Ouderen", exact=True)
    expect(ouderen).to_be_visible()
    row = ouderen.locator(
        "xpath=ancestor::div[contains(@class,'utrecht-form-field--checkbox')][1]"
    )
    row_box = row.bounding_box()
    assert row_box is not None
    assert row_box["height"] >= 44
    assert_accessible(page, context="quick-log form, target groups open")


def test_changing_the_wijk_resets_the_buurt_to_the_whole_wijk(
    page, professional, wijk, other_wijk, two_wijken, scrubber
):
    page.set_viewport_size(PHONE)
    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, f"/signalen/nieuw/?wijk={wijk.pk}")
    buurt = page.locator("select[name=buurt]")
    buurt.select_option(label="Zuiderpoort")

    page.locator("select[name=wijk]").select_option(str(other_wijk.pk))
    expect(buurt.locator("option")).to_have_text(
        ["Hele wijk of weet ik niet", "Beemsterhof", "Wagenweg"]
    )
    expect(buurt).to_have_value("")
    expect(buurt.locator("option:checked")).to_have_text("Hele wijk of weet ik niet")

    page.get_by_label("Wat ziet of hoort u?").fill("Veel ouderen alleen thuis.")
    page.get_by_label("Waar gaat het over?").select_option(label="Eenzaamheid")
    page.get_by_label("Hoe weet u dit?").select_option(label="Huisbezoek")
    page.get_by_role("button", name="Signaal opslaan").click()
    expect(page.locator("h1")).to_contain_text("Het signaal is opgeslagen")
    signaal = Signaal.objects.get()
    assert signaal.wijk == other_wijk
    assert signaal.buurt is None

    # The next signal starts in the wijk just used.
    page.get_by_role("link", name="Nog een signaal").click()
    expect(page.locator("select[name=wijk]")).to_have_value(str(other_wijk.pk))


# --- every page of every role at 390 px ----------------------------------------------

# Pages the issue names, and the forms with dropdowns: the crawl must reach them.
ROLES = ("anoniem", "bewoner", "professional", "ambtenaar", "beheerder")


@pytest.fixture
def demo(settings):
    """Demostad with its signals, themes, escalations and goals, plus a long table:
    thirty open invitations, one with a long e-mail address."""
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    beheerder = User.objects.get(role=Role.BEHEERDER)
    expires = timezone.now() + datetime.timedelta(days=7)
    invitations = [
        Invitation.objects.create(
            email=f"nieuwe.medewerker.met.een.lange.naam.{n}@gemeente-demostad.nl",
            role=Role.PROFESSIONAL if n % 2 else Role.AMBTENAAR,
            invited_by=beheerder,
            expires_at=expires,
        )
        for n in range(30)
    ]
    return invitations


def _log_in_demo(page, role: str) -> None:
    go(page, "/account/login/")
    page.fill("input[name=login]", f"{role}@demo.buurtwijs.nl")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if role != "bewoner":
        page.wait_for_url(re.compile(r"/account/2fa/authenticate/"))
        page.fill("input[name=code]", fresh_totp_code(DEMO_TOTP_SECRET))
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/account/start/"))


def _reauthenticate_demo(page) -> None:
    """allauth asks again before an MFA change: with the password (the app's code of
    this half minute may be spent on the log-in already)."""
    if "/2fa/reauthenticate/" in page.url:
        page.goto(page.url.replace("/2fa/reauthenticate/", "/reauthenticate/"))
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()


def test_no_page_of_any_role_scrolls_sideways_on_a_phone(page, demo):
    """Every GET page in the URL conf (tests/browser/url_conf.py fills in real pks from
    the demo), opened as every role: each page is seen by at least one role, and no
    page a role may see scrolls sideways at 390 px or has a phone problem."""
    # The newest signal of the demo professional is editable (within 24 hours).
    Signaal.objects.filter(
        pk=Signaal.objects.filter(author__email="professional@demo.buurtwijs.nl")
        .order_by("-created_at")
        .values("pk")[:1]
    ).update(created_at=timezone.now())
    paths = demo_paths()
    assert set(paths) | set(SKIPPED) == set(url_names()), "url_conf out of date"
    page.set_viewport_size(PHONE)
    visits: list[Visit] = []
    for role in ROLES:
        page.context.clear_cookies()
        if role != "anoniem":
            _log_in_demo(page, role)
        visits += visit_all(
            page,
            page.base_url,
            role=role,
            paths=paths,
            reauthenticate=_reauthenticate_demo,
        )

    seen = {visit.url_name for visit in visits if visit.inner_width}
    assert seen == set(paths), "no role could open: " + ", ".join(
        sorted(set(paths) - seen)
    )
    bad = [
        f"{v.role} {v.path}: {v.scroll_width}px wide {v.wide} {v.problems}"
        for v in visits
        if v.scrolls_sideways or v.problems
    ]
    assert not bad, "\n".join(bad)


def test_a_wide_table_scrolls_in_a_focusable_box_with_a_hint(page, demo):
    """The officer's wijk dashboard: the page stays 390 px, the table box scrolls."""
    page.set_viewport_size(PHONE)
    _log_in_demo(page, "ambtenaar")
    go(page, "/dashboard/wijk/WK990101/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    wide = page.locator(".bw-table-wrap:visible").filter(has=page.locator("table"))
    expect(wide.first).to_be_visible()
    hints = page.locator(".bw-table-hint")
    expect(hints.first).to_have_text("Schuif de tabel opzij om alle kolommen te zien.")
    wrap = hints.first.locator("xpath=following-sibling::div[1]")
    # The box is wider inside than out, reachable by keyboard, and it scrolls.
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    assert wrap.get_attribute("tabindex") == "0"
    wrap.evaluate("el => { el.scrollLeft = 40; }")
    assert wrap.evaluate("el => el.scrollLeft") > 0
    assert_accessible(page, context="officer wijk dashboard (phone)")

    # On a desktop the same tables fit: no hint.
    page.set_viewport_size(DESKTOP)
    go(page, "/dashboard/wijk/WK990101/")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]


def test_dropdowns_show_an_arrow_and_no_raw_empty_choice(page, bewoner, wijk):
    page.set_viewport_size(PHONE)
    log_in(page, bewoner)
    go(page, "/initiatieven/nieuw/")
    wijk_select = page.locator("select[name=wijk]")
    expect(wijk_select.locator("option").first).to_have_text("Kies een wijk")
    image = wijk_select.evaluate("el => getComputedStyle(el).backgroundImage")
    assert image.startswith('url("data:image/svg+xml'), image
    expect(page.locator("main")).not_to_contain_text("**")
    expect(page.locator("main")).not_to_contain_text("---------")
    expect(page.get_by_text("Een lege regel begint een nieuwe alinea.")).to_be_visible()
    assert_accessible(page, context="initiative form (phone)")

"""The team in the loop on a phone (issue 16 items 3 and 4): a new signal is attached to
a suggested theme with one tap, then on the theme's page a signal is moved, another is
marked "hoort er niet bij", two themes are merged and one is split. Dutch, 390 x 844,
axe-core clean and without sideways scrolling on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from signalen.intake import services as intake
from signalen.models import Categorie, ThemaActie, ThemaLid, WijkThema
from signalen.themes import vectors
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go, log_in
from tests.browser.test_signalen import log_signal
from tests.browser.test_signalen import taxonomy as taxonomy
from tests.conftest import TOTP_SECRET
from tests.signalen.helpers import make_signaal, make_thema

PHONE = {"width": 390, "height": 844}

MOULD = [
    "Schimmel in de slaapkamer van de kinderen, de corporatie reageert niet.",
    "Zwarte schimmel in de badkamer, het kind hoest al weken.",
    "Vocht en schimmel in de huurwoning, astma van het zoontje wordt erger.",
    "Schimmel op de muren, de corporatie doet niets aan het vocht.",
    "Vochtplekken en schimmel, al drie keer gemeld bij de corporatie.",
    "Schimmel achter de kast, benauwd, vocht in de huurwoning.",
]
LONELY = [
    "Voelt zich eenzaam sinds het buurthuis dicht is.",
    "Oudere alleen, eenzaam, mist de soos in het buurthuis.",
    "Eenzaam sinds de sluiting van het buurthuis, geen koffieochtend meer.",
    "Zit de hele dag alleen, het buurthuis is gesloten.",
    "Mist een ontmoetingsplek nu het buurthuis dicht is, eenzaam.",
]


def _theme(wijk, team, author, texts, code, **fields):
    signalen = [make_signaal(author=author, team=team, text=t) for t in texts]
    return make_thema(
        wijk,
        signalen=signalen,
        categorie=Categorie.objects.get(code=code),
        **fields,
    )


def check_page(page, context: str) -> None:
    assert_accessible(page, context=f"{context} (phone)")
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert width[0] <= width[1], f"{context}: {width[0]}px wide at {width[1]}px"


@pytest.mark.usefixtures("taxonomy")
def test_the_team_attaches_moves_drops_merges_and_splits_on_a_phone(
    page, professional, team, wijk, monkeypatch
):
    # The themes here are made by hand, not by the engine: no roll-up after intake
    # (runs keeping the team's actions are tested in test_theme_corrections.py).
    monkeypatch.setattr(intake, "rollup_schedule_after_intake", lambda wijk_id: None)
    mould = _theme(
        wijk,
        team,
        professional,
        MOULD,
        "wonen-woonoverlast",
        label="schimmel, vocht",
        keywords=["schimmel", "vocht"],
        name="Schimmel in huurwoningen",
    )
    lonely = _theme(
        wijk,
        team,
        professional,
        LONELY,
        "eenzaamheid",
        label="eenzaam, buurthuis",
        keywords=["eenzaam", "buurthuis"],
        name="Eenzaam sinds het buurthuis dicht is",
    )
    vectors.vectors_backfill(batch_size=50)
    page.set_viewport_size(PHONE)
    log_in(page, professional, totp_secret=TOTP_SECRET)

    # Item 3: the quick-log form, then the suggestion; one tap attaches.
    go(page, "/signalen/nieuw/")
    log_signal(
        page,
        categorie="Wonen en woonoverlast",
        bron="Huisbezoek",
        text="Schimmel en vocht in de kinderkamer, de corporatie doet niets.",
    )
    suggestions = page.locator(".bw-suggesties")
    expect(suggestions).to_contain_text("Past dit signaal bij een thema?")
    expect(suggestions.locator(".bw-suggestie-name").first).to_contain_text(
        "Schimmel in huurwoningen"
    )
    expect(suggestions).to_contain_text("5 tot 10 signalen")
    expect(suggestions).to_contain_text("Bijvoorbeeld:")
    expect(
        suggestions.get_by_role("button", name="Nieuw / weet ik niet")
    ).to_be_visible()
    check_page(page, "confirm page with suggestions")
    suggestions.get_by_role(
        "button", name=re.compile(r"^Koppelen\W+Schimmel in huurwoningen$")
    ).click()
    expect(page.locator(".bw-messages")).to_contain_text(
        "Gekoppeld. Het signaal hoort nu bij het thema 'Schimmel in huurwoningen'."
    )
    expect(page.locator(".bw-signaal-themas")).to_contain_text(
        "Schimmel in huurwoningen"
    )
    check_page(page, "signal attached")
    assert ThemaActie.objects.filter(soort="attach", thema=mould).count() == 1

    # Item 4: move one member signal to the other theme.
    page.get_by_role("link", name="Schimmel in huurwoningen").click()
    expect(page.locator("h1")).to_have_text("Schimmel in huurwoningen")
    expect(
        page.get_by_role("heading", name="Klopt het thema niet helemaal?")
    ).to_be_visible()
    check_page(page, "theme page with corrections")
    page.locator(".bw-thema-member-correct").first.click()
    expect(page.locator("h1")).to_contain_text("bij dit thema?")
    check_page(page, "one signal of the theme")
    page.get_by_label("Eenzaam sinds het buurthuis dicht is").check()
    page.get_by_role("button", name="Verplaatsen").click()
    expect(page.locator(".bw-messages")).to_contain_text("Verplaatst.")
    check_page(page, "signal moved")

    # "Hoort er niet bij" for the next one.
    page.locator(".bw-thema-member-correct").first.click()
    page.get_by_role("button", name="Ja, dit signaal hoort er niet bij").click()
    expect(page.locator(".bw-messages")).to_contain_text("is uit dit thema gehaald")
    check_page(page, "signal does not belong")

    # Merge the other theme into this one, after the confirm page.
    page.get_by_label("Welk thema hoort bij dit thema?").select_option(
        label="Eenzaam sinds het buurthuis dicht is"
    )
    page.get_by_role("button", name="Verder naar samenvoegen").click()
    expect(page.locator("h1")).to_have_text("Thema's samenvoegen?")
    check_page(page, "merge confirm")
    page.get_by_role("button", name="Ja, samenvoegen").click()
    expect(page.locator(".bw-messages")).to_contain_text("Samengevoegd.")
    check_page(page, "themes merged")
    lonely.refresh_from_db()
    assert not lonely.is_current

    # Split two signals off into a new theme, after the confirm page.
    page.get_by_role("link", name="Thema splitsen").click()
    expect(page.locator("h1")).to_have_text("Thema splitsen")
    check_page(page, "split form")
    page.get_by_role("button", name="Verder naar splitsen").click()
    expect(page.locator(".bw-error-summary")).to_contain_text(
        "Kies minstens één signaal."
    )
    check_page(page, "split without a choice")
    boxes = page.locator("input[name=signalen]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_label("Naam van het nieuwe thema").fill("Eenzame ouderen")
    page.get_by_role("button", name="Verder naar splitsen").click()
    expect(page.locator("h1")).to_have_text("Thema splitsen?")
    check_page(page, "split confirm")
    page.get_by_role("button", name="Ja, splitsen").click()
    expect(page.locator(".bw-messages")).to_contain_text("Gesplitst.")
    expect(page.locator("h1")).to_have_text("Eenzame ouderen")
    check_page(page, "theme split")

    new = WijkThema.objects.get(name="Eenzame ouderen")
    assert ThemaLid.objects.filter(thema=new).count() == 2
    kinds = set(ThemaActie.objects.values_list("soort", flat=True))
    assert kinds == {"attach", "move", "not_belong", "merge", "split"}

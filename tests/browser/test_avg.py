"""A resident downloads their data and deletes their account; afterwards their name
appears nowhere on the public pages, in the API or in the open-data files (today's and
the older kept builds). axe-core on every page."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from initiatieven.models import Bericht, Deelname, Initiatief
from opendata import builds as opendata
from privacy.services import remaining_traces
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go, log_in
from tests.factories import UserFactory
from tests.privacy.avg_helpers import public_paths

NAME = "Zoë Zeldzaam"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Open-data builds and export files go to a folder of this test only."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AVG_EXPORT_ROOT = tmp_path / "avg-exports"


def _fetched(page, path: str) -> str:
    """What the browser gets for an API answer or an open-data file (not a page to
    show: a file comes as a download), with JSON characters unescaped."""
    response = page.request.get(page.base_url + path)
    assert response.status == 200, (path, response.status)
    if "json" in response.headers.get("content-type", ""):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.text()


def _is_data(path: str) -> bool:
    return path.startswith("/api/") or (
        path.startswith("/open-data/") and path != "/open-data/"
    )


def test_a_resident_downloads_their_data_and_deletes_their_account(page, wijk):
    resident = UserFactory(
        email="zoe.zeldzaam@example.nl", display_name=NAME, wijk=wijk
    )
    neighbour = UserFactory(
        email="nico@example.nl", display_name="Nico Naaste", wijk=wijk
    )
    own = Initiatief.objects.create(
        title="Moestuin Achterom",
        summary="Samen groente kweken in de achtertuinen.",
        wijk=wijk,
        owner=resident,
    )
    Bericht.objects.create(
        initiatief=own, author=resident, title="Eerste oogst", text="Tomaten!"
    )
    other = Initiatief.objects.create(
        title="Buurtsoep",
        summary="Elke vrijdag soep voor wie wil.",
        wijk=wijk,
        owner=neighbour,
    )
    Deelname.objects.create(
        user=resident, initiatief=other, kind="doe_mee", show_name=True
    )
    # Open data of yesterday and today, as the nightly task leaves it.
    today = timezone.localdate()
    opendata.build_all(today=today - timedelta(days=1))
    opendata.build_all(today=today)
    days = [today.isoformat(), (today - timedelta(days=1)).isoformat()]
    # Before: the public pages, the API and both builds show the name.
    go(page, other.get_absolute_url())
    expect(page.get_by_text(f"{NAME} (Ik doe mee)")).to_be_visible()
    assert NAME in _fetched(page, f"/api/v1/initiatieven/{other.pk}/")
    assert NAME in _fetched(page, f"/api/v1/initiatieven/?wijk={wijk.code}")
    for day in days:
        assert NAME in _fetched(page, f"/open-data/GM0439/{day}/initiatieven.csv")

    go(page, "/privacy/")
    expect(page.locator("h1")).to_have_text("Privacyverklaring")
    assert_accessible(page, context="privacy statement")

    log_in(page, resident)
    page.wait_for_url(re.compile(r"/account/start/"))
    page.get_by_role("link", name="Mijn gegevens bekijken of downloaden").click()
    page.wait_for_url(re.compile(r"/account/mijn-gegevens/$"))
    expect(
        page.get_by_role("heading", name="Initiatieven waarvan u eigenaar bent")
    ).to_be_visible()
    expect(page.get_by_text("Moestuin Achterom").first).to_be_visible()
    assert_accessible(page, context="my data")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download mijn gegevens (JSON)").click()
    download = info.value
    assert download.suggested_filename.startswith("buurtwijs-mijn-gegevens-")
    data = json.loads(download.path().read_text(encoding="utf-8"))
    assert data["account"]["profile"]["display_name"] == NAME
    assert data["initiatieven"]["initiatives_owned"][0]["title"] == "Moestuin Achterom"
    assert data["initiatieven"]["participations"][0]["initiative"]["title"] == (
        "Buurtsoep"
    )
    assert "Nico" not in json.dumps(data)

    go(page, "/account/start/")
    page.get_by_role("link", name="Account verwijderen").click()
    page.wait_for_url(re.compile(r"/account/verwijderen/"))
    expect(page.get_by_role("heading", name="Wat er gebeurt")).to_be_visible()
    assert_accessible(page, context="delete account")
    page.get_by_label("Uw wachtwoord").fill("niet-mijn-wachtwoord")
    page.get_by_role("button", name="Ja, verwijder mijn account").click()
    expect(page.get_by_text("Dit wachtwoord klopt niet.").first).to_be_visible()
    assert_accessible(page, context="delete account, wrong password")
    assert User.objects.filter(pk=resident.pk).exists()
    page.get_by_label("Uw wachtwoord").fill("geheim-wachtwoord-123")
    page.get_by_role("button", name="Ja, verwijder mijn account").click()
    page.wait_for_url(page.base_url + "/")
    expect(page.get_by_text("Uw account is verwijderd.")).to_be_visible()
    expect(page.get_by_role("link", name="Inloggen")).to_be_visible()
    assert_accessible(page, context="home after deleting")

    # After: no public page names them, and the search finds nothing of theirs.
    resident_id = resident.pk
    assert not User.objects.filter(pk=resident_id).exists()
    paths = public_paths(name=NAME, initiatieven=[own, other], wijken=[wijk])
    for day in days:
        assert f"/open-data/GM0439/{day}/initiatieven.csv" in paths
    for path in paths:
        if _is_data(path):
            content = _fetched(page, path)
            assert NAME not in content, path
            assert "Zeldzaam" not in content, path
            continue
        go(page, path)
        assert_accessible(page, context=path)
        content = page.content()
        if "?q=" in path:
            expect(page.locator(".bw-initiatief-card")).to_have_count(0)
            continue
        assert NAME not in content, path
        assert "Zeldzaam" not in content, path
    # The open-data page links today's files; what its links give is without them.
    go(page, "/open-data/")
    link = page.get_by_role("link", name="initiatieven.csv").first
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href is not None
    assert href.endswith(f"/{days[0]}/initiatieven.csv")
    csv_text = _fetched(page, href)
    assert "Moestuin Achterom" in csv_text
    assert NAME not in csv_text
    go(page, own.get_absolute_url())
    expect(
        page.get_by_text("een bewoner die niet meer op Buurtwijs is")
    ).to_be_visible()
    expect(page.get_by_text("Eerste oogst")).to_be_visible()
    assert (
        remaining_traces(
            user_id=resident_id, display_name=NAME, email="zoe.zeldzaam@example.nl"
        )
        == []
    )


def test_a_beheerder_deactivates_a_leaving_professional(page, beheerder, professional):
    from tests.conftest import TOTP_SECRET

    log_in(page, beheerder, totp_secret=TOTP_SECRET)
    page.get_by_role("link", name="Accounts van medewerkers uitzetten").click()
    page.wait_for_url(re.compile(r"/account/medewerkers/$"))
    assert_accessible(page, context="staff list")
    page.get_by_role("link", name=re.compile("Uitzetten.*Piet Professional")).click()
    page.wait_for_url(re.compile(r"/uitzetten/$"))
    assert_accessible(page, context="deactivate form")
    page.get_by_role("button", name="Account uitzetten").click()
    expect(
        page.get_by_text("Vink aan dat u dit account wilt uitzetten.").first
    ).to_be_visible()
    assert_accessible(page, context="deactivate form, not confirmed")
    page.get_by_label("Ja, ik wil dit account uitzetten.").check()
    page.get_by_role("button", name="Account uitzetten").click()
    page.wait_for_url(re.compile(r"/account/medewerkers/$"))
    expect(
        page.get_by_text("Het account van Piet Professional is uitgezet.")
    ).to_be_visible()
    assert_accessible(page, context="staff list after deactivating")
    professional.refresh_from_db()
    assert professional.display_name == f"Voormalig medewerker #{professional.pk}"
    assert not professional.is_active

"""The admin shows roll-up runs and themes read-only, and never a signal's text."""

from __future__ import annotations

import pytest

from signalen.models import RollupRun, ThemaGebeurtenis, ThemaLid, WijkThema
from signalen.themes.runs import rollup_wijk
from tests.signalen.test_rollup_runs import EENZAAM, NOISE, SCHIMMEL, add_signals


@pytest.fixture
def themes(wijk, team, professional, colleague):
    authors = [professional, colleague]
    signals = add_signals(SCHIMMEL, team=team, authors=authors)
    signals += add_signals(EENZAAM, team=team, authors=authors, categorie="eenzaamheid")
    signals += add_signals(NOISE, team=team, authors=authors, categorie="overig")
    run = rollup_wijk(wijk)
    RollupRun.objects.create(
        wijk=wijk,
        trigger=RollupRun.Trigger.NIGHTLY,
        status=RollupRun.Status.FAILED,
        started_at=run.started_at,
        finished_at=run.finished_at,
        error="OperationalError: <script>alert(1)</script> verbinding weg",
    )
    return run, signals


def test_the_beheerder_opens_the_run_list_and_a_run(client, beheerder, themes):
    run, _ = themes
    client.force_login(beheerder)
    response = client.get("/beheer/signalen/rolluprun/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Purmerend Centrum" in page
    assert "gelukt" in page
    assert "mislukt" in page
    assert "&lt;script&gt;" in page
    assert "<script>alert(1)" not in page
    for query in ("?status__exact=failed", "?trigger__exact=manual"):
        assert client.get(f"/beheer/signalen/rolluprun/{query}").status_code == 200
    detail = client.get(f"/beheer/signalen/rolluprun/{run.pk}/change/")
    assert detail.status_code == 200
    assert "signalen gelezen" in detail.content.decode().lower()


def test_runs_cannot_be_added_changed_or_deleted(client, beheerder, themes):
    run, _ = themes
    client.force_login(beheerder)
    assert client.get("/beheer/signalen/rolluprun/add/").status_code == 403
    response = client.post(
        f"/beheer/signalen/rolluprun/{run.pk}/change/", {"status": "failed"}
    )
    assert response.status_code == 403
    response = client.post(f"/beheer/signalen/rolluprun/{run.pk}/delete/")
    assert response.status_code == 403
    run.refresh_from_db()
    assert run.status == RollupRun.Status.SUCCESS


def test_the_beheerder_opens_the_theme_list_and_a_theme_without_signal_text(
    client, beheerder, themes
):
    _, signals = themes
    thema = WijkThema.objects.first()
    thema.name = "Schimmel in de flats"
    thema.save()
    client.force_login(beheerder)
    response = client.get("/beheer/signalen/wijkthema/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Schimmel in de flats" in page
    assert "gesignaleerd" in page
    for query in ("?is_current__exact=1", "?status__exact=verworpen"):
        assert client.get(f"/beheer/signalen/wijkthema/{query}").status_code == 200
    detail = client.get(f"/beheer/signalen/wijkthema/{thema.pk}/change/")
    assert detail.status_code == 200
    page = detail.content.decode()
    # The history is there, read-only.
    assert "gevonden door het systeem" in page
    assert ThemaGebeurtenis.objects.filter(thema=thema).exists()
    for text in {s.text for s in signals}:
        assert text not in page
    for shown in (response.content.decode(), page):
        assert "themalid" not in shown.lower()


def test_themes_and_their_members_cannot_be_changed_in_the_admin(
    client, beheerder, themes
):
    thema = WijkThema.objects.first()
    members = set(ThemaLid.objects.filter(thema=thema).values_list("pk", flat=True))
    client.force_login(beheerder)
    assert client.get("/beheer/signalen/wijkthema/add/").status_code == 403
    response = client.post(
        f"/beheer/signalen/wijkthema/{thema.pk}/change/",
        {"name": "Anders", "status": "afgerond", "visibility": "publiek"},
    )
    assert response.status_code == 403
    assert (
        client.post(f"/beheer/signalen/wijkthema/{thema.pk}/delete/").status_code == 403
    )
    thema.refresh_from_db()
    assert (thema.name, thema.status, thema.visibility) == ("", "gesignaleerd", "team")
    assert set(thema.leden.values_list("pk", flat=True)) == members
    # No admin page for the members at all.
    assert client.get("/beheer/signalen/themalid/").status_code == 404


@pytest.mark.parametrize("role", ["professional", "ambtenaar", "bewoner"])
def test_other_roles_do_not_reach_the_roll_up_admin(client, request, role, themes):
    client.force_login(request.getfixturevalue(role))
    for url in ("/beheer/signalen/rolluprun/", "/beheer/signalen/wijkthema/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/beheer/login/" in response.url

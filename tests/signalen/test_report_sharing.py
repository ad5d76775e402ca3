# ruff: noqa: F811  (the "filled" fixture is imported from test_report)
"""Issue 18 item 8: a team shares its report with its gemeente explicitly, and then
officers of that gemeente read it: shared themes under the team's own name, figures
of at least K, never signal text or the engine's keywords."""

from __future__ import annotations

import pytest

from accounts.models import Team
from signalen.models import ThemaZichtbaarheid, WijkThema
from tests.factories import TeamFactory, UserFactory
from tests.signalen.test_report import filled, url  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def share(client, professional, wijk, value="on"):
    client.force_login(professional)
    return client.post(url(wijk), {"share": value})


def test_an_officer_gets_403_while_the_team_does_not_share(
    client, wijk, filled, ambtenaar
):
    client.force_login(ambtenaar)
    assert client.get(url(wijk)).status_code == 403
    assert client.get(url(wijk, "rapport.csv")).status_code == 403


def test_the_team_switches_sharing_on_and_off(client, professional, team, wijk, filled):
    response = share(client, professional, wijk)
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.report_shared is True
    page = client.get(url(wijk)).content.decode()
    assert "Niet meer delen met de gemeente" in page
    assert "deelt dit rapport met de gemeente" in page
    share(client, professional, wijk, "off")
    team.refresh_from_db()
    assert team.report_shared is False
    assert "Dit rapport delen met de gemeente" in client.get(url(wijk)).content.decode()


def test_the_share_switch_refuses_bad_input_and_other_roles(
    client,
    professional,
    outsider_professional,
    ambtenaar,
    bewoner,
    beheerder,
    team,
    wijk,
    filled,
):
    client.force_login(professional)
    for bad in ({}, {"share": "yes"}, {"share": "<script>"}):
        assert client.post(url(wijk), bad).status_code == 400
    for user in (ambtenaar, bewoner, beheerder):
        client.force_login(user)
        assert client.post(url(wijk), {"share": "on"}).status_code == 403, user
    client.force_login(outsider_professional)
    assert client.post(url(wijk), {"share": "on"}).status_code == 404
    team.refresh_from_db()
    assert team.report_shared is False


def test_an_officer_of_the_gemeente_reads_a_shared_report_without_team_only_parts(
    client, professional, ambtenaar, wijk, filled
):
    thema = filled["thema"]
    thema.visibility = ThemaZichtbaarheid.GEMEENTE
    thema.save()
    hidden = WijkThema.objects.create(
        wijk=wijk,
        label="geheim, team",
        name="Alleen voor het team",
        keywords=["geheim"],
        size=8,
    )
    share(client, professional, wijk)
    client.force_login(ambtenaar)
    response = client.get(url(wijk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Eenzame ouderen in de flat" in page  # the team's own name
    assert "Het wijkteam deelt dit rapport met de gemeente" in page
    for never in (
        "zqxjv-uniek-signaal",  # signal text
        "ouderen, flat",  # the engine's keywords
        hidden.name,  # a team-only theme
        "Kernwoorden",
        "Past goed",  # the team's note on a link
        "Dit rapport delen",  # the switch is the team's
    ):
        assert never not in page, never
    csv_text = client.get(url(wijk, "rapport.csv")).content.decode("utf-8-sig")
    assert "Eenzame ouderen in de flat" in csv_text
    assert "ouderen, flat" not in csv_text
    assert "zqxjv-uniek-signaal" not in csv_text


def test_an_unnamed_or_small_shared_theme_stays_out_of_the_officers_report(
    client, professional, ambtenaar, wijk, filled
):
    WijkThema.objects.create(
        wijk=wijk,
        label="woorden, systeem",
        keywords=["woorden"],
        size=9,
        visibility=ThemaZichtbaarheid.GEMEENTE,
    )
    WijkThema.objects.create(
        wijk=wijk,
        label="klein",
        name="Te klein thema",
        size=2,
        visibility=ThemaZichtbaarheid.GEMEENTE,
    )
    share(client, professional, wijk)
    client.force_login(ambtenaar)
    page = client.get(url(wijk)).content.decode()
    assert "woorden, systeem" not in page
    assert "Te klein thema" not in page


def test_an_officer_of_another_gemeente_gets_404_and_other_roles_403(
    client, professional, outsider_ambtenaar, bewoner, beheerder, wijk, filled
):
    share(client, professional, wijk)
    client.force_login(outsider_ambtenaar)
    assert client.get(url(wijk)).status_code == 404
    assert client.get(url(wijk, "rapport.csv")).status_code == 404
    for user in (bewoner, beheerder):
        client.force_login(user)
        assert client.get(url(wijk)).status_code == 403
    client.logout()
    assert client.get(url(wijk)).status_code == 302


def test_another_teams_sharing_does_not_open_this_teams_beleidssignalen(
    client, professional, ambtenaar, gemeente, wijk, filled
):
    other = TeamFactory(gemeente=gemeente, wijken=[wijk], name="Ander team")
    other.members.add(UserFactory(role="professional"))
    Team.objects.filter(pk=other.pk).update(report_shared=True)
    client.force_login(ambtenaar)
    page = client.get(url(wijk)).content.decode()
    assert "Buurthuis weer open" not in page  # the first team's escalation


def test_the_officers_wijk_dashboard_links_to_a_shared_report(
    client, professional, ambtenaar, wijk, filled
):
    client.force_login(ambtenaar)
    dashboard = f"/dashboard/wijk/{wijk.code}/"
    assert url(wijk) not in client.get(dashboard).content.decode()
    share(client, professional, wijk)
    client.force_login(ambtenaar)
    assert url(wijk) in client.get(dashboard).content.decode()

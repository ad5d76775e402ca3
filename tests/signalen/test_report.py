"""The team report: who may open it, what it holds (never signal text, never a
category count below K), the period filter, the CSV download and the audit trail."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.utils import timezone

from signalen.goals import report
from signalen.kanon import monday_of
from signalen.models import (
    AuditAction,
    AuditEntry,
    Categorie,
    DoelVoortgang,
    Escalatie,
    EscalatieStatus,
    SignaalTelling,
    ThemaGebeurtenis,
    ThemaInitiatief,
    ThemaLid,
    ThemaStatus,
    WijkDoel,
    WijkThema,
)
from tests.initiatieven.factories import InitiatiefFactory
from tests.signalen.helpers import make_signaal

# Dates here are reckoned from today (blocks, weeks, deadlines): pin the clock.
pytestmark = pytest.mark.usefixtures("frozen_now")

SECRET_TEXT = "Mevrouw op nummer 12 zegt zqxjv-uniek-signaal niemand meer te zien."


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def filled(professional, team, wijk, ambtenaar, bewoner):
    """A wijk with a theme (with a signal with a unique text), an event, a linked
    initiative, an answered escalation, a goal with progress and category counts."""
    signaal = make_signaal(author=professional, team=team, text=SECRET_TEXT)
    eenzaamheid = Categorie.objects.get(code="eenzaamheid")
    thema = WijkThema.objects.create(
        wijk=wijk,
        label="ouderen, flat",
        name="Eenzame ouderen in de flat",
        keywords=["ouderen", "flat"],
        categorie=eenzaamheid,
        size=9,
        trend="rising",
        status=ThemaStatus.OPGEPAKT,
        first_observed_on=day(-60),
        last_observed_on=day(-2),
    )
    ThemaLid.objects.create(thema=thema, signaal=signaal)
    ThemaGebeurtenis.objects.create(
        thema=thema,
        soort=ThemaGebeurtenis.Soort.STATUS,
        actor=professional,
        detail={"from": "erkend", "to": "opgepakt"},
    )
    initiatief = InitiatiefFactory(wijk=wijk, owner=bewoner, title="Koffie op dinsdag")
    ThemaInitiatief.objects.create(
        thema=thema, initiatief=initiatief, linked_by=professional, note="Past goed"
    )
    Escalatie.objects.create(
        thema=thema,
        team=team,
        wijk=wijk,
        title="Buurthuis weer open",
        argument="Onderbouwing",
        status=EscalatieStatus.BEANTWOORD,
        answer="We openen het buurthuis in mei.",
        sent_by=professional,
        sent_at=timezone.now() - datetime.timedelta(days=10),
        answered_at=timezone.now() - datetime.timedelta(days=2),
    )
    doel = WijkDoel.objects.create(
        wijk=wijk,
        team=team,
        title="=HYPERLINK(doel)",
        indicator="ouderen die elke week komen",
        target_value=40,
        start_date=day(-100),
        deadline=day(100),
        agreed_by=ambtenaar,
        created_by=professional,
    )
    DoelVoortgang.objects.create(doel=doel, date=day(-1), value=20, author=professional)
    week = monday_of(day(-14))
    armoede = Categorie.objects.exclude(pk=eenzaamheid.pk).order_by("order").first()
    SignaalTelling.objects.create(wijk=wijk, categorie=eenzaamheid, week=week, count=7)
    SignaalTelling.objects.create(wijk=wijk, categorie=armoede, week=week, count=2)
    # Per-doelgroep and per-buurt rows must not be added on top.
    SignaalTelling.objects.create(
        wijk=wijk,
        categorie=eenzaamheid,
        doelgroep_id=1,
        week=week,
        count=3,
    )
    return {"thema": thema, "doel": doel, "armoede": armoede}


def url(wijk, suffix=""):
    return f"/signalen/rapport/{wijk.code}/{suffix}"


def test_the_report_per_role(
    client,
    wijk,
    other_wijk,
    filled,
    professional,
    outsider_professional,
    ambtenaar,
    outsider_ambtenaar,
    bewoner,
    beheerder,
):
    for address in (url(wijk), url(wijk, "rapport.csv")):
        response = client.get(address)
        assert response.status_code == 302
        assert "/login" in response["Location"]
        # An officer of the gemeente: 403 until the team shares its report
        # (tests/signalen/test_report_sharing.py); of another gemeente: 404.
        for user in (bewoner, ambtenaar, beheerder):
            client.force_login(user)
            assert client.get(address).status_code == 403, user
        for user in (outsider_professional, outsider_ambtenaar):
            client.force_login(user)
            assert client.get(address).status_code == 404, user
        client.force_login(professional)
        assert client.get(address).status_code == 200
        client.logout()
    client.force_login(professional)
    for code in (other_wijk.code, "WK999999", "<script>"):
        assert client.get(f"/signalen/rapport/{code}/").status_code == 404
    # A POST is the share switch: without a choice it is refused.
    assert client.post(url(wijk)).status_code == 400


def test_the_report_shows_what_the_team_did(client, professional, wijk, filled):
    client.force_login(professional)
    response = client.get(url(wijk))
    page = response.content.decode()
    for expected in (
        "Eenzame ouderen in de flat",
        "opgepakt",
        "ouderen, flat",
        "Koffie op dinsdag",
        "Past goed",
        "Buurthuis weer open",
        "We openen het buurthuis in mei.",
        "=HYPERLINK(doel)",
        "20 van 40 (50%)",
        'media="print"',
        "print-report.css",
    ):
        assert expected in page, expected
    # no forms print: the period form is marked as not for print
    assert 'class="bw-details bw-no-print"' in page


def test_the_report_never_holds_signal_text(client, professional, wijk, filled):
    client.force_login(professional)
    page = client.get(url(wijk)).content.decode()
    csv_text = client.get(url(wijk, "rapport.csv")).content.decode("utf-8-sig")
    for text in (page, csv_text):
        assert "zqxjv-uniek-signaal" not in text
        assert "Mevrouw op nummer 12" not in text


def test_no_category_count_below_k(client, professional, wijk, filled):
    data = report.team_report(
        wijk=wijk, user=professional, date_from=day(-364), date_to=day(0)
    )
    k = settings.K_ANONYMITY
    shown = {line.code: line.count for line in data.categories}
    assert shown["eenzaamheid"].value == 7  # only the wijk grouping is summed
    assert shown[filled["armoede"].code].is_hidden
    for line in data.categories:
        assert line.count.value is None or line.count.value >= k
    assert data.categories_total is not None
    # 2 hides among several empty categories: the total does not give it away
    assert data.categories_total.value == 9
    client.force_login(professional)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(url(wijk, "rapport.csv")).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    start = next(
        i for i, row in enumerate(rows) if row and row[0].startswith("Signalen per")
    )
    table = rows[start + 2 :]
    assert ["Eenzaamheid", "7"] in [row[:2] for row in table] or any(
        row[1] == "7" for row in table if len(row) > 1
    )
    for row in table:
        if len(row) > 1 and row[1].isdigit():
            assert int(row[1]) >= k
    page = client.get(url(wijk)).content.decode()
    assert "verborgen" in page


def test_the_period_filter(client, professional, wijk, filled):
    old = WijkThema.objects.create(
        wijk=wijk,
        label="oud, thema",
        first_observed_on=day(-800),
        last_observed_on=day(-700),
    )
    client.force_login(professional)
    page = client.get(url(wijk)).content.decode()
    assert old.display_name not in page  # default: the last 12 months
    page = client.get(
        url(wijk), {"van": day(-750).isoformat(), "tot": day(0).isoformat()}
    ).content.decode()
    assert old.display_name in page
    response = client.get(
        url(wijk), {"van": day(0).isoformat(), "tot": day(-10).isoformat()}
    )
    assert response.status_code == 400
    assert "De einddatum ligt voor de begindatum" in response.content.decode()
    response = client.get(url(wijk), {"van": "gisteren", "tot": ""})
    assert response.status_code == 400
    # a wrong period falls back to the default one
    assert "Eenzame ouderen in de flat" in response.content.decode()
    response = client.get(
        url(wijk), {"van": day(-2000).isoformat(), "tot": day(0).isoformat()}
    )
    assert response.status_code == 400


def test_opening_and_downloading_are_audited(client, professional, wijk, filled):
    client.force_login(professional)
    client.get(url(wijk))
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.VIEW
    assert entry.actor == professional
    assert entry.wijk == wijk
    assert entry.detail["rapport"]["to"] == day(0).isoformat()
    response = client.get(url(wijk, "rapport.csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert {"no-store", "private"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    export = AuditEntry.objects.filter(action=AuditAction.EXPORT).get()
    assert export.wijk == wijk
    assert export.detail["rapport"]["format"] == "csv"


def test_the_csv_defuses_formulas(client, professional, wijk, filled):
    client.force_login(professional)
    text = client.get(url(wijk, "rapport.csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK(doel)" in text
    assert ";=HYPERLINK" not in text
    assert "\n=HYPERLINK" not in text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_the_csv_neutralises_every_formula_start(
    client, professional, wijk, filled, start
):
    thema = filled["thema"]
    thema.name = start + "SUM(A1) in de flat"
    thema.save()
    client.force_login(professional)
    text = client.get(url(wijk, "rapport.csv")).content.decode("utf-8-sig")
    cells = [
        cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row
    ]
    assert "'" + start + "SUM(A1) in de flat" in cells
    assert start + "SUM(A1) in de flat" not in cells


def test_the_report_escapes_html(client, professional, wijk, filled):
    thema = filled["thema"]
    thema.name = "<script>alert(1)</script>"
    thema.save()
    client.force_login(professional)
    page = client.get(url(wijk)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_another_wijks_data_stays_out(
    client, professional, wijk, outsider_professional, outsider_wijk, filled
):
    WijkThema.objects.create(
        wijk=outsider_wijk, name="Thema van Hoorn", last_observed_on=day(-1)
    )
    WijkDoel.objects.create(
        wijk=outsider_wijk,
        team=outsider_professional.teams.get(),
        title="Doel van Hoorn",
        indicator="x",
        target_value=3,
        start_date=day(-3),
        deadline=day(3),
    )
    client.force_login(professional)
    page = client.get(url(wijk)).content.decode()
    assert "Thema van Hoorn" not in page
    assert "Doel van Hoorn" not in page


def test_another_teams_escalations_in_the_same_wijk_stay_out(
    client, professional, gemeente, wijk, filled
):
    from accounts.models import Role
    from tests.factories import TeamFactory, UserFactory

    other = UserFactory(
        email="ander-team@example.nl", display_name="Olga Ander", role=Role.PROFESSIONAL
    )
    other_team = TeamFactory(name="Ander team", gemeente=gemeente, wijken=[wijk])
    other_team.members.add(other)
    Escalatie.objects.create(
        thema=filled["thema"],
        team=other_team,
        wijk=wijk,
        title="Signaal van het andere team",
        argument="Hun onderbouwing",
        status=EscalatieStatus.VERSTUURD,
        sent_by=other,
        sent_at=timezone.now() - datetime.timedelta(days=3),
    )
    client.force_login(professional)
    page = client.get(url(wijk)).content.decode()
    assert "Buurthuis weer open" in page
    assert "Signaal van het andere team" not in page
    download = client.get(url(wijk, "rapport.csv")).content.decode("utf-8-sig")
    assert "Buurthuis weer open" in download
    assert "Signaal van het andere team" not in download

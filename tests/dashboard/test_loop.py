"""The collective loop on the dashboards: beleidssignalen and goals for officers, the
public themes ("Wat speelt er in de wijk?") on the public wijk page."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from signalen.escalations import queries as escalation_queries
from signalen.models import (
    Doelgroep,
    DoelVoortgang,
    Escalatie,
    EscalatieGebeurtenis,
    EscalatieStatus,
    ThemaInitiatief,
    ThemaLid,
    ThemaTrekker,
    WijkDoel,
    WijkThema,
)
from tests.conftest import mfa_client
from tests.dashboard.conftest import SECRET_TEXT, week
from tests.initiatieven.factories import InitiatiefFactory
from tests.signalen.helpers import make_signaal

# Dates here are reckoned from today (blocks, weeks, deadlines): pin the clock.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

ARGUMENT = "Onderbouwing-van-het-team: dit moet de gemeente weten."
PUBLIC_TEXT = "Buren zoeken samen een plek om koffie te drinken."


def _theme(wijk, name, **kw):
    data = {
        "label": name,
        "keywords": [name],
        "status": "erkend",
        "visibility": "gemeente",
        "size": 9,
    }
    data.update(kw)
    return WijkThema.objects.create(wijk=wijk, name=name, **data)


def _escalation(thema, team, sender, *, status=EscalatieStatus.VERSTUURD, days=3):
    now = timezone.now()
    escalatie = Escalatie.objects.create(
        thema=thema,
        team=team,
        wijk=thema.wijk,
        title=f"Beleidssignaal over {thema.name}",
        argument=ARGUMENT,
        snapshot={},
        status=status,
        sent_by=sender,
        sent_at=now - datetime.timedelta(days=days),
        received_at=(
            now - datetime.timedelta(days=days - 1)
            if status != EscalatieStatus.VERSTUURD
            else None
        ),
        answered_at=now if status == EscalatieStatus.BEANTWOORD else None,
        answer="Ons antwoord." if status == EscalatieStatus.BEANTWOORD else "",
    )
    EscalatieGebeurtenis.objects.create(
        escalatie=escalatie, actor=sender, status=EscalatieStatus.VERSTUURD
    )
    return escalatie


def _goal(
    wijk, team, author, officer, *, title="Vijftig ouderen doen vrijwilligerswerk"
):
    today = timezone.localdate()
    doel = WijkDoel.objects.create(
        wijk=wijk,
        team=team,
        title=title,
        doelgroep=Doelgroep.objects.get(code="ouderen"),
        indicator="ouderen die vrijwilligerswerk doen",
        start_value=0,
        target_value=50,
        start_date=today - datetime.timedelta(days=50),
        deadline=today + datetime.timedelta(days=50),
        agreed_by=officer,
        created_by=author,
    )
    DoelVoortgang.objects.create(
        doel=doel,
        date=today - datetime.timedelta(days=20),
        value=10,
        author=author,
        note="Notitie-van-de-professional",
    )
    DoelVoortgang.objects.create(
        doel=doel, date=today - datetime.timedelta(days=2), value=20, author=author
    )
    return doel


@pytest.fixture
def loop(wijk, other_wijk, team, professional, ambtenaar, dash_data):
    """Two open escalations and one answered in the wijk, one open in the other wijk,
    one goal with two entries; a signal with secret text in the escalated theme."""
    first = _theme(wijk, "Vocht in huurwoningen")
    second = _theme(wijk, "Energiearmoede")
    third = _theme(wijk, "Te weinig bankjes")
    signaal = make_signaal(author=professional, team=team, text=SECRET_TEXT)
    ThemaLid.objects.create(thema=first, signaal=signaal)
    open_one = _escalation(first, team, professional, days=5)
    open_two = _escalation(
        second, team, professional, status=EscalatieStatus.ONTVANGEN, days=2
    )
    answered = _escalation(
        third, team, professional, status=EscalatieStatus.BEANTWOORD, days=9
    )
    elsewhere = _escalation(
        _theme(other_wijk, "Elders"),
        team,
        professional,
        status=EscalatieStatus.IN_BEHANDELING,
    )
    doel = _goal(wijk, team, professional, ambtenaar)
    return {
        "open": [open_one, open_two],
        "answered": answered,
        "elsewhere": elsewhere,
        "doel": doel,
    }


# --- Queries -------------------------------------------------------------------------------


def test_open_escalations_count_everything_not_answered(wijk, other_wijk, loop):
    assert escalation_queries.open_escalations_for_wijken([wijk.pk, other_wijk.pk]) == {
        wijk.pk: 2,
        other_wijk.pk: 1,
    }


def test_open_escalations_of_a_wijk_without_any_is_zero(wijk, outsider_wijk):
    assert escalation_queries.open_escalations_for_wijken(
        [wijk.pk, outsider_wijk.pk]
    ) == {
        wijk.pk: 0,
        outsider_wijk.pk: 0,
    }
    assert escalation_queries.open_escalations_for_wijken([]) == {}


def test_escalations_for_wijk_are_plain_data_open_first(wijk, team, loop):
    rows = escalation_queries.escalations_for_wijk(wijk)
    assert [r.pk for r in rows] == [
        loop["open"][1].pk,  # open, newest first
        loop["open"][0].pk,
        loop["answered"].pk,
    ]
    first = rows[0]
    assert first.status == "ontvangen"
    assert first.status_label == "ontvangen"
    assert first.is_open
    assert first.team == team.name
    assert first.received_at is not None
    assert first.answered_at is None
    assert first.url == f"/signalen/beleidssignalen/{first.pk}/"
    assert not rows[2].is_open
    assert rows[2].answered_at is not None
    # Nothing of the argument, the answer, the signals or the people.
    flat = repr(rows)
    for secret in (ARGUMENT, "Ons antwoord", SECRET_TEXT, "Piet Professional"):
        assert secret not in flat


def test_escalations_for_wijk_of_another_wijk_are_not_mixed_in(other_wijk, loop):
    assert [r.pk for r in escalation_queries.escalations_for_wijk(other_wijk)] == [
        loop["elsewhere"].pk
    ]


# --- Gemeente overview -----------------------------------------------------------------------


def test_overview_has_a_sortable_open_escalations_column(
    client, ambtenaar, gemeente, wijk, other_wijk, loop
):
    client = mfa_client(client, ambtenaar)
    html = client.get(f"/dashboard/{gemeente.code}/").content.decode()
    assert "Open beleidssignalen" in html
    assert "sort=-beleidssignalen" in html
    response = client.get(f"/dashboard/{gemeente.code}/?sort=-beleidssignalen")
    names = [row.name for row in response.context["rows"]]
    assert names == [wijk.name, other_wijk.name]
    assert [row.open_escalations for row in response.context["rows"]] == [2, 1]
    response = client.get(f"/dashboard/{gemeente.code}/?sort=beleidssignalen")
    assert [row.name for row in response.context["rows"]] == [
        other_wijk.name,
        wijk.name,
    ]


def test_overview_export_has_the_open_escalations(
    client, ambtenaar, gemeente, wijk, loop
):
    client = mfa_client(client, ambtenaar)
    content = client.get(f"/dashboard/{gemeente.code}/export.csv").content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    header = next(r for r in rows if "Open beleidssignalen" in r)
    column = header.index("Open beleidssignalen")
    wijk_row = next(r for r in rows if r and r[0] == wijk.name)
    assert wijk_row[column] == "2"
    book = load_workbook(
        io.BytesIO(client.get(f"/dashboard/{gemeente.code}/export.xlsx").content)
    )
    values = [list(r) for r in book["Wijken"].iter_rows(values_only=True)]
    column = values[0].index("Open beleidssignalen")
    assert next(r for r in values if r[0] == wijk.name)[column] == "2"


# --- Wijk dashboard ------------------------------------------------------------------------


def test_officer_sees_escalations_with_status_dates_and_a_link(
    client, ambtenaar, wijk, team, loop
):
    client = mfa_client(client, ambtenaar)
    response = client.get(f"/dashboard/wijk/{wijk.code}/")
    html = response.content.decode()
    assert 'id="beleidssignalen-kop"' in html
    for escalatie in [*loop["open"], loop["answered"]]:
        assert escalatie.title in html
        assert f'href="/signalen/beleidssignalen/{escalatie.pk}/"' in html
    assert loop["elsewhere"].title not in html
    assert "in behandeling" not in html  # the other wijk's status
    assert "ontvangen" in html
    assert "beantwoord" in html
    assert team.name in html
    figures = {f.label: f.value for f in response.context["key_figures"]}
    assert figures["Open beleidssignalen"] == "2"
    # The officer can open the detail page the dashboard links to.
    detail = f"/signalen/beleidssignalen/{loop['open'][0].pk}/"
    assert client.get(detail).status_code == 200


def test_beheerder_sees_the_escalations_without_links(client, beheerder, wijk, loop):
    client = mfa_client(client, beheerder)
    html = client.get(f"/dashboard/wijk/{wijk.code}/").content.decode()
    assert loop["open"][0].title in html
    assert "/signalen/beleidssignalen/" not in html


def test_officer_of_another_gemeente_sees_nothing(
    client, outsider_ambtenaar, wijk, loop
):
    client = mfa_client(client, outsider_ambtenaar)
    assert client.get(f"/dashboard/wijk/{wijk.code}/").status_code == 404


@pytest.mark.parametrize("role", ["bewoner", "professional"])
def test_residents_and_professionals_do_not_get_the_officer_sections(
    client, wijk, loop, role, request
):
    client = mfa_client(client, request.getfixturevalue(role))
    assert client.get(f"/dashboard/wijk/{wijk.code}/").status_code == 403


def test_officer_sees_goals_with_progress_in_words(client, ambtenaar, wijk, loop):
    client = mfa_client(client, ambtenaar)
    html = client.get(f"/dashboard/wijk/{wijk.code}/").content.decode()
    assert 'id="doelen-kop"' in html
    assert "Vijftig ouderen doen vrijwilligerswerk" in html
    assert "ouderen die vrijwilligerswerk doen" in html
    # The same words as on the team's goal pages (signalen.goals.queries.progress_bar).
    assert "20 van 50 (40%), nog 50 dagen" in html
    assert "50% van de tijd is voorbij." in html
    assert "achter op schema" in html
    assert 'class="bw-goal-bar"' in html
    assert 'width="40.0%"' in html  # the bar, with the same facts in the text
    assert timezone.localdate().strftime("%Y") in html


def test_officer_sections_show_no_professional_names_and_no_signal_text(
    client, ambtenaar, wijk, professional, loop
):
    client = mfa_client(client, ambtenaar)
    pages = [
        client.get(f"/dashboard/wijk/{wijk.code}/").content.decode(),
        client.get(f"/dashboard/wijk/{wijk.code}/export.csv").content.decode(
            "utf-8-sig"
        ),
    ]
    for text in pages:
        assert professional.display_name not in text
        assert professional.email not in text
        assert SECRET_TEXT not in text
        assert ARGUMENT not in text
        assert "Notitie-van-de-professional" not in text


def test_closed_goals_are_left_out(client, ambtenaar, wijk, loop):
    WijkDoel.objects.filter(pk=loop["doel"].pk).update(is_closed=True)
    client = mfa_client(client, ambtenaar)
    html = client.get(f"/dashboard/wijk/{wijk.code}/").content.decode()
    assert "Vijftig ouderen" not in html
    assert "Er zijn (nog) geen lopende doelen voor deze wijk." in html


def test_wijk_without_goals_or_escalations_says_so(client, ambtenaar, wijk, dash_data):
    client = mfa_client(client, ambtenaar)
    response = client.get(f"/dashboard/wijk/{wijk.code}/")
    html = response.content.decode()
    assert "geen beleidssignalen naar de gemeente gestuurd" in html
    assert "geen lopende doelen" in html
    figures = {f.label: f.value for f in response.context["key_figures"]}
    assert figures["Open beleidssignalen"] == "0"


def test_goal_title_with_html_is_escaped(client, ambtenaar, wijk, team, professional):
    _goal(wijk, team, professional, ambtenaar, title="<script>alert(1)</script>")
    client = mfa_client(client, ambtenaar)
    html = client.get(f"/dashboard/wijk/{wijk.code}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_wijk_exports_have_escalations_and_goals(client, ambtenaar, wijk, loop):
    client = mfa_client(client, ambtenaar)
    content = client.get(f"/dashboard/wijk/{wijk.code}/export.csv").content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert ["Beleidssignalen"] in rows
    assert ["Doelen"] in rows
    titles = {r[0] for r in rows if r}
    assert loop["open"][0].title in titles
    assert loop["elsewhere"].title not in titles
    goal = next(r for r in rows if r and r[0] == loop["doel"].title)
    assert goal[4:9] == ["meer is beter", "0", "20", "50", "40 %"]
    book = load_workbook(
        io.BytesIO(client.get(f"/dashboard/wijk/{wijk.code}/export.xlsx").content)
    )
    assert "Beleidssignalen" in book.sheetnames
    assert "Doelen" in book.sheetnames
    sheet = [list(r) for r in book["Beleidssignalen"].iter_rows(values_only=True)]
    assert len(sheet) == 1 + 3


# --- The public wijk page ------------------------------------------------------------------


@pytest.fixture
def public(wijk, other_wijk, team, professional, bewoner):
    now = timezone.now()
    call = _theme(
        wijk,
        "Eenzaam flat",
        status="opgepakt",
        visibility="publiek",
        size=12,
        public_title="Samen koffie in de flat",
        public_text=PUBLIC_TEXT,
        is_call=True,
        public_approved_at=now,
        public_approved_by=professional,
    )
    # 12 members in a block that is over: the size outside the team counts only
    # such blocks (signalen.themes.queries.theme_outside_sizes).
    for n in range(12):
        ThemaLid.objects.create(
            thema=call,
            signaal=make_signaal(
                author=professional,
                team=team,
                text=SECRET_TEXT if n == 0 else f"Ouderen in de flat zitten alleen {n}",
                observed_on=week(1),
            ),
        )
    ThemaInitiatief.objects.create(
        thema=call, initiatief=InitiatiefFactory(wijk=wijk, status="actief")
    )
    ThemaInitiatief.objects.create(
        thema=call, initiatief=InitiatiefFactory(wijk=wijk, is_hidden=True)
    )
    ThemaTrekker.objects.create(thema=call, user=bewoner, show_name=True)
    small = _theme(
        wijk,
        "Klein thema",
        visibility="publiek",
        size=3,
        public_title="Een rustig onderwerp",
        public_text="Een <b>vet</b> onderwerp <script>alert(1)</script>",
        public_approved_at=now,
        public_approved_by=professional,
    )
    hidden = [
        _theme(
            wijk,
            "Alleen gemeente",
            public_title="Niet openbaar A",
            public_text="x",
            public_approved_at=now,
        ),
        _theme(
            wijk,
            "Niet goedgekeurd",
            visibility="publiek",
            public_title="Niet openbaar B",
            public_text="x",
        ),
        _theme(
            wijk,
            "Verworpen",
            visibility="publiek",
            status="verworpen",
            status_reason="nee",
            public_title="Niet openbaar C",
            public_text="x",
            public_approved_at=now,
        ),
        _theme(
            other_wijk,
            "Andere wijk",
            visibility="publiek",
            public_title="Niet openbaar D",
            public_text="x",
            public_approved_at=now,
        ),
    ]
    return {"call": call, "small": small, "hidden": hidden}


@pytest.mark.parametrize(
    "role", [None, "bewoner", "professional", "ambtenaar", "beheerder"]
)
def test_public_page_shows_public_themes_to_everyone(
    client, wijk, public, role, request
):
    if role:
        client = mfa_client(client, request.getfixturevalue(role))
    html = client.get(f"/wijk/{wijk.code}/").content.decode()
    assert "Wat speelt er in de wijk?" in html
    call = public["call"]
    assert "Samen koffie in de flat" in html
    assert PUBLIC_TEXT in html
    assert "Oproep aan bewoners" in html
    assert f'href="/themas/{call.pk}/"' in html
    assert "Begin een initiatief" in html
    assert "Signalen van professionals: 12." in html
    # The hidden initiative does not count.
    assert "1 initiatief pakt dit op." in html
    assert "1 bewoner trekt dit." in html
    # Calls first.
    assert html.index("Samen koffie") < html.index("Een rustig onderwerp")
    for title in (
        "Niet openbaar A",
        "Niet openbaar B",
        "Niet openbaar C",
        "Niet openbaar D",
    ):
        assert title not in html


def test_public_page_never_shows_signal_text_or_small_counts(client, wijk, public):
    html = client.get(f"/wijk/{wijk.code}/").content.decode()
    assert SECRET_TEXT not in html
    assert "Eenzaam flat" not in html  # the team's own name stays inside
    assert "Signalen van professionals: verborgen." in html
    assert "Signalen van professionals: 3." not in html


def test_public_text_is_escaped(client, wijk, public):
    html = client.get(f"/wijk/{wijk.code}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<b>vet</b>" not in html
    assert "&lt;b&gt;vet&lt;/b&gt;" in html


def test_public_page_without_public_themes_says_so(client, wijk):
    html = client.get(f"/wijk/{wijk.code}/").content.decode()
    assert "Het wijkteam heeft hier nog geen onderwerpen gedeeld." in html


def test_public_page_of_an_unknown_wijk_is_404(client):
    assert client.get("/wijk/WK999999/").status_code == 404


# --- Navigation to the feedback page ---------------------------------------------------------


def test_professionals_find_the_feedback_page_from_their_signals(client, professional):
    client = mfa_client(client, professional)
    html = client.get("/signalen/").content.decode()
    assert 'href="/signalen/mijn-signalen/themas/"' in html
    assert "Wat werd er van mijn signalen?" in html
    assert client.get("/signalen/mijn-signalen/themas/").status_code == 200

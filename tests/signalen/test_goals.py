"""Wijk goals: the progress maths, the service rules, and who may do what on the pages.

Professionals of the goal's team write; officers of the wijk's gemeente read; everyone
else sees nothing (anonymous: login; wrong role: 403; someone else's goal: 404).
"""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from accounts.mfa import totp_activate
from accounts.models import Role
from signalen.goals import queries as goal_queries
from signalen.goals import services as goals
from signalen.goals.queries import GoalState, progress_compute
from signalen.goals.services import GoalError
from signalen.goals.views import progress_text
from signalen.models import Doelgroep, DoelVoortgang, WijkDoel, WijkThema
from tests.conftest import FROZEN_NOW, TOTP_SECRET
from tests.factories import TeamFactory, UserFactory

# Dates here are reckoned from today (blocks, weeks, deadlines): pin the clock.
pytestmark = pytest.mark.usefixtures("frozen_now")

TODAY = datetime.date(2026, 3, 1)


def day(offset: int) -> datetime.date:
    """A day counted from the pinned today: the same when the parameters below are
    made (at collection, maybe just before midnight) and when the tests run."""
    return FROZEN_NOW.date() + datetime.timedelta(days=offset)


def goal_data(**kw):
    data = {
        "title": "50 bewoners doen vrijwilligerswerk",
        "indicator": "bewoners die vrijwilligerswerk doen",
        "start_value": 0,
        "target_value": 50,
        "start_date": day(-30),
        "deadline": day(150),
        "doelgroep": None,
        "thema": None,
        "agreed_by": None,
    }
    data.update(kw)
    return data


def form_data(**kw):
    data = {
        "title": "50 bewoners doen vrijwilligerswerk",
        "indicator": "bewoners die vrijwilligerswerk doen",
        "start_value": "0",
        "target_value": "50",
        "start_date": day(-30).isoformat(),
        "deadline": day(150).isoformat(),
        "doelgroep": "",
        "thema": "",
        "agreed_by": "",
    }
    data.update(kw)
    return data


@pytest.fixture
def doel(professional, team, wijk):
    return WijkDoel.objects.create(
        wijk=wijk,
        team=team,
        title="Ouderen naar de soos",
        indicator="ouderen die elke week komen",
        start_value=0,
        target_value=40,
        start_date=day(-100),
        deadline=day(100),
        created_by=professional,
    )


@pytest.fixture
def outsider_doel(outsider_professional, outsider_wijk):
    return WijkDoel.objects.create(
        wijk=outsider_wijk,
        team=outsider_professional.teams.get(),
        title="Geheim doel van Hoorn",
        indicator="iets",
        start_value=0,
        target_value=10,
        start_date=day(-10),
        deadline=day(10),
        created_by=outsider_professional,
    )


@pytest.fixture
def other_team_professional(gemeente, wijk):
    """A professional of a second team that also works in the standing wijk."""
    user = UserFactory(
        email="tweede@example.nl", display_name="Tom Tweede", role=Role.PROFESSIONAL
    )
    TeamFactory(name="Tweede team", gemeente=gemeente, wijken=[wijk]).members.add(user)
    totp_activate(user=user, secret=TOTP_SECRET)
    return user


# --- Progress maths ------------------------------------------------------------------


def compute(current, *, start=0, target=50, today=TODAY, days_in=50, days_total=100):
    start_date = today - datetime.timedelta(days=days_in)
    return progress_compute(
        start_value=start,
        target_value=target,
        current_value=current,
        start_date=start_date,
        deadline=start_date + datetime.timedelta(days=days_total),
        today=today,
    )


def test_halfway_in_time_and_value_is_on_track():
    progress = compute(25)
    assert progress.share_done == 0.5
    assert progress.share_time == 0.5
    assert progress.on_track
    assert progress.state == GoalState.ON_TRACK
    assert progress.days_left == 50
    assert progress.percent_done == 50
    assert progress.percent_time == 50


def test_behind_when_the_value_lags_the_time():
    progress = compute(10)
    assert progress.share_done == pytest.approx(0.2)
    assert not progress.on_track
    assert progress.state == GoalState.BEHIND


def test_the_share_done_counts_from_the_start_value():
    progress = compute(30, start=10, target=50)
    assert progress.share_done == 0.5
    assert progress.expected_value == 30


def test_before_the_start_no_time_has_passed():
    progress = compute(0, days_in=-5)
    assert progress.share_time == 0
    assert progress.state == GoalState.NOT_STARTED
    assert progress.days_left == 105


def test_after_the_deadline_without_reaching_it():
    progress = compute(40, days_in=120)
    assert progress.share_time == 1
    assert progress.days_left == 0
    assert not progress.on_track
    assert progress.state == GoalState.OVERDUE


def test_reached_is_on_track_even_late_and_past_the_target():
    progress = compute(60, days_in=120)
    assert progress.reached
    assert progress.on_track
    assert progress.state == GoalState.REACHED
    assert progress.share_done == 1.2
    assert progress.bar_done == 100
    assert progress.percent_done == 120


def test_a_value_below_the_start_shows_an_empty_bar():
    progress = compute(5, start=10, target=50)
    assert progress.share_done < 0
    assert progress.bar_done == 0
    assert progress.percent_done == 0


def test_the_progress_text_says_value_target_share_and_days_left():
    assert progress_text(compute(25)) == "25 van 50 (50%), nog 50 dagen"
    assert "einddatum voorbij" in progress_text(compute(10, days_in=101))
    assert "nog 1 dag" in progress_text(compute(10, days_in=99))


# --- The service ---------------------------------------------------------------------


def test_a_professional_creates_a_goal_for_their_team(
    professional, team, wijk, ambtenaar
):
    doelgroep = Doelgroep.objects.get(code="ouderen")
    thema = WijkThema.objects.create(
        wijk=wijk, label="ouderen, soos", visibility="gemeente"
    )
    doel = goals.goal_create(
        actor=professional,
        wijk=wijk,
        data=goal_data(
            title="  50   bewoners  ",
            doelgroep=doelgroep,
            thema=thema,
            agreed_by=ambtenaar,
        ),
    )
    assert doel.team == team
    assert doel.created_by == professional
    assert doel.title == "50 bewoners"
    assert doel.agreed_by == ambtenaar
    assert doel.thema == thema


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"deadline": day(-40)}, "deadline"),  # before the start
        ({"deadline": day(-30)}, "deadline"),  # on the start date
        ({"start_date": day(-60), "deadline": day(-1)}, "deadline"),  # in the past
        ({"target_value": 0}, "target_value"),
        ({"target_value": -5}, "target_value"),
        ({"target_value": "veel"}, "target_value"),
        ({"target_value": None}, "target_value"),
        ({"start_value": 20, "target_value": 20}, "target_value"),
        ({"start_value": -1}, "start_value"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"indicator": "   "}, "indicator"),
        ({"indicator": "x" * 201}, "indicator"),
        ({"start_date": "gisteren"}, "start_date"),
    ],
)
def test_bad_goals_are_refused_and_nothing_is_saved(professional, wijk, changes, field):
    with pytest.raises(GoalError) as caught:
        goals.goal_create(actor=professional, wijk=wijk, data=goal_data(**changes))
    assert field in caught.value.message_dict
    assert not WijkDoel.objects.exists()


def test_a_theme_of_another_wijk_is_refused(professional, wijk, other_wijk):
    elsewhere = WijkThema.objects.create(wijk=other_wijk, label="elders")
    with pytest.raises(GoalError) as caught:
        goals.goal_create(
            actor=professional, wijk=wijk, data=goal_data(thema=elsewhere)
        )
    assert "thema" in caught.value.message_dict


@pytest.mark.parametrize(
    ("visibility", "status", "allowed"),
    [
        ("team", "erkend", False),
        ("gemeente", "erkend", True),
        ("publiek", "opgepakt", True),
        ("gemeente", "verworpen", False),
    ],
)
def test_only_themes_shared_with_the_gemeente_can_belong_to_a_goal(
    professional, wijk, visibility, status, allowed
):
    thema = WijkThema.objects.create(
        wijk=wijk,
        label="ouderen, soos",
        visibility=visibility,
        status=status,
        status_reason="Nee." if status == "verworpen" else "",
    )
    assert (thema in goal_queries.themes_for_goal(wijk)) is allowed
    if allowed:
        doel = goals.goal_create(
            actor=professional, wijk=wijk, data=goal_data(thema=thema)
        )
        assert doel.thema == thema
    else:
        with pytest.raises(GoalError) as caught:
            goals.goal_create(
                actor=professional, wijk=wijk, data=goal_data(thema=thema)
            )
        assert "met de gemeente deelt" in caught.value.message_dict["thema"][0]
        assert not WijkDoel.objects.exists()


def test_the_form_does_not_offer_a_team_only_theme(client, professional, wijk):
    WijkThema.objects.create(wijk=wijk, label="geheim", name="Alleen voor het team")
    WijkThema.objects.create(wijk=wijk, label="gedeeld", visibility="publiek")
    client.force_login(professional)
    page = client.get(f"/signalen/doelen/nieuw/{wijk.code}/").content.decode()
    assert "Alleen voor het team" not in page
    assert "gedeeld" in page


def test_an_officer_does_not_see_a_theme_the_team_keeps_to_itself(
    client, doel, professional, ambtenaar, wijk
):
    thema = WijkThema.objects.create(
        wijk=wijk, label="gedeeld", name="Eenzame ouderen", visibility="gemeente"
    )
    WijkDoel.objects.filter(pk=doel.pk).update(thema=thema)
    url = f"/signalen/doelen/{doel.pk}/"
    client.force_login(ambtenaar)
    assert "Eenzame ouderen" in client.get(url).content.decode()
    # The team takes the theme back (or dismisses it): the officer no longer sees it.
    WijkThema.objects.filter(pk=thema.pk).update(visibility="team")
    assert "Eenzame ouderen" not in client.get(url).content.decode()
    client.force_login(professional)
    assert "Eenzame ouderen" in client.get(url).content.decode()


def test_an_officer_sees_the_team_not_the_person_on_progress_entries(
    client, doel, professional, ambtenaar, team
):
    DoelVoortgang.objects.create(
        doel=doel, date=day(-5), value=12, note="Goede week", author=professional
    )
    url = f"/signalen/doelen/{doel.pk}/"
    client.force_login(ambtenaar)
    page = client.get(url).content.decode()
    assert "Goede week" in page
    assert professional.display_name not in page
    table = page.split("bw-goal-entries", 1)[1].split("</table>", 1)[0]
    assert team.name in table
    client.force_login(professional)
    table = (
        client.get(url)
        .content.decode()
        .split("bw-goal-entries", 1)[1]
        .split("</table>")[0]
    )
    assert professional.display_name in table


def test_agreed_by_must_be_an_officer_of_the_wijks_gemeente(
    professional, wijk, outsider_ambtenaar, colleague, bewoner
):
    for person in (outsider_ambtenaar, colleague, bewoner):
        with pytest.raises(GoalError) as caught:
            goals.goal_create(
                actor=professional, wijk=wijk, data=goal_data(agreed_by=person)
            )
        assert "agreed_by" in caught.value.message_dict
    assert not WijkDoel.objects.exists()


def test_only_professionals_of_a_team_in_the_wijk_create_goals(
    wijk, other_wijk, professional, outsider_professional, ambtenaar, bewoner, beheerder
):
    for actor, target in (
        (outsider_professional, wijk),
        (ambtenaar, wijk),
        (bewoner, wijk),
        (beheerder, wijk),
        (professional, other_wijk),
    ):
        with pytest.raises(GoalError) as caught:
            goals.goal_create(actor=actor, wijk=target, data=goal_data())
        assert caught.value.code == "forbidden"
    assert not WijkDoel.objects.exists()


def test_the_database_refuses_a_deadline_not_after_the_start(team, wijk):
    with pytest.raises(IntegrityError), transaction.atomic():
        WijkDoel.objects.create(
            wijk=wijk,
            team=team,
            title="x",
            indicator="y",
            target_value=1,
            start_date=day(0),
            deadline=day(0),
        )


def test_update_keeps_an_old_deadline_but_not_a_start_after_the_first_entry(
    doel, professional
):
    DoelVoortgang.objects.create(doel=doel, date=day(-50), value=3, author=professional)
    data = goal_data(title="Nieuw", start_date=doel.start_date, deadline=doel.deadline)
    goals.goal_update(doel=doel, actor=professional, data=data)
    doel.refresh_from_db()
    assert doel.title == "Nieuw"
    with pytest.raises(GoalError) as caught:
        goals.goal_update(
            doel=doel, actor=professional, data=goal_data(start_date=day(-40))
        )
    assert "start_date" in caught.value.message_dict
    doel.refresh_from_db()
    assert doel.start_date == day(-100)


def test_another_team_cannot_change_a_goal(doel, other_team_professional, ambtenaar):
    for actor in (other_team_professional, ambtenaar):
        with pytest.raises(GoalError):
            goals.goal_update(doel=doel, actor=actor, data=goal_data(title="Weg"))
        with pytest.raises(GoalError):
            goals.progress_add(doel=doel, actor=actor, date=day(0), value=5)
        with pytest.raises(GoalError):
            goals.goal_set_closed(doel=doel, actor=actor, closed=True)
    doel.refresh_from_db()
    assert doel.title == "Ouderen naar de soos"
    assert not doel.is_closed
    assert not doel.voortgang.exists()


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"date": day(1)}, "date"),  # in the future
        ({"date": day(-101)}, "date"),  # before the start
        ({"date": "morgen"}, "date"),
        ({"value": -1}, "value"),
        ({"value": "tien"}, "value"),
        ({"value": 2.5}, "value"),
        ({"note": "x" * 501}, "note"),
    ],
)
def test_bad_progress_is_refused(doel, professional, kw, field):
    args = {"date": day(0), "value": 5, "note": ""}
    args.update(kw)
    with pytest.raises(GoalError) as caught:
        goals.progress_add(doel=doel, actor=professional, **args)
    assert field in caught.value.message_dict
    assert not doel.voortgang.exists()


def test_progress_on_the_start_date_and_today_is_fine_but_not_when_closed(
    doel, professional
):
    goals.progress_add(doel=doel, actor=professional, date=day(-100), value=0)
    goals.progress_add(doel=doel, actor=professional, date=day(0), value=12, note="ok")
    assert goal_queries.goal_progress(doel).current_value == 12
    goals.goal_set_closed(doel=doel, actor=professional, closed=True)
    with pytest.raises(GoalError) as caught:
        goals.progress_add(doel=doel, actor=professional, date=day(0), value=13)
    assert caught.value.code == "closed"


def test_the_latest_entry_by_date_is_the_current_value(doel, professional):
    DoelVoortgang.objects.create(doel=doel, date=day(-5), value=20, author=professional)
    DoelVoortgang.objects.create(
        doel=doel, date=day(-20), value=30, author=professional
    )
    row = goal_queries.goal_rows([doel])[0]
    assert row.current_value == 20
    assert row.last_update == day(-5)


def test_goals_for_wijk_gives_plain_rows_for_the_dashboard(doel, professional, wijk):
    DoelVoortgang.objects.create(doel=doel, date=day(-1), value=30, author=professional)
    closed = WijkDoel.objects.create(
        wijk=wijk,
        team=doel.team,
        title="Klaar",
        indicator="x",
        target_value=5,
        start_date=day(-10),
        deadline=day(10),
        is_closed=True,
    )
    rows = goal_queries.goals_for_wijk(wijk, as_of=day(0))
    assert [row.title for row in rows] == ["Ouderen naar de soos"]
    row = rows[0]
    assert row.current_value == 30
    assert row.target_value == 40
    assert row.share_done == 0.75
    assert row.share_time == 0.5
    assert row.on_track
    assert row.last_update == day(-1)
    assert row.days_left == 100
    with_closed = goal_queries.goals_for_wijk(wijk, as_of=day(0), include_closed=True)
    assert closed.pk in [row.pk for row in with_closed]


# --- The pages, per role ---------------------------------------------------------------


def test_the_list_per_role(
    client,
    doel,
    outsider_doel,
    professional,
    outsider_professional,
    other_team_professional,
    ambtenaar,
    outsider_ambtenaar,
    bewoner,
    beheerder,
):
    url = "/signalen/doelen/"
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response["Location"]
    for user in (bewoner, beheerder):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(professional)
    page = client.get(url).content.decode()
    assert "Ouderen naar de soos" in page
    assert "Geheim doel" not in page
    assert "/signalen/doelen/nieuw/WK043901/" in page
    for user in (outsider_professional, other_team_professional, outsider_ambtenaar):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "Ouderen naar de soos" not in response.content.decode()
    client.force_login(ambtenaar)
    page = client.get(url).content.decode()
    assert "Ouderen naar de soos" in page
    assert "Geheim doel" not in page
    assert "/signalen/doelen/nieuw/" not in page


def test_the_detail_per_role(
    client,
    doel,
    professional,
    outsider_professional,
    other_team_professional,
    ambtenaar,
    outsider_ambtenaar,
    bewoner,
    beheerder,
):
    url = f"/signalen/doelen/{doel.pk}/"
    assert client.get(url).status_code == 302
    for user in (bewoner, beheerder):
        client.force_login(user)
        assert client.get(url).status_code == 403
    for user in (outsider_professional, other_team_professional, outsider_ambtenaar):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(professional)
    page = client.get(url).content.decode()
    assert "Stand opslaan" in page
    assert "Doel afsluiten" in page
    client.force_login(ambtenaar)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ouderen naar de soos" in page
    assert "Stand opslaan" not in page
    assert "Doel afsluiten" not in page


def test_writes_per_role(
    client,
    doel,
    wijk,
    professional,
    outsider_professional,
    other_team_professional,
    ambtenaar,
    outsider_ambtenaar,
    bewoner,
    beheerder,
):
    writes = [
        (f"/signalen/doelen/nieuw/{wijk.code}/", form_data(title="Nieuw doel")),
        (f"/signalen/doelen/{doel.pk}/wijzigen/", form_data(title="Gewijzigd")),
        (
            f"/signalen/doelen/{doel.pk}/voortgang/",
            {"date": day(0).isoformat(), "value": "7"},
        ),
        (f"/signalen/doelen/{doel.pk}/afsluiten/", {}),
    ]
    for url, data in writes:
        response = client.post(url, data)
        assert response.status_code == 302
        assert "/login" in response["Location"]
        for user in (bewoner, beheerder, ambtenaar, outsider_ambtenaar):
            client.force_login(user)
            assert client.post(url, data).status_code == 403, (url, user)
        for user in (outsider_professional, other_team_professional):
            client.force_login(user)
            status = client.post(url, data).status_code
            # another team in the same wijk may make its own goal there
            if user is other_team_professional and "nieuw" in url:
                assert status == 302
            else:
                assert status == 404, (url, user)
        client.logout()
    doel.refresh_from_db()
    assert doel.title == "Ouderen naar de soos"
    assert not doel.is_closed
    assert not doel.voortgang.exists()
    assert WijkDoel.objects.filter(title="Nieuw doel").count() == 1  # the second team's
    client.force_login(professional)
    for url, data in writes:
        assert client.post(url, data).status_code == 302, url
    doel.refresh_from_db()
    assert doel.title == "Gewijzigd"
    assert doel.is_closed
    assert doel.voortgang.get().value == 7
    assert client.post(f"/signalen/doelen/{doel.pk}/heropenen/").status_code == 302
    doel.refresh_from_db()
    assert not doel.is_closed
    assert client.get(f"/signalen/doelen/{doel.pk}/afsluiten/").status_code == 405


def test_create_in_a_wijk_outside_the_team_is_not_found(
    client, professional, other_wijk, outsider_wijk
):
    client.force_login(professional)
    for code in (other_wijk.code, outsider_wijk.code, "WK999999"):
        assert client.get(f"/signalen/doelen/nieuw/{code}/").status_code == 404
        assert (
            client.post(f"/signalen/doelen/nieuw/{code}/", form_data()).status_code
            == 404
        )
    assert not WijkDoel.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"deadline": day(-31).isoformat()}, "De einddatum moet na de begindatum"),
        ({"target_value": "0"}, "van 1 of meer"),
        ({"target_value": "-3"}, "van 0 of meer"),
        ({"target_value": "-3", "direction": "omlaag"}, "van 0 of meer"),
        ({"direction": "omlaag"}, "lager zijn dan de beginstand"),
        ({"direction": "zijwaarts"}, "omhoog of omlaag"),
        ({"target_value": "tien"}, "Vul een heel getal in"),
        ({"target_value": ""}, "Vul een getal in"),
        ({"title": "x" * 201}, "Te lang"),
        ({"title": ""}, "Schrijf op wat het doel is"),
        ({"start_date": "31-02-2026"}, "Vul een datum in"),
        ({"start_value": "60"}, "hoger zijn dan de beginstand"),
    ],
)
def test_bad_goal_forms_say_what_is_wrong_and_save_nothing(
    client, professional, wijk, changes, message
):
    client.force_login(professional)
    response = client.post(f"/signalen/doelen/nieuw/{wijk.code}/", form_data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WijkDoel.objects.exists()


def test_the_form_refuses_a_theme_of_another_wijk_and_an_outside_officer(
    client, professional, wijk, other_wijk, outsider_ambtenaar
):
    elsewhere = WijkThema.objects.create(wijk=other_wijk, label="elders")
    client.force_login(professional)
    for changes in (
        {"thema": str(elsewhere.pk)},
        {"agreed_by": str(outsider_ambtenaar.pk)},
    ):
        response = client.post(
            f"/signalen/doelen/nieuw/{wijk.code}/", form_data(**changes)
        )
        assert response.status_code == 400
    assert not WijkDoel.objects.exists()


def test_html_is_shown_as_text(client, professional, wijk):
    client.force_login(professional)
    script = "<script>alert('x')</script>"
    response = client.post(
        f"/signalen/doelen/nieuw/{wijk.code}/",
        form_data(title=script, indicator="<b>vet</b>"),
    )
    assert response.status_code == 302
    doel = WijkDoel.objects.get()
    client.post(
        f"/signalen/doelen/{doel.pk}/voortgang/",
        {"date": day(0).isoformat(), "value": "3", "note": "<img src=x onerror=1>"},
    )
    for url in ("/signalen/doelen/", f"/signalen/doelen/{doel.pk}/"):
        page = client.get(url).content.decode()
        assert script not in page
        assert "<b>vet</b>" not in page
        assert "<img src=x" not in page
    assert "&lt;script&gt;" in page
    assert "&lt;img src=x onerror=1&gt;" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": day(1).isoformat(), "value": "3"}, "in de toekomst"),
        ({"date": day(-101).isoformat(), "value": "3"}, "voor de begindatum"),
        ({"date": day(0).isoformat(), "value": "-1"}, "van 0 of meer"),
        ({"date": day(0).isoformat(), "value": "drie"}, "Vul een heel getal in"),
        ({"date": "", "value": "3"}, "Vul een datum in"),
        ({"date": day(0).isoformat(), "value": "3", "note": "x" * 501}, "Te lang"),
    ],
)
def test_bad_progress_forms_say_what_is_wrong(
    client, professional, doel, data, message
):
    client.force_login(professional)
    response = client.post(f"/signalen/doelen/{doel.pk}/voortgang/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not doel.voortgang.exists()


def test_the_detail_shows_the_bar_text_the_chart_and_the_table(
    client, professional, doel
):
    DoelVoortgang.objects.create(
        doel=doel, date=day(-50), value=10, note="Start soos", author=professional
    )
    DoelVoortgang.objects.create(doel=doel, date=day(0), value=20, author=professional)
    client.force_login(professional)
    page = client.get(f"/signalen/doelen/{doel.pk}/").content.decode()
    assert "20 van 40 (50%), nog 100 dagen" in page
    assert "50% van de tijd is voorbij" in page
    assert "op schema" in page
    assert "<polyline" in page
    assert "Start soos" in page
    assert 'width="50.0%"' in page  # the bar, as an SVG attribute (no inline style)
    assert "style=" not in page.split("<main", 1)[1]

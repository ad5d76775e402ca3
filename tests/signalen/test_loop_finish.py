"""The collective loop, finished (issue 7): notices by each person's own mail choice,
officers' comments on wijk goals, goals that count down, taking a theme off the public
pages, and hiding a progress update."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from initiatieven import notifications as notices
from initiatieven.models import Frequentie, Meldingsvoorkeur, Notificatie
from signalen.answers import notifications
from signalen.answers import queries as answer_queries
from signalen.answers import services as answers
from signalen.escalations import services as escalations
from signalen.goals import queries as goal_queries
from signalen.goals import services as goals
from signalen.goals.queries import GoalState, goals_for_wijk, progress_compute
from signalen.goals.services import GoalError
from signalen.models import (
    DoelReactie,
    DoelRichting,
    DoelVoortgang,
    ThemaGebeurtenis,
    ThemaTrekker,
    ThemaVoortgang,
    ThemaZichtbaarheid,
    WijkDoel,
)
from tests.conftest import TOTP_SECRET, mfa_client
from tests.factories import TeamFactory, UserFactory
from tests.signalen.helpers import EXAMPLE, publish_approved
from tests.signalen.test_answers import PUBLIC_TEXT, PUBLIC_TITLE

# Dates here are reckoned from today (blocks, weeks, deadlines): pin the clock.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def public_thema(thema, professional):
    publish_approved(
        actor=professional,
        thema=thema,
        title=PUBLIC_TITLE,
        text=PUBLIC_TEXT,
        is_call=True,
    )
    thema.refresh_from_db()
    return thema


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def choose(frequency, *users):
    for user in users:
        Meldingsvoorkeur.objects.update_or_create(
            user=user, defaults={"frequency": frequency}
        )


def waiting(user):
    return list(Notificatie.objects.filter(user=user, sent_at__isnull=True))


@pytest.fixture
def doel(professional, team, wijk, ambtenaar):
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
        agreed_by=ambtenaar,
    )


@pytest.fixture
def wachtlijst(professional, team, wijk):
    """A goal that counts down: from 40 to at most 15 on the waiting list."""
    return WijkDoel.objects.create(
        wijk=wijk,
        team=team,
        title="Kortere wachtlijst voor schuldhulp",
        indicator="mensen op de wachtlijst",
        direction=DoelRichting.OMLAAG,
        start_value=40,
        target_value=15,
        start_date=day(-50),
        deadline=day(50),
        created_by=professional,
    )


# --- Notices by each person's choice -----------------------------------------------------


def test_a_notice_without_an_initiative_follows_each_choice_once(
    wijk, mailoutbox, bewoner
):
    direct = UserFactory(email="d@example.nl", wijk=wijk)
    daily = UserFactory(email="dag@example.nl", wijk=wijk)
    weekly = UserFactory(email="week@example.nl", wijk=wijk)
    off = UserFactory(email="uit@example.nl", wijk=wijk)
    choose(Frequentie.DIRECT, direct)
    choose(Frequentie.DAGELIJKS, daily)
    choose(Frequentie.WEKELIJKS, weekly)
    choose(Frequentie.UIT, off)
    people = [direct, daily, weekly, off]

    first = notices.notice_send(
        users=people, title="Iets", text="Er is iets nieuws.", url="/x/", key="k:1"
    )
    again = notices.notice_send(
        users=people, title="Iets", text="Er is iets nieuws.", url="/x/", key="k:1"
    )

    assert (first.sent, first.queued, first.skipped) == (1, 2, 1)
    assert (again.sent, again.queued, again.skipped) == (0, 0, 4)
    assert [m.to for m in mailoutbox] == [[direct.email]]
    assert "Er is iets nieuws." in mailoutbox[0].body
    assert len(waiting(daily)) == 1
    assert len(waiting(weekly)) == 1
    assert not Notificatie.objects.filter(user=off).exists()


def test_a_failed_direct_mail_is_not_marked_as_sent(wijk, mailoutbox, monkeypatch):
    user = UserFactory(email="d@example.nl", wijk=wijk)
    choose(Frequentie.DIRECT, user)

    def broken(**kw):
        raise OSError("smtp weg")

    from initiatieven import reminders

    monkeypatch.setattr(reminders, "send_plain_mail", broken)
    told = notices.notice_send(users=[user], title="T", text="t", url="/", key="k")
    assert told.sent == 0
    monkeypatch.undo()
    # The row is gone, so the next try sends it.
    assert notices.notice_send(users=[user], title="T", text="t", url="/", key="k").sent
    assert len(mailoutbox) == 1


@pytest.fixture
def escalatie(thema, professional, colleague, ambtenaar):
    escalatie = escalations.escalation_send(
        actor=professional,
        thema=thema,
        title="Ouderen zonder ontmoetingsplek",
        argument="Het buurthuis is dicht; het team hoort het vaak.",
        request="Een plek om elkaar te zien.",
    )
    escalations.escalation_receive(actor=ambtenaar, escalatie=escalatie)
    return escalatie


def test_the_answer_of_the_gemeente_follows_each_team_members_choice(
    escalatie,
    ambtenaar,
    professional,
    colleague,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    choose(Frequentie.DIRECT, professional)  # colleague keeps the default: daily
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        escalations.escalation_answer(
            actor=ambtenaar, escalatie=escalatie, answer="We openen het buurthuis."
        )

    assert [m.to for m in mailoutbox] == [[professional.email]]
    (row,) = waiting(colleague)
    assert f"/signalen/beleidssignalen/{escalatie.pk}/" == row.url
    assert row.initiatief_id is None
    # Told once, even when the notice runs again.
    assert (
        escalations.escalation_notify(escalatie_id=escalatie.pk, event="answered") == 0
    )
    assert len(waiting(colleague)) == 1

    assert notices.digest_send(user_id=colleague.pk) == 1
    assert mailoutbox[-1].to == [colleague.email]
    assert "Ouderen zonder ontmoetingsplek" in mailoutbox[-1].body
    assert f"/signalen/beleidssignalen/{escalatie.pk}/" in mailoutbox[-1].body
    assert EXAMPLE not in mailoutbox[-1].body


def test_adopting_a_theme_is_told_by_choice(
    public_thema,
    bewoner,
    professional,
    colleague,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    choose(Frequentie.WEKELIJKS, professional)
    choose(Frequentie.UIT, colleague)
    with django_capture_on_commit_callbacks(execute=True):
        answers.theme_adopt(user=bewoner, thema=public_thema, show_name=False)

    assert mailoutbox == []
    (row,) = waiting(professional)
    assert row.url == f"/signalen/themas/{public_thema.pk}/"
    assert not Notificatie.objects.filter(user=colleague).exists()


def test_a_goal_deadline_waits_in_the_digest_and_is_told_once(
    professional, team, wijk, mailoutbox
):
    doel = WijkDoel.objects.create(
        wijk=wijk,
        team=team,
        title="Ouderen naar de soos",
        indicator="ouderen",
        start_value=0,
        target_value=40,
        start_date=day(-100),
        deadline=day(10),
        created_by=professional,
    )
    assert goals.goal_deadline_notices() == 1
    assert goals.goal_deadline_notices() == 0
    assert goals.goal_deadline_notices(today=day(1)) == 0
    assert mailoutbox == []
    (row,) = waiting(professional)
    assert row.url == f"/signalen/doelen/{doel.pk}/"

    assert notices.digest_send(user_id=professional.pk) == 1
    assert "Ouderen naar de soos" in mailoutbox[0].body


# --- Goals that count down ---------------------------------------------------------------


def down(current, *, days_in=50):
    start_date = timezone.localdate() - datetime.timedelta(days=days_in)
    return progress_compute(
        start_value=40,
        target_value=15,
        current_value=current,
        start_date=start_date,
        deadline=start_date + datetime.timedelta(days=100),
        today=timezone.localdate(),
        direction=DoelRichting.OMLAAG,
    )


def test_a_downward_goal_counts_the_way_down():
    behind = down(30)  # 10 of the 25 down, halfway in time
    assert behind.share_done == pytest.approx(0.4)
    assert not behind.on_track
    assert behind.state == GoalState.BEHIND
    assert behind.bar_done == 40

    on_track = down(25)
    assert on_track.share_done == pytest.approx(0.6)
    assert on_track.on_track
    assert on_track.expected_value == pytest.approx(27.5)

    assert down(15).reached
    assert down(15).state == GoalState.REACHED
    past = down(10)
    assert past.reached
    assert past.percent_done == 120
    assert past.bar_done == 100

    worse = down(45)  # more than at the start
    assert worse.share_done < 0
    assert worse.bar_done == 0
    assert worse.percent_done == 0
    assert not worse.reached


def test_the_text_of_a_downward_goal():
    text = goal_queries.progress_text(down(30))
    assert text == "nu 30, doel hoogstens 15 (40% van de weg vanaf 40), nog 50 dagen"
    assert "de einddatum is vandaag" in goal_queries.progress_text(
        down(30, days_in=100)
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target_value": 50}, "lager zijn dan de beginstand (40)"),
        ({"target_value": 40}, "lager zijn dan de beginstand (40)"),
        ({"target_value": -1}, "0 of meer"),
        ({"start_value": 0, "target_value": 0}, "lager zijn dan de beginstand (0)"),
    ],
)
def test_a_downward_goal_must_go_down(professional, wijk, changes, message):
    data = {
        "title": "Kortere wachtlijst",
        "indicator": "mensen op de wachtlijst",
        "direction": DoelRichting.OMLAAG,
        "start_value": 40,
        "target_value": 15,
        "start_date": day(-1),
        "deadline": day(100),
    }
    data.update(changes)
    with pytest.raises(GoalError) as caught:
        goals.goal_create(actor=professional, wijk=wijk, data=data)
    assert message in " ".join(caught.value.message_dict["target_value"])
    assert not WijkDoel.objects.exists()


def test_a_downward_goal_may_aim_at_zero_an_upward_one_not(professional, wijk):
    data = {
        "title": "Niemand op de wachtlijst",
        "indicator": "mensen op de wachtlijst",
        "direction": DoelRichting.OMLAAG,
        "start_value": 12,
        "target_value": 0,
        "start_date": day(-1),
        "deadline": day(100),
    }
    doel = goals.goal_create(actor=professional, wijk=wijk, data=data)
    assert doel.direction == DoelRichting.OMLAAG
    assert doel.target_value == 0
    with pytest.raises(GoalError):
        goals.goal_create(
            actor=professional,
            wijk=wijk,
            data={**data, "direction": DoelRichting.OMHOOG, "start_value": 0},
        )


def test_the_form_makes_a_downward_goal_and_the_page_says_so(
    client, professional, wijk
):
    client = mfa_client(client, professional)
    page = client.get(f"/signalen/doelen/nieuw/{wijk.code}/").content.decode()
    assert 'value="omlaag"' in page
    response = client.post(
        f"/signalen/doelen/nieuw/{wijk.code}/",
        {
            "title": "Kortere wachtlijst",
            "indicator": "mensen op de wachtlijst",
            "direction": "omlaag",
            "start_value": "40",
            "target_value": "15",
            "start_date": day(-50).isoformat(),
            "deadline": day(50).isoformat(),
        },
    )
    assert response.status_code == 302
    doel = WijkDoel.objects.get()
    assert doel.direction == DoelRichting.OMLAAG
    html = client.get(response["Location"]).content.decode()
    assert "hoogstens 15" in html
    assert "nu 40, doel hoogstens 15 (0% van de weg vanaf 40)" in html

    bad = client.post(
        f"/signalen/doelen/nieuw/{wijk.code}/",
        {
            "title": "Andersom",
            "indicator": "mensen op de wachtlijst",
            "direction": "omlaag",
            "start_value": "10",
            "target_value": "25",
            "start_date": day(-5).isoformat(),
            "deadline": day(50).isoformat(),
        },
    )
    assert bad.status_code == 400
    assert "Moet het aantal juist stijgen? Kies dan" in bad.content.decode()
    assert WijkDoel.objects.count() == 1


def test_a_downward_goal_on_the_dashboard_report_and_deadline(
    client, wachtlijst, professional, ambtenaar, wijk, mailoutbox
):
    DoelVoortgang.objects.create(
        doel=wachtlijst, date=day(-1), value=30, note="", author=professional
    )
    (row,) = goals_for_wijk(wijk)
    assert row.counts_down
    assert row.bar.text.startswith("nu 30, doel hoogstens 15")
    assert row.bar.done == "40.0"

    officer = mfa_client(client, ambtenaar)
    html = officer.get(f"/dashboard/wijk/{wijk.code}/").content.decode()
    assert "nu 30, doel hoogstens 15 (40% van de weg vanaf 40)" in html
    assert "doel hoogstens 15 (omlaag)" in html

    team = mfa_client(client, professional)
    report = team.get(f"/signalen/rapport/{wijk.code}/").content.decode()
    assert "nu 30, doel hoogstens 15" in report
    csv = team.get(f"/signalen/rapport/{wijk.code}/rapport.csv").content.decode()
    assert "omlaag" in csv

    # Not reached yet: the deadline notice comes; at or below 15 it does not.
    WijkDoel.objects.filter(pk=wachtlijst.pk).update(deadline=day(5))
    assert goal_queries.goals_with_deadline_near(today=day(0)) == [wachtlijst]
    DoelVoortgang.objects.create(
        doel=wachtlijst, date=day(0), value=15, note="", author=professional
    )
    assert goal_queries.goals_with_deadline_near(today=day(0)) == []


# --- Comments on a goal -------------------------------------------------------------------


def comment_url(doel):
    return reverse("signalen:doel_comment", kwargs={"pk": doel.pk})


def detail_url(doel):
    return reverse("signalen:doel_detail", kwargs={"pk": doel.pk})


def test_the_officer_comments_and_both_sides_see_it(
    client,
    doel,
    ambtenaar,
    professional,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    choose(Frequentie.DIRECT, professional)
    entry = DoelVoortgang.objects.create(
        doel=doel, date=day(-3), value=12, note="Goede start", author=professional
    )
    officer = mfa_client(client, ambtenaar)
    page = officer.get(detail_url(doel)).content.decode()
    assert "Reactie plaatsen" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            comment_url(doel),
            {
                "reactie-text": "Mooi begin. Lukt 40 voor de zomer?",
                "reactie-voortgang": entry.pk,
            },
        )
    assert response.status_code == 302
    reactie = DoelReactie.objects.get()
    assert response["Location"].endswith(f"#reactie-{reactie.pk}")
    assert reactie.from_gemeente
    assert reactie.voortgang == entry
    assert reactie.author == ambtenaar

    # The team hears of it by their own choice, without the comment's text.
    assert [m.to for m in mailoutbox] == [[professional.email]]
    assert f"/signalen/doelen/{doel.pk}/#reactie-{reactie.pk}" in mailoutbox[0].body
    assert "De gemeente reageert" in mailoutbox[0].body

    officer_page = officer.get(detail_url(doel)).content.decode()
    team_page = mfa_client(client, professional).get(detail_url(doel)).content.decode()
    for html in (officer_page, team_page):
        assert "Mooi begin. Lukt 40 voor de zomer?" in html
        assert "Reactie van de gemeente" in html
        assert "Anna Ambtenaar (gemeente)" in html
        assert "over de stand van" in html


def test_the_team_answers_and_the_officer_sees_the_team_not_the_person(
    client,
    doel,
    ambtenaar,
    professional,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    choose(Frequentie.DAGELIJKS, ambtenaar)
    with django_capture_on_commit_callbacks(execute=True):
        goals.goal_comment_add(doel=doel, actor=professional, text="We doen ons best.")
    reactie = DoelReactie.objects.get()
    assert not reactie.from_gemeente
    # The officer the goal was agreed with finds it in the daily digest.
    (row,) = waiting(ambtenaar)
    assert row.url == f"/signalen/doelen/{doel.pk}/#reactie-{reactie.pk}"
    assert not Notificatie.objects.filter(user=professional).exists()

    html = mfa_client(client, ambtenaar).get(detail_url(doel)).content.decode()
    assert "We doen ons best." in html
    assert "Reactie van het wijkteam" in html
    assert "Piet Professional" not in html
    assert doel.team.name in html


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("outsider_ambtenaar", 404),
        ("outsider_professional", 404),
        ("bewoner", 403),
        ("beheerder", 403),
    ],
)
def test_who_may_not_comment_on_a_goal(client, doel, role, status, request):
    user = request.getfixturevalue(role)
    client = mfa_client(client, user)
    assert client.get(detail_url(doel)).status_code == status
    response = client.post(comment_url(doel), {"reactie-text": "Hallo"})
    assert response.status_code == status
    assert not DoelReactie.objects.exists()


def test_anonymous_is_sent_to_log_in(client, doel):
    response = client.post(comment_url(doel), {"reactie-text": "Hallo"})
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not DoelReactie.objects.exists()


def test_a_professional_of_another_team_in_the_wijk_cannot_comment(
    client, doel, gemeente, wijk
):
    user = UserFactory(email="tweede@example.nl", role=Role.PROFESSIONAL)
    TeamFactory(name="Tweede team", gemeente=gemeente, wijken=[wijk]).members.add(user)
    from accounts.mfa import totp_activate

    totp_activate(user=user, secret=TOTP_SECRET)
    client = mfa_client(client, user)
    assert client.post(comment_url(doel), {"reactie-text": "Hallo"}).status_code == 404
    assert not goal_queries.can_comment_goal(user, doel)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reactie-text": ""}, "Schrijf uw reactie."),
        ({"reactie-text": "   "}, "Schrijf uw reactie."),
        ({"reactie-text": "x" * 2001}, "Te lang"),
        ({"reactie-text": "Goed", "reactie-voortgang": "abc"}, "Kies een stand"),
    ],
)
def test_bad_comments_say_what_is_wrong_and_save_nothing(
    client, doel, ambtenaar, data, message
):
    response = mfa_client(client, ambtenaar).post(comment_url(doel), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DoelReactie.objects.exists()


def test_a_comment_on_an_entry_of_another_goal_is_refused(
    client, doel, wachtlijst, ambtenaar, professional
):
    other = DoelVoortgang.objects.create(
        doel=wachtlijst, date=day(-1), value=30, note="", author=professional
    )
    response = mfa_client(client, ambtenaar).post(
        comment_url(doel), {"reactie-text": "Goed", "reactie-voortgang": other.pk}
    )
    assert response.status_code == 400
    with pytest.raises(GoalError):
        goals.goal_comment_add(doel=doel, actor=ambtenaar, text="Goed", voortgang=other)
    assert not DoelReactie.objects.exists()


def test_a_comment_is_shown_as_text_never_as_html(client, doel, ambtenaar):
    officer = mfa_client(client, ambtenaar)
    officer.post(comment_url(doel), {"reactie-text": "<script>alert(1)</script>"})
    html = officer.get(detail_url(doel)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_team_cannot_pass_signal_text_to_the_gemeente(doel, thema, professional):
    thema.visibility = ThemaZichtbaarheid.GEMEENTE
    thema.save()
    doel.thema = thema
    doel.save()
    with pytest.raises(GoalError) as caught:
        goals.goal_comment_add(doel=doel, actor=professional, text=EXAMPLE)
    assert "eigen woorden" in " ".join(caught.value.message_dict["text"])
    assert not DoelReactie.objects.exists()


# --- Taking a theme off the public pages -----------------------------------------------------


def unpublish_url(thema):
    return reverse("signalen:thema_unpublish", kwargs={"pk": thema.pk})


def test_the_team_takes_a_theme_off_the_public_pages(
    client, public_thema, professional, bewoner, wijk
):
    answers.theme_adopt(user=bewoner, thema=public_thema, show_name=True)
    answers.theme_progress_post(user=bewoner, thema=public_thema, text="We begonnen.")
    assert PUBLIC_TITLE in client.get(wijk.get_absolute_url()).content.decode()

    team = mfa_client(client, professional)
    theme_page = team.get(
        reverse("signalen:thema_detail", kwargs={"pk": public_thema.pk})
    ).content.decode()
    assert "Niet meer openbaar maken" in theme_page
    confirm = team.get(unpublish_url(public_thema))
    assert confirm.status_code == 200
    assert "De oproep aan bewoners stopt ook." in confirm.content.decode()

    response = team.post(
        unpublish_url(public_thema), {"reason": "Klaar: er is een plek"}
    )
    assert response.status_code == 302
    public_thema.refresh_from_db()
    # Back to who could see it before it was made public (here: the team).
    assert public_thema.visibility == ThemaZichtbaarheid.TEAM
    event = public_thema.gebeurtenissen.get(soort=ThemaGebeurtenis.Soort.UNPUBLISHED)
    assert event.detail["reason"] == "Klaar: er is een plek"
    assert event.actor == professional
    # What residents did stays.
    assert ThemaTrekker.objects.filter(thema=public_thema).exists()
    assert ThemaVoortgang.objects.filter(thema=public_thema).exists()
    history = team.get(
        reverse("signalen:thema_detail", kwargs={"pk": public_thema.pk})
    ).content.decode()
    assert "Klaar: er is een plek" in history

    client.logout()
    public = client.get(reverse("themas:detail", kwargs={"pk": public_thema.pk}))
    assert public.status_code == 410
    assert PUBLIC_TITLE not in client.get(wijk.get_absolute_url()).content.decode()
    resident = mfa_client(client, bewoner)
    adopt = resident.post(reverse("themas:progress", kwargs={"pk": public_thema.pk}))
    assert adopt.status_code == 404


def test_unpublishing_goes_back_to_the_visibility_before(professional, thema):
    thema.visibility = ThemaZichtbaarheid.GEMEENTE
    thema.save()
    publish_approved(
        actor=professional,
        thema=thema,
        title=PUBLIC_TITLE,
        text=PUBLIC_TEXT,
        is_call=True,
    )
    answers.theme_unpublish(actor=professional, thema=thema, reason="Te vroeg")
    thema.refresh_from_db()
    assert thema.visibility == ThemaZichtbaarheid.GEMEENTE
    # Publishing again brings it back, without a second call to residents.
    publish_approved(
        actor=professional,
        thema=thema,
        title=PUBLIC_TITLE,
        text=PUBLIC_TEXT,
        is_call=True,
    )
    assert answer_queries.is_public(thema)
    assert notifications.call_notify(thema_id=thema.pk) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": ""}, "Schrijf kort waarom"),
        ({"reason": "   "}, "Schrijf kort waarom"),
        ({"reason": "x" * 501}, "te lang"),
    ],
)
def test_unpublishing_needs_a_reason(client, public_thema, professional, data, message):
    response = mfa_client(client, professional).post(unpublish_url(public_thema), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    public_thema.refresh_from_db()
    assert public_thema.visibility == ThemaZichtbaarheid.PUBLIEK


def test_unpublishing_twice_says_so(client, public_thema, professional):
    team = mfa_client(client, professional)
    team.post(unpublish_url(public_thema), {"reason": "Klaar"})
    again = team.post(unpublish_url(public_thema), {"reason": "Klaar"})
    assert again.status_code == 400
    assert "staat al niet meer" in again.content.decode()
    assert (
        public_thema.gebeurtenissen.filter(
            soort=ThemaGebeurtenis.Soort.UNPUBLISHED
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("bewoner", 403),
        ("ambtenaar", 403),
        ("beheerder", 403),
        ("outsider_professional", 404),
    ],
)
def test_who_may_not_unpublish(client, public_thema, role, status, request):
    client = mfa_client(client, request.getfixturevalue(role))
    assert client.get(unpublish_url(public_thema)).status_code == status
    assert (
        client.post(unpublish_url(public_thema), {"reason": "Weg"}).status_code
        == status
    )
    public_thema.refresh_from_db()
    assert public_thema.visibility == ThemaZichtbaarheid.PUBLIEK


def test_anonymous_cannot_unpublish(client, public_thema):
    response = client.post(unpublish_url(public_thema), {"reason": "Weg"})
    assert response.status_code == 302
    public_thema.refresh_from_db()
    assert public_thema.visibility == ThemaZichtbaarheid.PUBLIEK


# --- Hiding a progress update -------------------------------------------------------------------


@pytest.fixture
def update(public_thema, bewoner):
    answers.theme_adopt(user=bewoner, thema=public_thema, show_name=False)
    return answers.theme_progress_post(
        user=bewoner, thema=public_thema, text="Bel Jan op 06-12345678 voor meer."
    )


def hide_url(update):
    return reverse(
        "themas:progress_hide",
        kwargs={"pk": update.thema_id, "voortgang_pk": update.pk},
    )


def show_url(update):
    return reverse(
        "themas:progress_show",
        kwargs={"pk": update.thema_id, "voortgang_pk": update.pk},
    )


def public_url(update):
    return reverse("themas:detail", kwargs={"pk": update.thema_id})


@pytest.mark.parametrize("role", ["professional", "beheerder"])
def test_the_team_or_a_beheerder_hides_and_shows_an_update(
    client, update, role, request
):
    user = request.getfixturevalue(role)
    moderator = mfa_client(client, user)
    assert "Dit bericht verbergen" in moderator.get(public_url(update)).content.decode()
    field = f"verberg-{update.pk}-reason"
    response = moderator.post(
        hide_url(update), {field: "Er staat een telefoonnummer in"}
    )
    assert response.status_code == 302

    update.refresh_from_db()
    assert update.is_hidden
    assert update.hidden_reason == "Er staat een telefoonnummer in"
    assert update.hidden_by == user
    assert update.hidden_at is not None
    event = update.thema.gebeurtenissen.get(
        soort=ThemaGebeurtenis.Soort.PROGRESS_HIDDEN
    )
    assert event.detail == {
        "voortgang": update.pk,
        "reason": "Er staat een telefoonnummer in",
    }
    team_view = moderator.get(public_url(update)).content.decode()
    assert "Verborgen berichten" in team_view
    assert "Er staat een telefoonnummer in" in team_view

    client.logout()
    assert "06-12345678" not in client.get(public_url(update)).content.decode()

    moderator = mfa_client(client, user)
    assert moderator.post(show_url(update)).status_code == 302
    update.refresh_from_db()
    assert not update.is_hidden
    assert update.thema.gebeurtenissen.filter(
        soort=ThemaGebeurtenis.Soort.PROGRESS_SHOWN
    ).exists()
    client.logout()
    assert "06-12345678" in client.get(public_url(update)).content.decode()


@pytest.mark.parametrize("role", ["bewoner", "ambtenaar", "outsider_professional"])
def test_others_cannot_hide_an_update(client, update, role, request):
    user = request.getfixturevalue(role)
    client = mfa_client(client, user)
    assert (
        "Dit bericht verbergen" not in client.get(public_url(update)).content.decode()
    )
    field = f"verberg-{update.pk}-reason"
    assert client.post(hide_url(update), {field: "Weg"}).status_code == 404
    assert client.post(show_url(update)).status_code == 404
    update.refresh_from_db()
    assert not update.is_hidden
    with pytest.raises(answers.ThemeError):
        answers.progress_set_hidden(
            actor=user, voortgang=update, hidden=True, reason="x"
        )


def test_anonymous_hiding_is_sent_to_log_in(client, update):
    response = client.post(hide_url(update), {f"verberg-{update.pk}-reason": "Weg"})
    assert response.status_code == 302
    assert "login" in response["Location"]
    update.refresh_from_db()
    assert not update.is_hidden


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Schrijf kort waarom u dit verbergt."), ("x" * 501, "te lang")],
)
def test_hiding_needs_a_reason(client, update, professional, reason, message):
    response = mfa_client(client, professional).post(
        hide_url(update), {f"verberg-{update.pk}-reason": reason}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    update.refresh_from_db()
    assert not update.is_hidden


def test_an_update_of_another_theme_is_not_found(client, update, professional, thema):
    url = reverse(
        "themas:progress_hide", kwargs={"pk": update.thema_id, "voortgang_pk": 999_999}
    )
    response = mfa_client(client, professional).post(
        url, {"verberg-999999-reason": "x"}
    )
    assert response.status_code == 404

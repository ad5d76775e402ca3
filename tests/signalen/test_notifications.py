"""Notifications of the collective loop (signalen/notifications.py): residents hear of a
new public call in their wijk (respecting their mail preference, once per theme), and
the team hears when a wijk goal's deadline is near (once per goal and deadline)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.models import Role
from initiatieven.models import Frequentie, Meldingsvoorkeur
from signalen import answers, goals, notifications
from signalen.models import DoelVoortgang, ThemaZichtbaarheid, WijkDoel
from signalen.tasks import goal_deadline_notices as goal_deadline_task
from tests.factories import UserFactory
from tests.signalen.helpers import make_signaal
from tests.signalen.test_answers import (
    EXAMPLE,
    PUBLIC_TEXT,
    PUBLIC_TITLE,
    last_block_day,
    make_thema,
)


@pytest.fixture
def thema(professional, colleague, team, wijk):
    signalen = [
        make_signaal(
            author=professional if i % 2 else colleague,
            team=team,
            text=EXAMPLE,
            observed_on=last_block_day(),
        )
        for i in range(6)
    ]
    return make_thema(wijk, signalen=signalen)


def publish(thema, actor, capture, *, is_call=True, title=PUBLIC_TITLE):
    with capture(execute=True):
        answers.theme_publish(
            actor=actor, thema=thema, title=title, text=PUBLIC_TEXT, is_call=is_call
        )


def resident(wijk, email, frequency=None, **kw):
    user = UserFactory(email=email, display_name=email.split("@")[0], wijk=wijk, **kw)
    if frequency is not None:
        Meldingsvoorkeur.objects.create(user=user, frequency=frequency)
    return user


# --- A new public call ----------------------------------------------------------------


def test_residents_of_the_wijk_hear_of_a_new_call_by_their_preference(
    thema,
    professional,
    wijk,
    other_wijk,
    bewoner,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    direct = resident(wijk, "direct@example.nl", Frequentie.DIRECT)
    daily = resident(wijk, "dagelijks@example.nl", Frequentie.DAGELIJKS)
    resident(wijk, "uit@example.nl", Frequentie.UIT)
    resident(other_wijk, "elders@example.nl", Frequentie.DIRECT)
    resident(wijk, "weg@example.nl", Frequentie.DIRECT, is_active=False)
    resident(wijk, "", Frequentie.DIRECT)

    publish(thema, professional, django_capture_on_commit_callbacks)

    # bewoner has no preference row: the default (dagelijks) lets the call through.
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [bewoner.email, direct.email, daily.email]
    )
    # Professionals of the team are not residents: no call mail for them.
    assert professional.email not in [m.to[0] for m in mailoutbox]


def test_the_call_mail_holds_the_public_text_and_never_signal_text(
    thema, professional, bewoner, mailoutbox, django_capture_on_commit_callbacks
):
    publish(thema, professional, django_capture_on_commit_callbacks)

    (mail,) = mailoutbox
    assert "Purmerend Centrum" in mail.subject
    assert PUBLIC_TITLE in mail.body
    assert PUBLIC_TEXT in mail.body
    assert f"/themas/{thema.pk}/" in mail.body
    assert "Beste Bea Bewoner" in mail.body
    assert EXAMPLE not in mail.body
    assert "Kade" not in mail.body
    # The same one-click unsubscribe as the initiative mails.
    assert "List-Unsubscribe" in mail.extra_headers
    assert mail.extra_headers["List-Unsubscribe"].strip("<>") in mail.body


def test_the_call_links_start_from_site_url(
    thema,
    professional,
    bewoner,
    mailoutbox,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.SITE_URL = "https://buurtwijs.example"
    publish(thema, professional, django_capture_on_commit_callbacks)

    assert f"https://buurtwijs.example/themas/{thema.pk}/" in mailoutbox[0].body


def test_no_call_mail_when_published_without_a_call(
    thema, professional, bewoner, mailoutbox, django_capture_on_commit_callbacks
):
    publish(thema, professional, django_capture_on_commit_callbacks, is_call=False)

    assert mailoutbox == []


def test_the_call_mail_goes_out_once_also_after_editing_or_republishing(
    thema, professional, bewoner, mailoutbox, django_capture_on_commit_callbacks
):
    publish(thema, professional, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1

    publish(
        thema, professional, django_capture_on_commit_callbacks, title="Nieuwe titel"
    )
    publish(thema, professional, django_capture_on_commit_callbacks, is_call=False)
    publish(thema, professional, django_capture_on_commit_callbacks, is_call=True)

    assert len(mailoutbox) == 1


def test_a_call_made_later_than_the_first_publication_is_mailed_then(
    thema, professional, bewoner, mailoutbox, django_capture_on_commit_callbacks
):
    publish(thema, professional, django_capture_on_commit_callbacks, is_call=False)
    publish(thema, professional, django_capture_on_commit_callbacks, is_call=True)

    assert [m.to[0] for m in mailoutbox] == [bewoner.email]


def test_a_refused_publication_sends_nothing(
    thema, professional, bewoner, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        pytest.raises(answers.ThemeError),
        django_capture_on_commit_callbacks(execute=True),
    ):
        answers.theme_publish(
            actor=professional, thema=thema, title="", text=PUBLIC_TEXT, is_call=True
        )

    assert mailoutbox == []


def test_call_notify_sends_nothing_for_a_theme_that_is_not_public(
    thema, bewoner, mailoutbox
):
    thema.is_call = True
    thema.public_title = PUBLIC_TITLE
    thema.visibility = ThemaZichtbaarheid.TEAM
    thema.save()

    assert notifications.call_notify(thema_id=thema.pk) == 0
    assert notifications.call_notify(thema_id=999_999) == 0
    assert mailoutbox == []


# --- A goal's deadline is near --------------------------------------------------------


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def doel(wijk, team, professional):
    return WijkDoel.objects.create(
        wijk=wijk,
        team=team,
        title="Ouderen naar de soos",
        indicator="ouderen die elke week komen",
        start_value=0,
        target_value=40,
        start_date=day(-100),
        deadline=day(10),
        created_by=professional,
    )


def test_the_team_hears_once_that_a_goal_deadline_is_near(
    doel,
    professional,
    colleague,
    outsider_professional,
    bewoner,
    ambtenaar,
    mailoutbox,
):
    assert goals.goal_deadline_notices() == 2

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [professional.email, colleague.email]
    )
    mail = mailoutbox[0]
    assert "Ouderen naar de soos" in mail.subject
    assert "Over 10 dagen" in mail.body
    assert f"/signalen/doelen/{doel.pk}/" in mail.body

    # The next day's run (and a second run the same day) sends nothing more.
    assert goals.goal_deadline_notices() == 0
    assert goals.goal_deadline_notices(today=day(1)) == 0
    assert len(mailoutbox) == 2


def test_a_moved_deadline_is_told_again(doel, professional, colleague, mailoutbox):
    goals.goal_deadline_notices()
    doel.deadline = day(5)
    doel.save()

    assert goals.goal_deadline_notices() == 2
    assert "Over 5 dagen" in mailoutbox[-1].body


def test_no_deadline_notice_too_early_after_or_for_other_goals(
    doel, professional, colleague, mailoutbox
):
    doel.deadline = day(goals.DEADLINE_NOTICE_DAYS + 1)
    doel.save()
    assert goals.goal_deadline_notices() == 0

    doel.deadline = day(0)
    doel.save()
    assert goals.goal_deadline_notices() == 0  # the deadline is today: too late

    doel.deadline = day(goals.DEADLINE_NOTICE_DAYS)
    doel.is_closed = True
    doel.save()
    assert goals.goal_deadline_notices() == 0
    assert mailoutbox == []


def test_no_deadline_notice_for_a_goal_already_reached(
    doel, professional, colleague, mailoutbox
):
    DoelVoortgang.objects.create(
        doel=doel, date=day(-1), value=40, note="", author=professional
    )
    assert goals.goal_deadline_notices() == 0

    # A later entry below the target: not reached any more, so the notice comes.
    DoelVoortgang.objects.create(
        doel=doel, date=day(0), value=39, note="", author=professional
    )
    assert goals.goal_deadline_notices() == 2
    assert mailoutbox


def test_the_deadline_notice_holds_no_signal_text(
    doel, professional, colleague, team, mailoutbox
):
    make_signaal(author=professional, team=team, text=EXAMPLE)
    goals.goal_deadline_notices()

    assert mailoutbox
    for mail in mailoutbox:
        assert EXAMPLE not in mail.body
        assert "Kade" not in mail.body


def test_a_failed_deadline_mail_is_tried_again_next_run(
    doel, professional, colleague, mailoutbox, monkeypatch
):
    def broken(**kw):
        raise OSError("smtp down")

    monkeypatch.setattr(notifications, "goal_deadline_mail", broken)
    assert goals.goal_deadline_notices() == 0
    monkeypatch.undo()

    assert goals.goal_deadline_notices() == 2


def test_only_active_professionals_of_the_goals_team_get_it(
    doel, professional, team, mailoutbox
):
    UserFactory(email="oud@example.nl", role=Role.PROFESSIONAL, is_active=False)
    gone = UserFactory(email="gestopt@example.nl", role=Role.PROFESSIONAL)
    gone.is_active = False
    gone.save()
    team.members.add(gone)

    goals.goal_deadline_notices()

    assert [m.to[0] for m in mailoutbox] == [professional.email]


def test_the_beat_task_runs_the_notices(doel, professional, mailoutbox):
    from buurtwijs.schedule import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["signalen-goal-deadline-notices"]
    assert entry["task"] == goal_deadline_task.name
    cache.clear()
    assert goal_deadline_task() == 1
    assert goal_deadline_task() == 0

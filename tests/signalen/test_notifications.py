"""Notifications of the collective loop (signalen/answers/notifications.py): residents hear of a
new public call in their wijk (by their own mail choice: direct, daily or weekly digest,
or not; once per theme), and the team hears when a wijk goal's deadline is near (once
per goal and deadline), by the same choice."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.models import Role
from initiatieven import notifications as initiatieven_notifications
from initiatieven import tasks as initiatieven_tasks
from initiatieven.models import Frequentie, Meldingsvoorkeur, Notificatie
from signalen.answers import notifications
from signalen.answers import services as answers
from signalen.goals import notifications as goal_notifications
from signalen.goals import queries as goal_queries
from signalen.goals import services as goals
from signalen.models import DoelVoortgang, ThemaZichtbaarheid, WijkDoel
from signalen.tasks import goal_deadline_notices as goal_deadline_task
from tests.factories import UserFactory
from tests.signalen.helpers import EXAMPLE, make_signaal, publish_approved
from tests.signalen.test_answers import PUBLIC_TEXT, PUBLIC_TITLE

# Dates here are reckoned from today (blocks, weeks, deadlines): pin the clock.
pytestmark = pytest.mark.usefixtures("frozen_now")


def publish(thema, actor, capture, *, is_call=True, title=PUBLIC_TITLE):
    with capture(execute=True):
        publish_approved(
            actor=actor, thema=thema, title=title, text=PUBLIC_TEXT, is_call=is_call
        )


def resident(wijk, email, frequency=None, **kw):
    user = UserFactory(email=email, display_name=email.split("@")[0], wijk=wijk, **kw)
    if frequency is not None:
        Meldingsvoorkeur.objects.create(user=user, frequency=frequency)
    return user


def choose(frequency, *users):
    for user in users:
        Meldingsvoorkeur.objects.update_or_create(
            user=user, defaults={"frequency": frequency}
        )


@pytest.fixture
def bewoner_direct(bewoner):
    """The resident of the wijk, who chose a mail for each message."""
    choose(Frequentie.DIRECT, bewoner)
    return bewoner


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
    weekly = resident(wijk, "wekelijks@example.nl", Frequentie.WEKELIJKS)
    resident(wijk, "uit@example.nl", Frequentie.UIT)
    resident(other_wijk, "elders@example.nl", Frequentie.DIRECT)
    resident(wijk, "weg@example.nl", Frequentie.DIRECT, is_active=False)
    resident(wijk, "", Frequentie.DIRECT)

    publish(thema, professional, django_capture_on_commit_callbacks)

    # Only who chose "direct" gets a mail at once.
    assert [m.to[0] for m in mailoutbox] == [direct.email]
    # bewoner has no preference row: the default (dagelijks) puts it in the digest.
    waiting = Notificatie.objects.filter(sent_at__isnull=True)
    assert sorted(n.user.email for n in waiting) == sorted(
        [bewoner.email, daily.email, weekly.email]
    )
    assert all(n.initiatief_id is None for n in waiting)
    # Professionals of the team are not residents: no call for them.
    assert not Notificatie.objects.filter(user=professional).exists()


def test_the_daily_digest_lists_the_call_with_its_link(
    thema, professional, bewoner, mailoutbox, django_capture_on_commit_callbacks
):
    monday = datetime.date(2026, 11, 23)
    tuesday = monday + datetime.timedelta(days=1)
    weekly = resident(thema.wijk, "wekelijks@example.nl", Frequentie.WEKELIJKS)
    publish(thema, professional, django_capture_on_commit_callbacks)
    assert mailoutbox == []

    # On a Tuesday only the daily digest goes out.
    assert initiatieven_notifications.digest_users(today=tuesday) == [bewoner.pk]
    assert initiatieven_notifications.digest_send(user_id=bewoner.pk) == 1
    assert initiatieven_notifications.digest_send(user_id=weekly.pk, today=tuesday) == 0
    (mail,) = mailoutbox
    assert mail.to == [bewoner.email]
    assert PUBLIC_TITLE in mail.body
    assert f"/themas/{thema.pk}/" in mail.body
    assert EXAMPLE not in mail.body
    assert "List-Unsubscribe" in mail.extra_headers

    # The weekly one waits for Monday, then gets its own overview, once.
    assert initiatieven_notifications.digest_users(today=monday) == [weekly.pk]
    assert initiatieven_notifications.digest_send(user_id=weekly.pk, today=monday) == 1
    assert mailoutbox[-1].to == [weekly.email]
    assert "weekoverzicht" in mailoutbox[-1].subject
    assert f"/themas/{thema.pk}/" in mailoutbox[-1].body

    # Nothing twice: no digest is left, and publishing again tells nobody.
    assert initiatieven_notifications.digest_users(today=monday) == []
    assert initiatieven_notifications.digest_send(user_id=bewoner.pk) == 0
    publish(thema, professional, django_capture_on_commit_callbacks, is_call=False)
    publish(thema, professional, django_capture_on_commit_callbacks, is_call=True)
    assert notifications.call_notify(thema_id=thema.pk) == 0
    assert initiatieven_notifications.digest_users(today=monday) == []
    assert len(mailoutbox) == 2


def test_the_daily_digest_task_skips_weekly_readers_until_their_day(
    thema,
    professional,
    bewoner,
    mailoutbox,
    django_capture_on_commit_callbacks,
    settings,
):
    weekly = resident(thema.wijk, "wekelijks@example.nl", Frequentie.WEKELIJKS)
    publish(thema, professional, django_capture_on_commit_callbacks)
    today = timezone.localdate()
    settings.DIGEST_WEEKDAY = (today.weekday() + 1) % 7  # tomorrow

    with django_capture_on_commit_callbacks(execute=True):
        sent = initiatieven_tasks.send_digests()
    assert sent == 1
    assert [m.to[0] for m in mailoutbox] == [bewoner.email]

    settings.DIGEST_WEEKDAY = today.weekday()
    with django_capture_on_commit_callbacks(execute=True):
        sent = initiatieven_tasks.send_digests()
    assert sent == 1
    assert [m.to[0] for m in mailoutbox] == [bewoner.email, weekly.email]
    with django_capture_on_commit_callbacks(execute=True):
        sent = initiatieven_tasks.send_digests()
    assert sent == 0


def test_a_call_for_someone_who_chose_no_mail_is_not_kept(
    thema, professional, bewoner, mailoutbox, django_capture_on_commit_callbacks
):
    choose(Frequentie.UIT, bewoner)
    publish(thema, professional, django_capture_on_commit_callbacks)

    assert mailoutbox == []
    assert not Notificatie.objects.exists()


def test_the_call_mail_holds_the_public_text_and_never_signal_text(
    thema, professional, bewoner_direct, mailoutbox, django_capture_on_commit_callbacks
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
    bewoner_direct,
    mailoutbox,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.SITE_URL = "https://buurtwijs.example"
    publish(thema, professional, django_capture_on_commit_callbacks)

    assert f"https://buurtwijs.example/themas/{thema.pk}/" in mailoutbox[0].body


def test_no_call_mail_when_published_without_a_call(
    thema, professional, bewoner_direct, mailoutbox, django_capture_on_commit_callbacks
):
    publish(thema, professional, django_capture_on_commit_callbacks, is_call=False)

    assert mailoutbox == []


def test_the_call_mail_goes_out_once_also_after_editing_or_republishing(
    thema, professional, bewoner_direct, mailoutbox, django_capture_on_commit_callbacks
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
    thema, professional, bewoner_direct, mailoutbox, django_capture_on_commit_callbacks
):
    publish(thema, professional, django_capture_on_commit_callbacks, is_call=False)
    publish(thema, professional, django_capture_on_commit_callbacks, is_call=True)

    assert [m.to[0] for m in mailoutbox] == [bewoner_direct.email]


def test_a_refused_publication_sends_nothing(
    thema, professional, bewoner_direct, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        pytest.raises(answers.ThemeError),
        django_capture_on_commit_callbacks(execute=True),
    ):
        publish_approved(
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
    choose(Frequentie.DIRECT, professional)
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
    choose(Frequentie.DIRECT, colleague)
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
    choose(Frequentie.DIRECT, colleague)
    goals.goal_deadline_notices()
    doel.deadline = day(5)
    doel.save()

    assert goals.goal_deadline_notices() == 2
    assert "Over 5 dagen" in mailoutbox[-1].body


def test_no_deadline_notice_too_early_after_or_for_other_goals(
    doel, professional, colleague, mailoutbox
):
    choose(Frequentie.DIRECT, colleague)
    doel.deadline = day(goal_queries.DEADLINE_NOTICE_DAYS + 1)
    doel.save()
    assert goals.goal_deadline_notices() == 0

    doel.deadline = day(0)
    doel.save()
    assert goals.goal_deadline_notices() == 0  # the deadline is today: too late

    doel.deadline = day(goal_queries.DEADLINE_NOTICE_DAYS)
    doel.is_closed = True
    doel.save()
    assert goals.goal_deadline_notices() == 0
    assert mailoutbox == []


def test_no_deadline_notice_for_a_goal_already_reached(
    doel, professional, colleague, mailoutbox
):
    choose(Frequentie.DIRECT, colleague)
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
    choose(Frequentie.DIRECT, colleague)
    make_signaal(author=professional, team=team, text=EXAMPLE)
    goals.goal_deadline_notices()

    assert mailoutbox
    for mail in mailoutbox:
        assert EXAMPLE not in mail.body
        assert "Kade" not in mail.body


def test_a_failed_deadline_mail_is_tried_again_next_run(
    doel, professional, colleague, mailoutbox, monkeypatch
):
    choose(Frequentie.DIRECT, colleague)

    def broken(**kw):
        raise OSError("smtp down")

    monkeypatch.setattr(goal_notifications, "goal_deadline_mail", broken)
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

"""Meetings with agreements, the .ics download and the reminder e-mails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from initiatieven import reminders, tasks
from initiatieven.models import Afspraak, Bijeenkomst
from tests.conftest import mfa_client
from tests.initiatieven.factories import DeelnameFactory, InitiatiefFactory

# Dates here are reckoned from today (blocks, weeks, deadlines): pin the clock.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def _create_url(initiatief):
    return reverse("initiatieven:bijeenkomst-create", args=[initiatief.pk])


def _future(days=7, hour=19, minute=30):
    day = timezone.localdate() + timedelta(days=days)
    return {"date": day.isoformat(), "time": f"{hour:02d}:{minute:02d}"}


def _meeting(initiatief, *, hours=24 * 7, **kwargs):
    return Bijeenkomst.objects.create(
        initiatief=initiatief,
        created_by=initiatief.owner,
        starts_at=timezone.now() + timedelta(hours=hours),
        place=kwargs.pop("place", "Buurthuis De Linde"),
        **kwargs,
    )


def test_an_organiser_plans_a_meeting(client, bewoner, initiatief):
    client.force_login(bewoner)
    assert client.get(_create_url(initiatief)).status_code == 200
    response = client.post(
        _create_url(initiatief),
        {**_future(), "place": "Buurthuis De Linde", "agenda": "1. Welkom"},
    )
    bijeenkomst = Bijeenkomst.objects.get()
    assert response.status_code == 302
    assert response["Location"] == bijeenkomst.get_absolute_url()
    local = timezone.localtime(bijeenkomst.starts_at)
    assert (local.hour, local.minute) == (19, 30)
    page = client.get(initiatief.get_absolute_url()).content.decode()
    assert "Buurthuis De Linde" in page
    page = client.get(bijeenkomst.get_absolute_url()).content.decode()
    assert "1. Welkom" in page


def test_a_date_in_the_past_gets_a_clear_dutch_message(client, bewoner, initiatief):
    client.force_login(bewoner)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        _create_url(initiatief),
        {"date": yesterday.isoformat(), "time": "10:00", "place": "Het plein"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "al voorbij" in body
    assert "Het plein" in body
    assert not Bijeenkomst.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Vul een datum in."),
        ({"date": "", "time": "", "place": ""}, "Vul een datum in."),
        ({"date": "morgen", "time": "19:30", "place": "x"}, "Vul een datum in, bijv"),
        ({"date": "2099-01-01", "time": "laat", "place": "x"}, "Vul een tijd in"),
        ({"date": "2099-01-01", "time": "19:30", "place": ""}, "Vul in waar"),
        ({"date": "2099-01-01", "time": "19:30", "place": "p" * 201}, "Hoogstens 200"),
        (
            {"date": "2099-01-01", "time": "19:30", "place": "<script>x</script>"},
            "Gebruik geen",
        ),
        (
            {"date": "2099-01-01", "time": "19:30", "place": "x", "agenda": "a" * 5001},
            "hoogstens 5000",
        ),
    ],
)
def test_bad_meeting_input_is_refused(client, bewoner, initiatief, data, message):
    client.force_login(bewoner)
    response = client.post(_create_url(initiatief), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Bijeenkomst.objects.exists()


def test_only_organisers_plan_meetings(client, initiatief, buurman, beheerder):
    url = _create_url(initiatief)
    response = client.post(url, {**_future(), "place": "x"})
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    client.force_login(buurman)
    assert client.post(url, {**_future(), "place": "x"}).status_code == 403
    mfa_client(client, beheerder)
    assert client.post(url, {**_future(), "place": "x"}).status_code == 403
    assert not Bijeenkomst.objects.exists()


def test_anyone_who_may_see_the_initiative_sees_the_meeting(
    client, initiatief, hidden_initiatief, buurman
):
    meeting = _meeting(initiatief)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    hidden_meeting = _meeting(hidden_initiatief)
    client.force_login(buurman)
    assert client.get(hidden_meeting.get_absolute_url()).status_code == 404
    url = reverse(
        "initiatieven:bijeenkomst-ics", args=[hidden_initiatief.pk, hidden_meeting.pk]
    )
    assert client.get(url).status_code == 404


def test_a_meeting_cannot_be_reached_through_another_initiative(
    client, initiatief, wijk
):
    meeting = _meeting(initiatief)
    other = InitiatiefFactory(wijk=wijk)
    client.force_login(other.owner)
    for name in ("initiatieven:bijeenkomst", "initiatieven:bijeenkomst-ics"):
        assert client.get(reverse(name, args=[other.pk, meeting.pk])).status_code == 404
    url = reverse("initiatieven:afspraak-add", args=[other.pk, meeting.pk])
    response = client.post(
        url,
        {
            "afspraak-description": "x",
            "afspraak-who_text": "Ik",
            "afspraak-due_date": "2099-01-01",
        },
    )
    assert response.status_code == 404
    url = reverse("initiatieven:afspraak-add", args=[initiatief.pk, meeting.pk])
    assert client.post(url, {}).status_code == 403
    assert not Afspraak.objects.exists()


def test_the_ics_file_has_a_stable_uid_and_amsterdam_time(client, initiatief):
    meeting = _meeting(initiatief, agenda="Koffie")
    url = reverse("initiatieven:bijeenkomst-ics", args=[initiatief.pk, meeting.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["uid"]) == f"bijeenkomst-{meeting.pk}@buurtwijs.nl"
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Amsterdam"
    assert start == meeting.starts_at.replace(microsecond=0)
    assert str(event["location"]) == "Buurthuis De Linde"
    assert calendar.walk("VTIMEZONE")
    again = Calendar.from_ical(client.get(url).content)
    assert str(next(iter(again.walk("VEVENT")))["uid"]) == str(event["uid"])


def test_an_organiser_records_an_agreement_for_a_participant(
    client, bewoner, initiatief, buurman
):
    DeelnameFactory(initiatief=initiatief, user=buurman)
    meeting = _meeting(initiatief)
    client.force_login(bewoner)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Bob Buurman" in page  # offered as a choice
    due = timezone.localdate(meeting.starts_at) + timedelta(days=3)
    response = client.post(
        reverse("initiatieven:afspraak-add", args=[initiatief.pk, meeting.pk]),
        {
            "afspraak-description": "Flyers maken",
            "afspraak-who_user": str(buurman.pk),
            "afspraak-due_date": due.isoformat(),
        },
    )
    assert response.status_code == 302
    afspraak = Afspraak.objects.get()
    assert afspraak.who_user == buurman
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Flyers maken" in page


def test_an_agreement_with_a_free_text_name(client, bewoner, initiatief):
    meeting = _meeting(initiatief)
    client.force_login(bewoner)
    client.post(
        reverse("initiatieven:afspraak-add", args=[initiatief.pk, meeting.pk]),
        {
            "afspraak-description": "Zaal huren",
            "afspraak-who_text": "Mevrouw Jansen",
            "afspraak-due_date": timezone.localdate(meeting.starts_at).isoformat(),
        },
    )
    assert Afspraak.objects.get().who == "Mevrouw Jansen"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Vul in wat er is afgesproken."),
        (
            {"afspraak-description": "x", "afspraak-due_date": "+3"},
            "Kies een deelnemer",
        ),
        (
            {
                "afspraak-description": "x",
                "afspraak-who_text": "Ik",
                "afspraak-due_date": "-1",
            },
            "vóór de bijeenkomst",
        ),
        (
            {
                "afspraak-description": "x",
                "afspraak-who_text": "Ik",
                "afspraak-due_date": "gisteren",
            },
            "Vul een datum in, bijv",
        ),
        (
            {
                "afspraak-description": "x",
                "afspraak-who_user": "99999",
                "afspraak-due_date": "+3",
            },
            "Kies iemand uit de lijst.",
        ),
        (
            {
                "afspraak-description": "x",
                "afspraak-who_user": "abc",
                "afspraak-due_date": "+3",
            },
            "Kies iemand uit de lijst.",
        ),
        (
            {
                "afspraak-description": "d" * 281,
                "afspraak-who_text": "Ik",
                "afspraak-due_date": "+3",
            },
            "Hoogstens 280",
        ),
        (
            {
                "afspraak-description": "<b>x</b>",
                "afspraak-who_text": "Ik",
                "afspraak-due_date": "+3",
            },
            "Gebruik geen",
        ),
    ],
)
def test_bad_agreement_input_is_refused(client, bewoner, initiatief, data, message):
    meeting = _meeting(initiatief)
    day = timezone.localdate(meeting.starts_at)
    data = dict(data)
    if data.get("afspraak-due_date", "").lstrip("+-").isdigit():
        data["afspraak-due_date"] = (
            day + timedelta(days=int(data["afspraak-due_date"]))
        ).isoformat()
    client.force_login(bewoner)
    response = client.post(
        reverse("initiatieven:afspraak-add", args=[initiatief.pk, meeting.pk]), data
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    if data.get("afspraak-description", "").isalpha():
        assert data["afspraak-description"] in body
    assert not Afspraak.objects.exists()


# Reminders ---------------------------------------------------------------------------


def test_the_meeting_reminder_goes_to_participants_and_organisers(
    initiatief, buurman, mailoutbox
):
    DeelnameFactory(initiatief=initiatief, user=buurman)
    meeting = _meeting(initiatief, hours=20, agenda="Koffie en plannen")
    _meeting(initiatief, hours=48)  # not yet
    assert reminders.meetings_due() == [meeting.pk]
    assert tasks.send_due_reminders() == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [initiatief.owner.email, buurman.email]
    )
    mail = mailoutbox[0]
    assert "Morgen" in mail.subject
    assert "Buurthuis De Linde" in mail.body
    assert "Koffie en plannen" in mail.body
    assert "/initiatieven/afmelden/" in mail.body
    assert mail.extra_headers["List-Unsubscribe"].startswith("<http")


def test_the_meeting_reminder_is_sent_only_once(initiatief, mailoutbox):
    meeting = _meeting(initiatief, hours=3)
    assert tasks.send_meeting_reminder(meeting.pk) == 1
    assert tasks.send_meeting_reminder(meeting.pk) == 0
    assert tasks.send_due_reminders() == 0
    assert len(mailoutbox) == 1
    meeting.refresh_from_db()
    assert meeting.reminded_at is not None


def test_a_failed_send_leaves_the_reminder_for_the_next_run(
    initiatief, mailoutbox, monkeypatch
):
    meeting = _meeting(initiatief, hours=3)

    def broken(**kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(reminders, "send_plain_mail", broken)
    with pytest.raises(OSError, match="down"):
        reminders.meeting_remind(bijeenkomst_id=meeting.pk)
    meeting.refresh_from_db()
    assert meeting.reminded_at is None


def test_the_agreement_reminder_goes_to_the_responsible_user(
    initiatief, buurman, mailoutbox
):
    meeting = _meeting(initiatief, hours=-48)
    afspraak = Afspraak.objects.create(
        bijeenkomst=meeting,
        description="Flyers maken",
        who_user=buurman,
        due_date=timezone.localdate() + timedelta(days=1),
    )
    Afspraak.objects.create(
        bijeenkomst=meeting,
        description="Later",
        who_text="Iemand",
        due_date=timezone.localdate() + timedelta(days=10),
    )
    assert reminders.afspraken_due() == [afspraak.pk]
    tasks.send_due_reminders()
    assert [m.to for m in mailoutbox] == [[buurman.email]]
    assert "Flyers maken" in mailoutbox[0].body
    tasks.send_due_reminders()
    assert len(mailoutbox) == 1


def test_an_agreement_with_a_free_text_name_reminds_the_organisers(
    initiatief, buurman, mailoutbox
):
    initiatief.co_organisers.add(buurman)
    meeting = _meeting(initiatief, hours=-2)
    afspraak = Afspraak.objects.create(
        bijeenkomst=meeting,
        description="Zaal huren",
        who_text="Mevrouw Jansen",
        due_date=timezone.localdate(),
    )
    assert tasks.send_afspraak_reminder(afspraak.pk) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [initiatief.owner.email, buurman.email]
    )
    assert "Mevrouw Jansen" in mailoutbox[0].body


def test_no_reminders_for_hidden_initiatives(hidden_initiatief, mailoutbox):
    _meeting(hidden_initiatief, hours=3)
    assert tasks.send_due_reminders() == 0
    assert mailoutbox == []


def test_the_beat_schedule_runs_the_reminders_hourly():
    from buurtwijs.schedule import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["initiatieven-send-due-reminders"]
    assert entry["task"] == tasks.send_due_reminders.name
    assert entry["schedule"].hour == set(range(24))


def test_people_who_switched_mail_off_get_no_reminder(initiatief, buurman, mailoutbox):
    from initiatieven.notifications import frequency_set

    DeelnameFactory(initiatief=initiatief, user=buurman)
    frequency_set(user=buurman, frequency="uit")
    meeting = _meeting(initiatief, hours=3)
    tasks.send_meeting_reminder(meeting.pk)
    assert [m.to for m in mailoutbox] == [[initiatief.owner.email]]


@pytest.mark.parametrize("n", [1, 25])
def test_the_meeting_page_keeps_a_fixed_number_of_queries(
    client, bewoner, initiatief, buurman, n, django_assert_max_num_queries
):
    meeting = _meeting(initiatief)
    for i in range(n):
        DeelnameFactory(initiatief=initiatief)
        Afspraak.objects.create(
            bijeenkomst=meeting,
            description=f"Taak {i}",
            who_user=buurman,
            due_date=timezone.localdate(meeting.starts_at),
        )
    client.force_login(bewoner)
    with django_assert_max_num_queries(8):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200


# Changing and cancelling a meeting ---------------------------------------------------


def _update_url(bijeenkomst):
    return reverse(
        "initiatieven:bijeenkomst-update",
        args=[bijeenkomst.initiatief_id, bijeenkomst.pk],
    )


def _delete_url(bijeenkomst):
    return reverse(
        "initiatieven:bijeenkomst-delete",
        args=[bijeenkomst.initiatief_id, bijeenkomst.pk],
    )


def test_an_organiser_moves_a_meeting_and_the_reminder_goes_out_again(
    client, bewoner, initiatief
):
    bijeenkomst = _meeting(initiatief, reminded_at=timezone.now())
    client.force_login(bewoner)
    page = client.get(_update_url(bijeenkomst)).content.decode()
    assert "Buurthuis De Linde" in page
    response = client.post(
        _update_url(bijeenkomst), {**_future(days=10), "place": "De bibliotheek"}
    )
    assert response.status_code == 302
    bijeenkomst.refresh_from_db()
    assert bijeenkomst.place == "De bibliotheek"
    assert timezone.localdate(bijeenkomst.starts_at) == (
        timezone.localdate() + timedelta(days=10)
    )
    assert bijeenkomst.reminded_at is None


def test_moving_a_meeting_into_the_past_is_refused_and_keeps_the_input(
    client, bewoner, initiatief
):
    bijeenkomst = _meeting(initiatief)
    client.force_login(bewoner)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        _update_url(bijeenkomst),
        {"date": yesterday.isoformat(), "time": "10:00", "place": "Het plein"},
    )
    assert response.status_code == 400
    assert "al voorbij" in response.content.decode()
    assert "Het plein" in response.content.decode()
    bijeenkomst.refresh_from_db()
    assert bijeenkomst.place == "Buurthuis De Linde"


def test_an_organiser_cancels_a_meeting_with_its_agreements(
    client, bewoner, initiatief, django_capture_on_commit_callbacks, mailoutbox
):
    bijeenkomst = _meeting(initiatief)
    Afspraak.objects.create(
        bijeenkomst=bijeenkomst,
        description="Koffie regelen",
        due_date=timezone.localdate() + timedelta(days=8),
    )
    client.force_login(bewoner)
    DeelnameFactory(initiatief=initiatief)
    assert client.get(_delete_url(bijeenkomst)).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_delete_url(bijeenkomst))
    assert response.status_code == 302
    assert not Bijeenkomst.objects.exists()
    assert not Afspraak.objects.exists()
    # The participant hears it is off at once; the organiser who cancelled does not.
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject.startswith("Afgezegd: bijeenkomst van")
    assert "gaat niet door" in mailoutbox[0].body
    assert mailoutbox[0].to != [bewoner.email]


def test_only_organisers_change_or_cancel_a_meeting(client, initiatief, db):
    from tests.factories import UserFactory

    bijeenkomst = _meeting(initiatief)
    outsider = UserFactory(email="buurman@example.nl", wijk=initiatief.wijk)
    assert client.post(_delete_url(bijeenkomst)).status_code == 302  # to login
    client.force_login(outsider)
    assert client.get(_update_url(bijeenkomst)).status_code == 403
    assert client.post(_delete_url(bijeenkomst)).status_code == 403
    assert Bijeenkomst.objects.filter(pk=bijeenkomst.pk).exists()


def test_a_meeting_of_another_initiative_is_not_found_through_this_one(
    client, bewoner, initiatief
):
    other = InitiatiefFactory(owner=bewoner, wijk=initiatief.wijk)
    bijeenkomst = _meeting(other)
    client.force_login(bewoner)
    url = reverse(
        "initiatieven:bijeenkomst-update", args=[initiatief.pk, bijeenkomst.pk]
    )
    assert client.get(url).status_code == 404

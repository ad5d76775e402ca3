"""Beleidssignalen: a team sends a theme to the gemeente, the officer answers.

Services (permissions, transitions, the frozen k-anonymous snapshot, timeline), mail
(new, answered, reminders once per interval) and the pages for every role.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone

from accounts.mfa import totp_activate
from accounts.models import Role
from initiatieven.models import Initiatief
from signalen.escalations import queries as escalation_queries
from signalen.escalations import services as escalations
from signalen.escalations.services import EscalationError
from signalen.kanon import block_start
from signalen.models import (
    Doelgroep,
    Escalatie,
    EscalatieGebeurtenis,
    EscalatieStatus,
    ThemaGebeurtenis,
    ThemaInitiatief,
    ThemaStatus,
    WijkThema,
)
from signalen.themes.queries import themes_for_officer
from tests.conftest import TOTP_SECRET
from tests.factories import TeamFactory, UserFactory
from tests.signalen import helpers
from tests.signalen.conftest import ThemaSpec
from tests.signalen.helpers import last_block_day, mail_at_once, make_signaal

# Dates here are reckoned from today (blocks, weeks, deadlines): pin the clock.
pytestmark = pytest.mark.usefixtures("frozen_now")

SECRET_TEXT = "Mevrouw Zwaluwstaart op nummer 17 eet al weken niet (UNIEK-7Q3)."
ARGUMENT = "Steeds meer ouderen raken alleen; het buurthuis is dicht."


# --- Fixtures ------------------------------------------------------------------------------


@pytest.fixture
def neighbour(gemeente, other_wijk):
    """A professional of another team in the same gemeente (the other wijk)."""
    user = UserFactory(
        email="buur@example.nl", display_name="Nora Naast", role=Role.PROFESSIONAL
    )
    TeamFactory(
        name="Wijkteam Overwhere", gemeente=gemeente, wijken=[other_wijk]
    ).members.add(user)
    totp_activate(user=user, secret=TOTP_SECRET)
    return user


def make_thema(wijk, *, signalen=(), **kw):
    """A theme with a trend and a history, as escalated themes have."""
    return helpers.make_thema(
        wijk,
        signalen=signalen,
        **{
            "size": 12,
            "trend": "rising",
            "recent_count": 7,
            "baseline_count": 3,
            "first_observed_on": timezone.localdate() - datetime.timedelta(days=60),
            **kw,
        },
    )


@pytest.fixture
def thema_spec():
    """Six members for the elderly (the first with a unique text) and one for the
    young."""
    return ThemaSpec(
        first_text=SECRET_TEXT,
        text="Ouderen in de flat zijn alleen.",
        doelgroepen=("ouderen",),
        extra=(("Een jongere.", ("jongeren",)),),
        make=make_thema,
    )


@pytest.fixture
def outsider_thema(outsider_professional, outsider_team, outsider_wijk):
    signalen = [
        make_signaal(author=outsider_professional, team=outsider_team, text="Elders.")
        for _i in range(5)
    ]
    return make_thema(outsider_wijk, signalen=signalen, label="elders")


def send(thema, actor, **kw):
    data = {"title": "Eenzaamheid bij ouderen", "argument": ARGUMENT}
    data.update(kw)
    return escalations.escalation_send(actor=actor, thema=thema, **data)


@pytest.fixture
def escalatie(thema, professional):
    return send(thema, professional)


def login(client, user):
    client.force_login(user)
    return client


# --- Sending -------------------------------------------------------------------------------


def test_send_freezes_k_anonymous_figures(escalatie, thema):
    snap = escalatie.snapshot
    # The size outside the team: the 7 live member signals in complete blocks (the
    # officer's sparkline total), not the engine's own figure.
    assert snap["size"] == 7
    # Below K: stored as None, shown as "verborgen".
    assert snap["authors"] is None
    # No counts per period beside the size: they could add up to a hidden size.
    for key in ("recent", "baseline", "first_observed_on"):
        assert key not in snap
    assert snap["trend"] == "rising"
    assert snap["categorie"]["code"] == "eenzaamheid"
    assert snap["wijk"] == {"code": "WK043901", "name": "Purmerend Centrum"}
    # Nothing the engine wrote leaves the team (signalen.naming).
    assert "keywords" not in snap
    shown = {row["code"]: row["count"] for row in snap["doelgroepen"]["shown"]}
    assert shown == {"ouderen": 6}
    hidden = {row["code"] for row in snap["doelgroepen"]["hidden"]}
    assert "jongeren" in hidden
    # Every active target group is a cell, so a hidden one does not even say it occurs.
    assert len(shown) + len(hidden) == Doelgroep.objects.filter(is_active=True).count()
    for row in snap["doelgroepen"]["hidden"]:
        assert "count" not in row


def test_snapshot_never_shows_a_count_below_k(escalatie):
    snap = escalatie.snapshot
    counts = [snap[key] for key in ("size", "authors")]
    counts += [row["count"] for row in snap["doelgroepen"]["shown"]]
    assert all(value is None or value >= 5 for value in counts)


def test_snapshot_holds_no_signal_text_and_no_people(
    escalatie, professional, colleague
):
    dumped = json.dumps(escalatie.snapshot, ensure_ascii=False)
    assert "UNIEK-7Q3" not in dumped
    assert "Zwaluwstaart" not in dumped
    for person in (professional, colleague):
        assert person.display_name not in dumped
        assert person.email not in dumped


def test_snapshot_stays_frozen_when_the_theme_changes(
    escalatie, thema, professional, team
):
    WijkThema.objects.filter(pk=thema.pk).update(size=40, trend="falling")
    make_signaal(
        author=professional,
        team=team,
        text="Nog een.",
        observed_on=last_block_day(),
    ).thema_leden.create(thema=thema)
    escalatie.refresh_from_db()
    assert escalatie.snapshot["size"] == 7
    assert escalatie.snapshot["trend"] == "rising"


def test_snapshot_lists_linked_initiatives_but_not_hidden_ones(
    thema, professional, wijk, bewoner
):
    shown = Initiatief.objects.create(
        title="Koffie in de flat", summary="Elke week.", wijk=wijk, owner=bewoner
    )
    hidden = Initiatief.objects.create(
        title="Verborgen plan",
        summary="Weg.",
        wijk=wijk,
        owner=bewoner,
        is_hidden=True,
    )
    for initiatief in (shown, hidden):
        ThemaInitiatief.objects.create(thema=thema, initiatief=initiatief)
    snap = send(thema, professional).snapshot
    assert snap["initiatieven"] == [
        {
            "title": "Koffie in de flat",
            "status": "idee",
            "status_label": "Idee",
            "url": f"/initiatieven/{shown.pk}/",
        }
    ]


def test_send_writes_the_timeline_and_the_theme_history(escalatie, thema, team):
    assert escalatie.status == EscalatieStatus.VERSTUURD
    assert escalatie.team == team
    assert escalatie.wijk == thema.wijk
    steps = list(EscalatieGebeurtenis.objects.filter(escalatie=escalatie))
    assert [s.status for s in steps] == [EscalatieStatus.VERSTUURD]
    event = ThemaGebeurtenis.objects.get(
        thema=thema, soort=ThemaGebeurtenis.Soort.ESCALATED
    )
    assert event.detail["escalatie"] == escalatie.pk


@pytest.mark.parametrize("status", [ThemaStatus.GESIGNALEERD, ThemaStatus.VERWORPEN])
def test_a_theme_the_team_did_not_keep_cannot_be_sent(thema, professional, status):
    WijkThema.objects.filter(pk=thema.pk).update(status=status, status_reason="x")
    thema.refresh_from_db()
    with pytest.raises(EscalationError) as error:
        send(thema, professional)
    assert error.value.code == "status"
    assert not Escalatie.objects.exists()


def test_a_theme_that_is_no_longer_current_cannot_be_sent(thema, professional):
    WijkThema.objects.filter(pk=thema.pk).update(is_current=False)
    thema.refresh_from_db()
    with pytest.raises(EscalationError) as error:
        send(thema, professional)
    assert error.value.code == "not_current"


def test_a_theme_with_an_open_escalation_cannot_be_sent_again(
    escalatie, thema, professional
):
    with pytest.raises(EscalationError) as error:
        send(thema, professional)
    assert error.value.code == "already_open"
    assert Escalatie.objects.count() == 1


def test_after_an_answer_the_theme_can_be_sent_again(
    escalatie, thema, professional, ambtenaar
):
    escalations.escalation_receive(actor=ambtenaar, escalatie=escalatie)
    escalations.escalation_answer(actor=ambtenaar, escalatie=escalatie, answer="Ja.")
    send(thema, professional)
    assert Escalatie.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("title", "   ", "title_required"),
        ("title", "x" * 161, "title_too_long"),
        ("argument", "", "argument_required"),
        ("argument", " \n ", "argument_required"),
        ("argument", "x" * 5001, "argument_too_long"),
        ("request", "x" * 2001, "request_too_long"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(
    thema, professional, field, value, code
):
    with pytest.raises(EscalationError) as error:
        send(thema, professional, **{field: value})
    assert error.value.code == code
    assert not Escalatie.objects.exists()
    assert not ThemaGebeurtenis.objects.filter(
        soort=ThemaGebeurtenis.Soort.ESCALATED
    ).exists()


def test_only_the_team_of_the_wijk_can_send(
    thema, neighbour, outsider_professional, ambtenaar, bewoner, beheerder
):
    for user in (neighbour, outsider_professional, ambtenaar, bewoner, beheerder):
        with pytest.raises(EscalationError) as error:
            send(thema, user)
        assert error.value.code == "forbidden"
    assert not Escalatie.objects.exists()


# --- The gemeente's steps --------------------------------------------------------------------


def test_officer_receives_starts_and_answers(escalatie, ambtenaar):
    escalations.escalation_receive(actor=ambtenaar, escalatie=escalatie)
    assert escalatie.status == EscalatieStatus.ONTVANGEN
    assert escalatie.received_at is not None
    escalations.escalation_start(actor=ambtenaar, escalatie=escalatie)
    escalations.escalation_answer(
        actor=ambtenaar, escalatie=escalatie, answer="  We openen het buurthuis.  "
    )
    escalatie.refresh_from_db()
    assert escalatie.status == EscalatieStatus.BEANTWOORD
    assert escalatie.answer == "We openen het buurthuis."
    assert escalatie.answered_at is not None
    assert escalatie.handled_by == ambtenaar
    steps = [s.status for s in EscalatieGebeurtenis.objects.filter(escalatie=escalatie)]
    assert steps == ["verstuurd", "ontvangen", "in_behandeling", "beantwoord"]


def test_officer_may_answer_straight_after_receiving(escalatie, ambtenaar):
    escalations.escalation_receive(actor=ambtenaar, escalatie=escalatie)
    escalations.escalation_answer(actor=ambtenaar, escalatie=escalatie, answer="Ja.")
    assert escalatie.status == EscalatieStatus.BEANTWOORD


@pytest.mark.parametrize(
    ("before", "step"),
    [
        ([], "start"),
        ([], "answer"),
        (["receive"], "receive"),
        (["receive", "start"], "receive"),
        (["receive", "start"], "start"),
        (["receive", "answer"], "answer"),
        (["receive", "answer"], "receive"),
        (["receive", "answer"], "start"),
    ],
)
def test_wrong_steps_are_refused(escalatie, ambtenaar, before, step):
    def do(name):
        if name == "receive":
            escalations.escalation_receive(actor=ambtenaar, escalatie=escalatie)
        elif name == "start":
            escalations.escalation_start(actor=ambtenaar, escalatie=escalatie)
        else:
            escalations.escalation_answer(
                actor=ambtenaar, escalatie=escalatie, answer="Antwoord."
            )

    for name in before:
        do(name)
    status = Escalatie.objects.get(pk=escalatie.pk).status
    steps = EscalatieGebeurtenis.objects.count()
    with pytest.raises(EscalationError) as error:
        do(step)
    assert error.value.code in ("transition", "unchanged")
    assert Escalatie.objects.get(pk=escalatie.pk).status == status
    assert EscalatieGebeurtenis.objects.count() == steps


def test_only_officers_of_that_gemeente_take_steps(
    escalatie, outsider_ambtenaar, professional, beheerder, bewoner
):
    for user in (outsider_ambtenaar, professional, beheerder, bewoner):
        with pytest.raises(EscalationError) as error:
            escalations.escalation_receive(actor=user, escalatie=escalatie)
        assert error.value.code == "forbidden"
    assert Escalatie.objects.get(pk=escalatie.pk).status == EscalatieStatus.VERSTUURD


def test_an_officer_without_gemeente_takes_no_steps(escalatie):
    user = UserFactory(email="los@example.nl", role=Role.AMBTENAAR, gemeente=None)
    with pytest.raises(EscalationError):
        escalations.escalation_receive(actor=user, escalatie=escalatie)


@pytest.mark.parametrize(
    ("answer", "code"), [("", "answer_required"), ("x" * 5001, "answer_too_long")]
)
def test_answer_must_be_given_and_not_too_long(escalatie, ambtenaar, answer, code):
    escalations.escalation_receive(actor=ambtenaar, escalatie=escalatie)
    with pytest.raises(EscalationError) as error:
        escalations.escalation_answer(
            actor=ambtenaar, escalatie=escalatie, answer=answer
        )
    assert error.value.code == code
    assert Escalatie.objects.get(pk=escalatie.pk).status == EscalatieStatus.ONTVANGEN


def test_both_sides_comment_and_others_cannot(
    escalatie, professional, colleague, ambtenaar, neighbour, outsider_ambtenaar
):
    escalations.escalation_comment(actor=colleague, escalatie=escalatie, text="Vraag?")
    escalations.escalation_comment(actor=ambtenaar, escalatie=escalatie, text="Ja.")
    for user in (neighbour, outsider_ambtenaar):
        with pytest.raises(EscalationError):
            escalations.escalation_comment(actor=user, escalatie=escalatie, text="Hoi")
    with pytest.raises(EscalationError) as error:
        escalations.escalation_comment(actor=professional, escalatie=escalatie, text="")
    assert error.value.code == "text_required"
    texts = [s.text for s in EscalatieGebeurtenis.objects.filter(escalatie=escalatie)]
    assert texts == ["", "Vraag?", "Ja."]


QUOTE = "mevrouw zwaluwstaart op nummer 17 eet al weken niet"


@pytest.mark.parametrize("field", ["title", "argument", "request"])
def test_send_refuses_text_that_repeats_a_signal(thema, professional, field):
    with pytest.raises(EscalationError) as error:
        send(thema, professional, **{field: f"Zie: {QUOTE}."})
    assert error.value.code == "signal_text"
    assert "eigen woorden" in error.value.messages[0]
    assert not Escalatie.objects.exists()


def test_a_professional_may_not_quote_a_signal_in_a_comment(
    escalatie, colleague, ambtenaar
):
    before = EscalatieGebeurtenis.objects.count()
    with pytest.raises(EscalationError) as error:
        escalations.escalation_comment(
            actor=colleague, escalatie=escalatie, text=f"Iemand zei: {QUOTE}!"
        )
    assert error.value.code == "signal_text"
    assert EscalatieGebeurtenis.objects.count() == before
    # The officer never read the signal; the rule is for the team's words.
    escalations.escalation_comment(
        actor=ambtenaar, escalatie=escalatie, text=f"Klopt het dat {QUOTE}?"
    )


def test_the_send_form_keeps_the_input_when_it_quotes_a_signal(
    client, thema, professional
):
    login(client, professional)
    argument = f"Een bewoner: {QUOTE}. Dat zien we vaker."
    response = client.post(
        escalate_url(thema),
        {"thema_name": "Ouderen", "title": "Eigen titel", "argument": argument},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Schrijf het in uw eigen woorden." in content
    assert "Eigen titel" in content
    assert "Dat zien we vaker." in content
    assert not Escalatie.objects.exists()


def test_the_comment_form_keeps_the_input_when_it_quotes_a_signal(
    client, escalatie, professional
):
    login(client, professional)
    text = f"Letterlijk: {QUOTE}. Wat vindt u?"
    response = client.post(detail(escalatie) + "reactie/", {"reactie-text": text})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Schrijf het in uw eigen woorden." in content
    assert "Wat vindt u?" in content


def test_a_size_the_sparkline_hides_is_hidden_in_the_snapshot_too(
    client, professional, team, wijk, ambtenaar
):
    """10 signals in the last block and 2 in the one before: the officer's sparkline
    hides the 2, so it hides the total; the snapshot may not give the 12 away."""
    last = block_start(timezone.localdate()) - datetime.timedelta(days=1)
    before = last - datetime.timedelta(weeks=4)
    signalen = [
        make_signaal(author=professional, team=team, observed_on=day)
        for day in [last] * 10 + [before] * 2
    ]
    thema = make_thema(
        wijk,
        signalen=signalen,
        size=12,
        authors=6,
        recent_count=10,
        baseline_count=2,
        visibility="gemeente",
    )
    [row] = themes_for_officer(wijk=wijk, as_of=timezone.localdate())
    assert row.size.is_hidden
    assert [cell.value for cell in row.spark] == [None, 10]

    escalatie = send(thema, professional)
    snap = escalatie.snapshot
    assert snap["size"] is None
    assert 12 not in snap.values()
    assert 10 not in snap.values()
    rows = {r.label: r.value for r in escalation_queries.snapshot_view(snap).rows}
    # The size says what it counts (signalen.kanon's table of numbers).
    assert rows["Signalen in het thema"].startswith(
        "verborgen (buiten het team: hele blokken van 4 weken, tot en met "
    )
    # No other figure of the theme's signals (dates aside) that adds up to it.
    assert not any(value in {"2", "10", "12"} for label, value in rows.items()), rows
    login(client, ambtenaar)
    page = client.get(detail(escalatie)).content.decode()
    assert "verborgen" in page


def test_timeline_hides_who_of_the_team_from_officers(
    escalatie, professional, ambtenaar, team
):
    escalations.escalation_receive(actor=ambtenaar, escalatie=escalatie)
    for_officer = escalation_queries.escalation_timeline(escalatie, viewer=ambtenaar)
    assert [e.who for e in for_officer] == [team.name, ambtenaar.display_name]
    for_team = escalation_queries.escalation_timeline(escalatie, viewer=professional)
    assert [e.who for e in for_team] == [
        professional.display_name,
        ambtenaar.display_name,
    ]


# --- Reads ---------------------------------------------------------------------------------


def test_reads_per_side(
    escalatie,
    professional,
    colleague,
    neighbour,
    ambtenaar,
    outsider_ambtenaar,
    outsider_thema,
    outsider_professional,
    beheerder,
):
    other = send(outsider_thema, outsider_professional)
    assert list(escalation_queries.escalations_for_team_user(colleague)) == [escalatie]
    assert list(escalation_queries.escalations_for_team_user(neighbour)) == []
    assert list(escalation_queries.escalations_for_team_user(ambtenaar)) == []
    assert list(escalation_queries.escalations_for_officer(ambtenaar)) == [escalatie]
    assert list(escalation_queries.escalations_for_officer(outsider_ambtenaar)) == [
        other
    ]
    assert list(escalation_queries.escalations_for_officer(professional)) == []
    assert list(escalation_queries.escalations_for_officer(beheerder)) == []
    assert (
        list(escalation_queries.escalations_for_officer(ambtenaar, status="beantwoord"))
        == []
    )
    assert (
        escalation_queries.escalation_for_user(professional, escalatie.pk) == escalatie
    )
    assert escalation_queries.escalation_for_user(ambtenaar, escalatie.pk) == escalatie
    from django.http import Http404

    for user in (neighbour, outsider_ambtenaar, beheerder):
        with pytest.raises(Http404):
            escalation_queries.escalation_for_user(user, escalatie.pk)


# --- Mail ----------------------------------------------------------------------------------


def test_officers_of_the_gemeente_get_mail_about_a_new_escalation(
    settings,
    thema,
    professional,
    ambtenaar,
    outsider_ambtenaar,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        escalatie = send(thema, professional)
    assert [m.to for m in mail.outbox] == [[ambtenaar.email]]
    body = mail.outbox[0].body
    assert f"{settings.SITE_URL}/signalen/beleidssignalen/{escalatie.pk}/" in body
    assert "UNIEK-7Q3" not in body
    assert "Eenzaamheid bij ouderen" in body


def test_the_team_gets_mail_when_the_gemeente_answers(
    escalatie, ambtenaar, professional, colleague, django_capture_on_commit_callbacks
):
    mail_at_once(professional, colleague)
    escalations.escalation_receive(actor=ambtenaar, escalatie=escalatie)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        escalations.escalation_answer(
            actor=ambtenaar, escalatie=escalatie, answer="We openen het buurthuis."
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [professional.email, colleague.email]
    )
    assert "We openen het buurthuis." in mail.outbox[0].body
    assert "geantwoord" in mail.outbox[0].subject


def test_receiving_sends_no_mail(
    escalatie, ambtenaar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        escalations.escalation_receive(actor=ambtenaar, escalatie=escalatie)
    assert mail.outbox == []


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """Send the reminders and run the mails that go out after the commit."""

    def run(*, now):
        with django_capture_on_commit_callbacks(execute=True):
            return escalations.escalation_send_reminders(now=now)

    return run


def test_reminders_go_out_once_per_interval(escalatie, ambtenaar, settings, remind):
    settings.ESCALATION_REMINDER_DAYS = 10
    start = escalatie.sent_at
    assert remind(now=start + datetime.timedelta(days=9)) == 0
    assert remind(now=start + datetime.timedelta(days=11)) == 1
    assert mail.outbox[0].to == [ambtenaar.email]
    assert escalatie.title in mail.outbox[0].body
    # Not again within the interval, again after it.
    assert remind(now=start + datetime.timedelta(days=15)) == 0
    assert remind(now=start + datetime.timedelta(days=22)) == 1
    assert len(mail.outbox) == 2


def test_no_reminder_for_answered_escalations(escalatie, ambtenaar, remind):
    escalations.escalation_receive(actor=ambtenaar, escalatie=escalatie)
    escalations.escalation_answer(actor=ambtenaar, escalatie=escalatie, answer="Ja.")
    later = escalatie.sent_at + datetime.timedelta(days=30)
    assert remind(now=later) == 0
    assert mail.outbox == []


def test_a_status_change_restarts_the_wait(escalatie, ambtenaar, remind):
    escalations.escalation_receive(actor=ambtenaar, escalatie=escalatie)
    step = EscalatieGebeurtenis.objects.get(escalatie=escalatie, status="ontvangen")
    EscalatieGebeurtenis.objects.filter(pk=step.pk).update(
        created_at=escalatie.sent_at + datetime.timedelta(days=8)
    )
    start = escalatie.sent_at
    assert remind(now=start + datetime.timedelta(days=12)) == 0
    assert remind(now=start + datetime.timedelta(days=19)) == 1


def test_one_reminder_mail_per_officer_lists_all_waiting(
    thema, professional, ambtenaar, wijk, colleague, remind
):
    first = send(thema, professional)
    second_thema = make_thema(wijk, label="tweede")
    second = send(second_thema, professional, title="Tweede signaal")
    later = max(first.sent_at, second.sent_at) + datetime.timedelta(days=11)
    assert remind(now=later) == 1
    assert "Eenzaamheid bij ouderen" in mail.outbox[0].body
    assert "Tweede signaal" in mail.outbox[0].body


def test_a_failing_reminder_mail_keeps_the_marks_and_the_other_mails(
    thema,
    professional,
    ambtenaar,
    gemeente,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    second = UserFactory(
        email="tweede@example.nl", role=Role.AMBTENAAR, gemeente=gemeente
    )
    escalatie = send(thema, professional)
    real = escalations.send

    def flaky(*, to, **kwargs):
        if to == ambtenaar.email:
            raise ConnectionRefusedError("smtp weg")
        return real(to=to, **kwargs)

    monkeypatch.setattr(escalations, "send", flaky)
    later = escalatie.sent_at + datetime.timedelta(days=11)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert escalations.escalation_send_reminders(now=later) == 2
    # Nothing is mailed inside the transaction: first the marks, then the mails.
    assert mail.outbox == []
    assert Escalatie.objects.get(pk=escalatie.pk).last_reminder_at == later
    # One mail per officer (the other callbacks renew the dashboards' generations).
    mails = [
        c for c in callbacks if getattr(c, "func", None) is escalations._reminder_mail
    ]
    assert len(mails) == 2
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert Escalatie.objects.get(pk=escalatie.pk).last_reminder_at == later
    # The next day nothing is sent again.
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            escalations.escalation_send_reminders(
                now=later + datetime.timedelta(days=1)
            )
            == 0
        )
    assert len(mail.outbox) == 1


def test_reminder_task_calls_the_function(escalatie, ambtenaar):
    from signalen.tasks import escalation_send_reminders

    assert escalation_send_reminders.apply().get() == 0


# --- Pages: who may see what ------------------------------------------------------------


LIST = "/signalen/beleidssignalen/"


def detail(escalatie):
    return f"{LIST}{escalatie.pk}/"


def escalate_url(thema):
    return f"/signalen/themas/{thema.pk}/gemeente/"


def test_anonymous_goes_to_login(client, escalatie, thema):
    for url in (LIST, detail(escalatie), escalate_url(thema)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]
    for action in ("ontvangen", "in-behandeling", "antwoord", "reactie"):
        response = client.post(detail(escalatie) + action + "/")
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]


@pytest.mark.parametrize("who", ["bewoner", "beheerder"])
def test_other_roles_are_refused(client, escalatie, thema, who, request):
    login(client, request.getfixturevalue(who))
    for url in (LIST, detail(escalatie), escalate_url(thema)):
        assert client.get(url).status_code == 403
    for action in ("ontvangen", "in-behandeling", "antwoord", "reactie"):
        assert client.post(detail(escalatie) + action + "/").status_code == 403
    assert Escalatie.objects.get(pk=escalatie.pk).status == EscalatieStatus.VERSTUURD


def test_team_sees_list_and_detail_with_the_senders_name(
    client, escalatie, colleague, professional
):
    login(client, colleague)
    response = client.get(LIST)
    assert response.status_code == 200
    assert escalatie.title in response.content.decode()
    page = client.get(detail(escalatie)).content.decode()
    assert professional.display_name in page
    assert "Markeren als ontvangen" not in page


def test_other_team_gets_404(
    client, escalatie, thema, neighbour, outsider_professional
):
    for user in (neighbour, outsider_professional):
        login(client, user)
        assert escalatie.title not in client.get(LIST).content.decode()
        assert client.get(detail(escalatie)).status_code == 404
        assert client.get(escalate_url(thema)).status_code == 404
        assert (
            client.post(
                detail(escalatie) + "reactie/", {"reactie-text": "Hoi"}
            ).status_code
            == 404
        )


def test_officer_sees_inbox_and_evidence_but_no_signal_text_or_people(
    client, escalatie, ambtenaar, professional, colleague, team
):
    login(client, ambtenaar)
    inbox = client.get(LIST)
    assert inbox.status_code == 200
    assert escalatie.title in inbox.content.decode()
    response = client.get(detail(escalatie))
    assert response.status_code == 200
    page = response.content.decode()
    assert ARGUMENT in page
    assert "UNIEK-7Q3" not in page
    assert "Zwaluwstaart" not in page
    assert professional.display_name not in page
    assert colleague.display_name not in page
    assert team.name in page
    assert "verborgen" in page  # authors are hidden
    assert "Markeren als ontvangen" in page


def test_officer_of_another_gemeente_gets_404(client, escalatie, outsider_ambtenaar):
    login(client, outsider_ambtenaar)
    assert escalatie.title not in client.get(LIST).content.decode()
    assert client.get(detail(escalatie)).status_code == 404
    assert client.post(detail(escalatie) + "ontvangen/").status_code == 404
    assert Escalatie.objects.get(pk=escalatie.pk).status == EscalatieStatus.VERSTUURD


def test_officer_cannot_open_the_send_form(client, thema, ambtenaar):
    login(client, ambtenaar)
    assert client.get(escalate_url(thema)).status_code == 403


def test_officer_list_filters_by_status(client, escalatie, ambtenaar):
    login(client, ambtenaar)
    assert escalatie.title in client.get(LIST + "?status=verstuurd").content.decode()
    assert (
        escalatie.title not in client.get(LIST + "?status=beantwoord").content.decode()
    )
    # A wrong value is shown as an error; the list shows everything.
    response = client.get(LIST + "?status=kapot")
    assert response.status_code == 200
    assert "Kies een status uit de lijst." in response.content.decode()


def test_officer_list_query_count_does_not_grow(
    client, escalatie, ambtenaar, wijk, professional, django_assert_max_num_queries
):
    for i in range(4):
        send(make_thema(wijk, label=f"extra {i}"), professional, title=f"Extra {i}")
    login(client, ambtenaar)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.content.decode().count("/signalen/beleidssignalen/") >= 5


# --- Pages: the actions ----------------------------------------------------------------------


def test_team_sends_from_the_form_page(client, thema, professional):
    login(client, professional)
    page = client.get(escalate_url(thema))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Wat de gemeente ziet" in content
    assert "UNIEK-7Q3" not in content
    response = client.post(
        escalate_url(thema),
        {
            "thema_name": "Eenzame ouderen",
            "title": "Eenzaamheid",
            "argument": ARGUMENT,
            "request": "Een buurthuis.",
        },
    )
    escalatie = Escalatie.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(escalatie)
    assert escalatie.request == "Een buurthuis."


def test_the_theme_page_links_to_the_send_form(client, thema, professional):
    login(client, professional)
    page = client.get(f"/signalen/themas/{thema.pk}/").content.decode()
    assert escalate_url(thema) in page


def test_send_form_refuses_an_empty_argument(client, thema, professional):
    login(client, professional)
    response = client.post(escalate_url(thema), {"title": "Titel", "argument": ""})
    assert response.status_code == 400
    assert (
        "Schrijf op waarom de gemeente hier iets mee moet." in response.content.decode()
    )
    assert not Escalatie.objects.exists()


def test_send_form_refuses_a_too_long_argument(client, thema, professional):
    login(client, professional)
    response = client.post(
        escalate_url(thema), {"title": "Titel", "argument": "x" * 5001}
    )
    assert response.status_code == 400
    assert "te lang" in response.content.decode()
    assert not Escalatie.objects.exists()


@pytest.mark.parametrize("status", [ThemaStatus.GESIGNALEERD, ThemaStatus.VERWORPEN])
def test_send_form_refuses_a_theme_not_kept(client, thema, professional, status):
    WijkThema.objects.filter(pk=thema.pk).update(status=status, status_reason="x")
    login(client, professional)
    page = client.get(escalate_url(thema)).content.decode()
    assert "Het team moet het eerst erkennen" in page
    response = client.post(escalate_url(thema), {"title": "T", "argument": ARGUMENT})
    assert response.status_code == 400
    assert not Escalatie.objects.exists()


def test_html_is_shown_escaped(client, thema, professional, ambtenaar):
    script = "<script>alert('x')</script>"
    escalatie = send(thema, professional, title=script, argument=script)
    escalations.escalation_comment(actor=professional, escalatie=escalatie, text=script)
    for user in (professional, ambtenaar):
        login(client, user)
        for url in (LIST, detail(escalatie)):
            page = client.get(url).content.decode()
            assert script not in page
            assert "&lt;script&gt;" in page


def test_officer_steps_through_the_pages(client, escalatie, ambtenaar):
    login(client, ambtenaar)
    assert client.post(detail(escalatie) + "ontvangen/").status_code == 302
    assert client.post(detail(escalatie) + "in-behandeling/").status_code == 302
    response = client.post(
        detail(escalatie) + "antwoord/", {"antwoord-answer": "We doen het."}
    )
    assert response.status_code == 302
    escalatie.refresh_from_db()
    assert escalatie.status == EscalatieStatus.BEANTWOORD
    assert escalatie.answer == "We doen het."


def test_a_wrong_step_on_the_page_says_why(client, escalatie, ambtenaar):
    login(client, ambtenaar)
    response = client.post(detail(escalatie) + "in-behandeling/")
    assert response.status_code == 400
    assert "eerst op" in response.content.decode()
    assert Escalatie.objects.get(pk=escalatie.pk).status == EscalatieStatus.VERSTUURD


def test_an_empty_answer_on_the_page_is_refused(client, escalatie, ambtenaar):
    login(client, ambtenaar)
    client.post(detail(escalatie) + "ontvangen/")
    response = client.post(detail(escalatie) + "antwoord/", {"antwoord-answer": ""})
    assert response.status_code == 400
    assert "Schrijf het antwoord van de gemeente." in response.content.decode()
    assert Escalatie.objects.get(pk=escalatie.pk).status == EscalatieStatus.ONTVANGEN


def test_professional_cannot_take_officer_steps(client, escalatie, professional):
    login(client, professional)
    for action in ("ontvangen", "in-behandeling", "antwoord"):
        assert client.post(detail(escalatie) + action + "/").status_code == 403
    assert Escalatie.objects.get(pk=escalatie.pk).status == EscalatieStatus.VERSTUURD


def test_both_sides_comment_on_the_page(client, escalatie, professional, ambtenaar):
    for user, text in (
        (professional, "Van het team."),
        (ambtenaar, "Van de gemeente."),
    ):
        login(client, user)
        response = client.post(detail(escalatie) + "reactie/", {"reactie-text": text})
        assert response.status_code == 302
    login(client, professional)
    page = client.get(detail(escalatie)).content.decode()
    assert "Van het team." in page
    assert "Van de gemeente." in page
    response = client.post(detail(escalatie) + "reactie/", {"reactie-text": ""})
    assert response.status_code == 400
    response = client.post(detail(escalatie) + "reactie/", {"reactie-text": "x" * 5001})
    assert response.status_code == 400
    assert EscalatieGebeurtenis.objects.filter(escalatie=escalatie).count() == 3


def test_the_theme_history_records_the_sending_once(
    escalatie, thema, ambtenaar, professional, client
):
    escalations.escalation_receive(actor=ambtenaar, escalatie=escalatie)
    escalations.escalation_answer(actor=ambtenaar, escalatie=escalatie, answer="Ja.")
    events = ThemaGebeurtenis.objects.filter(
        thema=thema, soort=ThemaGebeurtenis.Soort.ESCALATED
    )
    assert [e.actor for e in events] == [professional]
    login(client, professional)
    page = client.get(f"/signalen/themas/{thema.pk}/").content.decode()
    assert "naar de gemeente gestuurd" in page


def test_notify_about_a_missing_escalation_does_nothing(db):
    assert escalations.escalation_notify(escalatie_id=999_999, event="new") == 0
    assert mail.outbox == []


# --- The theme's name (issue 18 item 7) ----------------------------------------------------


def test_the_send_form_prefills_the_teams_name_never_the_keywords(
    client, thema, professional
):
    WijkThema.objects.filter(pk=thema.pk).update(name="Eenzame ouderen in de flat")
    login(client, professional)
    page = client.get(escalate_url(thema)).content.decode()
    assert 'value="Eenzame ouderen in de flat"' in page
    assert 'value="ouderen, flat, buurthuis"' not in page
    assert 'name="thema_name"' not in page  # named already: nothing to ask


def test_an_unnamed_theme_asks_for_a_name_and_prefills_no_keywords(
    client, thema, professional
):
    login(client, professional)
    page = client.get(escalate_url(thema)).content.decode()
    assert 'name="thema_name"' in page
    assert "ouderen, flat, buurthuis" not in page.split('name="title"')[1][:300]
    response = client.post(escalate_url(thema), {"title": "T", "argument": ARGUMENT})
    assert response.status_code == 400
    assert "Geef het thema een naam" in response.content.decode()
    assert not Escalatie.objects.exists()
    thema.refresh_from_db()
    assert thema.name == ""


def test_the_name_written_at_sending_names_the_theme_and_the_snapshot(
    client, thema, professional
):
    login(client, professional)
    response = client.post(
        escalate_url(thema),
        {
            "thema_name": "  Eenzame   ouderen ",
            "title": "Ouderen missen het buurthuis",
            "argument": ARGUMENT,
        },
    )
    assert response.status_code == 302
    thema.refresh_from_db()
    assert thema.name == "Eenzame ouderen"
    escalatie = Escalatie.objects.get()
    assert escalatie.snapshot["thema"]["name"] == "Eenzame ouderen"


def test_a_refused_escalation_leaves_the_theme_unnamed(client, thema, professional):
    login(client, professional)
    response = client.post(
        escalate_url(thema),
        {"thema_name": "Eenzame ouderen", "title": "T", "argument": SECRET_TEXT},
    )
    assert response.status_code == 400
    thema.refresh_from_db()
    assert thema.name == ""
    assert not Escalatie.objects.exists()


def test_a_too_long_theme_name_is_refused(client, thema, professional):
    login(client, professional)
    response = client.post(
        escalate_url(thema),
        {"thema_name": "x" * 121, "title": "T", "argument": ARGUMENT},
    )
    assert response.status_code == 400
    thema.refresh_from_db()
    assert thema.name == ""

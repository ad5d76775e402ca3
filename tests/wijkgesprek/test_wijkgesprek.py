"""The wijkgesprek per role: the team or the gemeente plans it and drafts the agenda
from what may leave the team, the resident who chairs orders the agenda and writes the
minutes with the team, minutes are public once published unless marked otherwise,
agreements remind the side that owns them; bad input and other people's objects are
refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatieven.models import Notificatie
from signalen.models import Escalatie, EscalatieStatus
from tests.conftest import mfa_client
from tests.peilingen.conftest import add_response, make_peiling
from tests.signalen.helpers import EXAMPLE
from wijkgesprek import queries, services
from wijkgesprek.models import (
    AfspraakEigenaar,
    GesprekAfspraak,
    GesprekPunt,
    PuntBron,
    Voorzitter,
    Wijkgesprek,
)

pytestmark = pytest.mark.django_db


def _create_url(wijk):
    return reverse("wijkgesprek:create", kwargs={"code": wijk.code})


def _detail(gesprek):
    return reverse("wijkgesprek:detail", kwargs={"pk": gesprek.pk})


def _plan_data(**over):
    day = timezone.localdate() + datetime.timedelta(days=14)
    data = {
        "date": day.isoformat(),
        "time": "19:30",
        "place": "Buurthuis De Ster",
        "facilitator": "Buurtbemiddeling",
        "chair": "",
        "draft": "on",
    }
    data.update(over)
    return data


# --- Planning: who may --------------------------------------------------------------


def test_anonymous_is_sent_to_login_to_plan(client, wijk):
    response = client.get(_create_url(wijk))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_a_resident_may_not_plan(client, bewoner, wijk):
    client.force_login(bewoner)
    assert client.get(_create_url(wijk)).status_code == 403


def test_a_professional_of_another_team_may_not_plan(
    client, outsider_professional, wijk
):
    mfa_client(client, outsider_professional)
    assert client.get(_create_url(wijk)).status_code == 404


def test_an_officer_of_another_gemeente_may_not_plan(client, outsider_ambtenaar, wijk):
    mfa_client(client, outsider_ambtenaar)
    assert client.get(_create_url(wijk)).status_code == 404


def test_the_team_plans_with_the_proposed_chair_and_a_drafted_agenda(
    client,
    professional,
    bewoner,
    wijk,
    public_theme,
    django_capture_on_commit_callbacks,
):
    Voorzitter.objects.create(wijk=wijk, user=bewoner)
    mfa_client(client, professional)
    page = client.get(_create_url(wijk)).content.decode()
    assert f'<option value="{bewoner.pk}" selected>' in page  # the proposal
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_create_url(wijk), _plan_data(chair=str(bewoner.pk)))
    gesprek = Wijkgesprek.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(gesprek)
    assert gesprek.chair == bewoner
    assert gesprek.facilitator == "Buurtbemiddeling"
    assert gesprek.punten.filter(source=PuntBron.THEMA, source_id=public_theme.pk)
    # All three sides hear of it: the team, the chair (the officer has no account here).
    told = set(
        Notificatie.objects.filter(key=f"wijkgesprek:planned:{gesprek.pk}").values_list(
            "user_id", flat=True
        )
    )
    assert {professional.pk, bewoner.pk} <= told


def test_an_officer_of_the_gemeente_plans(client, ambtenaar, wijk):
    mfa_client(client, ambtenaar)
    response = client.post(_create_url(wijk), _plan_data(draft=""))
    assert response.status_code == 302
    assert Wijkgesprek.objects.get().created_by == ambtenaar


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"place": ""}, "place"),
        ({"place": "x" * 201}, "place"),
        ({"place": "<script>alert(1)</script>"}, "place"),
        ({"facilitator": "y" * 121}, "facilitator"),
        ({"date": "2001-01-01"}, "date"),
        ({"date": "morgen"}, "date"),
        ({"time": ""}, "time"),
        ({"chair": "999999"}, "chair"),
    ],
)
def test_bad_planning_input_is_refused(client, professional, wijk, over, field):
    mfa_client(client, professional)
    response = client.post(_create_url(wijk), _plan_data(**over))
    assert response.status_code == 400
    assert (
        response.context["form"].errors.get(field)
        or response.context["form"].non_field_errors()
    )
    assert not Wijkgesprek.objects.exists()


def test_a_resident_who_did_not_volunteer_cannot_be_made_chair(
    professional, neighbour, wijk
):
    with pytest.raises(services.GesprekError):
        services.gesprek_plan(
            actor=professional,
            wijk=wijk,
            starts_at=timezone.now() + datetime.timedelta(days=3),
            place="Buurthuis",
            chair=neighbour,
        )


# --- The agenda draft: only what may leave the team ---------------------------------


def test_the_draft_holds_public_names_and_never_signal_data_or_small_counts(
    wijk, public_theme, team_theme, team, professional
):
    Escalatie.objects.create(
        thema=team_theme,
        team=team,
        wijk=wijk,
        title="Geheime titel van het team",
        argument="Geheime onderbouwing",
        snapshot={},
        status=EscalatieStatus.VERSTUURD,
        sent_by=professional,
        sent_at=timezone.now(),
    )
    Escalatie.objects.create(
        thema=public_theme,
        team=team,
        wijk=wijk,
        title="Titel van het team",
        argument="Onderbouwing van het team",
        snapshot={},
        status=EscalatieStatus.ONTVANGEN,
        sent_by=professional,
        sent_at=timezone.now(),
    )
    small = make_peiling(wijk)
    for _n in range(2):
        add_response(small, een=0, schaal=4)
    draft = queries.agenda_draft(wijk)
    text = " ".join(f"{i.title} {i.text}" for i in draft)
    assert "Veilig naar school" in text
    # The theme has one signal outside the team: a band, no number.
    assert "een klein aantal signalen" in text
    assert "minder dan 5" not in text
    # No signal text, no engine words, no team-only theme, no team's escalation words.
    for secret in (
        EXAMPLE,
        "geheim",
        "ouderen, flat",
        "Titel van het team",
        "Onderbouwing",
        "Geheime",
    ):
        assert secret not in text
    sources = [i.source for i in draft]
    assert sources.count(PuntBron.BELEIDSSIGNAAL) == 1  # only the public theme's
    assert PuntBron.PEILING in sources
    # Two respondents: below K, so no count.
    assert "Te weinig mensen deden mee" in text
    assert " 2." not in text


def test_drafting_twice_adds_nothing_new(professional, gesprek, public_theme):
    assert services.agenda_draft_add(actor=professional, gesprek=gesprek) == 1
    assert services.agenda_draft_add(actor=professional, gesprek=gesprek) == 0


def test_the_chair_may_not_draft_the_agenda_but_may_order_it(client, bewoner, gesprek):
    client.force_login(bewoner)
    response = client.post(
        reverse("wijkgesprek:agenda", args=[gesprek.pk]), {"actie": "opstellen"}
    )
    assert response.status_code == 302
    assert not gesprek.punten.exists()


# --- Ordering the agenda ------------------------------------------------------------


def _points(gesprek, *titles):
    return [
        GesprekPunt.objects.create(gesprek=gesprek, order=i, title=t)
        for i, t in enumerate(titles)
    ]


def test_the_chair_moves_a_point_up(client, bewoner, gesprek):
    c = _points(gesprek, "A", "B", "C")[2]
    client.force_login(bewoner)
    response = client.post(
        reverse("wijkgesprek:punt", args=[gesprek.pk, c.pk]), {"actie": "omhoog"}
    )
    assert response.status_code == 302
    assert list(gesprek.punten.values_list("title", flat=True)) == ["A", "C", "B"]


def test_a_neighbour_who_is_not_chair_cannot_order(client, neighbour, gesprek):
    b = _points(gesprek, "A", "B")[1]
    client.force_login(neighbour)
    response = client.post(
        reverse("wijkgesprek:punt", args=[gesprek.pk, b.pk]), {"actie": "omhoog"}
    )
    assert response.status_code == 404
    assert list(gesprek.punten.values_list("title", flat=True)) == ["A", "B"]


def test_a_point_of_another_meeting_is_not_found(client, professional, gesprek, held):
    (other,) = _points(held, "Elders")
    mfa_client(client, professional)
    response = client.post(
        reverse("wijkgesprek:punt", args=[gesprek.pk, other.pk]), {"actie": "omlaag"}
    )
    assert response.status_code == 404


def test_the_team_of_another_wijk_cannot_touch_the_agenda(
    client, outsider_professional, gesprek
):
    mfa_client(client, outsider_professional)
    response = client.post(
        reverse("wijkgesprek:agenda", args=[gesprek.pk]), {"punt-title": "Van elders"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "title", ["", "z" * 201, "<script>alert(1)</script>", "<b>vet</b>"]
)
def test_a_bad_own_point_is_refused(client, bewoner, gesprek, title):
    client.force_login(bewoner)
    response = client.post(
        reverse("wijkgesprek:agenda", args=[gesprek.pk]), {"punt-title": title}
    )
    assert response.status_code == 400
    assert not gesprek.punten.exists()


def test_an_own_point_is_scrubbed(client, bewoner, gesprek):
    client.force_login(bewoner)
    client.post(
        reverse("wijkgesprek:agenda", args=[gesprek.pk]),
        {"punt-title": "Bankjes", "punt-text": "Mevrouw Jansen vraagt erom."},
    )
    assert gesprek.punten.get().text == "Mevrouw [naam] vraagt erom."


# --- Who sees the meeting -----------------------------------------------------------


def test_a_planned_meeting_is_for_the_wijk_residents_and_the_planners(
    client, gesprek, neighbour, professional, ambtenaar
):
    assert client.get(_detail(gesprek)).status_code == 404  # anonymous
    client.force_login(neighbour)
    assert client.get(_detail(gesprek)).status_code == 200
    mfa_client(client, professional)
    assert client.get(_detail(gesprek)).status_code == 200
    mfa_client(client, ambtenaar)
    assert client.get(_detail(gesprek)).status_code == 200


def test_residents_and_staff_elsewhere_do_not_see_a_planned_meeting(
    client, gesprek, outsider_resident, outsider_professional, outsider_ambtenaar
):
    for user in (outsider_resident, outsider_professional, outsider_ambtenaar):
        mfa_client(client, user)
        assert client.get(_detail(gesprek)).status_code == 404
        page = client.get(reverse("wijkgesprek:wijk", args=[gesprek.wijk.code]))
        assert gesprek.get_absolute_url() not in page.content.decode()


def test_the_calendar_file_is_for_those_who_see_the_meeting(client, gesprek, neighbour):
    url = reverse("wijkgesprek:ics", args=[gesprek.pk])
    assert client.get(url).status_code == 404
    client.force_login(neighbour)
    response = client.get(url)
    assert response.status_code == 200
    assert b"BEGIN:VEVENT" in response.content
    assert b"Buurthuis De Ster" in response.content


# --- Minutes ------------------------------------------------------------------------


def _verslag(client, gesprek, text, *, publish=True, public=True):
    data = {"verslag-minutes": text, "actie": "publiceren" if publish else "opslaan"}
    if public:
        data["verslag-public"] = "on"
    return client.post(reverse("wijkgesprek:verslag", args=[gesprek.pk]), data)


def test_unpublished_minutes_are_seen_only_by_those_who_write_them(
    client, held, neighbour, bewoner, professional
):
    mfa_client(client, professional)
    assert _verslag(client, held, "Concepttekst", publish=False).status_code == 302
    held.refresh_from_db()
    assert held.minutes_published_at is None
    client.logout()
    assert client.get(_detail(held)).status_code == 404  # anonymous
    client.force_login(bewoner)  # a resident of the wijk, not the chair
    page = client.get(_detail(held)).content.decode()
    assert "Concepttekst" not in page
    client.force_login(neighbour)  # the chair
    assert "Concepttekst" in client.get(_detail(held)).content.decode()


def test_the_chair_publishes_and_everyone_reads_the_minutes(client, held, neighbour):
    client.force_login(neighbour)
    assert _verslag(client, held, "Wij spraken met Jansen.").status_code == 302
    held.refresh_from_db()
    assert held.minutes == "Wij spraken met [naam]."
    client.logout()
    page = client.get(_detail(held)).content.decode()
    assert "Wij spraken met [naam]." in page
    wijk_page = client.get(reverse("dashboard:wijk", args=[held.wijk.code]))
    assert held.get_absolute_url() in wijk_page.content.decode()


def test_minutes_marked_not_public_stay_with_team_gemeente_and_chair(
    client, held, neighbour, bewoner, ambtenaar
):
    client.force_login(neighbour)
    _verslag(client, held, "Alleen voor ons.", public=False)
    held.refresh_from_db()
    assert held.minutes_published_at is not None
    assert not held.minutes_public
    client.logout()
    assert client.get(_detail(held)).status_code == 404
    client.force_login(bewoner)
    assert "Alleen voor ons." not in client.get(_detail(held)).content.decode()
    mfa_client(client, ambtenaar)
    assert "Alleen voor ons." in client.get(_detail(held)).content.decode()


def test_minutes_of_a_meeting_not_yet_held_cannot_be_published(
    client, bewoner, gesprek
):
    client.force_login(bewoner)
    response = _verslag(client, gesprek, "Te vroeg")
    assert response.status_code == 400
    gesprek.refresh_from_db()
    assert gesprek.minutes_published_at is None


@pytest.mark.parametrize("text", ["", "m" * 10001, "<script>x</script>"])
def test_bad_minutes_are_refused(client, neighbour, held, text):
    client.force_login(neighbour)
    assert _verslag(client, held, text).status_code == 400
    held.refresh_from_db()
    assert held.minutes_published_at is None


def test_an_outsider_cannot_write_minutes(client, outsider_professional, held):
    mfa_client(client, outsider_professional)
    assert _verslag(client, held, "Van elders").status_code == 404


@pytest.mark.real_scrubber
def test_minutes_lose_phone_numbers_and_email_addresses(neighbour, held):
    services.minutes_save(
        actor=neighbour,
        gesprek=held,
        minutes="Bel 06-12345678 of mail j.jansen@example.nl over het park.",
        public=True,
        publish=True,
    )
    held.refresh_from_db()
    assert "06-12345678" not in held.minutes
    assert "example.nl" not in held.minutes
    assert "park" in held.minutes


# --- Agreements and reminders -------------------------------------------------------


def _afspraak(client, gesprek, **over):
    data = {
        "afspraak-description": "Een ruimte regelen",
        "afspraak-owner": AfspraakEigenaar.GEMEENTE,
        "afspraak-due_date": (
            timezone.localdate(gesprek.starts_at) + datetime.timedelta(days=10)
        ).isoformat(),
    }
    data.update(over)
    return client.post(reverse("wijkgesprek:afspraak", args=[gesprek.pk]), data)


def test_the_team_records_an_agreement(client, professional, held):
    mfa_client(client, professional)
    assert _afspraak(client, held).status_code == 302
    afspraak = GesprekAfspraak.objects.get()
    assert afspraak.owner == AfspraakEigenaar.GEMEENTE


@pytest.mark.parametrize(
    "over",
    [
        {"afspraak-description": ""},
        {"afspraak-description": "a" * 281},
        {"afspraak-description": "<img src=x onerror=alert(1)>"},
        {"afspraak-owner": "buurman"},
        {"afspraak-due_date": "2001-01-01"},
        {"afspraak-due_date": "2099-01-01"},
    ],
)
def test_a_bad_agreement_is_refused(client, professional, held, over):
    mfa_client(client, professional)
    assert _afspraak(client, held, **over).status_code == 400
    assert not GesprekAfspraak.objects.exists()


def test_a_resident_who_is_not_chair_cannot_add_an_agreement(client, bewoner, held):
    client.force_login(bewoner)
    assert _afspraak(client, held).status_code == 404


def test_tomorrows_meeting_reminds_all_three_sides_once(
    wijk, bewoner, professional, ambtenaar, django_capture_on_commit_callbacks
):
    Voorzitter.objects.create(wijk=wijk, user=bewoner)
    gesprek = Wijkgesprek.objects.create(
        wijk=wijk,
        starts_at=timezone.now() + datetime.timedelta(hours=20),
        place="Buurthuis",
        chair=bewoner,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.wijkgesprek_send_reminders() == 1
    told = set(
        Notificatie.objects.filter(key=f"wijkgesprek:meeting:{gesprek.pk}").values_list(
            "user_id", flat=True
        )
    )
    assert told == {bewoner.pk, professional.pk, ambtenaar.pk}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.wijkgesprek_send_reminders() == 0
    assert Notificatie.objects.filter(key__startswith="wijkgesprek:").count() == 3


@pytest.mark.parametrize(
    ("owner", "who"),
    [
        (AfspraakEigenaar.GEMEENTE, "ambtenaar"),
        (AfspraakEigenaar.TEAM, "professional"),
        (AfspraakEigenaar.BEWONERS, "neighbour"),
    ],
)
def test_an_agreement_due_reminds_the_side_that_owns_it(
    request,
    held,
    owner,
    who,
    bewoner,
    professional,
    ambtenaar,
    neighbour,
    django_capture_on_commit_callbacks,
):
    afspraak = GesprekAfspraak.objects.create(
        gesprek=held,
        description="Iets doen",
        owner=owner,
        due_date=timezone.localdate() + datetime.timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.wijkgesprek_send_reminders() == 1
    told = set(
        Notificatie.objects.filter(
            key=f"wijkgesprek:afspraak:{afspraak.pk}"
        ).values_list("user_id", flat=True)
    )
    assert told == {request.getfixturevalue(who).pk}


def test_the_reminder_task_runs_the_service(wijk, bewoner):
    from wijkgesprek.tasks import wijkgesprek_notify_task, wijkgesprek_send_reminders

    assert wijkgesprek_send_reminders.apply().get() == 0
    assert wijkgesprek_notify_task.apply(args=["planned", 999999]).get() == 0


# --- Chairing -----------------------------------------------------------------------


def test_a_resident_says_they_want_to_chair_and_can_stop(client, neighbour, wijk):
    client.force_login(neighbour)
    url = reverse("wijkgesprek:volunteer", args=[wijk.code])
    assert client.post(url).status_code == 302
    assert queries.is_volunteer(wijk, neighbour.pk)
    client.post(url)  # twice: still once
    assert Voorzitter.objects.filter(user=neighbour).count() == 1
    client.post(url, {"actie": "afmelden"})
    assert not queries.is_volunteer(wijk, neighbour.pk)


def test_a_resident_of_another_wijk_cannot_volunteer_here(
    client, outsider_resident, wijk
):
    client.force_login(outsider_resident)
    response = client.post(reverse("wijkgesprek:volunteer", args=[wijk.code]))
    assert response.status_code == 404
    assert not Voorzitter.objects.exists()


def test_a_professional_cannot_volunteer(client, professional, wijk):
    mfa_client(client, professional)
    response = client.post(reverse("wijkgesprek:volunteer", args=[wijk.code]))
    assert response.status_code == 403


def test_the_chair_rotates_to_who_chaired_longest_ago(wijk, bewoner, neighbour):
    Voorzitter.objects.create(wijk=wijk, user=bewoner)
    Voorzitter.objects.create(wijk=wijk, user=neighbour)
    assert queries.chair_proposal(wijk) == bewoner  # signed up first, never chaired
    Wijkgesprek.objects.create(
        wijk=wijk,
        starts_at=timezone.now() - datetime.timedelta(days=30),
        place="Buurthuis",
        chair=bewoner,
    )
    assert queries.chair_proposal(wijk) == neighbour
    Wijkgesprek.objects.create(
        wijk=wijk,
        starts_at=timezone.now() - datetime.timedelta(days=5),
        place="Buurthuis",
        chair=neighbour,
    )
    assert queries.chair_proposal(wijk) == bewoner


def test_a_candidate_who_moved_away_is_not_proposed(wijk, other_wijk, neighbour):
    Voorzitter.objects.create(wijk=wijk, user=neighbour)
    neighbour.wijk = other_wijk
    neighbour.save()
    assert queries.chair_proposal(wijk) is None


# --- The wijk's list ----------------------------------------------------------------


def test_anonymous_sees_only_public_minutes_on_the_wijk_list(
    client, wijk, gesprek, held
):
    held.minutes_published_at = timezone.now()
    held.save()
    page = client.get(reverse("wijkgesprek:wijk", args=[wijk.code])).content.decode()
    assert held.get_absolute_url() in page
    assert gesprek.get_absolute_url() not in page


def test_a_resident_sees_the_planned_meeting_on_the_wijk_list(
    client, wijk, gesprek, neighbour
):
    client.force_login(neighbour)
    page = client.get(reverse("wijkgesprek:wijk", args=[wijk.code])).content.decode()
    assert gesprek.get_absolute_url() in page
    assert "Ik wil voorzitter zijn" in page


def test_forgetting_a_user_removes_their_candidacy_and_chair(bewoner, gesprek):
    assert services.forget_user(user=bewoner) == {
        "gesprek_candidate": 1,
        "gesprek_chaired": 1,
    }
    gesprek.refresh_from_db()
    assert gesprek.chair is None

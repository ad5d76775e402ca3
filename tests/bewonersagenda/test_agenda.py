"""The bewonersagenda end to end per role: a resident raises a concern, neighbours
co-sign, the threshold notifies the team and the gemeente, the team links a public
theme, the officer answers; bad input and other people's objects are refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bewonersagenda import queries, services
from bewonersagenda.models import AgendaInstelling, Agendapunt, AgendapuntStatus, Steun
from initiatieven.models import Notificatie
from tests.conftest import mfa_client
from tests.factories import KerncijfersFactory, UserFactory
from tests.signalen.helpers import EXAMPLE

pytestmark = pytest.mark.django_db


def _steun_url(agendapunt):
    return reverse("bewonersagenda:steun", kwargs={"pk": agendapunt.pk})


def _detail(agendapunt):
    return reverse("bewonersagenda:detail", kwargs={"pk": agendapunt.pk})


def _create_url(wijk):
    return reverse("bewonersagenda:create", kwargs={"code": wijk.code})


# --- The threshold ------------------------------------------------------------------


def test_the_threshold_is_the_minimum_in_a_small_wijk(gemeente, wijk):
    AgendaInstelling.objects.create(gemeente=gemeente, minimum=20, per_thousand=5)
    KerncijfersFactory(level="wijk", code=wijk.code, year=2024, inhabitants=2000)
    assert queries.threshold_for(wijk) == 20


def test_the_threshold_grows_with_the_inhabitants_rounded_up(gemeente, wijk):
    AgendaInstelling.objects.create(gemeente=gemeente, minimum=20, per_thousand=5)
    KerncijfersFactory(level="wijk", code=wijk.code, year=2023, inhabitants=1000)
    KerncijfersFactory(level="wijk", code=wijk.code, year=2024, inhabitants=8001)
    assert queries.threshold_for(wijk) == 41  # ceil(5 x 8.001), the latest year


def test_without_a_setting_or_figures_the_default_minimum_holds(wijk):
    assert queries.threshold_for(wijk) == 25


# --- Raising a concern --------------------------------------------------------------


def test_a_resident_raises_a_concern_and_supports_it(client, instelling, bewoner, wijk):
    client.force_login(bewoner)
    assert client.get(_create_url(wijk)).status_code == 200
    response = client.post(
        _create_url(wijk),
        {"title": "Meer\u202e bankjes", "text": "Ouderen willen kunnen rusten."},
    )
    agendapunt = Agendapunt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(agendapunt)
    assert agendapunt.title == "Meer bankjes"  # bidi control stripped
    assert agendapunt.author == bewoner
    assert agendapunt.steunbetuigingen.filter(user=bewoner).exists()
    page = client.get(_detail(agendapunt)).content.decode()
    assert "Ouderen willen kunnen rusten." in page


def test_the_wijk_list_shows_the_concern_and_links_from_the_wijk_page(
    client, agendapunt, wijk, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        page = client.get(reverse("bewonersagenda:wijk", kwargs={"code": wijk.code}))
    assert agendapunt.title in page.content.decode()
    wijk_page = client.get(reverse("dashboard:wijk", kwargs={"code": wijk.code}))
    assert reverse("bewonersagenda:wijk", kwargs={"code": wijk.code}) in (
        wijk_page.content.decode()
    )


def test_anonymous_is_sent_to_login_to_raise(client, wijk):
    response = client.post(_create_url(wijk), {"title": "x", "text": "y"})
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_a_resident_of_another_wijk_cannot_raise_here(client, outsider_resident, wijk):
    client.force_login(outsider_resident)
    assert client.get(_create_url(wijk)).status_code == 404
    assert (
        client.post(_create_url(wijk), {"title": "x", "text": "y"}).status_code == 404
    )
    assert not Agendapunt.objects.exists()


def test_an_unverified_resident_cannot_raise(client, unverified_resident, wijk):
    client.force_login(unverified_resident)
    assert (
        client.post(_create_url(wijk), {"title": "x", "text": "y"}).status_code == 404
    )


def test_a_professional_may_not_raise(client, professional, wijk):
    mfa_client(client, professional)
    assert client.get(_create_url(wijk)).status_code == 403


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "<b>Hallo</b>", "text": "Tekst"}, "title"),
        ({"title": "Hallo", "text": "<script>alert(1)</script>"}, "text"),
        ({"title": "x" * 121, "text": "Tekst"}, "title"),
        ({"title": "Hallo", "text": "x" * 3001}, "text"),
        ({"title": "Hallo", "text": "   "}, "text"),
    ],
)
def test_bad_input_is_refused(client, instelling, bewoner, wijk, data, field):
    client.force_login(bewoner)
    response = client.post(_create_url(wijk), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Agendapunt.objects.exists()


# --- Co-signing -----------------------------------------------------------------------


def test_neighbours_co_sign_once_and_the_threshold_notifies_team_and_gemeente(
    client,
    agendapunt,
    neighbours,
    professional,
    ambtenaar,
    outsider_ambtenaar,
    django_capture_on_commit_callbacks,
):
    for neighbour in neighbours[:2]:
        client.force_login(neighbour)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(_steun_url(agendapunt)).status_code == 302
    agendapunt.refresh_from_db()
    assert agendapunt.status == AgendapuntStatus.DREMPEL
    assert agendapunt.threshold == 3
    assert agendapunt.reached_at is not None
    told = set(
        Notificatie.objects.filter(
            key=f"bewonersagenda:reached:{agendapunt.pk}"
        ).values_list("user_id", flat=True)
    )
    assert told == {professional.pk, ambtenaar.pk}
    # After the threshold: no more co-signing, no withdrawing.
    client.force_login(neighbours[2])
    assert client.post(_steun_url(agendapunt)).status_code == 400
    client.force_login(neighbours[0])
    response = client.post(_steun_url(agendapunt), {"actie": "intrekken"})
    assert response.status_code == 400
    assert agendapunt.steunbetuigingen.count() == 3


def test_a_second_support_by_the_same_resident_is_refused(
    client, agendapunt, neighbours
):
    client.force_login(neighbours[0])
    client.post(_steun_url(agendapunt))
    assert client.post(_steun_url(agendapunt)).status_code == 400
    assert Steun.objects.filter(user=neighbours[0]).count() == 1


def test_support_can_be_withdrawn_before_the_threshold(client, agendapunt, neighbours):
    client.force_login(neighbours[0])
    client.post(_steun_url(agendapunt))
    response = client.post(_steun_url(agendapunt), {"actie": "intrekken"})
    assert response.status_code == 302
    assert not Steun.objects.filter(user=neighbours[0]).exists()


def test_a_resident_of_another_wijk_cannot_co_sign(
    client, agendapunt, outsider_resident
):
    client.force_login(outsider_resident)
    assert client.post(_steun_url(agendapunt)).status_code == 404
    assert agendapunt.steunbetuigingen.count() == 1


def test_an_unverified_resident_cannot_co_sign(client, agendapunt, unverified_resident):
    client.force_login(unverified_resident)
    assert client.post(_steun_url(agendapunt)).status_code == 404


def test_a_closed_concern_cannot_be_co_signed(
    client, agendapunt, neighbours, beheerder
):
    services.agendapunt_close(actor=beheerder, agendapunt=agendapunt)
    client.force_login(neighbours[0])
    assert client.post(_steun_url(agendapunt)).status_code == 400
    assert agendapunt.steunbetuigingen.count() == 1


def test_an_officer_cannot_co_sign(client, agendapunt, ambtenaar):
    mfa_client(client, ambtenaar)
    assert client.post(_steun_url(agendapunt)).status_code == 403


# --- Themes: "wij zien dit ook" ------------------------------------------------------


def test_the_team_links_a_public_theme_shown_by_name_and_band_only(
    client, agendapunt, professional, public_theme, bewoner
):
    mfa_client(client, professional)
    url = reverse("bewonersagenda:thema_link", kwargs={"pk": agendapunt.pk})
    assert client.post(url, {"thema": public_theme.pk}).status_code == 302
    client.force_login(bewoner)
    page = client.get(_detail(agendapunt)).content.decode()
    assert "Veilig naar school" in page
    assert "signalen" in page  # the size band
    assert EXAMPLE not in page
    assert "ouderen, flat, buurthuis" not in page
    assert "12" not in page.split("Wij zien dit ook")[1].split("</section>")[0]


def test_a_theme_the_team_keeps_to_itself_cannot_be_linked(
    client, agendapunt, professional, team_theme
):
    mfa_client(client, professional)
    url = reverse("bewonersagenda:thema_link", kwargs={"pk": agendapunt.pk})
    response = client.post(url, {"thema": team_theme.pk})
    assert response.status_code == 400
    assert not agendapunt.themas.exists()
    assert "geheime woorden" not in response.content.decode()


def test_a_theme_that_stops_being_public_drops_out_for_residents(
    client, agendapunt, public_theme, bewoner
):
    agendapunt.themas.add(public_theme)
    public_theme.public_approved_at = None
    public_theme.save(update_fields=["public_approved_at"])
    client.force_login(bewoner)
    assert "Veilig naar school" not in client.get(_detail(agendapunt)).content.decode()


def test_a_professional_of_another_wijk_cannot_link(
    client, agendapunt, outsider_professional, public_theme
):
    mfa_client(client, outsider_professional)
    url = reverse("bewonersagenda:thema_link", kwargs={"pk": agendapunt.pk})
    assert client.post(url, {"thema": public_theme.pk}).status_code == 404


def test_a_resident_cannot_link(client, agendapunt, bewoner, public_theme):
    client.force_login(bewoner)
    url = reverse("bewonersagenda:thema_link", kwargs={"pk": agendapunt.pk})
    assert client.post(url, {"thema": public_theme.pk}).status_code == 403


# --- The officer's answer ------------------------------------------------------------


@pytest.fixture
def reached(agendapunt, neighbours):
    for neighbour in neighbours[:2]:
        services.steun_add(user=neighbour, agendapunt=agendapunt)
    agendapunt.refresh_from_db()
    return agendapunt


def _answer_url(agendapunt):
    return reverse("bewonersagenda:answer", kwargs={"pk": agendapunt.pk})


def test_the_officer_answers_and_the_supporters_hear_of_it(
    client, reached, ambtenaar, bewoner, neighbours, django_capture_on_commit_callbacks
):
    mfa_client(client, ambtenaar)
    assert "te laat" not in client.get(reverse("bewonersagenda:index")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_answer_url(reached), {"answer": "Wij gaan het doen."})
    assert response.status_code == 302
    reached.refresh_from_db()
    assert reached.status == AgendapuntStatus.BEANTWOORD
    assert reached.answered_by == ambtenaar
    assert reached.answered_at is not None
    told = set(
        Notificatie.objects.filter(
            key=f"bewonersagenda:answered:{reached.pk}"
        ).values_list("user_id", flat=True)
    )
    assert told == {bewoner.pk, neighbours[0].pk, neighbours[1].pk}
    client.force_login(bewoner)
    page = client.get(_detail(reached)).content.decode()
    assert "Wij gaan het doen." in page
    assert "Anna Ambtenaar" in page


def test_an_officer_cannot_answer_before_the_threshold(client, agendapunt, ambtenaar):
    mfa_client(client, ambtenaar)
    assert client.post(_answer_url(agendapunt), {"answer": "Nee"}).status_code == 403


def test_an_officer_of_another_gemeente_cannot_answer(
    client, reached, outsider_ambtenaar
):
    mfa_client(client, outsider_ambtenaar)
    assert client.post(_answer_url(reached), {"answer": "Nee"}).status_code == 404


def test_a_professional_cannot_answer(client, reached, professional):
    mfa_client(client, professional)
    assert client.post(_answer_url(reached), {"answer": "Nee"}).status_code == 403


@pytest.mark.parametrize("answer", ["", "<b>ja</b>", "x" * 5001])
def test_a_bad_answer_is_refused(client, reached, ambtenaar, answer):
    mfa_client(client, ambtenaar)
    assert client.post(_answer_url(reached), {"answer": answer}).status_code == 400
    reached.refresh_from_db()
    assert reached.answered_at is None


def test_a_late_answer_is_marked_overdue_for_the_officer(
    client, reached, ambtenaar, settings
):
    settings.ESCALATION_REMINDER_DAYS = 10
    Agendapunt.objects.filter(pk=reached.pk).update(
        reached_at=timezone.now() - datetime.timedelta(days=11)
    )
    mfa_client(client, ambtenaar)
    assert "te laat" in client.get(reverse("bewonersagenda:index")).content.decode()
    assert list(queries.overdue()) == [reached]


# --- Moderation ----------------------------------------------------------------------


def test_a_beheerder_hides_a_concern(client, agendapunt, beheerder, bewoner, wijk):
    mfa_client(client, beheerder)
    url = reverse("bewonersagenda:hide", kwargs={"pk": agendapunt.pk})
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Beledigend"}).status_code == 302
    client.force_login(bewoner)
    assert client.get(_detail(agendapunt)).status_code == 404
    listing = client.get(reverse("bewonersagenda:wijk", kwargs={"code": wijk.code}))
    assert agendapunt.title not in listing.content.decode()


def test_only_a_beheerder_hides(client, agendapunt, ambtenaar):
    mfa_client(client, ambtenaar)
    url = reverse("bewonersagenda:hide", kwargs={"pk": agendapunt.pk})
    assert client.post(url, {"reason": "x"}).status_code == 403


def test_an_unknown_concern_is_404(client, db):
    assert (
        client.get(reverse("bewonersagenda:detail", kwargs={"pk": 999})).status_code
        == 404
    )


# --- The demo ------------------------------------------------------------------------


def test_the_demo_has_a_concern_one_support_short(wijk):
    from bewonersagenda.demo import NEAR_TITLE, demo_bewonersagenda_load

    UserFactory(email="bewoner@demo.buurtwijs.nl", wijk=wijk)
    demo_bewonersagenda_load(wijk=wijk)
    assert demo_bewonersagenda_load(wijk=wijk) == 2  # a second run changes nothing
    near = Agendapunt.objects.get(title=NEAR_TITLE)
    assert near.status == AgendapuntStatus.OPEN
    assert queries.supporters(near) == queries.threshold_for(wijk) - 1


# --- Data rights -----------------------------------------------------------------------


def test_the_download_lists_and_the_removal_forgets_the_residents_concerns(
    agendapunt, bewoner, neighbours
):
    from privacy.services import account_forget, personal_data_export

    services.steun_add(user=neighbours[0], agendapunt=agendapunt)
    exported = personal_data_export(neighbours[0])["bewonersagenda"]
    assert exported["punten_gesteund"][0]["titel"] == agendapunt.title
    assert personal_data_export(bewoner)["bewonersagenda"]["punten_aangedragen"]
    account_forget(user=bewoner)
    agendapunt.refresh_from_db()
    assert agendapunt.author is None
    assert agendapunt.steunbetuigingen.count() == 1  # the neighbour's


def test_officers_are_reminded_of_a_late_answer_once_per_interval(
    reached, ambtenaar, outsider_ambtenaar, settings, django_capture_on_commit_callbacks
):
    settings.ESCALATION_REMINDER_DAYS = 10
    now = timezone.now()
    assert services.agendapunt_send_reminders(now=now) == 0  # not late yet
    later = now + datetime.timedelta(days=11)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.agendapunt_send_reminders(now=later) == 1
    assert services.agendapunt_send_reminders(now=later) == 0  # once per interval
    told = Notificatie.objects.filter(key__startswith="bewonersagenda:reminder:")
    assert list(told.values_list("user_id", flat=True)) == [ambtenaar.pk]

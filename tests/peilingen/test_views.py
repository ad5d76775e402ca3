"""The journeys of every role, and what each role may not do."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from peilingen import services
from peilingen.models import (
    Antwoord,
    Bezoek,
    Kanaal,
    Peiling,
    PeilingDeelname,
    PeilingSamenvatting,
    PeilingStatus,
    Respons,
    Ronde,
    SamenvattingStatus,
    VraagSoort,
)
from peilingen.services import MAX_QUESTIONS, PeilingError
from signalen.models import Signaal
from tests.conftest import mfa_client
from tests.factories import UserFactory
from tests.peilingen.conftest import add_response, make_peiling

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_peiling(wijk, team):
    return make_peiling(wijk, status=PeilingStatus.OPEN, team=team)


def answers_post(peiling, **extra):
    data = {"consent": "on"}
    for vraag in peiling.vragen.all():
        if vraag.kind == VraagSoort.EEN:
            data[f"vraag_{vraag.pk}"] = "1"
        elif vraag.kind == VraagSoort.SCHAAL:
            data[f"vraag_{vraag.pk}"] = "4"
        elif vraag.kind == VraagSoort.MEER:
            data[f"vraag_{vraag.pk}"] = ["0", "1"]
        else:
            data[f"vraag_{vraag.pk}"] = "Het pad is donker."
    data.update(extra)
    return data


# --- Writing ---------------------------------------------------------------------------------


def test_an_officer_writes_a_survey_for_a_wijk_of_their_gemeente(
    client, ambtenaar, wijk
):
    client = mfa_client(client, ambtenaar)
    response = client.post(
        "/peilingen/nieuw/",
        {"wijk": wijk.pk, "title": "Groen in de wijk", "online": "on", "street": "on"},
    )
    peiling = Peiling.objects.get()
    assert response.status_code == 302
    assert peiling.by_gemeente
    assert peiling.created_by == ambtenaar
    response = client.post(
        f"/peilingen/{peiling.pk}/vragen/",
        {"kind": "een", "text": "Wilt u meer bomen?", "options": "Ja\nNee\nWeet niet"},
    )
    assert response.status_code == 302
    assert peiling.vragen.get().options == ["Ja", "Nee", "Weet niet"]
    client.post(f"/peilingen/{peiling.pk}/status/", {"actie": "openen"})
    peiling.refresh_from_db()
    assert peiling.is_open


def test_an_officer_of_another_gemeente_cannot_choose_the_wijk(
    client, outsider_ambtenaar, wijk
):
    client = mfa_client(client, outsider_ambtenaar)
    response = client.post("/peilingen/nieuw/", {"wijk": wijk.pk, "title": "X"})
    assert response.status_code == 400
    assert not Peiling.objects.exists()


def test_a_resident_may_not_write_a_survey(client, bewoner):
    client.force_login(bewoner)
    assert client.get("/peilingen/nieuw/").status_code == 403


def test_a_survey_keeps_to_the_question_cap(professional, wijk):
    peiling = services.peiling_create(actor=professional, wijk=wijk, title="Kort")
    for i in range(MAX_QUESTIONS):
        services.vraag_add(
            actor=professional, peiling=peiling, kind="schaal", text=f"V{i}"
        )
    with pytest.raises(PeilingError) as error:
        services.vraag_add(
            actor=professional, peiling=peiling, kind="schaal", text="Nog een"
        )
    assert error.value.code == "too_many"


def test_a_choice_question_needs_two_options(client, professional, wijk):
    client = mfa_client(client, professional)
    peiling = services.peiling_create(actor=professional, wijk=wijk, title="Kort")
    response = client.post(
        f"/peilingen/{peiling.pk}/vragen/",
        {"kind": "een", "text": "Ja?", "options": "Ja"},
    )
    assert response.status_code == 400
    assert not peiling.vragen.exists()


def test_staff_text_goes_through_the_scrubber(professional, wijk):
    peiling = services.peiling_create(
        actor=professional, wijk=wijk, title="Vraag van Jansen", intro="Bel Jansen"
    )
    assert "Jansen" not in peiling.title + peiling.intro


def test_an_outsider_professional_gets_404(client, outsider_professional, open_peiling):
    client = mfa_client(client, outsider_professional)
    assert client.get(f"/peilingen/{open_peiling.pk}/").status_code == 404
    assert (
        client.get(f"/peilingen/{open_peiling.pk}/open-antwoorden/").status_code == 404
    )


# --- A resident answers online -----------------------------------------------------------------


def test_a_resident_answers_once_and_the_answer_holds_no_link_to_them(
    client, bewoner, open_peiling
):
    client.force_login(bewoner)
    url = f"/peilingen/{open_peiling.pk}/invullen/"
    page = client.get(url).content.decode()
    assert "Ik doe mee" in page
    assert "duurt ongeveer" in page.lower()
    response = client.post(url, answers_post(open_peiling, age_band="65-plus"))
    assert response.status_code == 302
    respons = Respons.objects.get()
    assert respons.channel == Kanaal.ONLINE
    assert respons.consent
    assert respons.consent_version
    deelname = PeilingDeelname.objects.get(user=bewoner, peiling=open_peiling)
    # Random keys on both sides: the order of answering pairs nobody with answers.
    assert isinstance(deelname.pk, uuid.UUID)
    assert isinstance(respons.pk, uuid.UUID)
    # The response has no field that points at an account, and no time of day.
    assert not any(
        getattr(f, "related_model", None) is type(bewoner) for f in Respons._meta.fields
    )
    assert not hasattr(respons, "created_at")
    # Once only.
    assert client.post(url, answers_post(open_peiling)).status_code == 302
    assert Respons.objects.count() == 1


def test_without_consent_nothing_is_saved(client, bewoner, open_peiling):
    client.force_login(bewoner)
    data = answers_post(open_peiling)
    del data["consent"]
    response = client.post(f"/peilingen/{open_peiling.pk}/invullen/", data)
    assert response.status_code == 400
    assert not Respons.objects.exists()


def test_a_wrong_option_is_a_400(client, bewoner, open_peiling):
    client.force_login(bewoner)
    vraag = open_peiling.vragen.get(kind=VraagSoort.EEN)
    data = answers_post(open_peiling, **{f"vraag_{vraag.pk}": "9"})
    assert (
        client.post(f"/peilingen/{open_peiling.pk}/invullen/", data).status_code == 400
    )
    assert not Respons.objects.exists()


def test_a_resident_of_another_wijk_cannot_answer(client, other_wijk, open_peiling):
    elsewhere = UserFactory(email="elders@example.nl", wijk=other_wijk)
    client.force_login(elsewhere)
    assert client.get(f"/peilingen/{open_peiling.pk}/invullen/").status_code == 404


def test_a_concept_survey_is_not_on_the_residents_list(client, bewoner, wijk, team):
    make_peiling(wijk, status=PeilingStatus.CONCEPT, team=team)
    client.force_login(bewoner)
    assert "Hoe woont u?" not in client.get("/peilingen/").content.decode()


# --- A round in the street --------------------------------------------------------------------------


def test_a_professional_runs_a_door_round_person_after_person(
    client, professional, open_peiling, buurt_a
):
    client = mfa_client(client, professional)
    response = client.post(
        f"/peilingen/{open_peiling.pk}/rondes/",
        {
            "date": timezone.localdate().isoformat(),
            "buurt": buurt_a.pk,
            "channel": "deur",
        },
    )
    ronde = Ronde.objects.get()
    assert response.status_code == 302
    url = f"/peilingen/{open_peiling.pk}/rondes/{ronde.pk}/"
    for _i in range(3):
        response = client.post(url, answers_post(open_peiling, kanaal="deur"))
        assert response.status_code == 302
    assert (
        Respons.objects.filter(ronde=ronde, channel="deur", buurt=buurt_a).count() == 3
    )
    assert not PeilingDeelname.objects.exists()  # no account of the respondent
    response = client.post(
        f"{url}bezoek/",
        {
            "bezoek-street": "Dijkstraat",
            "bezoek-number_from": "1",
            "bezoek-number_to": "21",
            "bezoek-outcome": "niet-thuis",
        },
    )
    assert response.status_code == 302
    assert Bezoek.objects.get().buurt == buurt_a
    page = client.get(f"/peilingen/{open_peiling.pk}/").content.decode()
    assert "Dijkstraat (1-21)" in page
    assert "nog niet" not in page or buurt_a.name in page


def test_a_visit_with_a_house_number_in_the_street_is_refused(
    client, professional, open_peiling
):
    client = mfa_client(client, professional)
    ronde = services.ronde_start(
        actor=professional, peiling=open_peiling, date=timezone.localdate()
    )
    response = client.post(
        f"/peilingen/{open_peiling.pk}/rondes/{ronde.pk}/bezoek/",
        {"bezoek-street": "Dijkstraat 12", "bezoek-outcome": "gesproken"},
    )
    assert response.status_code == 400
    assert not Bezoek.objects.exists()


def test_a_volunteer_answers_with_a_person_in_their_round_only(
    client, professional, bewoner, open_peiling, wijk
):
    ronde = services.ronde_start(
        actor=professional, peiling=open_peiling, date=timezone.localdate()
    )
    other = services.ronde_start(
        actor=professional, peiling=open_peiling, date=timezone.localdate()
    )
    services.ronde_helper_add(actor=professional, ronde=ronde, email=bewoner.email)
    client.force_login(bewoner)
    url = f"/peilingen/{open_peiling.pk}/rondes/{ronde.pk}/"
    assert client.get(url).status_code == 200
    assert (
        client.post(url, answers_post(open_peiling, kanaal="straat")).status_code == 302
    )
    assert Respons.objects.get().channel == "straat"
    assert (
        client.get(f"/peilingen/{open_peiling.pk}/rondes/{other.pk}/").status_code
        == 404
    )
    # A volunteer reads no open answers.
    assert (
        client.get(f"/peilingen/{open_peiling.pk}/open-antwoorden/").status_code == 403
    )


def test_a_volunteer_sees_the_rounds_answer_count_only_from_k_up(
    client, settings, professional, bewoner, open_peiling
):
    ronde = services.ronde_start(
        actor=professional, peiling=open_peiling, date=timezone.localdate()
    )
    services.ronde_helper_add(actor=professional, ronde=ronde, email=bewoner.email)
    client.force_login(bewoner)
    url = f"/peilingen/{open_peiling.pk}/rondes/{ronde.pk}/"
    client.post(url, answers_post(open_peiling, kanaal="straat"))
    page = client.get(url).content.decode()
    assert f"minder dan {settings.K_ANONYMITY} antwoorden in deze ronde" in page
    assert "1 antwoord in deze ronde" not in page
    for _n in range(settings.K_ANONYMITY - 1):
        client.post(url, answers_post(open_peiling, kanaal="straat"))
    page = client.get(url).content.decode()
    assert f"{settings.K_ANONYMITY} antwoorden in deze ronde" in page
    # The team sees the exact number from the first answer.
    team = mfa_client(client, professional)
    assert "antwoorden in deze ronde" in team.get(url).content.decode()


def test_a_closed_round_takes_no_more_answers(client, professional, open_peiling):
    ronde = services.ronde_start(
        actor=professional, peiling=open_peiling, date=timezone.localdate()
    )
    services.ronde_close(actor=professional, ronde=ronde)
    client = mfa_client(client, professional)
    url = f"/peilingen/{open_peiling.pk}/rondes/{ronde.pk}/"
    assert client.post(url, answers_post(open_peiling)).status_code == 403


# --- The team: open answers, summary, signals, themes -------------------------------------------------


def test_only_the_team_reads_open_answers(
    client, professional, ambtenaar, open_peiling
):
    add_response(open_peiling, een=0, open="Het pad is donker.")
    assert (
        "Het pad is donker."
        in mfa_client(client, professional)
        .get(f"/peilingen/{open_peiling.pk}/open-antwoorden/")
        .content.decode()
    )
    client.logout()
    officer = mfa_client(client, ambtenaar)
    assert (
        officer.get(f"/peilingen/{open_peiling.pk}/open-antwoorden/").status_code == 403
    )


def test_a_summary_goes_public_only_when_a_colleague_approves(
    client, professional, colleague, wijk, team
):
    peiling = make_peiling(wijk, status=PeilingStatus.GESLOTEN, team=team)
    proposal = services.summary_propose(
        actor=professional, peiling=peiling, text="Veel mensen missen een buurthuis."
    )
    with pytest.raises(PeilingError):
        services.summary_approve(actor=professional, samenvatting=proposal)
    results = f"/peilingen/{peiling.pk}/resultaten/"
    assert "missen een buurthuis" not in client.get(results).content.decode()
    c = mfa_client(client, colleague)
    response = c.post(
        f"/peilingen/{peiling.pk}/samenvatting/{proposal.pk}/", {"actie": "goedkeuren"}
    )
    assert response.status_code == 302
    assert PeilingSamenvatting.objects.get().status == SamenvattingStatus.PUBLISHED
    assert "missen een buurthuis" in client.get(results).content.decode()


def test_a_professional_turns_an_open_answer_into_a_signal(
    client, professional, open_peiling, taxonomy
):
    respons = add_response(open_peiling, een=0, open="Ouderen voelen zich eenzaam.")
    antwoord = respons.antwoorden.get(vraag__kind="open")
    client = mfa_client(client, professional)
    from signalen.models import Bron, Categorie

    response = client.post(
        f"/peilingen/{open_peiling.pk}/open-antwoorden/{antwoord.pk}/signaal/",
        {
            "categorie": Categorie.objects.get(code="eenzaamheid").pk,
            "bron": Bron.objects.filter(is_active=True).first().pk,
        },
    )
    assert response.status_code == 302
    signaal = Signaal.objects.get()
    # Saved like every signal: sealed until the scrub worker has read it.
    from signalen.intake.sealing import unseal

    assert signaal.scrub_pending
    assert signaal.text == ""
    assert unseal(signaal.text_sealed) == "Ouderen voelen zich eenzaam."
    assert signaal.observed_on == respons.created_on
    assert Antwoord.objects.get(pk=antwoord.pk).signaal_made


def test_a_survey_linked_to_a_theme_shows_on_the_team_theme_page(
    client, professional, open_peiling, taxonomy
):
    from tests.signalen.helpers import make_thema

    thema = make_thema(open_peiling.wijk)
    client = mfa_client(client, professional)
    response = client.post(f"/peilingen/{open_peiling.pk}/themas/", {"thema": thema.pk})
    assert response.status_code == 302
    page = client.get(f"/signalen/themas/{thema.pk}/").content.decode()
    assert "Wat we hoorden op straat" in page
    assert open_peiling.title in page


def test_closing_freezes_the_survey_and_opens_the_results(
    client, professional, open_peiling
):
    for _i in range(6):
        add_response(open_peiling, een=0)
    results = f"/peilingen/{open_peiling.pk}/resultaten/"
    assert client.get(results).status_code == 404
    services.peiling_close(actor=professional, peiling=open_peiling)
    assert client.get(results).status_code == 200
    with pytest.raises(PeilingError):
        services.response_submit(
            peiling=open_peiling, channel="online", answers={}, consent=True
        )


def test_the_pages_speak_english_with_the_english_cookie(
    client, settings, bewoner, wijk, team
):
    closed = make_peiling(wijk, status=PeilingStatus.GESLOTEN, team=team)
    for _i in range(6):
        add_response(closed, een=0)
    running = make_peiling(wijk, status=PeilingStatus.OPEN, team=team)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    results = client.get(f"/peilingen/{closed.pk}/resultaten/").content.decode()
    assert "Results:" in results
    assert "Choose one filter at a time" in results
    assert "Kies één filter" not in results
    client.force_login(bewoner)
    form = client.get(f"/peilingen/{running.pk}/invullen/").content.decode()
    assert "I take part." in form
    assert "About you (may be left empty)" in form

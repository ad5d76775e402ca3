"""Issue #15 items 1 and 2: staff texts that leave the team are scrubbed, what goes
public needs a second professional (vier ogen), and nothing the engine writes (its
keywords and label) leaves the team."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from signalen.answers import publication
from signalen.answers import services as answers
from signalen.escalations import services as escalations
from signalen.intake.scrub.words import is_name_like
from signalen.intake.scrubbing import ScrubUnavailable
from signalen.models import (
    PublicatieStatus,
    ThemaGebeurtenis,
    ThemaPublicatie,
    ThemaStatus,
    ThemaZichtbaarheid,
)
from signalen.naming import outside_name
from signalen.themes import services as themes
from signalen.themes.keywords import shared_keywords
from signalen.themes.rollup import InputSignal
from signalen.themes.services import ThemeError
from tests.conftest import mfa_client
from tests.signalen.helpers import make_signaal, publish_approved
from tests.signalen.test_answers import last_block_day, make_thema

CALL = (
    "Riet (87) van de Dorpsstraat 12 zoekt gezelschap. Tel 06-12345678, "
    "kenteken GZ-123-B."
)
PLANTED = ("riet", "06-12345678", "gz-123-b", "dorpsstraat 12")


def _clean(text: str) -> bool:
    low = text.lower()
    return not any(word in low for word in PLANTED)


@pytest.fixture
def thema(professional, colleague, team, wijk):
    signalen = [
        make_signaal(
            author=professional if i % 2 else colleague,
            team=team,
            text="Ouderen in de flat voelen zich alleen.",
            observed_on=last_block_day(),
        )
        for i in range(6)
    ]
    return make_thema(wijk, signalen=signalen)


@pytest.fixture
def riet_thema(professional, colleague, team, wijk):
    """Seven signals that mention Riet and a number plate (stored as an older,
    weaker scrubber left them) became a theme labelled with the engine's words."""
    signalen = [
        make_signaal(
            author=professional if i % 2 else colleague,
            team=team,
            text="Riet heeft hulp nodig bij boodschappen, auto GZ-123-B staat er.",
            observed_on=last_block_day(),
        )
        for i in range(7)
    ]
    return make_thema(
        wijk,
        signalen=signalen,
        label="gz, hulp, boodschappen, riet",
        keywords=["gz", "hulp", "boodschappen", "riet"],
        visibility=ThemaZichtbaarheid.GEMEENTE,
    )


# --- Item 1: four eyes on the public text --------------------------------------------


def test_a_public_call_is_stored_scrubbed_and_public_only_after_a_colleague_approves(
    client, thema, professional, colleague
):
    proposal = answers.theme_publish(
        actor=professional, thema=thema, title="Oproep", text=CALL, is_call=True
    )
    assert proposal.status == PublicatieStatus.PENDING
    assert _clean(proposal.text)
    assert "[NAAM]" in proposal.text
    assert {"naam", "telefoon", "kenteken"} <= set(proposal.removed)
    thema.refresh_from_db()
    assert thema.public_text == ""
    public_url = reverse("themas:detail", kwargs={"pk": thema.pk})
    assert client.get(public_url).status_code == 404

    publication.publication_approve(actor=colleague, publicatie=proposal)
    thema.refresh_from_db()
    assert thema.visibility == ThemaZichtbaarheid.PUBLIEK
    assert thema.public_approved_by == colleague
    page = client.get(public_url)
    assert page.status_code == 200
    assert "gezelschap" in page.content.decode()
    assert _clean(page.content.decode())
    published = thema.gebeurtenissen.get(soort=ThemaGebeurtenis.Soort.PUBLISHED)
    assert published.detail["proposed_by"] == professional.pk
    assert published.detail["approved_by"] == colleague.pk
    assert thema.gebeurtenissen.filter(soort=ThemaGebeurtenis.Soort.PROPOSED).exists()


def test_the_author_cannot_approve_their_own_text(thema, professional):
    proposal = answers.theme_publish(
        actor=professional, thema=thema, title="Oproep", text="Kom erbij", is_call=False
    )
    with pytest.raises(ThemeError) as error:
        publication.publication_approve(actor=professional, publicatie=proposal)
    assert error.value.code == "own"
    thema.refresh_from_db()
    assert thema.visibility == ThemaZichtbaarheid.TEAM


def test_a_professional_of_another_team_cannot_approve_or_reject(
    thema, professional, outsider_professional
):
    proposal = answers.theme_publish(
        actor=professional, thema=thema, title="Oproep", text="Kom erbij", is_call=False
    )
    with pytest.raises(ThemeError) as error:
        publication.publication_approve(
            actor=outsider_professional, publicatie=proposal
        )
    assert error.value.code == "forbidden"
    with pytest.raises(ThemeError):
        publication.publication_reject(
            actor=outsider_professional, publicatie=proposal, reason="Nee"
        )
    proposal.refresh_from_db()
    assert proposal.status == PublicatieStatus.PENDING


@pytest.mark.parametrize("role", ["outsider_professional", "ambtenaar", "bewoner"])
def test_only_a_team_colleague_can_approve_through_the_page(
    client, thema, professional, request, role
):
    proposal = answers.theme_publish(
        actor=professional, thema=thema, title="Oproep", text="Kom erbij", is_call=False
    )
    mfa_client(client, request.getfixturevalue(role))
    url = reverse(
        "signalen:thema_publication_approve",
        kwargs={"pk": thema.pk, "publicatie_pk": proposal.pk},
    )
    assert client.post(url).status_code in (403, 404)
    proposal.refresh_from_db()
    assert proposal.status == PublicatieStatus.PENDING


def test_anonymous_approval_goes_to_the_login_page(client, thema, professional):
    proposal = answers.theme_publish(
        actor=professional, thema=thema, title="Oproep", text="Kom erbij", is_call=False
    )
    url = reverse(
        "signalen:thema_publication_approve",
        kwargs={"pk": thema.pk, "publicatie_pk": proposal.pk},
    )
    response = client.post(url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_colleague_rejects_with_a_reason_and_nothing_goes_public(
    client, thema, professional, colleague
):
    proposal = answers.theme_publish(
        actor=professional, thema=thema, title="Oproep", text="Kom erbij", is_call=False
    )
    mfa_client(client, colleague)
    url = reverse(
        "signalen:thema_publication_reject",
        kwargs={"pk": thema.pk, "publicatie_pk": proposal.pk},
    )
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Te vaag, schrijf wat er speelt."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == PublicatieStatus.REJECTED
    assert proposal.reason == "Te vaag, schrijf wat er speelt."
    thema.refresh_from_db()
    assert thema.visibility == ThemaZichtbaarheid.TEAM
    assert thema.gebeurtenissen.filter(soort=ThemaGebeurtenis.Soort.REJECTED).exists()
    with pytest.raises(ThemeError) as error:
        publication.publication_approve(actor=colleague, publicatie=proposal)
    assert error.value.code == "not_pending"


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "waarom u de tekst afwijst"), ("x" * 501, "te lang")],
)
def test_bad_reject_input_shows_the_form_again(
    client, thema, professional, colleague, reason, message
):
    proposal = answers.theme_publish(
        actor=professional, thema=thema, title="Oproep", text="Kom erbij", is_call=False
    )
    mfa_client(client, colleague)
    response = client.post(
        reverse(
            "signalen:thema_publication_reject",
            kwargs={"pk": thema.pk, "publicatie_pk": proposal.pk},
        ),
        {"reason": reason},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == PublicatieStatus.PENDING


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"public_title": "", "public_text": "Tekst"}, 400, "openbare titel"),
        ({"public_title": "T", "public_text": "x" * 2001}, 400, "te lang"),
        (
            {"public_title": "<script>alert(1)</script>", "public_text": "<b>Hoi</b>"},
            200,
            "&lt;script&gt;",
        ),
    ],
)
def test_the_preview_refuses_bad_input_and_escapes_html(
    client, thema, professional, data, status, message
):
    mfa_client(client, professional)
    response = client.post(
        reverse("signalen:thema_publish", kwargs={"pk": thema.pk}), data
    )
    assert response.status_code == status
    body = response.content.decode()
    assert message in body
    assert "<script>alert(1)</script>" not in body
    assert not ThemaPublicatie.objects.exists()


def test_the_preview_shows_the_scrubbed_text_and_what_was_removed(
    client, thema, professional
):
    mfa_client(client, professional)
    response = client.post(
        reverse("signalen:thema_publish", kwargs={"pk": thema.pk}),
        {"public_title": "Oproep", "public_text": CALL, "is_call": "on"},
    )
    body = response.content.decode()
    assert "Zo wordt het verstuurd" in body
    assert "telefoonnummer" in body
    assert "[NAAM]" in body
    assert _clean(body.split("Zo wordt het verstuurd")[1].split("Of pas uw")[0])
    assert not ThemaPublicatie.objects.exists()


def test_without_the_scrubber_nothing_is_sent_and_the_text_stays(
    client, thema, professional, monkeypatch
):
    def down(*args, **kwargs):
        raise ScrubUnavailable("down")

    monkeypatch.setattr("signalen.intake.staff_text.text_scrub", down)
    mfa_client(client, professional)
    response = client.post(
        reverse("signalen:thema_publish", kwargs={"pk": thema.pk}),
        {"public_title": "Oproep", "public_text": "Kom erbij in het buurthuis"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "niet worden gecontroleerd" in body
    assert "Kom erbij in het buurthuis" in body
    assert not ThemaPublicatie.objects.exists()


def test_staff_texts_for_the_gemeente_and_names_are_scrubbed(thema, professional):
    assert themes.theme_rename(thema=thema, actor=professional, name="Hulp voor Riet")
    thema.refresh_from_db()
    assert "Riet" not in thema.name
    escalatie = escalations.escalation_send(
        actor=professional,
        thema=thema,
        title="Hulp voor ouderen",
        argument=CALL,
        request="Bel Riet op 06-12345678",
    )
    assert _clean(escalatie.argument)
    assert _clean(escalatie.request)


def test_progress_on_a_public_theme_is_scrubbed(thema, professional, bewoner):
    publish_approved(
        actor=professional, thema=thema, title="Oproep", text="Kom erbij", is_call=True
    )
    thema.refresh_from_db()
    answers.theme_adopt(user=bewoner, thema=thema, show_name=False)
    item = answers.theme_progress_post(
        user=bewoner, thema=thema, text="Met Riet gebeld op 06-12345678."
    )
    assert _clean(item.text)


# --- Item 2: engine words stay in the team -----------------------------------------------


def test_engine_words_never_leave_the_team(
    client, riet_thema, professional, ambtenaar, wijk, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    outside = []
    mfa_client(client, ambtenaar)
    dashboard = client.get(
        reverse("dashboard:officer_wijk", kwargs={"code": wijk.code})
    )
    assert dashboard.status_code == 200
    assert "Thema zonder naam" in dashboard.content.decode()
    outside.append(dashboard.content.decode())
    csv_export = client.get(
        reverse(
            "dashboard:officer_wijk_export", kwargs={"code": wijk.code, "fmt": "csv"}
        )
    )
    outside.append(csv_export.content.decode("utf-8-sig"))
    xlsx = client.get(
        reverse(
            "dashboard:officer_wijk_export", kwargs={"code": wijk.code, "fmt": "xlsx"}
        )
    )
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as book:
        outside += [
            book.read(name).decode("utf-8", "replace") for name in book.namelist()
        ]

    escalatie = escalations.escalation_send(
        actor=professional,
        thema=riet_thema,
        title="Ouderen zoeken hulp",
        argument="Het team ziet dit vaak.",
    )
    outside.append(json.dumps(escalatie.snapshot, ensure_ascii=False))
    detail = client.get(
        reverse("signalen:escalatie_detail", kwargs={"pk": escalatie.pk})
    )
    assert detail.status_code == 200
    outside.append(detail.content.decode())

    riet_thema.refresh_from_db()
    riet_thema.status = ThemaStatus.ERKEND
    publish_approved(
        actor=professional,
        thema=riet_thema,
        title="Boodschappenhulp",
        text="Ouderen zoeken hulp bij boodschappen.",
        is_call=True,
    )
    client.logout()
    outside.append(
        client.get(
            reverse("themas:detail", kwargs={"pk": riet_thema.pk})
        ).content.decode()
    )
    outside.append(client.get(f"/wijk/{wijk.code}/").content.decode())
    for path in (
        "/api/v1/themas/",
        f"/api/v1/themas/{riet_thema.pk}/",
        f"/api/v1/wijken/{wijk.code}/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        outside.append(response.content.decode())
    call_command("opendata_build", "--no-progress", stdout=io.StringIO())
    from django.core.files.storage import default_storage

    from opendata import builds as opendata

    manifest = opendata.manifest("GM0439")
    for entry in manifest["files"]:
        path = opendata.file_path("GM0439", manifest["date"], entry["filename"])
        with default_storage.open(path, "rb") as handle:
            outside.append(handle.read().decode("utf-8", "replace"))
    for text in outside:
        assert _clean(text)
        assert "boodschappen, riet" not in text.lower()


def test_outside_a_theme_has_only_a_name_a_professional_wrote(riet_thema, professional):
    assert outside_name(riet_thema) == "Thema zonder naam (categorie Eenzaamheid)"
    themes.theme_rename(thema=riet_thema, actor=professional, name="Boodschappenhulp")
    riet_thema.refresh_from_db()
    assert outside_name(riet_thema) == "Boodschappenhulp"


def test_the_team_sees_no_name_like_keyword(client, riet_thema, professional):
    assert riet_thema.team_keywords == ["hulp", "boodschappen"]
    assert "riet" not in riet_thema.display_name.lower()


@pytest.mark.parametrize("word", ["riet", "gz", "jansen", "fatima", "12", "kees"])
def test_names_and_fragments_are_name_like(word):
    assert is_name_like(word)


@pytest.mark.parametrize("word", ["hulp", "boodschappen", "eenzaam", "schimmel"])
def test_ordinary_words_are_not_name_like(word):
    assert not is_name_like(word)


def _signal(i: int, text: str, author: str) -> InputSignal:
    import datetime

    return InputSignal(
        id=i,
        wijk="WK1",
        text=text,
        category="",
        target_groups=(),
        author=author,
        observed_on=datetime.date(2026, 1, 1),
    )


def test_a_keyword_needs_k_signals_from_two_professionals():
    one_author = [_signal(i, "schimmel in de badkamer", "a") for i in range(6)]
    assert shared_keywords(["schimmel"], one_author, k=5) == ()
    two_authors = [_signal(i, "schimmel in de badkamer", "ab"[i % 2]) for i in range(6)]
    assert shared_keywords(["schimmel", "riet"], two_authors, k=5) == ("schimmel",)
    too_few = two_authors[:4]
    assert shared_keywords(["schimmel"], too_few, k=5) == ()

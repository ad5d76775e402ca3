"""The collective loop, part one: themes get linked initiatives and a public text,
residents adopt public themes, post progress and link their initiatives, and
professionals see what became of their own signals (signalen/answers/services.py)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from initiatieven.models import Thema as InitiatiefThema
from signalen.answers import publication
from signalen.answers import queries as answer_queries
from signalen.answers import services as answers
from signalen.answers.queries import public_themes_for_wijk
from signalen.models import (
    Escalatie,
    EscalatieStatus,
    ThemaGebeurtenis,
    ThemaInitiatief,
    ThemaStatus,
    ThemaTrekker,
    ThemaVoortgang,
    ThemaZichtbaarheid,
    WijkThema,
)
from signalen.themes.queries import themes_for_officer
from signalen.themes.services import ThemeError
from tests.conftest import mfa_client
from tests.factories import UserFactory
from tests.initiatieven.factories import InitiatiefFactory
from tests.signalen.helpers import (
    EXAMPLE,
    last_block_day,
    mail_at_once,
    make_signaal,
    make_thema,
    publish_approved,
)

# Dates here are reckoned from today (blocks, weeks, deadlines): pin the clock.
pytestmark = pytest.mark.usefixtures("frozen_now")

PUBLIC_TITLE = "Ouderen zoeken een plek om elkaar te zien"
PUBLIC_TEXT = "Het wijkteam hoort vaak dat er te weinig plekken zijn om elkaar te zien."


def withdraw_members(thema, n):
    """Withdraw n of the theme's signals: its size outside the team shrinks."""
    ids = list(thema.leden.values_list("signaal_id", flat=True)[:n])
    from signalen.models import Signaal

    for signaal in Signaal.objects.filter(pk__in=ids):
        signaal.withdrawn_at = timezone.now()
        signaal.save(update_fields=["withdrawn_at"])


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


@pytest.fixture
def initiatief(bewoner, wijk):
    return InitiatiefFactory(
        title="Koffie-ochtend voor ouderen in het buurthuis",
        summary="Elke week koffie en een praatje.",
        wijk=wijk,
        owner=bewoner,
        status="actief",
    )


@pytest.fixture
def other_initiatief(other_wijk):
    return InitiatiefFactory(
        title="Ouderen wandelen samen",
        summary="Wandelen met ouderen.",
        wijk=other_wijk,
        owner=UserFactory(email="ander@example.nl", wijk=other_wijk),
        status="actief",
    )


@pytest.fixture
def other_bewoner(other_wijk):
    return UserFactory(
        email="buurman@example.nl", display_name="Bram Buurman", wijk=other_wijk
    )


def _client_for(client, user):
    if user is None:
        return client
    if user.role == Role.BEWONER:
        client.force_login(user)
        return client
    return mfa_client(client, user)


# --- "Wat is er al?" suggestions ----------------------------------------------------------


def test_suggestions_match_words_and_the_mapped_theme_in_the_wijk_only(
    thema, initiatief, other_initiatief, bewoner, wijk
):
    by_theme = InitiatiefFactory(
        title="Samen eten op vrijdag",
        summary="Een maaltijd.",
        wijk=wijk,
        owner=bewoner,
        themas=[InitiatiefThema.objects.get(code="ontmoeting")],
    )
    hidden = InitiatiefFactory(
        title="Ouderen in de flat", summary="x", wijk=wijk, owner=bewoner
    )
    hidden.is_hidden = True
    hidden.save()
    InitiatiefFactory(
        title="Buurthuis ouderen klaar",
        summary="x",
        wijk=wijk,
        owner=bewoner,
        status="afgerond",
    )
    InitiatiefFactory(
        title="Fietsenstalling", summary="Fietsen.", wijk=wijk, owner=bewoner
    )

    found = answer_queries.answer_suggestions(thema)

    assert found[0] == initiatief
    assert by_theme in found
    assert {i.title for i in found} == {initiatief.title, by_theme.title}
    assert other_initiatief not in found


def test_a_linked_initiative_is_no_longer_suggested(thema, initiatief, professional):
    answers.answer_link(actor=professional, thema=thema, initiatief=initiatief)
    assert initiatief not in answer_queries.answer_suggestions(thema)


# --- Linking by professionals -------------------------------------------------------------


def test_linking_marks_the_theme_taken_up_with_history(thema, initiatief, professional):
    link = answers.answer_link(
        actor=professional, thema=thema, initiatief=initiatief, note="  Past goed. "
    )

    thema.refresh_from_db()
    assert link.note == "Past goed."
    assert thema.status == ThemaStatus.OPGEPAKT
    soorten = list(thema.gebeurtenissen.values_list("soort", flat=True))
    assert ThemaGebeurtenis.Soort.LINKED in soorten
    status_event = thema.gebeurtenissen.get(soort=ThemaGebeurtenis.Soort.STATUS)
    assert status_event.detail == {
        "from": "erkend",
        "to": "opgepakt",
        "because": "linked",
    }


def test_linking_a_gesignaleerd_theme_takes_it_up_too(thema, initiatief, professional):
    WijkThema.objects.filter(pk=thema.pk).update(status=ThemaStatus.GESIGNALEERD)
    thema.refresh_from_db()
    answers.answer_link(actor=professional, thema=thema, initiatief=initiatief)
    thema.refresh_from_db()
    assert thema.status == ThemaStatus.OPGEPAKT


def test_linking_an_afgerond_theme_keeps_its_status(thema, initiatief, professional):
    WijkThema.objects.filter(pk=thema.pk).update(status=ThemaStatus.AFGEROND)
    thema.refresh_from_db()
    answers.answer_link(actor=professional, thema=thema, initiatief=initiatief)
    thema.refresh_from_db()
    assert thema.status == ThemaStatus.AFGEROND


def test_linking_twice_is_refused_with_a_clear_message(thema, initiatief, professional):
    answers.answer_link(actor=professional, thema=thema, initiatief=initiatief)
    with pytest.raises(ThemeError, match="al gekoppeld") as error:
        answers.answer_link(actor=professional, thema=thema, initiatief=initiatief)
    assert error.value.code == "twice"
    assert ThemaInitiatief.objects.count() == 1


def test_an_initiative_of_another_wijk_is_refused(
    thema, other_initiatief, professional
):
    with pytest.raises(ThemeError, match="andere wijk"):
        answers.answer_link(
            actor=professional, thema=thema, initiatief=other_initiatief
        )
    thema.refresh_from_db()
    assert thema.status == ThemaStatus.ERKEND
    assert not ThemaInitiatief.objects.exists()
    assert not thema.gebeurtenissen.exists()


def test_a_dismissed_theme_and_a_stopped_initiative_are_refused(
    thema, initiatief, professional
):
    WijkThema.objects.filter(pk=thema.pk).update(
        status=ThemaStatus.VERWORPEN, status_reason="Geen thema."
    )
    thema.refresh_from_db()
    with pytest.raises(ThemeError, match="verworpen"):
        answers.answer_link(actor=professional, thema=thema, initiatief=initiatief)
    WijkThema.objects.filter(pk=thema.pk).update(status=ThemaStatus.ERKEND)
    thema.refresh_from_db()
    initiatief.status = "gestopt"
    initiatief.save()
    with pytest.raises(ThemeError, match="afgerond of gestopt"):
        answers.answer_link(actor=professional, thema=thema, initiatief=initiatief)
    assert not ThemaInitiatief.objects.exists()


def test_a_professional_of_another_team_cannot_link(
    thema, initiatief, outsider_professional
):
    with pytest.raises(ThemeError) as error:
        answers.answer_link(
            actor=outsider_professional, thema=thema, initiatief=initiatief
        )
    assert error.value.code == "forbidden"


def test_a_too_long_note_is_refused(thema, initiatief, professional):
    with pytest.raises(ThemeError, match="te lang"):
        answers.answer_link(
            actor=professional, thema=thema, initiatief=initiatief, note="x" * 501
        )
    assert not ThemaInitiatief.objects.exists()


def test_unlinking_removes_the_link_and_keeps_the_status(
    thema, initiatief, professional
):
    answers.answer_link(actor=professional, thema=thema, initiatief=initiatief)
    assert answers.answer_unlink(actor=professional, thema=thema, initiatief=initiatief)
    assert not answers.answer_unlink(
        actor=professional, thema=thema, initiatief=initiatief
    )
    thema.refresh_from_db()
    assert thema.status == ThemaStatus.OPGEPAKT
    assert (
        thema.gebeurtenissen.filter(soort=ThemaGebeurtenis.Soort.UNLINKED).count() == 1
    )


# --- The public text -----------------------------------------------------------------------


def test_publishing_sets_the_public_face_and_history(thema, professional, colleague):
    publish_approved(
        approver=colleague,
        actor=professional,
        thema=thema,
        title="  " + PUBLIC_TITLE + " ",
        text=PUBLIC_TEXT,
        is_call=True,
    )
    thema.refresh_from_db()
    assert thema.public_title == PUBLIC_TITLE
    assert thema.visibility == ThemaZichtbaarheid.PUBLIEK
    assert thema.is_call
    assert thema.public_approved_by == colleague
    assert thema.public_approved_at is not None
    assert thema.gebeurtenissen.filter(soort=ThemaGebeurtenis.Soort.PUBLISHED).exists()
    assert answer_queries.is_public(thema)


@pytest.mark.parametrize("status", [ThemaStatus.GESIGNALEERD, ThemaStatus.VERWORPEN])
def test_publishing_a_theme_not_recognised_is_refused(thema, professional, status):
    WijkThema.objects.filter(pk=thema.pk).update(status=status, status_reason="r")
    thema.refresh_from_db()
    with pytest.raises(ThemeError, match="Erken het thema eerst"):
        publish_approved(
            actor=professional, thema=thema, title="T", text="Tekst", is_call=False
        )
    thema.refresh_from_db()
    assert thema.visibility == ThemaZichtbaarheid.TEAM
    assert thema.public_title == ""


@pytest.mark.parametrize(
    ("title", "text", "code"),
    [
        ("", PUBLIC_TEXT, "title_required"),
        ("   ", PUBLIC_TEXT, "title_required"),
        ("T" * 121, PUBLIC_TEXT, "title_too_long"),
        (PUBLIC_TITLE, "", "text_required"),
        (PUBLIC_TITLE, "x" * 2001, "text_too_long"),
    ],
)
def test_publishing_bad_input_is_refused(thema, professional, title, text, code):
    with pytest.raises(ThemeError) as error:
        publish_approved(
            actor=professional, thema=thema, title=title, text=text, is_call=False
        )
    assert error.value.code == code
    thema.refresh_from_db()
    assert thema.visibility == ThemaZichtbaarheid.TEAM


def test_a_public_text_with_signal_text_is_refused(thema, professional):
    pasted = "Zie: " + EXAMPLE[10:50].upper().replace(" ", "   ") + " en meer."
    with pytest.raises(ThemeError, match="eigen woorden"):
        publish_approved(
            actor=professional,
            thema=thema,
            title=PUBLIC_TITLE,
            text=pasted,
            is_call=False,
        )
    with pytest.raises(ThemeError, match="eigen woorden"):
        publish_approved(
            actor=professional,
            thema=thema,
            title=EXAMPLE[:40],
            text=PUBLIC_TEXT,
            is_call=False,
        )
    thema.refresh_from_db()
    assert thema.visibility == ThemaZichtbaarheid.TEAM
    # A short shared phrase is fine: the check needs 30 characters in a row.
    publish_approved(
        actor=professional,
        thema=thema,
        title=PUBLIC_TITLE,
        text="Ouderen in de flat hebben een plek nodig.",
        is_call=False,
    )


def test_a_professional_of_another_team_cannot_publish(thema, outsider_professional):
    with pytest.raises(ThemeError) as error:
        publish_approved(
            actor=outsider_professional,
            thema=thema,
            title=PUBLIC_TITLE,
            text=PUBLIC_TEXT,
            is_call=False,
        )
    assert error.value.code == "forbidden"


# --- The public page -----------------------------------------------------------------------


def test_the_public_page_is_open_to_everyone_and_never_shows_signal_text(
    client, public_thema
):
    response = client.get(reverse("themas:detail", kwargs={"pk": public_thema.pk}))
    assert response.status_code == 200
    body = response.content.decode()
    assert PUBLIC_TITLE in body
    assert PUBLIC_TEXT in body
    assert "Oproep aan bewoners" in body
    assert "Het wijkteam zag dit 6 keer." in body
    assert EXAMPLE not in body
    assert "buurthuis" not in body  # the engine's keywords stay inside the team
    assert "en wilt u helpen?" in body


def test_the_public_page_never_shows_a_count_below_k(client, public_thema):
    withdraw_members(public_thema, 3)
    body = client.get(
        reverse("themas:detail", kwargs={"pk": public_thema.pk})
    ).content.decode()
    assert "Het precieze aantal tonen we niet" in body
    assert "zag dit 3" not in body


@pytest.mark.parametrize(
    "change",
    [
        {"visibility": ThemaZichtbaarheid.TEAM},
        {"visibility": ThemaZichtbaarheid.GEMEENTE},
        {"status": ThemaStatus.GESIGNALEERD},
        {"is_current": False},
        {"public_title": ""},
        {"public_approved_at": None},
    ],
)
def test_a_theme_that_is_no_longer_public_answers_410(client, public_thema, change):
    WijkThema.objects.filter(pk=public_thema.pk).update(**change)
    response = client.get(reverse("themas:detail", kwargs={"pk": public_thema.pk}))
    # It was published once: its old address says so (410), without its text.
    assert response.status_code == 410
    body = response.content.decode()
    assert "niet meer openbaar" in body
    assert PUBLIC_TITLE not in body
    assert PUBLIC_TEXT not in body
    assert public_thema.wijk.get_absolute_url() in body


@pytest.mark.parametrize(
    "change",
    [
        {"visibility": ThemaZichtbaarheid.PUBLIEK, "public_title": "Klaar"},
        {"visibility": ThemaZichtbaarheid.GEMEENTE},
    ],
)
def test_a_theme_never_published_is_404(client, thema, change):
    WijkThema.objects.filter(pk=thema.pk).update(**change)
    response = client.get(reverse("themas:detail", kwargs={"pk": thema.pk}))
    assert response.status_code == 404
    assert (
        client.get(reverse("themas:detail", kwargs={"pk": 999_999})).status_code == 404
    )


def test_a_finished_theme_stays_public_when_no_longer_current(client, public_thema):
    WijkThema.objects.filter(pk=public_thema.pk).update(
        is_current=False, status=ThemaStatus.AFGEROND
    )
    response = client.get(reverse("themas:detail", kwargs={"pk": public_thema.pk}))
    assert response.status_code == 200
    assert "Hier is een antwoord op gekomen." in response.content.decode()


def test_the_public_page_lists_visible_initiatives_and_shown_names_only(
    client, public_thema, initiatief, professional, bewoner, wijk
):
    answers.answer_link(actor=professional, thema=public_thema, initiatief=initiatief)
    shy = UserFactory(email="stil@example.nl", display_name="Stille Sien", wijk=wijk)
    answers.theme_adopt(user=bewoner, thema=public_thema, show_name=True)
    answers.theme_adopt(user=shy, thema=public_thema, show_name=False)
    hidden = InitiatiefFactory(
        title="Verstopt initiatief", summary="x", wijk=wijk, owner=bewoner
    )
    ThemaInitiatief.objects.create(thema=public_thema, initiatief=hidden)
    hidden.is_hidden = True
    hidden.save()

    body = client.get(
        reverse("themas:detail", kwargs={"pk": public_thema.pk})
    ).content.decode()

    assert initiatief.title in body
    assert "Verstopt initiatief" not in body
    assert "Bea Bewoner" in body
    assert "Stille Sien" not in body
    assert "2 bewoners trekken dit thema." in body


def test_an_unknown_theme_is_404(client, db):
    assert (
        client.get(reverse("themas:detail", kwargs={"pk": 999999})).status_code == 404
    )


# --- Adopting, per role ----------------------------------------------------------------------


def test_anonymous_adopt_goes_to_the_login_page(client, public_thema):
    response = client.post(reverse("themas:adopt", kwargs={"pk": public_thema.pk}))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert not ThemaTrekker.objects.exists()


def test_a_resident_of_the_wijk_adopts_and_the_team_gets_mail(
    client,
    public_thema,
    bewoner,
    professional,
    colleague,
    outsider_professional,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    mail_at_once(professional, colleague)
    client.force_login(bewoner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("themas:adopt", kwargs={"pk": public_thema.pk}),
            {"show_name": "on"},
            follow=True,
        )
    assert response.status_code == 200
    assert "U bent nu trekker van dit thema" in response.content.decode()
    trekker = ThemaTrekker.objects.get()
    assert trekker.user == bewoner
    assert trekker.show_name
    assert public_thema.gebeurtenissen.filter(
        soort=ThemaGebeurtenis.Soort.ADOPTED, actor=bewoner
    ).exists()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [professional.email, colleague.email]
    )
    assert "Bea Bewoner is trekker geworden" in mailoutbox[0].body
    assert EXAMPLE not in mailoutbox[0].body


def test_a_hidden_name_stays_out_of_the_mail_and_history(
    public_thema, bewoner, mailoutbox, django_capture_on_commit_callbacks, professional
):
    mail_at_once(professional)
    with django_capture_on_commit_callbacks(execute=True):
        answers.theme_adopt(user=bewoner, thema=public_thema, show_name=False)
    assert mailoutbox
    assert "Bea Bewoner" not in mailoutbox[0].body
    event = public_thema.gebeurtenissen.get(soort=ThemaGebeurtenis.Soort.ADOPTED)
    assert event.actor is None


def test_adopting_twice_gives_a_clear_message(client, public_thema, bewoner):
    client.force_login(bewoner)
    url = reverse("themas:adopt", kwargs={"pk": public_thema.pk})
    client.post(url)
    response = client.post(url, follow=True)
    assert "U bent al trekker van dit thema." in response.content.decode()
    assert ThemaTrekker.objects.count() == 1


def test_a_resident_of_another_wijk_cannot_adopt(client, public_thema, other_bewoner):
    client.force_login(other_bewoner)
    page = client.get(reverse("themas:detail", kwargs={"pk": public_thema.pk}))
    assert "Ik wil dit trekken" not in page.content.decode()
    assert "Alleen bewoners van die wijk" in page.content.decode()
    response = client.post(
        reverse("themas:adopt", kwargs={"pk": public_thema.pk}), follow=True
    )
    assert (
        "Alleen bewoners van die wijk kunnen het trekken" in response.content.decode()
    )
    assert not ThemaTrekker.objects.exists()


@pytest.mark.parametrize(
    "role_fixture",
    ["professional", "outsider_professional", "ambtenaar", "beheerder"],
)
def test_other_roles_cannot_adopt(client, public_thema, request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    _client_for(client, user)
    page = client.get(reverse("themas:detail", kwargs={"pk": public_thema.pk}))
    assert page.status_code == 200
    assert "Ik wil dit trekken" not in page.content.decode()
    response = client.post(
        reverse("themas:adopt", kwargs={"pk": public_thema.pk}), follow=True
    )
    assert "Alleen bewoners kunnen een thema trekken" in response.content.decode()
    assert not ThemaTrekker.objects.exists()


def test_adopting_a_theme_that_is_not_public_is_404(client, thema, bewoner):
    client.force_login(bewoner)
    response = client.post(reverse("themas:adopt", kwargs={"pk": thema.pk}))
    assert response.status_code == 404
    with pytest.raises(ThemeError, match="niet openbaar"):
        answers.theme_adopt(user=bewoner, thema=thema, show_name=False)


def test_a_trekker_can_stop(client, public_thema, bewoner):
    answers.theme_adopt(user=bewoner, thema=public_thema, show_name=False)
    client.force_login(bewoner)
    response = client.post(
        reverse("themas:leave", kwargs={"pk": public_thema.pk}), follow=True
    )
    assert "U bent geen trekker meer" in response.content.decode()
    assert not ThemaTrekker.objects.exists()
    response = client.post(
        reverse("themas:leave", kwargs={"pk": public_thema.pk}), follow=True
    )
    assert "U was geen trekker" in response.content.decode()


# --- Progress ----------------------------------------------------------------------------------


def test_a_trekker_posts_progress_shown_escaped(client, public_thema, bewoner):
    answers.theme_adopt(user=bewoner, thema=public_thema, show_name=False)
    client.force_login(bewoner)
    response = client.post(
        reverse("themas:progress", kwargs={"pk": public_thema.pk}),
        {"text": "<script>alert(1)</script> Eerste koffie-ochtend was druk."},
        follow=True,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)</script>" not in body
    assert "een trekker" in body  # no name: the trekker chose not to show it
    assert ThemaVoortgang.objects.get().author == bewoner


def test_a_team_professional_posts_progress_as_the_wijkteam(
    client, public_thema, professional
):
    mfa_client(client, professional)
    response = client.post(
        reverse("themas:progress", kwargs={"pk": public_thema.pk}),
        {"text": "Het buurthuis gaat op woensdag open."},
        follow=True,
    )
    assert response.status_code == 200
    assert "het wijkteam" in response.content.decode()
    assert ThemaVoortgang.objects.count() == 1


def test_a_professional_cannot_post_signal_text_as_progress(
    client, public_thema, professional
):
    mfa_client(client, professional)
    response = client.post(
        reverse("themas:progress", kwargs={"pk": public_thema.pk}),
        {"text": EXAMPLE},
    )
    assert response.status_code == 400
    assert "eigen woorden" in response.content.decode()
    assert not ThemaVoortgang.objects.exists()


@pytest.mark.parametrize(
    "role_fixture",
    ["bewoner", "other_bewoner", "outsider_professional", "ambtenaar", "beheerder"],
)
def test_others_cannot_post_progress(client, public_thema, request, role_fixture):
    _client_for(client, request.getfixturevalue(role_fixture))
    response = client.post(
        reverse("themas:progress", kwargs={"pk": public_thema.pk}),
        {"text": "Ik wil ook iets zeggen."},
    )
    assert response.status_code == 400
    assert "Alleen trekkers van dit thema en het wijkteam" in response.content.decode()
    assert not ThemaVoortgang.objects.exists()


def test_anonymous_progress_goes_to_login(client, public_thema):
    response = client.post(
        reverse("themas:progress", kwargs={"pk": public_thema.pk}), {"text": "Hoi"}
    )
    assert response.status_code == 302
    assert not ThemaVoortgang.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Schrijf wat er gebeurd is."),
        ("   ", "Schrijf wat er gebeurd is."),
        ("x" * 2001, "te lang"),
    ],
)
def test_bad_progress_is_refused(client, public_thema, bewoner, text, message):
    answers.theme_adopt(user=bewoner, thema=public_thema, show_name=False)
    client.force_login(bewoner)
    response = client.post(
        reverse("themas:progress", kwargs={"pk": public_thema.pk}), {"text": text}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ThemaVoortgang.objects.exists()


# --- A resident links their own initiative ------------------------------------------------------


def test_a_resident_links_their_own_initiative(
    client,
    public_thema,
    bewoner,
    initiatief,
    professional,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    mail_at_once(*answer_queries.team_professionals(public_thema))
    client.force_login(bewoner)
    page = client.get(reverse("themas:detail", kwargs={"pk": public_thema.pk}))
    assert "Uw eigen initiatief koppelen" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("themas:link", kwargs={"pk": public_thema.pk}),
            {"eigen-initiatief": initiatief.pk},
            follow=True,
        )
    assert response.status_code == 200
    link = ThemaInitiatief.objects.get()
    assert link.initiatief == initiatief
    assert link.linked_by == bewoner
    public_thema.refresh_from_db()
    assert public_thema.status == ThemaStatus.OPGEPAKT
    assert public_thema.gebeurtenissen.filter(
        soort=ThemaGebeurtenis.Soort.LINKED
    ).exists()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [professional.email, "collega@example.nl"]
    )
    assert initiatief.title in mailoutbox[0].body


def test_a_co_organiser_may_link(public_thema, initiatief, wijk):
    co = UserFactory(email="co@example.nl", wijk=wijk)
    initiatief.co_organisers.add(co)
    answers.resident_link_initiative(user=co, thema=public_thema, initiatief=initiatief)
    assert ThemaInitiatief.objects.count() == 1


def test_a_resident_cannot_link_someone_elses_initiative(
    client, public_thema, initiatief, wijk
):
    stranger = UserFactory(email="vreemd@example.nl", wijk=wijk)
    client.force_login(stranger)
    response = client.post(
        reverse("themas:link", kwargs={"pk": public_thema.pk}),
        {"eigen-initiatief": initiatief.pk},
    )
    assert response.status_code == 400
    assert "zelf organiseert" in response.content.decode()
    assert not ThemaInitiatief.objects.exists()


def test_a_resident_cannot_link_an_initiative_of_another_wijk(
    client, public_thema, other_initiatief
):
    owner = other_initiatief.owner
    client.force_login(owner)
    response = client.post(
        reverse("themas:link", kwargs={"pk": public_thema.pk}),
        {"eigen-initiatief": other_initiatief.pk},
    )
    assert response.status_code == 400
    assert "andere wijk" in response.content.decode()
    assert not ThemaInitiatief.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "999999", "-1"])
def test_a_bad_initiative_id_is_refused(client, public_thema, bewoner, value):
    client.force_login(bewoner)
    response = client.post(
        reverse("themas:link", kwargs={"pk": public_thema.pk}),
        {"eigen-initiatief": value},
    )
    assert response.status_code == 400
    assert "Kies een initiatief" in response.content.decode()


def test_a_resident_linking_twice_gets_a_clear_message(
    client, public_thema, bewoner, initiatief
):
    answers.resident_link_initiative(
        user=bewoner, thema=public_thema, initiatief=initiatief
    )
    client.force_login(bewoner)
    response = client.post(
        reverse("themas:link", kwargs={"pk": public_thema.pk}),
        {"eigen-initiatief": initiatief.pk},
    )
    assert response.status_code == 400
    assert "al gekoppeld" in response.content.decode()


def test_professionals_cannot_use_the_resident_link(
    public_thema, initiatief, professional
):
    with pytest.raises(ThemeError) as error:
        answers.resident_link_initiative(
            user=professional, thema=public_thema, initiatief=initiatief
        )
    assert error.value.code == "forbidden"


# --- The team's pages and actions, per role -------------------------------------------------------


TEAM_URLS = ["signalen:thema_publish"]


@pytest.mark.parametrize("role_fixture", [None, "bewoner", "ambtenaar", "beheerder"])
def test_team_actions_need_a_professional(
    client, thema, initiatief, request, role_fixture
):
    user = request.getfixturevalue(role_fixture) if role_fixture else None
    _client_for(client, user)
    expected = 302 if user is None else 403
    for name, data in (
        ("signalen:thema_link", {"initiatief": initiatief.pk}),
        ("signalen:thema_unlink", {"initiatief": initiatief.pk}),
        (
            "signalen:thema_publish",
            {"public_title": PUBLIC_TITLE, "public_text": PUBLIC_TEXT},
        ),
    ):
        response = client.post(reverse(name, kwargs={"pk": thema.pk}), data)
        assert response.status_code == expected, name
    assert client.get(reverse("signalen:feedback")).status_code == expected
    assert not ThemaInitiatief.objects.exists()
    thema.refresh_from_db()
    assert thema.visibility == ThemaZichtbaarheid.TEAM


def test_a_professional_of_another_team_gets_404(
    client, thema, initiatief, outsider_professional
):
    mfa_client(client, outsider_professional)
    for name, data in (
        ("signalen:thema_link", {"initiatief": initiatief.pk}),
        ("signalen:thema_unlink", {"initiatief": initiatief.pk}),
        ("signalen:thema_publish", {"public_title": PUBLIC_TITLE}),
    ):
        response = client.post(reverse(name, kwargs={"pk": thema.pk}), data)
        assert response.status_code == 404, name
    assert (
        client.get(
            reverse("signalen:thema_publish", kwargs={"pk": thema.pk})
        ).status_code
        == 404
    )
    assert not ThemaInitiatief.objects.exists()


def test_the_theme_page_suggests_and_links(client, thema, initiatief, professional):
    mfa_client(client, professional)
    page = client.get(reverse("signalen:thema_detail", kwargs={"pk": thema.pk}))
    body = page.content.decode()
    assert "Wat is er al in de wijk?" in body
    assert initiatief.title in body
    assert "Koppelen aan dit thema" in body

    response = client.post(
        reverse("signalen:thema_link", kwargs={"pk": thema.pk}),
        {"initiatief": initiatief.pk},
        follow=True,
    )
    body = response.content.decode()
    assert "is gekoppeld aan dit thema" in body
    assert "Ontkoppelen" in body
    assert ThemaInitiatief.objects.filter(thema=thema, initiatief=initiatief).exists()

    response = client.post(
        reverse("signalen:thema_link", kwargs={"pk": thema.pk}),
        {"initiatief": initiatief.pk},
        follow=True,
    )
    assert "al gekoppeld" in response.content.decode()

    response = client.post(
        reverse("signalen:thema_unlink", kwargs={"pk": thema.pk}),
        {"initiatief": initiatief.pk},
        follow=True,
    )
    assert "niet meer gekoppeld" in response.content.decode()
    assert not ThemaInitiatief.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_linking_a_bad_initiative_id_gives_a_message(
    client, thema, professional, value
):
    mfa_client(client, professional)
    response = client.post(
        reverse("signalen:thema_link", kwargs={"pk": thema.pk}),
        {"initiatief": value},
        follow=True,
    )
    assert "Dat initiatief bestaat niet" in response.content.decode()


def test_linking_another_wijks_initiative_through_the_page_is_refused(
    client, thema, other_initiatief, professional
):
    mfa_client(client, professional)
    response = client.post(
        reverse("signalen:thema_link", kwargs={"pk": thema.pk}),
        {"initiatief": other_initiatief.pk},
        follow=True,
    )
    assert "andere wijk" in response.content.decode()
    assert not ThemaInitiatief.objects.exists()


def test_publishing_through_the_page(client, thema, professional, colleague):
    mfa_client(client, professional)
    url = reverse("signalen:thema_publish", kwargs={"pk": thema.pk})
    assert client.get(url).status_code == 200
    data = {
        "public_title": "<b>Ouderen</b> zoeken elkaar",
        "public_text": PUBLIC_TEXT,
        "is_call": "on",
    }
    preview = client.post(url, data)
    assert "Zo wordt het verstuurd" in preview.content.decode()
    response = client.post(url, {**data, "confirm": "1"}, follow=True)
    assert "een collega van het wijkteam" in response.content.decode().lower()
    thema.refresh_from_db()
    assert thema.public_title == ""
    pending = publication.publication_pending(thema)
    mfa_client(client, colleague)
    client.post(
        reverse(
            "signalen:thema_publication_approve",
            kwargs={"pk": thema.pk, "publicatie_pk": pending.pk},
        )
    )
    thema.refresh_from_db()
    assert thema.public_title == "<b>Ouderen</b> zoeken elkaar"
    public = client.get(reverse("themas:detail", kwargs={"pk": thema.pk}))
    assert "&lt;b&gt;Ouderen&lt;/b&gt;" in public.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"public_title": "", "public_text": PUBLIC_TEXT}, "openbare titel"),
        ({"public_title": "T" * 121, "public_text": PUBLIC_TEXT}, "te lang"),
        ({"public_title": PUBLIC_TITLE, "public_text": ""}, "wat er speelt"),
        ({"public_title": PUBLIC_TITLE, "public_text": EXAMPLE}, "eigen woorden"),
    ],
)
def test_publishing_bad_input_shows_the_form_again(
    client, thema, professional, data, message
):
    mfa_client(client, professional)
    response = client.post(
        reverse("signalen:thema_publish", kwargs={"pk": thema.pk}), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    thema.refresh_from_db()
    assert thema.visibility == ThemaZichtbaarheid.TEAM


def test_publishing_a_gesignaleerd_theme_through_the_page_is_refused(
    client, thema, professional
):
    WijkThema.objects.filter(pk=thema.pk).update(status=ThemaStatus.GESIGNALEERD)
    mfa_client(client, professional)
    response = client.post(
        reverse("signalen:thema_publish", kwargs={"pk": thema.pk}),
        {"public_title": PUBLIC_TITLE, "public_text": PUBLIC_TEXT},
    )
    assert response.status_code == 400
    assert "Erken het thema eerst" in response.content.decode()
    thema.refresh_from_db()
    assert thema.visibility == ThemaZichtbaarheid.TEAM


# --- Feedback to professionals ---------------------------------------------------------------------


def test_feedback_shows_only_themes_of_the_users_own_signals(
    client, professional, colleague, team, wijk, initiatief
):
    mine = make_thema(
        wijk,
        signalen=[make_signaal(author=professional, team=team, text=EXAMPLE)],
        name="Mijn thema",
    )
    theirs = make_thema(
        wijk,
        signalen=[make_signaal(author=colleague, team=team, text=EXAMPLE)],
        name="Thema van een collega",
    )
    answers.answer_link(actor=professional, thema=mine, initiatief=initiatief)
    Escalatie.objects.create(
        thema=mine,
        team=team,
        wijk=wijk,
        title="Te weinig plekken",
        argument="Onderbouwing.",
        sent_by=professional,
        sent_at=timezone.now(),
        status=EscalatieStatus.BEANTWOORD,
        answer="Ja.",
    )

    rows = answer_queries.feedback_for_professional(professional)
    assert [row.thema for row in rows] == [mine]
    assert rows[0].own_signals == 1
    assert rows[0].escalations_answered == 1

    mfa_client(client, professional)
    body = client.get(reverse("signalen:feedback")).content.decode()
    assert "Mijn thema" in body
    assert initiatief.title in body
    assert "antwoord ontvangen" in body
    assert "Thema van een collega" not in body
    assert theirs.display_name not in body
    assert EXAMPLE not in body


def test_feedback_of_another_team_professional_is_empty(
    client, thema, outsider_professional
):
    mfa_client(client, outsider_professional)
    response = client.get(reverse("signalen:feedback"))
    assert response.status_code == 200
    assert thema.display_name not in response.content.decode()
    assert "nog niet in een thema" in response.content.decode()


# --- The read for the wijk page ---------------------------------------------------------------


def test_public_themes_for_wijk_is_plain_k_anonymous_data(
    public_thema, wijk, other_wijk, thema
):
    rows = public_themes_for_wijk(wijk)
    assert [row.pk for row in rows] == [public_thema.pk]
    row = rows[0]
    assert row.title == PUBLIC_TITLE
    assert row.is_call
    assert row.size.value == 6
    assert row.url == reverse("themas:detail", kwargs={"pk": public_thema.pk})
    # Withdrawn later: the blocks already shown keep their figure
    # (signalen.themes.published, #15 item 4).
    withdraw_members(public_thema, 4)
    assert public_themes_for_wijk(wijk)[0].size.value == 6
    assert public_themes_for_wijk(other_wijk) == []
    WijkThema.objects.filter(pk=public_thema.pk).update(
        visibility=ThemaZichtbaarheid.GEMEENTE
    )
    assert public_themes_for_wijk(wijk) == []


def test_a_size_the_sparkline_hides_is_hidden_on_every_public_view(
    client, professional, team, wijk
):
    """10 signals in the last block and 2 in the one before: the officer's sparkline
    hides the 2 and so the total; the public page and the wijk's list hide it too
    (no "12" from the engine's own figure)."""
    last = last_block_day()
    signalen = [
        make_signaal(author=professional, team=team, text=EXAMPLE, observed_on=day)
        for day in [last] * 10 + [last - datetime.timedelta(weeks=4)] * 2
    ]
    thema = make_thema(wijk, signalen=signalen, size=12, recent_count=10)
    publish_approved(
        actor=professional,
        thema=thema,
        title=PUBLIC_TITLE,
        text=PUBLIC_TEXT,
        is_call=False,
    )
    [officer_row] = themes_for_officer(wijk=wijk, as_of=timezone.localdate())
    assert officer_row.size.is_hidden

    [row] = public_themes_for_wijk(wijk)
    assert row.size.is_hidden
    assert row.size.suppressed
    assert str(row.size) == "verborgen"
    body = client.get(reverse("themas:detail", kwargs={"pk": thema.pk})).content
    page = body.decode()
    assert "Het precieze aantal tonen we niet" in page
    assert "zag dit 12" not in page
    assert "zag dit 10" not in page
    # The same words as for a theme below K: the page does not say which it is.


def test_a_trekker_who_shows_their_name_is_named_on_progress(
    client, public_thema, bewoner
):
    answers.theme_adopt(user=bewoner, thema=public_thema, show_name=True)
    answers.theme_progress_post(user=bewoner, thema=public_thema, text="Gestart.")
    body = client.get(
        reverse("themas:detail", kwargs={"pk": public_thema.pk})
    ).content.decode()
    assert "Bea Bewoner" in body
    assert "Gestart." in body
    # Anonymous visitors get no forms to act with.
    assert "Ik wil dit trekken" not in body
    assert "Voortgang plaatsen" not in body

"""Starting, taking part, needs and offers, Mijn Buurtwijs."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse

from initiatieven.models import Aanbod, Deelname, Initiatief, Thema, Volger
from initiatieven.text import markdown_to_safe_html
from tests.factories import UserFactory
from tests.initiatieven.factories import (
    BehoefteFactory,
    DeelnameFactory,
    InitiatiefFactory,
)

pytestmark = pytest.mark.django_db


def test_the_themes_are_seeded_by_a_migration():
    codes = set(Thema.objects.values_list("code", flat=True))
    assert {
        "ontmoeting",
        "eenzaamheid",
        "klussen-repair",
        "groen-buitenruimte",
    } <= codes
    assert Thema.objects.count() == 14


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("[klik](javascript:alert(1))", "javascript:"),
        ("<script>alert(1)</script>", "<script"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<a href="https://x.nl" onclick="alert(1)">x</a>', "onclick"),
        ("<iframe src='https://evil.example'></iframe>", "<iframe"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
    ],
)
def test_markdown_xss_is_neutralised(markdown, forbidden):
    assert forbidden not in markdown_to_safe_html(markdown).lower()


def test_markdown_keeps_simple_formatting_and_safe_links():
    html = markdown_to_safe_html(
        "**vet** en *schuin*\n\n- een\n- twee\n\n[site](https://buurtwijs.nl)"
    )
    assert "<strong>vet</strong>" in html
    assert "<em>schuin</em>" in html
    assert "<li>een</li>" in html
    assert 'href="https://buurtwijs.nl"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_the_detail_page_renders_description_safely(client, bewoner, wijk):
    initiatief = InitiatiefFactory(
        owner=bewoner,
        wijk=wijk,
        description="Kom **langs**!\n\n<script>alert('x')</script>\n\n[x](javascript:alert(1))",
    )
    body = client.get(initiatief.get_absolute_url()).content.decode()
    assert "<strong>langs</strong>" in body
    assert "alert('x')" not in body
    assert "javascript:alert" not in body


def test_joining_and_supporting_toggle_and_show_counts(client, initiatief, buurman):
    client.force_login(buurman)
    url = reverse("initiatieven:deelname", args=[initiatief.pk])
    response = client.post(url, {"kind": "doe_mee"})
    assert response.status_code == 302
    assert response["Location"].endswith("#meedoen")
    client.post(url, {"kind": "steun"})
    body = client.get(initiatief.get_absolute_url()).content.decode()
    assert "1 persoon doet mee" in body
    assert "1 persoon steunt dit" in body
    client.post(url, {"kind": "doe_mee"})  # second click: no longer taking part
    assert not Deelname.objects.filter(user=buurman, kind="doe_mee").exists()
    assert Deelname.objects.filter(user=buurman, kind="steun").exists()


def test_names_are_public_only_when_the_resident_chooses_so(
    client, initiatief, buurman
):
    shy = UserFactory(display_name="Stille Sien", wijk=initiatief.wijk)
    DeelnameFactory(initiatief=initiatief, user=buurman, show_name=True)
    DeelnameFactory(initiatief=initiatief, user=shy, show_name=False)
    public = client.get(initiatief.get_absolute_url()).content.decode()
    assert "Bob Buurman" in public
    assert "Stille Sien" not in public
    assert "Alle deelnemers" not in public
    client.force_login(initiatief.owner)
    organiser_view = client.get(initiatief.get_absolute_url()).content.decode()
    assert "Alle deelnemers" in organiser_view
    assert "Stille Sien" in organiser_view


def test_a_participant_changes_whether_their_name_is_shown(client, initiatief, buurman):
    DeelnameFactory(initiatief=initiatief, user=buurman, show_name=False)
    client.force_login(buurman)
    client.post(
        reverse("initiatieven:deelname-name", args=[initiatief.pk]), {"show_name": "on"}
    )
    assert Deelname.objects.get(user=buurman).show_name
    client.post(reverse("initiatieven:deelname-name", args=[initiatief.pk]), {})
    assert not Deelname.objects.get(user=buurman).show_name


def test_follow_and_unfollow(client, initiatief, buurman):
    client.force_login(buurman)
    url = reverse("initiatieven:follow", args=[initiatief.pk])
    client.post(url)
    assert Volger.objects.filter(user=buurman, initiatief=initiatief).exists()
    client.post(url)
    assert not Volger.objects.filter(user=buurman, initiatief=initiatief).exists()


def test_toggles_answer_only_post(client, initiatief, buurman):
    client.force_login(buurman)
    assert (
        client.get(reverse("initiatieven:follow", args=[initiatief.pk])).status_code
        == 405
    )


def test_organisers_list_needs_and_mark_them_met(client, initiatief, bewoner):
    client.force_login(bewoner)
    client.post(
        reverse("initiatieven:behoefte-add", args=[initiatief.pk]),
        {"behoefte-kind": "ruimte", "behoefte-description": "Een zaaltje op dinsdag"},
    )
    need = initiatief.behoeften.get()
    assert need.kind == "ruimte"
    client.post(reverse("initiatieven:behoefte-met", args=[initiatief.pk, need.pk]))
    need.refresh_from_db()
    assert need.is_met
    body = client.get(initiatief.get_absolute_url()).content.decode()
    assert "Een zaaltje op dinsdag" in body
    assert "Geregeld" in body


def test_organisers_add_and_remove_partners(client, initiatief, bewoner):
    client.force_login(bewoner)
    client.post(
        reverse("initiatieven:partner-add", args=[initiatief.pk]),
        {"partner-kind": "onderwijs", "partner-name": "Basisschool De Regenboog"},
    )
    partner = initiatief.partners.get()
    assert (
        "Basisschool De Regenboog"
        in client.get(initiatief.get_absolute_url()).content.decode()
    )
    client.post(
        reverse("initiatieven:partner-delete", args=[initiatief.pk, partner.pk])
    )
    assert initiatief.partners.count() == 0


def test_aanbod_is_saved_and_matching_needs_show_in_mijn(
    client, bewoner, wijk, other_wijk
):
    match = BehoefteFactory(
        initiatief=InitiatiefFactory(wijk=wijk, title="Huiswerkklas"),
        kind="kennis",
        description="Iemand die goed is in rekenen",
    )
    BehoefteFactory(
        initiatief=InitiatiefFactory(wijk=wijk, title="Geldpot"),
        kind="geld",
        description="Geld voor verf",
    )
    BehoefteFactory(
        initiatief=InitiatiefFactory(wijk=other_wijk, title="Elders"),
        kind="kennis",
        description="Ver weg",
    )
    BehoefteFactory(
        initiatief=InitiatiefFactory(wijk=wijk, title="Geheim", is_hidden=True),
        kind="kennis",
        description="Verborgen behoefte",
    )
    BehoefteFactory(
        initiatief=match.initiatief,
        kind="kennis",
        description="Al geregeld",
        is_met=True,
    )
    client.force_login(bewoner)
    response = client.post(
        reverse("initiatieven:aanbod"),
        {
            "talents": "Ik geef bijles",
            "kinds": ["kennis", "materiaal"],
            "hours_per_month": "4",
        },
    )
    assert response.status_code == 302
    aanbod = Aanbod.objects.get(user=bewoner)
    assert aanbod.kinds == ["materiaal", "kennis"]
    assert aanbod.hours_per_month == 4
    body = client.get(reverse("initiatieven:mijn")).content.decode()
    assert "Iemand die goed is in rekenen" in body
    for absent in ("Geld voor verf", "Ver weg", "Verborgen behoefte", "Al geregeld"):
        assert absent not in body


def test_mijn_shows_own_initiatives_participations_and_follows(client, bewoner, wijk):
    own = InitiatiefFactory(owner=bewoner, wijk=wijk, title="Mijn eigen plan")
    co = InitiatiefFactory(wijk=wijk, title="Samen met de buren")
    co.co_organisers.add(bewoner)
    joined = InitiatiefFactory(wijk=wijk, title="Buurtmaaltijd")
    DeelnameFactory(initiatief=joined, user=bewoner)
    followed = InitiatiefFactory(wijk=wijk, title="Zwerfvuil prikken")
    Volger.objects.create(user=bewoner, initiatief=followed)
    client.force_login(bewoner)
    body = client.get(reverse("initiatieven:mijn")).content.decode()
    for title in (own.title, co.title, joined.title, followed.title):
        assert title in body


def test_no_js_start_first_shows_similar_initiatives_then_starts_on_confirm(
    client, bewoner, initiatief
):
    client.force_login(bewoner)
    data = {
        "title": "Wandelclub voor ouderen",
        "summary": "Samen wandelen op dinsdag.",
        "wijk": initiatief.wijk_id,
        "status": "idee",
    }
    response = client.post(reverse("initiatieven:create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bestaat dit al?" in body
    assert "Wandelclub De Wagenweg" in body
    assert "Toch starten" in body
    assert 'value="Wandelclub voor ouderen"' in body
    assert Initiatief.objects.count() == 1
    response = client.post(reverse("initiatieven:create"), {**data, "confirm_new": "1"})
    assert response.status_code == 302
    assert Initiatief.objects.count() == 2


def test_the_htmx_endpoint_suggests_similar_initiatives_in_the_same_wijk(
    client, bewoner, initiatief, other_wijk
):
    InitiatiefFactory(wijk=other_wijk, title="Wandelclub Overwhere")
    InitiatiefFactory(wijk=initiatief.wijk, title="Wandelclub geheim", is_hidden=True)
    client.force_login(bewoner)
    response = client.get(
        reverse("initiatieven:suggestions"),
        {"title": "wandelclub", "wijk": initiatief.wijk_id},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "Wandelclub De Wagenweg" in body
    assert "Overwhere" not in body
    assert "geheim" not in body
    assert "<html" not in body
    assert 'name="confirm_new"' in body


def test_the_htmx_endpoint_is_quiet_for_nonsense(client, bewoner, initiatief):
    client.force_login(bewoner)
    for params in (
        {"title": "wandelclub", "wijk": "abc"},
        {"title": "", "wijk": initiatief.wijk_id},
    ):
        response = client.get(reverse("initiatieven:suggestions"), params)
        assert response.status_code == 200
        assert "Bestaat dit al?" not in response.content.decode()


def test_similar_matches_on_theme(bewoner, wijk):
    from initiatieven.queries import initiatieven_similar

    groen = Thema.objects.get(code="groen-buitenruimte")
    tuin = InitiatiefFactory(wijk=wijk, title="Moestuin", themas=[groen])
    found = initiatieven_similar(
        wijk=wijk, title="Bloemen planten", thema_ids=[groen.pk]
    )
    assert found == [tuin]


def test_starting_is_rate_limited_per_day(client, bewoner, wijk, settings):
    settings.INITIATIEVEN_CREATE_LIMIT_PER_DAY = 2
    client.force_login(bewoner)
    for n in range(2):
        response = client.post(
            reverse("initiatieven:create"),
            {
                "title": f"Plan {n}",
                "summary": "x",
                "wijk": wijk.pk,
                "status": "idee",
                "confirm_new": "1",
            },
        )
        assert response.status_code == 302
    response = client.post(
        reverse("initiatieven:create"),
        {
            "title": "Plan drie",
            "summary": "x",
            "wijk": wijk.pk,
            "status": "idee",
            "confirm_new": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400  # a form error, like the other forms
    assert "U heeft vandaag al 2 initiatieven gestart." in body
    assert 'value="Plan drie"' in body
    assert Initiatief.objects.count() == 2


def test_editing_keeps_the_photo_unless_a_new_one_is_chosen(client, bewoner, wijk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.initiatieven.factories import jpeg_bytes

    client.force_login(bewoner)
    client.post(
        reverse("initiatieven:create"),
        {
            "title": "Fotoclub",
            "summary": "x",
            "wijk": wijk.pk,
            "status": "idee",
            "confirm_new": "1",
            "photo": SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg"),
        },
    )
    initiatief = Initiatief.objects.get()
    first = initiatief.photo.name
    assert first
    client.post(
        reverse("initiatieven:update", args=[initiatief.pk]),
        {"title": "Fotoclub 2", "summary": "x", "wijk": wijk.pk, "status": "actief"},
    )
    initiatief.refresh_from_db()
    assert initiatief.photo.name == first
    assert initiatief.title == "Fotoclub 2"


def test_the_wijk_inclusion_tag_lists_public_initiatives(
    wijk, initiatief, hidden_initiatief
):
    html = Template("{% load initiatieven_tags %}{% wijk_initiatieven wijk %}").render(
        Context({"wijk": wijk})
    )
    assert "Wandelclub De Wagenweg" in html
    assert "Verborgen plan" not in html

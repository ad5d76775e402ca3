"""Bidirectional control characters (a right-to-left override and its kin) never stay
in a title or a name: invisible, they reverse or hide what follows."""

from __future__ import annotations

import pytest
from django import forms

from accounts.forms import ProfileForm
from initiatieven.forms import BerichtForm, PartnerForm
from wijken.text import without_bidi_controls

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_every_bidi_control_is_removed_and_nothing_else():
    assert without_bidi_controls(f"Repair{CONTROLS}café ٱلعربية") == (
        "Repaircafé ٱلعربية"
    )
    assert without_bidi_controls("") == ""


def test_a_single_line_field_of_any_form_drops_them():
    class AnyForm(forms.Form):
        title = forms.CharField()
        story = forms.CharField(widget=forms.Textarea)
        secret = forms.CharField(widget=forms.PasswordInput)

    form = AnyForm(
        {"title": "Moes\u202etuin", "story": "مرحبا\u200f ok", "secret": "a\u200fb"}
    )
    assert form.is_valid()
    assert form.cleaned_data["title"] == "Moestuin"
    assert form.cleaned_data["secret"] == "a\u200fb"  # a password is kept as typed
    # Multi-line free text may need a right-to-left mark for Arabic or Hebrew.
    assert form.cleaned_data["story"] == "مرحبا\u200f ok"


def test_an_update_title_loses_them():
    form = BerichtForm({"title": "Nieuws\u202e\u2066 van de tuin", "text": "Hallo"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "Nieuws van de tuin"


def test_a_partner_name_loses_them():
    form = PartnerForm({"name": "\u202eBakkerij Jansen", "kind": "ondernemers"})
    form.is_valid()
    assert form.cleaned_data.get("name") == "Bakkerij Jansen"


@pytest.mark.django_db
def test_an_initiative_title_typed_with_an_override_is_stored_without_it(
    client, bewoner, wijk
):
    from initiatieven.models import Initiatief

    client.force_login(bewoner)
    response = client.post(
        "/initiatieven/nieuw/",
        {
            "title": "Repair\u202ecafé",
            "summary": "Samen repareren.",
            "wijk": wijk.pk,
            "status": "idee",
            "confirm_new": "1",
        },
    )
    assert response.status_code == 302
    initiatief = Initiatief.objects.get()
    assert initiatief.title == "Repaircafé"


@pytest.mark.django_db
def test_a_shown_name_changed_on_the_profile_page_loses_them(client, bewoner):
    form = ProfileForm(
        {"display_name": "Bea\u202e Bewoner", "wijk": ""}, instance=bewoner
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["display_name"] == "Bea Bewoner"


@pytest.mark.django_db
def test_a_theme_renamed_by_the_team_loses_them(professional, wijk):
    from signalen.models import WijkThema
    from signalen.themes.services import theme_rename

    thema = WijkThema.objects.create(
        wijk=wijk, label="eenzaam flat", keywords=["eenzaam"], size=6
    )
    theme_rename(thema=thema, actor=professional, name="Eenzaam\u202e in de flat")
    thema.refresh_from_db()
    assert thema.name == "Eenzaam in de flat"

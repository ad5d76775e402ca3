"""Who may keep up the wijkteam's contact and places (signalen/places/views.py): every
route per role, a professional outside the team, and places of another wijk."""

from __future__ import annotations

import pytest

from tests.conftest import mfa_client
from tests.wijken.test_plekken_models import contact_data, plek_data
from wijken import services
from wijken.models import Plek, WijkteamContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def plek(wijk):
    return services.plek_create(wijk=wijk, data=plek_data())


@pytest.fixture
def contact(wijk):
    return services.contact_save(wijk=wijk, data=contact_data())


def post_data(**overrides):
    data = {k: v for k, v in plek_data(name="Nieuwe plek").items() if v is not None}
    data.update(overrides)
    return data


def routes(wijk, plek):
    base = f"/signalen/plekken/{wijk.code}/"
    return [
        ("get", "/signalen/plekken/", None),
        ("get", base, None),
        ("get", base + "contact/", None),
        ("post", base + "contact/", contact_data(name="Overgenomen")),
        ("get", base + "contact/verwijderen/", None),
        ("post", base + "contact/verwijderen/", {}),
        ("get", base + "nieuw/", None),
        ("post", base + "nieuw/", post_data()),
        ("get", base + f"{plek.pk}/wijzigen/", None),
        ("post", base + f"{plek.pk}/wijzigen/", post_data(name="Overgenomen")),
        ("get", base + f"{plek.pk}/verwijderen/", None),
        ("post", base + f"{plek.pk}/verwijderen/", {}),
    ]


def assert_nothing_changed(plek):
    assert Plek.objects.count() == 1
    plek.refresh_from_db()
    assert plek.name == "Buurthuis De Kerkuil"
    assert WijkteamContact.objects.get().name == "Sociaal wijkteam Centrum"


def test_anonymous_visitors_are_sent_to_login(client, wijk, plek, contact):
    for method, url, data in routes(wijk, plek):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/login/"), url
    assert_nothing_changed(plek)


@pytest.mark.parametrize("role", ["bewoner", "ambtenaar"])
def test_residents_and_officers_get_403(client, request, role, wijk, plek, contact):
    mfa_client(client, request.getfixturevalue(role))
    for method, url, data in routes(wijk, plek):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (role, url)
    assert_nothing_changed(plek)


def test_a_professional_of_another_wijk_gets_404_and_does_not_see_it_listed(
    client, outsider_professional, wijk, plek, contact
):
    mfa_client(client, outsider_professional)
    for method, url, data in routes(wijk, plek)[1:]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, url
    index = client.get("/signalen/plekken/").content.decode()
    assert "Hoorn Binnenstad" in index
    assert wijk.name not in index
    assert_nothing_changed(plek)


def test_a_professional_without_2fa_is_sent_to_set_it_up(
    client, professional_without_mfa, wijk
):
    client.force_login(professional_without_mfa)
    response = client.get(f"/signalen/plekken/{wijk.code}/")
    assert response.status_code == 302
    assert "/account/2fa/" in response["Location"]


def test_a_place_of_another_wijk_is_404_through_the_own_wijk(
    client, professional, wijk, other_wijk, team
):
    elders = services.plek_create(wijk=other_wijk, data=plek_data(name="Elders"))
    mfa_client(client, professional)
    for url in (
        f"/signalen/plekken/{wijk.code}/{elders.pk}/wijzigen/",
        f"/signalen/plekken/{wijk.code}/{elders.pk}/verwijderen/",
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, post_data(name="Gekaapt")).status_code == 404
    elders.refresh_from_db()
    assert elders.name == "Elders"


@pytest.mark.parametrize("code", ["WK999999", "onzin", "WK043901' OR 1=1", "x" * 500])
def test_unknown_wijk_codes_are_404(client, professional, code):
    mfa_client(client, professional)
    assert client.get(f"/signalen/plekken/{code}/").status_code == 404


def test_an_inactive_wijk_is_404(client, professional, wijk):
    wijk.is_active = False
    wijk.save()
    mfa_client(client, professional)
    assert client.get(f"/signalen/plekken/{wijk.code}/").status_code == 404


@pytest.mark.parametrize("role", ["professional", "beheerder"])
def test_team_professionals_and_beheerders_keep_up_contact_and_places(
    client, request, role, wijk, plek
):
    mfa_client(client, request.getfixturevalue(role))
    base = f"/signalen/plekken/{wijk.code}/"
    assert client.get(base).status_code == 200

    response = client.post(base + "contact/", contact_data(name="Team Centrum"))
    assert response.status_code == 302
    assert response["Location"] == base
    assert WijkteamContact.objects.get(wijk=wijk).name == "Team Centrum"

    response = client.post(base + "nieuw/", post_data(name="Bibliotheek"))
    assert response.status_code == 302
    added = Plek.objects.get(name="Bibliotheek")

    response = client.post(
        base + f"{added.pk}/wijzigen/", post_data(name="Bibliotheek Centrum")
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.name == "Bibliotheek Centrum"

    assert client.post(base + f"{plek.pk}/verwijderen/").status_code == 302
    assert not Plek.objects.filter(pk=plek.pk).exists()
    assert client.post(base + "contact/verwijderen/").status_code == 302
    assert not WijkteamContact.objects.filter(wijk=wijk).exists()
    # Deleting again: nothing left to delete.
    assert client.post(base + "contact/verwijderen/").status_code == 404
    assert client.post(base + f"{plek.pk}/verwijderen/").status_code == 404

    page = client.get(base).content.decode()
    assert "Bibliotheek Centrum" in page


def test_the_beheerder_finds_any_wijk_by_search(client, beheerder, wijk, outsider_wijk):
    mfa_client(client, beheerder)
    page = client.get("/signalen/plekken/").content.decode()
    assert wijk.name not in page
    page = client.get("/signalen/plekken/", {"q": "Hoorn"}).content.decode()
    assert f"/signalen/plekken/{outsider_wijk.code}/" in page
    assert f"/signalen/plekken/{wijk.code}/" not in page
    response = client.get("/signalen/plekken/", {"q": "x" * 500})
    assert response.status_code == 200
    assert "kortere zoekterm" in response.content.decode()


def test_the_professional_sees_the_own_wijken_listed(client, professional, wijk):
    mfa_client(client, professional)
    page = client.get("/signalen/plekken/").content.decode()
    assert f"/signalen/plekken/{wijk.code}/" in page


def test_management_pages_are_not_cached(client, professional, wijk):
    mfa_client(client, professional)
    response = client.get(f"/signalen/plekken/{wijk.code}/")
    assert "no-store" in response["Cache-Control"]


def test_the_theme_list_links_to_the_places(client, professional):
    mfa_client(client, professional)
    assert "/signalen/plekken/" in client.get("/signalen/themas/").content.decode()

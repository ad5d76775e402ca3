"""Who may open the officers' dashboard: every URL, every role."""

from __future__ import annotations

import pytest

from tests.conftest import mfa_client

pytestmark = pytest.mark.django_db

URLS = [
    "/dashboard/{gemeente}/",
    "/dashboard/{gemeente}/export.csv",
    "/dashboard/{gemeente}/export.xlsx",
    "/dashboard/wijk/{wijk}/",
    "/dashboard/wijk/{wijk}/export.csv",
    "/dashboard/wijk/{wijk}/export.xlsx",
]


@pytest.fixture
def urls(gemeente, wijk, dash_data):
    return [u.format(gemeente=gemeente.code, wijk=wijk.code) for u in URLS]


def test_anonymous_goes_to_login(client, urls):
    for url in [*urls, "/dashboard/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/account/login/" in response["Location"]


@pytest.mark.parametrize("role", ["bewoner", "professional"])
def test_residents_and_professionals_are_refused(client, urls, role, request):
    user = request.getfixturevalue(role)
    client = mfa_client(client, user)
    for url in [*urls, "/dashboard/"]:
        assert client.get(url).status_code == 403, url


def test_officer_reads_own_gemeente(client, urls, ambtenaar):
    client = mfa_client(client, ambtenaar)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_officer_index_goes_to_own_gemeente(client, ambtenaar, gemeente):
    response = mfa_client(client, ambtenaar).get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/{gemeente.code}/"


def test_officer_without_gemeente_is_told(client, ambtenaar):
    ambtenaar.gemeente = None
    ambtenaar.save()
    response = mfa_client(client, ambtenaar).get("/dashboard/")
    assert response.status_code == 200
    assert "hoort nog niet bij een gemeente" in response.content.decode()


def test_officer_of_another_gemeente_gets_404(client, urls, outsider_ambtenaar):
    client = mfa_client(client, outsider_ambtenaar)
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_officer_cannot_reach_other_gemeente_wijk(client, ambtenaar, outsider_wijk):
    client = mfa_client(client, ambtenaar)
    assert client.get(f"/dashboard/wijk/{outsider_wijk.code}/").status_code == 404
    assert client.get(f"/dashboard/{outsider_wijk.gemeente.code}/").status_code == 404


def test_beheerder_reads_every_gemeente(client, urls, beheerder, outsider_wijk):
    client = mfa_client(client, beheerder)
    for url in [
        *urls,
        f"/dashboard/wijk/{outsider_wijk.code}/",
        f"/dashboard/{outsider_wijk.gemeente.code}/",
    ]:
        assert client.get(url).status_code == 200, url
    index = client.get("/dashboard/")
    assert index.status_code == 200
    assert "Purmerend" in index.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/GM9999/",
        "/dashboard/wijk/WK999999/",
        "/dashboard/<script>/",
        "/dashboard/wijk/" + "X" * 300 + "/",
        "/dashboard/GM0439/export.pdf",
        "/dashboard/wijk/WK043901/export.exe",
    ],
)
def test_unknown_things_are_404(client, beheerder, dash_data, url):
    assert mfa_client(client, beheerder).get(url).status_code == 404


def test_inactive_wijk_is_404(client, ambtenaar, wijk, dash_data):
    wijk.is_active = False
    wijk.save()
    response = mfa_client(client, ambtenaar).get(f"/dashboard/wijk/{wijk.code}/")
    assert response.status_code == 404


def test_nav_shows_dashboard_to_officers_only(client, ambtenaar, bewoner, dash_data):
    assert "/dashboard/" in mfa_client(client, ambtenaar).get("/").content.decode()
    client.logout()
    assert "/dashboard/" not in mfa_client(client, bewoner).get("/").content.decode()

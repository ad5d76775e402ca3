"""Who reaches which signal page: every route per role, and the attacker's view."""

from __future__ import annotations

import pytest
from django.utils import timezone

from signalen.models import AuditEntry, Bron, Categorie, Signaal
from tests.signalen.helpers import make_signaal

SECRET = "Geheim signaal van het eigen team."


@pytest.fixture
def own_signaal(professional, team):
    return make_signaal(author=professional, team=team, text=SECRET)


def routes(signaal):
    return [
        ("get", "/signalen/"),
        ("get", "/signalen/nieuw/"),
        ("post", "/signalen/nieuw/"),
        ("get", "/signalen/buurten/?wijk=1"),
        ("get", "/signalen/export.csv"),
        ("get", f"/signalen/{signaal.pk}/"),
        ("get", f"/signalen/{signaal.pk}/wijzigen/"),
        ("post", f"/signalen/{signaal.pk}/wijzigen/"),
        ("get", f"/signalen/{signaal.pk}/intrekken/"),
        ("post", f"/signalen/{signaal.pk}/intrekken/"),
    ]


def test_anonymous_users_are_sent_to_login_on_every_route(client, own_signaal):
    for method, url in routes(own_signaal):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/login/"), url


@pytest.mark.parametrize("role", ["bewoner", "ambtenaar", "beheerder"])
def test_other_roles_get_403_on_every_route_and_never_see_text(
    client, request, role, own_signaal
):
    client.force_login(request.getfixturevalue(role))
    for method, url in routes(own_signaal):
        response = getattr(client, method)(
            url, {"reason": "dubbel"} if method == "post" else None
        )
        assert response.status_code == 403, (role, url)
        assert SECRET not in response.content.decode()
    own_signaal.refresh_from_db()
    assert own_signaal.withdrawn_at is None
    assert own_signaal.text == SECRET


def test_an_officer_with_filter_parameters_still_gets_403(
    client, ambtenaar, own_signaal
):
    client.force_login(ambtenaar)
    for url in (
        f"/signalen/?wijk={own_signaal.wijk_id}&auteur=alle",
        f"/signalen/export.csv?wijk={own_signaal.wijk_id}",
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert SECRET not in response.content.decode()


def test_a_professional_without_2fa_is_sent_to_set_it_up(
    client, professional_without_mfa, own_signaal
):
    client.force_login(professional_without_mfa)
    for method, url in routes(own_signaal):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/account/2fa/" in response["Location"]


def test_a_professional_of_another_team_gets_404_for_our_signal(
    client, outsider_professional, own_signaal
):
    client.force_login(outsider_professional)
    for method, url in routes(own_signaal)[5:]:
        response = getattr(client, method)(
            url, {"reason": "dubbel"} if method == "post" else None
        )
        assert response.status_code == 404, url
        assert SECRET not in response.content.decode()
    own_signaal.refresh_from_db()
    assert own_signaal.withdrawn_at is None


def test_another_team_does_not_see_our_signals_in_list_or_export(
    client, outsider_professional, own_signaal
):
    client.force_login(outsider_professional)
    for url in (
        "/signalen/",
        f"/signalen/?wijk={own_signaal.wijk_id}",
        f"/signalen/?buurt=1&categorie={own_signaal.categorie_id}&auteur=alle",
        "/signalen/export.csv",
        f"/signalen/export.csv?wijk={own_signaal.wijk_id}",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert SECRET not in response.content.decode(), url


def test_a_foreign_wijk_in_the_filter_is_logged_as_refused(
    client, outsider_professional, own_signaal
):
    client.force_login(outsider_professional)
    client.get(f"/signalen/?wijk={own_signaal.wijk_id}")
    entry = AuditEntry.objects.get(action="list")
    assert entry.detail["filters"]["wijk"] == "ongeldig"


def test_a_professional_in_the_same_gemeente_but_another_wijk_sees_nothing(
    client, gemeente, other_wijk, own_signaal
):
    from accounts.mfa import totp_activate
    from accounts.models import Role
    from tests.conftest import TOTP_SECRET
    from tests.factories import TeamFactory, UserFactory

    neighbour = UserFactory(role=Role.PROFESSIONAL)
    TeamFactory(name="Buren", gemeente=gemeente, wijken=[other_wijk]).members.add(
        neighbour
    )
    totp_activate(user=neighbour, secret=TOTP_SECRET)
    client.force_login(neighbour)
    assert client.get(f"/signalen/{own_signaal.pk}/").status_code == 404
    assert SECRET not in client.get("/signalen/").content.decode()


def test_a_colleague_in_the_team_may_read_but_not_change(
    client, colleague, own_signaal
):
    client.force_login(colleague)
    response = client.get(f"/signalen/{own_signaal.pk}/")
    assert response.status_code == 200
    assert SECRET in response.content.decode()
    for url in (
        f"/signalen/{own_signaal.pk}/wijzigen/",
        f"/signalen/{own_signaal.pk}/intrekken/",
    ):
        response = client.post(url, {"reason": "dubbel", "text": "Overschreven"})
        assert response.status_code == 302
        assert response["Location"] == f"/signalen/{own_signaal.pk}/"
    own_signaal.refresh_from_db()
    assert own_signaal.text == SECRET
    assert own_signaal.withdrawn_at is None


def test_a_professional_cannot_log_a_signal_for_another_teams_wijk(
    client, outsider_professional, wijk
):
    client.force_login(outsider_professional)
    response = client.post(
        "/signalen/nieuw/",
        {
            "wijk": str(wijk.pk),
            "categorie": str(Categorie.objects.get(code="gezondheid").pk),
            "bron": str(Bron.objects.get(code="huisbezoek").pk),
            "text": "Poging",
            "observed_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    assert not Signaal.objects.exists()


def test_a_withdrawn_signal_is_gone_for_everyone(client, professional, own_signaal):
    own_signaal.withdrawn_at = timezone.now()
    own_signaal.save()
    client.force_login(professional)
    assert client.get(f"/signalen/{own_signaal.pk}/").status_code == 404


def test_unknown_ids_give_404(client, professional):
    client.force_login(professional)
    assert client.get("/signalen/999999/").status_code == 404
    assert client.get("/signalen/abc/").status_code == 404

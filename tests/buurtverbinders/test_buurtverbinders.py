"""Buurtverbinders: the role, consent, the two-sided match, the log, the report, and
that a connector never reaches signals."""

from __future__ import annotations

import datetime

import pytest
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from buurtverbinders import queries, services
from buurtverbinders.models import (
    ContactSoort,
    Koppeling,
    KoppelingStatus,
    Logregel,
    Toestemming,
    Verbinder,
)
from buurtverbinders.services import VerbinderError
from initiatieven.models import Notificatie
from privacy import services as privacy_services
from tests.conftest import mfa_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def workspace(wijk):
    return reverse("buurtverbinders:workspace", kwargs={"code": wijk.code})


def team_page(wijk):
    return reverse("buurtverbinders:team", kwargs={"code": wijk.code})


# --- Permissions per role ---------------------------------------------------------


def test_the_connector_sees_the_workspace(client, connector, wijk, behoefte, helper):
    client.force_login(connector)
    response = client.get(workspace(wijk))
    assert response.status_code == 200
    assert "Iemand op dinsdag" in response.content.decode()
    assert "Henk Helper" in response.content.decode()  # consented offer


def test_a_plain_resident_gets_404(client, bewoner, wijk):
    client.force_login(bewoner)
    assert client.get(workspace(wijk)).status_code == 404


def test_a_connector_of_another_wijk_gets_404(client, other_connector, wijk):
    client.force_login(other_connector)
    assert client.get(workspace(wijk)).status_code == 404
    assert client.get(team_page(wijk)).status_code == 403


def test_a_revoked_connector_gets_404(client, connector, wijk, professional):
    services.role_revoke(actor=professional, verbinder=connector.verbinder_rollen.get())
    client.force_login(connector)
    assert client.get(workspace(wijk)).status_code == 404


def test_staff_get_403_on_the_workspace(client, professional, ambtenaar, wijk):
    for user in (professional, ambtenaar):
        assert mfa_client(client, user).get(workspace(wijk)).status_code == 403


def test_anonymous_goes_to_login(client, wijk):
    for url in (workspace(wijk), team_page(wijk), reverse("buurtverbinders:index")):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_the_team_page_per_role(
    client, professional, outsider_professional, ambtenaar, bewoner, wijk
):
    assert mfa_client(client, professional).get(team_page(wijk)).status_code == 200
    assert (
        mfa_client(client, outsider_professional).get(team_page(wijk)).status_code
        == 404
    )
    assert mfa_client(client, ambtenaar).get(team_page(wijk)).status_code == 403
    client.force_login(bewoner)
    assert client.get(team_page(wijk)).status_code == 403


def test_an_officer_gets_403_on_the_index(client, ambtenaar):
    assert (
        mfa_client(client, ambtenaar).get(reverse("buurtverbinders:index")).status_code
        == 403
    )


# --- The role: grant and revoke ---------------------------------------------------


def test_the_team_grants_and_revokes(
    client, professional, bewoner, wijk, django_capture_on_commit_callbacks
):
    c = mfa_client(client, professional)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(team_page(wijk), {"email": bewoner.email})
    assert response.status_code == 302
    verbinder = Verbinder.objects.get(user=bewoner, wijk=wijk)
    assert verbinder.granted_by == professional
    assert Notificatie.objects.filter(
        user=bewoner, key=f"verbinders:granted:{verbinder.pk}"
    ).exists()
    c.post(
        reverse(
            "buurtverbinders:revoke", kwargs={"code": wijk.code, "pk": verbinder.pk}
        )
    )
    verbinder.refresh_from_db()
    assert verbinder.revoked_at is not None
    assert verbinder.revoked_by == professional


@pytest.mark.parametrize(
    "email",
    [
        "",
        "geen-adres",
        "x" * 300 + "@example.nl",
        "<script>@example.nl",
        "professional@example.nl",
        "elders@example.nl",
    ],
)
def test_grant_refuses_bad_input(client, professional, other_wijk, wijk, email):
    UserFactory(email="elders@example.nl", wijk=other_wijk)
    response = mfa_client(client, professional).post(team_page(wijk), {"email": email})
    assert response.status_code == 400
    assert not Verbinder.objects.exists()


def test_a_team_of_another_wijk_cannot_revoke(
    client, outsider_professional, connector, wijk
):
    verbinder = connector.verbinder_rollen.get()
    url = reverse(
        "buurtverbinders:revoke", kwargs={"code": wijk.code, "pk": verbinder.pk}
    )
    assert mfa_client(client, outsider_professional).post(url).status_code == 404
    verbinder.refresh_from_db()
    assert verbinder.revoked_at is None


# --- Consent ----------------------------------------------------------------------


def test_without_consent_an_offer_and_a_newcomer_are_not_shown(wijk, connector):
    quiet = UserFactory(email="stil@example.nl", display_name="Stille Buur", wijk=wijk)
    from initiatieven.models import Aanbod

    Aanbod.objects.create(user=quiet, talents="Ik kan koken")
    assert queries.consented_offers(wijk) == []
    assert not queries.welcome_requests(wijk).exists()


def test_a_resident_asks_to_be_welcomed_and_withdraws(
    client, wijk, connector, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(
        email="nieuw@example.nl", display_name="Nora Nieuw", wijk=wijk
    )
    client.force_login(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("buurtverbinders:consent"), {"welcome": "on"})
    consent = Toestemming.objects.get(user=newcomer)
    assert consent.welcome
    assert "buurtverbinder" in consent.consent_text
    assert Notificatie.objects.filter(user=connector).exists()
    client.force_login(connector)
    assert "Nora Nieuw" in client.get(workspace(wijk)).content.decode()
    client.force_login(newcomer)
    client.post(reverse("buurtverbinders:consent"), {})
    assert not Toestemming.objects.filter(user=newcomer).exists()
    client.force_login(connector)
    assert "Nora Nieuw" not in client.get(workspace(wijk)).content.decode()


def test_withdrawing_offer_consent_withdraws_an_unconfirmed_match(
    connector, wijk, behoefte, helper
):
    koppeling = services.koppeling_propose(
        actor=connector, wijk=wijk, behoefte=behoefte, helper=helper
    )
    services.consent_set(user=helper, welcome=False, share_offer=False)
    koppeling.refresh_from_db()
    assert koppeling.status == KoppelingStatus.INGETROKKEN
    assert queries.consented_offers(wijk) == []
    # The need is open again for another match.
    assert behoefte in queries.unmatched_needs(wijk)


def test_staff_cannot_give_consent(client, professional):
    with pytest.raises(VerbinderError):
        services.consent_set(user=professional, welcome=True, share_offer=False)


# --- The two-sided match -----------------------------------------------------------


def test_names_are_exchanged_only_after_both_confirm(
    client, connector, wijk, behoefte, helper, organiser
):
    client.force_login(connector)
    response = client.post(
        reverse("buurtverbinders:propose", kwargs={"code": wijk.code}),
        {"behoefte": behoefte.pk, "helper": helper.pk},
    )
    assert response.status_code == 302
    koppeling = Koppeling.objects.get()
    assert behoefte not in queries.unmatched_needs(wijk)
    index = reverse("buurtverbinders:index")
    answer = reverse("buurtverbinders:koppeling_answer", kwargs={"pk": koppeling.pk})

    client.force_login(organiser)
    page = client.get(index).content.decode()
    assert "Henk Helper" not in page
    assert helper.email not in page
    client.post(answer, {"actie": "ja"})
    page = client.get(index).content.decode()
    assert "Henk Helper" not in page  # the helper has not said yes yet

    client.force_login(helper)
    page = client.get(index).content.decode()
    assert "Olga Organisator" not in page
    assert organiser.email not in page
    client.post(answer, {"actie": "ja"})
    koppeling.refresh_from_db()
    assert koppeling.status == KoppelingStatus.GEKOPPELD
    assert koppeling.matched_at
    assert organiser.email in client.get(index).content.decode()
    client.force_login(organiser)
    assert helper.email in client.get(index).content.decode()
    # The connector's page never shows the organiser's name.
    client.force_login(connector)
    assert "Olga Organisator" not in client.get(workspace(wijk)).content.decode()


def test_a_decline_ends_the_match_without_names(
    client, connector, wijk, behoefte, helper, organiser
):
    koppeling = services.koppeling_propose(
        actor=connector, wijk=wijk, behoefte=behoefte, helper=helper
    )
    services.koppeling_answer(user=helper, koppeling=koppeling, accept=True)
    services.koppeling_answer(user=organiser, koppeling=koppeling, accept=False)
    koppeling.refresh_from_db()
    assert koppeling.status == KoppelingStatus.AFGEWEZEN
    client.force_login(organiser)
    assert (
        "Henk Helper"
        not in client.get(reverse("buurtverbinders:index")).content.decode()
    )
    with pytest.raises(VerbinderError):
        services.koppeling_answer(user=helper, koppeling=koppeling, accept=True)


def test_someone_else_cannot_answer_a_match(
    client, connector, wijk, behoefte, helper, bewoner
):
    koppeling = services.koppeling_propose(
        actor=connector, wijk=wijk, behoefte=behoefte, helper=helper
    )
    client.force_login(bewoner)
    url = reverse("buurtverbinders:koppeling_answer", kwargs={"pk": koppeling.pk})
    assert client.post(url, {"actie": "ja"}).status_code == 404
    client.force_login(connector)  # the connector is not a side either
    assert client.post(url, {"actie": "ja"}).status_code == 404


def test_propose_refuses_bad_input(
    client, connector, other_connector, wijk, other_wijk, behoefte, helper, bewoner
):
    url = reverse("buurtverbinders:propose", kwargs={"code": wijk.code})
    client.force_login(connector)
    for data in (
        {},
        {"behoefte": behoefte.pk},
        {"behoefte": "<script>", "helper": helper.pk},
        {"behoefte": behoefte.pk, "helper": bewoner.pk},  # no consent
        {"behoefte": 999999, "helper": helper.pk},
    ):
        assert client.post(url, data).status_code == 400
    client.force_login(other_connector)  # another wijk's connector
    assert (
        client.post(url, {"behoefte": behoefte.pk, "helper": helper.pk}).status_code
        == 404
    )
    assert not Koppeling.objects.exists()


# --- The log ------------------------------------------------------------------------


def test_the_log_is_scrubbed_and_marks_a_welcome(client, connector, wijk):
    newcomer = UserFactory(email="nieuw@example.nl", wijk=wijk)
    services.consent_set(user=newcomer, welcome=True, share_offer=False)
    client.force_login(connector)
    response = client.post(
        reverse("buurtverbinders:log_add", kwargs={"code": wijk.code}),
        {
            "kind": ContactSoort.WELKOM,
            "date": timezone.localdate().isoformat(),
            "note": "Gebeld op 06-12345678",
            "welkom": newcomer.pk,
        },
    )
    assert response.status_code == 302
    regel = Logregel.objects.get()
    assert regel.note == "Gebeld op [TELEFOON]"
    assert Toestemming.objects.get(user=newcomer).welcomed_at is not None


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "onzin", "date": "2026-01-01"},
        {"kind": "gesprek", "date": "morgen"},
        {
            "kind": "gesprek",
            "date": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
        },
        {"kind": "gesprek", "date": "2000-01-01"},
        {
            "kind": "gesprek",
            "date": timezone.localdate().isoformat(),
            "note": "x" * 301,
        },
        {
            "kind": "gesprek",
            "date": timezone.localdate().isoformat(),
            "note": "<script>alert(1)</script>",
        },
    ],
)
def test_the_log_refuses_bad_input(client, connector, wijk, data):
    client.force_login(connector)
    response = client.post(
        reverse("buurtverbinders:log_add", kwargs={"code": wijk.code}), data
    )
    assert response.status_code == 400
    assert not Logregel.objects.exists()


# --- The team report ------------------------------------------------------------------


def test_the_report_counts_without_names(
    connector, wijk, behoefte, helper, organiser, settings
):
    settings.K_ANONYMITY = 5
    koppeling = services.koppeling_propose(
        actor=connector, wijk=wijk, behoefte=behoefte, helper=helper
    )
    services.koppeling_answer(user=helper, koppeling=koppeling, accept=True)
    services.koppeling_answer(user=organiser, koppeling=koppeling, accept=True)
    today = timezone.localdate()
    for _n in range(6):
        services.log_add(
            actor=connector, wijk=wijk, kind="gesprek", date=today, note=""
        )
    args = {
        "wijk": wijk,
        "date_from": today - datetime.timedelta(days=30),
        "date_to": today,
    }
    inside = queries.report_section(**args, outside=False, k=5)
    assert [line.count for line in inside.lines] == [1, 1, 1, 0, 6]
    outside = queries.report_section(**args, outside=True, k=5)
    # Outside the team only whole blocks of 4 weeks that are over: today's block is
    # still running (tests/buurtverbinders/test_fix_leaks.py has the blocks).
    shown = [str(line.count) for line in outside.lines]
    assert set(shown) == {"verborgen"}
    text = repr(inside) + repr(outside)
    for name in ("Vera", "Henk", "Olga"):
        assert name not in text


def test_the_team_report_page_shows_the_section(client, professional, connector, wijk):
    services.log_add(
        actor=connector, wijk=wijk, kind="gesprek", date=timezone.localdate(), note=""
    )
    response = mfa_client(client, professional).get(
        reverse("signalen:teamrapport", kwargs={"wijk_code": wijk.code})
    )
    assert response.status_code == 200
    assert "Contacten in het logboek" in response.content.decode()


# --- Connectors never see signals -------------------------------------------------------


def _signalen_paths():
    from signalen import urls

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    for route in walk(urls.urlpatterns):
        path = route
        for token in (
            "<int:pk>",
            "<int:signaal_pk>",
            "<int:publicatie_pk>",
            "<int:voortgang_pk>",
        ):
            path = path.replace(token, "1")
        path = path.replace("<str:wijk_code>", "WK043901").replace(
            "<str:code>", "WK043901"
        )
        path = path.replace("<slug:code>", "WK043901")
        if "<" not in path:
            yield "/signalen/" + path.lstrip("^").rstrip("$")


def test_a_connector_gets_403_or_404_on_every_signalen_page(
    client, connector, professional, team, wijk
):
    from tests.signalen.helpers import make_signaal

    make_signaal(author=professional, team=team, wijk=wijk)
    client.force_login(connector)
    paths = list(_signalen_paths())
    assert len(paths) > 20
    refused = {path: client.get(path).status_code for path in paths}
    assert set(refused.values()) <= {403, 404, 405}, {
        p: s for p, s in refused.items() if s not in (403, 404, 405)
    }


# --- AVG: download and deletion -------------------------------------------------------


def test_the_download_holds_and_the_deletion_removes_the_data(
    connector, wijk, behoefte, helper
):
    services.koppeling_propose(
        actor=connector, wijk=wijk, behoefte=behoefte, helper=helper
    )
    services.log_add(
        actor=connector,
        wijk=wijk,
        kind="gesprek",
        date=timezone.localdate(),
        note="Koffie",
    )
    data = privacy_services.personal_data_export(helper)["buurtverbinders"]
    assert data["toestemming"]["aanbod_zichtbaar"] is True
    assert data["koppelingen_als_helper"][0]["vraag"] == "Iemand op dinsdag"
    assert (
        privacy_services.personal_data_export(connector)["buurtverbinders"]["logboek"][
            0
        ]["notitie"]
        == "Koffie"
    )
    helper_id, connector_id = helper.pk, connector.pk
    privacy_services.account_forget(user=helper, open_data=False)
    assert not Koppeling.objects.filter(helper_id=helper_id).exists()
    assert not Toestemming.objects.filter(user_id=helper_id).exists()
    privacy_services.account_forget(user=connector, open_data=False)
    assert not Verbinder.objects.filter(user_id=connector_id).exists()
    regel = Logregel.objects.get()  # the team keeps the line, without the name
    assert regel.verbinder_id is None
    assert (
        privacy_services.remaining_traces(
            user_id=connector_id,
            display_name="Vera Verbinder",
            email="verbinder@example.nl",
        )
        == []
    )


def test_the_team_report_csv_has_the_counts(client, professional, connector, wijk):
    services.log_add(
        actor=connector, wijk=wijk, kind="welkom", date=timezone.localdate(), note=""
    )
    response = mfa_client(client, professional).get(
        reverse("signalen:teamrapport_csv", kwargs={"wijk_code": wijk.code})
    )
    assert response.status_code == 200
    text = b"".join(response).decode("utf-8-sig")
    assert "Nieuwe bewoners welkom geheten;1" in text
    assert "Vera" not in text


def test_turning_welcome_on_later_tells_the_connectors(
    helper, connector, django_capture_on_commit_callbacks
):
    assert not Notificatie.objects.filter(user=connector).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_set(user=helper, welcome=True, share_offer=True)
    assert Notificatie.objects.filter(user=connector).count() == 1

"""The quick-log form: log a signal in seconds; bad input saves nothing.

The POST saves the text sealed and answers with a redirect to the confirm page; the
scrub runs after the commit (eagerly here, on the worker in production)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from signalen.intake import services
from signalen.models import AuditEntry, Bron, Categorie, Doelgroep, Signaal
from tests.factories import BuurtFactory, TeamFactory, WijkFactory

# Dates here are reckoned from today (blocks, weeks, deadlines): pin the clock.
pytestmark = pytest.mark.usefixtures("frozen_now")

URL = "/signalen/nieuw/"


@pytest.fixture
def pro_client(client, professional):
    client.force_login(professional)
    return client


@pytest.fixture
def log(pro_client, django_capture_on_commit_callbacks):
    """Post the form and let the after-commit scrub run, as the worker would; the
    POST's answer and the confirm page it leads to."""

    def post(data):
        with django_capture_on_commit_callbacks(execute=True):
            response = pro_client.post(URL, data)
        assert response.status_code == 302
        return response, pro_client.get(response["Location"])

    return post


def valid_data(wijk, **overrides):
    data = {
        "wijk": str(wijk.pk),
        "buurt": "",
        "categorie": str(Categorie.objects.get(code="eenzaamheid").pk),
        "doelgroepen": [str(Doelgroep.objects.get(code="ouderen").pk)],
        "bron": str(Bron.objects.get(code="huisbezoek").pk),
        "text": "Drie oudere bewoners in de flat vertellen dat ze niemand meer zien.",
        "households_estimate": "3",
        "observed_on": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


def test_the_form_says_acute_cases_belong_elsewhere_and_no_names(pro_client, wijk):
    response = pro_client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "112" in content
    assert "Veilig Thuis" in content
    assert "geen namen, adressen of telefoonnummers" in content


def test_observed_on_defaults_to_today(pro_client, wijk):
    response = pro_client.get(URL)
    assert response.context["form"].initial["observed_on"] == timezone.localdate()


def test_a_professional_with_one_wijk_does_not_have_to_choose(pro_client, wijk):
    response = pro_client.get(URL)
    content = response.content.decode()
    assert f'type="hidden" name="wijk" value="{wijk.pk}"' in content
    assert wijk.name in content


def test_a_professional_logs_a_signal_and_sees_the_stored_text(
    log, professional, team, wijk
):
    response, confirm = log(valid_data(wijk))
    signaal = Signaal.objects.get()
    assert response["Location"] == f"/signalen/{signaal.pk}/opgeslagen/"
    assert signaal.author == professional
    assert signaal.team == team
    assert signaal.wijk == wijk
    assert signaal.households_estimate == 3
    assert list(signaal.doelgroepen.values_list("code", flat=True)) == ["ouderen"]
    assert "niemand meer zien" in signaal.text
    content = confirm.content.decode()
    assert "Het signaal is opgeslagen" in content
    assert "niemand meer zien" in content
    assert "Nog een signaal" in content
    assert f"/signalen/nieuw/?wijk={wijk.pk}" in content
    for page in (response, confirm):
        assert {"no-store", "private"} <= {
            part.strip() for part in page["Cache-Control"].split(",")
        }
    assert AuditEntry.objects.filter(action="create", signaal=signaal).count() == 1


def test_personal_data_is_scrubbed_and_shown_to_the_author_only(
    log, client, wijk, team, django_user_model
):
    text = "Mevrouw Jansen belde met 06-12345678 over haar schulden."
    _response, confirm = log(valid_data(wijk, text=text))
    signaal = Signaal.objects.get()
    assert "06-12345678" not in signaal.text
    assert "Jansen" not in signaal.text
    assert "[TELEFOON]" in signaal.text
    assert signaal.scrub_summary.get("telefoon") == 1
    assert "06-12345678" not in str(signaal.scrub_summary)
    content = confirm.content.decode()
    assert "06-12345678" in content  # the author sees what was removed
    assert "telefoonnummer" in content.lower()
    # The detail page afterwards shows only the stored text.
    detail = client.get(f"/signalen/{signaal.pk}/").content.decode()
    assert "06-12345678" not in detail


def test_the_originals_never_reach_the_session(log, wijk):
    log(valid_data(wijk, text="Bel Piet op 06-12345678."))
    from django.contrib.sessions.models import Session

    for session in Session.objects.all():
        assert "12345678" not in str(session.get_decoded())


def test_the_place_names_of_the_wijk_are_kept(log, wijk):
    log(valid_data(wijk, text=f"In {wijk.name} is veel leegstand."))
    assert wijk.name in Signaal.objects.get().text


def test_the_last_wijk_is_remembered(client, professional, team, wijk, gemeente):
    second = WijkFactory(code="WK043909", name="Aaa-wijk", gemeente=gemeente)
    team.wijken.add(second)
    client.force_login(professional)
    response = client.get(URL)
    assert response.context["form"].initial["wijk"] == second  # first by name
    client.post(URL, valid_data(wijk))
    response = client.get(URL)
    assert response.context["form"].initial["wijk"] == wijk
    response = client.get(URL + f"?wijk={second.pk}")
    assert response.context["form"].initial["wijk"] == second


def test_a_wijk_of_another_team_in_the_query_string_is_ignored(
    pro_client, wijk, outsider_wijk
):
    response = pro_client.get(URL + f"?wijk={outsider_wijk.pk}")
    assert response.context["form"].initial["wijk"] == wijk


def test_a_buurt_of_the_wijk_is_stored(pro_client, wijk):
    buurt = BuurtFactory(code="BU04390101", name="Binnenstad", wijk=wijk)
    pro_client.post(URL, valid_data(wijk, buurt=str(buurt.pk)))
    assert Signaal.objects.get().buurt == buurt


def test_buurt_options_follow_the_wijk_and_stay_within_the_team(
    pro_client, wijk, outsider_wijk
):
    BuurtFactory(code="BU04390101", name="Binnenstad", wijk=wijk)
    BuurtFactory(code="BU04050101", name="Geheime buurt", wijk=outsider_wijk)
    content = pro_client.get(f"/signalen/buurten/?wijk={wijk.pk}").content.decode()
    assert "Binnenstad" in content
    content = pro_client.get(
        f"/signalen/buurten/?wijk={outsider_wijk.pk}"
    ).content.decode()
    assert "Geheime buurt" not in content
    assert pro_client.get("/signalen/buurten/?wijk=abc").status_code == 200


def post_bad(client, data):
    response = client.post(URL, data)
    assert response.status_code == 400
    assert not Signaal.objects.exists()
    assert not AuditEntry.objects.filter(action="create").exists()
    return response


def test_a_future_date_is_refused(pro_client, wijk):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post_bad(pro_client, valid_data(wijk, observed_on=tomorrow.isoformat()))
    assert "toekomst" in response.content.decode()
    # Input is kept.
    assert "niemand meer zien" in response.content.decode()


def test_a_date_more_than_a_year_back_is_refused(pro_client, wijk):
    old = timezone.localdate() - datetime.timedelta(days=400)
    response = post_bad(pro_client, valid_data(wijk, observed_on=old.isoformat()))
    assert "jaar" in response.content.decode()


@pytest.mark.parametrize("value", ["", "gisteren", "2025-13-45"])
def test_a_missing_or_malformed_date_is_refused(pro_client, wijk, value):
    post_bad(pro_client, valid_data(wijk, observed_on=value))


def test_a_wijk_outside_the_team_is_refused(
    pro_client, wijk, outsider_wijk, other_wijk
):
    for target in (outsider_wijk, other_wijk):
        response = post_bad(pro_client, valid_data(target))
        assert "Kies een wijk van uw wijkteam" in response.content.decode()


def test_a_buurt_of_another_wijk_is_refused(pro_client, wijk, other_wijk):
    elsewhere = BuurtFactory(code="BU04390201", name="Elders", wijk=other_wijk)
    response = post_bad(pro_client, valid_data(wijk, buurt=str(elsewhere.pk)))
    assert "Kies een buurt van deze wijk" in response.content.decode()


def test_an_unknown_or_retired_category_is_refused(pro_client, wijk):
    post_bad(pro_client, valid_data(wijk, categorie="999999"))
    post_bad(pro_client, valid_data(wijk, categorie="eenzaamheid"))
    retired = Categorie.objects.get(code="overig")
    retired.is_active = False
    retired.save()
    response = post_bad(pro_client, valid_data(wijk, categorie=str(retired.pk)))
    assert "Kies een categorie uit de lijst" in response.content.decode()


def test_a_retired_category_is_not_offered(pro_client, wijk):
    Categorie.objects.filter(code="overig").update(is_active=False)
    content = pro_client.get(URL).content.decode()
    assert "Overig" not in content


def test_missing_required_fields_are_refused(pro_client, wijk):
    response = post_bad(pro_client, {"wijk": str(wijk.pk)})
    content = response.content.decode()
    assert "Kies waar het signaal over gaat" in content
    assert "Beschrijf kort wat u ziet of hoort" in content


def test_text_over_1000_characters_is_refused(pro_client, wijk):
    response = post_bad(pro_client, valid_data(wijk, text="a" * 1001))
    assert "te lang" in response.content.decode()


def test_exactly_1000_characters_is_fine(pro_client, wijk):
    response = pro_client.post(URL, valid_data(wijk, text="woord " * 166 + "abcd"))
    assert response.status_code == 302
    assert Signaal.objects.count() == 1


@pytest.mark.parametrize("value", ["0", "-3", "501", "99999", "drie", "2.5"])
def test_a_wrong_household_estimate_is_refused(pro_client, wijk, value):
    post_bad(pro_client, valid_data(wijk, households_estimate=value))


def test_households_may_stay_empty(pro_client, wijk):
    pro_client.post(URL, valid_data(wijk, households_estimate=""))
    assert Signaal.objects.get().households_estimate is None


def test_html_is_stored_as_plain_text_and_escaped_on_output(log, pro_client, wijk):
    text = '<script>alert("x")</script><b>vet</b> overlast'
    _response, confirm = log(valid_data(wijk, text=text))
    signaal = Signaal.objects.get()
    assert "<script>" in signaal.text  # stored as typed (plain text) ...
    for page in (
        confirm,
        pro_client.get(f"/signalen/{signaal.pk}/"),
        pro_client.get("/signalen/"),
    ):
        content = page.content.decode()
        assert "<script>alert" not in content  # ... and always escaped
        assert "&lt;script&gt;" in content


def test_the_post_saves_the_text_sealed_and_does_not_wait_for_the_scrubber(
    pro_client, wijk, monkeypatch
):
    sent = []
    monkeypatch.setattr(services, "pending_scrub_send", sent.append)
    response = pro_client.post(URL, valid_data(wijk))
    assert response.status_code == 302
    signaal = Signaal.objects.get()
    assert signaal.scrub_pending
    assert signaal.text == ""
    assert b"niemand" not in bytes(signaal.text_sealed)
    content = pro_client.get(response["Location"]).content.decode()
    assert "wordt nog geanonimiseerd" in content
    assert "niemand meer zien" not in content


def test_the_service_checks_the_wijk_again(professional, outsider_wijk):
    with pytest.raises(services.SignaalError):
        services.signaal_create(
            author=professional,
            wijk=outsider_wijk,
            categorie=Categorie.objects.get(code="eenzaamheid"),
            bron=Bron.objects.get(code="huisbezoek"),
            text="Test",
            observed_on=timezone.localdate(),
        )
    assert not Signaal.objects.exists()


def test_the_service_stores_the_team_that_works_in_the_wijk(
    professional, gemeente, wijk
):
    second_wijk = WijkFactory(code="WK043908", name="Tweede", gemeente=gemeente)
    second_team = TeamFactory(name="Team twee", gemeente=gemeente, wijken=[second_wijk])
    second_team.members.add(professional)
    signaal, _result = services.signaal_create(
        author=professional,
        wijk=second_wijk,
        categorie=Categorie.objects.get(code="eenzaamheid"),
        bron=Bron.objects.get(code="huisbezoek"),
        text="Test",
        observed_on=timezone.localdate(),
    )
    assert signaal.team == second_team


def test_a_professional_without_a_team_is_told_so(client, professional, team):
    team.members.remove(professional)
    client.force_login(professional)
    response = client.get(URL)
    assert response.status_code == 403
    assert "nog niet in een wijkteam" in response.content.decode()


def test_a_new_session_opens_on_the_wijk_of_the_last_signal(
    client, professional, team, wijk, gemeente
):
    second = WijkFactory(code="WK043909", name="Aaa-wijk", gemeente=gemeente)
    team.wijken.add(second)
    client.force_login(professional)
    client.post(URL, valid_data(wijk))
    client.logout()
    client.force_login(professional)  # a new session forgets the last wijk
    response = client.get(URL)
    assert response.context["form"].initial["wijk"] == wijk


def test_the_last_signal_in_a_wijk_the_team_left_is_ignored(
    client, professional, team, wijk, gemeente
):
    second = WijkFactory(code="WK043909", name="Aaa-wijk", gemeente=gemeente)
    third = WijkFactory(code="WK043910", name="Bbb-wijk", gemeente=gemeente)
    team.wijken.add(second, third)
    client.force_login(professional)
    client.post(URL, valid_data(third))
    team.wijken.remove(third)
    client.logout()
    client.force_login(professional)
    response = client.get(URL)
    assert response.context["form"].initial["wijk"] == second  # first by name


def test_the_text_comes_first_and_the_category_is_a_dropdown(pro_client, wijk):
    html = pro_client.get(URL).content.decode()
    assert html.index('name="text"') < html.index('name="categorie"')
    assert '<select name="categorie"' in html
    assert "Kies waar het over gaat" in html
    assert "---------" not in html

"""Every form of the wijkbudget: anonymous, the wrong role, another wijk or gemeente,
another user's object, a closed round, HTML, huge text, bad uploads; and the roles
that may."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from initiatieven.models import Initiatief
from signalen.models import ThemaZichtbaarheid
from tests.conftest import mfa_client
from tests.signalen.helpers import EXAMPLE, make_signaal, make_thema
from tests.wijkbudget.conftest import make_aanvraag, make_ronde
from wijkbudget import services
from wijkbudget.models import Aanvraag, Besluit, Ronde, Uitgave

HUGE = "x" * 20_000


def _ronde_data(wijk, **extra):
    today = timezone.localdate()
    data = {
        "wijk": wijk.pk,
        "title": "Wijkbudget 2027",
        "amount": "5000",
        "rules": "Plannen voor iedereen.",
        "requests_open": today.isoformat(),
        "requests_close": (today + datetime.timedelta(days=10)).isoformat(),
        "vote_open": (today + datetime.timedelta(days=12)).isoformat(),
        "vote_close": (today + datetime.timedelta(days=30)).isoformat(),
    }
    data.update(extra)
    return data


def _jpeg(size=(200, 150)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, format="JPEG")
    return SimpleUploadedFile("bon.jpg", out.getvalue(), content_type="image/jpeg")


# --- Rounds ------------------------------------------------------------------------------


def test_anonymous_goes_to_login_for_a_new_round(client):
    response = client.get(reverse("wijkbudget:ronde-create"))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


@pytest.mark.parametrize("who", ["bewoner", "professional"])
def test_residents_and_professionals_may_not_open_a_round(request, client, who):
    mfa_client(client, request.getfixturevalue(who))
    assert client.get(reverse("wijkbudget:ronde-create")).status_code == 403


def test_an_officer_opens_a_round_and_residents_hear_of_it(
    client, ambtenaar, wijk, bewoner, overbuur, django_capture_on_commit_callbacks
):
    mfa_client(client, ambtenaar)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wijkbudget:ronde-create"), _ronde_data(wijk))
    ronde = Ronde.objects.get()
    assert response.status_code == 302
    assert ronde.created_by == ambtenaar
    from initiatieven.models import Notificatie

    told = set(Notificatie.objects.values_list("user_id", flat=True))
    assert bewoner.pk in told
    assert overbuur.pk not in told  # another wijk


def test_an_officer_cannot_open_a_round_in_another_gemeente(
    client, ambtenaar, outsider_wijk
):
    mfa_client(client, ambtenaar)
    response = client.post(
        reverse("wijkbudget:ronde-create"), _ronde_data(outsider_wijk)
    )
    assert response.status_code == 400
    assert not Ronde.objects.exists()


def test_a_beheerder_opens_a_round_anywhere(client, beheerder, outsider_wijk):
    mfa_client(client, beheerder)
    response = client.post(
        reverse("wijkbudget:ronde-create"), _ronde_data(outsider_wijk)
    )
    assert response.status_code == 302
    assert Ronde.objects.get().wijk == outsider_wijk


@pytest.mark.parametrize(
    "extra",
    [
        {"title": "<b>Budget</b>"},
        {"title": HUGE},
        {"rules": HUGE},
        {"amount": "-5"},
        {"amount": "veel"},
        {"vote_open": "2020-01-01"},
        {"requests_close": "morgen"},
    ],
)
def test_a_bad_round_form_answers_400(client, ambtenaar, wijk, extra):
    mfa_client(client, ambtenaar)
    response = client.post(
        reverse("wijkbudget:ronde-create"), _ronde_data(wijk, **extra)
    )
    assert response.status_code == 400
    assert not Ronde.objects.exists()


def test_another_gemeentes_officer_gets_404_on_a_rounds_settings(
    client, outsider_ambtenaar, ronde
):
    mfa_client(client, outsider_ambtenaar)
    for name in ("ronde-update", "stemcodes"):
        url = reverse(f"wijkbudget:{name}", kwargs={"pk": ronde.pk})
        assert client.get(url).status_code == 404


def test_a_round_cannot_change_once_voting_began(client, ambtenaar, ronde, wijk):
    mfa_client(client, ambtenaar)
    response = client.post(
        reverse("wijkbudget:ronde-update", kwargs={"pk": ronde.pk}),
        _ronde_data(wijk, amount="99999"),
    )
    assert response.status_code == 400
    ronde.refresh_from_db()
    assert ronde.amount == 1000


def test_rules_with_html_are_shown_as_text(client, wijk):
    ronde = make_ronde(wijk, rules="<script>alert(1)</script> Lees dit.")
    page = client.get(ronde.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Lees dit." in page


# --- Requests ----------------------------------------------------------------------------


@pytest.fixture
def open_ronde(wijk):
    return make_ronde(wijk, phase="aanvragen", amount=3000)


def _request_data(initiatief, **extra):
    data = {
        "initiatief": initiatief.pk,
        "amount": "300",
        "purpose": "Bankjes langs de route.",
        "breakdown": "Twee bankjes 250\nKoffie: € 50",
    }
    data.update(extra)
    return data


def test_an_organiser_asks_for_money(client, bewoner, open_ronde, initiatief):
    client.force_login(bewoner)
    url = reverse("wijkbudget:aanvraag-create", kwargs={"pk": open_ronde.pk})
    response = client.post(url, _request_data(initiatief))
    assert response.status_code == 302
    aanvraag = Aanvraag.objects.get()
    assert aanvraag.breakdown == [
        {"what": "Twee bankjes", "amount": 250},
        {"what": "Koffie", "amount": 50},
    ]
    page = client.get(initiatief.get_absolute_url()).content.decode()
    assert aanvraag.get_absolute_url() in page


def test_nobody_asks_for_another_users_initiative(
    client, buurman, open_ronde, initiatief
):
    client.force_login(buurman)
    url = reverse("wijkbudget:aanvraag-create", kwargs={"pk": open_ronde.pk})
    response = client.post(url, _request_data(initiatief))
    assert response.status_code == 400
    assert not Aanvraag.objects.exists()


def test_an_initiative_of_another_wijk_cannot_ask(
    client, bewoner, open_ronde, other_wijk
):
    elders = Initiatief.objects.create(
        title="Elders", summary="x", wijk=other_wijk, owner=bewoner
    )
    client.force_login(bewoner)
    url = reverse("wijkbudget:aanvraag-create", kwargs={"pk": open_ronde.pk})
    assert client.post(url, _request_data(elders)).status_code == 400
    with pytest.raises(services.BudgetError):
        services.aanvraag_create(
            ronde=open_ronde,
            initiatief=elders,
            user=bewoner,
            amount=10,
            purpose="x",
            breakdown=[],
        )
    assert not Aanvraag.objects.exists()


def test_no_request_outside_the_request_weeks(client, bewoner, ronde, initiatief):
    client.force_login(bewoner)
    url = reverse("wijkbudget:aanvraag-create", kwargs={"pk": ronde.pk})
    assert client.post(url, _request_data(initiatief)).status_code == 400
    assert not Aanvraag.objects.exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"purpose": HUGE},
        {"breakdown": HUGE},
        {"breakdown": "Bankjes 100\nKoffie"},  # a line without an amount
        {"breakdown": "Bankjes 100"},  # does not add up to 300
        {"breakdown": "<b>Bankjes</b> 300"},
        {"amount": "999999999"},
        {"amount": "4000"},  # more than the round
    ],
)
def test_a_bad_request_answers_400(client, bewoner, open_ronde, initiatief, extra):
    client.force_login(bewoner)
    url = reverse("wijkbudget:aanvraag-create", kwargs={"pk": open_ronde.pk})
    response = client.post(url, _request_data(initiatief, **extra))
    assert response.status_code == 400
    assert not Aanvraag.objects.exists()


def test_a_purpose_with_html_is_shown_as_text(client, bewoner, open_ronde, initiatief):
    aanvraag = make_aanvraag(
        open_ronde, initiatief, purpose='<img src=x onerror="alert(1)">'
    )
    page = client.get(aanvraag.get_absolute_url()).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x" in page


def test_only_organisers_change_or_withdraw_a_request(
    client, bewoner, buurman, open_ronde, initiatief
):
    aanvraag = make_aanvraag(open_ronde, initiatief, amount=300)
    url = reverse(
        "wijkbudget:aanvraag-update",
        kwargs={"pk": open_ronde.pk, "aanvraag_pk": aanvraag.pk},
    )
    client.force_login(buurman)
    assert client.post(url, {"action": "withdraw"}).status_code == 403
    client.force_login(bewoner)
    assert client.post(url, {"action": "withdraw"}).status_code == 302
    assert not Aanvraag.objects.exists()


# --- Advice ------------------------------------------------------------------------------


@pytest.fixture
def public_theme(wijk, professional, team, taxonomy):

    signals = [make_signaal(author=professional, team=team, wijk=wijk, text=EXAMPLE)]
    return make_thema(
        wijk,
        signalen=signals,
        visibility=ThemaZichtbaarheid.PUBLIEK,
        public_title="Samen eten tegen eenzaamheid",
        public_text="Wij zoeken bewoners die samen willen koken.",
        public_approved_at=timezone.now(),
    )


@pytest.fixture
def team_theme(wijk, professional, team, taxonomy):
    return make_thema(wijk, label="geheime woorden", keywords=["geheim"])


def _advies_url(ronde, aanvraag):
    return reverse(
        "wijkbudget:advies", kwargs={"pk": ronde.pk, "aanvraag_pk": aanvraag.pk}
    )


def test_the_wijkteam_advises_with_a_public_theme_only(
    client, professional, ronde, aanvragen, public_theme, team_theme
):
    mfa_client(client, professional)
    url = _advies_url(ronde, aanvragen[0])
    form = client.get(url).content.decode()
    assert "Samen eten tegen eenzaamheid" in form
    assert "geheime woorden" not in form
    assert "ouderen, flat, buurthuis" not in form
    refused = client.post(
        url, {"advice": "haalbaar", "text": "Goed.", "themas": [team_theme.pk]}
    )
    assert refused.status_code == 400
    response = client.post(
        url,
        {
            "advice": "haalbaar",
            "text": "Bel 06-12345678 voor meer.",
            "themas": [public_theme.pk],
        },
    )
    assert response.status_code == 302
    aanvraag = Aanvraag.objects.get(pk=aanvragen[0].pk)
    assert aanvraag.advice_text == "Bel [telefoonnummer] voor meer."
    assert aanvraag.advice_by == professional

    page = client.get(aanvraag.get_absolute_url()).content.decode()
    assert "Samen eten tegen eenzaamheid" in page
    assert "verborgen" in page  # one signal: the size is hidden (k-anonymity)
    assert EXAMPLE not in page
    assert "buurthuis" not in page


def test_a_professional_of_another_team_gets_404(
    client, outsider_professional, ronde, aanvragen
):
    mfa_client(client, outsider_professional)
    response = client.get(_advies_url(ronde, aanvragen[0]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["bewoner", "ambtenaar"])
def test_residents_and_officers_may_not_advise(request, client, who, ronde, aanvragen):
    mfa_client(client, request.getfixturevalue(who))
    assert client.get(_advies_url(ronde, aanvragen[0])).status_code == 403


def test_no_advice_after_closing(client, professional, wijk, initiatief):
    ronde = make_ronde(wijk, phase="gesloten")
    aanvraag = make_aanvraag(ronde, initiatief)
    mfa_client(client, professional)
    response = client.post(
        _advies_url(ronde, aanvraag), {"advice": "haalbaar", "text": "x"}
    )
    assert response.status_code == 400
    aanvraag.refresh_from_db()
    assert aanvraag.advice == ""


def test_huge_advice_answers_400(client, professional, ronde, aanvragen):
    mfa_client(client, professional)
    response = client.post(
        _advies_url(ronde, aanvragen[0]), {"advice": "haalbaar", "text": HUGE}
    )
    assert response.status_code == 400


# --- Decision and spending ---------------------------------------------------------------


@pytest.fixture
def closed(wijk, initiatief, tweede_initiatief):
    ronde = make_ronde(wijk, phase="gesloten")
    return ronde, make_aanvraag(ronde, initiatief, amount=500)


def _besluit_url(ronde, aanvraag):
    return reverse(
        "wijkbudget:besluit", kwargs={"pk": ronde.pk, "aanvraag_pk": aanvraag.pk}
    )


def test_an_officer_decides_and_the_organiser_hears(
    client, ambtenaar, closed, bewoner, django_capture_on_commit_callbacks
):
    ronde, aanvraag = closed
    mfa_client(client, ambtenaar)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _besluit_url(ronde, aanvraag),
            {"decision": "toegekend", "amount": "450", "reason": "Veel stemmen."},
        )
    assert response.status_code == 302
    aanvraag.refresh_from_db()
    assert aanvraag.decision == Besluit.TOEGEKEND
    assert aanvraag.decision_amount == 450
    assert aanvraag.decided_by == ambtenaar
    assert aanvraag.decided_at is not None
    from initiatieven.models import Notificatie

    # The organiser's own choice (the default: a daily digest) decides how.
    notice = Notificatie.objects.get(user=bewoner)
    assert "450" in notice.text
    assert notice.url == aanvraag.get_absolute_url()


def test_no_decision_while_voting(client, ambtenaar, ronde, aanvragen):
    mfa_client(client, ambtenaar)
    response = client.post(
        _besluit_url(ronde, aanvragen[0]),
        {"decision": "toegekend", "amount": "100", "reason": ""},
    )
    assert response.status_code == 400
    aanvragen[0].refresh_from_db()
    assert aanvragen[0].decision == ""


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "toegekend", "amount": "501", "reason": ""},  # more than asked
        {"decision": "toegekend", "amount": "", "reason": ""},
        {"decision": "afgewezen", "amount": "", "reason": ""},  # no reason
        {"decision": "misschien", "amount": "", "reason": "x"},
        {"decision": "afgewezen", "amount": "", "reason": HUGE},
    ],
)
def test_a_bad_decision_answers_400(client, ambtenaar, closed, data):
    ronde, aanvraag = closed
    mfa_client(client, ambtenaar)
    assert client.post(_besluit_url(ronde, aanvraag), data).status_code == 400
    aanvraag.refresh_from_db()
    assert aanvraag.decision == ""


def test_another_gemeente_cannot_decide(client, outsider_ambtenaar, closed):
    ronde, aanvraag = closed
    mfa_client(client, outsider_ambtenaar)
    assert client.get(_besluit_url(ronde, aanvraag)).status_code == 404


@pytest.mark.parametrize("who", ["bewoner", "professional"])
def test_residents_and_professionals_cannot_decide(request, client, who, closed):
    ronde, aanvraag = closed
    mfa_client(client, request.getfixturevalue(who))
    assert client.get(_besluit_url(ronde, aanvraag)).status_code == 404


@pytest.fixture
def funded(closed, ambtenaar):
    ronde, aanvraag = closed
    services.besluit_set(
        aanvraag=aanvraag, user=ambtenaar, decision="toegekend", amount=400, reason=""
    )
    return ronde, aanvraag


def _uitgave_url(ronde, aanvraag):
    return reverse(
        "wijkbudget:uitgave-create", kwargs={"pk": ronde.pk, "aanvraag_pk": aanvraag.pk}
    )


def test_an_organiser_accounts_with_a_receipt(client, bewoner, funded):
    ronde, aanvraag = funded
    client.force_login(bewoner)
    response = client.post(
        _uitgave_url(ronde, aanvraag),
        {
            "amount": "123,45",
            "text": "Twee bankjes.",
            "spent_on": timezone.localdate().isoformat(),
            "receipt": _jpeg(),
            "receipt_alt": "Bon van de bouwmarkt",
        },
    )
    assert response.status_code == 302
    uitgave = Uitgave.objects.get()
    assert str(uitgave.amount) == "123.45"
    page = client.get(aanvraag.get_absolute_url()).content.decode()
    assert "123,45" in page
    receipt = client.get(
        reverse(
            "wijkbudget:bon",
            kwargs={
                "pk": ronde.pk,
                "aanvraag_pk": aanvraag.pk,
                "uitgave_pk": uitgave.pk,
            },
        )
    )
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    "extra",
    [
        {"receipt": SimpleUploadedFile("bon.jpg", b"not an image", "image/jpeg")},
        {"receipt": SimpleUploadedFile("bon.jpg", b"\xff" * (6 * 1024 * 1024))},
        {"amount": "500"},  # more than granted
        {"amount": "-1"},
        {"text": HUGE},
        {"spent_on": "2999-01-01"},
        {"receipt": "x", "receipt_alt": "<b>bon</b>"},
    ],
)
def test_a_bad_spending_answers_400(client, bewoner, funded, extra):
    ronde, aanvraag = funded
    client.force_login(bewoner)
    data = {
        "amount": "10",
        "text": "Koffie.",
        "spent_on": timezone.localdate().isoformat(),
    }
    data.update(extra)
    if data.get("receipt") == "x":
        data["receipt"] = _jpeg()
    response = client.post(_uitgave_url(ronde, aanvraag), data)
    assert response.status_code == 400
    assert not Uitgave.objects.exists()


def test_a_huge_image_is_refused(client, bewoner, funded, settings):
    import initiatieven.images as images

    ronde, aanvraag = funded
    client.force_login(bewoner)
    settings.DEBUG = False
    old = images.MAX_PIXELS
    images.MAX_PIXELS = 100
    try:
        response = client.post(
            _uitgave_url(ronde, aanvraag),
            {
                "amount": "10",
                "text": "Koffie.",
                "spent_on": timezone.localdate().isoformat(),
                "receipt": _jpeg(size=(50, 50)),
                "receipt_alt": "bon",
            },
        )
    finally:
        images.MAX_PIXELS = old
    assert response.status_code == 400
    assert "beeldpunten" in response.content.decode()


def test_only_organisers_account_and_only_when_funded(
    client, buurman, bewoner, funded, closed
):
    ronde, aanvraag = funded
    client.force_login(buurman)
    assert client.get(_uitgave_url(ronde, aanvraag)).status_code == 403
    aanvraag.decision = Besluit.AFGEWEZEN
    aanvraag.save()
    client.force_login(bewoner)
    response = client.post(
        _uitgave_url(ronde, aanvraag),
        {"amount": "1", "text": "x", "spent_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400


# --- Codes -------------------------------------------------------------------------------


def test_an_officer_prints_codes_that_vote(client, ambtenaar, ronde, aanvragen):
    mfa_client(client, ambtenaar)
    url = reverse("wijkbudget:stemcodes", kwargs={"pk": ronde.pk})
    response = client.post(url, {"size": "3", "note": "Buurt Noord"})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    page = response.content.decode()
    import re

    codes = re.findall(r'bw-codecard__code">([A-Z0-9-]+)<', page)
    assert len(codes) == 3
    client.logout()
    vote = client.post(
        reverse("wijkbudget:stemmen", kwargs={"pk": ronde.pk}),
        {"aanvragen": [aanvragen[0].pk], "code": codes[0]},
    )
    assert vote.status_code == 302
    # The codes page never shows a code again.
    mfa_client(client, ambtenaar)
    assert codes[1] not in client.get(url).content.decode()


@pytest.mark.parametrize("size", ["0", "10001", "veel", ""])
def test_a_bad_number_of_codes_answers_400(client, ambtenaar, ronde, size):
    mfa_client(client, ambtenaar)
    url = reverse("wijkbudget:stemcodes", kwargs={"pk": ronde.pk})
    assert client.post(url, {"size": size}).status_code == 400


def test_a_resident_cannot_make_codes(client, bewoner, ronde):
    client.force_login(bewoner)
    url = reverse("wijkbudget:stemcodes", kwargs={"pk": ronde.pk})
    assert client.post(url, {"size": "3"}).status_code == 404


def test_the_csv_is_formula_safe(frozen_now, client, wijk, bewoner):
    ronde = make_ronde(wijk, phase="gesloten")
    initiatief = Initiatief.objects.create(
        title='=HYPERLINK("http://x","y")', summary="x", wijk=wijk, owner=bewoner
    )
    make_aanvraag(ronde, initiatief)
    csv = client.get(reverse("wijkbudget:uitslag-csv", kwargs={"pk": ronde.pk}))
    assert "'=HYPERLINK" in csv.content.decode()


def test_pages_answer_in_english(client, ronde, aanvragen):
    client.cookies["django_language"] = "en"
    page = client.get(ronde.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200


def test_a_hidden_initiatives_request_is_gone_for_everyone(client, ronde, aanvragen):
    Initiatief.objects.filter(pk=aanvragen[0].initiatief_id).update(is_hidden=True)
    assert client.get(aanvragen[0].get_absolute_url()).status_code == 404
    assert (
        aanvragen[0].initiatief.title
        not in client.get(ronde.get_absolute_url()).content.decode()
    )


def test_the_wijk_page_links_the_round(client, ronde, wijk):
    page = client.get(wijk.get_absolute_url()).content.decode()
    assert ronde.get_absolute_url() in page


def test_the_daily_task_tells_residents_once_on_the_first_request_day(
    wijk, bewoner, django_capture_on_commit_callbacks
):
    from initiatieven.models import Notificatie
    from wijkbudget.tasks import rondes_opened_notify

    today = timezone.localdate()
    make_ronde(wijk, phase="aanvragen", requests_open=today)
    make_ronde(wijk, phase="aangekondigd", title="Later")
    with django_capture_on_commit_callbacks(execute=True):
        assert rondes_opened_notify() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert rondes_opened_notify() == 1  # run twice: still one notice per person
    assert Notificatie.objects.filter(user=bewoner).count() == 1

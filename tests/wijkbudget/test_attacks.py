"""A hostile but legitimate user against the wijkbudget: the ballot's secrecy, voting
twice or from elsewhere, guessing codes, totals while voting, HTML, bad receipts."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.conftest import mfa_client
from tests.factories import UserFactory
from tests.wijkbudget.conftest import make_aanvraag, make_ronde
from wijkbudget import services
from wijkbudget.models import Keuze, Stembiljet, Stemmer, Uitgave

pytestmark = pytest.mark.django_db


def _codes(ronde, user, n=2):
    return services.codes_create(ronde=ronde, size=n, note="", by=user)[1]


def _stemmen(ronde):
    return reverse("wijkbudget:stemmen", kwargs={"pk": ronde.pk})


# --- Secrecy ---------------------------------------------------------------------------------


def test_no_page_or_csv_shows_a_choice_while_voting(client, ronde, aanvragen, buurman):
    client.force_login(buurman)
    assert (
        client.post(_stemmen(ronde), {"aanvragen": [aanvragen[1].pk]}).status_code
        == 302
    )
    client.logout()
    for name in ("ronde", "uitslag"):
        text = client.get(
            reverse(f"wijkbudget:{name}", kwargs={"pk": ronde.pk})
        ).content.decode()
        assert "1 stem" not in text
    detail = client.get(aanvragen[1].get_absolute_url()).content.decode()
    assert "1 stem" not in detail
    csv_url = reverse("wijkbudget:uitslag-csv", kwargs={"pk": ronde.pk})
    assert client.get(csv_url).status_code == 404


def test_the_gestemd_page_and_the_voters_own_pages_do_not_echo_the_choice(
    client, ronde, aanvragen, buurman
):
    client.force_login(buurman)
    response = client.post(
        _stemmen(ronde), {"aanvragen": [aanvragen[1].pk]}, follow=True
    )
    assert response.status_code == 200
    assert aanvragen[1].initiatief.title not in response.content.decode()
    again = client.get(_stemmen(ronde)).content.decode()
    assert "checked" not in again


def test_ballot_and_voter_rows_share_nothing_to_join_on(
    ronde, aanvragen, buurman, ambtenaar
):
    services.vote_with_account(ronde=ronde, user=buurman, chosen_ids=[aanvragen[0].pk])
    buurvrouw = UserFactory(email="buurvrouw@example.nl", wijk=ronde.wijk)
    services.vote_with_account(
        ronde=ronde, user=buurvrouw, chosen_ids=[aanvragen[1].pk]
    )
    stemmer = Stemmer.objects.get(user=buurman)
    ballot_ids = {str(b.pk) for b in Stembiljet.objects.all()}
    # Random ids, no time: nothing in the rows orders a ballot next to a voter.
    assert str(stemmer.pk) not in ballot_ids
    assert all(len(pk) == 36 for pk in ballot_ids)
    assert {f.name for f in Stembiljet._meta.get_fields()} == {"id", "ronde", "keuzes"}
    assert {f.name for f in Keuze._meta.get_fields()} == {
        "id",
        "stembiljet",
        "aanvraag",
    }


# --- Voting twice, elsewhere, late -----------------------------------------------------------


def test_a_resident_who_voted_cannot_vote_again_with_a_code_while_logged_in(
    client, ronde, aanvragen, buurman, ambtenaar
):
    client.force_login(buurman)
    assert (
        client.post(_stemmen(ronde), {"aanvragen": [aanvragen[0].pk]}).status_code
        == 302
    )
    # Codes can no longer be made for this round: the household's letter would be a
    # second vote for the same person.
    with pytest.raises(services.BudgetError) as exc:
        _codes(ronde, ambtenaar, 1)
    assert exc.value.code == "account_votes"
    again = client.post(
        _stemmen(ronde), {"aanvragen": [aanvragen[0].pk], "code": "AAAA-AAAA-AA"}
    )
    assert again.status_code == 400
    assert Stembiljet.objects.count() == 1


def test_in_a_round_with_codes_an_account_votes_only_with_its_letters_code(
    client, ronde, aanvragen, buurman, ambtenaar
):
    """One vote per address: with codes out, the account gives no vote of its own,
    so nobody votes once with the account and once with the household's letter."""
    code = _codes(ronde, ambtenaar, 1)[0]
    with pytest.raises(services.BudgetError) as exc:
        services.vote_with_account(
            ronde=ronde, user=buurman, chosen_ids=[aanvragen[0].pk]
        )
    assert exc.value.code == "codes"
    client.force_login(buurman)
    page = client.get(_stemmen(ronde)).content.decode()
    assert "Ook met een account stemt u met die code" in page
    without = client.post(_stemmen(ronde), {"aanvragen": [aanvragen[0].pk]})
    assert without.status_code == 400
    assert not Stembiljet.objects.exists()
    with_code = client.post(
        _stemmen(ronde), {"aanvragen": [aanvragen[0].pk], "code": code}
    )
    assert with_code.status_code == 302
    assert Stembiljet.objects.count() == 1
    assert not Stemmer.objects.exists()


def test_withdrawing_every_batch_gives_accounts_their_vote_back(
    ronde, aanvragen, buurman, ambtenaar
):
    reeks, _plain = services.codes_create(ronde=ronde, size=2, note="", by=ambtenaar)
    services.reeks_withdraw(reeks=reeks)
    services.vote_with_account(ronde=ronde, user=buurman, chosen_ids=[aanvragen[0].pk])
    assert Stembiljet.objects.count() == 1


def test_a_resident_of_another_wijk_cannot_vote_without_a_code(
    client, ronde, aanvragen, overbuur
):
    client.force_login(overbuur)
    response = client.post(_stemmen(ronde), {"aanvragen": [aanvragen[0].pk]})
    assert response.status_code == 400
    assert not Stembiljet.objects.exists()


def test_a_code_of_a_withdrawn_or_other_round_does_not_vote(
    client, ronde, aanvragen, ambtenaar, wijk
):
    other = make_ronde(wijk, phase="stemmen", title="Tweede ronde")
    code = _codes(other, ambtenaar, 1)[0]
    response = client.post(
        _stemmen(ronde), {"aanvragen": [aanvragen[0].pk], "code": code}
    )
    assert response.status_code == 400
    assert not Stembiljet.objects.exists()


def test_a_spoofed_forwarded_for_header_does_not_reset_the_code_limit(
    client, ronde, aanvragen
):
    statuses = [
        client.post(
            _stemmen(ronde),
            {"aanvragen": [aanvragen[0].pk], "code": "AAAA-AAAA-AA"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(11)
    ]
    assert statuses[-1] == 429


def test_a_vote_after_closing_stores_nothing(client, wijk, initiatief, buurman):
    closed = make_ronde(wijk, phase="gesloten")
    aanvraag = make_aanvraag(closed, initiatief)
    client.force_login(buurman)
    response = client.post(_stemmen(closed), {"aanvragen": [aanvraag.pk]})
    assert response.status_code == 400
    assert not Stembiljet.objects.exists()
    assert not Stemmer.objects.exists()


# --- Other gemeente, other team ------------------------------------------------------------------


def test_an_officer_of_another_gemeente_gets_nothing(
    client, outsider_ambtenaar, ronde, aanvragen
):
    officer = mfa_client(client, outsider_ambtenaar)
    for name in ("stemcodes", "ronde-update"):
        assert (
            officer.get(
                reverse(f"wijkbudget:{name}", kwargs={"pk": ronde.pk})
            ).status_code
            == 404
        )
    made = officer.post(
        reverse("wijkbudget:stemcodes", kwargs={"pk": ronde.pk}),
        {"size": "5", "note": ""},
    )
    assert made.status_code == 404


# --- HTML and receipts -----------------------------------------------------------------------------


def test_html_in_advice_decision_and_spending_is_shown_as_text(
    client, wijk, initiatief, bewoner, ambtenaar
):
    closed = make_ronde(wijk, phase="gesloten")
    aanvraag = make_aanvraag(
        closed,
        initiatief,
        advice="haalbaar",
        advice_text="<script>alert('advies')</script>",
        decision="toegekend",
        decision_amount=400,
        decision_reason="<b onmouseover=alert(1)>reden</b>",
    )
    Uitgave.objects.create(
        aanvraag=aanvraag,
        amount=10,
        text="<img src=x onerror=alert(2)>",
        spent_on=timezone.localdate(),
    )
    text = client.get(aanvraag.get_absolute_url()).content.decode()
    assert "<script>alert('advies')" not in text
    assert "<b onmouseover" not in text
    assert "<img src=x onerror" not in text


def _uitgave_url(ronde, aanvraag):
    return reverse(
        "wijkbudget:uitgave-create", kwargs={"pk": ronde.pk, "aanvraag_pk": aanvraag.pk}
    )


@pytest.fixture
def funded(wijk, initiatief, ambtenaar):
    closed = make_ronde(wijk, phase="gesloten")
    aanvraag = make_aanvraag(closed, initiatief, amount=500)
    services.besluit_set(
        aanvraag=aanvraag, user=ambtenaar, decision="toegekend", amount=400, reason=""
    )
    return closed, aanvraag


def _post_receipt(client, funded, upload):
    ronde, aanvraag = funded
    return client.post(
        _uitgave_url(ronde, aanvraag),
        {
            "amount": "10",
            "text": "Koffie.",
            "spent_on": timezone.localdate().isoformat(),
            "receipt": upload,
            "receipt_alt": "bon",
        },
    )


def test_a_receipt_that_is_not_an_image_is_refused(client, bewoner, funded):
    client.force_login(bewoner)
    fake = SimpleUploadedFile(
        "bon.jpg", b"<html><script>alert(1)</script>", "image/jpeg"
    )
    assert _post_receipt(client, funded, fake).status_code == 400
    assert not Uitgave.objects.exists()


def test_a_truncated_jpeg_is_refused(client, bewoner, funded):
    out = io.BytesIO()
    Image.new("RGB", (300, 300), (1, 2, 3)).save(out, format="JPEG")
    broken = SimpleUploadedFile("bon.jpg", out.getvalue()[:200], "image/jpeg")
    client.force_login(bewoner)
    assert _post_receipt(client, funded, broken).status_code == 400
    assert not Uitgave.objects.exists()


def test_a_receipt_over_the_size_limit_is_refused(client, bewoner, funded):
    big = SimpleUploadedFile(
        "bon.jpg", b"\xff\xd8\xff" + b"0" * (6 * 1024 * 1024), "image/jpeg"
    )
    client.force_login(bewoner)
    assert _post_receipt(client, funded, big).status_code == 400
    assert not Uitgave.objects.exists()

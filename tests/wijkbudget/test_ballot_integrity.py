"""The ballot: one per account or code, only for the round's wijk, only while voting is
open, secret, final; a deleted account's ballot stays, without a link to anyone."""

from __future__ import annotations

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.db import models
from django.urls import reverse

from privacy.services import account_forget, personal_data_export, remaining_traces
from tests.factories import UserFactory
from tests.wijkbudget.conftest import make_aanvraag, make_ronde
from wijkbudget import services
from wijkbudget.models import Keuze, Stembiljet, Stemcode, Stemmer


def _codes(ronde, user, n=2):
    return services.codes_create(ronde=ronde, size=n, note="", by=user)[1]


def _totals(ronde):
    return {
        a.pk: Keuze.objects.filter(aanvraag=a).count() for a in ronde.aanvragen.all()
    }


def test_a_resident_votes_once_and_a_second_vote_is_refused(ronde, aanvragen, buurman):
    services.vote_with_account(ronde=ronde, user=buurman, chosen_ids=[aanvragen[0].pk])
    with pytest.raises(services.BudgetError) as exc:
        services.vote_with_account(
            ronde=ronde, user=buurman, chosen_ids=[aanvragen[1].pk]
        )
    assert exc.value.code == "voted"
    assert Stembiljet.objects.filter(ronde=ronde).count() == 1
    assert _totals(ronde) == {aanvragen[0].pk: 1, aanvragen[1].pk: 0}


def test_a_second_vote_through_the_page_is_refused(client, ronde, aanvragen, buurman):
    client.force_login(buurman)
    url = reverse("wijkbudget:stemmen", kwargs={"pk": ronde.pk})
    first = client.post(url, {"aanvragen": [aanvragen[0].pk]})
    assert first.status_code == 302
    second = client.post(url, {"aanvragen": [aanvragen[1].pk]})
    assert second.status_code == 400
    assert "al gestemd" in second.content.decode()
    assert Stembiljet.objects.filter(ronde=ronde).count() == 1


def test_a_code_votes_once(ronde, aanvragen, ambtenaar):
    code = _codes(ronde, ambtenaar)[0]
    services.vote_with_code(ronde=ronde, code=code, chosen_ids=[aanvragen[0].pk])
    with pytest.raises(services.BudgetError) as exc:
        services.vote_with_code(ronde=ronde, code=code, chosen_ids=[aanvragen[0].pk])
    assert exc.value.code == "used_code"
    assert Stembiljet.objects.filter(ronde=ronde).count() == 1


def test_a_code_is_read_without_dashes_spaces_or_case(ronde, aanvragen, ambtenaar):
    code = _codes(ronde, ambtenaar)[0]
    typed = " " + "-".join([code[:4], code[4:8], code[8:]]).lower() + " "
    services.vote_with_code(ronde=ronde, code=typed, chosen_ids=[aanvragen[0].pk])
    assert Stemcode.objects.get(ronde=ronde, used_on__isnull=False)


def test_a_resident_of_another_wijk_cannot_vote_with_the_account(
    ronde, aanvragen, overbuur
):
    with pytest.raises(services.BudgetError) as exc:
        services.vote_with_account(
            ronde=ronde, user=overbuur, chosen_ids=[aanvragen[0].pk]
        )
    assert exc.value.code == "other_wijk"
    assert not Stembiljet.objects.exists()


def test_a_code_of_another_wijks_round_does_not_vote_here(
    ronde, aanvragen, other_wijk, ambtenaar
):
    elders = make_ronde(other_wijk, title="Elders")
    code = _codes(elders, ambtenaar)[0]
    with pytest.raises(services.BudgetError) as exc:
        services.vote_with_code(ronde=ronde, code=code, chosen_ids=[aanvragen[0].pk])
    assert exc.value.code == "bad_code"
    assert not Stemcode.objects.filter(used_on__isnull=False).exists()


def test_a_request_of_another_round_cannot_be_on_the_ballot(
    ronde, aanvragen, other_wijk, buurman, outsider_gemeente
):
    from initiatieven.models import Initiatief

    elders = make_ronde(other_wijk, title="Elders")
    vreemd = make_aanvraag(
        elders,
        Initiatief.objects.create(title="Elders", summary="x", wijk=other_wijk),
    )
    with pytest.raises(services.BudgetError) as exc:
        services.vote_with_account(ronde=ronde, user=buurman, chosen_ids=[vreemd.pk])
    assert exc.value.code == "unknown"


@pytest.mark.parametrize("phase", ["gesloten", "advies", "aanvragen"])
def test_no_vote_outside_the_voting_weeks(phase, wijk, initiatief, buurman, ambtenaar):
    ronde = make_ronde(wijk, phase=phase)
    aanvraag = make_aanvraag(ronde, initiatief)
    with pytest.raises(services.BudgetError) as exc:
        services.vote_with_account(ronde=ronde, user=buurman, chosen_ids=[aanvraag.pk])
    assert exc.value.code == "not_voting"
    assert not Stembiljet.objects.exists()
    assert not Stemmer.objects.exists()


def test_a_code_is_refused_after_closing_and_stays_unused(
    frozen_now, ronde, aanvragen, ambtenaar
):
    code = _codes(ronde, ambtenaar)[0]
    frozen_now.shift(datetime.timedelta(days=11))  # the day after vote_close
    with pytest.raises(services.BudgetError) as exc:
        services.vote_with_code(ronde=ronde, code=code, chosen_ids=[aanvragen[0].pk])
    assert exc.value.code == "not_voting"
    assert not Stemcode.objects.filter(used_on__isnull=False).exists()


def test_the_page_refuses_a_vote_after_closing(client, wijk, initiatief, buurman):
    ronde = make_ronde(wijk, phase="gesloten")
    aanvraag = make_aanvraag(ronde, initiatief)
    client.force_login(buurman)
    response = client.post(
        reverse("wijkbudget:stemmen", kwargs={"pk": ronde.pk}),
        {"aanvragen": [aanvraag.pk]},
    )
    assert response.status_code == 400
    assert not Stembiljet.objects.exists()


def test_an_unverified_address_cannot_vote_with_the_account(ronde, aanvragen, buurman):
    EmailAddress.objects.filter(user=buurman).update(verified=False)
    with pytest.raises(services.BudgetError) as exc:
        services.vote_with_account(
            ronde=ronde, user=buurman, chosen_ids=[aanvragen[0].pk]
        )
    assert exc.value.code == "unverified"


def test_staff_cannot_vote_with_their_account(ronde, aanvragen, professional):
    with pytest.raises(services.BudgetError) as exc:
        services.vote_with_account(
            ronde=ronde, user=professional, chosen_ids=[aanvragen[0].pk]
        )
    assert exc.value.code == "not_resident"


def test_a_choice_over_the_budget_is_refused(
    wijk, initiatief, tweede_initiatief, buurman
):
    ronde = make_ronde(wijk, amount=1000)
    a = make_aanvraag(ronde, initiatief, amount=600)
    b = make_aanvraag(ronde, tweede_initiatief, amount=500)
    with pytest.raises(services.BudgetError) as exc:
        services.vote_with_account(ronde=ronde, user=buurman, chosen_ids=[a.pk, b.pk])
    assert exc.value.code == "over_budget"
    assert not Stemmer.objects.exists()  # nothing recorded: the person may try again


def test_an_empty_ballot_is_refused(ronde, aanvragen, buurman):
    with pytest.raises(services.BudgetError) as exc:
        services.vote_with_account(ronde=ronde, user=buurman, chosen_ids=[])
    assert exc.value.code == "empty"


def test_a_withdrawn_batch_no_longer_votes(ronde, aanvragen, ambtenaar):
    reeks, plain = services.codes_create(ronde=ronde, size=2, note="", by=ambtenaar)
    services.vote_with_code(ronde=ronde, code=plain[0], chosen_ids=[aanvragen[0].pk])
    assert services.reeks_withdraw(reeks=reeks) == 1
    with pytest.raises(services.BudgetError) as exc:
        services.vote_with_code(
            ronde=ronde, code=plain[1], chosen_ids=[aanvragen[0].pk]
        )
    assert exc.value.code == "bad_code"
    assert Stembiljet.objects.count() == 1  # the vote cast before stays


def test_codes_are_stored_only_as_hashes(ronde, ambtenaar):
    plain = _codes(ronde, ambtenaar, n=5)
    stored = list(Stemcode.objects.values_list("code_hash", flat=True))
    assert len(set(stored)) == 5
    for code in plain:
        assert all(code not in value for value in stored)


def test_the_ballot_tables_hold_no_voter_and_no_time():
    for model in (Stembiljet, Keuze):
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateField | models.DateTimeField)
            if field.is_relation:
                assert field.related_model._meta.label in (
                    "wijkbudget.Ronde",
                    "wijkbudget.Stembiljet",
                    "wijkbudget.Aanvraag",
                )
        assert isinstance(model._meta.pk, models.UUIDField)


def test_a_deleted_accounts_ballot_stays_without_a_link(ronde, aanvragen, buurman):
    services.vote_with_account(ronde=ronde, user=buurman, chosen_ids=[aanvragen[0].pk])
    user_id, name, email = buurman.pk, buurman.display_name, buurman.email
    export = personal_data_export(buurman)
    assert [v["title"] for v in export["wijkbudget"]["budget_votes"]] == [ronde.title]
    assert "aanvragen" not in str(export["wijkbudget"]["budget_votes"])

    account_forget(user=buurman)

    assert remaining_traces(user_id=user_id, display_name=name, email=email) == []
    assert Stembiljet.objects.filter(ronde=ronde).count() == 1
    assert _totals(ronde)[aanvragen[0].pk] == 1
    voter = Stemmer.objects.get(ronde=ronde)
    assert voter.user_id is None


def test_totals_stay_hidden_until_voting_closes(client, ronde, aanvragen, buurman):
    services.vote_with_account(ronde=ronde, user=buurman, chosen_ids=[aanvragen[0].pk])
    page = client.get(reverse("wijkbudget:ronde", kwargs={"pk": ronde.pk}))
    assert "1 stem" not in page.content.decode()
    result = client.get(reverse("wijkbudget:uitslag", kwargs={"pk": ronde.pk}))
    assert "1 stem" not in result.content.decode()
    csv = client.get(reverse("wijkbudget:uitslag-csv", kwargs={"pk": ronde.pk}))
    assert csv.status_code == 404


def _voters(ronde, n):
    return [
        UserFactory(email=f"stemmer{i}@example.nl", wijk=ronde.wijk) for i in range(n)
    ]


def test_totals_are_public_after_closing(
    frozen_now, settings, client, ronde, aanvragen, buurman
):
    services.vote_with_account(ronde=ronde, user=buurman, chosen_ids=[aanvragen[0].pk])
    for voter in _voters(ronde, settings.K_ANONYMITY - 1):
        services.vote_with_account(
            ronde=ronde, user=voter, chosen_ids=[aanvragen[1].pk]
        )
    frozen_now.shift(datetime.timedelta(days=11))
    page = client.get(reverse("wijkbudget:uitslag", kwargs={"pk": ronde.pk}))
    assert page.status_code == 200
    csv = client.get(reverse("wijkbudget:uitslag-csv", kwargs={"pk": ronde.pk}))
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("ronde,wijk,wijkcode,initiatief")
    by_title = {line.split(",")[3]: line.split(",")[6] for line in lines[1:]}
    assert by_title["Wandelclub De Wagenweg"] == "1"
    assert str(settings.K_ANONYMITY - 1) in by_title.values()


def test_with_fewer_than_k_ballots_no_votes_per_request_are_shown(
    frozen_now, settings, client, ronde, aanvragen, buurman
):
    """Two voters: each could subtract their own ballot and read the other's."""
    services.vote_with_account(ronde=ronde, user=buurman, chosen_ids=[aanvragen[0].pk])
    for voter in _voters(ronde, settings.K_ANONYMITY - 2):
        services.vote_with_account(
            ronde=ronde, user=voter, chosen_ids=[aanvragen[1].pk]
        )
    running = client.get(reverse("wijkbudget:ronde", kwargs={"pk": ronde.pk}))
    assert f"minder dan {settings.K_ANONYMITY} bewoners" in running.content.decode()
    frozen_now.shift(datetime.timedelta(days=11))
    page = client.get(reverse("wijkbudget:uitslag", kwargs={"pk": ronde.pk}))
    text = page.content.decode()
    assert f"Minder dan {settings.K_ANONYMITY} bewoners hebben gestemd" in text
    assert "meeste stemmen eerst" not in text
    csv = client.get(reverse("wijkbudget:uitslag-csv", kwargs={"pk": ronde.pk}))
    rows = [line.split(",") for line in csv.content.decode().splitlines()[1:]]
    assert rows
    assert all(row[6] == "" for row in rows)
    detail = client.get(aanvragen[0].get_absolute_url()).content.decode()
    assert "<dt>Stemmen</dt>" not in detail


def test_guessing_codes_is_rate_limited(client, ronde, aanvragen):
    url = reverse("wijkbudget:stemmen", kwargs={"pk": ronde.pk})
    statuses = [
        client.post(
            url, {"aanvragen": [aanvragen[0].pk], "code": f"AAAA-AAAA-A{n % 10}"}
        ).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
    assert not Stembiljet.objects.exists()


def test_a_right_code_does_not_count_towards_the_limit(
    client, ronde, aanvragen, ambtenaar
):
    plain = _codes(ronde, ambtenaar, n=12)
    url = reverse("wijkbudget:stemmen", kwargs={"pk": ronde.pk})
    for code in plain:
        response = client.post(url, {"aanvragen": [aanvragen[0].pk], "code": code})
        assert response.status_code == 302
    assert Stembiljet.objects.count() == 12

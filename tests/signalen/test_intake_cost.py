"""The quick-log POST stays cheap (issue 17 item 1): a fixed number of queries however
many signals, count rows and teams there are, and the counts it adds to in place are
exactly what a recount from the facts gives."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from signalen.intake import services
from signalen.intake.facts import facts_sync
from signalen.models import Bron, Categorie, Doelgroep, Signaal, SignaalTelling
from tests.factories import BuurtFactory, TeamFactory

pytestmark = pytest.mark.usefixtures("frozen_now")

URL = "/signalen/nieuw/"


def data(wijk, **overrides):
    values = {
        "wijk": str(wijk.pk),
        "buurt": "",
        "categorie": str(Categorie.objects.get(code="eenzaamheid").pk),
        "doelgroepen": [str(Doelgroep.objects.get(code="ouderen").pk)],
        "bron": str(Bron.objects.get(code="huisbezoek").pk),
        "text": "Drie oudere bewoners in de flat vertellen dat ze niemand meer zien.",
        "households_estimate": "3",
        "observed_on": timezone.localdate().isoformat(),
    }
    values.update(overrides)
    return values


def counts(wijk) -> list[tuple]:
    return sorted(
        SignaalTelling.objects.filter(wijk=wijk).values_list(
            "buurt_id", "categorie_id", "doelgroep_id", "week", "count"
        ),
        key=repr,
    )


def queries_of_post(client, values) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(URL, values)
    assert response.status_code == 302
    return len(captured)


def test_the_post_keeps_a_fixed_number_of_queries(
    client, professional, team, gemeente, wijk
):
    client.force_login(professional)
    client.post(URL, data(wijk))  # the session settles; the week's count rows exist
    few = queries_of_post(client, data(wijk))
    for i in range(12):
        client.post(URL, data(wijk, text=f"Nog een signaal, nummer {i}."))
    other = TeamFactory(name="Tweede team", gemeente=gemeente, wijken=[wijk])
    other.members.add(professional)
    many = queries_of_post(client, data(wijk))
    assert many == few
    # Middleware (session, user, 2FA) 3, the form 4 (wijken with the author's team,
    # categories, sources, target groups), the transaction 2, the signal 1, the
    # wijk's lock 1, then on PostgreSQL one statement for its target groups, fact,
    # counts and audit entry (the ORM elsewhere: 5).
    assert few == (12 if connection.vendor == "postgresql" else 16)
    # Every signal went to the author's first team in the wijk.
    assert set(Signaal.objects.values_list("team_id", flat=True)) == {team.pk}


def test_counts_added_in_place_equal_a_recount(
    client, professional, wijk, django_capture_on_commit_callbacks
):
    client.force_login(professional)
    buurt = BuurtFactory(wijk=wijk, name="Noordrand")
    jongeren = Doelgroep.objects.get(code="jongeren")
    ouderen = Doelgroep.objects.get(code="ouderen")
    armoede = Categorie.objects.exclude(code="eenzaamheid").first()
    posts = [
        data(wijk),
        data(wijk, buurt=str(buurt.pk)),
        data(
            wijk, buurt=str(buurt.pk), doelgroepen=[str(jongeren.pk), str(ouderen.pk)]
        ),
        data(wijk, doelgroepen=[]),
        data(wijk, categorie=str(armoede.pk), buurt=str(buurt.pk)),
        data(wijk),
        data(wijk, buurt=str(buurt.pk), doelgroepen=[str(jongeren.pk)]),
    ]
    for values in posts:
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(URL, values).status_code == 302
    added = counts(wijk)
    assert sum(n for b, _c, d, _w, n in added if b is None and d is None) == len(posts)
    facts_sync(wijk=wijk)  # the recount from the facts
    assert counts(wijk) == added


def test_a_team_found_by_the_caller_is_only_taken_for_a_professional(
    ambtenaar, wijk, team
):
    with pytest.raises(services.SignaalError):
        services.signaal_create(
            author=ambtenaar,
            wijk=wijk,
            categorie=Categorie.objects.get(code="eenzaamheid"),
            bron=Bron.objects.get(code="huisbezoek"),
            text="Een signaal.",
            observed_on=timezone.localdate(),
            team_id=team.pk,
        )
    assert not Signaal.objects.exists()


def test_another_wijk_posted_is_refused_without_a_team_lookup_bypass(
    client, professional, other_wijk
):
    client.force_login(professional)
    response = client.post(URL, data(other_wijk))
    assert response.status_code == 400
    assert not Signaal.objects.exists()

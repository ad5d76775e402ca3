"""facts_sync (every roll-up run's counts_rebuild) gives signals saved around the
services their facts, with their target groups, in one insert; withdrawn ones none."""

from __future__ import annotations

from django.db import transaction

from signalen.intake.facts import facts_sync, logged_week
from signalen.models import Doelgroep, SignaalFeit, SignaalTelling
from tests.signalen.helpers import make_signaal


def test_signals_without_a_fact_get_one_with_their_target_groups(
    wijk, team, professional, doelgroep
):
    other = Doelgroep.objects.exclude(pk=doelgroep.pk).first()
    both = make_signaal(author=professional, team=team, wijk=wijk)
    both.doelgroepen.set([doelgroep, other])
    none = make_signaal(author=professional, team=team, wijk=wijk)
    gone = make_signaal(author=professional, team=team, wijk=wijk)
    # Saved around the services: no facts (the bench's COPY, the admin).
    SignaalFeit.objects.all().delete()
    type(gone).objects.filter(pk=gone.pk).update(withdrawn_at=both.created_at)

    with transaction.atomic():
        facts_sync(wijk=wijk)

    facts = {f.signaal_id: f for f in SignaalFeit.objects.all()}
    assert set(facts) == {both.pk, none.pk}
    assert set(facts[both.pk].doelgroepen.values_list("pk", flat=True)) == {
        doelgroep.pk,
        other.pk,
    }
    assert not facts[none.pk].doelgroepen.exists()
    assert facts[both.pk].week == logged_week(both.created_at)
    assert facts[both.pk].wijk_id == wijk.pk
    whole = SignaalTelling.objects.filter(
        wijk=wijk, buurt=None, doelgroep=None, week=logged_week(both.created_at)
    )
    assert sum(whole.values_list("count", flat=True)) == 2
    per_group = SignaalTelling.objects.filter(wijk=wijk, doelgroep=doelgroep)
    assert sum(per_group.values_list("count", flat=True)) == 1

    # Again: nothing to make.
    before = sorted(SignaalFeit.objects.values_list("pk", flat=True))
    with transaction.atomic():
        facts_sync(wijk=wijk)
    assert sorted(SignaalFeit.objects.values_list("pk", flat=True)) == before

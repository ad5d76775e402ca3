"""The pre-aggregated counts of a wijk (SignaalTelling), rebuilt by every run."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from signalen.models import Signaal, SignaalTelling
from signalen.themes.bulk import rows_insert
from wijken.models import Wijk


def counts_rebuild(wijk: Wijk, *, weeks: Iterable[datetime.date] | None = None) -> int:
    """Rebuild the wijk's pre-aggregated counts from its signals (not withdrawn).

    Three groupings (see SignaalTelling): the whole wijk, per doelgroep, per buurt.
    Only rows that differ are written. ``weeks`` (Mondays): rebuild those weeks only,
    the weeks of the signals an incremental run took in. Returns the number of count
    rows written or checked. Runs inside the caller's transaction.
    """
    live = Signaal.objects.filter(wijk=wijk, withdrawn_at__isnull=True)
    stored = SignaalTelling.objects.filter(wijk=wijk)
    if weeks is not None:
        mondays = sorted(set(weeks))
        if not mondays:
            return 0
        in_weeks = Q()
        for monday in mondays:
            in_weeks |= Q(
                observed_on__gte=monday,
                observed_on__lt=monday + datetime.timedelta(days=7),
            )
        live = live.filter(in_weeks)
        stored = stored.filter(week__in=mondays)
    week = TruncWeek("observed_on")
    rows: list[SignaalTelling] = []
    for categorie_id, monday, n in (
        live.annotate(w=week)
        .values_list("categorie_id", "w")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows.append(
            SignaalTelling(
                wijk=wijk, categorie_id=categorie_id, week=_date(monday), count=n
            )
        )
    for categorie_id, buurt_id, monday, n in (
        live.filter(buurt__isnull=False)
        .annotate(w=week)
        .values_list("categorie_id", "buurt_id", "w")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows.append(
            SignaalTelling(
                wijk=wijk,
                buurt_id=buurt_id,
                categorie_id=categorie_id,
                week=_date(monday),
                count=n,
            )
        )
    for categorie_id, doelgroep_id, monday, n in (
        live.filter(doelgroepen__isnull=False)
        .annotate(w=week)
        .values_list("categorie_id", "doelgroepen", "w")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows.append(
            SignaalTelling(
                wijk=wijk,
                doelgroep_id=doelgroep_id,
                categorie_id=categorie_id,
                week=_date(monday),
                count=n,
            )
        )
    # Write only the difference: a re-run with nothing new writes nothing, and an
    # incremental run touches a few rows instead of re-inserting every row of the wijk
    # (bench/bench_rollup.py: ~1 row per signal, ~125 µs per row re-inserted).
    wanted = {(r.buurt_id, r.categorie_id, r.doelgroep_id, r.week): r for r in rows}
    stale: list[int] = []
    changed: list[SignaalTelling] = []
    for (
        pk,
        buurt_id,
        categorie_id,
        doelgroep_id,
        monday,
        n,
    ) in stored.order_by().values_list(
        "pk", "buurt_id", "categorie_id", "doelgroep_id", "week", "count"
    ):
        row = wanted.pop((buurt_id, categorie_id, doelgroep_id, monday), None)
        if row is None:
            stale.append(pk)
        elif row.count != n:
            row.pk = pk
            changed.append(row)
    for start in range(0, len(stale), 1000):
        SignaalTelling.objects.filter(pk__in=stale[start : start + 1000]).delete()
    SignaalTelling.objects.bulk_update(changed, ["count"], batch_size=500)
    rows_insert(
        SignaalTelling,
        ["wijk_id", "buurt_id", "categorie_id", "doelgroep_id", "week", "count"],
        [
            (wijk.pk, r.buurt_id, r.categorie_id, r.doelgroep_id, r.week, r.count)
            for r in wanted.values()
        ],
    )
    return len(rows)


def _date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value

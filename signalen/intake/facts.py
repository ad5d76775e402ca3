# mypy: disallow-untyped-defs, disallow-incomplete-defs, warn-return-any
"""The frozen facts behind every count outside the team (#15 item 4).

Outside the team a signal counts in the 4-week block in which it was LOGGED (the week
of its `created_at` in Europe/Amsterdam), not the day it was seen: a signal may be
dated up to a year back, and counting it there would move a block that was published
long ago (the API's block 12 becomes 13, and a reader learns of one signal). Every
signal has one anonymous SignaalFeit (wijk, buurt, category, target groups, week
logged). While its block runs, the fact follows the signal (an edit, a withdrawal);
once the block is over the fact never changes again, whatever happens to the signal.

The pre-aggregated counts (SignaalTelling) that the dashboard, the API, the open-data
files and the shared team report read are the facts counted per week, kept in step in
the same transaction as each write here, so a block is complete the moment it ends,
and afterwards nothing writes to it: `counts_sync` only ever touches the weeks of the
block that is still running. The one exception is `facts_backfill`, for signals that
were written around the services (the demo, a benchmark, a restore) before anything
was published.

Writers hold a lock on the wijk row while they count, so two professionals saving at
once in one wijk never count over each other.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from signalen.kanon import block_start, monday_of
from signalen.models import AuditEntry, Signaal, SignaalFeit, SignaalTelling
from wijken.models import Wijk

log = logging.getLogger(__name__)

# A signal logged in the last minutes of a block counts in the next block (#15 item 4):
# its transaction may commit after the block is over, when a reader outside the team
# may already have read the block. Any write that starts before the block's last
# BLOCK_GRACE has long committed when the block ends, so a block is complete the
# moment it is over (a write that takes longer finds its block closed and counts
# nowhere, see fact_sync).
BLOCK_GRACE = datetime.timedelta(minutes=10)


def logged_week(created_at: datetime.datetime) -> datetime.date:
    """The Monday of the week in which a signal was logged (local time); in the last
    BLOCK_GRACE of a block, the first Monday of the next block."""
    week = monday_of(timezone.localdate(created_at))
    return max(week, block_start(timezone.localdate(created_at + BLOCK_GRACE)))


def open_block_start(today: datetime.date | None = None) -> datetime.date:
    """The first Monday of the block that is still running: facts and counts of this
    week and later may change, those before never do."""
    return block_start(today or timezone.localdate())


def _lock_wijken(wijk_ids: Iterable[int]) -> None:
    """Serialise the writers of these wijken's facts and counts (in pk order, so two
    writers never wait on each other crosswise)."""
    ids = sorted(set(wijk_ids))
    if ids:
        list(
            Wijk.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def _fact_matches(feit: SignaalFeit, signaal: Signaal, groups: set[int]) -> bool:
    return (
        feit.wijk_id == signaal.wijk_id
        and feit.buurt_id == signaal.buurt_id
        and feit.categorie_id == signaal.categorie_id
        and set(feit.doelgroepen.values_list("pk", flat=True)) == groups
    )


def fact_sync(
    *,
    signaal: Signaal,
    doelgroep_ids: Iterable[int] | None = None,
    new: bool = False,
    today: datetime.date | None = None,
) -> None:
    """Make the signal's fact (and the counts of its week) match the signal, while
    the block it was logged in is still running. A withdrawn signal loses its fact.
    Once that block is over this does nothing: a published block never moves.

    `doelgroep_ids` are the signal's target groups when the caller has them at hand,
    and `new` says the signal was saved just now (it has no fact yet): each saves a
    query at intake. Runs inside the caller's transaction (the signal's own write),
    so a block is complete the moment it ends."""
    first_open = open_block_start(today)
    week = logged_week(signaal.created_at)
    if week < first_open:
        if new:
            log.warning(
                "signal %s was logged in a block that is over: not counted", signaal.pk
            )
        return
    feit = None if new else SignaalFeit.objects.filter(signaal=signaal).first()
    _lock_wijken([signaal.wijk_id] + ([feit.wijk_id] if feit else []))
    if feit is not None and feit.week < first_open:
        return
    touched = {(signaal.wijk_id, week)}
    if feit is not None:
        touched.add((feit.wijk_id, feit.week))
    if signaal.withdrawn_at is not None:
        if feit is None:
            return
        feit.delete()
    else:
        groups = set(
            signaal.doelgroepen.values_list("pk", flat=True)
            if doelgroep_ids is None
            else doelgroep_ids
        )
        if feit is None:
            feit = SignaalFeit.objects.create(
                signaal=signaal,
                wijk_id=signaal.wijk_id,
                buurt_id=signaal.buurt_id,
                categorie_id=signaal.categorie_id,
                week=week,
            )
            through = SignaalFeit.doelgroepen.through
            if groups:
                through.objects.bulk_create(
                    [
                        through(signaalfeit=feit, doelgroep_id=pk)
                        for pk in sorted(groups)
                    ]
                )
            if new and _counts_add_one(feit, groups):
                return
        else:
            if feit.week == week and _fact_matches(feit, signaal, groups):
                return
            feit.wijk_id = signaal.wijk_id
            feit.buurt_id = signaal.buurt_id
            feit.categorie_id = signaal.categorie_id
            feit.week = week
            feit.save()
            feit.doelgroepen.set(groups)
    for wijk_id, changed_week in sorted(touched):
        _counts_write(wijk_id=wijk_id, weeks=[changed_week])


def new_signaal_rows_write(
    *, signaal: Signaal, doelgroep_ids: Iterable[int], audit: AuditEntry
) -> None:
    """Write what goes with a signal saved just now, in the caller's transaction: its
    target groups, its fact (with the fact's target groups), one more in each count
    row of its week, and its (unsaved) audit entry. On PostgreSQL that is two round
    trips, where the ORM needs seven (issue 17 item 1: the quick-log POST waits on
    every one): the wijk's lock first, so no other writer counts this wijk
    meanwhile, then one statement for the rest. A count row that is not there yet
    (the first signal of its kind in a week) is left to the recount from the facts,
    as on other databases. None of these rows renews a generation (they are quiet
    in signalen/apps.py), so nothing is lost by writing them without the ORM."""
    groups = sorted(set(doelgroep_ids))
    week = logged_week(signaal.created_at)
    if connection.vendor != "postgresql" or week < open_block_start():
        through = Signaal.doelgroepen.through
        through.objects.bulk_create(
            [through(signaal_id=signaal.pk, doelgroep_id=pk) for pk in groups]
        )
        fact_sync(signaal=signaal, doelgroep_ids=groups, new=True)
        audit.save()
        return
    _lock_wijken([signaal.wijk_id])
    detail = AuditEntry._meta.get_field("detail")
    sql = f"""
        WITH groups AS (
            INSERT INTO {Signaal.doelgroepen.through._meta.db_table}
                (signaal_id, doelgroep_id)
            SELECT %(signaal)s, unnest(%(groups)s::bigint[])
        ), feit AS (
            INSERT INTO {SignaalFeit._meta.db_table}
                (signaal_id, wijk_id, buurt_id, categorie_id, week)
            VALUES (%(signaal)s, %(wijk)s, %(buurt)s, %(categorie)s, %(week)s)
            RETURNING id
        ), feit_groups AS (
            INSERT INTO {SignaalFeit.doelgroepen.through._meta.db_table}
                (signaalfeit_id, doelgroep_id)
            SELECT feit.id, g FROM feit, unnest(%(groups)s::bigint[]) AS g
        ), audit AS (
            INSERT INTO {AuditEntry._meta.db_table}
                (actor_id, action, signaal_id, wijk_id, detail, created_at)
            VALUES (%(actor)s, %(action)s, %(signaal)s, %(audit_wijk)s, %(detail)s,
                    %(created_at)s)
        ), added AS (
            UPDATE {SignaalTelling._meta.db_table} SET count = count + 1
            WHERE wijk_id = %(wijk)s AND categorie_id = %(categorie)s
                AND week = %(week)s
                AND ((buurt_id IS NULL AND doelgroep_id IS NULL)
                     OR (buurt_id = %(buurt)s AND doelgroep_id IS NULL)
                     OR (buurt_id IS NULL
                         AND doelgroep_id = ANY(%(groups)s::bigint[])))
            RETURNING 1
        )
        SELECT count(*) FROM added
    """  # noqa: S608 - table names from the models; every value is a parameter
    params = {
        "signaal": signaal.pk,
        "groups": groups,
        "wijk": signaal.wijk_id,
        "buurt": signaal.buurt_id,
        "categorie": signaal.categorie_id,
        "week": week,
        "actor": audit.actor_id,
        "action": audit.action,
        "audit_wijk": audit.wijk_id,
        "detail": detail.get_db_prep_save(audit.detail, connection),
        "created_at": audit.created_at or timezone.now(),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (added,) = cursor.fetchone()
    wanted = 1 + (signaal.buurt_id is not None) + len(groups)
    if added != wanted:
        _counts_write(wijk_id=signaal.wijk_id, weeks=[week])


def facts_sync(*, wijk: Wijk, today: datetime.date | None = None) -> None:
    """Bring the facts and counts of the block that is still running in step with
    the wijk's signals (signals saved around the services, say by the admin); closed
    blocks are left alone. Runs inside the caller's transaction."""
    first_open = open_block_start(today)
    _lock_wijken([wijk.pk])
    start = (
        timezone.make_aware(datetime.datetime.combine(first_open, datetime.time()))
        - BLOCK_GRACE
    )
    signals = (
        Signaal.objects.filter(wijk=wijk, created_at__gte=start)
        .order_by("pk")
        .prefetch_related("doelgroepen")
    )
    wanted = {
        s.pk: (
            s.buurt_id,
            s.categorie_id,
            frozenset(d.pk for d in s.doelgroepen.all()),
            logged_week(s.created_at),
        )
        for s in signals
        if s.withdrawn_at is None
    }
    facts = {
        f.signaal_id: f
        for f in SignaalFeit.objects.filter(
            signaal_id__in=list(wanted)
        ).prefetch_related("doelgroepen")
    }
    # Facts of this wijk's open block whose signal went elsewhere, or went.
    stale = SignaalFeit.objects.filter(wijk=wijk, week__gte=first_open).exclude(
        signaal_id__in=list(wanted)
    )
    weeks = set(stale.values_list("week", flat=True))
    stale.delete()
    missing: list[tuple[SignaalFeit, frozenset[int]]] = []
    for signaal_id, (buurt_id, categorie_id, groups, week) in wanted.items():
        feit = facts.get(signaal_id)
        if feit is not None and feit.week < first_open:
            continue  # counted in a block that is over: frozen
        if feit is not None and (
            feit.wijk_id,
            feit.buurt_id,
            feit.categorie_id,
            frozenset(d.pk for d in feit.doelgroepen.all()),
            feit.week,
        ) == (wijk.pk, buurt_id, categorie_id, groups, week):
            continue
        weeks.add(week)
        if feit is None:  # made below, all in one insert
            missing.append(
                (
                    SignaalFeit(
                        signaal_id=signaal_id,
                        wijk_id=wijk.pk,
                        buurt_id=buurt_id,
                        categorie_id=categorie_id,
                        week=week,
                    ),
                    groups,
                )
            )
            continue
        feit.wijk_id, feit.buurt_id, feit.categorie_id = wijk.pk, buurt_id, categorie_id
        feit.week = week
        feit.save()
        feit.doelgroepen.set(groups)
    if missing:
        made = SignaalFeit.objects.bulk_create([feit for feit, _ in missing])
        through = SignaalFeit.doelgroepen.through
        through.objects.bulk_create(
            [
                through(signaalfeit_id=feit.pk, doelgroep_id=pk)
                for feit, (_, groups) in zip(made, missing, strict=True)
                for pk in sorted(groups)
            ]
        )
    open_weeks = [first_open + datetime.timedelta(weeks=i) for i in range(4)]
    _counts_write(wijk_id=wijk.pk, weeks=sorted(set(open_weeks) | weeks))


def facts_backfill(*, wijk_ids: Iterable[int]) -> int:
    """Give every signal of these wijken that has none a fact, in the week it was
    logged, whatever its block, and recount those weeks. Only for signals written
    around the services before anything was published (the demo, a benchmark): on a
    live site this would move published blocks. Returns the number of facts made."""
    ids = sorted(set(wijk_ids))
    made = 0
    with transaction.atomic():
        _lock_wijken(ids)
        missing = (
            Signaal.objects.filter(
                wijk_id__in=ids, withdrawn_at__isnull=True, feit__isnull=True
            )
            .order_by("pk")
            .prefetch_related("doelgroepen")
        )
        touched: set[tuple[int, datetime.date]] = set()
        for signaal in missing:
            week = logged_week(signaal.created_at)
            feit = SignaalFeit.objects.create(
                signaal=signaal,
                wijk_id=signaal.wijk_id,
                buurt_id=signaal.buurt_id,
                categorie_id=signaal.categorie_id,
                week=week,
            )
            feit.doelgroepen.set(signaal.doelgroepen.all())
            touched.add((signaal.wijk_id, week))
            made += 1
        by_wijk: dict[int, set[datetime.date]] = {}
        for wijk_id, week in touched:
            by_wijk.setdefault(wijk_id, set()).add(week)
        for wijk_id, weeks in sorted(by_wijk.items()):
            _counts_write(wijk_id=wijk_id, weeks=sorted(weeks))
    return made


def _counts_add_one(feit: SignaalFeit, groups: set[int]) -> bool:
    """A new fact adds one to each of its count rows (the whole wijk, its buurt, each
    of its target groups) in one UPDATE, instead of recounting its week (three reads
    and a write at every intake). True when every row was there exactly once; False
    leaves the rows to `_counts_write`, which recounts them from the facts (the first
    signal of its kind in a week, or rows written twice). The caller holds the wijk's
    lock, so no other writer counts this wijk meanwhile."""
    keys = Q(buurt__isnull=True, doelgroep__isnull=True)
    wanted = 1
    if feit.buurt_id is not None:
        keys |= Q(buurt_id=feit.buurt_id, doelgroep__isnull=True)
        wanted += 1
    if groups:
        keys |= Q(buurt__isnull=True, doelgroep_id__in=sorted(groups))
        wanted += len(groups)
    added = (
        SignaalTelling.objects.filter(
            keys, wijk_id=feit.wijk_id, categorie_id=feit.categorie_id, week=feit.week
        )
        .order_by()
        .update(count=F("count") + 1)
    )
    return added == wanted


def _counts_write(*, wijk_id: int, weeks: list[datetime.date]) -> None:
    """Recount the wijk's SignaalTelling rows of these weeks from the facts (three
    groupings: the whole wijk, per buurt, per doelgroep), writing only what differs.
    The caller holds the wijk's lock."""
    if not weeks:
        return
    facts = SignaalFeit.objects.filter(wijk_id=wijk_id, week__in=weeks)
    wanted: dict[tuple[int | None, int, int | None, datetime.date], int] = {}
    # Per buurt (none included) in one query; the whole wijk is their sum.
    for categorie_id, buurt_id, week, n in (
        facts.values_list("categorie_id", "buurt_id", "week")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        whole = (None, categorie_id, None, week)
        wanted[whole] = wanted.get(whole, 0) + n
        if buurt_id is not None:
            wanted[(buurt_id, categorie_id, None, week)] = n
    for categorie_id, doelgroep_id, week, n in (
        facts.filter(doelgroepen__isnull=False)
        .values_list("categorie_id", "doelgroepen", "week")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        wanted[(None, categorie_id, doelgroep_id, week)] = n
    stale: list[int] = []
    changed: list[SignaalTelling] = []
    for pk, buurt_id, categorie_id, doelgroep_id, week, n in (
        SignaalTelling.objects.filter(wijk_id=wijk_id, week__in=weeks)
        .order_by()
        .values_list("pk", "buurt_id", "categorie_id", "doelgroep_id", "week", "count")
    ):
        count = wanted.pop((buurt_id, categorie_id, doelgroep_id, week), None)
        if count is None:
            stale.append(pk)
        elif count != n:
            changed.append(SignaalTelling(pk=pk, count=count))
    if stale:
        SignaalTelling.objects.filter(pk__in=stale).delete()
    if changed:
        SignaalTelling.objects.bulk_update(changed, ["count"])
    if wanted:
        SignaalTelling.objects.bulk_create(
            [
                SignaalTelling(
                    wijk_id=wijk_id,
                    buurt_id=buurt_id,
                    categorie_id=categorie_id,
                    doelgroep_id=doelgroep_id,
                    week=week,
                    count=n,
                )
                for (buurt_id, categorie_id, doelgroep_id, week), n in wanted.items()
            ]
        )

# mypy: disallow-untyped-defs, disallow-incomplete-defs, warn-return-any
"""A theme's figures outside the team, frozen per 4-week block (#15 item 4).

Outside the team (the officer's page and CSV, the public theme and wijk pages, the
API, the open data, the escalation snapshot, the size bands of the bewonersagenda and
the wijkbudget, the shared team report) a theme shows only whole 4-week blocks that
are over. A roll-up run, a correction by the team (merge, split, move, "hoort er niet
bij") and the 180-day window all change which signals a theme holds, so counting its
members again on every page would move a block that readers already saw: a reader
comparing two days learns that one signal moved.

The rule, in plain words: **once a block is over, a theme's number for that block is
fixed the first time it is shown, and never changes again.** A signal that joins or
leaves the theme later changes only the blocks that are still to come. Each signal
counts in the block in which it was logged (signalen.intake.facts), and a signal
logged in the last minutes of a block counts in the next one, so a block is complete
the moment it is over.

One row per theme (ThemaGepubliceerd): the blocks before `through`, written by the
first reader after a block is over (conditional writes: two readers at once give one
figure, the first). Nothing ever rewrites a block that is in the row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count
from django.utils import timezone

from signalen.intake.facts import open_block_start
from signalen.kanon import block_start
from signalen.models import ThemaGepubliceerd, ThemaLid


def members_per_block(
    thema_ids: list[int], *, since: datetime.date | None, before: datetime.date
) -> dict[int, dict[str, int]]:
    """The members (not withdrawn) of these themes now, per block in which they were
    logged, for the blocks from `since` (None: all) to before `before`:
    {theme pk: {first Monday of the block (ISO): members}}. One query."""
    found: dict[int, dict[str, int]] = {pk: {} for pk in thema_ids}
    if not thema_ids:
        return found
    members = ThemaLid.objects.filter(
        thema_id__in=thema_ids,
        signaal__withdrawn_at__isnull=True,
        signaal__feit__week__lt=before,
    )
    if since is not None:
        members = members.filter(signaal__feit__week__gte=since)
    by_block: dict[tuple[int, str], int] = defaultdict(int)
    for thema_id, week, n in (
        members.values("thema_id", "signaal__feit__week")
        .annotate(n=Count("pk"))
        .values_list("thema_id", "signaal__feit__week", "n")
        .order_by()
    ):
        by_block[(thema_id, block_start(week).isoformat())] += n
    for (thema_id, start), n in sorted(by_block.items()):
        found[thema_id][start] = n
    return found


def themes_publish(
    thema_ids: list[int],
    *,
    until: datetime.date,
    today: datetime.date | None = None,
) -> dict[int, ThemaGepubliceerd]:
    """The frozen figures of these themes, first fixing every block before `until`
    that is over and not fixed yet (from the members now). Blocks already fixed are
    never written again. One query when nothing is new."""
    target = min(until, open_block_start(today))
    rows = {
        row.thema_id: row
        for row in ThemaGepubliceerd.objects.filter(thema_id__in=thema_ids)
    }
    behind = [pk for pk in thema_ids if pk not in rows or rows[pk].through < target]
    if not behind:
        return rows
    now = timezone.now()
    fresh = [pk for pk in behind if pk not in rows]
    if fresh:
        live = members_per_block(fresh, since=None, before=target)
        ThemaGepubliceerd.objects.bulk_create(
            [
                ThemaGepubliceerd(
                    thema_id=pk, through=target, counts=live[pk], published_at=now
                )
                for pk in fresh
            ],
            ignore_conflicts=True,  # another reader fixed it first: theirs stands
        )
    for pk in behind:
        row = rows.get(pk)
        if row is None:
            continue
        added = members_per_block([pk], since=row.through, before=target)[pk]
        # Only blocks the row does not hold; conditional on `through`, so of two
        # readers at once only the first writes.
        ThemaGepubliceerd.objects.filter(pk=pk, through=row.through).update(
            counts={**added, **row.counts}, through=target, published_at=now
        )
    rows.update(
        {
            row.thema_id: row
            for row in ThemaGepubliceerd.objects.filter(thema_id__in=behind)
        }
    )
    return rows

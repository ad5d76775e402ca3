"""The theme members per 4-week block, written once per roll-up run instead of counted
on every page (issue 17 item 3).

A theme's members that are not withdrawn, per block in which they were logged (their
SignaalFeit). Outside the team a theme shows only the figures of blocks that are over,
frozen when first shown (ThemaGepubliceerd, signalen.themes.queries); these counts
are what the blocks are frozen from. Counting them
joins the members with the signals: ~200 ms in the busiest wijk of a million signals,
on every page made after a run. The run already knows when the members change, so it
writes the counts of the whole wijk into one row (`ThemaBlokTelling`) and the pages
read that row in one query.

Who keeps the row true:

- `rollup_finished`, called once at the end of every successful run, in the run's
  transaction: writes the row and renews the parts of the wijk the run changed;
- the team's corrections (move, merge, split, attach, "hoort er niet bij") write it
  again through `theme_blocks_write`;
- a withdrawn signal leaves the counts at once: `signaal_withdraw` deletes the row
  (intake may not import this package), and the readers count live until the run it
  schedules writes the row again.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from signalen.kanon import block_start
from signalen.models import ThemaBlokTelling, ThemaLid, WijkThema
from wijken import generations
from wijken.models import Wijk

log = logging.getLogger(__name__)

# Called with a wijk's id once a successful run has committed, to make ahead what the
# pages show of the wijk, so the first reader after the run does not wait for it. The
# pages above signalen plug in here (dashboard.apps), as intake's confirm panels do.
AFTER_RUN: list[Callable[[int], None]] = []

# What a successful run changes of its wijk (see wijken.generations.PARTS): the
# signal counts (counts_rebuild), the members, and the themes with their freshness.
RUN_PARTS = ("signalen", "leden", "themas")


def theme_blocks_count(wijk_id: int) -> dict[str, dict[str, int]]:
    """The members (not withdrawn) of every current theme of the wijk per block:
    {theme pk: {first Monday of the block: members}}. One query."""
    counts: dict[str, dict[str, int]] = {
        str(pk): {}
        for pk in WijkThema.objects.filter(
            wijk_id=wijk_id, is_current=True
        ).values_list("pk", flat=True)
    }
    by_block: dict[tuple[str, datetime.date], int] = defaultdict(int)
    for thema_id, logged_week, n in (
        ThemaLid.objects.filter(
            thema__wijk_id=wijk_id,
            thema__is_current=True,
            signaal__withdrawn_at__isnull=True,
            signaal__feit__isnull=False,
        )
        .values("thema_id", "signaal__feit__week")
        .annotate(n=Count("pk"))
        .values_list("thema_id", "signaal__feit__week", "n")
        .order_by()
    ):
        # The block in which the signal was LOGGED (signalen.intake.facts), as
        # everything outside the team counts it.
        by_block[(str(thema_id), block_start(logged_week))] += n
    for (thema, start), n in sorted(by_block.items()):
        counts.setdefault(thema, {})[start.isoformat()] = n
    return counts


def theme_blocks_write(wijk_id: int) -> ThemaBlokTelling:
    """Count the members of the wijk's themes per block and store them (one row)."""
    row, _created = ThemaBlokTelling.objects.update_or_create(
        wijk_id=wijk_id,
        defaults={
            "counts": theme_blocks_count(wijk_id),
            "written_at": timezone.now(),
        },
    )
    return row


def theme_blocks_forget(wijk_id: int) -> None:
    """The stored counts are no longer true: the readers count live until the next
    write."""
    ThemaBlokTelling.objects.filter(wijk_id=wijk_id).delete()


def rollup_finished(wijk: Wijk) -> None:
    """The end of a successful run, inside its transaction: store what the pages read
    of the new members, and renew the parts of the wijk the run changed (members and
    counts were written in bulk, which sends no model signals)."""
    theme_blocks_write(wijk.pk)
    generations.bump(wijk_ids=[wijk.pk], domains=RUN_PARTS)
    wijk_id = wijk.pk
    transaction.on_commit(lambda: _after_run(wijk_id))


def _after_run(wijk_id: int) -> None:
    for prepare in AFTER_RUN:
        try:
            prepare(wijk_id)
        except Exception:  # making a page ahead must never fail the run
            log.exception("could not prepare the pages of wijk %s", wijk_id)

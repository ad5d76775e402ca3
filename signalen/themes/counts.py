"""The pre-aggregated counts of a wijk (SignaalTelling), kept by every run."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from signalen.intake.facts import facts_sync
from signalen.models import SignaalTelling
from wijken.models import Wijk


def counts_rebuild(wijk: Wijk, *, weeks: Iterable[datetime.date] | None = None) -> int:
    """Bring the wijk's pre-aggregated counts of the block that is still running in
    step with its signals (signalen.intake.facts): the counts outside the team follow
    the week a signal was LOGGED, and blocks that are over are never written again, so
    a published block never moves. The intake keeps the counts in step already; this
    catches signals saved around the services. ``weeks`` (the weeks an incremental run
    took in) changes nothing: only the running block is ever written, and it is small.
    Returns the number of count rows the wijk has afterwards. Runs inside the caller's
    transaction."""
    del weeks
    facts_sync(wijk=wijk)
    return SignaalTelling.objects.filter(wijk=wijk).count()

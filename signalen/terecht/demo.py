"""Demo data for "Waar kan iemand terecht?": some blocks of "informele hulp eerst
aangeboden" for the team's first wijk, so that the team report shows the count (the
places, contact and initiatives the card shows come from wijken/demo_plekken.py and
initiatieven/demo.py). Loading twice changes nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from signalen.kanon import BLOCK_SPAN, block_start
from signalen.models import InformeleHulpTelling
from wijken.models import Wijk

# Taps per block, oldest first, ending with the block before the running one: most
# at least K, one block below it (the report shows it as "verborgen").
DEMO_OFFERED = (6, 9, 3, 11, 8, 12)


def demo_terecht_load(*, wijk: Wijk, today: datetime.date | None = None) -> int:
    last = block_start(today or timezone.localdate()) - BLOCK_SPAN
    blocks = [last - BLOCK_SPAN * i for i in range(len(DEMO_OFFERED))][::-1]
    for block, count in zip(blocks, DEMO_OFFERED, strict=True):
        InformeleHulpTelling.objects.update_or_create(
            wijk=wijk, block=block, defaults={"count": count}
        )
    return len(blocks)

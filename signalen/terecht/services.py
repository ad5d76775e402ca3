"""Waar kan iemand terecht?: the one write, counting that informal help was offered
first. It stores one number per wijk per 4-week block, nothing about who tapped or
for which signal (signalen.models.terecht)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from signalen.kanon import block_start
from signalen.models import InformeleHulpTelling
from wijken.models import Wijk


def offered_add(*, wijk: Wijk, today: datetime.date | None = None) -> None:
    """One more offer in the wijk's running block. Safe when two taps race: the row
    is made once (unique per wijk and block), the count goes up in the database."""
    block = block_start(today or timezone.localdate())
    updated = InformeleHulpTelling.objects.filter(wijk=wijk, block=block).update(
        count=F("count") + 1
    )
    if updated:
        return
    try:
        with transaction.atomic():
            InformeleHulpTelling.objects.create(wijk=wijk, block=block, count=1)
    except IntegrityError:
        InformeleHulpTelling.objects.filter(wijk=wijk, block=block).update(
            count=F("count") + 1
        )

"""Reads for the quick-log form. (Belongs with the intake queries; it lives in its own
module while signalen/queries.py is being split.)"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from signalen.models import Signaal
from wijken.models import Wijk


def last_wijk_of_author(*, author: User, wijken: QuerySet[Wijk]) -> Wijk | None:
    """The wijk of the author's latest signal, if it is still one of `wijken`.

    The form opens on the wijk someone worked in last, also after logging in again
    (the session forgets it): a professional in Oosterpark should not have to change
    the wijk for every signal.
    """
    wijk_id = (
        Signaal.objects.filter(author=author, wijk__in=wijken)
        .order_by("-created_at", "-pk")
        .values_list("wijk_id", flat=True)
        .first()
    )
    if wijk_id is None:
        return None
    return wijken.filter(pk=wijk_id).first()

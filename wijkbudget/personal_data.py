"""What the wijkbudget holds about one person, for the privacy download (privacy/):
the rounds they voted in (never how: the ballot does not know), the requests they
submitted and the spending they accounted for."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from wijkbudget.models import Aanvraag, Stemmer, Uitgave


def personal_data(user: User) -> dict[str, Any]:
    return {
        "budget_votes": [
            {
                "title": s.ronde.title,
                "wijk": s.ronde.wijk.name,
                "voted_on": s.voted_on.isoformat(),
            }
            for s in Stemmer.objects.filter(user=user)
            .select_related("ronde", "ronde__wijk")
            .order_by("voted_on", "pk")
        ],
        "budget_requests": [
            {
                "title": a.initiatief.title,
                "round": a.ronde.title,
                "amount": a.amount,
                "purpose": a.purpose,
                "created_at": a.created_at.isoformat(),
            }
            for a in Aanvraag.objects.filter(submitted_by=user)
            .select_related("ronde", "initiatief")
            .order_by("pk")
        ],
        "budget_spending": [
            {
                "amount": str(u.amount),
                "text": u.text,
                "spent_on": u.spent_on.isoformat(),
            }
            for u in Uitgave.objects.filter(author=user).order_by("pk")
        ],
    }


def personal_data_size(user: User) -> int:
    return (
        Stemmer.objects.filter(user=user).count()
        + Aanvraag.objects.filter(submitted_by=user).count()
        + Uitgave.objects.filter(author=user).count()
    )

"""What the bewonersagenda holds about one resident, for the AVG download
(privacy/services.py): the concerns they raised and the ones they co-signed."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from bewonersagenda.models import Agendapunt, Steun


def personal_data(user: User) -> dict[str, Any]:
    return {
        "punten_aangedragen": [
            {
                "titel": a.title,
                "toelichting": a.text,
                "wijk": a.wijk.name,
                "datum": a.created_at.isoformat(),
            }
            for a in Agendapunt.objects.filter(author=user).select_related("wijk")
        ],
        "punten_gesteund": [
            {"titel": s.agendapunt.title, "datum": s.created_at.isoformat()}
            for s in Steun.objects.filter(user=user).select_related("agendapunt")
        ],
    }


def personal_data_size(user: User) -> int:
    return (
        Agendapunt.objects.filter(author=user).count()
        + Steun.objects.filter(user=user).count()
    )

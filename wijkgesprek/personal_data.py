"""What the wijkgesprek holds about one resident, for the AVG download
(privacy/services.py): that they want to chair, and the meetings they chaired."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from wijkgesprek.models import Voorzitter, Wijkgesprek


def personal_data(user: User) -> dict[str, Any]:
    return {
        "wil_voorzitter_zijn": [
            {"wijk": v.wijk.name, "datum": v.created_at.isoformat()}
            for v in Voorzitter.objects.filter(user=user).select_related("wijk")
        ],
        "voorzitter_van": [
            {"wijk": g.wijk.name, "datum": g.starts_at.isoformat()}
            for g in Wijkgesprek.objects.filter(chair=user).select_related("wijk")
        ],
    }


def personal_data_size(user: User) -> int:
    return (
        Voorzitter.objects.filter(user=user).count()
        + Wijkgesprek.objects.filter(chair=user).count()
    )

"""What peilingen holds about one resident, for the AVG download (privacy/services.py).

Their answers are not linked to them (that is the point of the secret ballot), so the
download can only say which surveys they answered online and which rounds they helped.
Removing the account removes both (cascade)."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from peilingen.models import PeilingDeelname, Ronde


def personal_data(user: User) -> dict[str, Any]:
    return {
        "peilingen_ingevuld": [
            {"peiling": d.peiling.title, "wijk": d.peiling.wijk.name}
            for d in PeilingDeelname.objects.filter(user=user).select_related(
                "peiling__wijk"
            )
        ],
        "rondes_als_vrijwilliger": [
            {"peiling": r.peiling.title, "datum": r.date.isoformat()}
            for r in Ronde.objects.filter(helpers=user).select_related("peiling")
        ],
    }


def personal_data_size(user: User) -> int:
    return (
        PeilingDeelname.objects.filter(user=user).count()
        + Ronde.objects.filter(helpers=user).count()
    )

"""What buurtverbinders holds about one resident, for the AVG download."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from buurtverbinders.models import Koppeling, Logregel, Toestemming, Verbinder


def personal_data(user: User) -> dict[str, Any]:
    consent = Toestemming.objects.filter(user=user).select_related("wijk").first()
    return {
        "toestemming": (
            {
                "wijk": consent.wijk.name,
                "welkom_heten": consent.welcome,
                "aanbod_zichtbaar": consent.share_offer,
                "tekst": consent.consent_text,
                "datum": consent.given_at.isoformat(),
                "welkom_geheten_op": (
                    consent.welcomed_at.isoformat() if consent.welcomed_at else None
                ),
            }
            if consent
            else None
        ),
        "rollen": [
            {
                "wijk": v.wijk.name,
                "sinds": v.granted_at.isoformat(),
                "ingetrokken": v.revoked_at.isoformat() if v.revoked_at else None,
            }
            for v in Verbinder.objects.filter(user=user).select_related("wijk")
        ],
        "koppelingen_als_helper": [
            {
                "initiatief": k.behoefte.initiatief.title,
                "vraag": k.behoefte.description,
                "status": k.status,
                "datum": k.created_at.isoformat(),
            }
            for k in Koppeling.objects.filter(helper=user).select_related(
                "behoefte__initiatief"
            )
        ],
        # Matches this resident said yes to for an initiative they organise: only
        # they (not another organiser) exchanged contact with the helper.
        "koppelingen_bevestigd_als_organisator": [
            {
                "initiatief": k.behoefte.initiatief.title,
                "vraag": k.behoefte.description,
                "status": k.status,
                "bevestigd_op": (
                    k.need_confirmed_at.isoformat() if k.need_confirmed_at else None
                ),
            }
            for k in Koppeling.objects.filter(need_confirmed_by=user).select_related(
                "behoefte__initiatief"
            )
        ],
        "logboek": [
            {"soort": r.kind, "datum": r.date.isoformat(), "notitie": r.note}
            for r in Logregel.objects.filter(verbinder=user)
        ],
    }


def personal_data_size(user: User) -> int:
    return (
        Toestemming.objects.filter(user=user).count()
        + Verbinder.objects.filter(user=user).count()
        + Koppeling.objects.filter(helper=user).count()
        + Koppeling.objects.filter(need_confirmed_by=user).count()
        + Logregel.objects.filter(verbinder=user).count()
    )

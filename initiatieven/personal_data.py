"""What initiatieven holds of one person, for their data download (privacy/)."""

from __future__ import annotations

from typing import Any

from initiatieven.models import (
    Aanbod,
    Afspraak,
    Behoefte,
    Bericht,
    Bijeenkomst,
    Deelname,
    Initiatief,
    Melding,
    Meldingsvoorkeur,
    Notificatie,
    Volger,
)


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def _initiatief_ref(initiatief: Initiatief | None) -> dict[str, Any] | None:
    if initiatief is None:
        return None
    return {
        "id": initiatief.pk,
        "title": initiatief.title,
        "url": initiatief.get_absolute_url(),
    }


def personal_data(user: Any) -> dict[str, Any]:
    """Everything of this person in initiatieven: initiatives they own or co-organise
    (with the needs posted there), participations, follows, offer, notification
    preference and notices, reports they filed, updates and meetings they wrote, and
    agreements given to them. Other people appear in it only as an initiative's
    title, never by name."""
    co_through = Initiatief.co_organisers.through.objects.filter(user_id=user.pk)

    def initiatief_row(i: Initiatief) -> dict[str, Any]:
        return {
            "id": i.pk,
            "title": i.title,
            "summary": i.summary,
            "description": i.description,
            "wijk": i.wijk.name,
            "status": i.status,
            "where": i.where,
            "when": i.when,
            "is_hidden": i.is_hidden,
            "created_at": _iso(i.created_at),
            "url": i.get_absolute_url(),
            "needs": [
                {
                    "kind": b.kind,
                    "description": b.description,
                    "is_met": b.is_met,
                    "created_at": _iso(b.created_at),
                }
                for b in i.behoeften.all()
            ],
        }

    owned = (
        Initiatief.objects.filter(owner_id=user.pk)
        .select_related("wijk")
        .prefetch_related("behoeften")
        .order_by("pk")
    )
    co_organised = (
        Initiatief.objects.filter(pk__in=co_through.values("initiatief_id"))
        .select_related("wijk")
        .prefetch_related("behoeften")
        .order_by("pk")
    )
    aanbod = Aanbod.objects.filter(user_id=user.pk).first()
    voorkeur = Meldingsvoorkeur.objects.filter(user_id=user.pk).first()
    return {
        "initiatives_owned": [initiatief_row(i) for i in owned],
        "initiatives_co_organised": [initiatief_row(i) for i in co_organised],
        "participations": [
            {
                "initiative": _initiatief_ref(d.initiatief),
                "kind": d.kind,
                "show_name": d.show_name,
                "created_at": _iso(d.created_at),
            }
            for d in Deelname.objects.filter(user_id=user.pk)
            .select_related("initiatief")
            .order_by("pk")
        ],
        "follows": [
            {"initiative": _initiatief_ref(v.initiatief), "since": _iso(v.created_at)}
            for v in Volger.objects.filter(user_id=user.pk)
            .select_related("initiatief")
            .order_by("pk")
        ],
        "offer": (
            {
                "talents": aanbod.talents,
                "kinds": list(aanbod.kinds or []),
                "hours_per_month": aanbod.hours_per_month,
                "updated_at": _iso(aanbod.updated_at),
            }
            if aanbod is not None
            else None
        ),
        "notification_preference": (
            {"frequency": voorkeur.frequency, "updated_at": _iso(voorkeur.updated_at)}
            if voorkeur is not None
            else None
        ),
        "notifications": [
            {
                "initiative": _initiatief_ref(n.initiatief),
                "title": n.title,
                "text": n.text,
                "url": n.url,
                "created_at": _iso(n.created_at),
                "sent_at": _iso(n.sent_at),
            }
            for n in Notificatie.objects.filter(user_id=user.pk)
            .select_related("initiatief")
            .order_by("pk")
        ],
        "reports_filed": [
            {
                "initiative": _initiatief_ref(m.initiatief),
                "update_id": m.bericht_id,
                "reason": m.reason,
                "text": m.text,
                "status": m.status,
                "created_at": _iso(m.created_at),
            }
            for m in Melding.objects.filter(reporter_id=user.pk)
            .select_related("initiatief")
            .order_by("pk")
        ],
        "updates_written": [
            {
                "initiative": _initiatief_ref(b.initiatief),
                "title": b.title,
                "text": b.text,
                "is_hidden": b.is_hidden,
                "created_at": _iso(b.created_at),
            }
            for b in Bericht.objects.filter(author_id=user.pk)
            .select_related("initiatief")
            .order_by("pk")
        ],
        "meetings_planned": [
            {
                "initiative": _initiatief_ref(b.initiatief),
                "starts_at": _iso(b.starts_at),
                "place": b.place,
                "agenda": b.agenda,
                "created_at": _iso(b.created_at),
            }
            for b in Bijeenkomst.objects.filter(created_by_id=user.pk)
            .select_related("initiatief")
            .order_by("pk")
        ],
        "agreements": [
            {
                "initiative": _initiatief_ref(a.bijeenkomst.initiatief),
                "meeting_starts_at": _iso(a.bijeenkomst.starts_at),
                "description": a.description,
                "due_date": a.due_date.isoformat(),
            }
            for a in Afspraak.objects.filter(who_user_id=user.pk)
            .select_related("bijeenkomst__initiatief")
            .order_by("pk")
        ],
        # A beheerder's moderation work: how much, not about whom.
        "reports_handled": Melding.objects.filter(handled_by_id=user.pk).count(),
    }


def personal_data_size(user: Any) -> int:
    """About how many rows personal_data(user) reads."""
    co_through = Initiatief.co_organisers.through.objects.filter(user_id=user.pk)
    return sum(
        qs.count()
        for qs in (
            Initiatief.objects.filter(owner_id=user.pk),
            Behoefte.objects.filter(initiatief__owner_id=user.pk),
            co_through,
            Deelname.objects.filter(user_id=user.pk),
            Volger.objects.filter(user_id=user.pk),
            Notificatie.objects.filter(user_id=user.pk),
            Melding.objects.filter(reporter_id=user.pk),
            Bericht.objects.filter(author_id=user.pk),
            Bijeenkomst.objects.filter(created_by_id=user.pk),
            Afspraak.objects.filter(who_user_id=user.pk),
        )
    )

"""What signalen holds of one person, for their data download."""

from __future__ import annotations

import datetime

from accounts.models import User
from signalen.models import (
    AuditEntry,
    Signaal,
)


def personal_data(user: User) -> dict[str, object]:
    """What signalen holds of this person.

    A resident: the public themes they adopted and the progress they wrote there. Staff:
    only how much they did (signals logged, themes and goals worked on, escalations).
    Signals are the team's work about the wijk, not about the professional, and never
    hold a resident's personal data; their text is never part of an export, and
    nothing here reads what colleagues wrote.
    """
    from signalen.models import (
        DoelVoortgang,
        Escalatie,
        ThemaGebeurtenis,
        ThemaTrekker,
        ThemaVoortgang,
        WijkDoel,
    )

    def iso(moment: datetime.datetime | None) -> str | None:
        return moment.isoformat() if moment is not None else None

    data: dict[str, object] = {
        "themes_adopted": [
            {
                "theme": t.thema.public_title or str(t.thema.display_name),
                "wijk": t.thema.wijk.name,
                "show_name": t.show_name,
                "since": iso(t.created_at),
            }
            for t in ThemaTrekker.objects.filter(user_id=user.pk)
            .select_related("thema__wijk")
            .order_by("pk")
        ],
        "theme_progress_written": [
            {
                "theme": v.thema.public_title or str(v.thema.display_name),
                "text": v.text,
                "is_hidden": v.is_hidden,
                "created_at": iso(v.created_at),
            }
            for v in ThemaVoortgang.objects.filter(author_id=user.pk)
            .select_related("thema")
            .order_by("pk")
        ],
    }
    if user.role != "bewoner":
        data["work_counts"] = {
            "signals_logged": Signaal.objects.filter(author_id=user.pk).count(),
            "signals_withdrawn": Signaal.objects.filter(
                author_id=user.pk, withdrawn_at__isnull=False
            ).count(),
            "audit_log_entries": AuditEntry.objects.filter(actor_id=user.pk).count(),
            "theme_changes": ThemaGebeurtenis.objects.filter(actor_id=user.pk).count(),
            "escalations_sent": Escalatie.objects.filter(sent_by_id=user.pk).count(),
            "escalations_handled": Escalatie.objects.filter(
                handled_by_id=user.pk
            ).count(),
            "goals_created": WijkDoel.objects.filter(created_by_id=user.pk).count(),
            "goal_progress_entries": DoelVoortgang.objects.filter(
                author_id=user.pk
            ).count(),
        }
    return data


def personal_data_size(user: User) -> int:
    """About how many rows personal_data(user) reads (counts count as one each)."""
    from signalen.models import ThemaTrekker, ThemaVoortgang

    return (
        ThemaTrekker.objects.filter(user_id=user.pk).count()
        + ThemaVoortgang.objects.filter(author_id=user.pk).count()
        + 8
    )

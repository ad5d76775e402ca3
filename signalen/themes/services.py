"""Wijk themes for the professionals of the team: the reads their pages use and the
writes they make (confirm, rename, dismiss, status, visibility).

The engine (signalen/themes/runs.py) owns a theme's figures; the team owns its name,
status and visibility. Every write here is atomic, checks that the actor works in the
theme's wijk and leaves a ThemaGebeurtenis behind, so the theme's history says who did
what. The team sees its own themes with their real figures: the signals are theirs.
Anything shown outside the team goes through the k-anonymity helpers in queries.py.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import can_work_in_wijk, wijken_of_user
from signalen.intake.staff_text import staff_text_scrub
from signalen.kanon import monday_of
from signalen.models import (
    AuditAction,
    AuditEntry,
    Signaal,
    ThemaGebeurtenis,
    ThemaLid,
    ThemaStatus,
    ThemaZichtbaarheid,
    WijkThema,
)
from signalen.themes.queries import rollup_freshness
from wijken.models import Wijk
from wijken.text import without_bidi_controls

NAME_MAX_LENGTH = 120
REASON_MAX_LENGTH = 500
SPARK_WEEKS = 26
EXAMPLES = 5

# Where a theme may go from each status. Dismissing needs a reason (theme_dismiss);
# "verworpen -> erkend" undoes a dismissal.
TRANSITIONS: Mapping[str, tuple[str, ...]] = {
    ThemaStatus.GESIGNALEERD: (ThemaStatus.ERKEND, ThemaStatus.VERWORPEN),
    ThemaStatus.ERKEND: (
        ThemaStatus.OPGEPAKT,
        ThemaStatus.AFGEROND,
        ThemaStatus.VERWORPEN,
    ),
    ThemaStatus.OPGEPAKT: (ThemaStatus.AFGEROND, ThemaStatus.ERKEND),
    ThemaStatus.AFGEROND: (ThemaStatus.ERKEND,),
    ThemaStatus.VERWORPEN: (ThemaStatus.ERKEND,),
}

# A theme is public only once a person of the team has looked at it and kept it.
PUBLIC_ALLOWED = (ThemaStatus.ERKEND, ThemaStatus.OPGEPAKT, ThemaStatus.AFGEROND)


class ThemeError(ValidationError):
    """A theme change the rules refuse; the message is for the user."""


# --- Reads ---------------------------------------------------------------------------


def themes_for_user(
    user: User,
    *,
    wijk: Wijk | int | None = None,
    status: str | None = None,
    include_closed: bool = False,
) -> QuerySet[WijkThema]:
    """The themes of the wijken of the user's teams (professionals only, like
    signalen_for_user: everyone else, beheerders included, gets none)."""
    themes = WijkThema.objects.filter(wijk__in=wijken_of_user(user).values("pk"))
    if wijk is not None:
        themes = themes.filter(wijk=wijk)
    if status:
        themes = themes.filter(status=status)
    if not include_closed:
        themes = themes.filter(is_current=True)
    return themes.select_related("wijk", "categorie", "status_changed_by").order_by(
        "-is_current", "-size", "pk"
    )


def theme_for_user(user: User, pk: int) -> WijkThema:
    """The theme, current or not, if the user may see it; otherwise 404."""
    thema = themes_for_user(user, include_closed=True).filter(pk=pk).first()
    if thema is None:
        raise Http404
    return thema


def _weeks(as_of: datetime.date, weeks: int) -> list[datetime.date]:
    last = monday_of(as_of)
    return [last - datetime.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def themes_weekly_counts(
    themes: Iterable[WijkThema],
    *,
    as_of: datetime.date | None = None,
    weeks: int = SPARK_WEEKS,
) -> dict[int, list[tuple[datetime.date, int]]]:
    """Per theme: its member signals (not withdrawn) per week, oldest week first, over
    the last `weeks` weeks up to as_of. One query for all themes."""
    as_of = as_of or timezone.localdate()
    mondays = _weeks(as_of, weeks)
    ids = [thema.pk for thema in themes]
    counts: dict[int, dict[datetime.date, int]] = defaultdict(dict)
    rows = (
        ThemaLid.objects.filter(
            thema_id__in=ids,
            signaal__withdrawn_at__isnull=True,
            signaal__observed_on__gte=mondays[0],
            signaal__observed_on__lte=as_of,
        )
        .values("thema_id", "signaal__observed_on")
        .annotate(n=Count("pk"))
        .values_list("thema_id", "signaal__observed_on", "n")
    )
    for thema_id, observed_on, n in rows:
        week = monday_of(observed_on)
        counts[thema_id][week] = counts[thema_id].get(week, 0) + int(n)
    return {
        thema_id: [(week, counts[thema_id].get(week, 0)) for week in mondays]
        for thema_id in ids
    }


def theme_weekly_counts(
    thema: WijkThema, *, as_of: datetime.date | None = None, weeks: int = SPARK_WEEKS
) -> list[tuple[datetime.date, int]]:
    """The theme's member signals per week (Monday, count), last 26 weeks, oldest first."""
    return themes_weekly_counts([thema], as_of=as_of, weeks=weeks)[thema.pk]


def theme_members(thema: WijkThema) -> QuerySet[Signaal]:
    """The theme's signals that still count (not withdrawn), newest first."""
    return (
        Signaal.objects.filter(thema_leden__thema=thema, withdrawn_at__isnull=True)
        .select_related("wijk", "buurt", "categorie", "bron")
        .order_by("-observed_on", "-pk")
    )


def theme_examples(thema: WijkThema, n: int = EXAMPLES) -> list[Signaal]:
    """The most recent member signals that still have their (scrubbed) text."""
    return list(
        theme_members(thema)
        .filter(text_wiped_at__isnull=True)
        .exclude(text="")
        .select_related("author")[:n]
    )


def theme_history(thema: WijkThema) -> QuerySet[ThemaGebeurtenis]:
    return thema.gebeurtenissen.select_related("actor").order_by("-created_at", "-pk")


def rollup_freshness_for_user(
    user: User,
) -> list[tuple[Wijk, datetime.datetime | None]]:
    """Per wijk of the user: when its last successful roll-up finished (None: never)."""
    wijken = list(wijken_of_user(user).defer("geometry").order_by("name"))
    finished = rollup_freshness(wijk_ids=[wijk.pk for wijk in wijken])
    return [(wijk, finished.get(wijk.pk)) for wijk in wijken]


def themes_audit_list(*, actor: User, detail: Mapping[str, Any]) -> None:
    AuditEntry.objects.create(
        actor=actor, action=AuditAction.LIST, detail={"themas": dict(detail)}
    )


def theme_audit_view(
    *, actor: User, thema: WijkThema, signaal_ids: list[int], members: int
) -> None:
    """Viewing a theme shows signal text (the examples): log it like a signal view."""
    AuditEntry.objects.create(
        actor=actor,
        action=AuditAction.VIEW,
        wijk_id=thema.wijk_id,
        detail={"thema": thema.pk, "signalen": signaal_ids, "members": members},
    )


# --- Writes --------------------------------------------------------------------------


def _locked(thema: WijkThema, actor: User) -> WijkThema:
    """The theme, locked against a roll-up run writing at the same time, after checking
    that the actor works in its wijk."""
    if not actor.is_authenticated or not can_work_in_wijk(actor, thema.wijk):
        raise ThemeError(
            _(
                "U kunt dit thema niet wijzigen. Alleen professionals van het wijkteam "
                "van deze wijk kunnen dat."
            ),
            code="forbidden",
        )
    return WijkThema.objects.select_for_update().get(pk=thema.pk)


def _event(
    thema: WijkThema, *, soort: str, actor: User, detail: Mapping[str, Any]
) -> ThemaGebeurtenis:
    return ThemaGebeurtenis.objects.create(
        thema=thema, soort=soort, actor=actor, detail=dict(detail)
    )


def _copy_back(target: WijkThema, source: WijkThema, fields: list[str]) -> None:
    for field in fields:
        setattr(target, field, getattr(source, field))


def _status_label(status: str) -> str:
    return str(ThemaStatus(status).label)


def transitions_from(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def theme_set_status(
    *, thema: WijkThema, actor: User, status: str, reason: str = ""
) -> WijkThema:
    """Move the theme to another status, if the lifecycle allows that step. Dismissing
    needs a reason; a dismissed theme goes back to visibility "team"."""
    if status not in ThemaStatus.values:
        raise ThemeError(_("Kies een status uit de lijst."), code="invalid")
    reason = " ".join((reason or "").split())
    with transaction.atomic():
        locked = _locked(thema, actor)
        old = locked.status
        if status == old:
            raise ThemeError(
                _("Dit thema heeft die status al: %(status)s.")
                % {"status": _status_label(status)},
                code="unchanged",
            )
        if status not in transitions_from(old):
            raise ThemeError(
                _(
                    "Dat kan niet: een thema met de status '%(old)s' kan niet naar "
                    "'%(new)s'."
                )
                % {"old": _status_label(old), "new": _status_label(status)},
                code="transition",
            )
        if status == ThemaStatus.VERWORPEN:
            if not reason:
                raise ThemeError(
                    _("Schrijf op waarom u dit thema verwerpt."), code="reason"
                )
            if len(reason) > REASON_MAX_LENGTH:
                raise ThemeError(
                    _("De reden is te lang: hoogstens %(max)s tekens.")
                    % {"max": REASON_MAX_LENGTH},
                    code="reason_too_long",
                )
        now = timezone.now()
        locked.status = status
        locked.status_reason = reason if status == ThemaStatus.VERWORPEN else ""
        locked.status_changed_at = now
        locked.status_changed_by = actor
        fields = ["status", "status_reason", "status_changed_at", "status_changed_by"]
        detail: dict[str, Any] = {"from": old, "to": status}
        if reason and status == ThemaStatus.VERWORPEN:
            detail["reason"] = reason
        _event(locked, soort=ThemaGebeurtenis.Soort.STATUS, actor=actor, detail=detail)
        if (
            status == ThemaStatus.VERWORPEN
            and locked.visibility != ThemaZichtbaarheid.TEAM
        ):
            # A dismissed theme is not shared outside the team: not on the public
            # wijk page, not on the gemeente's dashboard.
            shared = locked.visibility
            locked.visibility = ThemaZichtbaarheid.TEAM
            fields.append("visibility")
            _event(
                locked,
                soort=ThemaGebeurtenis.Soort.VISIBILITY,
                actor=actor,
                detail={
                    "from": shared,
                    "to": ThemaZichtbaarheid.TEAM,
                    "because": "verworpen",
                },
            )
        locked.save(update_fields=[*fields, "updated_at"])
    _copy_back(thema, locked, [*fields, "status_changed_by_id"])
    return thema


def theme_confirm(*, thema: WijkThema, actor: User) -> WijkThema:
    """The team recognises the theme as real (-> erkend)."""
    if thema.status == ThemaStatus.ERKEND:
        raise ThemeError(_("Dit thema is al erkend."), code="unchanged")
    return theme_set_status(thema=thema, actor=actor, status=ThemaStatus.ERKEND)


def theme_dismiss(*, thema: WijkThema, actor: User, reason: str) -> WijkThema:
    """The team says the theme is not a real theme (-> verworpen), with a reason."""
    return theme_set_status(
        thema=thema, actor=actor, status=ThemaStatus.VERWORPEN, reason=reason
    )


def theme_rename(*, thema: WijkThema, actor: User, name: str) -> bool:
    """Give the theme the team's own name; an empty name goes back to the system's words.
    Stored as plain text (templates escape it). Returns False when nothing changed."""
    name = " ".join(without_bidi_controls(name or "").split())
    if len(name) > NAME_MAX_LENGTH:
        raise ThemeError(
            _("De naam is te lang: hoogstens %(max)s tekens (nu %(length)s).")
            % {"max": NAME_MAX_LENGTH, "length": len(name)},
            code="too_long",
        )
    # Officers, residents and the public may read this name: no person in it.
    name = staff_text_scrub(name, wijk=thema.wijk, error=ThemeError).text
    name = name[:NAME_MAX_LENGTH]
    with transaction.atomic():
        locked = _locked(thema, actor)
        old = locked.name
        if name == old:
            return False
        locked.name = name
        locked.save(update_fields=["name", "updated_at"])
        _event(
            locked,
            soort=ThemaGebeurtenis.Soort.RENAMED,
            actor=actor,
            detail={"from": old, "to": name},
        )
    thema.name = name
    return True


def theme_set_visibility(*, thema: WijkThema, actor: User, visibility: str) -> bool:
    """Who else sees the theme. Public only once the team recognised it; a dismissed
    theme is not shared. Returns False when nothing changed."""
    if visibility not in ThemaZichtbaarheid.values:
        raise ThemeError(_("Kies wie het thema mag zien."), code="invalid")
    with transaction.atomic():
        locked = _locked(thema, actor)
        old = locked.visibility
        if visibility == old:
            return False
        if (
            visibility == ThemaZichtbaarheid.PUBLIEK
            and locked.status not in PUBLIC_ALLOWED
        ):
            raise ThemeError(
                _(
                    "Een thema wordt pas openbaar als het team het heeft erkend. "
                    "Erken het thema eerst."
                ),
                code="not_recognised",
            )
        if (
            locked.status == ThemaStatus.VERWORPEN
            and visibility != ThemaZichtbaarheid.TEAM
        ):
            raise ThemeError(
                _("Een verworpen thema deelt u niet buiten het team."),
                code="dismissed",
            )
        locked.visibility = visibility
        locked.save(update_fields=["visibility", "updated_at"])
        _event(
            locked,
            soort=ThemaGebeurtenis.Soort.VISIBILITY,
            actor=actor,
            detail={"from": old, "to": visibility},
        )
    thema.visibility = visibility
    return True


# The team's corrections and the intake suggestion live in signalen/themes/corrections.py
# (issue 16); these wrappers keep one place to import services from, without a cycle.


def signal_attach(**kwargs: Any) -> Any:
    from signalen.themes.corrections import signal_attach as attach

    return attach(**kwargs)


def signal_move(**kwargs: Any) -> Any:
    from signalen.themes.corrections import signal_move as move

    return move(**kwargs)


def signal_not_belong(**kwargs: Any) -> Any:
    from signalen.themes.corrections import signal_not_belong as not_belong

    return not_belong(**kwargs)


def theme_merge(**kwargs: Any) -> Any:
    from signalen.themes.corrections import theme_merge as merge

    return merge(**kwargs)


def theme_split(**kwargs: Any) -> Any:
    from signalen.themes.corrections import theme_split as split

    return split(**kwargs)


def theme_suggestions(signaal: Signaal, k: int = 3) -> Any:
    from signalen.themes.corrections import theme_suggestions as suggestions

    return suggestions(signaal, k=k)

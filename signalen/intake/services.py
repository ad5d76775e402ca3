# mypy: disallow-untyped-defs, disallow-incomplete-defs, warn-return-any
"""Writes of signals. Every write is atomic and leaves an audit entry.

Raw text goes through the scrubber before a transaction starts (scrubbing can take
a moment; no lock is held meanwhile) and only the scrubbed text and a count of the
removals reach the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import can_work_in_wijk
from signalen.intake.permissions import can_change_signaal, team_for_signaal
from signalen.intake.schedule import rollup_schedule_after_intake
from signalen.intake.scrubbing import ScrubResult, area_names, text_scrub
from signalen.models import (
    HOUSEHOLDS_MAX,
    SIGNAAL_TEXT_MAX_LENGTH,
    AuditAction,
    AuditEntry,
    Bron,
    Categorie,
    Doelgroep,
    Signaal,
)
from wijken import generations
from wijken.models import Buurt, Wijk

# How far back a signal may be dated.
OBSERVED_MAX_AGE = datetime.timedelta(days=366)
SCRUB_TIMEOUT = 10.0


class SignaalError(ValidationError):
    """Input the service refuses, whatever the form let through."""


def audit_log(
    *,
    actor: User | None,
    action: str,
    signaal: Signaal | None = None,
    wijk: Wijk | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        signaal=signaal,
        wijk=wijk if wijk is not None else (signaal.wijk if signaal else None),
        detail=dict(detail or {}),
    )


def observed_on_validate(
    observed_on: datetime.date, *, today: datetime.date | None = None
) -> None:
    today = today or timezone.localdate()
    if observed_on > today:
        raise SignaalError(
            _("De datum ligt in de toekomst. Kies vandaag of een eerdere dag."),
            code="future",
        )
    if observed_on < today - OBSERVED_MAX_AGE:
        raise SignaalError(
            _("De datum ligt meer dan een jaar terug. Kies een recentere dag."),
            code="too_old",
        )


def _validate(
    *,
    author: User,
    wijk: Wijk,
    buurt: Buurt | None,
    categorie: Categorie,
    doelgroepen: Iterable[Doelgroep],
    bron: Bron,
    text: str,
    households_estimate: int | None,
    observed_on: datetime.date,
    existing: Signaal | None = None,
) -> None:
    if not can_work_in_wijk(author, wijk):
        raise SignaalError(_("U werkt niet in deze wijk."), code="wijk")
    if buurt is not None and buurt.wijk_id != wijk.pk:
        raise SignaalError(_("Deze buurt hoort niet bij de wijk."), code="buurt")
    # Retired entries stay valid on signals that already carry them.
    if not categorie.is_active and (
        existing is None or existing.categorie_id != categorie.pk
    ):
        raise SignaalError(_("Deze categorie is niet meer in gebruik."), code="old")
    if not bron.is_active and (existing is None or existing.bron_id != bron.pk):
        raise SignaalError(_("Deze bron is niet meer in gebruik."), code="old")
    kept = set(existing.doelgroepen.values_list("pk", flat=True)) if existing else set()
    if any(not d.is_active and d.pk not in kept for d in doelgroepen):
        raise SignaalError(_("Een doelgroep is niet meer in gebruik."), code="old")
    if len(text) > SIGNAAL_TEXT_MAX_LENGTH:
        raise SignaalError(_("De tekst is te lang."), code="too_long")
    if households_estimate is not None and not (
        1 <= households_estimate <= HOUSEHOLDS_MAX
    ):
        raise SignaalError(_("Het aantal huishoudens klopt niet."), code="households")
    observed_on_validate(observed_on)


def signaal_create(
    *,
    author: User,
    wijk: Wijk,
    categorie: Categorie,
    bron: Bron,
    text: str,
    observed_on: datetime.date,
    buurt: Buurt | None = None,
    doelgroepen: Iterable[Doelgroep] = (),
    households_estimate: int | None = None,
    audit_detail: Mapping[str, Any] | None = None,
) -> tuple[Signaal, ScrubResult]:
    """Scrub the text and save a signal for the author's team in this wijk.

    Raises ScrubUnavailable (nothing saved) when the scrubber does not answer.
    """
    doelgroepen = list(doelgroepen)
    _validate(
        author=author,
        wijk=wijk,
        buurt=buurt,
        categorie=categorie,
        doelgroepen=doelgroepen,
        bron=bron,
        text=text,
        households_estimate=households_estimate,
        observed_on=observed_on,
    )
    team = team_for_signaal(user=author, wijk=wijk)
    if team is None:  # can_work_in_wijk passed, so a team exists; belt and braces
        raise SignaalError(_("U werkt niet in deze wijk."), code="wijk")
    result = text_scrub(text, timeout=SCRUB_TIMEOUT, keep=area_names(wijk, buurt))
    with transaction.atomic():
        signaal = Signaal.objects.create(
            wijk=wijk,
            buurt=buurt,
            categorie=categorie,
            bron=bron,
            text=result.text,
            scrub_summary=result.summary(),
            households_estimate=households_estimate,
            observed_on=observed_on,
            author=author,
            team=team,
        )
        signaal.doelgroepen.set(doelgroepen)
        audit_log(
            actor=author,
            action=AuditAction.CREATE,
            signaal=signaal,
            detail=audit_detail,
        )
        rollup_schedule_after_intake(wijk.pk)
    return signaal, result


def signaal_update(
    *,
    signaal: Signaal,
    actor: User,
    categorie: Categorie,
    bron: Bron,
    text: str,
    observed_on: datetime.date,
    buurt: Buurt | None = None,
    doelgroepen: Iterable[Doelgroep] = (),
    households_estimate: int | None = None,
) -> tuple[Signaal, ScrubResult]:
    """Change a signal (the author, within 24 hours); the text is scrubbed again.
    The wijk stays: a signal moves to another wijk by withdrawing and logging anew."""
    if not can_change_signaal(user=actor, signaal=signaal):
        raise SignaalError(
            _("Dit signaal kunt u niet meer wijzigen."), code="not_editable"
        )
    doelgroepen = list(doelgroepen)
    _validate(
        author=actor,
        wijk=signaal.wijk,
        buurt=buurt,
        categorie=categorie,
        doelgroepen=doelgroepen,
        bron=bron,
        text=text,
        households_estimate=households_estimate,
        observed_on=observed_on,
        existing=signaal,
    )
    result = text_scrub(
        text, timeout=SCRUB_TIMEOUT, keep=area_names(signaal.wijk, buurt)
    )
    with transaction.atomic():
        signaal.buurt = buurt
        signaal.categorie = categorie
        signaal.bron = bron
        signaal.text = result.text
        signaal.scrub_summary = result.summary()
        signaal.households_estimate = households_estimate
        signaal.observed_on = observed_on
        signaal.save()
        signaal.doelgroepen.set(doelgroepen)
        audit_log(actor=actor, action=AuditAction.EDIT, signaal=signaal)
        rollup_schedule_after_intake(signaal.wijk_id)
    return signaal, result


def signaal_withdraw(*, signaal: Signaal, actor: User, reason: str) -> Signaal:
    """Soft delete: the signal stays for the audit trail but leaves every list.
    Its text goes at once: a withdrawn signal has no reason to keep it."""
    if not can_change_signaal(user=actor, signaal=signaal):
        raise SignaalError(
            _("Dit signaal kunt u niet meer intrekken."), code="not_editable"
        )
    with transaction.atomic():
        now = timezone.now()
        signaal.withdrawn_at = now
        signaal.withdrawn_reason = reason.strip()[:200]
        signaal.text = ""
        signaal.text_wiped_at = now
        signaal.save(
            update_fields=[
                "withdrawn_at",
                "withdrawn_reason",
                "text",
                "text_wiped_at",
                "updated_at",
            ]
        )
        audit_log(
            actor=actor,
            action=AuditAction.WITHDRAW,
            signaal=signaal,
            detail={"reason": signaal.withdrawn_reason},
        )
        # A withdrawn signal leaves the theme counts at once, before the next run.
        generations.bump(wijk_ids=[signaal.wijk_id], domains=["leden"])
        rollup_schedule_after_intake(signaal.wijk_id)
    return signaal


def signal_text_wipe_expired(*, now: datetime.datetime | None = None) -> int:
    """Clear the text of signals logged longer ago than the retention period.
    The structured fields stay. Safe to run twice: wiped signals are skipped."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.SIGNAL_TEXT_RETENTION_DAYS)
    return Signaal.objects.filter(
        created_at__lt=cutoff, text_wiped_at__isnull=True
    ).update(text="", text_wiped_at=now)


def signalen_bulk_create(
    *, author: User, rows: Iterable[Mapping[str, Any]]
) -> list[tuple[Signaal, ScrubResult]]:
    """Save checked rows (the quick-log form's cleaned data) all together, or none.

    Every text is scrubbed first; if the scrubber fails on any row, nothing is saved.
    """
    rows = list(rows)
    prepared = []
    for row in rows:
        _validate(
            author=author,
            wijk=row["wijk"],
            buurt=row.get("buurt"),
            categorie=row["categorie"],
            doelgroepen=row.get("doelgroepen", ()),
            bron=row["bron"],
            text=row["text"],
            households_estimate=row.get("households_estimate"),
            observed_on=row["observed_on"],
        )
        team = team_for_signaal(user=author, wijk=row["wijk"])
        if team is None:
            raise SignaalError(_("U werkt niet in deze wijk."), code="wijk")
        result = text_scrub(
            row["text"],
            timeout=SCRUB_TIMEOUT,
            keep=area_names(row["wijk"], row.get("buurt")),
        )
        prepared.append((row, team, result))
    created: list[tuple[Signaal, ScrubResult]] = []
    with transaction.atomic():
        for row, team, result in prepared:
            signaal = Signaal.objects.create(
                wijk=row["wijk"],
                buurt=row.get("buurt"),
                categorie=row["categorie"],
                bron=row["bron"],
                text=result.text,
                scrub_summary=result.summary(),
                households_estimate=row.get("households_estimate"),
                observed_on=row["observed_on"],
                author=author,
                team=team,
            )
            signaal.doelgroepen.set(row.get("doelgroepen", ()))
            audit_log(
                actor=author,
                action=AuditAction.CREATE,
                signaal=signaal,
                detail={"bulk": True, "rows": len(prepared)},
            )
            created.append((signaal, result))
        for wijk_id in sorted({saved.wijk_id for saved, _result in created}):
            rollup_schedule_after_intake(wijk_id)
    return created


# --- AVG: a resident leaves ----------------------------------------------------------------


def forget_user(*, user: User) -> dict[str, int]:
    """Remove what a resident did in signalen before their account goes: the themes
    they adopted are let go; the progress they wrote on a public theme stays without
    their name (the author becomes empty, their name is taken out of the text), like
    their updates on initiatives."""
    from accounts.names import without_name
    from signalen.models import ThemaGebeurtenis, ThemaTrekker, ThemaVoortgang

    with transaction.atomic():
        progress = 0
        for voortgang in ThemaVoortgang.objects.filter(author_id=user.pk):
            voortgang.text = without_name(voortgang.text, user.display_name)
            voortgang.author = None
            voortgang.save(update_fields=["text", "author"])
            progress += 1
        ThemaGebeurtenis.objects.filter(actor_id=user.pk).update(actor=None)
        trekkers, _rows = ThemaTrekker.objects.filter(user_id=user.pk).delete()
    return {"themes_let_go": trekkers, "progress_kept_without_name": progress}

# mypy: disallow-untyped-defs, disallow-incomplete-defs, warn-return-any
"""Writes of signals. Every write is atomic and leaves an audit entry.

Raw text goes through the scrubber before a transaction starts (scrubbing can take
a moment; no lock is held meanwhile) and only the scrubbed text and a count of the
removals reach the database. When the scrubber does not answer in time (its worker or
Redis is down, or still loading), a new signal is saved all the same with its text
sealed (signalen.intake.sealing, never plain text) and scrubbed by a worker as soon as
one can (signal_scrub_pending): nothing a professional typed is lost.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import can_work_in_wijk
from signalen.intake.permissions import can_change_signaal, team_for_signaal
from signalen.intake.schedule import rollup_schedule_after_intake
from signalen.intake.scrubbing import (
    ScrubResult,
    ScrubUnavailable,
    area_names,
    text_scrub,
)
from signalen.intake.sealing import InvalidToken, seal, unseal
from signalen.models import (
    HOUSEHOLDS_MAX,
    SIGNAAL_TEXT_MAX_LENGTH,
    AuditAction,
    AuditEntry,
    Bron,
    Categorie,
    Doelgroep,
    Signaal,
    SignaalVector,
    ThemaBlokTelling,
)
from wijken import generations
from wijken.models import Buurt, Wijk

# How far back a signal may be dated.
OBSERVED_MAX_AGE = datetime.timedelta(days=366)
SCRUB_TIMEOUT = 10.0
# A new signal waits this long for the scrubber before it is saved sealed.
INTAKE_SCRUB_TIMEOUT = 4.0
# The sweep leaves a pending signal this long to the task sent at its save.
PENDING_SWEEP_AFTER = datetime.timedelta(seconds=30)

log = logging.getLogger(__name__)


class SignaalError(ValidationError):
    """Input the service refuses, whatever the form let through."""


def embed_after_commit(signaal_ids: Iterable[int]) -> None:
    """Ask the worker for the sentence vectors of saved signals once the transaction
    commits (the web process never embeds). With the broker down the signal is saved
    all the same; ``manage.py embed_backfill`` catches up later."""
    ids = sorted(set(signaal_ids))

    def send() -> None:
        from signalen.tasks import embed_signal_task

        for pk in ids:
            try:
                embed_signal_task.delay(pk)
            except Exception:  # the broker is down: the backfill picks it up
                log.warning("could not queue embedding of signal %s", pk, exc_info=True)
                return

    transaction.on_commit(send)


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
    intake_token: uuid.UUID | None = None,
) -> tuple[Signaal, ScrubResult | None]:
    """Scrub the text and save a signal for the author's team in this wijk.

    The result is None when the scrubber did not answer within INTAKE_SCRUB_TIMEOUT:
    the signal is saved with its text sealed and `scrub_pending`, and a worker scrubs
    it soon. A second post with the same `intake_token` (a retry) saves nothing and
    returns the signal of the first, with None.
    """
    if intake_token is not None:
        earlier = Signaal.objects.filter(
            author=author, intake_token=intake_token
        ).first()
        if earlier is not None:
            return earlier, None
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
    result: ScrubResult | None
    try:
        result = text_scrub(
            text, timeout=INTAKE_SCRUB_TIMEOUT, keep=area_names(wijk, buurt)
        )
    except ScrubUnavailable:
        log.warning("scrubber unavailable: signal saved sealed", exc_info=True)
        result = None
    try:
        with transaction.atomic():
            signaal = Signaal.objects.create(
                wijk=wijk,
                buurt=buurt,
                categorie=categorie,
                bron=bron,
                text=result.text if result else "",
                scrub_summary=result.summary() if result else {},
                text_sealed=None if result else seal(text),
                scrub_pending=result is None,
                intake_token=intake_token,
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
            if result is None:
                pk = signaal.pk
                transaction.on_commit(lambda: pending_scrub_send(pk))
            else:
                rollup_schedule_after_intake(wijk.pk)
                embed_after_commit([signaal.pk])
    except IntegrityError:
        # The same token posted twice at once: the other request saved it.
        earlier = Signaal.objects.filter(
            author=author, intake_token=intake_token
        ).first()
        if intake_token is None or earlier is None:
            raise
        return earlier, None
    return signaal, result


def pending_scrub_send(signaal_id: int) -> None:
    """Queue the scrub of a sealed signal; a broker that is down is only logged
    (the sweep sends it again)."""
    from signalen.tasks import signal_scrub_pending_task

    try:
        signal_scrub_pending_task.apply_async(args=[signaal_id], retry=False)
    except Exception:
        log.warning("could not queue the scrub of signal %s", signaal_id, exc_info=True)


def signal_scrub_pending(*, signaal_id: int) -> bool:
    """Worker side: scrub a signal that was saved sealed, clear the sealed text and
    schedule the wijk's roll-up. Safe to run twice: False when nothing was pending."""
    from signalen.intake.scrub import scrub
    from signalen.intake.scrubbing import scrubber_ready_mark
    from signalen.intake.warmup import in_process_scrubber_ready

    if not in_process_scrubber_ready():
        # The embedded demo, still loading deduce: its loading thread scrubs this
        # signal when done (warmup.pending_signals_scrub); no request waits for it.
        return False
    scrubber_ready_mark()
    with transaction.atomic():
        signaal = (
            Signaal.objects.select_for_update(of=("self",))
            .select_related("wijk__gemeente", "buurt")
            .filter(pk=signaal_id, scrub_pending=True)
            .first()
        )
        if signaal is None:
            return False
        text = ""
        summary: dict[str, int] = {}
        if signaal.text_sealed is not None and signaal.withdrawn_at is None:
            try:
                raw = unseal(signaal.text_sealed)
            except InvalidToken:
                # The key changed since: nobody can read it; keep the facts only.
                log.error("sealed text of signal %s cannot be opened", signaal.pk)
            else:
                result = scrub(raw, area_names(signaal.wijk, signaal.buurt))
                text, summary = result.text, result.summary()
        signaal.text = text
        signaal.scrub_summary = summary
        signaal.text_sealed = None
        signaal.scrub_pending = False
        signaal.save(
            update_fields=[
                "text",
                "scrub_summary",
                "text_sealed",
                "scrub_pending",
                "updated_at",
            ]
        )
        rollup_schedule_after_intake(signaal.wijk_id)
        embed_after_commit([signaal.pk])
    return True


def pending_scrub_ids(*, now: datetime.datetime | None = None) -> list[int]:
    """Sealed signals whose first scrub task has had its chance (for the sweep)."""
    now = now or timezone.now()
    return list(
        Signaal.objects.filter(
            scrub_pending=True, created_at__lt=now - PENDING_SWEEP_AFTER
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )


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
        embed_after_commit([signaal.pk])
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
        signaal.text_sealed = None
        signaal.text_wiped_at = now
        signaal.save(
            update_fields=[
                "withdrawn_at",
                "withdrawn_reason",
                "text",
                "text_sealed",
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
        SignaalVector.objects.filter(signaal=signaal).delete()
        # The counts per block stored by the last run (signalen.themes.blocks) no
        # longer hold: the pages count live until the run scheduled below.
        ThemaBlokTelling.objects.filter(wijk_id=signaal.wijk_id).delete()
        generations.bump(wijk_ids=[signaal.wijk_id], domains=["signalen", "leden"])
        rollup_schedule_after_intake(signaal.wijk_id)
    return signaal


def signal_text_wipe_expired(*, now: datetime.datetime | None = None) -> int:
    """Clear the text of signals logged longer ago than the retention period.
    The structured fields stay. Safe to run twice: wiped signals are skipped."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.SIGNAL_TEXT_RETENTION_DAYS)
    expired = Signaal.objects.filter(created_at__lt=cutoff, text_wiped_at__isnull=True)
    with transaction.atomic():
        # The stored vector and stems come from the text: they go with it.
        SignaalVector.objects.filter(signaal__in=expired).delete()
        return expired.update(text="", text_sealed=None, text_wiped_at=now)


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
        embed_after_commit([saved.pk for saved, _result in created])
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

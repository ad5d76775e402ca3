# mypy: disallow-untyped-defs, disallow-incomplete-defs, warn-return-any
"""Writes of signals. Every write is atomic and leaves an audit entry.

The web process never waits for the scrubber (issue 17 item 1): a new or changed text
is sealed (signalen.intake.sealing, never plain text), saved with `scrub_pending`, and
the scrub is queued on commit with the signal's id only. The scrub worker opens it,
scrubs it, clears the sealed text and embeds it (signal_scrub_pending); the beat sweep
sends it again when a task was lost. What was removed goes, sealed and for a few
minutes, to the cache for the author's confirm page (signalen.intake.removals).
With eager tasks (the embedded demo, the tests) the scrub runs in this process right
after the commit, or in the demo's loading thread while deduce still loads.
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

from accounts.models import Role, User
from accounts.permissions import can_work_in_wijk
from signalen.intake import removals
from signalen.intake.facts import fact_sync, new_signaal_rows_write
from signalen.intake.permissions import can_change_signaal, team_for_signaal
from signalen.intake.schedule import rollup_schedule_after_intake
from signalen.intake.scrubbing import area_names
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
# The sweep leaves a pending signal this long to the task sent at its save.
PENDING_SWEEP_AFTER = datetime.timedelta(seconds=30)

log = logging.getLogger(__name__)


class SignaalError(ValidationError):
    """Input the service refuses, whatever the form let through."""


def embed_after_commit(signaal_ids: Iterable[int]) -> None:
    """Ask the worker for the sentence vectors of saved signals once the transaction
    commits (the web process never embeds), through the outbox: a task lost with the
    broker or a worker is sent again by its sweep (``manage.py embed_backfill``
    remains for signals from before)."""
    from outbox.services import outbox_send
    from signalen.tasks import embed_signal_task

    for pk in sorted(set(signaal_ids)):
        outbox_send(embed_signal_task, pk)


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
    team_found: bool = False,
) -> None:
    # A team of the author's that works in the wijk (found by the caller) answers
    # the same question without another query.
    if not team_found and not can_work_in_wijk(author, wijk):
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
    team_id: int | None = None,
) -> tuple[Signaal, bool]:
    """Save a signal for the author's team in this wijk, its text sealed, and queue
    its scrub on commit; no wait for the scrubber. The flag is False when a second
    post with the same `intake_token` (a retry) saved nothing: then the signal is the
    one of the first post. `team_id`: the author's team in this wijk when the caller
    read it already (`permissions.wijken_with_team`, for a professional only);
    otherwise it is looked up here.
    """
    if intake_token is not None:
        earlier = Signaal.objects.filter(
            author=author, intake_token=intake_token
        ).first()
        if earlier is not None:
            return earlier, False
    doelgroepen = list(doelgroepen)
    if author.role != Role.PROFESSIONAL:
        team_id = None
    elif team_id is None:
        team = team_for_signaal(user=author, wijk=wijk)
        team_id = None if team is None else team.pk
    if team_id is None:
        raise SignaalError(_("U werkt niet in deze wijk."), code="wijk")
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
        team_found=True,
    )
    try:
        with transaction.atomic():
            signaal = Signaal.objects.create(
                wijk=wijk,
                buurt=buurt,
                categorie=categorie,
                bron=bron,
                text="",
                scrub_summary={},
                text_sealed=seal(text),
                scrub_pending=True,
                intake_token=intake_token,
                households_estimate=households_estimate,
                observed_on=observed_on,
                author=author,
                team_id=team_id,
            )
            # Its target groups, fact, counts and audit entry in one go.
            new_signaal_rows_write(
                signaal=signaal,
                doelgroep_ids=[d.pk for d in doelgroepen],
                audit=AuditEntry(
                    actor=author,
                    action=AuditAction.CREATE,
                    signaal=signaal,
                    wijk_id=signaal.wijk_id,
                    detail=dict(audit_detail or {}),
                ),
            )
            scrub_after_commit([signaal.pk])
    except IntegrityError:
        # The same token posted twice at once: the other request saved it.
        earlier = Signaal.objects.filter(
            author=author, intake_token=intake_token
        ).first()
        if intake_token is None or earlier is None:
            raise
        return earlier, False
    return signaal, True


def _doelgroepen_add(signaal: Signaal, doelgroepen: Iterable[Doelgroep]) -> None:
    """The target groups of a new signal in one insert. (`.set()` reads the links
    first and renews the wijk's generation twice more; the signal's own save has
    renewed it already.)"""
    through = Signaal.doelgroepen.through
    through.objects.bulk_create(
        [
            through(signaal_id=signaal.pk, doelgroep_id=pk)
            for pk in sorted({d.pk for d in doelgroepen})
        ]
    )


def scrub_after_commit(signaal_ids: Iterable[int]) -> None:
    """Queue the scrub of sealed signals once the transaction commits (the task
    carries the id only; the text stays sealed in the database)."""
    ids = sorted(set(signaal_ids))

    def send() -> None:
        for pk in ids:
            pending_scrub_send(pk)

    transaction.on_commit(send)


def pending_scrub_send(signaal_id: int) -> None:
    """Queue the scrub of a sealed signal; a broker that is down is only logged
    (the sweep sends it again)."""
    from signalen.tasks import signal_scrub_pending_task

    try:
        signal_scrub_pending_task.apply_async(args=[signaal_id], retry=False)
    except Exception:
        log.warning("could not queue the scrub of signal %s", signaal_id, exc_info=True)


def signal_scrub_pending(*, signaal_id: int) -> bool:
    """Worker side: scrub a signal that was saved sealed (every new or changed text
    is), clear the sealed text, embed it and schedule the wijk's roll-up. Safe to run
    twice: False when nothing was pending."""
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
                # For the author's confirm page only: sealed, for a few minutes.
                removals.remember(signaal_id=signaal.pk, removals=result.removals)
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
    """Sealed signals whose first scrub task has had its chance (for the sweep).
    Counted from the last change: an edited text is sealed again."""
    now = now or timezone.now()
    return list(
        Signaal.objects.filter(
            scrub_pending=True, updated_at__lt=now - PENDING_SWEEP_AFTER
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
) -> Signaal:
    """Change a signal (the author, within 24 hours). The new text is sealed and
    scrubbed on the worker, like a new one; no wait for the scrubber.
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
    with transaction.atomic():
        signaal.buurt = buurt
        signaal.categorie = categorie
        signaal.bron = bron
        signaal.text = ""
        signaal.scrub_summary = {}
        signaal.text_sealed = seal(text)
        signaal.scrub_pending = True
        signaal.households_estimate = households_estimate
        signaal.observed_on = observed_on
        signaal.save()
        signaal.doelgroepen.set(doelgroepen)
        # Only while the block it was logged in runs: a published block never moves.
        fact_sync(signaal=signaal, doelgroep_ids=[d.pk for d in doelgroepen])
        audit_log(actor=actor, action=AuditAction.EDIT, signaal=signaal)
        # The old removals belong to the old text.
        removals.forget(signaal_id=signaal.pk)
        # The scrub schedules the roll-up and the new vector once the text is ready.
        scrub_after_commit([signaal.pk])
    return signaal


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
        fact_sync(signaal=signaal)
        audit_log(
            actor=actor,
            action=AuditAction.WITHDRAW,
            signaal=signaal,
            detail={"reason": signaal.withdrawn_reason},
        )
        removals.forget(signaal_id=signaal.pk)
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
) -> list[Signaal]:
    """Save checked rows (the quick-log form's cleaned data) all together, or none.

    Like a single signal, every text is saved sealed and scrubbed on the worker after
    the commit: a long paste no longer holds a web worker for a scrub per row.
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
        prepared.append((row, team))
    created: list[Signaal] = []
    with transaction.atomic():
        for row, team in prepared:
            signaal = Signaal.objects.create(
                wijk=row["wijk"],
                buurt=row.get("buurt"),
                categorie=row["categorie"],
                bron=row["bron"],
                text="",
                scrub_summary={},
                text_sealed=seal(row["text"]),
                scrub_pending=True,
                households_estimate=row.get("households_estimate"),
                observed_on=row["observed_on"],
                author=author,
                team=team,
            )
            _doelgroepen_add(signaal, row.get("doelgroepen", ()))
            fact_sync(
                signaal=signaal,
                doelgroep_ids=[d.pk for d in row.get("doelgroepen", ())],
                new=True,
            )
            audit_log(
                actor=author,
                action=AuditAction.CREATE,
                signaal=signaal,
                detail={"bulk": True, "rows": len(prepared)},
            )
            created.append(signaal)
        scrub_after_commit([saved.pk for saved in created])
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

# mypy: disallow-untyped-defs, disallow-incomplete-defs, warn-return-any
"""Writes of wijkpeilingen. Every rule is checked here, whatever the form let through.

Open answers go through signalen's scrubber before a transaction starts, exactly like a
signal's text: when the scrubber does not answer within a few seconds, the text is
saved sealed (signalen.intake.sealing, encrypted) and a worker scrubs it as soon as it
can (`answer_scrub_pending`, swept every minute). It is never stored unscrubbed in plain
text, and the person at the door never waits long.
"""

from __future__ import annotations

import datetime
import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import can_work_in_wijk
from peilingen import permissions
from peilingen.models import (
    CONSENT_VERSION,
    INTRO_MAX_LENGTH,
    OPEN_ANSWER_MAX_LENGTH,
    OPTION_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    STREET_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Antwoord,
    Bezoek,
    BezoekUitkomst,
    Huishouden,
    Kanaal,
    Leeftijd,
    Peiling,
    PeilingDeelname,
    PeilingSamenvatting,
    PeilingStatus,
    Respons,
    Ronde,
    SamenvattingStatus,
    Vraag,
    VraagSoort,
)
from signalen.intake.permissions import team_for_signaal
from signalen.intake.scrubbing import ScrubUnavailable, area_names, text_scrub
from signalen.intake.sealing import InvalidToken, seal, unseal
from signalen.intake.staff_text import staff_text_scrub
from signalen.models import Bron, Categorie, Signaal, WijkThema
from wijken.models import Buurt, Wijk

log = logging.getLogger(__name__)

# A wijkpeiling takes a few minutes at most.
MAX_QUESTIONS = 8
MAX_OPTIONS = 8
MIN_OPTIONS = 2
SCALE_MIN, SCALE_MAX = 1, 5
# Seconds a person needs for a question of each kind (for "duurt ongeveer N minuten").
SECONDS_PER_KIND = {
    VraagSoort.EEN: 15,
    VraagSoort.MEER: 20,
    VraagSoort.SCHAAL: 10,
    VraagSoort.OPEN: 45,
}
# A street answer waits this long for the scrubber before its open text is sealed.
ANSWER_SCRUB_TIMEOUT = 4.0
PENDING_SWEEP_AFTER = datetime.timedelta(seconds=30)
MAX_STREETS_LENGTH = 300
MAX_HOUSE_NUMBER = 99999


class PeilingError(ValidationError):
    """Input the service refuses."""


def minutes_for(kinds: Sequence[str]) -> int:
    """About how many minutes the questions take (at least one)."""
    seconds = sum(SECONDS_PER_KIND.get(VraagSoort(kind), 30) for kind in kinds)
    return max(1, math.ceil(seconds / 60))


def _text(
    value: str, *, max_length: int, required: bool, field: str, wijk: Wijk
) -> str:
    value = (value or "").strip()
    if required and not value:
        raise PeilingError({field: _("Vul dit in.")}, code="required")
    if len(value) > max_length:
        raise PeilingError(
            {field: _("Te lang: hoogstens %(max)d tekens.") % {"max": max_length}},
            code="too_long",
        )
    # Staff text that residents read goes through the scrubber (staff_text.py).
    return staff_text_scrub(value, wijk=wijk, error=PeilingError).text


def _check_dates(
    opens_on: datetime.date | None, closes_on: datetime.date | None
) -> None:
    if opens_on and closes_on and closes_on < opens_on:
        raise PeilingError(
            {"closes_on": _("De einddatum ligt voor de begindatum.")}, code="dates"
        )


def _check_writer(actor: User, peiling: Peiling) -> None:
    if not permissions.can_write(actor, peiling):
        raise PeilingError(_("U mag deze peiling niet wijzigen."), code="forbidden")


def _check_concept(peiling: Peiling) -> None:
    if peiling.status != PeilingStatus.CONCEPT:
        raise PeilingError(
            _("De peiling is al open. De vragen liggen nu vast."), code="not_concept"
        )


# --- Writing a survey ---------------------------------------------------------------------


def peiling_create(
    *,
    actor: User,
    wijk: Wijk,
    title: str,
    intro: str = "",
    opens_on: datetime.date | None = None,
    closes_on: datetime.date | None = None,
    online: bool = True,
    street: bool = True,
) -> Peiling:
    """A new survey in concept: a professional's for their team, an officer's for the
    gemeente (of their own gemeente's wijk)."""
    team = None
    if actor.role == Role.PROFESSIONAL:
        if not can_work_in_wijk(actor, wijk):
            raise PeilingError(_("U werkt niet in deze wijk."), code="wijk")
        team = team_for_signaal(user=actor, wijk=wijk)
    elif actor.role == Role.AMBTENAAR:
        if actor.gemeente_id != wijk.gemeente_id:
            raise PeilingError(_("Deze wijk hoort niet bij uw gemeente."), code="wijk")
    else:
        raise PeilingError(_("U mag geen peiling maken."), code="forbidden")
    if not (online or street):
        raise PeilingError(_("Kies online, op straat of allebei."), code="no_channel")
    _check_dates(opens_on, closes_on)
    peiling = Peiling(
        wijk=wijk,
        team=team,
        title=_text(
            title, max_length=TITLE_MAX_LENGTH, required=True, field="title", wijk=wijk
        ),
        intro=_text(
            intro, max_length=INTRO_MAX_LENGTH, required=False, field="intro", wijk=wijk
        ),
        opens_on=opens_on,
        closes_on=closes_on,
        online=online,
        street=street,
        created_by=actor,
    )
    peiling.save()
    return peiling


def peiling_update(
    *,
    actor: User,
    peiling: Peiling,
    title: str,
    intro: str = "",
    opens_on: datetime.date | None = None,
    closes_on: datetime.date | None = None,
    online: bool = True,
    street: bool = True,
) -> Peiling:
    _check_writer(actor, peiling)
    if peiling.is_closed:
        raise PeilingError(
            _("Een gesloten peiling verandert niet meer."), code="closed"
        )
    if not (online or street):
        raise PeilingError(_("Kies online, op straat of allebei."), code="no_channel")
    _check_dates(opens_on, closes_on)
    wijk = peiling.wijk
    peiling.title = _text(
        title, max_length=TITLE_MAX_LENGTH, required=True, field="title", wijk=wijk
    )
    peiling.intro = _text(
        intro, max_length=INTRO_MAX_LENGTH, required=False, field="intro", wijk=wijk
    )
    peiling.opens_on, peiling.closes_on = opens_on, closes_on
    peiling.online, peiling.street = online, street
    peiling.save()
    return peiling


def vraag_add(
    *, actor: User, peiling: Peiling, kind: str, text: str, options: Sequence[str] = ()
) -> Vraag:
    """Add a question (concept only, at most MAX_QUESTIONS)."""
    _check_writer(actor, peiling)
    _check_concept(peiling)
    if kind not in VraagSoort.values:
        raise PeilingError({"kind": _("Kies een soort vraag.")}, code="kind")
    if peiling.vragen.count() >= MAX_QUESTIONS:
        raise PeilingError(
            _("Hoogstens %(max)d vragen: houd de peiling kort.")
            % {"max": MAX_QUESTIONS},
            code="too_many",
        )
    wijk = peiling.wijk
    text = _text(
        text, max_length=QUESTION_MAX_LENGTH, required=True, field="text", wijk=wijk
    )
    cleaned: list[str] = []
    if kind in (VraagSoort.EEN, VraagSoort.MEER):
        for option in options:
            option = option.strip()
            if not option:
                continue
            if len(option) > OPTION_MAX_LENGTH:
                raise PeilingError(
                    {
                        "options": _(
                            "Een antwoord is te lang: hoogstens %(max)d tekens."
                        )
                        % {"max": OPTION_MAX_LENGTH}
                    },
                    code="too_long",
                )
            if option not in cleaned:
                cleaned.append(option)
        if not MIN_OPTIONS <= len(cleaned) <= MAX_OPTIONS:
            raise PeilingError(
                {
                    "options": _(
                        "Geef %(min)d tot %(max)d antwoorden, elk op een eigen regel."
                    )
                    % {"min": MIN_OPTIONS, "max": MAX_OPTIONS}
                },
                code="options",
            )
        cleaned = [
            staff_text_scrub(option, wijk=wijk, error=PeilingError).text
            for option in cleaned
        ]
    last = peiling.vragen.order_by("-order").first()
    return Vraag.objects.create(
        peiling=peiling,
        kind=kind,
        text=text,
        options=cleaned,
        order=(last.order + 1) if last else 1,
    )


def vraag_delete(*, actor: User, vraag: Vraag) -> None:
    _check_writer(actor, vraag.peiling)
    _check_concept(vraag.peiling)
    vraag.delete()


def peiling_open(*, actor: User, peiling: Peiling) -> Peiling:
    _check_writer(actor, peiling)
    _check_concept(peiling)
    if not peiling.vragen.exists():
        raise PeilingError(
            _("Zet eerst minstens één vraag in de peiling."), code="empty"
        )
    peiling.status = PeilingStatus.OPEN
    if peiling.opens_on is None:
        peiling.opens_on = timezone.localdate()
    peiling.save(update_fields=["status", "opens_on", "updated_at"])
    return peiling


def peiling_close(*, actor: User, peiling: Peiling) -> Peiling:
    """Close it: no more answers, and the results may be read (they no longer change,
    so two readings cannot be subtracted to find one person's answers)."""
    _check_writer(actor, peiling)
    if not peiling.is_open:
        raise PeilingError(_("Alleen een open peiling kan dicht."), code="not_open")
    with transaction.atomic():
        peiling.status = PeilingStatus.GESLOTEN
        peiling.closed_at = timezone.now()
        peiling.save(update_fields=["status", "closed_at", "updated_at"])
        Ronde.objects.filter(peiling=peiling, closed_at__isnull=True).update(
            closed_at=peiling.closed_at
        )
    return peiling


def peilingen_close_due(*, today: datetime.date | None = None) -> int:
    """Nightly: close the open surveys whose last day has passed, so their results
    can be read. Safe to run twice."""
    today = today or timezone.localdate()
    closed = 0
    for peiling in Peiling.objects.filter(
        status=PeilingStatus.OPEN, closes_on__lt=today
    ):
        with transaction.atomic():
            peiling.status = PeilingStatus.GESLOTEN
            peiling.closed_at = timezone.now()
            peiling.save(update_fields=["status", "closed_at", "updated_at"])
            Ronde.objects.filter(peiling=peiling, closed_at__isnull=True).update(
                closed_at=peiling.closed_at
            )
        closed += 1
    return closed


# --- Answering ------------------------------------------------------------------------------


def _clean_answer(vraag: Vraag, value: Any) -> dict[str, Any] | None:
    """The fields of an Antwoord for this value; None when the question was skipped."""
    if value in (None, "", [], ()):
        return None
    if vraag.is_choice:
        values = value if isinstance(value, list | tuple) else [value]
        try:
            picked = sorted({int(v) for v in values})
        except (TypeError, ValueError) as exc:
            raise PeilingError(
                _("Kies een antwoord uit de lijst."), code="choice"
            ) from exc
        if any(not 0 <= i < len(vraag.options) for i in picked):
            raise PeilingError(_("Kies een antwoord uit de lijst."), code="choice")
        if vraag.kind == VraagSoort.EEN and len(picked) > 1:
            raise PeilingError(_("Kies één antwoord."), code="choice")
        return {"choices": picked}
    if vraag.kind == VraagSoort.SCHAAL:
        try:
            scale = int(value)
        except (TypeError, ValueError) as exc:
            raise PeilingError(_("Kies een cijfer van 1 tot 5."), code="scale") from exc
        if not SCALE_MIN <= scale <= SCALE_MAX:
            raise PeilingError(_("Kies een cijfer van 1 tot 5."), code="scale")
        return {"scale": scale}
    text = str(value).strip()
    if not text:
        return None
    if len(text) > OPEN_ANSWER_MAX_LENGTH:
        raise PeilingError(
            _("Het antwoord is te lang: hoogstens %(max)d tekens.")
            % {"max": OPEN_ANSWER_MAX_LENGTH},
            code="too_long",
        )
    return {"raw": text}


def response_submit(
    *,
    peiling: Peiling,
    channel: str,
    answers: Mapping[int, Any],
    consent: bool,
    buurt: Buurt | None = None,
    age_band: str = "",
    household: str = "",
    user: User | None = None,
    ronde: Ronde | None = None,
    actor: User | None = None,
) -> Respons:
    """Save one person's answers.

    Online (`user`): a resident of the survey's wijk, once per survey; that they
    answered is stored apart from the answers. In the street or at the door (`ronde`,
    `actor`): no account of the respondent at all. `answers` maps question ids to a
    value (option indexes, a scale number or open text); skipped questions are left out.
    """
    today = timezone.localdate()
    if (
        not peiling.is_open
        or (peiling.opens_on and today < peiling.opens_on)
        or (peiling.closes_on and today > peiling.closes_on)
    ):
        raise PeilingError(_("Deze peiling is niet open."), code="not_open")
    if not consent:
        raise PeilingError(
            {"consent": _("Zonder toestemming slaan we niets op.")}, code="consent"
        )
    if channel == Kanaal.ONLINE:
        if user is None or not peiling.online:
            raise PeilingError(_("Deze peiling vult u niet online in."), code="channel")
        if user.role != Role.BEWONER or user.wijk_id != peiling.wijk_id:
            raise PeilingError(
                _("Alleen bewoners van deze wijk vullen deze peiling in."), code="wijk"
            )
        if PeilingDeelname.objects.filter(peiling=peiling, user=user).exists():
            raise PeilingError(_("U hebt deze peiling al ingevuld."), code="answered")
    elif channel in (Kanaal.STRAAT, Kanaal.DEUR):
        if (
            ronde is None
            or actor is None
            or ronde.peiling_id != peiling.pk
            or not peiling.street
            or not permissions.can_ask(actor, ronde)
        ):
            raise PeilingError(
                _("U mag in deze ronde geen antwoorden opslaan."), code="ronde"
            )
        user = None  # never a link to an account for a street answer
    else:
        raise PeilingError(_("Onbekend kanaal."), code="channel")
    if buurt is not None and buurt.wijk_id != peiling.wijk_id:
        raise PeilingError(
            {"buurt": _("Deze buurt hoort niet bij de wijk.")}, code="buurt"
        )
    if age_band and age_band not in Leeftijd.values:
        raise PeilingError(
            {"age_band": _("Kies een leeftijd uit de lijst.")}, code="band"
        )
    if household and household not in Huishouden.values:
        raise PeilingError(
            {"household": _("Kies een huishouden uit de lijst.")}, code="band"
        )

    vragen = {vraag.pk: vraag for vraag in peiling.vragen.all()}
    if any(pk not in vragen for pk in answers):
        raise PeilingError(_("Een vraag hoort niet bij deze peiling."), code="vraag")
    cleaned = {
        pk: fields
        for pk, value in answers.items()
        if (fields := _clean_answer(vragen[pk], value)) is not None
    }
    if not cleaned:
        raise PeilingError(_("Beantwoord minstens één vraag."), code="empty")

    # Scrub open text before the transaction; seal what the scrubber cannot take now.
    keep = area_names(peiling.wijk, buurt)
    scrubber_up = True
    for fields in cleaned.values():
        if "raw" not in fields:
            continue
        raw = fields.pop("raw")
        if scrubber_up:
            try:
                result = text_scrub(raw, timeout=ANSWER_SCRUB_TIMEOUT, keep=keep)
            except ScrubUnavailable:
                log.warning("scrubber unavailable: open answer saved sealed")
                scrubber_up = False
            else:
                fields.update(text=result.text, scrub_summary=result.summary())
                continue
        fields.update(text_sealed=seal(raw), scrub_pending=True)

    try:
        with transaction.atomic():
            respons = Respons.objects.create(
                peiling=peiling,
                channel=channel,
                ronde=ronde,
                buurt=buurt,
                age_band=age_band,
                household=household,
                consent=True,
                consent_version=CONSENT_VERSION,
                created_on=today,
            )
            saved = [
                Antwoord(respons=respons, vraag_id=pk, **fields)
                for pk, fields in cleaned.items()
            ]
            Antwoord.objects.bulk_create(saved)
            if user is not None:
                PeilingDeelname.objects.create(peiling=peiling, user=user)
            pending = list(
                Antwoord.objects.filter(
                    respons=respons, scrub_pending=True
                ).values_list("pk", flat=True)
            )
            if pending:
                transaction.on_commit(lambda: pending_scrub_send(pending))
    except IntegrityError as exc:
        # The same resident posted twice at once: the other request saved it.
        raise PeilingError(
            _("U hebt deze peiling al ingevuld."), code="answered"
        ) from exc
    return respons


def has_answered(*, user: User, peiling: Peiling) -> bool:
    return PeilingDeelname.objects.filter(peiling=peiling, user=user).exists()


# --- Sealed open answers (the worker) ---------------------------------------------------------


def pending_scrub_send(antwoord_ids: Sequence[int]) -> None:
    """Queue the scrub of sealed answers; a broker that is down is only logged (the
    sweep sends them again)."""
    from peilingen.tasks import answer_scrub_pending_task

    for pk in antwoord_ids:
        try:
            answer_scrub_pending_task.apply_async(args=[pk], retry=False)
        except Exception:
            log.warning("could not queue the scrub of answer %s", pk, exc_info=True)
            return


def answer_scrub_pending(*, antwoord_id: int) -> bool:
    """Worker side: scrub an open answer that was saved sealed, clear the sealed text.
    Safe to run twice: False when nothing was pending."""
    from signalen.intake.scrub import scrub
    from signalen.intake.scrubbing import scrubber_ready_mark
    from signalen.intake.warmup import in_process_scrubber_ready

    if not in_process_scrubber_ready():
        return False  # the demo's loading thread scrubs it when done
    scrubber_ready_mark()
    with transaction.atomic():
        antwoord = (
            Antwoord.objects.select_for_update(of=("self",))
            .select_related("respons__peiling__wijk__gemeente", "respons__buurt")
            .filter(pk=antwoord_id, scrub_pending=True)
            .first()
        )
        if antwoord is None:
            return False
        text, summary = "", {}
        if antwoord.text_sealed is not None:
            try:
                raw = unseal(antwoord.text_sealed)
            except InvalidToken:
                log.error("sealed text of answer %s cannot be opened", antwoord.pk)
            else:
                respons = antwoord.respons
                result = scrub(raw, area_names(respons.peiling.wijk, respons.buurt))
                text, summary = result.text, result.summary()
        antwoord.text = text
        antwoord.scrub_summary = summary
        antwoord.text_sealed = None
        antwoord.scrub_pending = False
        antwoord.save(
            update_fields=["text", "scrub_summary", "text_sealed", "scrub_pending"]
        )
    return True


def pending_answer_ids(*, now: datetime.datetime | None = None) -> list[int]:
    """Sealed answers whose first scrub task has had its chance (for the sweep).
    A response has only a date, so 'had its chance' is: saved before today, or the
    sweep's second look (the task ids are cheap to send twice)."""
    del now  # a response keeps no time of day; every pending answer is swept
    return list(
        Antwoord.objects.filter(scrub_pending=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )


def pending_answers_scrub() -> int:
    """Scrub every answer sealed while the demo's scrubber loaded; how many."""
    done = 0
    for pk in pending_answer_ids():
        try:
            done += answer_scrub_pending(antwoord_id=pk)
        except Exception:
            log.exception("sealed answer %s not scrubbed; the next start tries", pk)
    return done


# --- Street and door rounds ---------------------------------------------------------------


def _check_team(actor: User, peiling: Peiling) -> None:
    if not permissions.is_team(actor, peiling):
        raise PeilingError(
            _("Alleen het wijkteam van deze wijk mag dit."), code="forbidden"
        )


def ronde_start(
    *,
    actor: User,
    peiling: Peiling,
    date: datetime.date,
    buurt: Buurt | None = None,
    streets: str = "",
) -> Ronde:
    _check_team(actor, peiling)
    if not peiling.is_open or not peiling.street:
        raise PeilingError(
            _("Een ronde kan alleen bij een open peiling op straat."), code="not_open"
        )
    if buurt is not None and buurt.wijk_id != peiling.wijk_id:
        raise PeilingError(
            {"buurt": _("Deze buurt hoort niet bij de wijk.")}, code="buurt"
        )
    streets = " ".join((streets or "").split())
    if len(streets) > MAX_STREETS_LENGTH:
        raise PeilingError({"streets": _("Te lang.")}, code="too_long")
    return Ronde.objects.create(
        peiling=peiling, date=date, buurt=buurt, streets=streets, started_by=actor
    )


def ronde_helper_add(*, actor: User, ronde: Ronde, email: str) -> User:
    """Add a resident with an account as a volunteer of this round."""
    _check_team(actor, ronde.peiling)
    helper = User.objects.filter(
        email__iexact=(email or "").strip(), role=Role.BEWONER, is_active=True
    ).first()
    if helper is None:
        raise PeilingError(
            {
                "email": _(
                    "Geen bewoner met dit e-mailadres. Vraag of diegene eerst een "
                    "account maakt."
                )
            },
            code="unknown",
        )
    ronde.helpers.add(helper)
    return helper


def bezoek_add(
    *,
    actor: User,
    ronde: Ronde,
    street: str,
    outcome: str,
    number_from: int | None = None,
    number_to: int | None = None,
    buurt: Buurt | None = None,
) -> Bezoek:
    """Mark a street (or a range of house numbers) visited. No names are stored."""
    if not permissions.can_ask(actor, ronde):
        raise PeilingError(_("U mag in deze ronde niets opslaan."), code="forbidden")
    street = " ".join((street or "").split())
    if not street:
        raise PeilingError({"street": _("Vul de straat in.")}, code="required")
    if len(street) > STREET_MAX_LENGTH or any(ch.isdigit() for ch in street):
        raise PeilingError(
            {"street": _("Alleen de naam van de straat; huisnummers apart.")},
            code="street",
        )
    if outcome not in BezoekUitkomst.values:
        raise PeilingError({"outcome": _("Kies wat er gebeurde.")}, code="outcome")
    for number in (number_from, number_to):
        if number is not None and not 1 <= number <= MAX_HOUSE_NUMBER:
            raise PeilingError(
                {"number_from": _("Dit huisnummer klopt niet.")}, code="number"
            )
    if number_from is None and number_to is not None:
        number_from, number_to = number_to, None
    if number_from is not None and number_to is not None and number_to < number_from:
        number_from, number_to = number_to, number_from
    buurt = buurt or ronde.buurt
    if buurt is not None and buurt.wijk_id != ronde.peiling.wijk_id:
        raise PeilingError(
            {"buurt": _("Deze buurt hoort niet bij de wijk.")}, code="buurt"
        )
    return Bezoek.objects.create(
        ronde=ronde,
        buurt=buurt,
        street=street,
        number_from=number_from,
        number_to=number_to,
        outcome=outcome,
    )


def ronde_close(*, actor: User, ronde: Ronde) -> Ronde:
    _check_team(actor, ronde.peiling)
    if ronde.closed_at is None:
        ronde.closed_at = timezone.now()
        ronde.save(update_fields=["closed_at"])
    return ronde


# --- The team: summaries, signals and themes ---------------------------------------------------


def summary_propose(*, actor: User, peiling: Peiling, text: str) -> PeilingSamenvatting:
    """A summary of the open answers, scrubbed; public once a second professional of
    the wijk's team approves it. A new proposal replaces one that waits."""
    _check_team(actor, peiling)
    text = (text or "").strip()
    if not text:
        raise PeilingError({"text": _("Schrijf de samenvatting.")}, code="required")
    if len(text) > SUMMARY_MAX_LENGTH:
        raise PeilingError({"text": _("Te lang.")}, code="too_long")
    scrubbed = staff_text_scrub(text, wijk=peiling.wijk, error=PeilingError).text
    with transaction.atomic():
        PeilingSamenvatting.objects.filter(
            peiling=peiling, status=SamenvattingStatus.PENDING
        ).update(status=SamenvattingStatus.WITHDRAWN, decided_at=timezone.now())
        return PeilingSamenvatting.objects.create(
            peiling=peiling, text=scrubbed, author=actor
        )


def _locked_pending(
    samenvatting: PeilingSamenvatting, actor: User
) -> PeilingSamenvatting:
    _check_team(actor, samenvatting.peiling)
    locked = (
        PeilingSamenvatting.objects.select_for_update()
        .filter(pk=samenvatting.pk, status=SamenvattingStatus.PENDING)
        .first()
    )
    if locked is None:
        raise PeilingError(_("Deze samenvatting wacht niet meer."), code="not_pending")
    if locked.author_id == actor.pk:
        raise PeilingError(
            _("Een tweede professional moet dit goedkeuren, niet de schrijver."),
            code="own",
        )
    return locked


def summary_approve(
    *, actor: User, samenvatting: PeilingSamenvatting
) -> PeilingSamenvatting:
    with transaction.atomic():
        locked = _locked_pending(samenvatting, actor)
        PeilingSamenvatting.objects.filter(
            peiling_id=locked.peiling_id, status=SamenvattingStatus.PUBLISHED
        ).update(status=SamenvattingStatus.WITHDRAWN)
        locked.status = SamenvattingStatus.PUBLISHED
        locked.reviewer = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "reviewer", "decided_at"])
    return locked


def summary_reject(
    *, actor: User, samenvatting: PeilingSamenvatting, reason: str
) -> PeilingSamenvatting:
    with transaction.atomic():
        locked = _locked_pending(samenvatting, actor)
        locked.status = SamenvattingStatus.REJECTED
        locked.reviewer = actor
        locked.reason = (reason or "").strip()[:300]
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "reviewer", "reason", "decided_at"])
    return locked


def answer_to_signal(
    *, actor: User, antwoord: Antwoord, categorie: Categorie, bron: Bron
) -> Signaal:
    """Turn an open answer (already scrubbed) into a signal of the actor's team."""
    from signalen.intake.services import signaal_create

    respons = antwoord.respons
    _check_team(actor, respons.peiling)
    if antwoord.scrub_pending or not antwoord.text:
        raise PeilingError(_("Dit antwoord heeft (nog) geen tekst."), code="empty")
    if antwoord.signaal_made:
        raise PeilingError(
            _("Van dit antwoord is al een signaal gemaakt."), code="done"
        )
    signaal, _result = signaal_create(
        author=actor,
        wijk=respons.peiling.wijk,
        buurt=respons.buurt,
        categorie=categorie,
        bron=bron,
        text=antwoord.text,
        observed_on=respons.created_on,
        audit_detail={"peiling": respons.peiling_id},
    )
    Antwoord.objects.filter(pk=antwoord.pk).update(signaal_made=True)
    return signaal


def thema_link(*, actor: User, peiling: Peiling, thema: WijkThema) -> None:
    _check_team(actor, peiling)
    if thema.wijk_id != peiling.wijk_id:
        raise PeilingError({"thema": _("Kies een thema van deze wijk.")}, code="thema")
    peiling.themas.add(thema)


def thema_unlink(*, actor: User, peiling: Peiling, thema: WijkThema) -> None:
    _check_team(actor, peiling)
    peiling.themas.remove(thema)


def forget_user(*, user: User) -> int:
    """A resident leaves: the record that they answered goes; their answers (without a
    link to them) stay. Rounds they helped with lose them."""
    deleted, _rows = PeilingDeelname.objects.filter(user=user).delete()
    for ronde in Ronde.objects.filter(helpers=user):
        ronde.helpers.remove(user)
    return deleted

"""Writes of the wijkbudget: rounds, requests, advice, votes, codes, decisions and
spending. Every rule that protects the ballot is checked here, not only in a view."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from initiatieven.models import Initiatief
from outbox.services import outbox_send
from signalen.intake.staff_text import staff_text_scrub
from signalen.models import WijkThema
from wijkbudget import codes as vote_codes
from wijkbudget import permissions
from wijkbudget.models import (
    Aanvraag,
    Besluit,
    Keuze,
    Ronde,
    Stembiljet,
    Stemcode,
    StemcodeReeks,
    Stemmer,
    Uitgave,
)
from wijken.models import Wijk

MAX_CODES_PER_BATCH = 10_000


class BudgetError(ValidationError):
    """A write the rules of the round refuse; the message is for the person."""


def _today() -> datetime.date:
    return timezone.localdate()


# --- Rounds ----------------------------------------------------------------------------


def _dates_check(
    *,
    requests_open: datetime.date,
    requests_close: datetime.date,
    vote_open: datetime.date,
    vote_close: datetime.date,
) -> None:
    if not requests_open <= requests_close < vote_open <= vote_close:
        raise BudgetError(
            _(
                "De data moeten op volgorde staan: eerst aanvragen, daarna stemmen. "
                "Stemmen begint na de laatste dag van de aanvragen."
            ),
            code="dates",
        )


def ronde_create(
    *,
    wijk: Wijk,
    title: str,
    amount: int,
    rules: str,
    requests_open: datetime.date,
    requests_close: datetime.date,
    vote_open: datetime.date,
    vote_close: datetime.date,
    by: User,
) -> Ronde:
    if not permissions.can_manage_wijk(by, wijk):
        raise BudgetError(_("U mag in deze wijk geen ronde openen."), code="forbidden")
    _dates_check(
        requests_open=requests_open,
        requests_close=requests_close,
        vote_open=vote_open,
        vote_close=vote_close,
    )
    ronde = Ronde.objects.create(
        wijk=wijk,
        title=title,
        amount=amount,
        rules=rules,
        requests_open=requests_open,
        requests_close=requests_close,
        vote_open=vote_open,
        vote_close=vote_close,
        created_by=by,
    )
    if requests_open <= _today():
        _on_commit_open_notify(ronde.pk)
    return ronde


def ronde_update(*, ronde: Ronde, data: dict[str, Any]) -> Ronde:
    """Change a round until voting starts; then the budget and dates hold."""
    if _today() >= ronde.vote_open:
        raise BudgetError(
            _("Het stemmen is begonnen. De ronde kan niet meer veranderen."),
            code="voting",
        )
    fields = (
        "title",
        "amount",
        "rules",
        "requests_open",
        "requests_close",
        "vote_open",
        "vote_close",
    )
    new = {name: data[name] for name in fields if name in data}
    dates = {
        name: new.get(name, getattr(ronde, name))
        for name in ("requests_open", "requests_close", "vote_open", "vote_close")
    }
    _dates_check(**dates)
    if dates["vote_open"] <= _today():
        raise BudgetError(
            _("Stemmen kan niet vandaag of eerder beginnen bij een wijziging."),
            code="dates",
        )
    for name, value in new.items():
        setattr(ronde, name, value)
    ronde.save()
    return ronde


def _on_commit_open_notify(ronde_id: int) -> None:
    from wijkbudget.tasks import ronde_open_notify

    # Written down with the round, sent after the commit, sent again by the sweep.
    outbox_send(ronde_open_notify, ronde_id)


# --- Requests ----------------------------------------------------------------------------


def _breakdown_check(breakdown: Sequence[dict[str, Any]], amount: int) -> None:
    total = sum(int(line["amount"]) for line in breakdown)
    if breakdown and total != amount:
        raise BudgetError(
            _(
                "De posten van de begroting tellen op tot € %(total)s, maar u vraagt "
                "€ %(amount)s. Maak die twee gelijk."
            )
            % {"total": total, "amount": amount},
            code="breakdown",
        )


def aanvraag_create(
    *,
    ronde: Ronde,
    initiatief: Initiatief,
    user: User,
    amount: int,
    purpose: str,
    breakdown: Sequence[dict[str, Any]],
) -> Aanvraag:
    if not permissions.can_request_for(user, initiatief):
        raise BudgetError(
            _("Alleen organisatoren van het initiatief vragen budget aan."),
            code="forbidden",
        )
    if initiatief.wijk_id != ronde.wijk_id:
        raise BudgetError(
            _("Dit initiatief hoort bij een andere wijk dan deze ronde."),
            code="other_wijk",
        )
    if not ronde.takes_requests(_today()):
        raise BudgetError(
            _(
                "Aanvragen kan nu niet: de aanvraagperiode is voorbij of nog niet begonnen."
            ),
            code="closed",
        )
    if amount > ronde.amount:
        raise BudgetError(
            _("U vraagt meer dan het hele budget van de ronde."), code="too_much"
        )
    _breakdown_check(breakdown, amount)
    try:
        with transaction.atomic():
            return Aanvraag.objects.create(
                ronde=ronde,
                initiatief=initiatief,
                amount=amount,
                purpose=purpose,
                breakdown=list(breakdown),
                submitted_by=user,
            )
    except IntegrityError as exc:
        raise BudgetError(
            _("Dit initiatief heeft in deze ronde al een aanvraag. Wijzig die."),
            code="duplicate",
        ) from exc


def aanvraag_update(
    *,
    aanvraag: Aanvraag,
    user: User,
    amount: int,
    purpose: str,
    breakdown: Sequence[dict[str, Any]],
) -> Aanvraag:
    if not permissions.can_request_for(user, aanvraag.initiatief):
        raise BudgetError(
            _("Alleen organisatoren van het initiatief wijzigen de aanvraag."),
            code="forbidden",
        )
    if not aanvraag.ronde.takes_requests(_today()):
        raise BudgetError(
            _("De aanvraagperiode is voorbij. De aanvraag kan niet meer veranderen."),
            code="closed",
        )
    if amount > aanvraag.ronde.amount:
        raise BudgetError(
            _("U vraagt meer dan het hele budget van de ronde."), code="too_much"
        )
    _breakdown_check(breakdown, amount)
    aanvraag.amount = amount
    aanvraag.purpose = purpose
    aanvraag.breakdown = list(breakdown)
    aanvraag.save(update_fields=["amount", "purpose", "breakdown", "updated_at"])
    return aanvraag


def aanvraag_withdraw(*, aanvraag: Aanvraag, user: User) -> None:
    if not permissions.can_request_for(user, aanvraag.initiatief):
        raise BudgetError(
            _("Alleen organisatoren van het initiatief trekken de aanvraag in."),
            code="forbidden",
        )
    if not aanvraag.ronde.takes_requests(_today()):
        raise BudgetError(
            _("De aanvraagperiode is voorbij. Intrekken kan niet meer."),
            code="closed",
        )
    aanvraag.delete()


# --- Advice ------------------------------------------------------------------------------


def advies_set(
    *,
    aanvraag: Aanvraag,
    user: User,
    advice: str,
    text: str,
    themas: Sequence[WijkThema],
) -> Aanvraag:
    """The wijkteam's advice. The text is scrubbed like every staff text others read;
    themes are only public ones of the wijk (the form offers no others)."""
    ronde = aanvraag.ronde
    if not permissions.can_advise(user, ronde):
        raise BudgetError(
            _("Alleen het wijkteam van deze wijk geeft advies."), "forbidden"
        )
    if ronde.is_closed(_today()):
        raise BudgetError(
            _("Het stemmen is voorbij. Advies geven kan niet meer."), code="closed"
        )
    if any(thema.wijk_id != ronde.wijk_id for thema in themas):
        raise BudgetError(_("Kies thema's uit deze wijk."), code="other_wijk")
    scrubbed = staff_text_scrub(text, wijk=ronde.wijk, error=BudgetError)
    aanvraag.advice = advice
    aanvraag.advice_text = scrubbed.text
    aanvraag.advice_by = user
    aanvraag.advice_at = timezone.now()
    aanvraag.save(
        update_fields=["advice", "advice_text", "advice_by", "advice_at", "updated_at"]
    )
    aanvraag.advice_themas.set(themas)
    return aanvraag


# --- Voting ------------------------------------------------------------------------------


def ballot_aanvragen(ronde: Ronde) -> list[Aanvraag]:
    """The requests on the ballot: every request of the round whose initiative is
    visible."""
    return list(
        ronde.aanvragen.filter(initiatief__is_hidden=False)
        .select_related("initiatief")
        .order_by("pk")
    )


def _ballot_check(ronde: Ronde, chosen_ids: Sequence[int]) -> list[Aanvraag]:
    if not ronde.is_voting(_today()):
        if ronde.is_closed(_today()):
            message = _("Het stemmen is gesloten. Er kan niet meer gestemd worden.")
        else:
            message = _("Het stemmen is nog niet begonnen.")
        raise BudgetError(message, code="not_voting")
    on_ballot = {a.pk: a for a in ballot_aanvragen(ronde)}
    ids = list(dict.fromkeys(chosen_ids))
    if not ids:
        raise BudgetError(_("Kies minstens één plan."), code="empty")
    if any(pk not in on_ballot for pk in ids):
        raise BudgetError(
            _("Een gekozen plan staat niet op het stembiljet van deze ronde."),
            code="unknown",
        )
    chosen = [on_ballot[pk] for pk in ids]
    if sum(a.amount for a in chosen) > ronde.amount:
        raise BudgetError(
            _(
                "Uw keuze kost samen meer dan het budget van € %(amount)s. "
                "Haal een plan weg."
            )
            % {"amount": ronde.amount},
            code="over_budget",
        )
    return chosen


def _ballot_store(ronde: Ronde, chosen: list[Aanvraag]) -> None:
    ballot = Stembiljet.objects.create(ronde=ronde)
    Keuze.objects.bulk_create(
        [Keuze(stembiljet=ballot, aanvraag=aanvraag) for aanvraag in chosen]
    )


def vote_with_account(*, ronde: Ronde, user: User, chosen_ids: Sequence[int]) -> None:
    """One secret ballot for a verified resident of the round's wijk. The account is
    recorded as having voted; the ballot does not know by whom. Final once cast."""
    refusal = permissions.account_vote_refusal(user, ronde)
    if refusal == permissions.NoAccountVote.VOTED:
        raise BudgetError(_("U heeft in deze ronde al gestemd."), code="voted")
    if refusal is not None:
        raise BudgetError(
            _("Met dit account kunt u in deze ronde niet stemmen."), code=refusal
        )
    chosen = _ballot_check(ronde, chosen_ids)
    with transaction.atomic():
        # The round's row is the lock that orders account votes and new code batches.
        Ronde.objects.select_for_update().filter(pk=ronde.pk).first()
        if permissions.has_codes(ronde):
            raise BudgetError(
                _("Met dit account kunt u in deze ronde niet stemmen."),
                code=permissions.NoAccountVote.CODES,
            )
        try:
            with transaction.atomic():
                Stemmer.objects.create(ronde=ronde, user=user, voted_on=_today())
        except IntegrityError as exc:  # a second request at the same moment
            raise BudgetError(
                _("U heeft in deze ronde al gestemd."), code="voted"
            ) from exc
        _ballot_store(ronde, chosen)


def vote_with_code(*, ronde: Ronde, code: str, chosen_ids: Sequence[int]) -> None:
    """One secret ballot for a printed code of this round; the code is used up in the
    same transaction (a conditional update: two at once cannot both use it)."""
    chosen = _ballot_check(ronde, chosen_ids)
    invalid = BudgetError(
        _("Deze stemcode kennen wij niet voor deze ronde. Kijk of u hem goed overnam."),
        code="bad_code",
    )
    if not vote_codes.looks_like_code(code):
        raise invalid
    digest = vote_codes.code_hash(code)
    with transaction.atomic():
        used = Stemcode.objects.filter(
            ronde=ronde,
            code_hash=digest,
            used_on__isnull=True,
            reeks__withdrawn_at__isnull=True,
        ).update(used_on=_today())
        if used != 1:
            if Stemcode.objects.filter(
                ronde=ronde, code_hash=digest, used_on__isnull=False
            ).exists():
                raise BudgetError(
                    _("Met deze stemcode is al gestemd. Elke code werkt één keer."),
                    code="used_code",
                )
            raise invalid
        _ballot_store(ronde, chosen)


# --- Codes -------------------------------------------------------------------------------


def codes_create(
    *, ronde: Ronde, size: int, note: str, by: User
) -> tuple[StemcodeReeks, list[str]]:
    """A batch of new codes. The plain codes are returned once, for printing; only
    their hashes are kept."""
    if not permissions.can_manage(by, ronde):
        raise BudgetError(_("U mag voor deze ronde geen codes maken."), "forbidden")
    if ronde.is_closed(_today()):
        raise BudgetError(
            _("Het stemmen is voorbij. Nieuwe codes zijn niet meer nodig."), "closed"
        )
    if ronde.stemmers.exists():
        raise BudgetError(
            _(
                "In deze ronde is al met een account gestemd. Met codes erbij zou "
                "iemand twee keer kunnen stemmen. Maak codes voordat het stemmen begint."
            ),
            code="account_votes",
        )
    if not 1 <= size <= MAX_CODES_PER_BATCH:
        raise BudgetError(
            _("Maak 1 tot %(max)s codes per keer.") % {"max": MAX_CODES_PER_BATCH},
            code="size",
        )
    plain: list[str] = []
    hashes: set[str] = set()
    while len(plain) < size:
        code = vote_codes.code_new()
        digest = vote_codes.code_hash(code)
        if digest not in hashes:
            hashes.add(digest)
            plain.append(code)
    with transaction.atomic():
        Ronde.objects.select_for_update().filter(pk=ronde.pk).first()
        if ronde.stemmers.exists():  # an account vote came in meanwhile
            raise BudgetError(
                _("In deze ronde is al met een account gestemd."), code="account_votes"
            )
        taken = set(
            Stemcode.objects.filter(code_hash__in=hashes).values_list(
                "code_hash", flat=True
            )
        )
        while taken:  # astronomically rare: replace the clashes
            for digest in taken:
                hashes.discard(digest)
            plain = [c for c in plain if vote_codes.code_hash(c) in hashes]
            while len(plain) < size:
                code = vote_codes.code_new()
                digest = vote_codes.code_hash(code)
                if digest not in hashes:
                    hashes.add(digest)
                    plain.append(code)
            taken = set(
                Stemcode.objects.filter(code_hash__in=hashes).values_list(
                    "code_hash", flat=True
                )
            )
        reeks = StemcodeReeks.objects.create(
            ronde=ronde, size=size, note=note, created_by=by
        )
        Stemcode.objects.bulk_create(
            [
                Stemcode(ronde=ronde, reeks=reeks, code_hash=vote_codes.code_hash(c))
                for c in plain
            ],
            batch_size=1000,
        )
    return reeks, plain


def reeks_withdraw(*, reeks: StemcodeReeks) -> int:
    """Withdraw a batch (lost before posting): its unused codes no longer vote.
    Ballots already cast with it stay. Returns how many codes went unused."""
    if reeks.withdrawn_at is None:
        reeks.withdrawn_at = timezone.now()
        reeks.save(update_fields=["withdrawn_at"])
    return reeks.codes.filter(used_on__isnull=True).count()


# --- Decision and accounting -------------------------------------------------------------


def besluit_set(
    *,
    aanvraag: Aanvraag,
    user: User,
    decision: str,
    amount: int | None,
    reason: str,
) -> Aanvraag:
    """The gemeente's decision, after voting closed, recorded with who and when.
    Organisers hear of it after the commit."""
    ronde = aanvraag.ronde
    if not permissions.can_manage(user, ronde):
        raise BudgetError(_("U mag over deze ronde niet besluiten."), "forbidden")
    if not ronde.is_closed(_today()):
        raise BudgetError(
            _("Besluiten kan pas als het stemmen gesloten is."), code="not_closed"
        )
    if aanvraag.uitgaven.exists():
        raise BudgetError(
            _("Er zijn al uitgaven verantwoord. Het besluit staat vast."),
            code="spent",
        )
    if decision == Besluit.TOEGEKEND:
        if amount is None or not 1 <= amount <= aanvraag.amount:
            raise BudgetError(
                _("Ken een bedrag toe van € 1 tot het gevraagde bedrag."),
                code="amount",
            )
    elif decision == Besluit.AFGEWEZEN:
        amount = None
        if not reason.strip():
            raise BudgetError(_("Schrijf waarom de aanvraag is afgewezen."), "reason")
    else:
        raise BudgetError(_("Kies toekennen of afwijzen."), code="decision")
    aanvraag.decision = decision
    aanvraag.decision_amount = amount
    aanvraag.decision_reason = reason
    aanvraag.decided_by = user
    aanvraag.decided_at = timezone.now()
    aanvraag.save(
        update_fields=[
            "decision",
            "decision_amount",
            "decision_reason",
            "decided_by",
            "decided_at",
            "updated_at",
        ]
    )
    from wijkbudget.tasks import besluit_notify

    outbox_send(besluit_notify, aanvraag.pk)
    return aanvraag


def spent_total(aanvraag: Aanvraag) -> Decimal:
    return aanvraag.uitgaven.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def uitgave_create(
    *,
    aanvraag: Aanvraag,
    user: User,
    amount: Decimal,
    text: str,
    spent_on: datetime.date,
    receipt: ContentFile[bytes] | None,
    receipt_alt: str,
) -> Uitgave:
    if not permissions.can_request_for(user, aanvraag.initiatief):
        raise BudgetError(
            _("Alleen organisatoren van het initiatief verantwoorden het geld."),
            code="forbidden",
        )
    if not aanvraag.is_funded or aanvraag.decision_amount is None:
        raise BudgetError(
            _("Deze aanvraag heeft geen geld gekregen."), code="not_funded"
        )
    with transaction.atomic():
        # Lock the request: two uploads at once must not pass the total together.
        Aanvraag.objects.select_for_update().filter(pk=aanvraag.pk).first()
        if spent_total(aanvraag) + amount > aanvraag.decision_amount:
            raise BudgetError(
                _(
                    "Samen met eerdere uitgaven is dit meer dan de toegekende "
                    "€ %(amount)s."
                )
                % {"amount": aanvraag.decision_amount},
                code="over_granted",
            )
        uitgave = Uitgave(
            aanvraag=aanvraag,
            amount=amount,
            text=text,
            spent_on=spent_on,
            receipt_alt=receipt_alt,
            author=user,
        )
        if receipt is not None:
            uitgave.receipt.save(receipt.name or "bon.jpg", receipt, save=False)
        uitgave.save()
    return uitgave

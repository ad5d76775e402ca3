"""Reads of the wijkbudget. Vote totals leave this module only for a closed round
with at least K ballots; the number of voters only from K up.

Themes in the team's advice are shown the way the public wijk page shows them
(signalen.answers.queries.public_themes_for_wijk): the public name a professional
wrote and the k-anonymous size, never signal text, keywords or a small count. A theme
that is no longer public drops out of the advice as shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from signalen.answers.queries import PublicThemeRow, public_themes_for_wijk
from signalen.kanon import k_count
from wijkbudget.models import Aanvraag, Besluit, Fase, Ronde, Stemmer, Uitgave
from wijken.models import Wijk


def rondes(*, wijk: Wijk | None = None) -> QuerySet[Ronde]:
    qs = Ronde.objects.select_related("wijk", "wijk__gemeente").filter(
        wijk__is_active=True
    )
    if wijk is not None:
        qs = qs.filter(wijk=wijk)
    return qs.annotate(
        request_count=Count(
            "aanvragen", filter=Q(aanvragen__initiatief__is_hidden=False)
        )
    )


def ronde_get(pk: int) -> Ronde | None:
    return (
        Ronde.objects.select_related("wijk", "wijk__gemeente")
        .filter(pk=pk, wijk__is_active=True)
        .first()
    )


def _visible_aanvragen(ronde: Ronde) -> QuerySet[Aanvraag]:
    return (
        ronde.aanvragen.filter(initiatief__is_hidden=False)
        .select_related("initiatief")
        .prefetch_related(
            "advice_themas",
            Prefetch("uitgaven", queryset=Uitgave.objects.order_by("spent_on", "pk")),
        )
        .order_by("pk")
    )


def all_decided(ronde: Ronde) -> bool:
    visible = ronde.aanvragen.filter(initiatief__is_hidden=False)
    return visible.exists() and not visible.filter(decision="").exists()


def ronde_phase(ronde: Ronde, today: datetime.date | None = None) -> Fase:
    today = today or timezone.localdate()
    decided = ronde.is_closed(today) and all_decided(ronde)
    return ronde.phase(today, all_decided=decided)


def ballots_cast(ronde: Ronde) -> int:
    """How many have voted so far (a number that says nothing about choices)."""
    return ronde.stembiljetten.count()


def ballots_shown(ronde: Ronde) -> int | None:
    """The number of voters as residents and officers see it: None below K."""
    return k_count(ballots_cast(ronde)).value


def votes_hidden(ronde: Ronde, today: datetime.date | None = None) -> bool:
    """A closed round with fewer than K ballots shows no votes per request: a voter
    could subtract their own ballot and read the others'."""
    today = today or timezone.localdate()
    return ronde.is_closed(today) and ballots_shown(ronde) is None


@dataclass
class AanvraagRow:
    aanvraag: Aanvraag
    themes: list[PublicThemeRow]
    spent: Decimal
    votes: int | None = None  # only once voting closed
    uitgaven: list[Uitgave] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal | None:
        granted = self.aanvraag.decision_amount
        return None if granted is None else Decimal(granted) - self.spent


def aanvraag_rows(
    ronde: Ronde, *, today: datetime.date | None = None
) -> list[AanvraagRow]:
    """The round's visible requests with advice themes (public ones only), spending
    and, for a closed round with at least K ballots only, the votes; most votes first
    then."""
    today = today or timezone.localdate()
    closed = ronde.is_closed(today)
    counted = closed and not votes_hidden(ronde, today)
    aanvragen = list(_visible_aanvragen(ronde))
    public = {row.pk: row for row in public_themes_for_wijk(ronde.wijk)}
    votes: dict[int, int] = {}
    if counted:
        votes = dict(
            ronde.aanvragen.values("pk")
            .annotate(n=Count("keuzes"))
            .values_list("pk", "n")
        )
    rows = []
    for aanvraag in aanvragen:
        uitgaven = list(aanvraag.uitgaven.all())
        rows.append(
            AanvraagRow(
                aanvraag=aanvraag,
                themes=[
                    public[t.pk] for t in aanvraag.advice_themas.all() if t.pk in public
                ],
                spent=sum((u.amount for u in uitgaven), Decimal(0)),
                votes=votes.get(aanvraag.pk, 0) if counted else None,
                uitgaven=uitgaven,
            )
        )
    if counted:
        rows.sort(key=lambda row: (-(row.votes or 0), row.aanvraag.pk))
    return rows


def aanvraag_row(aanvraag: Aanvraag) -> AanvraagRow | None:
    for row in aanvraag_rows(aanvraag.ronde):
        if row.aanvraag.pk == aanvraag.pk:
            return row
    return None


def rondes_for_wijk_page(wijk: Wijk) -> list[Ronde]:
    """Rounds worth showing on the wijk page: not announced too early, and not long
    over (decided rounds stay a year, for the accounting)."""
    today = timezone.localdate()
    return list(
        rondes(wijk=wijk)
        .filter(vote_close__gte=today - datetime.timedelta(days=365))
        .order_by("-vote_close", "-pk")[:3]
    )


@dataclass(frozen=True)
class InitiatiefBudget:
    """An initiative's requests, and the rounds of its wijk it may still ask in."""

    aanvragen: list[Aanvraag]
    open_rounds: list[Ronde]


def initiatief_budget(*, initiatief_id: int, wijk_id: int) -> InitiatiefBudget:
    """One query: the rounds of the wijk (or holding a request of the initiative),
    each with the initiative's request in it, if any."""
    today = timezone.localdate()
    mine = Aanvraag.objects.filter(ronde=OuterRef("pk"), initiatief_id=initiatief_id)
    rounds = list(
        Ronde.objects.filter(
            Q(wijk_id=wijk_id) | Q(aanvragen__initiatief_id=initiatief_id)
        )
        .distinct()
        .annotate(
            mine_pk=Subquery(mine.values("pk")[:1]),
            mine_amount=Subquery(mine.values("amount")[:1]),
            mine_decision=Subquery(mine.values("decision")[:1]),
        )
        .order_by("-vote_close", "pk")
    )
    aanvragen: list[Aanvraag] = []
    open_rounds: list[Ronde] = []
    for ronde in rounds:
        if ronde.mine_pk is not None:
            aanvraag = Aanvraag(
                pk=ronde.mine_pk,
                ronde=ronde,
                initiatief_id=initiatief_id,
                amount=ronde.mine_amount,
                decision=ronde.mine_decision,
            )
            aanvragen.append(aanvraag)
        elif ronde.takes_requests(today):
            open_rounds.append(ronde)
    return InitiatiefBudget(aanvragen=aanvragen, open_rounds=open_rounds)


RESULT_COLUMNS = (
    "ronde",
    "wijk",
    "wijkcode",
    "initiatief",
    "gevraagd_euro",
    "advies",
    "stemmen",
    "besluit",
    "toegekend_euro",
    "besteed_euro",
)


def result_rows(ronde: Ronde) -> list[list[Any]]:
    """The results table (page and CSV) of a closed round; [] while it is open."""
    if not ronde.is_closed(timezone.localdate()):
        return []
    return [
        [
            ronde.title,
            ronde.wijk.name,
            ronde.wijk.code,
            row.aanvraag.initiatief.title,
            row.aanvraag.amount,
            row.aanvraag.get_advice_display() if row.aanvraag.advice else "",
            "" if row.votes is None else row.votes,
            row.aanvraag.get_decision_display() if row.aanvraag.decision else "",
            row.aanvraag.decision_amount
            if row.aanvraag.decision == Besluit.TOEGEKEND
            else "",
            row.spent,
        ]
        for row in aanvraag_rows(ronde)
    ]


def granted_total(ronde: Ronde) -> int:
    return int(
        ronde.aanvragen.filter(
            decision=Besluit.TOEGEKEND, initiatief__is_hidden=False
        ).aggregate(total=Sum("decision_amount"))["total"]
        or 0
    )


def voted_rounds(user_id: int) -> QuerySet[Stemmer]:
    return Stemmer.objects.filter(user_id=user_id).select_related(
        "ronde", "ronde__wijk"
    )

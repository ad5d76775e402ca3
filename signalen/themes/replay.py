"""``rollup_eval --through-services``: the simulated team works through the product.

The labelled CSV becomes real rows (a gemeente, its wijken, a team per wijk, the
professionals p1..pN in the teams of the wijken they write in, Signaal rows with their
category, target groups and date), and the weeks are replayed in date order through
exactly the functions the pages and workers call:

- every new signal gets its stored vector from the intake worker's own function
  (``signalen.themes.vectors.signal_embed``);
- a professional with attach share ``attach`` asks ``services.theme_suggestions`` (the
  quick-log suggestion) and taps ``services.signal_attach`` when a theme whose members
  mostly carry the signal's true label is among the top three;
- after each week ``signalen.themes.runs.rollup_wijk`` runs for every wijk;
- a share ``review`` of the current themes is reviewed: members of another label are
  marked with ``services.signal_not_belong`` ("hoort er niet bij").

Everything runs inside one transaction that is rolled back at the end, and only on a
database without signals, so nothing is left behind. The figures are the same as for
the in-memory simulation (``rollup.evaluation.score_groups``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, Team, User
from signalen.models import (
    Bron,
    Categorie,
    Doelgroep,
    RollupRun,
    Signaal,
    ThemaActie,
    ThemaLid,
    WijkThema,
)
from signalen.themes import services, vectors
from signalen.themes.rollup import Params
from signalen.themes.rollup.evaluation import (
    LabelledSignal,
    Report,
    _prepared,
    score_groups,
)
from signalen.themes.runs import rollup_wijk
from wijken.models import Gemeente, Wijk

GEMEENTE_CODE = "GM9999"
EMAIL_DOMAIN = "rollup-eval.invalid"
SOURCE = "rollup-eval"
BRON_CODE = "rollup-eval"

Entry = TypeVar("Entry", Categorie, Doelgroep)


class ReplayRefused(RuntimeError):
    """The database is not one to replay in (it holds signals or these wijken)."""


@dataclass
class Replay:
    report: Report
    runs: int
    attached: int
    marked: int
    suggested_top3: int  # labelled signals whose true theme was among the suggestions
    suggested_asked: int  # labelled signals that had a suggestion list at all
    embedded: int  # signals that got a stored vector from signal_embed
    # ThemaActie rows per kind, counted just before the rollback.
    stored_actions: dict[str, int] = field(default_factory=dict)


class _RollBack(Exception):
    def __init__(self, replay: Replay) -> None:
        self.replay = replay


def _wijk_codes(rows: Sequence[LabelledSignal]) -> dict[str, str]:
    """CSV wijk -> a wijk code (the CSV's own when it is one, else WK9999nn)."""
    names = sorted({row.signal.wijk for row in rows})
    out = {}
    for number, name in enumerate(names, start=1):
        looks_like_code = (
            len(name) == 8 and name.startswith("WK") and name[2:].isdigit()
        )
        out[name] = name if looks_like_code else f"WK9999{number:02d}"
    return out


def refusal(rows: Sequence[LabelledSignal]) -> str | None:
    """Why this database is not one to replay in, or None."""
    if Signaal.objects.exists():
        return (
            "the database holds signals; run it on an empty database, e.g. "
            "env -u DATABASE_URL SQLITE_PATH=/tmp/rollup_eval.sqlite3 "
            "manage.py migrate first"
        )
    taken = Wijk.objects.filter(code__in=list(_wijk_codes(rows).values()))
    if taken.exists() or Gemeente.objects.filter(code=GEMEENTE_CODE).exists():
        return "the database already has the evaluation's gemeente or wijken"
    return None


@dataclass
class _World:
    wijken: dict[str, Wijk]  # by CSV wijk
    teams: dict[str, Team]  # by CSV wijk
    professionals: dict[str, User]  # by CSV author
    reviewers: dict[str, User]  # by CSV wijk: the team member who reviews
    categories: dict[str, Categorie]
    groups: dict[str, Doelgroep]
    bron: Bron


def _taxonomy(model: type[Entry], codes: Iterable[str]) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for code in sorted(set(codes)):
        out[code], _ = model.objects.get_or_create(
            code=code, defaults={"name": code[:100]}
        )
    return out


def _world(rows: Sequence[LabelledSignal]) -> _World:
    gemeente = Gemeente.objects.create(
        code=GEMEENTE_CODE, name="Evaluatiegemeente", source=SOURCE
    )
    wijken: dict[str, Wijk] = {}
    teams: dict[str, Team] = {}
    for name, code in sorted(_wijk_codes(rows).items()):
        wijken[name] = Wijk.objects.create(
            code=code, name=f"Evaluatiewijk {name}", gemeente=gemeente, source=SOURCE
        )
        teams[name] = Team.objects.create(name=f"Wijkteam {name}", gemeente=gemeente)
        teams[name].wijken.add(wijken[name])
    professionals: dict[str, User] = {}
    members: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        members[row.signal.wijk].add(_author(row))
    for author in sorted({a for names in members.values() for a in names}):
        professionals[author] = User.objects.create_user(
            email=f"{author}@{EMAIL_DOMAIN}".lower(),
            display_name=author,
            role=Role.PROFESSIONAL,
        )
    for name, authors in members.items():
        teams[name].members.add(*(professionals[a] for a in sorted(authors)))
    return _World(
        wijken=wijken,
        teams=teams,
        professionals=professionals,
        reviewers={name: professionals[min(a)] for name, a in members.items()},
        categories=_taxonomy(
            Categorie, (r.signal.category for r in rows if r.signal.category)
        ),
        groups=_taxonomy(
            Doelgroep, (g for r in rows for g in r.signal.target_groups if g)
        ),
        bron=Bron.objects.get_or_create(code=BRON_CODE, defaults={"name": SOURCE})[0],
    )


def _author(row: LabelledSignal) -> str:
    return row.signal.author or "p1"


def _default_category() -> Categorie:
    found = Categorie.objects.order_by("order", "pk").first()
    if found is None:
        found = Categorie.objects.create(code="overig", name="overig")
    return found


def replay(
    rows: list[LabelledSignal],
    params: Params | None = None,
    *,
    attach: float = 0.0,
    review: float = 0.0,
    seed: int = 1,
    step_days: int = 7,
) -> Replay:
    """Replay the rows week by week through the services; nothing stays behind."""
    reason = refusal(rows)
    if reason:
        raise ReplayRefused(reason)
    try:
        with transaction.atomic():
            raise _RollBack(
                _replay(
                    rows,
                    _prepared(rows, params),
                    attach=attach,
                    review=review,
                    seed=seed,
                    step_days=step_days,
                )
            )
    except _RollBack as done:
        return done.replay


def _replay(
    rows: list[LabelledSignal],
    params: Params,
    *,
    attach: float,
    review: float,
    seed: int,
    step_days: int,
) -> Replay:
    rng = random.Random(seed)  # noqa: S311 - a simulation, not a secret
    world = _world(rows)
    fallback_category = _default_category()
    dated = [r.signal.observed_on for r in rows if r.signal.observed_on]
    first = min(dated) if dated else timezone.localdate()
    ordered = sorted(
        rows, key=lambda r: (r.signal.observed_on or first, str(r.signal.id))
    )
    batches: dict[int, list[LabelledSignal]] = {}
    for row in ordered:
        day = row.signal.observed_on or first
        batches.setdefault((day - first).days // step_days, []).append(row)

    label_of: dict[int, str] = {}  # Signaal pk -> true label
    row_of: dict[int, int | str] = {}  # Signaal pk -> the CSV row's id
    attached = marked = top3 = asked = embedded = 0
    as_of: dt.date | None = None

    def majority(thema_id: int) -> str | None:
        counts = Counter(
            label_of[pk]
            for pk in ThemaLid.objects.filter(thema_id=thema_id).values_list(
                "signaal_id", flat=True
            )
        )
        if not counts:
            return None
        return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]

    for _, batch in sorted(batches.items()):
        for row in batch:
            signal = row.signal
            observed_on = signal.observed_on or first
            signaal = Signaal.objects.create(
                wijk=world.wijken[signal.wijk],
                team=world.teams[signal.wijk],
                author=world.professionals[_author(row)],
                categorie=world.categories.get(signal.category, fallback_category),
                bron=world.bron,
                text=signal.text,
                observed_on=observed_on,
                scrub_pending=False,
            )
            if signal.target_groups:
                signaal.doelgroepen.set([world.groups[g] for g in signal.target_groups])
            label_of[signaal.pk] = row.label
            row_of[signaal.pk] = signal.id
            # The intake worker's own step: embed once, store.
            embedded += vectors.signal_embed(signaal.pk)
            as_of = max(as_of, observed_on) if as_of else observed_on
            wants = rng.random() < attach
            if not (attach and row.label):
                continue
            suggestions = services.theme_suggestions(signaal, k=3)
            if not suggestions:
                continue
            asked += 1
            hit = next(
                (s for s in suggestions if majority(s.thema_id) == row.label), None
            )
            if hit is None:
                continue
            top3 += 1
            if wants:
                services.signal_attach(
                    signaal=signaal,
                    thema=WijkThema.objects.get(pk=hit.thema_id),
                    actor=world.professionals[_author(row)],
                )
                attached += 1
        for _name, wijk in sorted(world.wijken.items()):
            rollup_wijk(
                wijk, trigger=RollupRun.Trigger.MANUAL, as_of=as_of, params=params
            )
        if not review:
            continue
        reviewed_themes = WijkThema.objects.filter(
            wijk__in=list(world.wijken.values()), is_current=True
        ).order_by("wijk__code", "pk")
        by_wijk = {wijk.pk: name for name, wijk in world.wijken.items()}
        for thema in reviewed_themes:
            if rng.random() >= review:
                continue
            label = majority(thema.pk)
            members = sorted(
                ThemaLid.objects.filter(thema=thema).values_list(
                    "signaal_id", flat=True
                )
            )
            for pk in members:
                if label_of[pk] == label:
                    continue
                services.signal_not_belong(
                    signaal=Signaal.objects.get(pk=pk),
                    thema=thema,
                    actor=world.reviewers[by_wijk[thema.wijk_id]],
                )
                marked += 1

    groups: dict[str, list[int | str]] = defaultdict(list)
    for thema_id, signaal_id in ThemaLid.objects.filter(
        thema__wijk__in=list(world.wijken.values()), thema__is_current=True
    ).values_list("thema_id", "signaal_id"):
        groups[f"thema#{thema_id}"].append(row_of[signaal_id])
    stored = Counter(
        ThemaActie.objects.filter(
            thema__wijk__in=list(world.wijken.values())
        ).values_list("soort", flat=True)
    )
    return Replay(
        report=score_groups(rows, dict(groups)),
        runs=len(batches),
        attached=attached,
        marked=marked,
        suggested_top3=top3,
        suggested_asked=asked,
        embedded=embedded,
        stored_actions=dict(sorted(stored.items())),
    )

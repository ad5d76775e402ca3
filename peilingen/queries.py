# mypy: disallow-untyped-defs, disallow-incomplete-defs, warn-return-any
"""Reads of wijkpeilingen: k-anonymous results, coverage of the rounds, open answers.

How a result stays k-anonymous (signalen.kanon's rules, for a survey):

1. Results leave the team only when the survey is closed: its counts never change
   again, so two readings a day apart cannot be subtracted to find one person.
2. A filter is one dimension at a time (buurt, age band or household), never a
   combination: two filters at once could isolate a handful of people, and the
   differences between combined views cannot all be protected.
3. Each dimension's groups are fixed before any number is shown: a value with fewer
   than K respondents joins "overig of onbekend"; when that group is still below K,
   the smallest group joins it too, until it passes (or everyone is in it: then the
   dimension cannot be filtered on). So every group, and so every complement (the
   wijk minus a group), holds at least K people.
4. Cells below K are hidden, and then more cells (secondary suppression) until no
   hidden cell can be worked out from a line whose total is known: a question's row
   in the wijk or in a group (its total is the number who answered) and an option's
   column over the groups of a dimension (its total is the wijk's cell). So "the wijk
   minus buurt A" never pins a hidden cell of another buurt.
5. Every hidden count reads "verborgen" (KCount), whatever the reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peilingen.models import (
    Antwoord,
    Bezoek,
    BezoekUitkomst,
    Huishouden,
    Kanaal,
    Leeftijd,
    Peiling,
    PeilingSamenvatting,
    PeilingStatus,
    Respons,
    Ronde,
    SamenvattingStatus,
    Vraag,
    VraagSoort,
)
from peilingen.services import SCALE_MAX, SCALE_MIN
from signalen.kanon import (
    KCount,
    KTable,
    _hidden_cells_derivable,
    k_anonymous_counts,
    k_count,
    k_threshold,
)
from wijken.models import Buurt

REST = "overig"
DIMENSIONS = ("buurt", "leeftijd", "huishouden")
DIMENSION_LABELS = {
    "buurt": gettext_lazy("Buurt"),
    "leeftijd": gettext_lazy("Leeftijd"),
    "huishouden": gettext_lazy("Huishouden"),
}
OPEN_KEY = "open"


# --- Groups per dimension --------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    members: frozenset[str]
    size: int


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    groups: tuple[Group, ...]

    @property
    def filterable(self) -> bool:
        return len(self.groups) >= 2

    def group(self, key: str) -> Group | None:
        for group in self.groups:
            if group.key == key:
                return group
        return None


def _respondent_value(respons: Respons, dimension: str) -> str:
    if dimension == "buurt":
        return respons.buurt.code if respons.buurt_id and respons.buurt else ""
    if dimension == "leeftijd":
        return respons.age_band
    return respons.household


def dimension_groups(
    counts: Counter[str], *, labels: dict[str, str], dimension: str, k: int
) -> Dimension:
    """The fixed groups of one dimension (rule 3 of the module docstring)."""
    alone = sorted(
        (value for value, n in counts.items() if value and n >= k),
        key=lambda value: (-counts[value], value),
    )
    rest = [value for value in counts if value not in alone]

    def rest_size() -> int:
        return sum(counts[value] for value in rest)

    while rest and 0 < rest_size() < k:
        if not alone:
            break
        smallest = min(alone, key=lambda value: (counts[value], value))
        alone.remove(smallest)
        rest.append(smallest)
    groups = [
        Group(value, labels.get(value, value), frozenset([value]), counts[value])
        for value in sorted(alone, key=lambda v: str(labels.get(v, v)))
    ]
    if rest and rest_size() >= k:
        groups.append(
            Group(REST, _("Overig of onbekend"), frozenset(rest), rest_size())
        )
    elif rest_size() > 0:
        groups = []  # everyone together is below K: no filter at all
    return Dimension(dimension, str(DIMENSION_LABELS[dimension]), tuple(groups))


def _labels(dimension: str, buurten: Iterable[Buurt]) -> dict[str, str]:
    if dimension == "buurt":
        return {buurt.code: buurt.name for buurt in buurten}
    choices = Leeftijd.choices if dimension == "leeftijd" else Huishouden.choices
    return {value: str(label) for value, label in choices}


# --- The results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    count: KCount


@dataclass(frozen=True)
class QuestionResult:
    vraag: Vraag
    cells: tuple[Cell, ...]
    # How many answered: for the wijk only (per group it could be subtracted from the
    # wijk's; a group shows its number of people instead, at least K).
    answered: KCount | None
    open_count: KCount | None = None

    @property
    def is_open(self) -> bool:
        return self.vraag.kind == VraagSoort.OPEN

    @property
    def chart_max(self) -> int:
        return max([c.count.value or 0 for c in self.cells] + [1])

    @property
    def bars(self) -> list[dict[str, Any]]:
        """The chart's bars (SVG units: 300 wide, a row of 24 per answer); a hidden
        count has no bar, only its label "verborgen" (the table says the same)."""
        rows = []
        for i, cell in enumerate(self.cells):
            value = cell.count.value
            width = round((value or 0) / self.chart_max * 240)
            rows.append(
                {
                    "y": i * 24 + 4,
                    "text_y": i * 24 + 17,
                    "width": width,
                    "text_x": width + 4,
                    "text": str(cell.count),
                }
            )
        return rows

    @property
    def chart_height(self) -> int:
        return max(24, len(self.cells) * 24)


@dataclass(frozen=True)
class Results:
    peiling: Peiling
    respondents: KCount
    channels: KTable[str]
    dimensions: tuple[Dimension, ...]
    dimension: Dimension | None  # the filter, if any
    group: Group | None
    questions: tuple[QuestionResult, ...]
    # Every published table (the wijk and each group), for the CSV.
    all_views: tuple[tuple[str, str, tuple[QuestionResult, ...]], ...] = field(
        default=()
    )


class FilterError(ValueError):
    """A filter that is not allowed (two at once, or an unknown group)."""


def _option_keys(vraag: Vraag) -> list[tuple[str, str]]:
    if vraag.kind == VraagSoort.SCHAAL:
        return [(str(i), str(i)) for i in range(SCALE_MIN, SCALE_MAX + 1)]
    if vraag.kind == VraagSoort.OPEN:
        return [(OPEN_KEY, _("Open antwoorden"))]
    return [(str(i), option) for i, option in enumerate(vraag.options)]


def _answer_keys(vraag: Vraag, antwoord: Antwoord) -> list[str]:
    if vraag.kind == VraagSoort.SCHAAL:
        return [str(antwoord.scale)] if antwoord.scale else []
    if vraag.kind == VraagSoort.OPEN:
        return [OPEN_KEY] if (antwoord.text or antwoord.scrub_pending) else []
    return [str(i) for i in antwoord.choices]


@dataclass
class _Raw:
    """One question's counts: the wijk row and, per dimension, per group."""

    wijk: dict[str, int]
    answered: int
    groups: dict[str, dict[str, dict[str, int]]]  # dimension -> group -> option -> n
    group_answered: dict[str, dict[str, int]]


def _protect(
    raw: _Raw, *, options: list[str], row_total: bool, k: int
) -> tuple[set[tuple[str, ...]], bool]:
    """Hidden cells ("W", o) and (dimension, group, o), and whether the wijk's
    'answered' total must hide too (rule 4 of the module docstring)."""
    value: dict[tuple[str, ...], int] = {("W", o): raw.wijk.get(o, 0) for o in options}
    for dim, groups in raw.groups.items():
        for g, row in groups.items():
            for o in options:
                value[(dim, g, o)] = row.get(o, 0)
    hidden = {cell for cell, n in value.items() if n < k}
    answered_hidden = raw.answered < k

    # Lines: (cells, a function telling whether the line's total is known, on_empty)
    lines: list[tuple[list[tuple[str, ...]], Any, Any]] = []

    def wijk_known() -> bool:
        return row_total and not answered_hidden

    lines.append(([("W", o) for o in options], wijk_known, "answered"))
    for dim, groups in raw.groups.items():
        for g in groups:
            lines.append(([(dim, g, o) for o in options], (lambda: row_total), None))
        for o in options:
            lines.append(
                (
                    [(dim, g, o) for g in groups],
                    (lambda o=o: ("W", o) not in hidden),
                    ("W", o),
                )
            )
    changed = True
    while changed:
        changed = False
        for cells, known, on_empty in lines:
            if not known():
                continue
            if not _hidden_cells_derivable([value[c] for c in cells if c in hidden], k):
                continue
            shown = [c for c in cells if c not in hidden]
            if shown:
                hidden.add(min(shown, key=lambda c: (value[c], c)))
                changed = True
            elif on_empty == "answered":
                if not answered_hidden:
                    answered_hidden = True
                    changed = True
            elif on_empty is not None and on_empty not in hidden:
                hidden.add(on_empty)
                changed = True
    return hidden, answered_hidden


def _threshold_count(n: int, hidden: bool, k: int) -> KCount:
    return KCount(None if hidden or n < k else n, k)


def _question_result(
    vraag: Vraag,
    counts: dict[str, int],
    answered: int,
    hidden: set[str],
    answered_hidden: bool,
    k: int,
    *,
    in_group: bool = False,
) -> QuestionResult:
    keys = _option_keys(vraag)
    cells = tuple(
        Cell(key, label, _threshold_count(counts.get(key, 0), key in hidden, k))
        for key, label in keys
    )
    answered_count = (
        None if in_group else _threshold_count(answered, answered_hidden, k)
    )
    if vraag.kind == VraagSoort.OPEN:
        return QuestionResult(vraag, (), answered_count, open_count=cells[0].count)
    return QuestionResult(vraag, cells, answered_count)


def peiling_results(
    peiling: Peiling, *, filters: dict[str, str] | None = None, k: int | None = None
) -> Results:
    """The k-anonymous results of a survey, for the wijk or one group of one dimension.

    Raises FilterError for two filters at once or a group that does not exist."""
    k = k_threshold() if k is None else k
    filters = {key: value for key, value in (filters or {}).items() if value}
    if len(filters) > 1:
        raise FilterError("one filter at a time")
    responses = list(
        Respons.objects.filter(peiling=peiling)
        .select_related("buurt")
        .prefetch_related(Prefetch("antwoorden", queryset=Antwoord.objects.all()))
    )
    buurten = list(Buurt.objects.filter(wijk_id=peiling.wijk_id))
    dimensions = tuple(
        dimension_groups(
            Counter(_respondent_value(r, dim) for r in responses),
            labels=_labels(dim, buurten),
            dimension=dim,
            k=k,
        )
        for dim in DIMENSIONS
    )
    chosen_dim: Dimension | None = None
    chosen_group: Group | None = None
    if filters:
        ((dim_key, group_key),) = filters.items()
        chosen_dim = next((d for d in dimensions if d.key == dim_key), None)
        if chosen_dim is None or not chosen_dim.filterable:
            raise FilterError("unknown dimension")
        chosen_group = chosen_dim.group(group_key)
        if chosen_group is None:
            raise FilterError("unknown group")

    # Which group of each dimension each respondent is in.
    member_of: dict[str, dict[str, str]] = {}
    for dim in dimensions:
        lookup = {value: g.key for g in dim.groups for value in g.members}
        member_of[dim.key] = {
            str(r.pk): lookup.get(_respondent_value(r, dim.key), "") for r in responses
        }

    vragen = list(peiling.vragen.all())
    views: dict[tuple[str, str], list[QuestionResult]] = {("", ""): []}
    for dim in dimensions:
        if dim.filterable:
            for g in dim.groups:
                views[(dim.key, g.key)] = []
    for vraag in vragen:
        options = [key for key, _label in _option_keys(vraag)]
        raw = _Raw(
            wijk=Counter(),
            answered=0,
            groups={
                d.key: {g.key: Counter() for g in d.groups}
                for d in dimensions
                if d.filterable
            },
            group_answered={d.key: Counter() for d in dimensions if d.filterable},
        )
        for r in responses:
            for antwoord in r.antwoorden.all():
                if antwoord.vraag_id != vraag.pk:
                    continue
                keys = _answer_keys(vraag, antwoord)
                if not keys:
                    continue
                raw.answered += 1
                for key in keys:
                    raw.wijk[key] += 1
                for dim_key in raw.groups:
                    group_key = member_of[dim_key][str(r.pk)]
                    raw.group_answered[dim_key][group_key] += 1
                    for key in keys:
                        raw.groups[dim_key][group_key][key] += 1
        row_total = vraag.kind in (VraagSoort.EEN, VraagSoort.SCHAAL)
        hidden, answered_hidden = _protect(
            raw, options=options, row_total=row_total, k=k
        )
        views[("", "")].append(
            _question_result(
                vraag,
                raw.wijk,
                raw.answered,
                {o for o in options if ("W", o) in hidden},
                answered_hidden,
                k,
            )
        )
        for dim_key, groups in raw.groups.items():
            for group_key, row in groups.items():
                views[(dim_key, group_key)].append(
                    _question_result(
                        vraag,
                        row,
                        raw.group_answered[dim_key][group_key],
                        {o for o in options if (dim_key, group_key, o) in hidden},
                        answered_hidden,
                        k,
                        in_group=True,
                    )
                )

    channel_counts = Counter(r.channel for r in responses)
    channels = channel_table(
        {value: channel_counts.get(value, 0) for value in Kanaal.values}, k=k
    )
    all_views = [("", str(_("Hele wijk")), tuple(views[("", "")]))]
    for dim in dimensions:
        if dim.filterable:
            for g in dim.groups:
                all_views.append((dim.label, g.label, tuple(views[(dim.key, g.key)])))
    chosen = (
        (chosen_dim.key, chosen_group.key)
        if chosen_dim is not None and chosen_group is not None
        else ("", "")
    )
    respondents = (
        k_count(chosen_group.size, k=k)
        if chosen_group
        else k_count(len(responses), k=k)
    )
    return Results(
        peiling=peiling,
        respondents=respondents,
        channels=channels,
        dimensions=dimensions,
        dimension=chosen_dim,
        group=chosen_group,
        questions=tuple(views[chosen]),
        all_views=tuple(all_views),
    )


def channel_table(counts: dict[str, int], *, k: int) -> KTable[str]:
    """The channels, k-anonymous beside the number of people the page shows: that
    number is their total, so while the hidden channels could be worked out from it
    (one hidden alone, or all at 0 or K-1) the smallest shown channel hides too."""
    table = k_anonymous_counts(counts, total=False, k=k)
    hidden = {key for key, count in table.cells if count.is_hidden}
    while _hidden_cells_derivable([counts[key] for key in hidden], k):
        shown = [key for key in counts if key not in hidden]
        if not shown:
            break
        hidden.add(min(shown, key=lambda key: (counts[key], key)))
    cells = [
        (key, KCount(None if key in hidden else counts[key], k))
        for key, _count in table.cells
    ]
    cells.sort(key=lambda cell: cell[1].is_hidden)  # shown first, order kept
    return KTable(cells=tuple(cells), total=None)


def results_csv_rows(results: Results) -> list[list[Any]]:
    """Every published number, one per row; hidden ones read 'verborgen'."""
    rows: list[list[Any]] = [
        [_("filter"), _("groep"), _("vraag"), _("antwoord"), _("aantal")]
    ]
    for dim_label, group_label, questions in results.all_views:
        for result in questions:
            text = result.vraag.text
            if result.is_open:
                label = _("Open antwoorden")
                rows.append(
                    [dim_label, group_label, text, label, str(result.open_count)]
                )
                continue
            for cell in result.cells:
                rows.append([dim_label, group_label, text, cell.label, str(cell.count)])
            if result.answered is not None:
                label = _("Beantwoord door")
                rows.append([dim_label, group_label, text, label, str(result.answered)])
    return rows


def respondent_count(peiling: Peiling) -> int:
    """The number of responses: for the writers while the survey is open (shown only
    through k_count outside the team)."""
    return Respons.objects.filter(peiling=peiling).count()


# --- Open answers (the team only) ----------------------------------------------------------------


@dataclass(frozen=True)
class OpenAnswer:
    pk: int
    vraag: str
    text: str
    pending: bool
    signaal_made: bool
    buurt: str


def open_answers(peiling: Peiling) -> list[OpenAnswer]:
    """The scrubbed open answers, for the team. No date, channel or bands beside them:
    the text is what the team needs, and less beside it identifies less."""
    rows = (
        Antwoord.objects.filter(respons__peiling=peiling, vraag__kind=VraagSoort.OPEN)
        .exclude(text="", scrub_pending=False)
        .select_related("vraag", "respons__buurt")
        .order_by("vraag__order", "pk")
    )
    return [
        OpenAnswer(
            pk=a.pk,
            vraag=a.vraag.text,
            text=a.text,
            pending=a.scrub_pending,
            signaal_made=a.signaal_made,
            buurt=a.respons.buurt.name if a.respons.buurt else "",
        )
        for a in rows
    ]


def open_answer_count(peiling: Peiling) -> KCount:
    return k_count(
        Antwoord.objects.filter(respons__peiling=peiling, vraag__kind=VraagSoort.OPEN)
        .exclude(text="", scrub_pending=False)
        .count()
    )


def summary_published(peiling: Peiling) -> PeilingSamenvatting | None:
    return (
        PeilingSamenvatting.objects.filter(
            peiling=peiling, status=SamenvattingStatus.PUBLISHED
        )
        .order_by("-decided_at")
        .first()
    )


def summary_pending(peiling: Peiling) -> PeilingSamenvatting | None:
    return (
        PeilingSamenvatting.objects.filter(
            peiling=peiling, status=SamenvattingStatus.PENDING
        )
        .select_related("author")
        .first()
    )


# --- Coverage of the rounds ------------------------------------------------------------------------


@dataclass(frozen=True)
class StreetVisit:
    street: str
    ranges: tuple[str, ...]
    outcomes: dict[str, int]


@dataclass(frozen=True)
class BuurtCoverage:
    buurt: Buurt
    visits: int
    spoken: int
    streets: tuple[StreetVisit, ...]

    @property
    def visited(self) -> bool:
        return self.visits > 0


def _range_text(bezoek: Bezoek) -> str:
    if bezoek.number_from and bezoek.number_to:
        return f"{bezoek.number_from}-{bezoek.number_to}"
    if bezoek.number_from:
        return str(bezoek.number_from)
    return _("hele straat")


def coverage(peiling: Peiling) -> list[BuurtCoverage]:
    """Per buurt of the wijk: the streets the rounds marked, and which buurten no round
    reached yet. (Street lists per buurt are not in the CBS data, so coverage is per
    buurt and per marked street.)"""
    bezoeken = list(
        Bezoek.objects.filter(ronde__peiling=peiling).select_related("buurt")
    )
    by_buurt: dict[int | None, list[Bezoek]] = {}
    for bezoek in bezoeken:
        by_buurt.setdefault(bezoek.buurt_id, []).append(bezoek)
    result = []
    for buurt in Buurt.objects.filter(wijk_id=peiling.wijk_id, is_active=True).order_by(
        "name"
    ):
        rows = by_buurt.get(buurt.pk, [])
        streets: dict[str, list[Bezoek]] = {}
        for bezoek in rows:
            streets.setdefault(bezoek.street, []).append(bezoek)
        result.append(
            BuurtCoverage(
                buurt=buurt,
                visits=len(rows),
                spoken=sum(1 for b in rows if b.outcome == BezoekUitkomst.GESPROKEN),
                streets=tuple(
                    StreetVisit(
                        street=name,
                        ranges=tuple(_range_text(b) for b in visits),
                        outcomes=dict(Counter(b.outcome for b in visits)),
                    )
                    for name, visits in sorted(streets.items())
                ),
            )
        )
    return result


def coverage_map(peiling: Peiling, rows: list[BuurtCoverage]) -> dict[str, Any]:
    """The buurten as GeoJSON, each saying whether a round has been there."""
    features = []
    for row in rows:
        if not row.buurt.geometry:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": row.buurt.geometry,
                "properties": {
                    "code": row.buurt.code,
                    "name": (
                        _("%(name)s: bezocht")
                        if row.visited
                        else _("%(name)s: nog niet")
                    )
                    % {"name": row.buurt.name},
                    "visited": row.visited,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def rondes_of(peiling: Peiling) -> QuerySet[Ronde]:
    return (
        Ronde.objects.filter(peiling=peiling)
        .select_related("buurt", "started_by")
        .annotate(answer_count=Count("responses", distinct=True))
    )


# --- Who answered, for "wie horen we niet?" (dashboard/representation.py) -------------------


@dataclass(frozen=True)
class RespondentProfile:
    """Respondents of a wijk's closed surveys per age band and household type.

    `total` sums the surveys with at least K respondents; `age_bands` and
    `households` sum, per value, only the groups those surveys' own results show
    on their own (rule 3: at least K people each). A value that is "overig of
    onbekend" in a survey does not count there. So every figure is a sum of figures
    the results pages show anyway, and no difference of two of them (this one minus
    one survey's) pins a group smaller than K."""

    surveys: int
    total: int
    age_bands: dict[str, int]
    households: dict[str, int]


def respondent_profile(*, wijk_id: int, k: int | None = None) -> RespondentProfile:
    k = k_threshold() if k is None else k
    rows = (
        Respons.objects.filter(
            peiling__wijk_id=wijk_id, peiling__status=PeilingStatus.GESLOTEN
        )
        .values("peiling_id", "age_band", "household")
        .annotate(n=Count("pk"))
        .values_list("peiling_id", "age_band", "household", "n")
    )
    ages: dict[int, Counter[str]] = {}
    households: dict[int, Counter[str]] = {}
    for peiling_id, age_band, household, n in rows:
        ages.setdefault(peiling_id, Counter())[age_band] += n
        households.setdefault(peiling_id, Counter())[household] += n
    surveys = total = 0
    age_sums: Counter[str] = Counter()
    household_sums: Counter[str] = Counter()
    for peiling_id, age_counts in ages.items():
        size = sum(age_counts.values())
        if size < k:
            continue
        surveys += 1
        total += size
        for counts, dimension, sums in (
            (age_counts, "leeftijd", age_sums),
            (households[peiling_id], "huishouden", household_sums),
        ):
            dim = dimension_groups(counts, labels={}, dimension=dimension, k=k)
            for group in dim.groups:
                if group.key != REST:
                    sums[group.key] += group.size
    return RespondentProfile(
        surveys=surveys,
        total=total,
        age_bands=dict(age_sums),
        households=dict(household_sums),
    )

"""Quality figures of the engine against a labelled CSV (``manage.py rollup_eval``).

CSV columns: ``text,label`` and optionally ``wijk,category,target_groups,author,
observed_on`` (target groups separated by ``;``). An empty label means "belongs to no
theme". Without ``author`` the two-author rule is not applied; without ``wijk`` all rows
are one wijk.

Definitions:
- a true theme is a (wijk, label) pair: the engine clusters per wijk, so one label in
  two wijken is two themes; all rows without a label form one class "no theme", and all
  rows the engine put in no theme form one predicted cluster "no theme";
- ARI and NMI (scikit-learn) over all rows with those classes;
- purity: over the rows the engine put into themes, the share that carries its
  theme's majority label (noise inside a theme lowers it);
- found: a true theme is found when a theme's majority label is it and that theme
  holds at least half of the theme's rows;
- noise_pulled_in: rows without a label that the engine put into a theme.

``simulate`` plays the team (``rollup_eval --attach --review``): signals come in date
order, a week at a time; at intake a share of them is attached to a theme when the
true theme is among the top three that the product's suggestion (``rank_themes``)
shows; after each run a share of the themes is reviewed and members of another label
are marked "hoort er niet bij". The actions become constraints by the same function
the product's runs use (``constraints_from_actions``). It is the in-memory shortcut
(``rollup_eval --shortcut``); by default ``rollup_eval --attach/--review`` replays the
same team through the pages' services in real, rolled-back rows
(``signalen/themes/replay.py``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from signalen.themes.rollup.constraints import Action, constraints_from_actions
from signalen.themes.rollup.data import (
    ExistingTheme,
    InputSignal,
    Params,
    ThemeId,
    WijkResult,
)
from signalen.themes.rollup.engine import rollup
from signalen.themes.rollup.suggest import rank_themes

NO_THEME = "-"
DEFAULT_WIJK = "WIJK"
REQUIRED = ("text", "label")


class EvalFileError(ValueError):
    """The CSV cannot be read as an evaluation set."""


@dataclass(frozen=True)
class LabelledSignal:
    signal: InputSignal
    label: str


@dataclass(frozen=True)
class Report:
    rows: int
    themes: int
    ari: float
    nmi: float
    purity: float
    found: int
    true_themes: int
    noise_pulled_in: int
    noise_rows: int

    def last_line(self) -> str:
        return (
            f"ARI={self.ari:.3f} NMI={self.nmi:.3f} purity={self.purity:.3f} "
            f"found={self.found}/{self.true_themes} "
            f"noise_pulled_in={self.noise_pulled_in}/{self.noise_rows}"
        )


def read_csv(source: str | Path | io.TextIOBase) -> tuple[list[LabelledSignal], bool]:
    """Rows of the CSV, and whether it has an ``author`` column."""
    if isinstance(source, str | Path):
        try:
            handle: Iterable[str] = (
                Path(source).read_text(encoding="utf-8").splitlines()
            )
        except (OSError, UnicodeDecodeError) as error:
            raise EvalFileError(f"cannot read {source}: {error}") from error
    else:
        handle = source
    reader = csv.DictReader(handle)
    columns = reader.fieldnames or []
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise EvalFileError(
            "missing column(s) " + ", ".join(missing) + "; expected at least text,label"
        )
    rows = []
    for number, record in enumerate(reader, start=2):
        if None in record or any(value is None for value in record.values()):
            raise EvalFileError(f"line {number}: wrong number of fields")
        observed = (record.get("observed_on") or "").strip()
        try:
            observed_on = dt.date.fromisoformat(observed) if observed else None
        except ValueError as error:
            raise EvalFileError(
                f"line {number}: observed_on {observed!r} is not a date (YYYY-MM-DD)"
            ) from error
        groups = (record.get("target_groups") or "").split(";")
        signal = InputSignal(
            id=number - 1,
            wijk=(record.get("wijk") or "").strip() or DEFAULT_WIJK,
            text=record["text"] or "",
            category=(record.get("category") or "").strip(),
            target_groups=tuple(sorted(g.strip() for g in groups if g.strip())),
            author=(record.get("author") or "").strip() or None,
            observed_on=observed_on,
        )
        rows.append(LabelledSignal(signal, (record["label"] or "").strip()))
    if not rows:
        raise EvalFileError("the file has no rows")
    return rows, "author" in columns


def with_vectors(
    rows: Sequence[LabelledSignal], embed: Callable[[list[str]], np.ndarray]
) -> list[LabelledSignal]:
    """The rows with a sentence vector each (``embed``: texts → one row per text)."""
    vectors = embed([row.signal.text for row in rows])
    return [
        LabelledSignal(replace(row.signal, vector=vectors[i]), row.label)
        for i, row in enumerate(rows)
    ]


def _prepared(rows: Sequence[LabelledSignal], params: Params | None) -> Params:
    params = params or Params()
    if not any(row.signal.author for row in rows):
        params = replace(params, min_authors=0)
    return params


def evaluate(rows: list[LabelledSignal], params: Params | None = None) -> Report:
    params = _prepared(rows, params)
    results = rollup([row.signal for row in rows], params=params)
    return score(rows, results)


@dataclass
class Simulation:
    report: Report
    runs: int
    attached: int
    marked: int
    suggested_top3: int  # labelled signals whose true theme was among the suggestions
    suggested_asked: int  # labelled signals that had a suggestion list at all


def simulate(
    rows: list[LabelledSignal],
    params: Params | None = None,
    *,
    attach: float = 0.0,
    review: float = 0.0,
    seed: int = 1,
    step_days: int = 7,
) -> Simulation:
    """Feed the rows in date order, a run every ``step_days``, with a simulated team."""
    params = _prepared(rows, params)
    rng = random.Random(seed)  # noqa: S311 - a simulation, not a secret
    label_of = {row.signal.id: row.label for row in rows}
    ordered = sorted(
        rows, key=lambda r: (r.signal.observed_on or dt.date.min, str(r.signal.id))
    )
    first = ordered[0].signal.observed_on or dt.date.min
    batches: dict[int, list[LabelledSignal]] = {}
    for row in ordered:
        day = row.signal.observed_on or first
        batches.setdefault((day - first).days // step_days, []).append(row)
    seen: list[InputSignal] = []
    existing: list[ExistingTheme] = []
    actions: list[Action] = []
    results: dict[str, WijkResult] = {}
    attached = marked = top3 = asked = 0
    counter = 0

    def majority(member_ids: Iterable[int | str]) -> str:
        counts = Counter(label_of[i] for i in member_ids)
        return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]

    for _, batch in sorted(batches.items()):
        constraints = constraints_from_actions(actions)
        for row in batch:
            signal = row.signal
            themes: dict[ThemeId, Sequence[int | str]] = {
                t.id: sorted(t.member_ids, key=str)
                for t in existing
                if t.wijk == signal.wijk
            }
            wants = rng.random() < attach
            if not (attach and row.label and themes):
                seen.append(signal)
                continue
            window = [s for s in seen if s.wijk == signal.wijk]
            top = rank_themes(signal, window, themes, k=3, constraints=constraints)
            asked += 1
            hit = next((t for t, _ in top if majority(themes[t]) == row.label), None)
            if hit is not None:
                top3 += 1
                if wants:
                    actions.append(Action(signal.id, "attach", hit))
                    attached += 1
            seen.append(signal)
        as_of = (
            max(s.observed_on for s in seen if s.observed_on)
            if any(s.observed_on for s in seen)
            else None
        )
        results = rollup(
            seen,
            existing,
            params,
            as_of=as_of,
            constraints=constraints_from_actions(actions),
        )
        existing = []
        for wijk, result in sorted(results.items()):
            for theme in result.themes:
                theme_id = theme.theme_id
                if theme_id is None:
                    counter += 1
                    theme_id = f"{wijk}:{counter}"
                existing.append(
                    ExistingTheme(theme_id, wijk, frozenset(theme.member_ids))
                )
        if review:
            for reviewed in existing:
                if rng.random() >= review:
                    continue
                label = majority(reviewed.member_ids)
                for member in sorted(reviewed.member_ids, key=str):
                    if label_of[member] != label:
                        actions.append(Action(member, "not_belong", reviewed.id))
                        marked += 1
    # The last run's themes, with the ids the simulation gave them.
    final: dict[str, WijkResult] = {}
    for wijk, result in results.items():
        themes_now = tuple(
            replace(theme, theme_id=t.id)
            for theme, t in zip(
                result.themes, [t for t in existing if t.wijk == wijk], strict=True
            )
        )
        final[wijk] = replace(result, themes=themes_now)
    return Simulation(
        report=score(rows, final),
        runs=len(batches),
        attached=attached,
        marked=marked,
        suggested_top3=top3,
        suggested_asked=asked,
    )


def score(rows: Sequence[LabelledSignal], results: dict[str, WijkResult]) -> Report:
    return score_groups(
        rows,
        {
            f"{wijk}#{number}": theme.member_ids
            for wijk, result in results.items()
            for number, theme in enumerate(result.themes)
        },
    )


def score_groups(
    rows: Sequence[LabelledSignal], groups: dict[str, Iterable[int | str]]
) -> Report:
    """The figures for the engine's themes given as name -> member ids (the ids of
    ``rows``' signals)."""
    predicted: dict[int | str, str] = {}
    for name, member_ids in groups.items():
        for member in member_ids:
            predicted[member] = name
    truth = [
        f"{row.signal.wijk}#{row.label}" if row.label else NO_THEME for row in rows
    ]
    guess = [predicted.get(row.signal.id, NO_THEME) for row in rows]

    members: dict[str, list[str]] = {}
    for true, cluster in zip(truth, guess, strict=True):
        if cluster != NO_THEME:
            members.setdefault(cluster, []).append(true)
    in_themes = sum(len(labels) for labels in members.values())
    majority_total = 0
    size_of = Counter(truth)
    found: set[str] = set()
    for labels in members.values():
        label, count = min(Counter(labels).items(), key=lambda i: (-i[1], i[0]))
        majority_total += count
        if label != NO_THEME and count * 2 >= size_of[label]:
            found.add(label)
    true_themes = {label for label in truth if label != NO_THEME}
    return Report(
        rows=len(rows),
        themes=len(members),
        ari=float(adjusted_rand_score(truth, guess)),
        nmi=float(normalized_mutual_info_score(truth, guess)),
        purity=majority_total / in_themes if in_themes else 0.0,
        found=len(found),
        true_themes=len(true_themes),
        noise_pulled_in=sum(
            1
            for t, g in zip(truth, guess, strict=True)
            if t == NO_THEME and g != NO_THEME
        ),
        noise_rows=size_of[NO_THEME],
    )

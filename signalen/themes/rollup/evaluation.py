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
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from signalen.themes.rollup.data import InputSignal, Params
from signalen.themes.rollup.engine import rollup

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


def evaluate(rows: list[LabelledSignal], params: Params | None = None) -> Report:
    params = params or Params()
    if not any(row.signal.author for row in rows):
        params = replace(params, min_authors=0)
    results = rollup([row.signal for row in rows], params=params)
    predicted: dict[int | str, str] = {}
    for wijk, result in results.items():
        for number, theme in enumerate(result.themes):
            for member in theme.member_ids:
                predicted[member] = f"{wijk}#{number}"
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

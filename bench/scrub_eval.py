"""Recall, false positives and cost of the signal-text scrubber on a hand-written set.

    .venv/bin/python bench/scrub_eval.py [bench/scrub_eval.jsonl] [--split dev] [--show]

Each line of the set: {"text": ..., "pii": [{"kind": ..., "text": ...}], "keep": [...],
"split": "dev" | "holdout"} ("dev": the rules were tuned on these; "holdout": written
afterwards and not tuned on).
An annotated span counts as removed when every letter and digit of it lies inside
something the scrubber removed (so it no longer appears in the output); every
occurrence of an annotated text in the sentence is an annotated span ("Joop ...,
Joop schreeuwt": two). A false positive is a removal that touches no annotated span
nor a word of an annotated name standing alone ("Kees" after "Kees van den Berg"). "Words kept": the share of the
words outside every annotated span that are still in the output (the bar: 98 %).
Kinds "kenteken", "handle" and "quasi" (a very high age, a house number without a
street) are annotated like the others: the identifying part ("94", "nummer 17").
Costs are per signal, after
warm-up; the baseline in the same run is the regex layer alone (plus the title rule).
"""

from __future__ import annotations

import json
import re
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from signalen.intake.scrub import core, names  # noqa: E402
from signalen.intake.scrub.types import Span  # noqa: E402

Row = dict[str, object]
_WORD = re.compile(r"\w+")


def load(path: Path) -> list[Row]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def _occurrences(text: str, needle: str) -> list[int]:
    """Where `needle` occurs in `text` as whole words (every time, not only the first)."""
    pattern = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")
    found = [m.start() for m in pattern.finditer(text)]
    return found or [text.index(needle)]


def annotated_spans(row: Row) -> list[Span]:
    """Every occurrence of every annotated text: a name that comes back later in the
    signal ("Joop ..., Joop schreeuwt") is the same personal data and must go too."""
    text = str(row["text"])
    spans = set()
    for item in row["pii"]:  # type: ignore[attr-defined]
        for start in _occurrences(text, item["text"]):
            spans.add(Span(start, start + len(item["text"]), item["kind"]))
    return sorted(spans, key=lambda s: (s.start, s.end))


def name_parts(row: Row) -> list[Span]:
    """The words of annotated names wherever they occur alone ("Kees" after "Kees van
    den Berg"): removing them is no false positive, keeping them no recall miss."""
    text = str(row["text"])
    spans = []
    for item in row["pii"]:  # type: ignore[attr-defined]
        if item["kind"] != "naam":
            continue
        for word in _WORD.findall(item["text"]):
            if len(word) > 2 and word[0].isupper():
                spans += [
                    Span(start, start + len(word), "naam")
                    for start in _occurrences(text, word)
                ]
    return spans


def covered(text: str, gold: Span, found: list[Span]) -> bool:
    return all(
        any(s.start <= i < s.end for s in found)
        for i in range(gold.start, gold.end)
        if text[i].isalnum()
    )


def evaluate(rows: list[Row], *, use_deduce: bool, show: bool) -> dict[str, object]:
    per_kind: Counter[str] = Counter()
    per_kind_hit: Counter[str] = Counter()
    kind_right = 0
    removals = 0
    words = words_kept = 0
    false_positives: list[tuple[int, str, str]] = []
    for row in rows:
        text = str(row["text"])
        keep = core.normalise_keep(row.get("keep", []))  # type: ignore[arg-type]
        found = core.find_spans(text, keep, use_deduce=use_deduce)
        gold = annotated_spans(row)
        parts = name_parts(row)
        removals += len(found)
        for word in _WORD.finditer(text):
            if any(
                g.start < word.end() and word.start() < g.end for g in [*gold, *parts]
            ):
                continue
            words += 1
            if not any(s.start < word.end() and word.start() < s.end for s in found):
                words_kept += 1
        for g in gold:
            per_kind[g.kind] += 1
            if covered(text, g, found):
                per_kind_hit[g.kind] += 1
                if any(
                    s.kind == g.kind and s.start < g.end and g.start < s.end
                    for s in found
                ):
                    kind_right += 1
            elif show:
                print(
                    f"  missed {g.kind:14} {text[g.start : g.end]!r:32} in #{row['id']}"
                )
        for s in found:
            if not any(s.start < g.end and g.start < s.end for g in [*gold, *parts]):
                false_positives.append((int(row["id"]), s.kind, text[s.start : s.end]))  # type: ignore[call-overload]
    if show:
        for row_id, kind, original in false_positives:
            print(f"  false positive {kind:14} {original!r:32} in #{row_id}")
    total = sum(per_kind.values())
    hits = sum(per_kind_hit.values())
    return {
        "per_kind": {k: (per_kind_hit[k], per_kind[k]) for k in sorted(per_kind)},
        "recall": hits / total if total else 1.0,
        "hits": hits,
        "total": total,
        "kind_right": kind_right,
        "removals": removals,
        "false_positives": false_positives,
        "words": words,
        "words_kept": words_kept,
    }


def timings(
    rows: list[Row], *, use_deduce: bool, rounds: int = 5
) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        for row in rows:
            keep = row.get("keep", [])
            started = time.perf_counter()
            core.scrub(str(row["text"]), keep, use_deduce=use_deduce)  # type: ignore[arg-type]
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.fmean(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    argv = sys.argv[1:]
    split = None
    if "--split" in argv:
        at = argv.index("--split")
        split = argv[at + 1]
        del argv[at : at + 2]
    args = [a for a in argv if not a.startswith("--")]
    show = "--show" in argv
    path = Path(args[0]) if args else ROOT / "bench" / "scrub_eval.jsonl"
    rows = load(path)
    if split:
        rows = [row for row in rows if str(row.get("split", "dev")) == split]
    print(f"set: {path.name}{f' ({split} rows)' if split else ''}, {len(rows)} sentences, "
          f"{sum(1 for r in rows if r['pii'])} with personal data")  # fmt: skip

    started = time.perf_counter()
    names.get_deduce()
    load_s = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    core.scrub("Mevrouw Jansen, Kerkstraat 12, 06-12345678.")  # warm-up call

    results = {}
    for label, use_deduce in (
        ("regex layer (baseline)", False),
        ("regex + deduce", True),
    ):
        if show:
            print(f"\n{label}:")
        results[label] = (evaluate(rows, use_deduce=use_deduce, show=show),
                          timings(rows, use_deduce=use_deduce))  # fmt: skip

    print()
    kinds = sorted({k for r, _t in results.values() for k in r["per_kind"]})  # type: ignore[attr-defined]
    header = f"{'recall per kind':22}" + "".join(f"{lbl:>26}" for lbl in results)
    print(header)
    for kind in kinds:
        line = f"  {kind:20}"
        for r, _t in results.values():
            hit, total = r["per_kind"].get(kind, (0, 0))  # type: ignore[attr-defined]
            line += f"{f'{hit}/{total} ({hit / total:.0%})':>26}"
        print(line)
    rows_out = [
        (
            "overall recall",
            lambda r, t: f"{r['hits']}/{r['total']} ({r['recall']:.1%})",
        ),
        ("  right tag kind", lambda r, t: f"{r['kind_right']}/{r['total']}"),
        ("removals", lambda r, t: str(r["removals"])),
        ("false positives", lambda r, t: str(len(r["false_positives"]))),
        (
            "words kept",
            lambda r, t: (
                f"{r['words_kept']}/{r['words']}"
                f" ({r['words_kept'] / max(1, r['words']):.1%})"
            ),
        ),
        (
            "precision",
            lambda r, t: f"{1 - len(r['false_positives']) / max(1, r['removals']):.1%}",
        ),
        ("ms/signal mean", lambda r, t: f"{t[0]:.3f}"),
        ("ms/signal p95", lambda r, t: f"{t[1]:.3f}"),
    ]
    for title, fmt in rows_out:
        print(f"{title:22}" + "".join(f"{fmt(r, t):>26}" for r, t in results.values()))
    splits = sorted({str(row.get("split", "dev")) for row in rows})
    if len(splits) > 1:
        print(
            "\nby split (dev: the rules were tuned on it; holdout: written afterwards)"
        )
        for split in splits:
            subset = [row for row in rows if str(row.get("split", "dev")) == split]
            line = f"  {split:8} {len(subset):3} sentences"
            for label, use_deduce in (("regex", False), ("regex + deduce", True)):
                r = evaluate(subset, use_deduce=use_deduce, show=False)
                line += (
                    f" | {label}: recall {r['hits']}/{r['total']} ({r['recall']:.1%}),"
                    f" false positives {len(r['false_positives'])}"  # type: ignore[arg-type]
                )
            print(line)
    (base_r, base_t), (full_r, full_t) = results.values()
    print(f"\ncost ratio (regex + deduce / regex layer): mean {full_t[0] / base_t[0]:.0f}x, "
          f"p95 {full_t[1] / base_t[1]:.0f}x")  # fmt: skip
    print(f"recall ratio: {full_r['recall'] / base_r['recall']:.2f}x")  # type: ignore[operator]
    print(f"one-time deduce load in this process: {load_s:.1f} s, peak RSS {rss_mb:.0f} MB "
          "(first load after install also builds the lookup cache: 90-200 s)")  # fmt: skip


if __name__ == "__main__":
    main()

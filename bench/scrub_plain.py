"""Precision of the signal-text scrubber on ordinary Dutch: how many words survive.

    .venv/bin/python bench/scrub_plain.py [--show]

The texts: every signal of bench/rollup_eval.csv (written as professionals type them,
typos and abbreviations included, meant to hold no personal data) and the demo signals
of signalen/demo/signals.py (read as plain strings, without Django). Prints the share
of words kept (the bar: 98 %) and, with --show, every removal, so a removal that is
real personal data in these texts can be told from a false alarm by eye.
"""

from __future__ import annotations

import ast
import csv
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from signalen.intake.scrub import core, names  # noqa: E402

_WORD = re.compile(r"\w+")
_TAG = re.compile(r"\[[A-Z-]+\]")


def demo_texts() -> list[str]:
    """The text strings of the demo signals (long string constants in the module)."""
    tree = ast.parse((ROOT / "signalen" / "demo" / "signals.py").read_text("utf-8"))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and len(node.value.split()) >= 6
        and "\n" not in node.value
    ]


def rollup_texts() -> list[str]:
    with (ROOT / "bench" / "rollup_eval.csv").open(encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def main() -> None:
    show = "--show" in sys.argv
    names.get_deduce()
    core.scrub("Mevrouw Jansen, Kerkstraat 12, 06-12345678.")
    for label, texts in (("rollup_eval.csv", rollup_texts()), ("demo", demo_texts())):
        words = kept = 0
        removed: list[tuple[str, str, str]] = []
        samples = []
        for text in texts:
            started = time.perf_counter()
            spans = core.find_spans(text)
            samples.append((time.perf_counter() - started) * 1000)
            for word in _WORD.finditer(_TAG.sub(" ", text)):
                words += 1
                if not any(
                    s.start < word.end() and word.start() < s.end for s in spans
                ):
                    kept += 1
            removed += [(s.kind, text[s.start : s.end], text) for s in spans]
        samples.sort()
        p95 = samples[int(0.95 * (len(samples) - 1))]
        print(
            f"{label:16} {len(texts):4} texts, words kept {kept}/{words} "
            f"({kept / max(1, words):.2%}), removals {len(removed)}, "
            f"ms/signal p95 {p95:.3f}"
        )
        if show:
            for kind, original, text in removed:
                print(f"    {kind:13} {original!r:28} in {text[:90]!r}")


if __name__ == "__main__":
    main()

"""Time of the roll-up engine for one wijk with many signals, against vectorising alone.

    .venv/bin/python bench/bench_rollup_engine.py [--signals 20000] [--new 100] [--repeat 3]

Signals are made from the evaluation set (bench/rollup_eval.csv) by random mixing: a
theme signal joins the first part of one row of a label to the rest of another row of
the same label (split on ", "); about 11 % are noise: 4 to 9 words drawn at random from
the words of the set's unlabelled rows (mixing whole noise rows would repeat each of
them ~30 times, which is a theme, not noise). All go to
one wijk, spread over the 180-day window, authored by p1…p8. Seeded: the same every run.

Measured in one process, best of ``--repeat``:
- floor: building the representation (word TF-IDF + character n-grams + category) of
  the same signals — the least any run must do;
- cold run: no themes yet; above ``Params.cluster_cap`` a seeded sample is clustered
  and the rest assigned to the nearest centroid;
- incremental run: the cold run's themes exist, ``--new`` signals arrive: they are
  assigned to the nearest theme, only the rest is clustered;
- recluster run: everything clustered afresh, then matched to the themes by Jaccard.
Also the quality of the cold run against the generator's labels and peak memory (RSS).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.metrics import adjusted_rand_score  # noqa: E402

from signalen.themes.rollup import ExistingTheme, InputSignal, Params, run_wijk  # noqa: E402
from signalen.themes.rollup.represent import vectorise  # noqa: E402

WIJK = "WK999901"
AS_OF = dt.date(2026, 11, 20)


def generate(
    count: int, seed: int, start_id: int = 1
) -> tuple[list[InputSignal], list[str]]:
    rows_by_label: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (ROOT / "bench" / "rollup_eval.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows_by_label[row["label"]].append(row)
    themes = sorted(label for label in rows_by_label if label)
    noise_words = sorted({w for row in rows_by_label[""] for w in row["text"].split()})
    rng = random.Random(seed)
    signals, labels = [], []
    for n in range(count):
        label = "" if rng.random() < 0.11 else rng.choice(themes)
        first, second = rng.sample(rows_by_label[label], 2)
        if label:
            head = first["text"].split(", ")
            tail = second["text"].split(", ")
            text = ", ".join(head[: max(1, len(head) // 2)] + tail[len(tail) // 2 :])
        else:  # 80 noise rows repeated 2,000 times would be themes: scramble words
            text = " ".join(rng.sample(noise_words, rng.randint(4, 9)))
        signals.append(
            InputSignal(
                id=start_id + n,
                wijk=WIJK,
                text=text,
                category=rng.choice((first, second))["category"],
                target_groups=tuple(first["target_groups"].split(";")),
                author=f"p{rng.randint(1, 8)}",
                observed_on=AS_OF - dt.timedelta(days=rng.randint(0, 179)),
            )
        )
        labels.append(label)
    return signals, labels


def best_of(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=20_000)
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    params = Params()
    signals, labels = generate(options.signals, seed=1)
    new, _ = generate(options.new, seed=2, start_id=options.signals + 1)
    print(
        f"one wijk, {len(signals):,} signals, variant {params.variant}, "
        f"cluster_cap {params.cluster_cap}"
    )

    floor, _ = best_of(options.repeat, lambda: vectorise(signals, params))
    cold_time, cold = best_of(
        options.repeat, lambda: run_wijk(WIJK, signals, params=params, as_of=AS_OF)
    )
    existing = [
        ExistingTheme(id=n, wijk=WIJK, member_ids=frozenset(theme.member_ids))
        for n, theme in enumerate(cold.themes, start=1)
    ]
    together = signals + new
    incremental_time, incremental = best_of(
        options.repeat,
        lambda: run_wijk(WIJK, together, existing, params=params, as_of=AS_OF),
    )
    recluster_time, reclustered = best_of(
        options.repeat,
        lambda: run_wijk(
            WIJK, together, existing, params=params, as_of=AS_OF, recluster=True
        ),
    )

    theme_of = {i: n for n, t in enumerate(cold.themes) for i in t.member_ids}
    guess = [theme_of.get(s.id, -1) for s in signals]
    in_themes = sum(1 for g in guess if g != -1)
    noise_in = sum(
        1 for g, lab in zip(guess, labels, strict=True) if g != -1 and not lab
    )
    kept_ids = sum(1 for t in reclustered.themes if t.theme_id is not None)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"floor (vectorise only):    {floor:6.2f} s   1.00x")
    print(
        f"cold run:                  {cold_time:6.2f} s  {cold_time / floor:5.2f}x  "
        f"{len(cold.themes)} themes, {in_themes:,} signals in themes, "
        f"ARI {adjusted_rand_score(labels, guess):.3f}, noise in themes {noise_in:,}"
    )
    print(
        f"incremental (+{options.new} new): {incremental_time:6.2f} s  "
        f"{incremental_time / floor:5.2f}x  {len(incremental.themes)} themes, "
        f"{sum(1 for t in incremental.themes if t.theme_id is None)} new"
    )
    print(
        f"recluster + Jaccard match: {recluster_time:6.2f} s  "
        f"{recluster_time / floor:5.2f}x  {len(reclustered.themes)} themes, "
        f"{kept_ids} kept their id"
    )
    print(f"peak memory (RSS): {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()

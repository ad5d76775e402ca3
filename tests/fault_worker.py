"""A real Celery worker for the fault tests (tests/test_worker_faults.py), with two
test-only changes made before it starts, so production code carries no test hooks:

- the scrubber is a stand-in (no deduce, ~1 GB): it replaces the name "Jansen" by
  "[naam]"; loading deduce and the sentence model at start is skipped;
- with BUURTWIJS_FAULT_PAUSE=rollup, =scrub or =embed, the roll-up engine, the
  scrubber or the embedding of a signal first writes a marker file in BUURTWIJS_FAULT_MARKERS and then sleeps, so the test
  can SIGKILL the worker in the middle of the work.

Run as ``python -m tests.fault_worker <celery worker arguments>``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

PAUSE_SECONDS = 600.0


def _pause(what: str) -> None:
    if os.environ.get("BUURTWIJS_FAULT_PAUSE") != what:
        return
    markers = Path(os.environ["BUURTWIJS_FAULT_MARKERS"])
    (markers / f"{what}-started").write_text(str(os.getpid()))
    time.sleep(PAUSE_SECONDS)  # the test kills the worker meanwhile


def _patch() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtwijs.settings")
    django.setup()

    from signalen.intake import scrub as scrub_package
    from signalen.intake.scrub.types import ScrubResult
    from signalen.themes import embedding, runs, vectors

    def fake_scrub(text: str, *args: Any, **kwargs: Any) -> ScrubResult:
        _pause("scrub")
        return ScrubResult(text=text.replace("Jansen", "[naam]"), removals=())

    engine = runs.run_wijk

    def paused_engine(*args: Any, **kwargs: Any) -> Any:
        _pause("rollup")
        return engine(*args, **kwargs)

    embed = vectors.signal_embed

    def paused_embed(*args: Any, **kwargs: Any) -> Any:
        _pause("embed")
        return embed(*args, **kwargs)

    vectors.signal_embed = paused_embed  # type: ignore[assignment]
    scrub_package.scrub = fake_scrub  # type: ignore[assignment]
    scrub_package.warm = lambda: 0.0  # type: ignore[assignment]
    embedding.preload = lambda: None  # type: ignore[assignment]
    runs.run_wijk = paused_engine  # type: ignore[assignment]


def main() -> None:
    _patch()
    from celery.__main__ import main as celery_main

    sys.argv = ["celery", "-A", "buurtwijs", "worker", *sys.argv[1:]]
    celery_main()


if __name__ == "__main__":
    main()

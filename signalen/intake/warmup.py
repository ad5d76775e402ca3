# mypy: disallow-untyped-defs, disallow-incomplete-defs, warn-return-any
"""The embedded demo's scrubber, loaded in a thread so that no request waits for it.

In eager mode (no Redis: `make run`) the web process scrubs signal text itself, and the
first scrub loads deduce: 5-13 s from its lookup cache, minutes when the cache is still
being built (the first start on a machine). With SCRUB_LOAD_IN_BACKGROUND on (run.sh
sets it for its server):

- the server starts loading deduce in a thread when it starts (or, at the latest, when
  the first signal or /health/ asks for it);
- every signal is saved sealed (signalen.intake.sealing, never plain text), as in a
  full installation; its scrub task runs eagerly right after the commit, in this
  process. Until deduce is loaded that task leaves the signal sealed (it never loads
  deduce inside a request) and text_scrub (staff texts) raises ScrubUnavailable;
  /health/ says "warming";
- once loaded, the thread scrubs every sealed signal (the eager counterpart of the
  scrub_pending_sweep beat task, which needs a worker), and from then on every signal
  is scrubbed right after its own commit, in milliseconds, before the redirect to
  its confirm page.

Messages go to the console, where the person who typed `make run` looks.

Known cost: reading the cache (a 75 MB pickle) holds Python's GIL, so the server answers
nothing for a few seconds once, about 10 s after it starts (measured: one POST took 4 s).
A separate scrub process would avoid that, but the embedded demo has no broker to
reach one; a full installation scrubs on its own worker anyway.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable

from django.conf import settings

log = logging.getLogger(__name__)

_lock = threading.Lock()
_ready = threading.Event()
_thread: threading.Thread | None = None

# Other texts kept sealed while the scrubber loads (a wijkpeiling's open answers): apps
# above signalen append a function here that scrubs theirs and says how many.
AFTER_READY: list[Callable[[], int]] = []


def background_mode() -> bool:
    """True in the embedded demo with SCRUB_LOAD_IN_BACKGROUND on."""
    return bool(
        getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
        and getattr(settings, "SCRUB_LOAD_IN_BACKGROUND", False)
    )


def in_process_scrubber_ready() -> bool:
    """May this process scrub now without waiting for deduce to load?

    Always True outside background mode (the caller loads deduce if need be). In
    background mode: True once the thread has loaded it; otherwise False, after making
    sure the thread runs.
    """
    if not background_mode() or _ready.is_set():
        return True
    scrubber_load_start()
    return False


def scrubber_load_start() -> None:
    """Start loading deduce in a daemon thread (once per process)."""
    global _thread
    with _lock:
        if _ready.is_set() or (_thread is not None and _thread.is_alive()):
            return
        _thread = threading.Thread(
            target=_load_then_sweep, name="scrubber-load", daemon=True
        )
        _thread.start()


def start_with_server() -> None:
    """From AppConfig.ready(): start loading in the process that serves requests, not
    in runserver's file watcher (which only restarts the server) nor in a command."""
    if not background_mode() or "runserver" not in sys.argv:
        return
    if os.environ.get("RUN_MAIN") == "true" or "--noreload" in sys.argv:
        scrubber_load_start()


def _say(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


def _load_then_sweep() -> None:
    from django.db import connections

    from signalen.intake.scrub import warm
    from signalen.intake.scrub.names import deduce_cache_built

    started = time.monotonic()
    try:
        if deduce_cache_built():
            _say(
                "Scrubber: loading deduce (about 10 s). Signals typed meanwhile are "
                "saved sealed and scrubbed as soon as it is loaded."
            )
        else:
            _say(
                "Scrubber: waiting for deduce's lookup cache (built once per machine, "
                "a few minutes; log: var/scrubber-warm.log). Signals typed meanwhile "
                "are saved sealed and scrubbed as soon as it is ready."
            )
        warm()
        _ready.set()
        _say(f"Scrubber ready after {time.monotonic() - started:.0f} s.")
        done = pending_signals_scrub()
        if done:
            _say(f"Scrubber: {done} sealed signal(s) scrubbed.")
        for sweep in AFTER_READY:
            done = sweep()
            if done:
                _say(f"Scrubber: {done} sealed text(s) of {sweep.__module__} scrubbed.")
    except Exception:
        log.exception("the scrubber could not be loaded; the next signal tries again")
    finally:
        connections.close_all()  # this thread's own connections


def pending_signals_scrub() -> int:
    """Scrub every signal saved sealed while the scrubber loaded; how many."""
    from signalen.intake.services import signal_scrub_pending
    from signalen.models import Signaal

    done = 0
    pending = Signaal.objects.filter(scrub_pending=True).order_by("pk")
    for pk in list(pending.values_list("pk", flat=True)):
        try:
            done += signal_scrub_pending(signaal_id=pk)
        except Exception:
            log.exception("sealed signal %s not scrubbed; the next start tries", pk)
    return done


def reset_for_tests() -> None:
    """Forget that deduce was loaded here (tests switch background mode on and off)."""
    global _thread
    with _lock:
        _ready.clear()
        _thread = None

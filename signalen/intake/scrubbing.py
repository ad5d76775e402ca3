"""The scrubbing service for staff texts (signalen.intake.staff_text): personal data
out before a text is saved, while the request waits.

    result = text_scrub(form.cleaned_data["text"], keep=area_names)
    signaal.text = result.text                 # store this
    signaal.scrub_summary = result.summary()   # and this, if you like (no originals)
    # show result.removals to the author once; never store them

Signal text does not come here: the quick log, bulk entry and edits save it sealed and
the scrub worker scrubs it after the commit (signalen.intake.services,
signal_scrub_pending), so no web worker waits for the scrubber on the busiest form.

The scrubber needs deduce (~1 GB of memory), so web workers never load it: the text goes
to the Celery task `signalen.tasks.scrub_text_task` on the queue `scrub`, served by its own
worker (docker-compose service `scrubber`), and this module waits for the answer. With
`CELERY_TASK_ALWAYS_EAGER` (the embedded demo, the tests) it runs in this process instead,
loading deduce once.

Unscrubbed text is never readable for longer than a minute: the message and the result
(which holds the removed originals) are sealed with a fresh key (Fernet: AES with an HMAC
and a timestamp) that lives only in the cache (Redis), for 60 seconds, and is deleted as
soon as the answer is read. Whatever copy stays behind in the broker is unreadable after
that ("crypto-shredding"); a Fernet token older than 60 s is refused as well. A message
nobody picked up in time is also taken back out of the queue, and the result is forgotten.
Scrubbing through a worker therefore needs the cache to be shared with the worker:
REDIS_URL.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from signalen.intake.scrub.types import Removal, ScrubResult

if TYPE_CHECKING:
    from wijken.models import Buurt, Wijk

__all__ = [
    "LABELS",
    "Removal",
    "ScrubResult",
    "ScrubUnavailable",
    "area_names",
    "result_from_payload",
    "result_to_payload",
    "scrub_sealed",
    "text_scrub",
]

SCRUB_QUEUE = "scrub"
MESSAGE_EXPIRES = 60  # seconds an unanswered message may wait in the queue
RESULT_EXPIRES = 60  # seconds a result may stay in the result backend
KEY_PREFIX = "signalen:scrub-key:"  # + a random id: the one-minute sealing key

# Translated labels for display (Removal.label is the plain Dutch label).
LABELS = {
    "naam": _("naam"),
    "adres": _("adres"),
    "postcode": _("postcode"),
    "telefoon": _("telefoonnummer"),
    "e-mail": _("e-mailadres"),
    "bsn": _("burgerservicenummer (BSN)"),
    "iban": _("rekeningnummer (IBAN)"),
    "geboortedatum": _("geboortedatum"),
    "kenteken": _("kenteken"),
    "handle": _("account of profiel op sociale media"),
    "quasi": _("herkenbaar kenmerk (hoge leeftijd, huisnummer)"),
}


READY_KEY = "signalen:scrubber:ready"
READY_TTL = 24 * 60 * 60  # renewed by every scrub; deleted when the worker stops


def scrubber_ready_mark(*, ready: bool = True) -> None:
    """Worker side: say (in the shared cache) that a scrub worker has its models
    loaded, or, at shutdown, that it is gone."""
    with contextlib.suppress(Exception):  # the cache may be down; health says so
        if ready:
            cache.set(READY_KEY, "1", timeout=READY_TTL)
        else:
            cache.delete(READY_KEY)


def scrubber_health() -> str:
    """For /health/ (HEALTH_SCRUBBER_CHECK): "ok" once a scrub worker has loaded
    deduce, "warming" until then. Signals typed meanwhile are kept sealed."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        # The web process scrubs itself (the embedded demo), once deduce is loaded.
        from signalen.intake.warmup import in_process_scrubber_ready

        return "ok" if in_process_scrubber_ready() else "warming"
    return "ok" if cache.get(READY_KEY) else "warming"


class ScrubUnavailable(Exception):
    """The scrubbing worker did not answer in time (or the broker is down)."""


def area_names(wijk: Wijk, buurt: Buurt | None = None) -> list[str]:
    """Place names the scrubber leaves alone for a signal about `wijk` (and `buurt`);
    the forms and `scrub_text --wijk` both use this, so they store the same text."""
    names = [wijk.name, wijk.gemeente.name]
    if buurt is not None:
        names.append(buurt.name)
    return names


def result_to_payload(result: ScrubResult) -> dict[str, Any]:
    """JSON-safe form of a result, for the Celery result backend."""
    return {
        "text": result.text,
        "removals": [[r.kind, r.label, r.original] for r in result.removals],
    }


def result_from_payload(payload: dict[str, Any]) -> ScrubResult:
    return ScrubResult(
        text=str(payload["text"]),
        removals=tuple(
            Removal(kind=str(kind), label=str(label), original=str(original))
            for kind, label, original in payload["removals"]
        ),
    )


def _seal(key: bytes, data: dict[str, Any]) -> str:
    return Fernet(key).encrypt(json.dumps(data).encode()).decode()


def _unseal(key: bytes, token: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        Fernet(key).decrypt(token.encode(), ttl=MESSAGE_EXPIRES)
    )
    return data


def scrub_sealed(key_id: str, sealed: str) -> str | None:
    """Worker side: open the sealed text, scrub it, seal the answer with the same key.

    None when the key is gone or the token is older than a minute: the text can no
    longer be read by anyone, which is the point.
    """
    from signalen.intake.scrub import scrub

    scrubber_ready_mark()
    key = cache.get(KEY_PREFIX + key_id)
    if key is None:
        return None
    try:
        data = _unseal(key, sealed)
    except InvalidToken:
        return None
    return _seal(key, result_to_payload(scrub(str(data["text"]), data["keep"])))


def text_scrub(
    text: str, *, timeout: float = 10.0, keep: Iterable[str] = ()
) -> ScrubResult:
    """Scrub `text` for storing; `keep`: area names never to remove (gemeente, wijk, buurt).

    Raises ScrubUnavailable when the scrubbing worker does not answer within `timeout`
    seconds: then save nothing and ask the author to try again.
    """
    keep_list = sorted({word for word in keep if word})
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        from signalen.intake.scrub import scrub
        from signalen.intake.warmup import in_process_scrubber_ready

        if not in_process_scrubber_ready():
            # The demo's server is still loading deduce in a thread: do not wait.
            raise ScrubUnavailable("the scrubber is still loading")
        return scrub(text, keep_list)
    return _scrub_through_worker(text, keep_list, timeout)


def _scrub_through_worker(text: str, keep: list[str], timeout: float) -> ScrubResult:
    from celery.exceptions import CeleryError
    from kombu.exceptions import KombuError

    from signalen.tasks import scrub_text_task

    key, key_id = Fernet.generate_key(), uuid.uuid4().hex
    try:
        try:
            cache.set(KEY_PREFIX + key_id, key, timeout=MESSAGE_EXPIRES)
        except Exception as exc:  # the cache (Redis) is down
            raise ScrubUnavailable(str(exc)) from exc
        sealed = _seal(key, {"text": text, "keep": keep})
        try:
            async_result = scrub_text_task.apply_async(
                args=[key_id, sealed],
                queue=SCRUB_QUEUE,
                expires=MESSAGE_EXPIRES,
                retry=False,
            )
        except (KombuError, CeleryError, OSError) as exc:
            raise ScrubUnavailable(str(exc)) from exc
        try:
            # disable_sync_subtasks=False: a task (e.g. a bulk import) may wait for
            # this one safely, since it runs on its own queue and worker.
            answer = async_result.get(
                timeout=timeout, propagate=True, disable_sync_subtasks=False
            )
        except (KombuError, CeleryError, OSError, TimeoutError) as exc:
            # Too late or failed: the text must not be scrubbed and kept for nobody.
            _forget(async_result, revoke=True)
            _withdraw_message(scrub_text_task.app, async_result.id, SCRUB_QUEUE)
            raise ScrubUnavailable(str(exc)) from exc
        _forget(async_result)
        if answer is None:
            raise ScrubUnavailable("the sealed text expired before a worker read it")
        try:
            return result_from_payload(_unseal(key, str(answer)))
        except InvalidToken as exc:
            raise ScrubUnavailable("the sealed answer expired") from exc
    finally:
        # Shred: without the key, any copy left in Redis is unreadable. If the cache is
        # down now, the key expires by itself within the minute.
        with contextlib.suppress(Exception):
            cache.delete(KEY_PREFIX + key_id)


def _forget(async_result: Any, *, revoke: bool = False) -> None:
    try:
        if revoke:
            async_result.revoke()
        async_result.forget()
    except Exception:  # noqa: S110 - best effort; the result expires in 60 s
        pass


def _withdraw_message(app: Any, task_id: str | None, queue: str) -> None:
    """Take an unanswered message (it holds the unscrubbed text) back out of the Redis
    queue, so that it does not wait there for a scrub worker that is down."""
    if not task_id:
        return
    try:
        with app.connection_for_write() as connection:
            client = getattr(connection.default_channel, "client", None)
            if client is None or not hasattr(client, "lrange"):
                return  # not Redis: the message expires unread after 60 s
            needle = task_id.encode()
            for raw in client.lrange(queue, 0, -1):
                if needle in raw:
                    client.lrem(queue, 1, raw)
    except Exception:  # noqa: S110 - best effort; a worker drops it as expired anyway
        pass

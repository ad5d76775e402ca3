"""Work around a kombu/celery 5.7 crash when Redis goes away (issue #15 item 9).

On a lost broker connection the consumer first collects the connection (the transport
forgets its client: `transport.client = None`) and then closes it. Closing the channel
restores its unacknowledged messages (a countdown task the worker holds) and needs the
connection parameters, which read `transport.client.hostname`: AttributeError, which is
not a connection error, so the worker exits ("Unrecoverable error ... 'NoneType' object
has no attribute 'hostname'") instead of reconnecting, and the held tasks never ran.

The patch lets a Redis channel remember the connection details it was made with and use
them when the transport has forgotten them. Restoring then either works (Redis is back)
or fails with a Redis connection error, which kombu ignores on close; the messages stay
in Redis' unacked set and come back after the visibility timeout. tests/
test_worker_broker_restart.py shows the worker surviving. Remove once kombu is fixed.
"""

from __future__ import annotations

from typing import Any

_PATCHED = "_buurtwijs_patched"


def apply() -> None:
    try:
        from kombu.transport import redis as kombu_redis
    except ImportError:  # pragma: no cover - redis is a dependency
        return
    channel = kombu_redis.Channel
    if getattr(channel, _PATCHED, False):
        return
    original_init = channel.__init__
    original_connparams = channel._connparams

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self._buurtwijs_client = getattr(self.connection, "client", None)

    def _connparams(self: Any, asynchronous: bool = False) -> Any:
        transport = self.connection
        saved = getattr(self, "_buurtwijs_client", None)
        if transport.client is None and saved is not None:
            transport.client = saved
            try:
                return original_connparams(self, asynchronous=asynchronous)
            finally:
                transport.client = None
        return original_connparams(self, asynchronous=asynchronous)

    channel.__init__ = __init__  # type: ignore[method-assign]
    channel._connparams = _connparams  # type: ignore[method-assign]
    setattr(channel, _PATCHED, True)

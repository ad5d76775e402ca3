"""Signal text that waits for the scrubber, kept encrypted in the database.

When the scrubbing worker (or Redis, its broker) is down, a professional between two
home visits must not lose what they typed, and the text must never be stored in plain
text. So the service seals it with Fernet (AES-CBC with an HMAC) under a key that lives
only in the settings (`SIGNAL_SEAL_KEY`, or one derived from `SECRET_KEY`), stores the
token in `Signaal.text_sealed`, and a worker opens, scrubs and clears it as soon as it
can (`signal_scrub_pending`, swept every minute by beat). A database dump alone does
not reveal the text.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

__all__ = ["InvalidToken", "seal", "unseal"]


def _fernet() -> Fernet:
    configured = str(getattr(settings, "SIGNAL_SEAL_KEY", "") or "")
    if configured:
        return Fernet(configured.encode())
    # A key of its own purpose, derived from the secret key (never the key itself).
    digest = hashlib.sha256(
        b"buurtwijs.signalen.intake.sealing:" + settings.SECRET_KEY.encode()
    ).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(text: str) -> bytes:
    return _fernet().encrypt(text.encode())


def unseal(token: bytes | memoryview) -> str:
    """The sealed text; raises InvalidToken when the key changed."""
    return _fernet().decrypt(bytes(token)).decode()

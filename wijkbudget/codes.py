"""Printed vote codes: how they look, how they are stored.

A code is 10 characters from 25 without look-alikes (no 0/O, 1/I/L, 5/S, 2/Z, 8/B),
printed in groups as "KX7R-MPQ4-HW": 25**10, about 46 bits, so a guess hits one of
10,000 real codes once in some 10 billion tries, and entering codes is rate-limited
per address besides. Only a keyed hash (HMAC-SHA256 with the site's
SECRET_KEY) is stored, so a copy of the database alone gives no usable code; rotating
SECRET_KEY makes the codes of an open round unusable, so do not rotate it then.
"""

from __future__ import annotations

import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 10
SALT = "wijkbudget.stemcode"


def code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_normalise(raw: str) -> str:
    """What a person typed, without spaces, dashes and case."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return salted_hmac(SALT, code_normalise(code), algorithm="sha256").hexdigest()


def code_printed(code: str) -> str:
    """The code as printed on the card: groups of four, four and two."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def looks_like_code(raw: str) -> bool:
    code = code_normalise(raw)
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)

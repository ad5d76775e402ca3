"""System checks of the deployment settings (run by `manage.py check --deploy`).

Django's own check only warns about a short SECRET_KEY, and a placeholder copied from
`.env.example` is long enough to pass it. With DEBUG off a key anyone can read in the
repository lets them forge sessions, password-reset links and signed download links,
so these are errors, not warnings.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
# Words found in placeholders (ours in .env.example, the demo default in settings.py,
# Django's startproject default) and never in a key made by a random generator.
SECRET_KEY_PLACEHOLDER_MARKERS = (
    "change-me",
    "changeme",
    "change_me",
    "replace-me",
    "replaceme",
    "placeholder",
    "django-insecure",
    "buurtwijs-demo-only",
    "at-least-fifty-characters",
)


def secret_key_problem(key: str) -> str | None:
    """Why this key is unfit for production, or None when it looks like a real one."""
    lowered = key.lower()
    if any(marker in lowered for marker in SECRET_KEY_PLACEHOLDER_MARKERS):
        return "placeholder"
    if (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    ):
        return "too_short"
    return None


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG:
        return []
    problem = secret_key_problem(str(settings.SECRET_KEY))
    if problem == "placeholder":
        return [
            Error(
                "SECRET_KEY is a placeholder (for example the value from "
                ".env.example).",
                hint='Generate a long random key: python3 -c "import secrets; '
                'print(secrets.token_urlsafe(50))"',
                id="buurtwijs.E001",
            )
        ]
    if problem == "too_short":
        return [
            Error(
                f"SECRET_KEY is too short or too simple: use at least "
                f"{SECRET_KEY_MIN_LENGTH} random characters.",
                hint='Generate one: python3 -c "import secrets; '
                'print(secrets.token_urlsafe(50))"',
                id="buurtwijs.E002",
            )
        ]
    return []

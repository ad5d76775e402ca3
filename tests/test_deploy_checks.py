"""`manage.py check --deploy` refuses a SECRET_KEY that is a placeholder or too short
when DEBUG is off (issue 15, item 7)."""

from __future__ import annotations

import re

import pytest
from django.core import checks

from buurtwijs.checks import check_secret_key
from tests.test_settings import PRODUCTION, ROOT, manage


def env_example_value(name: str) -> str:
    text = (ROOT / ".env.example").read_text()
    match = re.search(rf"^{name}=(.*)$", text, flags=re.MULTILINE)
    assert match, f"{name} is not in .env.example"
    return match.group(1).strip()


def error_ids() -> list[str]:
    return [message.id for message in check_secret_key()]


def test_the_deploy_check_refuses_the_secret_key_from_env_example():
    env = dict(PRODUCTION, SECRET_KEY=env_example_value("SECRET_KEY"))

    result = manage("check", "--deploy", env=env)

    assert result.returncode != 0
    assert "buurtwijs.E001" in result.stderr
    assert "placeholder" in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "change-me-to-a-long-random-string-of-at-least-fifty-characters-xyz",
        "CHANGEME-please-0123456789-0123456789-0123456789-0123456789",
        "django-insecure-abcdefghijklmnopqrstuvwxyz0123456789abcdefghij",
        "buurtwijs-demo-only-" + "x" * 40,
    ],
)
def test_a_placeholder_secret_key_is_an_error_with_debug_off(settings, key):
    settings.DEBUG = False
    settings.SECRET_KEY = key

    assert error_ids() == ["buurtwijs.E001"]


@pytest.mark.parametrize(
    "key", ["kort-maar-echt-willekeurig-9f3a", "a" * 80, "ab" * 40]
)
def test_a_short_or_simple_secret_key_is_an_error_with_debug_off(settings, key):
    settings.DEBUG = False
    settings.SECRET_KEY = key

    assert error_ids() == ["buurtwijs.E002"]


def test_a_long_random_secret_key_passes(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "Jx7u2Qm9w-T0cVb_eR4kLpZs1nHa8YdGf3oUi6EqWtXr5yCvBnMlKjA"

    assert error_ids() == []


def test_the_demo_key_is_allowed_while_debug_is_on(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = "buurtwijs-demo-only-" + "x" * 40

    assert error_ids() == []


def test_the_check_runs_only_with_the_deploy_flag(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "change-me"

    assert "buurtwijs.E001" not in [m.id for m in checks.run_checks()]
    assert "buurtwijs.E001" in [
        m.id for m in checks.run_checks(include_deployment_checks=True)
    ]

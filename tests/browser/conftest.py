"""Browser tests: Playwright drives Debian's chromium against pytest-django's live_server.

`playwright install` cannot download browsers here, so the chromium binary from Debian
is launched through executable_path. Without it the tests skip, except where
BUURTWIJS_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any],
) -> dict[str, Any]:
    executable = _chromium()
    if executable is None:
        message = "Debian's chromium is not installed (apt-get install chromium)."
        if os.environ.get("BUURTWIJS_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": "nl-NL",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture(autouse=True)
def _committed_data(transactional_db):
    """The live server runs in another thread: test data must be committed to be seen."""


@pytest.fixture
def page(page, live_server):
    """A page that fails the test on any Content-Security-Policy violation or JS error."""
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type == "error"
            and ("Content Security Policy" in msg.text or "Refused" in msg.text)
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
    page.set_default_timeout(10_000)
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    assert not problems, "Browser problems:\n" + "\n".join(problems)


def assert_accessible(page, *, context: str = "") -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA) and fail on serious or critical violations."""
    # evaluate() goes through the DevTools protocol, so the page's CSP does not block it.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in bad
    ]
    where = context or page.url
    assert not bad, f"axe-core found violations on {where}:\n" + json.dumps(
        report, indent=2
    )

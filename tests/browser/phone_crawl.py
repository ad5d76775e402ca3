"""Open every page of the site (tests/browser/url_conf.py: every GET page in the URL
conf, with real pks from the demo) as a role, and measure sideways scrolling and other
phone problems. Used by test_phone.py (against the live server with the demo loaded)
and runnable by hand against a demo server on the same database:

    python -m tests.browser.phone_crawl http://127.0.0.1:8000
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

PHONE_VIEWPORT = {"width": 390, "height": 844}

OVERFLOW_JS = """() => {
  const doc = document.documentElement;
  const limit = window.innerWidth;
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const wide = [];
  if (doc.scrollWidth > limit) {
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.width && box.right > limit + 1 && !clipped(el)) {
        const parent = el.parentElement.getBoundingClientRect();
        if (parent.right <= limit + 1 || el.parentElement === document.body) {
          const name = typeof el.className === 'string' ? el.className.trim() : '';
          wide.push(`${el.tagName.toLowerCase()}.${name.split(/\\s+/).join('.')}`
            + ` ${Math.round(box.right)}px`);
        }
      }
    }
  }
  return {scrollWidth: doc.scrollWidth, innerWidth: limit, wide: wide.slice(0, 6)};
}"""

# What a phone user trips over on a page, besides sideways scrolling: a word cut over
# two lines inside a table cell, a table wider than its box without a focusable box or a
# written hint, a raw "---------" choice, a dropdown without its arrow.
PAGE_PROBLEMS_JS = """() => {
  const problems = [];
  const cells = document.querySelectorAll('main td, main th');
  for (const cell of Array.from(cells).slice(0, 400)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.bw-visually-hidden')) continue;
      const re = /[^\\s\\u00ad\\/-]{2,}/g;
      let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        // The hyphen drawn at a soft hyphen (about 5 px) belongs to the range after it.
        const rects = Array.from(range.getClientRects()).filter(r => r.width > 6);
        const tops = new Set(rects.map(r => Math.round(r.top)));
        if (tops.size > 1) problems.push(`word cut in a table cell: "${m[0]}"`);
      }
    }
  }
  for (const wrap of document.querySelectorAll('.bw-table-wrap')) {
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      if (wrap.getAttribute('tabindex') !== '0') problems.push('wide table box not focusable');
      const hint = wrap.previousElementSibling;
      if (!hint || !hint.classList.contains('bw-table-hint')) problems.push('wide table without a hint');
    }
  }
  for (const option of document.querySelectorAll('option')) {
    if (/^-{3,}$/.test(option.textContent.trim())) problems.push(`raw empty choice in ${option.parentElement.name}`);
  }
  for (const select of document.querySelectorAll('select:not([multiple])')) {
    const style = getComputedStyle(select);
    if (style.appearance === 'none' && style.backgroundImage === 'none') problems.push(`dropdown ${select.name} has no arrow`);
  }
  return problems.slice(0, 10);
}"""


@dataclass
class Visit:
    role: str
    path: str
    url_name: str
    status: int
    scroll_width: int
    inner_width: int
    wide: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def scrolls_sideways(self) -> bool:
        return self.scroll_width > self.inner_width


# Where allauth sends someone who must confirm it is them before an MFA change.
REAUTHENTICATE_PATHS = ("/account/reauthenticate/", "/account/2fa/reauthenticate/")


def visit_all(
    page,
    base_url: str,
    *,
    role: str,
    paths: dict[str, str],
    reauthenticate: Callable[[Any], None] | None = None,
    check: Callable[[Visit], None] | None = None,
) -> list[Visit]:
    """Open every path (URL name -> path, see url_conf.demo_paths) as this role and
    measure the pages the role may see (200, not redirected elsewhere).

    A cheap request with the role's cookies asks first; only a page that answers 200
    is opened in the browser. A page behind re-authentication (allauth's MFA pages)
    is opened through it when `reauthenticate` (fills in the password or code) is
    given."""
    visits: list[Visit] = []
    for name, path in paths.items():
        probe = page.request.get(base_url + path, max_redirects=0)
        location = urlsplit(probe.headers.get("location", "")).path
        behind_reauth = probe.status == 302 and location in REAUTHENTICATE_PATHS
        if probe.status != 200 and not (behind_reauth and reauthenticate):
            visits.append(Visit(role, path, name, probe.status, 0, 0))
            continue
        response = page.goto(base_url + path)
        if behind_reauth and reauthenticate is not None:
            reauthenticate(page)
            page.wait_for_url(
                lambda url: urlsplit(url).path not in REAUTHENTICATE_PATHS
            )
            response = page.goto(base_url + path)
        status = response.status if response is not None else 0
        if status != 200 or urlsplit(page.url).path != urlsplit(path).path:
            visits.append(Visit(role, path, name, status or 302, 0, 0))
            continue
        measured = page.evaluate(OVERFLOW_JS)
        visit = Visit(
            role=role,
            path=path,
            url_name=name,
            status=status,
            scroll_width=measured["scrollWidth"],
            inner_width=measured["innerWidth"],
            wide=measured["wide"],
            problems=page.evaluate(PAGE_PROBLEMS_JS),
        )
        visits.append(visit)
        if check is not None:
            check(visit)
    return visits


def _main(base_url: str) -> None:  # pragma: no cover - a developer's tool
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtwijs.settings")
    django.setup()
    from playwright.sync_api import sync_playwright

    from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from accounts.mfa import totp_code_now
    from tests.browser.conftest import CHROMIUM_ARGS, _chromium
    from tests.browser.url_conf import demo_paths

    paths = demo_paths()

    width = int(os.environ.get("WIDTH", "390"))
    roles = os.environ.get("ROLES", "anoniem,bewoner,professional,ambtenaar,beheerder")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        for role in roles.split(","):
            context = browser.new_context(
                viewport={"width": width, "height": 844}, locale="nl-NL"
            )
            page = context.new_page()
            if role != "anoniem":
                page.goto(base_url + "/account/login/")
                page.fill("input[name=login]", f"{role}@demo.buurtwijs.nl")
                page.fill("input[name=password]", DEMO_PASSWORD)
                page.locator("main form button[type=submit]").first.click()
                if role != "bewoner":
                    page.wait_for_url(re.compile(r"/2fa/authenticate/"))
                    page.fill("input[name=code]", totp_code_now(DEMO_TOTP_SECRET))
                    page.locator("main form button[type=submit]").first.click()
                page.wait_for_url(re.compile(r"/account/start/"))
            for visit in visit_all(page, base_url, role=role, paths=paths):
                if not visit.inner_width:
                    continue  # not this role's page (403, or sent to the login)
                mark = "WIDE" if visit.scrolls_sideways or visit.problems else "ok  "
                print(
                    mark,
                    role,
                    visit.status,
                    visit.scroll_width,
                    visit.path,
                    visit.wide,
                    visit.problems,
                    flush=True,
                )
            context.close()
        browser.close()


if __name__ == "__main__":  # pragma: no cover
    _main(sys.argv[1])

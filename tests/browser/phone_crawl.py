"""Visit every page a role can reach, one page per URL name, and measure sideways
scrolling. Used by test_phone.py (against the live server with the demo loaded) and
runnable by hand against a demo server:

    python -m tests.browser.phone_crawl http://127.0.0.1:8000
"""

from __future__ import annotations

import re
import sys
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, resolve

PHONE_VIEWPORT = {"width": 390, "height": 844}

# URL names a crawl never opens, each with its reason. Everything else in the URL conf
# that answers GET with a page must be reached by some role (test_phone.py checks).
SKIPPED_URL_NAMES: dict[str, str] = {
    "account_logout": "ends the session the crawl needs",
    "set_language": "POST only",
    "health": "JSON, not a page",
    "media": "uploaded files, not pages",
    # Swagger UI breaks the CSP with inline styles: issue #18 item 12 replaces it.
    "api:docs": "third-party Swagger UI, replaced under issue #18 item 12",
}
# Downloads and machine answers (no layout to scroll).
DOWNLOAD_RE = re.compile(
    r"(\.(csv|xlsx|ics|geojson|json|jpg|png|zip)$)|^/api/v1/(?!docs/)|/download/"
)
# Django's own admin is not our layout.
ADMIN_PREFIX = "/beheer/"

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

LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"""


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


def url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or None


def crawl(
    page,
    base_url: str,
    *,
    role: str,
    start: Iterable[str],
    seen_names: set[str] | None = None,
    check: Callable[[Visit], None] | None = None,
    limit: int = 200,
) -> list[Visit]:
    """Breadth-first over same-site links; one page per URL name (per role)."""
    origin = urlsplit(base_url)
    names: set[str] = set() if seen_names is None else seen_names
    queue: deque[str] = deque(start)
    queued: set[str] = set(queue)
    visits: list[Visit] = []
    while queue and len(visits) < limit:
        path = queue.popleft()
        name = url_name(urlsplit(path).path)
        if name is None or name in names or name in SKIPPED_URL_NAMES:
            continue
        names.add(name)
        response = page.goto(base_url + path)
        status = response.status if response is not None else 0
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
        for href in page.evaluate(LINKS_JS):
            href, _ = urldefrag(href)
            parts = urlsplit(href)
            if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
                continue
            if parts.path.startswith(ADMIN_PREFIX) or DOWNLOAD_RE.search(parts.path):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local not in queued:
                queued.add(local)
                queue.append(local)
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
            for visit in crawl(
                page, base_url, role=role, start=["/", "/account/start/"]
            ):
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

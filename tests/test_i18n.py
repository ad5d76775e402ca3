"""The English translation: a complete catalog, and English pages behind the switch.

Our source strings are Dutch; locale/en/LC_MESSAGES/django.po holds the English. The
pages need the compiled .mo (gitignored), so the session fixture compiles it when it
is missing or older than the .po, like CI's setup step does.
"""

from __future__ import annotations

import gettext as gettext_module
import html
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.utils.translation import trans_real

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"

# A python-format placeholder: %(name)s, %d, %s, %.1f, %%. The space flag is left out
# on purpose: "% 0 tot 15 jaar" or "% eenpersoonshuishoudens" is a percent sign in
# a label, not a placeholder (xgettext flags the latter as python-format anyway).
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>\w+)\))?[-#0+]?(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrs%]"
)

PAGES = ["/", "/gemeenten/", "/account/login/", "/account/signup/"]
DUTCH_HEADING = "Samen werken aan uw wijk"
ENGLISH_HEADING = "Working together on your district"
# One of our own strings on each page, in English.
ENGLISH_ON_PAGE = {
    "/": ENGLISH_HEADING,
    "/gemeenten/": "Find your district",
    "/account/login/": "Log in with your email address and password.",
    "/account/signup/": "Make an account as a resident",
}


def _mo_is_stale() -> bool:
    for po_path in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            return True
    return False


def _reset_translation_caches() -> None:
    # Django keeps one translation object per language, and Python's gettext keeps
    # each .mo it read by path: drop both so a freshly compiled .mo is read.
    trans_real._translations = {}
    trans_real._default = None
    gettext_module._translations.clear()


@pytest.fixture(autouse=True, scope="session")
def _compiled_translations() -> None:
    if _mo_is_stale():
        call_command("compile_translations", verbosity=0)
        _reset_translation_caches()


def _catalog():
    with EN_PO.open("rb") as fh:
        return read_po(fh, locale="en")


def _entries():
    """Every message of the en catalog except the header, as (msgids, msgstrs)."""
    for message in _catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        yield message, ids, strings


def _placeholders(text: str) -> tuple[frozenset[str], Counter[str]]:
    """Named placeholders as a set, unnamed ones (%s, %d, %%) with their count."""
    named: set[str] = set()
    unnamed: Counter[str] = Counter()
    for match in PLACEHOLDER.finditer(text):
        if match.group("name"):
            named.add(match.group(0))
        else:
            unnamed[match.group(0)] += 1
    return frozenset(named), unnamed


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.content.decode())


# --- The catalog ------------------------------------------------------------------------


def test_the_english_catalog_is_for_english():
    with EN_PO.open("rb") as fh:
        header = read_po(fh).mime_headers  # no locale given: read it from the header
    headers = dict(header)
    assert headers["Language"] == "en"
    assert headers["Content-Type"].lower() == "text/plain; charset=utf-8"
    assert headers["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_every_entry_is_translated():
    untranslated = [ids[0] for _, ids, strings in _entries() if not all(strings)]
    assert untranslated == []


def test_no_entry_is_fuzzy():
    # Fuzzy entries are left out of the .mo, so they would show up in Dutch.
    fuzzy = [ids[0] for message, ids, _ in _entries() if message.fuzzy]
    assert fuzzy == []


def test_the_catalog_has_entries():
    assert sum(1 for _ in _entries()) > 300


def test_translations_keep_the_placeholders():
    wrong = []
    for _, ids, strings in _entries():
        for index, translated in enumerate(strings):
            # msgstr[0] follows the msgid, msgstr[1] the msgid_plural.
            source = ids[min(index, len(ids) - 1)]
            if _placeholders(translated) != _placeholders(source):
                wrong.append((source, translated))
    assert wrong == []


def test_the_placeholder_check_sees_placeholders():
    assert _placeholders("De link werkt %(days)s dagen.")[0] == {"%(days)s"}
    assert _placeholders("hoogstens %(limit_value)d tekens")[0] == {"%(limit_value)d"}
    assert _placeholders("%d teken, %s en 100%%")[1] == Counter(
        {"%d": 1, "%s": 1, "%%": 1}
    )
    assert _placeholders("% 0 tot 15 jaar") == (frozenset(), Counter())


# --- English pages ----------------------------------------------------------------------


@pytest.fixture
def english_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_english_with_the_english_cookie(english_client, wijk, path):
    content = _page(english_client, path)
    assert '<html lang="en"' in content
    assert ENGLISH_ON_PAGE[path] in content
    assert DUTCH_HEADING not in content
    # The header and footer on every page.
    assert "Skip to content" in content
    assert "Naar de inhoud" not in content
    assert "Maps and figures: CBS / PDOK" in content


@pytest.mark.parametrize("path", PAGES)
def test_no_dutch_string_of_ours_is_left_on_english_pages(english_client, wijk, path):
    content = _page(english_client, path)
    left = [
        ids[0]
        for _, ids, strings in _entries()
        # Longer strings only: short ones like "Code" or "demo" are the same words.
        if len(ids[0]) >= 12
        and "%" not in ids[0]
        and ids[0] != strings[0]
        and ids[0] in content
    ]
    assert left == []


def test_the_home_page_is_english(english_client, wijk):
    content = _page(english_client, "/")
    assert ENGLISH_HEADING in content
    assert f"The districts of {wijk.gemeente.name}" in content
    assert "Make an account" in content
    assert "Account maken" not in content


def test_the_language_switch_gives_english_text(client, wijk):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/"}, follow=True
    )
    content = html.unescape(response.content.decode())
    assert ENGLISH_HEADING in content
    assert DUTCH_HEADING not in content


# --- Dutch stays Dutch ------------------------------------------------------------------


def test_the_home_page_stays_dutch_without_a_cookie(client, wijk):
    content = _page(client, "/")
    assert '<html lang="nl"' in content
    assert DUTCH_HEADING in content
    assert ENGLISH_HEADING not in content


@pytest.mark.parametrize(
    ("path", "dutch"),
    [
        ("/", DUTCH_HEADING),
        ("/gemeenten/", "Zoek uw wijk"),
        ("/account/login/", "Log in met uw e-mailadres en wachtwoord."),
        ("/account/signup/", "Account maken als bewoner"),
    ],
)
def test_pages_stay_dutch_with_the_dutch_cookie(client, wijk, path, dutch):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    content = _page(client, path)
    assert '<html lang="nl"' in content
    assert dutch in content
    assert ENGLISH_ON_PAGE[path] not in content

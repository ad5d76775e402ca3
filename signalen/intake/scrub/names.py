"""Person names and street addresses: a title rule plus deduce (loaded lazily, once).

deduce (LGPL, offline) is imported only inside functions here: importing this module
costs nothing, and only a process that scrubs (the `scrub` worker, a test, the audit
command, the eager demo) loads its ~1 GB of lookup structures.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import os
import pickle
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .allowlist import ORGANISATIONS_AND_ROLES
from .types import Span

# "mevrouw De Vries", "meneer Jansen", "dhr. van den Berg", "opa Kees", "mw. El Amrani".
_TITLE = (
    r"(?:mevrouw|mevr\.?|mw\.?|meneer|mijnheer|dhr\.?|hr\.?|mr\.?|mrs\.?|ms\.?|"
    r"juf|juffrouw|meester|opa|oma|tante|oom|buurman|buurvrouw|zus|broer|"
    r"zoon|dochter|zoontje|dochtertje|kleinzoon|kleindochter|neef|nicht|collega|gezin|"
    r"moeder|vader|familie|fam\.?|echtgenoot|echtgenote|weduwe|weduwnaar|"
    r"man|vrouw|vriend|vriendin|cliënt|client|cliente|bewoner|bewoonster)"
)
_PARTICLE = (
    r"(?i:van|de|der|den|het|ten|ter|te|in[ \t]'t|'t|la|le|du|da|dos|el|al|bin|ben|ibn|abu|v\.d\.|"
    r"v\.|vd)"
)
_UPPER = "A-Z\u00c0-\u00de\u0100-\u017f"
_LOWER = "a-z\u00df-\u00ff\u0100-\u017f"
# A capitalised word that is not itself a title ("zoon van Dhr. Ramdin").
_CAPWORD = rf"(?!(?i:{_TITLE})(?![\w]))[{_UPPER}][{_LOWER}]+(?:['\u2019-][{_UPPER}{_LOWER}][{_LOWER}]+)?"
_INITIALS = r"(?:(?:[A-Z]\.[ \t]?){1,4})"
# The title is matched case-insensitively, the name case-sensitively.
_TITLED_NAME = re.compile(
    rf"(?<![\w])(?P<title>(?i:{_TITLE}))[ \t]+"
    rf"(?P<name>{_INITIALS}?(?:{_PARTICLE}[ \t]+|{_PARTICLE}(?<=\.))*{_CAPWORD}"
    rf"(?:[ \t]+(?:{_PARTICLE}[ \t]+)*{_CAPWORD})?)"
)
# Street + house number that deduce misses: "Kanaalweg 9", "Kerkplein 4-II", "Zeilmakerstraat 18 hs".
_STREET_SUFFIX = (
    r"(?:straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|steeg|dreef|plantsoen|markt|"
    r"baan|wal|erf|ring|allee|boulevard|dam|haven|kamp|park|veld|hoven|burg|oord|promenade|"
    r"passage|poort|werf|gang|zijde|akker|weide|tuin|hout|donk|hoek|schans|vliet|"
    r"horst|stede|sloot|wetering)"
)
# After the house number: a letter or "bis" ("12a", "34bis"), a floor or part of the
# house ("12-2", "12-iii", "12 hs", "119 1hg", "12-1hg", "12 bis", "12 zw", "12 rood").
_ADDRESS_SUFFIX = re.compile(
    r"(?:[ \t]?(?:bis|hs|hg|[a-zA-Z])(?![\w]))?"
    r"(?:[ \t]?[-/][ \t]?(?:\d{1,4}(?:[ \t]?(?:hg|h|hoog))?|[IVXivx]{1,4}|hs|hg|bis|zw|rd|"
    r"[a-zA-Z])(?![\w])"
    r"|[ \t]+(?:hs|hg|bis|I{1,3}|i{1,3}|IV|iv|huis|boven|beneden|bg|zw|zwart|rood|rd|"
    r"\d{1,2}[ \t]?(?:hg|h|hoog))(?![\w]))?"
)
# Words before a street name that are part of it: "Oude Gracht", "Burg. de Vlugtlaan",
# "2e Oosterparkstraat", "Prinses Irenestraat", "Sint Jansstraat".
_STREET_PREFIX = (
    r"(?:(?:\d{1,2}e|Eerste|Tweede|Derde|Oude|Nieuwe|Lange|Korte|Hoge|Lage|Grote|Kleine|"
    r"Binnen|Buiten|Achter|Voor|Noord|Zuid|Oost|West|Sint|St\.|Prins|Prinses|Koning|"
    r"Koningin|Burg\.|Burgemeester|Dr\.|Prof\.|Mr\.|Generaal|Gen\.|President|Graaf|"
    r"Jonkheer|Pastoor|Kapitein|Admiraal|Meester|Mr|Dokter|Dominee|Ds\.|Pater|Zuster|"
    r"Broeder|Kardinaal|Mgr\.|Van|De|Den|Der|Ter|Ten)[ \t]+"
    r"(?:(?:van|de|den|der|ter|ten|'t|[A-Z][a-z]+\.?)[ \t]+)*)"
)
_STREET_WORDS = (
    r"(?:Straat|Laan|Weg|Plein|Gracht|Kade|Singel|Dijk|Hof|Steeg|Dreef|Markt|Wal|Ring|"
    r"Haven|Baan|Boulevard|Dam|Plantsoen|Park)"
)
# The same words in lower case before a street typed in lower case: "prinses
# irenestraat 40", "van ostadestraat 201-2", "burgemeester de withstraat 3".
_LOWER_STREET_PREFIX = (
    r"(?:(?:\d{1,2}e|eerste|tweede|derde|oude|nieuwe|lange|korte|sint|st\.|prins|"
    r"prinses|koning|koningin|burg\.|burgemeester|dr\.|prof\.|mr\.|meester|dokter|"
    r"pastoor|generaal|graaf|van|[a-z]{3,}(?:se|sche))[ \t]+(?:(?:van|de|den|der|ter|ten|'t)[ \t]+)*)"
)
_STREET_NAME = (
    rf"(?:{_STREET_PREFIX}?[{_UPPER}][{_LOWER}'\u2019-]*{_STREET_SUFFIX}"
    rf"|{_STREET_PREFIX}{_STREET_WORDS}"
    # A street named after a year: "Plein 1945", "Laan 1940-1945" (then "nr 7")
    rf"|{_STREET_WORDS}[ \t]+(?:1[6-9]\d\d|20[0-2]\d|\d\d)(?:[ \t]?-[ \t]?(?:1[6-9]\d\d|20[0-2]\d|\d\d))?(?=[ \t]+(?i:nr|no|nummer|huisnummer)\.?[ \t]*\d)"
    rf"|{_STREET_WORDS}[ \t]+(?:van|der|den|de|'t)(?:[ \t]+(?:van|der|den|de|'t))*[ \t]+"
    rf"[{_UPPER}][{_LOWER}'\u2019-]+(?:[ \t]+[{_UPPER}][{_LOWER}'\u2019-]+){{0,2}}"
    rf"|{_LOWER_STREET_PREFIX}?(?!onderweg|halverwege)[a-z][{_LOWER}'\u2019-]*(?:straat|laan|plein|gracht|kade|"
    rf"singel|steeg|dreef|weg|dijk|schans|hof|pad|markt|dam|haven)"
    rf"|{_LOWER_STREET_PREFIX}(?:straat|laan|plein|gracht|kade|singel|dijk|markt|haven|weg))"
)
_STREET_ADDRESS = re.compile(
    rf"(?<![\w.]){_STREET_NAME}(?:[ \t]+(?:(?i:nr|no|nummer|huisnummer)\.?[ \t]*)?"
    # "in de Oranjestraat op 14" (not "op 14 mei"); "kerkstraat12" typed together
    rf"|[ \t]+(?i:op)[ \t]+(?=\d{{1,4}}[a-zA-Z]?(?![\w]|[.,:]\d|[ \t]*(?i:jan|feb|maart|mrt|april|apr|mei|juni|juli|aug|sep|okt|nov|dec|uur|u\b|etage|hoog|verdieping)))"
    rf"|(?=\d))\d{{1,4}}(?!\d|[,.]\d)"
    rf"(?![ \t]+(?:jaar|kinderen|gezinnen|huishoudens|personen|mensen|keer|x|euro|procent|%|"
    rf"minuten|min|uur|dagen|weken|maanden|km|kilometer|meter|m)(?![\w]))"
)
# A number that counts something is no house number ("Kerkstraat 2 jaar geleden"),
# and a street word alone is no street ("in de straat 3 keer").
_NOT_AN_ADDRESS = re.compile(
    r"[ \t]*(?:jaar|jr\.?|j|keer|kinderen|gezinnen|huishoudens|personen|mensen|bewoners|x|"
    r"euro|procent|%|weken|dagen|maanden|uur|minuten|auto's|woningen)(?![\w])"
)
_GENERIC_STREET = re.compile(
    r"(?i:straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|hof|pad)[ \t]+\d"
)
_LEADING_TITLE = re.compile(rf"(?:{_TITLE}[ \t]+)+", re.IGNORECASE)

# Tags deduce gives to people; "locatie" with a digit in it is a street address.
_PERSON_TAGS = {"persoon", "patient"}
_LOCATION_TAGS = {"locatie"}

_lock = threading.Lock()
_deduce: Any = None
load_seconds: float | None = None  # how long the one load took (for the benchmark)


def _is_kept(text: str, keep: frozenset[str]) -> bool:
    """True when a stretch is a known organisation, role or (caller's) place name."""
    folded = text.casefold().strip(" .,;:!?'\"()")
    if folded in keep or folded in ORGANISATIONS_AND_ROLES:
        return True
    words = re.split(r"[\s/,]+", folded)
    return all(w in keep or w in ORGANISATIONS_AND_ROLES for w in words if w)


def find_titled_names(text: str, keep: frozenset[str] = frozenset()) -> Iterator[Span]:
    """Names after a title or family word: the title stays, the name goes."""
    for match in _TITLED_NAME.finditer(text):
        if not _is_kept(match.group("name"), keep):
            yield Span(match.start("name"), match.end("name"), "naam")


def _address_end(text: str, end: int) -> int:
    """Extend a street address over a house-number suffix ("18 hs", "4-II", "12a")."""
    suffix = _ADDRESS_SUFFIX.match(text, end)
    return suffix.end() if suffix else end


_OP_NUMBER = re.compile(r"[ \t](?i:op)[ \t]+\d+[a-zA-Z]?$")
_DWELLING_BEFORE = re.compile(r"(?i:wo(?:o)?n|adres|verhuis|verhuiz|ingetrokken)")


def find_street_addresses(
    text: str, keep: frozenset[str] = frozenset()
) -> Iterator[Span]:
    """A word ending in -straat, -laan, -weg, … followed by a house number."""
    for match in _STREET_ADDRESS.finditer(text):
        if _OP_NUMBER.search(match.group()) and not _DWELLING_BEFORE.search(
            re.split(r"[.!?;\n]", text[max(0, match.start() - 60) : match.start()])[-1]
        ):
            continue  # "in de Kerkstraat op 3 plekken": no one lives there
        if not _is_kept(match.group(), keep):
            start = _street_start(text, match.start())
            yield Span(start, _address_end(text, match.end()), "adres")


_WORD_BEFORE = re.compile(r"([^\W\d_][\w'\u2019.-]*)[ \t]+$")
_STREET_PARTICLES = frozenset(
    {"van", "de", "der", "den", "ter", "ten", "'t", "la", "le"}
)


def _street_start(text: str, start: int) -> int:
    """Where a street name begins when words before its last word belong to it: a
    person it is named after ("Pieter Calandlaan", "pieter calandlaan", "van Limburg
    Stirumstraat", "Jan van Galenstraat"). Capitalised words (no title, no stop word)
    and first names in lower case, with the particles between them."""
    from . import lexicon

    taken = start
    while True:
        position = taken
        particles = 0
        while (
            before := _WORD_BEFORE.search(text, max(0, position - 40), position)
        ) and (before.group(1).casefold() in _STREET_PARTICLES):
            position = before.start(1)
            particles += 1
        word = "" if before is None else before.group(1)
        upper_name = (
            text[taken : taken + 1].isupper()
            and word[:1].isupper()
            and word[1:].islower()
            and not _LEADING_TITLE.fullmatch(word + " ")
            and not lexicon.is_stop_word(word)
            and (
                lexicon.is_first_name(word)
                or (not _sentence_start_at(text, before.start(1)) if before else False)
            )
        )
        lower_name = (
            text[taken : taken + 1].islower()
            and word.islower()
            and lexicon.is_first_name(word)
            and not lexicon.is_stop_word(word)
            and not lexicon.is_everyday_word(word)
        )
        if before is not None and (upper_name or lower_name):
            title = _WORD_BEFORE.search(
                text, max(0, before.start(1) - 40), before.start(1)
            )
            while title and title.group(1).casefold() in _STREET_PARTICLES:
                # "mw de Wit Brinklaan 3b": the title before the particles
                title = _WORD_BEFORE.search(
                    text, max(0, title.start(1) - 40), title.start(1)
                )
            if title and _LEADING_TITLE.fullmatch(title.group(1) + " "):
                return taken  # "mw Brouwer Kerkpad 3a": Brouwer is a person
            taken = before.start(1)
            continue
        if (
            particles
            and taken != start
            and text[taken : taken + 1].isupper()
            and text[position : position + 3].casefold() == "van"
        ):
            return position  # "op van Limburg Stirumstraat": the particle too
        return taken


def _sentence_start_at(text: str, position: int) -> bool:
    return bool(
        re.search(r"(?:^|[.!?:;\n(])\s*$", text[max(0, position - 3) : position])
    )


# One process at a time loads deduce on this machine: the first one after an install
# (or after its lookup lists changed) writes the lookup cache, and another process
# reading it half-written fails with any error of unpickling (seen: EOFError,
# UnpicklingError, UnicodeDecodeError).
LOAD_LOCK = Path(tempfile.gettempdir()) / "buurtwijs-deduce.lock"


CACHE_ENV = "BUURTWIJS_DEDUCE_CACHE"
_CACHE_FILE = Path("cache") / "lookup_structs.pickle"


def deduce_cache_dir() -> Path | None:
    """Where deduce keeps its built lookup cache (~75 MB, 90-500 s to build): once per
    machine, not inside each checkout's virtualenv, so a fresh clone loads it in
    seconds. The folder is named after deduce's version and its lookup lists, so a
    change in either builds anew. $BUURTWIJS_DEDUCE_CACHE sets the parent folder
    (default ~/.cache/buurtwijs); None (deduce's own folder) when it cannot be written.
    """
    import deduce
    from deduce.deduce import _LOOKUP_LIST_PATH

    lists = Path(_LOOKUP_LIST_PATH) / "src"
    fingerprint = hashlib.sha256(deduce.__version__.encode())
    for file in _list_files(lists):
        fingerprint.update(
            f"{file.relative_to(lists)}:{file.stat().st_size}\n".encode()
        )
    base = os.environ.get(CACHE_ENV) or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "buurtwijs"
    )
    folder = Path(base) / f"deduce-{deduce.__version__}-{fingerprint.hexdigest()[:12]}"
    if (folder / _CACHE_FILE).exists():
        return folder  # read-only is fine (a Docker image built it for every user)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    _adopt_installed_cache(Path(_LOOKUP_LIST_PATH), folder, lists)
    return folder


def _list_files(lists: Path) -> list[Path]:
    """deduce's lookup lists, without the bytecode next to them (its size differs
    between two installs of the same version)."""
    return sorted(
        f
        for f in lists.rglob("*")
        if f.is_file() and f.suffix != ".pyc" and "__pycache__" not in f.parts
    )


def _adopt_installed_cache(installed: Path, folder: Path, lists: Path) -> None:
    """Copy a cache deduce already built in its own folder (an older install step),
    when it is newer than every lookup list: a copy takes a second, a build minutes.
    Runs under LOAD_LOCK, so nobody reads the copy half-written."""
    target, source = folder / _CACHE_FILE, installed / _CACHE_FILE
    if target.exists() or not source.exists():
        return
    built = source.stat().st_mtime
    if any(f.stat().st_mtime > built for f in _list_files(lists)):
        return
    target.parent.mkdir(exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.partial")
    shutil.copyfile(source, partial)
    os.replace(partial, target)


def deduce_cache_built() -> bool:
    """True when loading deduce will read a cache rather than build one."""
    folder = deduce_cache_dir()
    if folder is None:
        from deduce.deduce import _LOOKUP_LIST_PATH

        folder = Path(_LOOKUP_LIST_PATH)
    return (folder / _CACHE_FILE).exists()


def is_loaded() -> bool:
    """True when this process holds deduce (scrubbing costs milliseconds now)."""
    return _deduce is not None


def _load_deduce(attempts: int = 10) -> Any:
    from deduce import Deduce  # lazy on purpose: ~1 GB

    with LOAD_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            folder = deduce_cache_dir()
            for attempt in range(attempts):
                try:
                    if folder is None:
                        return Deduce()
                    return Deduce(cache_path=folder)
                except (EOFError, pickle.UnpicklingError, UnicodeDecodeError):
                    # A process outside this lock is writing the cache: wait for it.
                    if attempt == attempts - 1:
                        raise
                    time.sleep(3)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    raise AssertionError("unreachable")


def get_deduce() -> Any:
    """The one Deduce instance of this process (built on first use, ~5-13 s)."""
    global _deduce, load_seconds
    if _deduce is None:
        with _lock:
            if _deduce is None:
                started = time.perf_counter()
                _deduce = _load_deduce()
                # deduce holds millions of long-lived objects: keep them out of the cyclic
                # garbage collector, or every full collection (and interpreter exit,
                # 20-40 s measured) walks them all.
                gc.freeze()
                load_seconds = time.perf_counter() - started
    return _deduce


def find_with_deduce(text: str, keep: frozenset[str] = frozenset()) -> Iterator[Span]:
    """Person names ([NAAM]) and street addresses with a number ([ADRES]) from deduce."""
    document = get_deduce().deidentify(text)
    for annotation in document.annotations:
        tag = annotation.tag.split("_")[0] if annotation.tag else ""
        original = annotation.text
        if _is_kept(original, keep):
            continue
        if tag in _PERSON_TAGS or any(
            t in _PERSON_TAGS for t in annotation.tag.split("+")
        ):
            # deduce includes the title ("mevrouw De Vries"): the title stays readable.
            title = _LEADING_TITLE.match(original)
            start = annotation.start_char + (title.end() if title else 0)
            if start < annotation.end_char and not _is_kept(
                text[start : annotation.end_char], keep
            ):
                yield Span(start, annotation.end_char, "naam")
        elif (
            tag in _LOCATION_TAGS
            and re.search(r"\d", original)
            and not _NOT_AN_ADDRESS.match(text, annotation.end_char)
            and not _GENERIC_STREET.match(original)
        ):
            end = _address_end(text, annotation.end_char)
            yield Span(annotation.start_char, end, "adres")


def warm(
    texts: Iterable[str] = ("Mevrouw Jansen woont op de Kerkstraat 12.",),
) -> float:
    """Load deduce (building its lookup cache on the first run) and run it once."""
    started = time.perf_counter()
    for text in texts:
        list(find_with_deduce(text))
    return time.perf_counter() - started

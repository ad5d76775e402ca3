"""Structured identifiers beyond the classic ones: number plates, social accounts and
profile links, e-mail addresses written out to dodge filters, and quasi-identifiers
(a very high age, a house number without its street) that point at one person in a
small wijk."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .types import Span

# Dutch number plates, every sidecode since 1951: three groups of letters or digits,
# six characters in all ("GZ-123-B", "12-ABC-3", "1-KBB-23", "99-TT-NN", "XX-99-99").
_PLATE = re.compile(
    r"(?<![\w-])(?=[A-Za-z0-9-]{8}(?![\w-]))"
    r"(?:[A-Za-z]{1,3}|\d{1,3})-(?:[A-Za-z]{1,3}|\d{1,3})-(?:[A-Za-z]{1,3}|\d{1,3})"
    r"(?![\w-])"
)
# Without dashes only after the word "kenteken": "kenteken gz123b", "kenteken GZ 123 B".
# The plate is six characters in one to three groups; a word after it ("kenteken
# tzb61r van een busje") is no part of it.
_PLATE_CUE = re.compile(
    r"(?i:kenteken(?:nummer|plaat)?|nummerbord)[ \t]*(?::|is|van)?[ \t]*"
    r"(?P<plate>[A-Za-z0-9]{6}|[A-Za-z0-9]{1,3}(?:[ \t-]?[A-Za-z0-9]{1,3}){1,2})(?![\w-])"
)
_MONTH_ABBR = {
    "jan", "feb", "mrt", "mar", "apr", "mei", "jun", "jul", "aug", "sep", "okt",
    "oct", "nov", "dec",
}  # fmt: skip


# The sidecodes in use (L a letter, D a digit, "-" between the groups): 1 to 14.
_SIDECODES = frozenset(
    [
        "LL-DD-DD",
        "DD-DD-LL",
        "DD-LL-DD",
        "LL-DD-LL",
        "LL-LL-DD",
        "DD-LL-LL",
        "DD-LLL-D",
        "D-LLL-DD",
        "LL-DDD-L",
        "L-DDD-LL",
        "LLL-DD-L",
        "L-DD-LLL",
        "D-LL-DDD",
        "DDD-LL-D",
    ]
)
# Without dashes and without the word "kenteken": upper case, a sidecode of letters
# and digits mixed ("1ABC23", "HR123X"), standing alone.
_PLATE_BARE = re.compile(
    r"(?<![\w-])(?=[A-Z0-9]{6}(?![\w-]))(?=[A-Z0-9]*[A-Z])(?=[A-Z0-9]*\d)[A-Z0-9]{6}"
)
# The same in lower case ("53hkv2", "tzb61r"), when the sidecode has three groups
# (letters and digits alternate twice), so no number with a unit ("250ml", "12jaar").
_PLATE_BARE_LOWER = re.compile(
    r"(?<![\w-])(?=[a-z0-9]{6}(?![\w-]))(?:[a-z]+\d+[a-z]+|\d+[a-z]+\d+)(?![\w-])"
)


# Units after a number ("100km2", "12uur30"): no plate in lower case.
_UNITS = frozenset(
    ["km", "m", "cm", "mm", "dm", "kg", "gr", "g", "mg", "ml", "cl", "dl", "l", "kw",
     "kwh", "uur", "u", "min", "sec", "jr", "x", "e", "de", "ste", "pk"]
)  # fmt: skip


def sidecode(plate: str) -> str:
    """The shape of a plate: "GZ123B" -> "LL-DDD-L"; with dashes the groups are the
    parts between them ("gh-nb-35" -> "LL-LL-DD")."""
    parts = plate.split("-") if "-" in plate else [plate]
    groups = [g for part in parts for g in re.findall(r"[A-Za-z]+|\d+", part)]
    return "-".join(("D" if g[0].isdigit() else "L") * len(g) for g in groups)


# The sidecodes without their dashes: "XVLP43" (LLLLDD) is XV-LP-43, "662VV6" is
# 662-VV-6 (typed without dashes, a group of four letters or digits splits in two).
_COMPACT_SIDECODES = frozenset(code.replace("-", "") for code in _SIDECODES)


def _compact_sidecode(plate: str) -> bool:
    """A plate typed without dashes: its groups are a sidecode, or four letters are
    two groups of two ("XVLP43"); four digits together are a code ("NL1234")."""
    if sidecode(plate) in _SIDECODES:
        return True
    shape = "".join("D" if c.isdigit() else "L" for c in plate)
    return "LLLL" in shape and shape in _COMPACT_SIDECODES


def _plate_ok(plate: str) -> bool:
    compact = re.sub(r"[ \t-]", "", plate)
    if len(compact) != 6 or compact.isdigit() or compact.isalpha():
        return False
    groups = re.findall(r"[A-Za-z]+|\d+", compact)
    if len(groups) < 2 or len(groups) > 4:
        return False
    if "-" in plate:
        parts = plate.split("-")
        if any(not (p.isalpha() or p.isdigit()) for p in parts):
            return False
        if any(p.casefold() in _MONTH_ABBR for p in parts):
            return False  # "3-okt-24" is a date
        # Upper case or digits only; lower case only in a real sidecode with letters
        # and digits ("vd-47-rs", "12-ab-34"): "mo-di-do" and mixed case are words.
        if all(p.isdigit() or p.isupper() for p in parts):
            return True
        return all(p.isdigit() or p.islower() for p in parts) and (
            sidecode(plate) in _SIDECODES
        )
    return True


# Typed in lower case without dashes in two groups ("xvlp43", "43xvlp", "gz1234"):
# a plate when the letters have no vowel, as Dutch plates since 1973 ("week12",
# "fase10" are words with a number).
_PLATE_COMPACT_LOWER = re.compile(
    r"(?<![\w-])(?=[a-z0-9]{6}(?![\w-]))(?:[a-z]+\d+|\d+[a-z]+)(?![\w-])"
)
# With spaces instead of dashes, in capitals: "XV LP 43", "12 ABC 3", "GZ 123 B".
_PLATE_SPACED = re.compile(
    r"(?<![\w-])(?:[A-Z]{1,3}|\d{1,3})[ \t](?:[A-Z]{1,3}|\d{1,3})[ \t](?:[A-Z]{1,3}|\d{1,3})(?![\w-])"
)
_VOWELS = frozenset("aeiouy")


def _vowelless_sidecode(plate: str) -> bool:
    letters = [c for c in plate.casefold() if c.isalpha()]
    if not letters or _VOWELS.intersection(letters):
        return False
    shape = "".join("D" if c.isdigit() else "L" for c in plate)
    return shape in _COMPACT_SIDECODES and not _UNITS.intersection(
        re.findall(r"[a-z]+", plate.casefold())
    )


def find_plates(text: str) -> Iterator[Span]:
    for match in _PLATE_COMPACT_LOWER.finditer(text):
        if _vowelless_sidecode(match.group()):
            yield Span(match.start(), match.end(), "kenteken")
    for match in _PLATE_SPACED.finditer(text):
        plate = match.group()
        compact = re.sub(r"[ \t]", "", plate)
        if (
            len(compact) == 6
            and sidecode(plate.replace(" ", "-").replace("\t", "-")) in _SIDECODES
            and _vowelless_sidecode(compact)
        ):
            yield Span(match.start(), match.end(), "kenteken")
    for match in _PLATE.finditer(text):
        if _plate_ok(match.group()):
            yield Span(match.start(), match.end(), "kenteken")
    for match in _PLATE_BARE.finditer(text):
        if _compact_sidecode(match.group()):
            yield Span(match.start(), match.end(), "kenteken")
    for match in _PLATE_BARE_LOWER.finditer(text):
        letters = re.findall(r"[a-z]+", match.group())
        if sidecode(match.group()) in _SIDECODES and not _UNITS.intersection(letters):
            yield Span(match.start(), match.end(), "kenteken")
    for match in _PLATE_CUE.finditer(text):
        plate = match.group("plate")
        if _plate_ok(plate) and any(c.isdigit() for c in plate):
            yield Span(match.start("plate"), match.end("plate"), "kenteken")


_SOCIAL_HOSTS = (
    r"(?:[\w-]+\.)?(?:facebook|fb|instagram|instagr|tiktok|twitter|x|linkedin|youtube|"
    r"youtu|snapchat|threads|telegram|t|discord|reddit|pinterest|tumblr|twitch|"
    r"soundcloud|vk|bsky|mastodon|onlyfans|github|wa|kick)\.(?:com|me|be|gg|net|nl|app|social|tv)"
)
# A link to a profile (or any page on a social network) and any link with a person
# path ("/@name", "/in/name", "/u/name"): the whole link goes.
_LINK_HOSTS = r"(?:linktr\.ee|lnk\.bio|beacons\.ai|bio\.link|bit\.ly|tinyurl\.com)"
_PROFILE_URL = re.compile(
    rf"(?:https?://)?(?:www\.)?(?:{_SOCIAL_HOSTS}|{_LINK_HOSTS})/[^\s,;)\]]*[^\s,;.)\]!?]",
    re.IGNORECASE,
)
_PERSON_URL = re.compile(
    r"(?:https?://|www\.)[^\s/]+/(?:@|in/|u/|user/|profile/|people/)[^\s,;)\]]*[^\s,;.)\]!?]",
    re.IGNORECASE,
)
# @name (not the middle of an e-mail address).
_AT_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}[A-Za-z0-9_]")
# "insta: fatima.e.96", "Snapchat naam van het meisje is lisa_xo2009", "tiktok nouri.boyz"
_HANDLE_CUE = re.compile(
    r"(?<![\w.])(?i:insta(?:gram)?|ig|tiktok|snap(?:chat)?|twitter|telegram|discord|facebook|fb|"
    r"threads|twitch|x-account|gamertag|gebruikersnaam|username|accountnaam|"
    r"profielnaam)\b[^\n.!?]{0,40}?"
    r"(?P<handle>(?<![\w@])@?[A-Za-z][A-Za-z0-9_.]*(?:[0-9_.][A-Za-z0-9_.]*)[A-Za-z0-9_])"
)


# A Discord tag: "gamer#1234".
_DISCORD_TAG = re.compile(r"(?<![\w#])[A-Za-z][\w.]{1,31}#\d{4}(?![\w])")


def find_handles(text: str) -> Iterator[Span]:
    for pattern in (_PROFILE_URL, _PERSON_URL, _AT_HANDLE, _DISCORD_TAG):
        for match in pattern.finditer(text):
            yield Span(match.start(), match.end(), "handle")
    for match in _HANDLE_CUE.finditer(text):
        handle = match.group("handle")
        # A handle has a digit or an underscore or a dot inside: not an ordinary word.
        if re.search(r"[0-9_]|\.\w", handle) and not re.fullmatch(r"[\d.]+", handle):
            yield Span(match.start("handle"), match.end("handle"), "handle")


# jjansen at gmail dot com, k.demir [at] hotmail [dot] com, x apenstaartje y punt nl
_AT_WORD = r"(?:at|AT|At|apenstaartje|apestaartje|apenstaart|apestaart|at-teken|@)"
_AT = rf"(?:[ \t]*[\[({{<][ \t]*(?:{_AT_WORD}|a)[ \t]*[\])}}>][ \t]*|[ \t]+{_AT_WORD}[ \t]+)"
_DOT = r"(?:[ \t]*[\[({<][ \t]*(?:dot|punt|\.)[ \t]*[\])}>][ \t]*|[ \t]+(?:dot|DOT|punt|PUNT)[ \t]+|\.)"
_TLD = r"(?:com|nl|be|net|org|eu|info|de|fr|uk|pl|tr|ma|me|io|live|online)"
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w][\w.+-]*(?:{_DOT}[\w][\w+-]*)*?{_AT}[\w-]+(?:{_DOT}[\w-]+)*?"
    rf"{_DOT}(?i:{_TLD})(?![\w])"
)
# With the @ sign itself, spaces anywhere around it and the dots: "x @ ziggo . nl",
# "t.okafor@ hotmail .com" (the @ says it is an address, so more domains count).
_SPACED_TLD = (
    r"(?:com|nl|be|net|org|eu|info|de|fr|uk|pl|tr|ma|me|io|live|online|nu|biz|email|"
    r"ro|bg|ua|es|it|cz|sr|cw|aw|ru|app)"
)
_SPACED_DOT = r"(?:[ \t]*\.[ \t]*|[ \t]+(?:punt|dot|PUNT|DOT)[ \t]+)"
_SPACED_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w][\w.+-]*(?:{_SPACED_DOT}[\w][\w+-]*)*?[ \t]*@[ \t]*[\w-]+"
    rf"(?:{_SPACED_DOT}[\w-]+)*?{_SPACED_DOT}(?i:{_SPACED_TLD})(?![\w])"
)


# "at" a known mail provider without its ending ("jjansen at gmail"), and a comma
# typed for the last dot ("jansen@hotmail,com").
_PROVIDERS = (
    r"(?i:gmail|hotmail|outlook|live|yahoo|ziggo|kpnmail|kpnplanet|planet|icloud|msn|"
    r"xs4all|upcmail|chello|quicknet|telfort|caiway|protonmail|proton|gmx|online)"
)
_PROVIDER_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w][\w.+-]*(?:{_AT}|[ \t]*@[ \t]*){_PROVIDERS}(?![\w@.])"
)
_COMMA_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w][\w.+-]*[ \t]?@[ \t]?[\w-]+(?:\.[\w-]+)*,[ \t]?(?i:{_SPACED_TLD})(?![\w])"
)


def find_obfuscated_emails(text: str) -> Iterator[Span]:
    for pattern in (_OBFUSCATED_EMAIL, _SPACED_EMAIL, _COMMA_EMAIL, _PROVIDER_EMAIL):
        for match in pattern.finditer(text):
            yield Span(match.start(), match.end(), "e-mail")


# Ages above 89 single a person out (HIPAA's rule too): "weduwe van 94", "(92)",
# "96-jarige", "101 jaar". A house number without a street: "nummer 17", "nr. 4".
_HIGH_AGE = r"(?:9\d|1[01]\d)"
_AGE_PATTERNS = (
    re.compile(
        rf"(?<![\w.,-]){_HIGH_AGE}(?:[ \t]?-?[ \t]?jarige?|[ \t]+jaar(?:[ \t]+oud)?|[ \t]?jr\.?)(?![\w])",
        re.IGNORECASE,
    ),
    re.compile(rf"(?<=\()[ \t]?{_HIGH_AGE}[ \t]?(?=\))"),
    # "(m, 93)", "(weduwe, 94 jr)"
    re.compile(
        rf"\((?:[^()\d]{{1,20}},[ \t]*)(?P<age>{_HIGH_AGE})(?:[ \t]*(?:jaar|jr\.?|j))?[ \t]*\)"
    ),
    # "(wed. 99)", "(dus 95)", "(ong 92 jr)": a word or two that go with an age
    re.compile(
        rf"\([ \t]*(?:(?i:wed|weduwe|weduwnaar|dus|ong|ongeveer|ca|circa|bijna|al|"
        rf"inmiddels|nu|pas|leeftijd|lft|lftd|oud|m|v|man|vrouw|age|aged|zelf|ook|"
        rf"moeder|vader|oma|opa)\.?[ \t,:]*|[±~][ \t]*){{1,2}}(?P<age>{_HIGH_AGE})"
        rf"(?:[ \t]*(?:jaar|jr\.?|j))?[ \t]*[!?]?\)"
    ),
    # "91 geworden", "is 101 geworden"
    re.compile(rf"(?<![\w.,-])(?P<age>{_HIGH_AGE})(?=[ \t]+geworden(?![\w]))"),
    re.compile(
        rf"(?<![\w])(?:(?i:van|is|wordt|werd|bijna|ruim|al|leeftijd|leeftijd:|of|aged|age|age:)"
        rf"|(?i:wordt|werd)(?:[ \t]+(?:volgende|vorige|deze|komende|morgen|gisteren|"
        rf"binnenkort|op|in|week|maand|zondag|maandag|dinsdag|woensdag|donderdag|"
        rf"vrijdag|zaterdag|al|bijna|echt)){{1,2}})[ \t]+(?P<age>{_HIGH_AGE})"
        r"(?![\w]|[.,]\d|[ \t]*(?:%|procent|euro|€|keer|minuten|uur|dagen|weken|maanden|"
        r"gezinnen|huishoudens|mensen|bewoners|personen|kinderen|jongeren|ouderen|m2|m²)(?![\w]))"
    ),
)
_HOUSE_NUMBER = re.compile(
    r"(?<![\w])(?:(?i:op|aan|bij)[ \t]+)?"
    r"(?i:huisnummer|huisnr\.?|nummer|nr\.?|no\.?)[ \t]*\d{1,4}"
    r"(?:[ \t]?[a-zA-Z](?![\w]))?(?:[ \t]?-[ \t]?(?:\d{1,4}|[IVX]{1,3}|hs|bis|[a-zA-Z])(?![\w]))?"
    r"(?![\w]|[.,]\d)"
)
# "woont op 17", "woonde op 23a"
_LIVES_AT = re.compile(
    r"(?<![\w])(?i:woont|wonen|woonde|wonend|woonachtig)[ \t]+(?i:op|aan)[ \t]+(?P<nr>\d{1,4}[a-zA-Z]?)(?![\w]|[.,:]\d|[ \t]+(?i:jan|feb|maart|mrt|april|apr|mei|juni|juli|aug|sep|okt|nov|dec|etage|hoog|verdieping))"
)
# A phone, a signal number or an amount is not a house number.
_NOT_HOUSE = re.compile(
    r"(?i:telefoon|tel|mobiel|bel|signaal|zaak|dossier|factuur|klant|bsn|lijn)[ \t.:]*$"
)


# A street name: one word ending in a street word ("Merelstraat", "Ankerweg").
_STREET_WORD = (
    r"[A-Z][\w'-]*(?:straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|steeg|"
    r"dreef|plantsoen|markt|wal|ring|allee|boulevard|dam|haven|park|veld|hoven|erf|"
    r"promenade|passage|zijde|akker|weide|baan)"
)
# After a house number, the street it is on makes an address: "nummer 23 in de
# Merelstraat", "nr 4 van de Kerklaan".
_STREET_AFTER = re.compile(
    rf"[ \t]*,?[ \t]*(?:(?i:in|aan|op|van|bij)[ \t]+)?(?:(?i:de|het)[ \t]+)?{_STREET_WORD}(?![\w])"
)
# A street corner points at one house: "op de hoek van de Zeemanstraat en de Ankerweg".
_CORNER = re.compile(
    rf"(?<![\w])(?:(?i:op|aan|bij)[ \t]+(?i:de|het)[ \t]+)?(?i:hoek(?:huis)?)[ \t]+"
    rf"(?i:van[ \t]+)?(?:(?i:de|het)[ \t]+)?{_STREET_WORD}[ \t]*(?:en|/|&)[ \t]*"
    rf"(?:(?i:de|het)[ \t]+)?{_STREET_WORD}(?![\w])"
)
# A floor of a named building: "op de 4e verdieping van flat Zonnehof".
_FLOOR = re.compile(
    r"(?<![\w])(?:(?i:op)[ \t]+(?i:de)[ \t]+)?\d{1,2}(?:e|ste|de)[ \t]+"
    r"(?i:verdieping|etage|woonlaag)[ \t]+(?i:van|in)[ \t]+(?:(?i:de|het|flat|"
    r"gebouw|complex|toren|portiekflat|seniorenflat)[ \t]+)*"
    r"[A-Z][\w'-]+(?:[ \t]+[A-Z][\w'-]+)*"
)
# One person singled out by a unique role at a place with a name: "de imam van de
# moskee aan de Westerweg", "de beheerder van het Wijkcentrum Noord", "de enige
# kapster in het winkelcentrum van Kwadijk", "de oudste bewoner van zorgcentrum
# Zuiderhof". The phrase runs to the last capitalised word of the place.
_UNIQUE_ROLE = (
    r"(?i:imam|dominee|pastoor|pastor|priester|rabbijn|predikant|beheerder|beheerster|"
    r"conciërge|concierge|directeur|directrice|eigenaar|eigenaresse|uitbater|"
    r"uitbaatster|voorzitter|voorzitster|kapster|kapper|schoolhoofd|bedrijfsleider|"
    r"portier|koster)"
)
_PERSON_NOUN = (
    r"(?i:familie|gezin|bewoner|bewoonster|man|vrouw|meneer|mevrouw|jongen|meisje|kind|"
    r"moeder|vader|weduwe|weduwnaar|huurder|huurster|echtpaar|stel|broers|zussen|"
    r"[a-zà-ÿ]+(?:ster|aar|ier|ist|eur|ent|ant|man|vrouw))"
)
_ROLE_PHRASE = re.compile(
    rf"(?<![\w])(?i:de|het)[ \t]+(?:(?i:enige|oudste|jongste)[ \t]+"
    rf"(?:[\w-]+[ \t]+){{0,2}}?{_PERSON_NOUN}|{_UNIQUE_ROLE})[ \t]+"
    rf"(?i:van|in|op|aan|uit|bij)[ \t]+(?:[\w'-]+[ \t]+){{0,5}}"
    rf"[A-Z][\w'-]+(?:[ \t]+(?:(?i:van|aan|in|op|de|het|der)[ \t]+)*[A-Z][\w'-]+)*"
)


# Where someone lives, told by what is next to it: "het Poolse stel dat boven de
# Kruidvat woont", "in het hoekhuis naast de kerk in Middelie".
_NEXT_TO = r"(?i:boven|onder|naast|tegenover|achter|schuin[ \t]+tegenover)"
_PLACE_END = (
    r"(?:[\w'-]+[ \t]+){0,4}?[A-Z][\w'-]+(?:[ \t]+(?:(?i:van|aan|in|de|het)[ \t]+)*"
    r"[A-Z][\w'-]+)*"
)
_LIVES_NEXT_TO = re.compile(
    rf"(?<![\w])(?:(?i:dat|die)[ \t]+)?{_NEXT_TO}[ \t]+(?i:de|het)[ \t]+"
    rf"[A-Z][\w'-]+(?:[ \t]+[\w'-]+)?[ \t]+(?i:woont|wonen|woonde|woonden)(?![\w])"
)
_DWELLING_NEXT_TO = re.compile(
    rf"(?<![\w])(?:(?i:in|op)[ \t]+)?(?i:het|de)[ \t]+(?i:hoekhuis|huis|woning|"
    rf"bovenwoning|benedenwoning|flat|appartement|huisje|portiek|boerderij|woonboot)"
    rf"[ \t]+{_NEXT_TO}[ \t]+{_PLACE_END}"
)


_DWELLER = re.compile(
    rf"(?<![\w])(?:{_PERSON_NOUN}|(?i:woont|wonen|woonde|woning|huis|huisje|"
    rf"hoekhuis|appartement|flat|buren|buurman|buurvrouw|zoon|dochter|kinderen|mensen))"
    rf"(?![\w])"
)


def _lives_there(text: str, start: int, end: int) -> bool:
    """A corner points at a person only when someone lives there ("het gezin op de
    hoek van ..."); "op de hoek van ... gaat het vaak mis" is a place in traffic."""
    before = re.split(r"[.!?;\n]", text[max(0, start - 80) : start])[-1]
    after = re.split(r"[.!?;,\n]", text[end : end + 40])[0]
    return bool(_DWELLER.search(before) or re.search(r"(?i)\bwo(?:o)?n", after or ""))


# A role the team talks with ("overleg met de directeur van de school") is a contact
# in that role, not the subject of the signal; "met de oudste bewoner van" is one.
_MET_BEFORE = re.compile(r"(?<![\w])(?i:met)[ \t]+$")
_RANKED = re.compile(r"(?i:enige|oudste|jongste)")


def find_quasi(text: str) -> Iterator[Span]:
    for pattern in _AGE_PATTERNS:
        for match in pattern.finditer(text):
            if "age" in pattern.groupindex:
                yield Span(match.start("age"), match.end("age"), "quasi")
            else:
                yield Span(match.start(), match.end(), "quasi")
    for match in _HOUSE_NUMBER.finditer(text):
        before = text[max(0, match.start() - 20) : match.start()]
        if _NOT_HOUSE.search(before) or "telefoon" in match.group().casefold():
            continue
        street = _STREET_AFTER.match(text, match.end())
        yield Span(match.start(), street.end() if street else match.end(), "quasi")
    for match in _CORNER.finditer(text):
        if _lives_there(text, match.start(), match.end()):
            yield Span(match.start(), match.end(), "quasi")
    for pattern in (_FLOOR, _ROLE_PHRASE, _LIVES_NEXT_TO, _DWELLING_NEXT_TO):
        for match in pattern.finditer(text):
            if (
                pattern is _ROLE_PHRASE
                and _MET_BEFORE.search(text, 0, match.start())
                and not _RANKED.search(match.group())
            ):
                continue  # "gesprek met de directeur van ...": a contact in a role
            yield Span(match.start(), match.end(), "quasi")
    for match in _LIVES_AT.finditer(text):
        yield Span(match.start("nr"), match.end("nr"), "quasi")

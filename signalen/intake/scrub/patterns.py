"""The regex layer: structured identifiers, deterministic and fast.

Each finder returns spans on the input text. Checks that cut false positives:
the 11-test for BSNs, mod-97 for IBANs, a digit count for phone numbers, a real
day and month for dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .identifiers import find_handles, find_obfuscated_emails, find_plates, find_quasi
from .types import Span

# A separator between digit groups of a phone number: "06-1234", "020) 123", "06 12".
_SEP = r"(?:[ \t]?[-.)/\u2010-\u2015][ \t]?|[ \t])?"
_PHONE_PATTERNS = [
    # +31 6 1234 5678, +31(0)6-12345678, 0031 20 123 4567
    re.compile(
        rf"(?<![\w+])(?:\+|00)[ \t]?31{_SEP}(?:\(0\){_SEP})?[1-9](?:{_SEP}\d){{8}}(?!\d)"
    ),
    # 0800-1234, 0900 123 45 67, 0800-0222 (service numbers: 8 to 11 digits)
    re.compile(rf"(?<![\w+])\(?0[89]0[0-9]{_SEP}\d(?:{_SEP}\d){{3,6}}(?!\d)"),
    # 06-12345678, 06 12 34 56 78, (020) 123 45 67, 0299-123456, 088-1234567
    re.compile(rf"(?<![\w+])\(?0[1-9](?:{_SEP}\d){{8}}(?!\d)"),
    # Other countries: +32 470 12 34 56, +49 151 12345678 (7 to 12 more digits)
    re.compile(rf"(?<![\w+])\+[ \t]?(?!31)[1-9]\d{{0,2}}(?:{_SEP}\d){{7,12}}(?!\d)"),
]

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])", re.UNICODE
)

# 1234 AB or 1234AB (or 1234ab), optionally followed by a house number: 1441 AB 23-II.
_HOUSE_NUMBER = (
    r"(?:[ \t]*-?[ \t]*(?:nr\.?|no\.?|huisnummer)?[ \t]*\d{1,5}"
    r"(?:[ \t]?[a-zA-Z](?![\w]))?(?:[ \t]?-[ \t]?(?:\d{1,4}|hs|bis|[IVX]{1,3})(?![\w]))?"
    r"(?![\w]|[ \t]+(?:jaar|kinderen|gezinnen|huishoudens|personen|mensen|keer|x)\b))?"
)
_POSTCODE = re.compile(
    rf"(?<![\w])[1-9]\d{{3}}(?:[ \t]?-?[ \t]?(?!SA|SD|SS)[A-Z]{{2}}|(?!sa|sd|ss)[a-z]{{2}})(?![\w])"
    rf"{_HOUSE_NUMBER}"
)
# In lower case with a space or a dash ("9712 xr", "1234-ab"): not when the two
# letters are a word or a unit ("in 2023 en 2024", "1500 km").
_POSTCODE_LOWER = re.compile(
    rf"(?<![\w.,-])[1-9]\d{{3}}(?:[ \t]?-[ \t]?|[ \t])(?P<letters>[a-zA-Z][a-z])(?![\w]|-\w){_HOUSE_NUMBER}"
)
_NOT_POSTCODE_LETTERS = frozenset(
    ["en", "de", "op", "in", "is", "al", "te", "om", "na", "zo", "nu", "ik", "je", "we",
     "ze", "uw", "of", "er", "ja", "af", "bv", "ca", "eu", "km", "kg", "cm", "mm", "ml",
     "mg", "gr", "cl", "dl", "pm", "am", "st", "nr", "hs", "jr", "kw", "pk", "ha", "ma",
     "di", "wo", "do", "vr", "za", "tm", "vs", "mn", "wk", "jl", "ex", "xl", "id", "ov",
     "pv", "gg", "ct", "ad", "an", "as", "at", "be", "by", "he", "if", "it", "me", "my",
     "no", "on", "or", "so", "to", "up", "us", "ms", "sa", "sd", "ss", "uu", "mo"]
)  # fmt: skip
# After the word "postcode": any case and separator ("postcode: 1234 ab").
_POSTCODE_CUE = re.compile(
    r"(?i:postcode|pc)[ \t]*:?[ \t]*(?P<code>[1-9]\d{3}[ \t-]?[A-Za-z]{2})(?![\w])"
)

_BSN = re.compile(r"(?<![\w.+-])\d(?:[ .\u2010-\u2015-]?\d){8}(?![\w]|[.,-]\d)")
# After the word: any 8 or 9 digits in the same sentence are the BSN, even when they
# fail the 11-test (a typo, a guess, "bsn 987654321? nee ..."): "BSN: 1234.56.789",
# "burgerservicenummer van dhr is 2234 56 789", "sofinummer 12345678".
_BSN_CUE = re.compile(
    r"(?<![\w])(?i:bsn|b\.s\.n\.?|burger[ \t-]?service[ \t-]?nummer|burgerservicenr\.?|"
    r"sofi[ \t-]?(?:nummer|nr\.?)|sofinummer|sofi|citizen[ \t]+service[ \t]+number)(?![^\W\d_])"
)
_BSN_DIGITS = r"\d(?:[ .\u2010-\u2015-]?\d){7,8}(?![\w]|[.,-]?\d)"
_BSN_AFTER_CUE = re.compile(rf"(?<![\w.+-]){_BSN_DIGITS}")
_BSN_GLUED = re.compile(rf"[:#-]?{_BSN_DIGITS}")  # "bsn123456789", "bsn:123456789"
# The number first: "123456789 (bsn)", "987654321 = bsn", "123456789 is het bsn".
_BSN_BEFORE_CUE = re.compile(
    r"(?<![\w.+-])(?P<nr>\d(?:[ .-]?\d){7,8})(?![\w]|[.,-]?\d)[ \t]*[(=:,-]?[ \t]*"
    r"(?:(?i:is|was|als|het|zijn|haar|z'n|d'r|zou|moet|nog|dus)[ \t]+){0,3}"
    r"(?i:bsn|burgerservicenummer|sofinummer)(?![\w])"
)

_IBAN = re.compile(
    r"(?<![\w])[A-Za-z]{2}[ \t.-]?\d{2}(?:[ \t.-]?[A-Za-z0-9]){10,32}", re.UNICODE
)
# Lengths of IBANs per country (the common ones; others: 15 to 34).
_IBAN_LENGTHS = {
    "NL": 18, "BE": 16, "DE": 22, "FR": 27, "GB": 22, "ES": 24, "IT": 27, "PL": 28,
    "TR": 26, "PT": 25, "AT": 20, "CH": 21, "LU": 20, "IE": 22, "DK": 18, "SE": 24,
    "NO": 15, "FI": 18, "RO": 24, "BG": 22, "HU": 28, "CZ": 24, "SK": 24, "GR": 27,
    "LT": 20, "LV": 21, "EE": 20, "HR": 21, "SI": 19, "MA": 28,
}  # fmt: skip
_NL_IBAN_SHAPE = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")

_MONTHS = (
    r"(?:januari|jan|februari|febr|feb|maart|mrt|mar|april|apr|mei|juni|jun|juli|jul|"
    r"augustus|aug|september|sept|sep|oktober|okt|oct|november|nov|december|dec)\.?"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH_NUM = r"(?:0?[1-9]|1[0-2])"
_YEAR4 = r"(?:1[89]\d\d|20\d\d)"
_NUMERIC_DATE = rf"{_DAY}(?P<s>[-/.])[ \t]?{_MONTH_NUM}(?P=s)[ \t]?(?:{_YEAR4}|'?\d\d)(?![\w]|[-/.]\d)"
_WRITTEN_DATE = (
    rf"{_DAY}(?:e|ste|de)?[ \t]+{_MONTHS}[ \t,]+(?:{_YEAR4}(?!\d)|'\d\d(?!\d)|\d\d(?=[ \t]*(?:$|[,;.)!?](?!\d))))"
    # With dashes, slashes or dots around the month: "12-mrt-1948", "3/okt/'52"
    rf"|{_DAY}(?P<w>[-/.])[ \t]?{_MONTHS}[ \t]?(?P=w)?[ \t]?(?:{_YEAR4}|'?\d\d)(?![\w]|[-/.]\d)"
)
# Year first, as forms and systems write it: 1962-07-14, 1962/7/14.
_ISO_DATE = rf"{_YEAR4}(?P<i>[-/.]){_MONTH_NUM}(?P=i){_DAY}(?![\w]|[-/.:]\d)"
# Without separators, as typed from a pass or a form: 20021948 (ddmmyyyy).
_COMPACT_DATE = (
    r"(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19\d\d|20[0-2]\d)(?![\w]|[.,]\d)"
)
_FULL_DATE = re.compile(
    rf"(?<![\w/.-])(?:{_NUMERIC_DATE}|{_ISO_DATE}|{_WRITTEN_DATE}|{_COMPACT_DATE})",
    re.IGNORECASE,
)
# After "geboren", "geb.", "geboortedatum": also a day and month, a month and year, a year.
_BIRTH_CUE = re.compile(
    r"(?:(?<![\w])(?:geboren|geb\.?[ \t]?datum|geboortedatum|geboortedag|geboortejaar|"
    r"geb\.?[ \t]?jaar|gebj\.?|geb\.|geb(?![\w])|d\.o\.b\.?|dob|born)|°|(?<![\w*])\*(?=[ \t]?\d))"
    r"[ \t]*(?::|op|in|per)?[ \t]*",
    re.IGNORECASE,
)
_BIRTH_DATE = re.compile(
    rf"(?:{_NUMERIC_DATE}|{_ISO_DATE}|{_WRITTEN_DATE}|{_DAY}(?:e|ste|de)?[ \t]+{_MONTHS}(?![\w])"
    rf"|{_MONTHS}[ \t]+(?:{_YEAR4}|'\d\d)(?!\d)|{_DAY}[-/.]{_MONTH_NUM}(?![\w]|[-/.]\d)"
    rf"|{_DAY}[ \t]{_MONTH_NUM}[ \t](?:{_YEAR4}|\d\d)(?!\d)"
    rf"|(?:19\d\d|20[0-2]\d)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"
    rf"|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d\d(?!\d)"
    rf"|'?{_YEAR4}(?!\d)|'\d\d(?!\d))",
    re.IGNORECASE,
)


def bsn_valid(digits: str) -> bool:
    """The 11-test (elfproef) for a 9-digit BSN."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0


def iban_valid(compact: str) -> bool:
    """The ISO 13616 mod-97 check on an IBAN without spaces."""
    compact = compact.upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


# Glued to its word: "tel0612345678", "mob:06-12345678", "nr.0201234567".
_GLUED_PHONE = re.compile(
    rf"(?<![\w])(?i:tel|mob|gsm|nr|bel|nummer|telefoon|telnr|mobiel)[.:]?"
    rf"(?P<nr>0[1-9](?:{_SEP}\d){{8}})(?!\d)"
)


def find_phones(text: str) -> Iterator[Span]:
    for match in _GLUED_PHONE.finditer(text):
        yield Span(match.start("nr"), match.end("nr"), "telefoon")
    for pattern in _PHONE_PATTERNS:
        for match in pattern.finditer(text):
            start, found = match.start(), match.group()
            # "(020) 123 45 67" keeps its bracket in the match; in "(06-12345678)"
            # the opening bracket only encloses the number and stays in the text.
            if found.startswith("(") and ")" not in found:
                start += 1
            yield Span(start, match.end(), "telefoon")


def find_emails(text: str) -> Iterator[Span]:
    for match in _EMAIL.finditer(text):
        yield Span(match.start(), match.end(), "e-mail")


def find_postcodes(text: str) -> Iterator[Span]:
    for match in _POSTCODE.finditer(text):
        yield Span(match.start(), match.end(), "postcode")
    for match in _POSTCODE_CUE.finditer(text):
        yield Span(match.start("code"), match.end("code"), "postcode")
    for match in _POSTCODE_LOWER.finditer(text):
        if match.group("letters").casefold() not in _NOT_POSTCODE_LETTERS:
            yield Span(match.start(), match.end(), "postcode")


def find_bsns(text: str) -> Iterator[Span]:
    for match in _BSN.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if bsn_valid(digits):
            yield Span(match.start(), match.end(), "bsn")
    for cue in _BSN_CUE.finditer(text):
        if glued := _BSN_GLUED.match(text, cue.end()):
            start = glued.start() + (not text[glued.start()].isdigit())
            yield Span(start, glued.end(), "bsn")
        window = re.split(
            r"[!?\n]|\.(?=[ \t]+[A-Z]|[ \t]*$)", text[cue.end() : cue.end() + 100]
        )[0]
        for match in _BSN_AFTER_CUE.finditer(text, cue.end(), cue.end() + len(window)):
            yield Span(match.start(), match.end(), "bsn")
    for match in _BSN_BEFORE_CUE.finditer(text):
        yield Span(match.start("nr"), match.end("nr"), "bsn")


# After its word an IBAN in lower case with spaces is one too: "iban nl 91 abna ...".
_IBAN_CUE = re.compile(
    r"(?<![\w])(?i:iban|rek|rekening|rekeningnummer|reknr|rek\.nr|bankrekening|"
    r"bankrekeningnummer|account)\.?[ \t]*:?[ \t]*$"
)


def _iban_end(text: str, start: int, end: int) -> int | None:
    """Where a valid IBAN that starts at `start` ends, or None."""
    positions = [i for i in range(start, end) if text[i].isalnum()]
    country = text[start : start + 2].upper()
    if (
        not text[start + 2].isdigit()
        and (country not in _IBAN_LENGTHS or not text[start : start + 2].isupper())
        and not _IBAN_CUE.search(text, max(0, start - 30), start)
    ):
        return None  # "NL 91 ABNA ...", not "Op 12 november ..." (mod 97 by chance)
    length = _IBAN_LENGTHS.get(country)
    lengths = [length] if length else list(range(min(34, len(positions)), 14, -1))
    for n in lengths:
        if n > len(positions):
            continue
        compact = "".join(text[i] for i in positions[:n])
        if iban_valid(compact) or (
            country == "NL" and _NL_IBAN_SHAPE.fullmatch(compact.upper())
        ):
            # A Dutch account number with a typo in its check digits is still one.
            return positions[n - 1] + 1
    return None


def find_ibans(text: str) -> Iterator[Span]:
    position = 0
    while match := _IBAN.search(text, position):
        end = _iban_end(text, match.start(), match.end())
        if end is None:
            position = match.start() + 1
        else:
            yield Span(match.start(), end, "iban")
            position = end


def find_birth_dates(text: str) -> Iterator[Span]:
    for match in _FULL_DATE.finditer(text):
        yield Span(match.start(), match.end(), "geboortedatum")
    for cue in _BIRTH_CUE.finditer(text):
        date = _BIRTH_DATE.match(text, cue.end())
        if date and date.end() > date.start():
            yield Span(date.start(), date.end(), "geboortedatum")


# In order of precedence: where two spans overlap, the earlier finder wins.
FINDERS = (
    find_emails,
    find_obfuscated_emails,
    find_handles,
    find_ibans,
    find_phones,
    find_birth_dates,
    find_postcodes,
    find_bsns,
    find_plates,
    find_quasi,
)


def find_structured(text: str) -> list[Span]:
    """All structured identifiers, in order of precedence (may overlap)."""
    return [span for finder in FINDERS for span in finder(text)]

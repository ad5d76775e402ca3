"""Names that have no title before them and that deduce has no lookup for.

Rules, on word tokens (see scrub_eval.py for what they find and what they keep):

1. a capitalised word in the middle of a sentence is a proper noun; it is a name when
   it is a known first name or surname, or when it is no Dutch word at all (names of
   every origin: "Tesfay", "Ghebremedhin"), unless it is a known place, country,
   organisation, language, nationality, weekday, month or holiday;
2. at the start of a sentence the same, but a word that is also an ordinary Dutch word
   ("Door", "Hoop", "Roos", "Mark") is a name only with a person after it: an age
   "(87)", a surname, or a verb such as "woont", "zit", "vertelt";
3. a lower-case word is a name when it is a first name and no Dutch word ("fatima",
   "ahmed", "henk"), or any surname or unknown word right after a family word or a
   title ("oma joke", "familie haddou", "mevrouw bakker");
4. a name runs on over particles and further name-like capitalised words
   ("Lina Al Masri", "Rasha Haj Ali", "Annemiek van der Veen");
5. names of places and organisations stay: after a head word ("Buurthuis De Vonk",
   "Speeltuin De Hoop", "Stichting Present") or as "De X"/"Het X" in mid-sentence
   ("in Het Trefpunt").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from . import lexicon
from .allowlist import ORGANISATIONS_AND_ROLES
from .extra_names import NOT_PEOPLE, ORGANISATION_HEADS, PERSON_VERBS
from .types import Span

# A word, with its apostrophes and hyphens ("Jan-Willem", "'t"), but without a
# possessive "'s" ("fatima's man": the name is "fatima").
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019-](?!s(?![^\W\d_]))[^\W\d_]+)*")
_PARTICLES = frozenset(
    [
        "van",
        "de",
        "der",
        "den",
        "het",
        "ten",
        "ter",
        "te",
        "la",
        "le",
        "du",
        "da",
        "dos",
        "del",
        "della",
        "di",
        "el",
        "al",
        "bin",
        "ben",
        "ibn",
        "abu",
        "bint",
        "ould",
        "von",
        "zu",
        "haj",
        "hadj",
        "ter",
        "'t",
        "vd",
        "vander",
    ]
)
_ARTICLES = frozenset({"de", "het", "'t"})
_NAME_LINKS = frozenset(
    {"in", "de", "het", "van", "op", "aan", "voor", "en", "'t", "der"}
)
# The particles before a Dutch surname, as typed: "de Wit", "van der Berg".
_INTERFIXES = frozenset(
    ["de", "van", "van de", "van der", "van den", "van het", "van 't", "der", "den",
     "ter", "ten", "te", "in 't", "op de", "in de", "van de"]
)  # fmt: skip
_DUTCH_PARTICLES = frozenset(
    {"van", "de", "der", "den", "het", "ten", "ter", "te", "'t", "vd", "vander"}
)
# Words after which a lower-case name is expected ("oma joke", "familie haddou").
_FAMILY = frozenset(
    [
        "mevrouw",
        "mevr",
        "mw",
        "meneer",
        "mijnheer",
        "dhr",
        "hr",
        "opa",
        "oma",
        "tante",
        "oom",
        "buurman",
        "buurvrouw",
        "gezin",
        "familie",
        "fam",
        "zoon",
        "dochter",
        "zoontje",
        "dochtertje",
        "kleinzoon",
        "kleindochter",
        "neef",
        "nicht",
        "broer",
        "zus",
        "zusje",
        "broertje",
        "moeder",
        "vader",
        "schoonmoeder",
        "schoonvader",
        "juf",
        "meester",
        "cliënt",
        "client",
        "cliënte",
        "bewoner",
        "bewoonster",
        "vriend",
        "vriendin",
        "collega",
        "echtgenoot",
        "echtgenote",
        "weduwe",
        "weduwnaar",
    ]
)
_SENTENCE_END = re.compile(
    r"(?:^|[.!?:;\n\u2022*\u2013\u2014(\"'\u201c\u2018]|\s-)\s*$"
)


def _is_latin(word: str) -> bool:
    return all(ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF for c in word)


@functools.cache
def _not_people() -> frozenset[str]:
    from faker.providers.address.nl_NL import Provider

    words = {w.casefold() for w in NOT_PEOPLE}
    for country in Provider.countries:
        words.add(country.casefold())
        # The parts of "Sint Maarten" or "Jan Mayen" that are first names stay names.
        words.update(
            part.casefold()
            for part in country.split()
            if " " not in country or not lexicon.is_first_name(part)
        )
    words |= {w.casefold() for w in ORGANISATIONS_AND_ROLES}
    words |= _IDENTIFIER_WORDS
    return frozenset(words)


# The words that introduce an identifier are no names ("iban NL78...", "geb 2 mei").
_IDENTIFIER_WORDS = frozenset(
    ["iban", "bsn", "tel", "telnr", "mob", "mobiel", "geb", "kenteken", "email",
     "e-mail", "postcode", "adres"]
)  # fmt: skip


def _capitalised(word: str) -> bool:
    return (
        word[0].isupper() and not word.isupper() and word[1:] == word[1:].lower()
    ) or (
        "-" in word
        and all(p[:1].isupper() for p in word.split("-"))
        and not word.isupper()
    )


def _parts(word: str) -> list[str]:
    return [p for p in re.split(r"['\u2019-]", word) if p]


def _known_name(word: str) -> bool:
    parts = _parts(word)
    return any(lexicon.is_first_name(p) or lexicon.is_surname(p) for p in parts)


def _unknown(word: str) -> bool:
    """No Dutch word (nor a common word in the lists the lexicon has)."""
    return all(lexicon.zipf(p) < lexicon.WORD_ZIPF for p in _parts(word))


def _excluded(word: str, keep: frozenset[str]) -> bool:
    folded = word.casefold()
    if folded in keep or folded in _not_people():
        return True
    return any(
        p.casefold() in _not_people() or p.casefold() in keep
        for p in _parts(word)
        if p.casefold() not in _PARTICLES
    )


def _compound(word: str) -> bool:
    """A Dutch compound ("Kinderraad", "Koemarkt"): two Dutch words, no name."""
    folded = word.casefold()
    for cut in range(3, len(folded) - 2):
        head, tail = folded[:cut], folded[cut:]
        for head_form in (head, head[:-1] if head.endswith("s") else head):
            if (
                lexicon.zipf(head_form) >= lexicon.WORD_ZIPF
                and lexicon.zipf(tail) >= lexicon.WORD_ZIPF
                and not lexicon.is_first_name(head_form)
            ):
                return True
    return False


_LETTERS = "abcdefghijklmnopqrstuvwxyzéëïöüè"


def _typo(word: str) -> bool:
    """One letter off a frequent Dutch word ("Nederladns", "voolgt", "ewet",
    "suicidale"): a slip of the keyboard, not a name. Only asked of words in no
    name list."""
    folded = word.casefold()
    if len(folded) < 4:
        return False
    splits = [(folded[:k], folded[k:]) for k in range(len(folded) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    edits |= {a + c + b for a, b in splits for c in _LETTERS}
    edits.discard(folded)
    return any(lexicon.zipf(edit) >= 3.5 for edit in edits if len(edit) > 2)


def _nameish_capital(word: str, keep: frozenset[str]) -> bool:
    """A capitalised word that can be (part of) a name wherever it stands."""
    if not _is_latin(word) or len(word) < 2 or _excluded(word, keep):
        return False
    if word.casefold() in _FAMILY:
        return False
    if lexicon.is_ordinary_word(word) and not _known_name(word):
        return False
    if _known_name(word):
        return True
    return _unknown(word) and not _compound(word) and not _typo(word)


def _lower_surname(word: str) -> bool:
    """After a title or family word, a lower-case surname or name ("mevrouw bakker",
    "gezin yilmaz", "mw janssen-de"): a name, an unknown word, not a common word nor
    another form of a Dutch word ("dochter verzuimt", "vader dementerend")."""
    parts = [p for p in _parts(word) if p not in _PARTICLES]
    if not parts or lexicon.is_common_word(word) or lexicon.is_stop_word(word):
        return False
    if lexicon.is_english_stop_word(word) or (
        lexicon.is_english_word(word)
        and not any(lexicon.is_dutch_name(p) for p in parts)
    ):
        return False  # "client has debts"
    if any(lexicon.is_first_name(p) or lexicon.is_surname(p) for p in parts):
        if lexicon.is_dutch_word(word) and not any(
            lexicon.is_dutch_name(p) for p in parts
        ):
            return False  # "mw. woning", "mw. tolk": a word that a list names too
        return not lexicon.is_finite_verb(word)
    return (
        _unknown(word)
        and not _compound(word)
        and not lexicon.is_finite_verb(word)
        and not _inflected(word)
        and not _DUTCH_ENDING.search(word)
        and not _typo(word)
    )


# Endings of Dutch adjectives, participles and abstract nouns that names lack.
_DUTCH_ENDING = re.compile(
    r"(?:end|ende|erd|eerd|ig|ige|lijk|lijke|isch|ische|loos|loze|baar|bare|heid|ing|ale|"
    r"ingen|tie|ties|teit|isme|ief|ieve|ueel|uele|schap|dom|nis)$",
    re.IGNORECASE,
)


def _inflected(word: str) -> bool:
    """Another form of a Dutch word: "dementerend", "verzuimt", "laaggeletterd"."""
    folded = word.casefold()
    for suffix in ("end", "ende", "t", "d", "de", "te", "en", "e", "s"):
        stem = folded[: -len(suffix)]
        if (
            folded.endswith(suffix)
            and len(stem) >= 3
            and any(
                lexicon.zipf(form) >= lexicon.WORD_ZIPF
                for form in (stem + "en", stem + stem[-1] + "en", stem, stem + "t")
            )
        ):
            return True
    return False


def _lower_particle_name(
    text: str, tokens: list[re.Match[str]], i: int, *, titled: bool = False
) -> bool:
    """Particles from token i on, then a lower-case surname: "de graaf", "el amrani";
    with `titled` (after "dhr."), any surname-like word that is no Dutch word too
    ("dhr. el khatib")."""
    k = i
    while (
        k < len(tokens)
        and tokens[k].group().casefold() in _PARTICLES
        and text[tokens[k].end() : tokens[k].end() + 1] == " "
    ):
        k += 1
    if (
        k == i
        or k >= len(tokens)
        or text[tokens[k - 1].end() : tokens[k].start()] != " "
    ):
        return False
    surname = tokens[k].group()
    if not surname.islower() or not _is_latin(surname):
        return False
    if (
        titled
        and tokens[i].group().casefold() not in _DUTCH_PARTICLES
        and _lower_surname(surname)
        and not lexicon.is_dutch_word(surname)
    ):
        return True  # "dhr. el khatib"; not "moeder van yasmina"
    if k - i >= 2 and titled and lexicon.is_interfix_surname(surname):
        return True  # "meneer van der meer", "mw van den berg"
    return (
        lexicon.is_surname(surname) or lexicon.is_interfix_surname(surname)
    ) and not lexicon.is_stop_word(surname)


def _preposition_phrase(tokens: list[re.Match[str]], i: int, previous: str) -> bool:
    """ "bewoner van de straat", "zoon van de buren": after a family word that is no
    title, "van de" + a Dutch word is a phrase, not a surname ("mw van de berg" is)."""
    if tokens[i].group().casefold() != "van":
        return False
    k = i
    while k < len(tokens) and tokens[k].group().casefold() in _PARTICLES:
        k += 1
    if k >= len(tokens):
        return False
    if previous in _TITLES_AFTER_EN:
        # "buurman van boven", "buurvrouw van de hoek": where a neighbour lives, not
        # a surname (after "mw", "dhr", "familie" it is one: "mw van boven").
        return (
            previous not in _REAL_TITLES
            and tokens[k].group().casefold() in _WHERE_WORDS
        )
    return lexicon.is_dutch_word(tokens[k].group())


_REAL_TITLES = frozenset(
    ["mevrouw", "mevr", "mw", "meneer", "mijnheer", "dhr", "hr", "fam", "familie"]
)
# Where someone lives, as neighbours say it.
_WHERE_WORDS = frozenset(
    ["boven", "beneden", "onder", "hiernaast", "naast", "tegenover", "overkant", "hoek",
     "achter", "voor", "links", "rechts", "verderop", "hierboven", "hieronder", "ernaast",
     "erboven", "eronder", "hiertegenover", "overzijde", "overburen", "portiek", "galerij",
     "zolder", "flat", "straat", "nummer", "nr", "hoog", "driehoog", "tweehoog",
     "vierhoog", "eenhoog", "parterre", "begane", "benedenwoning", "bovenwoning"]
)  # fmt: skip


def _lower_first_name(word: str) -> bool:
    return (
        len(word) > 2
        and _is_latin(word)
        and lexicon.is_first_name(word)
        and not lexicon.is_dutch_word(word)
        and not lexicon.is_english_word(word)
    )


def organisation_ranges(text: str) -> list[tuple[int, int]]:
    """Names of places and organisations ("Buurthuis De Vonk", "in Het Trefpunt")."""
    found = []
    tokens = list(_TOKEN.finditer(text))
    for i, token in enumerate(tokens):
        word = token.group()
        folded = word.casefold()
        starts_name = folded in ORGANISATION_HEADS or (
            word in ("De", "Het")
            and not _sentence_start(text, token.start())
            and not _article_surname(text, tokens, i)
        )
        if not starts_name:
            continue
        if i > 0 and tokens[i - 1].group().casefold().rstrip(".") in _FAMILY:
            continue  # "mevrouw De Vries"
        j = i + 1
        if j < len(tokens) and tokens[j].group() in ("De", "Het", "'t"):
            j += 1
        end = None
        while j < len(tokens) and (
            text[tokens[j - 1].end() : tokens[j].start()].strip(" -") == ""
        ):
            if _capitalised(tokens[j].group()):
                end = tokens[j].end()
                j += 1
                continue
            # "Stichting Thuis in de Wijk", "Huis van de Wijk": small words between
            # the capitalised ones of the name
            k = j
            while (
                k < len(tokens)
                and k - j < 3
                and tokens[k].group() in _NAME_LINKS
                and text[tokens[k - 1].end() : tokens[k].start()] == " "
            ):
                k += 1
            if (
                end is not None
                and k > j
                and k < len(tokens)
                and text[tokens[k - 1].end() : tokens[k].start()] == " "
                and _capitalised(tokens[k].group())
            ):
                j = k
                continue
            break
        if end is not None:
            found.append((token.start(), end))
    return found


def _article_surname(text: str, tokens: list[re.Match[str]], i: int) -> bool:
    """ "met De Boer", "zegt De Ridder": "De" + a surname that takes "de" is a person,
    unless a place word comes before it ("in De Hoop", "naar De Vonk")."""
    if tokens[i].group() != "De" or i + 1 >= len(tokens) or i == 0:
        return False
    if tokens[i - 1].group().casefold() in _PREPOSITIONS:
        return False
    surname = tokens[i + 1].group()
    return _capitalised(surname) and lexicon.is_interfix_surname(surname)


def _sentence_start(text: str, position: int) -> bool:
    return bool(_SENTENCE_END.search(text[max(0, position - 3) : position]))


# After a word, what makes it a person: an age or a role in brackets ("Riet (87)",
# "Piet (buurman)", "Bas (vrijwilliger taalhuis)"), an age after a comma, where the
# person lives ("Koning van de overkant", "kim van 3 hoog"), where they come from
# ("Carlos uit Venezuela", "Noor uit groep 6").
_PERSON_CONTEXT = re.compile(
    r"\s*(?:\(\s*(?:[1-9]\d{0,2}\s*(?:jaar|jr\.?)?\s*[),]|(?P<role>(?!(?:nr|nummer|huisnummer|no)\b)[a-zà-ÿ]+))"
    r"|,\s*\d{1,3}\s*(?:jaar|jr)"
    r"|van\s+(?:de\s+overkant|hiernaast|boven|beneden|driehoog|tweehoog|vierhoog|"
    r"\d+\s*(?:-\s*)?hoog|nummer\s+\d|nr\.?\s*\d)"
    r"|uit\s+(?:groep|klas|de\s+klas|\d|[A-Z])"
    # where they live: "Mol op nummer 9", "Zwart van de 3e verdieping", "gijs (nr 16)",
    # or their account: "jens (@gamerjens08 op discord)"
    r"|(?:op|van|\()\s*(?:huisnummer|nummer|nr\.?|no\.)\s*\d"
    r"|(?:op|van)\s+(?:de\s+)?\d{1,2}\s*(?:e|ste|de)\s+(?:verdieping|etage|woonlaag)"
    r"|\(\s*@\w)"
)
# Months that are first names too: a name when a surname follows ("Juni Wijaya").
_MONTH_NAMES = frozenset({"april", "mei", "juni", "juli", "augustus"})
_ROLE_WORDS = frozenset(
    [
        "student",
        "studente",
        "scholier",
        "vrijwilliger",
        "vrijwilligster",
        "tweeling",
        "mantelzorger",
        "buurjongen",
        "buurmeisje",
        "stagiair",
        "stagiaire",
        "kind",
        "jongen",
        "meisje",
        "baby",
        "peuter",
        "kleuter",
        "puber",
        "tiener",
        "oudere",
        "weduwe",
        "weduwnaar",
        "statushouder",
    ]
)
_PERSON_SUFFIX = re.compile(
    r"(?:er|ster|ist|aar|ling|ent|ant|eur|trice|ice|man|vrouw)$"
)


# After a name and "de"/"onze", a neighbour or role ("Riet de buurvrouw").
_APPOSITION_DETERMINERS = frozenset({"de", "onze", "mijn", "ons"})
_NEIGHBOURS = frozenset(
    ["overbuurman", "overbuurvrouw", "bovenbuurman", "bovenbuurvrouw", "onderbuurman",
     "onderbuurvrouw", "huisbaas", "conciërge", "huismeester", "wijkagent"]
)  # fmt: skip


def _imperative(word: str) -> bool:
    """The stem of a frequent verb ("Bel de dochter", "Haal de buurman"): an order."""
    folded = word.casefold()
    return lexicon.zipf(folded + "t") >= 2.5 and any(
        lexicon.zipf(form) >= lexicon.WORD_ZIPF
        for form in (folded + "en", folded + folded[-1:] + "en")
    )


def _person_word(word: str) -> bool:
    """A word for a person or a role: "buurman", "student", "vrijwilliger"."""
    folded = word.casefold()
    return (
        folded in _FAMILY
        or folded in _ROLE_WORDS
        or bool(_PERSON_SUFFIX.search(folded))
    )


_POSSESSIVES = frozenset({"zijn", "haar", "hun", "z'n", "d'r", "m'n"})
# "X en dhr. Y", "X en mevrouw Y": X is a person too.
_TITLES_AFTER_EN = frozenset(
    ["mevrouw", "mevr", "mw", "meneer", "mijnheer", "dhr", "hr", "fam", "familie",
     "buurman", "buurvrouw", "oma", "opa", "tante", "oom"]
)  # fmt: skip
_PREPOSITIONS = frozenset({"in", "naar", "uit", "op", "richting", "via", "langs"})


def _person_follows(
    text: str,
    tokens: list[re.Match[str]],
    i: int,
    keep: frozenset[str],
    *,
    verbs: bool = False,
) -> bool:
    """After a word that can be a name: does a person follow ("Riet (87)", "Door
    woont", "Hoek en Mol", "Daan en zijn moeder")? With `verbs`, any finite verb
    ("Roos heeft", "Bakker kan") counts too, not only a person's verb."""
    context = _PERSON_CONTEXT.match(text, tokens[i].end())
    if context and (not context.group("role") or _person_word(context.group("role"))):
        return True
    if i + 1 < len(tokens):
        nxt = tokens[i + 1].group()
        gap = text[tokens[i].end() : tokens[i + 1].start()]
        if gap.strip() == "" and nxt.islower():
            if nxt.casefold() in PERSON_VERBS:
                return True
            if verbs and lexicon.is_finite_verb(nxt):
                return True
        if (
            gap.strip() == ""
            and _capitalised(nxt)
            and _nameish_capital(nxt, keep)
            and not lexicon.is_ordinary_word(nxt)
        ):
            return True
        if (
            nxt.casefold() in _APPOSITION_DETERMINERS
            and gap.strip(" ,") == ""
            and ("," in gap or not _imperative(tokens[i].group()))
            and i + 2 < len(tokens)
            and text[tokens[i + 1].end() : tokens[i + 2].start()] == " "
            and tokens[i + 2].group().casefold() in _FAMILY | _ROLE_WORDS | _NEIGHBOURS
        ):
            return True  # "Riet de buurvrouw", "Kok, de buurman van 2 hoog"
        if (
            "," in gap
            and gap.strip(" ,") == ""
            and nxt.casefold() in _FAMILY | _ROLE_WORDS | _NEIGHBOURS
            and i + 2 < len(tokens)
            and tokens[i + 2].group().casefold() in ("van", "uit", "op")
        ):
            return True  # "chidi, zoon van mw Tjoa", "riet, buurvrouw van"
        if nxt.casefold() == "bereikbaar" or (
            nxt.casefold() in ("is", "was")
            and i + 2 < len(tokens)
            and tokens[i + 2].group().casefold() == "bereikbaar"
        ):
            return True  # "Storm is bereikbaar op 06-..."
        if (
            nxt.casefold() == "en"
            and gap.strip() == ""
            and i + 2 < len(tokens)
            and tokens[i + 2].group().casefold() in _TITLES_AFTER_EN
        ):
            return True  # "Storm en dhr. Zhou zijn buren"
        if (
            nxt.casefold() in ("is", "was", "en")
            and i + 3 < len(tokens)
            and tokens[i + 2].group().casefold() in {"de", "een", *_POSSESSIVES}
            and tokens[i + 3].group().casefold() in _FAMILY
        ):
            return True  # "Storm is de zoon van", "Bloem en haar dochter"
        if nxt.casefold() == "en" and gap.strip() == "" and i + 2 < len(tokens):
            third = tokens[i + 2].group()
            if third.casefold() in _POSSESSIVES and verbs:
                return True
            if (
                _capitalised(third)
                and _nameish_capital(third, keep)
                and (_known_name(third) or not lexicon.is_ordinary_word(third))
            ):
                return True  # "Hoek en Mol", "Lotte en Sem"
            if (
                third.casefold() in _PARTICLES
                and i + 3 < len(tokens)
                and _capitalised(tokens[i + 3].group())
                and lexicon.is_interfix_surname(tokens[i + 3].group())
            ):
                return True  # "Kok en de Wit", "Vos en van Dijk"
            if (
                verbs
                and third.islower()
                and (_lower_first_name(third) or _lower_name_word(third))
            ):
                return True
    return False


def _lower_name_word(word: str) -> bool:
    """A lower-case word that is a Dutch first name and also a word ("tim", "kim",
    "jan", "roos"): a name only with a person after or before it; never an everyday
    word ("zomer", "winter", "storm")."""
    return (
        len(word) > 2
        and _is_latin(word)
        and lexicon.is_dutch_first_name(word)
        and not lexicon.is_stop_word(word)
        and not lexicon.is_everyday_word(word)
    )


_DETERMINERS = frozenset(
    [
        "de",
        "het",
        "een",
        "deze",
        "die",
        "dit",
        "dat",
        "mijn",
        "je",
        "jouw",
        "zijn",
        "haar",
        "ons",
        "onze",
        "hun",
        "elke",
        "ieder",
        "welke",
        "geen",
        "veel",
        "weinig",
    ]
)


def _lower_person_context(
    text: str, tokens: list[re.Match[str]], i: int, keep: frozenset[str]
) -> bool:
    """A lower-case first name that is also a word, in a person's place: before a
    finite verb ("kim heeft"), "van de overkant", "en" + a name ("tim en sanne"), or
    between a modal verb and an infinitive ("je kan jan mailen")."""
    if i > 0 and re.search(r"\d\s*$", text[: tokens[i].start()]):
        return False  # "4 jan"
    if i > 0 and tokens[i - 1].group().casefold() in _DETERMINERS:
        return False  # "de roos", "een merel"
    if _person_follows(text, tokens, i, keep, verbs=True):
        return True
    if (
        i > 1
        and tokens[i - 1].group() == "van"
        and tokens[i - 2].group().casefold() in _FAMILY_OF
    ):
        return True  # "ouders van jens", "zoon van gijs"
    if i + 1 < len(tokens) and _lower_particle_name(text, tokens, i + 1):
        return True  # "anna de jong"
    if 0 < i < len(tokens) - 1:
        before = tokens[i - 1].group().casefold()
        after = tokens[i + 1].group().casefold()
        if before in {"kan", "kun", "kunt", "moet", "mag", "wil", "zal", "ga"} and (
            after.endswith("en") and lexicon.zipf(after) >= 2.0
        ):
            return True
        if before in {"met", "sprak", "spreek", "gesproken", "bel", "belde"} and (
            _person_follows(text, tokens, i, keep, verbs=True)
        ):
            return True
    if i > 1 and tokens[i - 1].group() == "en":
        prev = tokens[i - 2].group()
        return prev.islower() and (_lower_first_name(prev) or _lower_name_word(prev))
    return False


# A pronoun for a person, or what only a person has: "last van", "ruzie", "contact".
_PERSON_LATER = re.compile(
    r"(?<![\w'])(?:zijn|haar|hij|zij|hem|z'n|d'r|last|ruzie|contact|schulden|"
    r"betalingsachterstand|huurachterstand|heimwee|verdriet)(?![\w'])",
    re.IGNORECASE,
)


# "Winter is", "Storm wordt": a season or the weather, not a person.
_COPULAS = frozenset({"is", "was", "wordt", "werd", "blijft", "bleef", "lijkt"})


def _person_in_clause(text: str, position: int) -> bool:
    """A pronoun or a person later in the sentence: "Vos heeft last van de buren"."""
    clause = re.split(r"[.!?;,\n]", text[position : position + 120])[0]
    return bool(_PERSON_LATER.search(clause))


# Family words in the plural or before "van": "ouders van jens", "zoon van piet".
_FAMILY_OF = frozenset(
    ["ouders", "kinderen", "broers", "zussen", "vrienden", "vriendjes", "familie",
     "moeder", "vader", "zoon", "dochter", "broer", "zus", "oma", "opa", "vriend",
     "vriendin", "juf", "meester", "mentor", "begeleider", "voogd"]
)  # fmt: skip


_ARABIC_ARTICLE_NAME = re.compile(
    r"(?i:al|el|abu|abou|bin|ben|ibn|bou|ould|ait|a\u00eft)-[^\W\d_]{3,}"
)

# States and places that follow "mw" or "dhr" and are surnames too ("mw thuis",
# "dhr boos"): no name.
_STATE_WORDS = frozenset(
    ["goed", "slecht", "boos", "ziek", "moe", "thuis", "alleen", "bang", "blij", "oud",
     "jong", "lang", "klein", "groot", "zwak", "sterk", "rustig", "stil", "druk",
     "bezorgd", "verdrietig", "angstig", "onrustig", "verward", "eenzaam", "somber",
     "vrolijk", "open", "weg", "beter", "nu", "vandaag", "morgen", "gisteren", "hier",
     "daar", "binnen", "buiten", "boven", "beneden", "zelf", "samen", "snel", "vaak",
     "nooit", "soms", "altijd", "weer", "opgenomen", "overleden", "dood", "zwanger",
     "blind", "doof", "arm", "rijk", "wit", "heel", "vol", "dicht", "kwijt", "klaar",
     "bezig", "ok", "oke", "oké", "prima", "gezond", "fit", "mobiel", "zat", "dronken",
     "nuchter", "wakker", "gelukkig", "tevreden", "kwaad", "woedend", "geschrokken"]
)  # fmt: skip


def _clause_ends(text: str, position: int) -> bool:
    """A comma, a bracket, a dash or the end after a word: "mw storm, Insulindeweg"."""
    return bool(
        re.match(
            r"[ \t]*(?:$|[,;:()!?]|\.(?:\s|$)|[ \t][-\u2013][ \t])", text[position:]
        )
    )


def _word_surname_after_title(
    text: str, tokens: list[re.Match[str]], i: int, keep: frozenset[str]
) -> bool:
    """After a title or family word, a surname that is an everyday word too ("mw
    winter,", "dhr kok, zet", "oma storm (tel", "mw groen verhuist"): a name when the
    clause ends after it or a verb follows; not "mw tolk nodig", "mw thuis"."""
    word = tokens[i].group()
    folded = word.casefold()
    if not (lexicon.is_surname(word) or lexicon.is_dutch_name(word)):
        return False
    if (
        folded in _STATE_WORDS
        or folded in _FAMILY  # "mw. vader begrijpt"
        or folded in _ROLE_WORDS  # "dhr. jongen snijdt"
        or _infinitive(folded)  # "bij mw. komen"
        or lexicon.is_stop_word(word)
        or lexicon.is_english_stop_word(word)
        or lexicon.is_finite_verb(word)
        or _inflected_form(word)
    ):
        return False
    return _clause_ends(text, tokens[i].end()) or _person_follows(
        text, tokens, i, keep, verbs=True
    )


def _infinitive(folded: str) -> bool:
    """ "komen" (komt), "wonen" (woont): a verb, not "groen" (grot is rare)."""
    if not folded.endswith("en") or len(folded) < 5:
        return False
    stem = folded[:-2]
    forms = {stem + "t", stem[:-1] + stem[-2:-1] + stem[-1] + "t"}
    return any(lexicon.zipf(form) >= 4.5 for form in forms)


def _inflected_form(word: str) -> bool:
    """A participle or plural rather than a name: "opgenomen", "verhuisd", "kinderen"."""
    folded = word.casefold()
    return (
        folded.startswith(("ge", "ver", "be", "ont"))
        and folded.endswith(("d", "t", "en"))
        and lexicon.zipf(folded) >= 3.5
    )


def _surname_after_first_name(
    text: str, tokens: list[re.Match[str]], j: int, keep: frozenset[str]
) -> bool:
    """After a lower-case first name, its surname in lower case: one no Dutch word
    ("florin postma", "ineke hersi") or a word that is a surname when the clause
    ends or a verb follows ("wytske koning, ziet er")."""
    nxt = tokens[j].group()
    if not _is_latin(nxt) or len(nxt) < 2 or _excluded(nxt, keep):
        return False
    if lexicon.is_stop_word(nxt) or lexicon.is_finite_verb(nxt):
        return False
    if nxt.casefold() in _STATE_WORDS or lexicon.is_english_word(nxt):
        return False
    if (lexicon.is_surname(nxt) or lexicon.is_first_name(nxt)) and not (
        lexicon.is_dutch_word(nxt)
    ):
        return True
    if _foreign_name_shape(nxt) or (
        len(nxt) > 3
        and _unknown(nxt)
        and not _compound(nxt)
        and not _typo(nxt)
        and not _inflected(nxt)
    ):
        return True
    return _word_surname_after_title(text, tokens, j, keep)


# Endings of surnames of other origins ("kovalenko", "popescu", "noorzai",
# "kowalczyk", "stoyanova", "hoekstra"): a lower-case word that is no Dutch or
# English word and ends like this is a name wherever it stands.
_FOREIGN_SURNAME_END = re.compile(
    r"(?:enko|chuk|czuk|czyk|escu|oglu|o\u011flu|zai|zada|zadeh|stra|sma|inga|ova|"
    r"eva|ska|ski|wicz|ovic|ovi\u0107|evic|evi\u0107|yan|yants|idze|shvili|ullah|"
    r"uddin|abadi|poor|pour)$"
)
_PINYIN_INITIAL = r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_PINYIN_FINAL = (
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|in|"
    r"un|ia|ie|iu|ua|uo|ui|ue|ve|er|a|o|e|i|u|v)"
)
_PINYIN_NAME = re.compile(rf"(?:{_PINYIN_INITIAL}{_PINYIN_FINAL}){{2,3}}")


def _foreign_name_shape(word: str) -> bool:
    """A lower-case word that is no Dutch or English word and has the shape of a name
    of another origin: a surname ending ("noorzai", "kovalenko") or two or three
    syllables of pinyin with a letter Dutch words rarely have ("xiaoyan", "zhiwei")."""
    if len(word) < 5 or not _is_latin(word) or not _unknown(word):
        return False
    if lexicon.is_english_word(word) or _typo(word) or _compound(word):
        return False
    if _FOREIGN_SURNAME_END.search(word):
        return not _inflected(word)
    return bool(_PINYIN_NAME.fullmatch(word)) and bool(re.search(r"[xqz]", word))


# Before a place: "in Selwerd", "uit Overvecht", "rond Charlois", "wijk Malburgen".
_PLACE_WORDS = frozenset(
    ["in", "uit", "rond", "rondom", "richting", "omgeving", "wijk", "buurt", "stadsdeel",
     "dorp", "binnen", "buiten", "heel", "naar"]
)  # fmt: skip


def _place_after_preposition(text: str, tokens: list[re.Match[str]], i: int) -> bool:
    """A capitalised word in no name list after a place preposition is a place
    (a wijk or buurt the caller did not pass as `keep`), not a person."""
    if i == 0 or tokens[i - 1].group().casefold() not in _PLACE_WORDS:
        return False
    if text[tokens[i - 1].end() : tokens[i].start()] != " ":
        return False
    word = tokens[i].group()
    # Not "in Fatima's huis", "naar Ahmed Haddou": a known name, or two names.
    return not (
        _known_name(word)
        or (
            i + 1 < len(tokens)
            and text[tokens[i].end() : tokens[i + 1].start()] == " "
            and _capitalised(tokens[i + 1].group())
        )
    )


def find_names(text: str, keep: frozenset[str] = frozenset()) -> Iterator[Span]:
    tokens = list(_TOKEN.finditer(text))
    protected = organisation_ranges(text)

    def inside(token: re.Match[str]) -> bool:
        return any(s <= token.start() and token.end() <= e for s, e in protected)

    i = 0
    last_name_end = -1
    while i < len(tokens):
        token = tokens[i]
        word = token.group()
        previous = tokens[i - 1].group().casefold().rstrip(".") if i else ""
        after_family = (
            previous in _FAMILY
            and text[tokens[i - 1].end() : token.start()].strip(". ") == ""
        )
        is_name = False
        if inside(token):
            is_name = False
        elif _ARABIC_ARTICLE_NAME.fullmatch(word) and not _excluded(word, keep):
            is_name = not lexicon.is_dutch_word(word.split("-", 1)[1])  # "al-Khatib"
        elif _capitalised(word) and _place_after_preposition(text, tokens, i):
            is_name = False  # "in Selwerd", "uit Overvecht", "rond Charlois"
        elif _capitalised(word):
            if _nameish_capital(word, keep):
                if not _sentence_start(text, token.start()) or after_family:
                    is_name = True
                elif not lexicon.is_ordinary_word(word) and not lexicon.is_dutch_word(
                    word
                ):
                    is_name = (
                        _known_name(word)
                        or _person_follows(text, tokens, i, keep, verbs=True)
                        # "Shurendy (curaçaos) en zijn vriendin": an aside in brackets
                        or bool(re.match(r"[ \t]*\([^()]{1,30}\)", text[token.end() :]))
                        or (
                            i + 1 < len(tokens)
                            and _capitalised(tokens[i + 1].group())
                            and _nameish_capital(tokens[i + 1].group(), keep)
                        )
                    )
                else:
                    # An ordinary word as well ("Roos", "Bakker", "Hoop"): a known
                    # name only with a person after it ("Riet (87)", "Roos heeft",
                    # "Koning van de overkant", "Hoek en Mol").
                    # An everyday word ("Vos", "Koning", "Storm") with a verb
                    # after it only when a person comes up in the clause too
                    # ("Koning heeft geen contact met zijn kinderen").
                    everyday = lexicon.is_everyday_word(word)
                    is_name = (
                        lexicon.is_dutch_name(word)
                        and not lexicon.is_stop_word(word)
                        and (
                            _person_follows(text, tokens, i, keep, verbs=not everyday)
                            or (
                                everyday
                                and i + 1 < len(tokens)
                                and tokens[i + 1].group().casefold() not in _COPULAS
                                and _person_follows(text, tokens, i, keep, verbs=True)
                                and _person_in_clause(text, token.end())
                            )
                        )
                    )
        elif word.islower() and _is_latin(word) and not _excluded(word, keep):
            if after_family:
                is_name = (
                    (
                        # "oma riet", "zoon peter": a Dutch first name, even a word
                        # too, but no English function word ("client has debts")
                        _lower_name_word(word)
                        and not lexicon.is_finite_verb(word)
                        and not lexicon.is_english_stop_word(word)
                    )
                    or (
                        _lower_surname(word)
                        and (
                            not lexicon.is_dutch_word(word)
                            or _person_follows(text, tokens, i, keep, verbs=True)
                            or _clause_ends(text, token.end())
                        )
                    )  # "mw bakker heeft", not "mw. woning vochtig", "mw. tolk nodig"
                    or _word_surname_after_title(text, tokens, i, keep)
                )
            else:
                is_name = (
                    _lower_first_name(word)
                    or (
                        _lower_name_word(word)
                        and _lower_person_context(text, tokens, i, keep)
                    )
                    or _foreign_name_shape(word)
                )
        elif (
            after_family
            and word.casefold() in _PARTICLES
            and _lower_particle_name(text, tokens, i, titled=True)
            and not _preposition_phrase(tokens, i, previous)
        ):
            is_name = True  # "familie de graaf", "meneer de jong", "mw el amrani"
        if (
            not is_name
            and _capitalised(word)
            and i > 1
            and tokens[i - 1].group() == "en"
            and tokens[i - 2].end() == last_name_end
            and text[tokens[i - 2].end() : token.start()] == " en "
            and _is_latin(word)
            and not lexicon.is_ordinary_word(word)
            and not _excluded(word, keep)
            and not inside(token)
        ):
            is_name = True  # "Marek en Kasia": a name after a name and "en"
        if not is_name:
            i += 1
            continue
        start, end = token.start(), token.end()
        if (
            i > 0
            and _capitalised(tokens[i - 1].group())
            and text[tokens[i - 1].end() : token.start()] == " "
            and not inside(tokens[i - 1])
            and (
                tokens[i - 1].group().casefold() in _PARTICLES
                or (
                    tokens[i - 1].group().casefold() in _MONTH_NAMES
                    and not re.search(r"\d\s*$", text[: tokens[i - 1].start()])
                )
            )
        ):
            start = tokens[i - 1].start()  # "Juni Wijaya", "met De Boer"
        elif _capitalised(word) and lexicon.is_interfix_surname(word):
            # "van de Wit?", "woning de Haan", "bij van der Berg": the particles
            # typed in lower case belong to the surname.
            k = i
            while (
                k > 0
                and tokens[k - 1].group() in _DUTCH_PARTICLES
                and text[tokens[k - 1].end() : tokens[k].start()] == " "
            ):
                k -= 1
            if k < i and text[tokens[k].start() : token.start()].strip().casefold() in (
                _INTERFIXES
            ):
                start = tokens[k].start()
        j = i + 1
        if word.casefold() in _PARTICLES:
            while tokens[j].group().casefold() in _PARTICLES:
                j += 1
            end = tokens[j].end()
            j += 1
        while j < len(tokens):
            gap = text[tokens[j - 1].end() : tokens[j].start()]
            if gap not in (" ", "\t", "-") or inside(tokens[j]):
                break
            nxt = tokens[j].group()
            if (
                word.islower()
                and re.search(r"-(?:de|van|den|der|el|al)$", text[start:end])
                and nxt.islower()
                and (lexicon.is_surname(nxt) or lexicon.is_interfix_surname(nxt))
            ):
                end = tokens[j].end()
                j += 1
                continue  # "janssen-de wit"
            if (
                word.islower()
                and nxt.casefold() in _PARTICLES
                and _lower_particle_name(text, tokens, j)
            ):
                k = j
                while tokens[k].group().casefold() in _PARTICLES:
                    k += 1
                end = tokens[k].end()
                j = k + 1
                continue  # "anna de jong", "lisa de vries"
            if nxt.casefold() in _PARTICLES:
                k = j
                while (
                    k < len(tokens)
                    and tokens[k].group().casefold() in _PARTICLES
                    and text[tokens[k - 1].end() : tokens[k].start()] == " "
                ):
                    k += 1
                if (
                    k < len(tokens)
                    and text[tokens[k - 1].end() : tokens[k].start()] == " "
                    and _capitalised(tokens[k].group())
                    and _nameish_capital(tokens[k].group(), keep)
                ):
                    end = tokens[k].end()
                    j = k + 1
                    continue
                break
            if _capitalised(nxt) and (
                _nameish_capital(nxt, keep)
                or (
                    nxt[0].isupper()
                    and word[0].isupper()
                    and not lexicon.is_ordinary_word(nxt)
                    and not _excluded(nxt, keep)
                )
            ):
                end = tokens[j].end()
                j += 1
                continue
            if (
                word.islower()
                and nxt.islower()
                and (
                    (
                        lexicon.is_surname(nxt)
                        and not lexicon.is_common_word(nxt)
                        and _unknown(nxt)
                    )
                    or (
                        j == i + 1
                        and _lower_first_name(word)
                        and _surname_after_first_name(text, tokens, j, keep)
                    )
                )
            ):
                end = tokens[j].end()
                j += 1
                continue
            break
        if " " in text[start:end] and text[start:end].casefold() in _not_people():
            i = j
            continue  # "Sierra Leone", "Costa Rica": a country of first names
        last_name_end = end
        yield Span(start, end, "naam")
        i = j


_STREET_END = re.compile(
    r"[A-Za-z](?:straat|weg|laan|plein|gracht|kade|singel|steeg|dreef|plantsoen)$"
)


def deduce_false_alarm(
    text: str, span: Span, organisations: list[tuple[int, int]]
) -> bool:
    """A deduce name that is a place or organisation ("Buurthuis De Vonk"), or one
    ordinary word at the start of a sentence with no person after it ("Mark de datum")."""
    if span.kind != "naam":
        return False
    if any(s <= span.start and span.end <= e for s, e in organisations):
        return True
    original = text[span.start : span.end]
    if " " in original and _STREET_END.search(original):
        return True  # "Hoek van de Hoofdweg": a corner, no person
    if _TOKEN.fullmatch(original) and _capitalised(original):
        tokens = list(_TOKEN.finditer(text))
        for i, token in enumerate(tokens):
            if token.start() == span.start:
                if _place_after_preposition(text, tokens, i):
                    return True  # "in Selwerd"
                break
    if original.casefold() in _not_people() or all(
        w.casefold() in _not_people() or w.casefold() in _PARTICLES
        for w in original.split()
    ):
        return True  # "mw. Kamara (Sierra Leone)": a country
    if original.islower() and _TOKEN.fullmatch(original):
        # One lower-case word ("mw. woning vochtig", "dhr. suicidale uitspraken"):
        # a name only when the lower-case rules here say so too.
        return not (
            _lower_surname(original)
            or _lower_first_name(original)
            or _lower_name_word(original)
        )
    if " " in original or not _sentence_start(text, span.start):
        return False
    if (
        text[max(0, span.start - 1) : span.start] == "("
        and text[span.end : span.end + 1] == ")"
        and lexicon.is_first_name(original)
    ):
        return False  # "buurman boven (Pieter)": a first name alone in brackets
    if (
        not lexicon.is_dutch_word(original)
        and original.casefold() not in lexicon.NAME_WORDS
    ):
        return False
    tokens = list(_TOKEN.finditer(text))
    for i, token in enumerate(tokens):
        if token.start() == span.start:
            return not _person_follows(text, tokens, i, frozenset())
    return False

"""Issue #15 item 3, round three: personal data as social workers type it, by class
(sentences written for these tests, not taken from the bench sets), with the ordinary
text that must stay."""

from __future__ import annotations

import pytest

from signalen.intake.scrub import scrub


def removed(text: str, needle: str) -> bool:
    result = scrub(text)
    return needle not in result.text and any(
        needle in r.original or r.original in needle for r in result.removals
    )


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("woont op Kerkstraat 12-1hg sinds maart", "Kerkstraat 12-1hg"),
        ("adres Dorpsweg 8-ii, 2e etage", "Dorpsweg 8-ii"),
        ("Ankerweg 34 rood, bel 2x", "Ankerweg 34 rood"),
        ("Vondelstraat 12 bis heeft lekkage", "Vondelstraat 12 bis"),
        ("Merelstraat 119 1hg heeft geen verwarming", "Merelstraat 119 1hg"),
        ("woont op 2e Oosterparkstraat 34bis met zoon", "2e Oosterparkstraat 34bis"),
        ("op de jan steenstraat 5a, achter de kerk", "jan steenstraat 5a"),
        ("Johan de Wittlaan 33 heeft schimmel", "Johan de Wittlaan 33"),
        ("mw op van Limburg Stirumstraat 20 3hg", "van Limburg Stirumstraat 20 3hg"),
        ("pakket naar bergse dorpsstraat 109a brengen", "bergse dorpsstraat 109a"),
        ("woont aan de oude gracht 17b boven de winkel", "oude gracht 17b"),
        ("Weteringschans 3-1 heeft een kapotte bel", "Weteringschans 3-1"),
        ("verhuisd naar Laan van Nieuw Oosteinde 30", "Laan van Nieuw Oosteinde 30"),
        ("sleutel bij Kastanjeplein 7 2hoog", "Kastanjeplein 7 2hoog"),
    ],
)
def test_an_address_goes_with_its_house_number_suffix(text, address):
    assert scrub(text).text.count("[ADRES]") == 1
    for part in address.split():
        if part not in ("de", "van"):
            assert part not in scrub(text).text.split(), part


@pytest.mark.parametrize(
    ("text", "identifier"),
    [
        ("mailadres rafaela99 @ planet . nl, wil info", "rafaela99"),
        ("email sjaak_hers @ ziggo . nl - bewindvoerder", "sjaak_hers"),
        ("mail j.jansen@ gmail .com over de afspraak", "j.jansen"),
        ("geb. 20021948, bsn volgt", "20021948"),
        ("geb 13071966 - doorverwijzing", "13071966"),
        ("geboren 19480220 in Paramaribo", "19480220"),
        ("geb 060744, woont alleen", "060744"),
        ("rijdt in XVLP43 zonder rijbewijs", "XVLP43"),
        ("aanhanger 662VV6 vol grofvuil", "662VV6"),
        ("bewoner op no 84 zet vuilniszakken buiten", "84"),
        ("lady of 98 living alone", "98"),
        ("Greet, 91 geworden vorige week, wil een taart", "91"),
        ("buurvrouw (m, 93) valt vaak", "93"),
        ("postcode 1234-AB, 3e etage", "1234-AB"),
        ("postcode: 1234 ab", "1234 ab"),
        ("mail henk@gmail punt com", "henk"),
        ("IBAN NL 91 ABNA 0417 1643 00 voor de huur", "0417"),
        ("geb. 3-3-'52, woont alleen", "'52"),
        ("geb 12 03 1948, woont alleen", "1948"),
        ("discord: gamer#1234 stuurt berichten", "gamer#1234"),
    ],
)
def test_structured_identifiers_in_loose_forms_go(text, identifier):
    assert identifier not in scrub(text).text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # A surname that is an everyday word, after a title or family word.
        ("mw winter, 2e etage - voedselpakket lukt niet", "winter"),
        ("dhr kok, zet elke week zakken naast de container", "kok"),
        ("oma storm (tel volgt) woont alleen", "storm"),
        ("mw groen verhuist naar een aanleunwoning", "groen"),
        ("dhr zomer (95) komt niet meer buiten", "zomer"),
        ("meneer van der meer is eenzaam", "meer"),
        ("buurvrouw mieke vd berg helpt", "berg"),
        # Lower-case names of other origins and their surnames.
        ("meiden (oa plamen) worden lastiggevallen", "plamen"),
        ("chidi, zoon van mw Tjoa, gaat niet naar school", "chidi"),
        ("ineke hersi zat te huilen bij de kassa", "hersi"),
        ("dhr florin postma bellen", "postma"),
        ("huisbezoek bij wytske koning, koelkast leeg", "koning"),
        ("xiaoyan (14) wordt gepest", "xiaoyan"),
        ("auto van gerrit noorzai rijdt rondjes", "noorzai"),
        ("mw kovalchuk heeft geen verwarming", "kovalchuk"),
        ("lekkage bij mw al-Khatib, plafond komt naar beneden", "al-Khatib"),
        ("fatima's man is vertrokken", "fatima"),
        # Capitalised, with a person around it.
        ("Storm en dhr. Zhou hebben ruzie over de tuin", "Storm"),
        ("Storm is bereikbaar op het nummer van de buurvrouw", "Storm"),
        ("Marek en Kasia zoeken een huis", "Kasia"),
        ("verdachte bus bij woning de Haan", "Haan"),
        ("MW JANSEN BELDE OVER DE HUUR", "JANSEN"),
    ],
)
def test_names_as_they_are_typed_go(text, name):
    assert name not in scrub(text).text.replace("[NAAM]", " ").split(), scrub(text).text


@pytest.mark.parametrize(
    "text",
    [
        "veel eenzaamheid onder ouderen in Charlois, idee: wandelgroep",
        "meerdere woningen in Selwerd onderverhuurd",
        "jongeren overlast bij de Hema in Overvecht",
        "flyeren bij de Dirk over de nieuwe regeling",
        "bonnen voor Stichting Thuis in de Wijk meegegeven",
        "Huis van de Wijk is op vrijdag open",
        "Hoek van de Hoofdweg is donker, lantaarnpaal kapot",
        "oudste bewoner van de straat wil een taart",
        "zoon van de buren doet boodschappen",
        "mw erg verward, huisarts gebeld",
        "dhr thuis, wil geen hulp",
        "mw moe en somber",
        "mw. vader begrijpt de brieven niet",
        "huisarts kan niet bij mw. komen.",
        "groen in de wijk wordt slecht onderhouden",
        "winter komt eraan, veel mensen stoken niet",
        "Code A12345 en NL1234 en COVID19",
        "we meet at school. It was fine",
        "Op 12 november over de huur praten met de verhuurder",
        "de Kerkstraat 12 keer per jaar geveegd",
    ],
)
def test_places_words_and_codes_stay(text):
    assert scrub(text).text == text


# Round four (issue #15 item 3): the classes behind the misses of the fifth set,
# each typed several ways (sentences written for these tests).


@pytest.mark.parametrize(
    ("text", "identifier"),
    [
        # A BSN after its word is one even when it fails the 11-test (a typo, a guess).
        ("bsn 987654321? klopt niet volgens mw", "987654321"),
        ("BSN: 12345678 staat in het oude dossier", "12345678"),
        ("burgerservicenummer 123.456.789 klopt niet", "123.456.789"),
        ("sofinr 123456789 van mw nog nodig", "123456789"),
        ("BSN nr. 123 45 6789 gecheckt bij de balie", "123 45 6789"),
        ("b.s.n. 123-456-789 doorgegeven", "123-456-789"),
        ("zijn bsn is volgens mij 2234 56 789 nee fout", "2234 56 789"),
        ("123456789 is het bsn van dhr, nog checken", "123456789"),
        ("987654321 (bsn) doorgeven aan de gemeente", "987654321"),
        # A valid BSN with dashes, without its word.
        ("nummer 111-222-333 op de brief", "111-222-333"),
        # A postcode in lower case with a space or a dash.
        ("bewoner van Wagenstraat 61, 9712 xr, meldt lekkage", "9712 xr"),
        ("verhuisd naar 3521-hk utrecht", "3521-hk"),
        # A year of birth after the genealogy sign or a year word, or after a name.
        ("dhr Pauwels °1931 woont alleen", "1931"),
        ("mw Lont ° 1938 woont nog alleen", "1938"),
        ("*1931 in Rotterdam, nu in het verpleeghuis", "1931"),
        ("geboortejaar: 1938, weduwe", "1938"),
        ("geb. jaar 1931 volgens de pas", "1931"),
        ("mw Jansen (1938) woont alleen", "1938"),
        ("dhr Bakker 1941 heeft geen familie meer", "1941"),
        # A very high age right after a name, or in brackets with a word before it.
        ("overleg huisarts over dhr Vos 93, ondervoed", "93"),
        ("mw Kramer 91, wil geen hulp", "91"),
        ("mw Hendrikse (wed. 99) laat niemand binnen", "99"),
        ("dhr Pauwels (dus 95) woont alleen", "95"),
        ("opa (bijna 100) woont alleen", "100"),
        ("mw de Boer (ong. 96) belt vaak", "96"),
        # A plate typed in lower case without dashes (no vowels, as Dutch plates),
        # or in capitals with spaces.
        ("Ibrahim rijdt zonder rijbewijs in auto xvlp43", "xvlp43"),
        ("de bus vklb19 staat er steeds", "vklb19"),
        ("oplegger 43xvlp op de stoep", "43xvlp"),
        ("auto XV LP 43 blokkeert de uitrit", "XV LP 43"),
        ("scooter GZ 123 B racet door de straat", "GZ 123 B"),
        # Glued to its word, other dashes and separators.
        ("bsn123456782 in de mail gezet", "123456782"),
        ("bsn:987654321 in de mail gezet", "987654321"),
        ("bel 06\u201312345678 morgen", "12345678"),
        ("tel0612345678 na 5 uur", "0612345678"),
        ("mob:06-12345678 na 5 uur", "12345678"),
        ("rekening NL91-ABNA-0417-1643-00 voor de huur", "0417"),
        ("rekening NL91.ABNA.0417.1643.00 voor de huur", "0417"),
        ("1234 Ab is de postcode", "1234"),
        ("geb. 12-mrt-1948 volgens pas", "1948"),
        ("geboren 3/okt/'52 volgens pas", "'52"),
        # E-mail: other words for "@", a provider without its ending, a comma for a dot.
        ("mail j.jansen apestaartje gmail punt com", "j.jansen"),
        ("mail jjansen at gmail, zegt ze", "jjansen"),
        ("mail jansen@hotmail,com graag", "jansen"),
        # A link-in-bio page, an IBAN in lower case after its word.
        ("alles staat op linktr.ee/fatima96", "fatima96"),
        ("iban nl 91 abna 0417 1643 00 voor de huur", "abna"),
    ],
)
def test_round_four_structured_identifiers_go(text, identifier):
    assert identifier not in scrub(text).text, scrub(text).text


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        # A street named after a year, then "nr", "no" or "nummer".
        ("meneer viel, woont Plein 1945 nr 7", "1945"),
        ("woont op Laan 1940-1945 no 12 boven", "12"),
        ("mw woont op Plein 40-45 nr 3", "3"),
        # Typed together, or "op" between the street and the number where one lives.
        ("adres: kerkstraat12, bel aan", "kerkstraat12"),
        ("woont in de Oranjestraat op 14 met haar zoon", "14"),
        # A surname with a particle after a title, right before the street.
        ("mw de Wit Brinklaan 3b roept om hulp", "Wit"),
        ("dhr van Dam Kerkweg 4 heeft geen eten", "Dam"),
        # A first name alone in brackets after a person word.
        ("buurman boven (Pieter) is er klaar mee", "Pieter"),
        ("zoon (Daan) verzuimt al weken", "Daan"),
    ],
)
def test_round_four_names_and_addresses_go(text, gone):
    assert gone not in scrub(text).text.replace("[", " ").split(), scrub(text).text


@pytest.mark.parametrize(
    "text",
    [
        # Where a neighbour lives is no surname.
        "buurman van boven schreeuwt snachts",
        "de 85-jarige buurman van de hoek wil geen hulp",
        "buurvrouw van hiernaast doet boodschappen",
        # Streets named after people, places after "het", waters after "langs de".
        "schimmel in de flat aan de Jan van Galenstraat",
        "geur uit riool bij het Prins Bernhardplein",
        "de voedselbank in het Oude Westen zit vol",
        "scooters racen langs de Vaart",
        # Schools, churches and the people the team talks with in their role.
        "kinderen van de Al Wahda school doen mee",
        "uitdeelpunt bij de Sint Jozefkerk",
        "gesprek met de directeur van de Prinses Julianaschool over verzuim",
        # Numbers that are no identifier.
        "in 2023 en 2024 zo gegaan",
        "kosten 1500 km per jaar",
        "overleg week12 en fase10 afgerond",
        "het is 20°C in de woning",
        "in 2023 En toen kwam de brief",
        "kosten 12-13 euro per week",
        "in de Kerkstraat op 3 plekken kapotte lampen",
        "in de Kerkstraat op 14 mei een straatfeest",
        "she lives at Utrecht, at home",
    ],
)
def test_round_four_places_roles_and_numbers_stay(text):
    assert scrub(text).text == text, scrub(text).text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # After a name: a recent year is no year of birth, a count is no age.
        ("dhr Yilmaz 2019 verhuisd naar de wijk", "2019 verhuisd"),
        ("mw Jansen 90 min gesproken", "90 min"),
        ("mw Kramer 95 keer gebeld", "95 keer"),
    ],
)
def test_round_four_numbers_after_a_name_stay(text, kept):
    assert kept in scrub(text).text, scrub(text).text

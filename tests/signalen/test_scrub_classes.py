"""The classes of personal data the scrubber missed (issue #15 item 3), each with the
ordinary text that must stay: names that are also Dutch words, lower-case names and
surnames with particles, every form of Dutch address, number plates in lower case and
without dashes, ISO birth dates, written-out e-mail, handles, and quasi-identifiers.
"""

from __future__ import annotations

import pytest

from signalen.intake.scrub import scrub
from signalen.intake.scrub.identifiers import sidecode

KEEP = frozenset({"Purmerend", "Overwhez", "Weidevenne", "Wheermolen"})


def scrubbed(text: str) -> str:
    return scrub(text, KEEP).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A verb after it says the word is a person.
        ("Riet draait op dinsdag de koffieochtend.", "[NAAM] draait op dinsdag"),
        ("Roos heeft al drie maanden geen huur betaald.", "[NAAM] heeft al"),
        ("Bakker kan de energierekening niet betalen.", "[NAAM] kan de"),
        ("Visser belde weer over de lekkage.", "[NAAM] belde weer"),
        ("Ruud heeft een hond die veel blaft.", "[NAAM] heeft een hond"),
        # Where the person lives or comes from, a role or an age in brackets.
        ("Koning van de overkant houdt iedereen wakker.", "[NAAM] van de overkant"),
        ("Carlos uit Venezuela wil sporten.", "[NAAM] uit Venezuela"),
        ("Noor uit groep 6 heeft honger.", "[NAAM] uit groep 6"),
        ("Piet (buurman) drinkt weer.", "[NAAM] (buurman)"),
        ("Merel (student) wil taalmaatje worden.", "[NAAM] (student)"),
        # Another name or a relative after "en"; a family word as the predicate.
        ("Hoek en Mol maken ruzie over de schutting.", "[NAAM] en [NAAM] maken"),
        ("Bloem en haar dochter slapen bij een vriendin.", "[NAAM] en haar dochter"),
        ("Storm is de zoon van de buurvrouw.", "[NAAM] is de zoon"),
        ("Lotte en Bram (tweeling, 9) komen zonder jas.", "[NAAM] en [NAAM] (tweeling"),
    ],
)
def test_a_name_that_is_also_a_dutch_word_goes_with_a_person_after_it(text, expected):
    assert scrubbed(text).startswith(expected)


@pytest.mark.parametrize(
    "text",
    [
        "De bakker op de hoek geeft brood aan de voedselbank.",
        "Ze heeft last van roos en eczeem op haar handen.",
        "Op Koningsdag is er een vrijmarkt in de wijk.",
        "Soos draait op dinsdag en donderdag.",
        "Storm is de oorzaak van de schade aan de schutting.",
        "Er zit een mol in het grasveld bij de speeltuin.",
        "De vos komt 's nachts in de tuinen.",
        "Sinds de zomer is de bus naar Wheermolen vaker te laat.",
        "Hoop is er bijna niet meer bij de bewoners.",
        "Bel (bij voorkeur) morgen de huismeester.",
        "Jongens van 14 tot 17 hangen rond bij het winkelcentrum.",
        "Mark de datum in je agenda: buurtfeest op zaterdag.",
        "Buurthuis De Vonk zoekt vrijwilligers.",
        "Het Leger des Heils deelt maaltijden uit.",
        "Bewoners van de Merelstraat klagen over zwerfvuil.",
        "Aziz heeft alleen een Afghaans rijbewijs.",
    ],
)
def test_ordinary_words_streets_and_places_at_any_position_stay(text):
    result = scrub(text, KEEP)
    assert [r for r in result.removals if r.original != "Aziz"] == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ik sprak tim en sanne bij de speeltuin", "tim"),
        ("kim van de overkant heeft ons gebeld", "kim"),
        ("kim heeft geen geld voor schoolspullen", "kim"),
        ("je kan jan mailen, hij wil helpen", "jan"),
        ("familie de graaf wil een traplift", "de graaf"),
        ("meneer de jong loopt weer verward over straat", "de jong"),
        ("bij familie el amrani is de verwarming kapot", "el amrani"),
        ("gesprek met anna de jong over de kinderopvang", "anna de jong"),
        ("lisa de vries uit 2b zit vaak te huilen", "lisa de vries"),
        ("mw janssen-de wit belt om de haverklap", "janssen-de wit"),
        ("mw bakker heeft geen eten in huis", "bakker"),
        ("ze zegt dat haar zoon peter weer drinkt", "peter"),
        ("Ik heb met oma riet gesproken.", "riet"),
        ("Gesprek gehad met De Boer over de mantelzorg.", "De Boer"),
        ("Juni Wijaya doet vrijwilligerswerk bij de Voedselbank.", "Juni Wijaya"),
        ("mw Brouwer Kerkpad 3a geeft aan dat ze niet eet", "Brouwer"),
    ],
)
def test_lower_case_names_and_surnames_with_particles_go(text, name):
    result = scrub(text, KEEP)
    assert name not in result.text
    assert name in [r.original for r in result.removals if r.kind == "naam"]


@pytest.mark.parametrize(
    "text",
    [
        "je kan op 4 jan langskomen bij het spreekuur",
        "Mw. woning vochtig, schimmel achter de kast.",
        "Mw. tolk nodig bij het gesprek.",
        "Dhr. suicidale uitspraken, crisisdienst geweest.",
        "Dochter verzuimt vaak, vader dementerend.",
        "moeder ewet zich geen raad",
        "wil graag Nederladns leren",
        "Bewoners voelen zich onveilig i.v.m. dealen bij de entree.",
    ],
)
def test_words_typos_and_word_forms_after_a_title_or_family_word_stay(text):
    assert scrub(text, KEEP).removals == ()


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Mevrouw woont op Burg. de Vlugtlaan 112-3.", "Burg. de Vlugtlaan 112-3"),
        ("Lekkage in de kelder van Oude Gracht 4bis.", "Oude Gracht 4bis"),
        ("Bewoner van 2e Oosterparkstraat 14 hs.", "2e Oosterparkstraat 14 hs"),
        ("Overlast bij Laan van Meerdervoort 55A.", "Laan van Meerdervoort 55A"),
        ("adres: kerkstraat 12, derde hoog", "kerkstraat 12"),
        ("Mw. woont op de Nieuwe Herengracht 101 III.", "Nieuwe Herengracht 101 III"),
        ("Pakketten gestolen bij Kerkpad 3a.", "Kerkpad 3a"),
    ],
)
def test_dutch_addresses_of_every_form_are_removed(text, address):
    result = scrub(text, KEEP)
    assert address not in result.text
    assert "[ADRES]" in result.text


@pytest.mark.parametrize(
    "text",
    [
        "In de Kerkstraat staan veel auto's op de stoep.",
        "Oude Gracht is mooi opgeknapt.",
        "in de straat 3 keer ingebroken",
        "op de Kerkstraat 2 jaar geleden",
    ],
)
def test_a_street_without_a_house_number_stays(text):
    assert scrub(text, KEEP).removals == ()


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("Auto met kenteken 12-ab-34 op de stoep.", "12-ab-34"),
        ("Scooter vd-47-rs rijdt over de stoep.", "vd-47-rs"),
        ("De witte auto g-123-bb rijdt te hard.", "g-123-bb"),
        ("Bestelauto 1ABC23 blokkeert de uitrit.", "1ABC23"),
        ("Een BMW HR123X scheurt door de straat.", "HR123X"),
        ("Kenteken: 99 XXX 9, eigenaar onbekend.", "99 XXX 9"),
        ("Auto met kenteken tv 123 z bij de speeltuin.", "tv 123 z"),
    ],
)
def test_number_plates_in_lower_case_and_without_dashes_go(text, plate):
    result = scrub(text, KEEP)
    assert plate not in result.text
    assert "[KENTEKEN]" in result.text


@pytest.mark.parametrize(
    "text",
    [
        "Open mo-di-do van 9-12 uur.",
        "Code A12345 en NL1234 en COVID19 en MP3.",
        "Afspraak 3-okt-24 in het buurthuis.",
        "Ze is van 1-2-3 naar de lagere school gegaan.",
    ],
)
def test_codes_days_and_dates_are_no_number_plates(text):
    assert "[KENTEKEN]" not in scrubbed(text)


def test_the_sidecode_of_a_plate():
    assert sidecode("GZ123B") == "LL-DDD-L"
    assert sidecode("1ABC23") == "D-LLL-DD"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("dob 1962-07-14, geen vaste woonplaats", "1962-07-14"),
        ("geboortedatum client 1958-05-17, wil WW", "1958-05-17"),
        ("Meneer geb. 12-03-1951, woont alleen.", "12-03-1951"),
        ("Mevrouw, geboren 3 maart 1944, wil hulp.", "3 maart 1944"),
        ("Client 12/3/51 heeft hulp nodig.", "12/3/51"),
        ("geboren op 01.02.1939, heeft dementie", "01.02.1939"),
    ],
)
def test_dates_of_birth_in_every_format_go(text, date):
    result = scrub(text, KEEP)
    assert date not in result.text
    assert "[GEBOORTEDATUM]" in result.text


@pytest.mark.parametrize(
    ("text", "removed"),
    [
        (
            "De weduwnaar van 91 op nummer 23 in de Merelstraat.",
            "op nummer 23 in de Merelstraat",
        ),
        (
            "Het gezin op de hoek van de Zeemanstraat en de Ankerweg.",
            "op de hoek van de Zeemanstraat en de Ankerweg",
        ),
        (
            "De man op de 4e verdieping van flat Zonnehof.",
            "op de 4e verdieping van flat Zonnehof",
        ),
        (
            "De imam van de moskee aan de Westerweg vraagt hulp.",
            "imam van de moskee aan de Westerweg",
        ),
        (
            "de conciërge van basisschool De Regenboog drinkt.",
            "conciërge van basisschool De Regenboog",
        ),
        (
            "de enige Eritrese familie in de Lijsterbeslaan krijgt briefjes",
            "enige Eritrese familie in de Lijsterbeslaan",
        ),
        ("het stel dat boven de Kruidvat woont maakt ruzie", "boven de Kruidvat woont"),
        (
            "vrouw in het hoekhuis naast de kerk in Middelie woont alleen",
            "hoekhuis naast de kerk in Middelie",
        ),
        ("Meneer wordt volgende week 100 en heeft niemand.", "100"),
        ("Oudere man (93) op nummer 8a zit in het donker.", "op nummer 8a"),
    ],
)
def test_quasi_identifiers_go_with_what_makes_them_identifying(text, removed):
    result = scrub(text, KEEP)
    assert removed not in result.text
    assert "[KENMERK]" in result.text
    assert {r.kind for r in result.removals} == {"quasi"}


@pytest.mark.parametrize(
    "text",
    [
        "de enige keer dat ik in Purmerend was, regende het",
        "De directeur van de school vindt het goed.",
        "Dit jaar hebben 95 gezinnen hulp gekregen.",
        "Lijn 94 is omgeleid door de werkzaamheden.",
        "Ruim 90 procent van de bewoners is tevreden.",
        "Bel nummer 4 van de lijst.",
        "Het nummer van het wijkteam staat op de website.",
    ],
)
def test_ordinary_numbers_and_roles_without_a_named_place_stay(text):
    assert "[KENMERK]" not in scrubbed(text)


@pytest.mark.parametrize(
    ("text", "kind", "tag"),
    [
        ("Mail naar p.devries[at]hotmail.nl voor contact.", "e-mail", "[E-MAIL]"),
        ("Ze gaf haar mail: jan at ziggo dot nl", "e-mail", "[E-MAIL]"),
        ("mail: anja punt jansen at gmail punt com", "e-mail", "[E-MAIL]"),
        ("snap: jaylo2009, daar worden filmpjes gedeeld.", "handle", "[ACCOUNT]"),
        ("Op tiktok @drillboyz_pmr staan video's.", "handle", "[ACCOUNT]"),
        ("Link instagram.com/noor.fitness_ met foto's.", "handle", "[ACCOUNT]"),
        ("Bel de dochter op 06 - 12 34 56 78.", "telefoon", "[TELEFOON]"),
        ("Zoon: 0612 345 678, liever appen.", "telefoon", "[TELEFOON]"),
    ],
)
def test_written_out_e_mail_handles_and_phones_in_any_spacing_go(text, kind, tag):
    result = scrub(text, KEEP)
    assert tag in result.text
    assert kind in {r.kind for r in result.removals}


# Second round (issue #15 item 3): the classes the third held-out set showed.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An everyday word as a surname at the start, with what only a person has.
        ("Vos heeft weer last van de buren.", "[NAAM] heeft weer last"),
        ("Koning heeft geen contact met zijn kinderen.", "[NAAM] heeft geen"),
        # A neighbour or role after it, with or without a comma.
        ("Riet de buurvrouw maakt soep voor het portiek.", "[NAAM] de buurvrouw"),
        ("Kok, de buurman van 2 hoog, belde de politie.", "[NAAM], de buurman"),
        # Where the person lives: a house number or a floor.
        ("Mol op nummer 9 heeft een hond die blaft.", "[NAAM] [KENMERK]"),
        ("Zwart van de 3e verdieping heeft geen meubels.", "[NAAM] van de 3e"),
        # Another surname with a particle after "en".
        ("Kok en de Wit maken ruzie over de heg.", "[NAAM] en [NAAM] maken"),
        # A name no list knows, with an aside in brackets.
        ("Shurendy (curaçaos) en zijn vriendin hebben geen geld.", "[NAAM] (cura"),
    ],
)
def test_a_sentence_initial_surname_that_is_a_word_goes_with_a_person_cue(
    text, expected
):
    assert scrubbed(text).startswith(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Storm heeft schade veroorzaakt bij de buren.",
        "Zomer komt eraan, de kinderen hebben vakantie.",
        "Winter is coming and the old man upstairs has no heating.",
        "De koning bezoekt de stad, de buurvrouw is blij.",
        "Molen draait weer op zaterdag.",
    ],
)
def test_an_everyday_word_at_the_start_without_a_person_cue_stays(text):
    assert "[NAAM]" not in scrubbed(text)


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("tarik ozdemir stuurt een mail", ["tarik", "ozdemir"]),  # Özdemir unaccented
        ("ik sprak met yildiz over de huur", ["yildiz"]),
        ("dhr. el khatib wil een betalingsregeling", ["el khatib"]),
        ("ouders van jens willen dat hij minder gamet", ["jens"]),
        ("gijs (nr 16) gooit afval over de schutting", ["gijs"]),
        ("zoon jens (@gamerjens08 op discord) gamet veel", ["jens"]),
    ],
)
def test_lower_case_names_of_every_origin_go(text, gone):
    result = scrubbed(text)
    for word in gone:
        assert word not in result


@pytest.mark.parametrize(
    "text",
    [
        "client has debts at 4 companies, doesn't open his mail",
        "bsn 304813734, mw. Kamara (Sierra Leone), aanvraag zorgtoeslag",
        "wil een betalingsregeling. iban NL78ABNA4449454437",
    ],
)
def test_english_function_words_countries_and_identifier_words_are_no_names(text):
    result = scrub(text, KEEP)
    originals = {r.original for r in result.removals if r.kind == "naam"}
    assert not originals & {"has", "Sierra Leone", "Sierra", "Leone", "iban"}


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("hij woont molenweg 5, tel volgt", "molenweg 5"),
        ("bij kerkweg 77 staan zakken afval", "kerkweg 77"),
        (
            "dhr sardjoe, van ostadestraat 201-2, deur geforceerd",
            "van ostadestraat 201-2",
        ),
        ("bewoner Meester Jansenstraat 6 meldt gasgeur", "Meester Jansenstraat 6"),
        ("woont prinses irenestraat 40, graag huisbezoek", "prinses irenestraat 40"),
    ],
)
def test_lower_case_streets_and_streets_after_a_title_word_go(text, address):
    result = scrub(text, KEEP)
    assert address in {r.original for r in result.removals if r.kind == "adres"}


@pytest.mark.parametrize(
    "text",
    [
        "hij is onderweg 5 minuten later dan gepland",
        "we zijn halverwege 2 projecten",
        "in de kerkstraat staan 4 bankjes",
    ],
)
def test_a_way_or_a_count_is_no_lower_case_address(text):
    assert "[ADRES]" not in scrubbed(text)


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("auto gh-nb-35 reed door", "gh-nb-35"),  # letters-letters-digits, lower case
        ("auto 53hkv2 staat in de brandgang", "53hkv2"),
        ("kenteken tzb61r van een busje", "tzb61r"),  # the word after is no part
    ],
)
def test_lower_case_plates_of_every_sidecode_go(text, plate):
    result = scrub(text, KEEP)
    assert [r.original for r in result.removals if r.kind == "kenteken"] == [plate]


@pytest.mark.parametrize(
    "text",
    ["een fles van 250ml", "een perceel van 100km2", "covid19 en mp3 en a4tjes"],
)
def test_numbers_with_a_unit_are_no_plates(text):
    assert "[KENTEKEN]" not in scrubbed(text)


def test_sidecode_reads_the_groups_between_dashes():
    assert sidecode("gh-nb-35") == "LL-LL-DD"
    assert sidecode("GZ123B") == "LL-DDD-L"


def test_a_stream_link_and_a_high_age_before_a_comma_go():
    result = scrubbed(
        "zoon gokt via twitch.tv/riskyrens_ en dhr. X is 90, kan niet lezen"
    )
    assert "riskyrens" not in result
    assert "90" not in result


def test_a_corner_is_quasi_only_where_someone_lives():
    lives = scrubbed(
        "het gezin op de hoek van de Zeemanstraat en de Ankerweg heeft hulp nodig"
    )
    traffic = scrubbed("op de hoek van de Dorpsstraat en de Molenweg gaat het vaak mis")
    assert "Zeemanstraat" not in lives
    assert "Dorpsstraat" in traffic

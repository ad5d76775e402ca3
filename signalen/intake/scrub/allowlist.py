"""Words that are never personal data in a signal, though deduce sometimes thinks so.

Dutch social-domain organisations, roles and services. Compared case-insensitively,
as whole annotations and word by word (see names.py).
"""

from __future__ import annotations

ORGANISATIONS_AND_ROLES: frozenset[str] = frozenset(
    word.casefold()
    for word in (
        # Care and health
        "huisarts", "huisartsenpost", "praktijkondersteuner", "POH", "POH-GGZ", "GGZ",
        "GGD", "wijkverpleging", "wijkverpleegkundige", "Buurtzorg", "thuiszorg",
        "fysiotherapeut", "apotheek", "apotheker", "tandarts", "verloskundige",
        "consultatiebureau", "jeugdarts", "jeugdverpleegkundige", "ziekenhuis",
        "Zorgbelang", "Cordaan", "Arkin", "Parnassia", "Dijk en Duin", "Lentis",
        "casemanager", "casemanager dementie", "specialist ouderengeneeskunde",
        # Welfare, social work, volunteers
        "Vluchtelingenwerk", "VluchtelingenWerk Nederland", "Leger des Heils", "Humanitas",
        "Voedselbank", "Schuldhulpverlening", "schuldhulp", "Schuldhulpmaatje", "MEE",
        "Sociaal Wijkteam", "wijkteam", "buurtteam", "jeugdteam", "gebiedsteam",
        "welzijn", "welzijnswerk", "welzijnswerker", "opbouwwerker", "buurtwerker",
        "jongerenwerker", "jongerenwerk", "sociaal werker", "maatschappelijk werk",
        "maatschappelijk werker", "ouderenadviseur", "mantelzorgconsulent",
        "formulierenbrigade", "sociaal raadslid", "Sociaal Raadslieden", "Het Juridisch Loket",
        "Juridisch Loket", "Stichting Leergeld", "Jeugdfonds Sport en Cultuur",
        "Kledingbank", "Rode Kruis", "Het Rode Kruis", "Zonnebloem", "De Zonnebloem",
        "Nationaal Ouderenfonds", "Ouderenfonds", "Alzheimer Nederland", "Netwerk Dementie",
        "taalmaatje", "Taalhuis", "Stichting Lezen en Schrijven", "bibliotheek",
        "buurthuis", "wijkcentrum", "inloop", "repair café", "Repair Cafe",
        "huiskamer", "buurtkamer", "Moeders van Rotterdam", "Buurtgezinnen",
        "Home-Start", "HomeStart", "Humanitas Thuisadministratie",
        # Housing
        "woningcorporatie", "corporatie", "huismeester", "wijkbeheerder", "Ymere",
        "Eigen Haard", "Rochdale", "Stadgenoot", "De Alliantie", "Alliantie", "Parteon",
        "Intermaris", "Woonzorg Nederland", "Vestia", "Havensteder", "Woonstad",
        "Woonstad Rotterdam", "Portaal", "Mitros", "Vidomes", "Staedion", "Haag Wonen",
        "Woonbron", "Com.wonen", "Wooninc", "Trudo", "Woonbedrijf", "Lefier", "Elkien",
        "Woonzorg", "Wooncompagnie", "Woningbedrijf Velsen", "Pré Wonen",
        # Public bodies and benefits
        "UWV", "SVB", "CJG", "Centrum voor Jeugd en Gezin", "Veilig Thuis", "politie",
        "wijkagent", "boa", "handhaving", "brandweer", "gemeente", "Belastingdienst",
        "Toeslagen", "DUO", "CAK", "WMO", "Wmo-consulent", "Wmo", "Participatiewet",
        "Jeugdwet", "Raad voor de Kinderbescherming", "jeugdbescherming", "COA",
        "IND", "leerplicht", "leerplichtambtenaar", "Sociale Dienst", "Werkplein",
        "klantmanager", "bewindvoerder", "budgetcoach", "Nibud", "Stichting Urgente Noden",
        "Zilveren Kruis", "CZ", "VGZ", "Menzis", "DSW",
        # School and youth
        "school", "basisschool", "leerkracht", "juf", "meester", "IB-er", "intern begeleider",
        "schoolmaatschappelijk werk", "kinderopvang", "BSO", "peuterspeelzaal", "VVE",
        "Stichting Jeugdwerk", "scouting",
        # Shops people meet at
        "Albert Heijn", "AH", "Jumbo", "Lidl", "Aldi", "Dirk van den Broek",
        "Spar", "Vomar", "Hoogvliet", "Action", "Kruidvat", "Etos", "Hema", "Zeeman",
        "de Dirk", "bij Dirk", "Plus", "Coop", "Dekamarkt", "Nettorama", "Boni", "Poiesz",
        # Community centres named after the neighbourhood
        "Huis van de Wijk", "Thuis in de Wijk", "Stichting Thuis in de Wijk",
        "Buurtcentrum", "Wijkpunt", "Huis van de Buurt",
        # Languages (deduce takes "Engels" for a surname)
        "Engels", "Nederlands", "Arabisch", "Turks", "Pools", "Tigrinya", "Somalisch",
        "Berbers", "Tamazight", "Koerdisch", "Farsi", "Dari", "Oekraïens", "Russisch",
        "Sranantongo", "Papiaments", "Frans", "Duits", "Spaans", "Portugees",
        # Faith and community
        "moskee", "kerk", "pastor", "imam", "diaconie", "PKN",
        # Everyday words of the work: deduce takes a capitalised one at the start of a
        # sentence for a surname ("Schimmel in de slaapkamers" -> "[NAAM] in ...").
        "schimmel", "vocht", "lekkage", "tocht", "kou", "ongedierte", "muizen", "ratten",
        "kakkerlakken", "bedwantsen", "overlast", "geluidsoverlast", "stank", "afval",
        "zwerfvuil", "vervuiling", "eenzaamheid", "eenzaam", "schulden", "armoede",
        "geldzorgen", "energierekening", "energiearmoede", "huur", "huurachterstand",
        "huurders", "bewoners", "bewoner", "buren", "buurvrouw", "buurman", "ouderen",
        "jongeren", "kinderen", "gezinnen", "alleenstaanden", "mantelzorg",
        "mantelzorgers", "dementie", "depressie", "verslaving", "alcohol", "drugs",
        "onveiligheid", "verwaarlozing", "statushouders", "nieuwkomers", "vluchtelingen",
        "opvoeding", "pesten", "ruzie", "burenruzie", "geweld", "gezondheid", "lift",
        "portiek", "galerij", "flat", "flats", "speeltuin", "bushalte", "signaal",
        "signalen", "taalles", "dagbesteding", "vrijwilligers", "vrijwilligerswerk",
    )
)  # fmt: skip

# Several words: protected wherever they occur, even inside what deduce tags as a name.
MULTIWORD: tuple[str, ...] = tuple(
    sorted((w for w in ORGANISATIONS_AND_ROLES if " " in w), key=len, reverse=True)
)

"""Demo signals for Demostad: ~40 realistic, already scrubbed signals from the two demo
professionals over the last 12 weeks, so the team view (and later the roll-up) has
something to show.

    from signalen.demo import demo_signalen_load
    demo_signalen_load()   # after accounts.demo.demo_users_load

Idempotent: a signal whose author and text already exist is not created again.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_EMAIL_DOMAIN
from accounts.models import Team, User
from signalen.models import Bron, Categorie, Doelgroep, Signaal
from wijken.models import Buurt

DEMO_AUTHORS = (
    f"professional@{DEMO_EMAIL_DOMAIN}",
    f"professional2@{DEMO_EMAIL_DOMAIN}",
)

# (categorie, bron, doelgroepen, households, text, scrub summary)
DEMO_SIGNALEN: tuple[
    tuple[str, str, tuple[str, ...], int | None, str, dict[str, int]], ...
] = (
    (
        "eenzaamheid",
        "huisbezoek",
        ("ouderen", "alleenstaanden"),
        3,
        "In de seniorenflat komen drie bewoners de deur bijna niet meer uit sinds de koffieochtend stopte.",
        {},
    ),
    (
        "eenzaamheid",
        "straat-ontmoeting",
        ("ouderen",),
        None,
        "Bij het bankje op het plein zitten elke ochtend dezelfde ouderen, allemaal alleen.",
        {},
    ),
    (
        "eenzaamheid",
        "partner-huisarts",
        ("ouderen", "alleenstaanden"),
        5,
        "De praktijkondersteuner ziet meer ouderen met klachten die vooral met alleen zijn te maken hebben.",
        {},
    ),
    (
        "eenzaamheid",
        "huisbezoek",
        ("alleenstaanden",),
        1,
        "[NAAM] vertelt dat ze al weken niemand heeft gesproken behalve de thuiszorg.",
        {"naam": 1},
    ),
    (
        "eenzaamheid",
        "bewoner-zelf",
        ("ouderen",),
        None,
        "Bewoners van de galerijflat vragen of er weer een ontmoetingsplek in de buurt komt.",
        {},
    ),
    (
        "eenzaamheid",
        "eigen-waarneming",
        ("ouderen", "mensen-met-een-beperking"),
        4,
        "Rond de feestdagen blijven veel ouderen met een rollator binnen: de stoep ligt open.",
        {},
    ),
    (
        "eenzaamheid",
        "straat-ontmoeting",
        ("nieuwkomers",),
        2,
        "Statushouders in de nieuwe woningen kennen hun buren nog niet en weten niet waar ze terechtkunnen.",
        {},
    ),
    (
        "eenzaamheid",
        "partner-overig",
        ("ouderen",),
        None,
        "De bibliotheek merkt dat het leesuurtje vooral bezoek trekt van mensen die verder niemand zien.",
        {},
    ),
    (
        "geldzorgen-schulden",
        "huisbezoek",
        ("gezinnen-met-kinderen",),
        1,
        "Gezin kan de nieuwe energierekening niet betalen en slaat maaltijden over.",
        {},
    ),
    (
        "geldzorgen-schulden",
        "partner-school",
        ("gezinnen-met-kinderen", "kinderen"),
        6,
        "School ziet meer kinderen zonder ontbijt en zonder gymkleren na de zomer.",
        {},
    ),
    (
        "geldzorgen-schulden",
        "huisbezoek",
        ("werkenden-met-weinig-geld",),
        2,
        "Twee huishoudens met werk komen toch niet rond; ze weten niet van de toeslagen.",
        {},
    ),
    (
        "geldzorgen-schulden",
        "partner-woningcorporatie",
        ("huurders",),
        8,
        "De corporatie ziet een stijging van huurachterstanden in de portiekflats.",
        {},
    ),
    (
        "geldzorgen-schulden",
        "spreekuur",
        ("eenoudergezinnen",),
        3,
        "Op het spreekuur drie moeders met betalingsachterstanden na een verhoging van de termijnbedragen.",
        {},
    ),
    (
        "geldzorgen-schulden",
        "huisbezoek",
        ("ouderen",),
        1,
        "Oudere bewoner durft niet te verwarmen uit angst voor de rekening; bellen met [TELEFOON] lukte niet.",
        {"telefoon": 1},
    ),
    (
        "geldzorgen-schulden",
        "bewoner-zelf",
        ("mensen-met-laag-inkomen",),
        None,
        "Bewoners vragen om hulp bij het invullen van de aanvraag voor de energietoeslag.",
        {},
    ),
    (
        "geldzorgen-schulden",
        "partner-overig",
        ("gezinnen-met-kinderen",),
        10,
        "De voedselbank heeft sinds september tien nieuwe gezinnen uit deze buurt.",
        {},
    ),
    (
        "wonen-woonoverlast",
        "huisbezoek",
        ("huurders", "gezinnen-met-kinderen"),
        4,
        "Schimmel in de slaapkamers van meerdere huurwoningen aan de oostkant; kinderen hoesten.",
        {},
    ),
    (
        "wonen-woonoverlast",
        "partner-woningcorporatie",
        ("huurders",),
        12,
        "Corporatie krijgt veel meldingen over vocht en schimmel in het oude blok.",
        {},
    ),
    (
        "wonen-woonoverlast",
        "huisbezoek",
        ("huurders",),
        2,
        "Bewoners op [ADRES] melden lekkage die al maanden niet wordt verholpen.",
        {"adres": 1},
    ),
    (
        "wonen-woonoverlast",
        "straat-ontmoeting",
        ("buurtbewoners-algemeen",),
        None,
        "Veel klachten over afval naast de containers en ratten in de achterpaden.",
        {},
    ),
    (
        "wonen-woonoverlast",
        "partner-huisarts",
        ("kinderen",),
        5,
        "De huisarts ziet meer kinderen met luchtwegklachten uit dezelfde straten met vochtige woningen.",
        {},
    ),
    (
        "wonen-woonoverlast",
        "eigen-waarneming",
        ("huurders",),
        None,
        "In het portiek hangt een muffe geur en de ventilatieroosters zijn dichtgeplakt tegen de kou.",
        {},
    ),
    (
        "wonen-woonoverlast",
        "bewoner-zelf",
        ("ouderen",),
        3,
        "Ouderen kunnen de trap niet meer op nu de lift al weken kapot is.",
        {},
    ),
    (
        "jeugd-opvoeding",
        "straat-ontmoeting",
        ("jongeren",),
        None,
        "Groep jongeren hangt 's avonds bij het winkelcentrum; ze zeggen dat er niets te doen is.",
        {},
    ),
    (
        "jeugd-opvoeding",
        "partner-school",
        ("jongeren",),
        None,
        "School meldt meer verzuim bij leerlingen uit deze wijk in het eerste jaar.",
        {},
    ),
    (
        "jeugd-opvoeding",
        "straat-ontmoeting",
        ("jongeren",),
        None,
        "Jongeren vragen naar een plek om te sporten nu het veldje is afgesloten.",
        {},
    ),
    (
        "jeugd-opvoeding",
        "huisbezoek",
        ("eenoudergezinnen", "kinderen"),
        2,
        "Alleenstaande ouders lopen vast met opvoedvragen en weten het opvoedspreekuur niet te vinden.",
        {},
    ),
    (
        "jeugd-opvoeding",
        "partner-overig",
        ("jongeren",),
        None,
        "Het jongerenwerk ziet nieuwe gezichten op de hangplek bij het water, jonger dan voorheen.",
        {},
    ),
    (
        "jeugd-opvoeding",
        "eigen-waarneming",
        ("jongeren",),
        None,
        "Na schooltijd veel jongeren op straat bij de speeltuin, zonder toezicht of activiteit.",
        {},
    ),
    (
        "mantelzorg",
        "huisbezoek",
        ("mantelzorgers", "ouderen"),
        1,
        "Mantelzorger van een partner met dementie is uitgeput en kent de respijtzorg niet.",
        {},
    ),
    (
        "mantelzorg",
        "partner-huisarts",
        ("mantelzorgers",),
        4,
        "Praktijkondersteuner ziet meerdere overbelaste mantelzorgers met slaapproblemen.",
        {},
    ),
    (
        "mantelzorg",
        "spreekuur",
        ("mantelzorgers",),
        2,
        "Jonge mantelzorgers combineren school met zorg voor een ouder en vallen uit.",
        {},
    ),
    (
        "mantelzorg",
        "huisbezoek",
        ("mantelzorgers", "mensen-met-een-beperking"),
        1,
        "Moeder zorgt alleen voor een volwassen zoon met een beperking; [NAAM] van de buren helpt soms.",
        {"naam": 1},
    ),
    (
        "mantelzorg",
        "bewoner-zelf",
        ("mantelzorgers",),
        None,
        "Bewoners vragen om een mantelzorgcafé dichterbij, het huidige is te ver weg.",
        {},
    ),
    (
        "digitale-vaardigheden",
        "spreekuur",
        ("ouderen",),
        5,
        "Ouderen lukt het niet om met DigiD in te loggen voor hun toeslagen.",
        {},
    ),
    (
        "digitale-vaardigheden",
        "partner-overig",
        ("nieuwkomers",),
        3,
        "De bibliotheek ziet nieuwkomers die online formulieren niet kunnen invullen.",
        {},
    ),
    (
        "taal-meedoen",
        "straat-ontmoeting",
        ("nieuwkomers",),
        4,
        "Moeders op het schoolplein willen Nederlands oefenen, maar de taalles is overdag vol.",
        {},
    ),
    (
        "psychische-klachten",
        "partner-huisarts",
        ("jongeren",),
        None,
        "Huisarts ziet meer jongeren met somberheid en lange wachttijden bij de GGZ.",
        {},
    ),
    (
        "gezondheid",
        "eigen-waarneming",
        ("ouderen",),
        None,
        "Ouderen vertellen dat ze minder bewegen sinds de gymclub in het buurthuis stopte.",
        {},
    ),
    (
        "werk-dagbesteding",
        "huisbezoek",
        ("alleenstaanden",),
        1,
        "Man zonder werk zoekt zinvolle dagbesteding en wil graag vrijwilligerswerk doen.",
        {},
    ),
)


def demo_signalen_load(*, now: datetime.datetime | None = None) -> int:
    """Create the demo signals in the demo team's wijken; return how many were new."""
    now = now or timezone.now()
    authors = list(User.objects.filter(email__in=DEMO_AUTHORS).order_by("email"))
    if not authors:
        return 0
    team = Team.objects.filter(members__in=authors).order_by("pk").first()
    if team is None:
        return 0
    wijken = list(team.wijken.filter(is_active=True).order_by("code"))
    if not wijken:
        return 0
    categories = {c.code: c for c in Categorie.objects.all()}
    bronnen = {b.code: b for b in Bron.objects.all()}
    doelgroepen = {d.code: d for d in Doelgroep.objects.all()}
    buurten = {
        wijk.pk: list(Buurt.objects.filter(wijk=wijk, is_active=True).order_by("code"))
        for wijk in wijken
    }
    created = 0
    with transaction.atomic():
        for index, (cat, bron, groups, households, text, summary) in enumerate(
            DEMO_SIGNALEN
        ):
            author = authors[index % len(authors)]
            if Signaal.objects.filter(author=author, text=text).exists():
                continue
            # Most in the first wijk (so themes can form), the rest spread.
            wijk = wijken[0] if index % 4 else wijken[index // 4 % len(wijken)]
            wijk_buurten = buurten[wijk.pk]
            buurt = wijk_buurten[index % len(wijk_buurten)] if wijk_buurten else None
            # Spread over 12 weeks; the newest is two days old (no longer editable).
            days_ago = 2 + (index * 83) % 82
            created_at = now - datetime.timedelta(days=days_ago, hours=index % 9)
            signaal = Signaal.objects.create(
                wijk=wijk,
                buurt=buurt,
                categorie=categories[cat],
                bron=bronnen[bron],
                text=text,
                scrub_summary=summary,
                households_estimate=households,
                observed_on=(created_at - datetime.timedelta(days=index % 3)).date(),
                author=author,
                team=team,
            )
            signaal.doelgroepen.set([doelgroepen[code] for code in groups])
            Signaal.objects.filter(pk=signaal.pk).update(
                created_at=created_at, updated_at=created_at
            )
            created += 1
    return created

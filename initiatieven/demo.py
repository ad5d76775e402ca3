"""Demo initiatives for Demostad (or any demo gemeente): realistic, idempotent.

Called from load_demo after the demo accounts exist:
    from initiatieven.demo import demo_initiatieven_load
    demo_initiatieven_load(gemeente=gemeente)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from accounts.models import Role, User
from initiatieven.models import (
    Afspraak,
    Behoefte,
    Bericht,
    Bijeenkomst,
    Deelname,
    Initiatief,
    Partner,
    Thema,
)
from wijken.models import Gemeente, Wijk

# The same list as migration 0002 (migrations stay frozen; this one may grow).
THEMAS = [
    ("ontmoeting", "Ontmoeting"),
    ("eenzaamheid", "Eenzaamheid"),
    ("ouderen", "Ouderen"),
    ("jeugd", "Jeugd"),
    ("gezondheid-sport", "Gezondheid en sport"),
    ("groen-buitenruimte", "Groen en buitenruimte"),
    ("taal", "Taal"),
    ("geldzaken", "Geldzaken"),
    ("wonen", "Wonen"),
    ("cultuur", "Cultuur"),
    ("duurzaamheid", "Duurzaamheid"),
    ("veiligheid", "Veiligheid"),
    ("eten", "Eten"),
    ("klussen-repair", "Klussen en repareren"),
]

DEMO_RESIDENT = f"bewoner@{DEMO_EMAIL_DOMAIN}"
EXTRA_RESIDENTS = [
    (f"henk@{DEMO_EMAIL_DOMAIN}", "Henk de Vries"),
    (f"fatima@{DEMO_EMAIL_DOMAIN}", "Fatima El Amrani"),
    (f"joke@{DEMO_EMAIL_DOMAIN}", "Joke Jansen"),
    (f"sanne@{DEMO_EMAIL_DOMAIN}", "Sanne Bakker"),
]


@dataclass(frozen=True)
class DemoInitiatief:
    title: str
    summary: str
    description: str
    owner: str
    wijk_index: int
    status: str
    themas: list[str]
    where: str = ""
    when: str = ""
    needs: list[tuple[str, str, bool]] = field(default_factory=list)
    partners: list[tuple[str, str]] = field(default_factory=list)
    doe_mee: list[str] = field(default_factory=list)
    steun: list[str] = field(default_factory=list)


H, F, J, S = (e for e, _ in EXTRA_RESIDENTS)
B = DEMO_RESIDENT

DEMO_INITIATIEVEN = [
    DemoInitiatief(
        "Wandelclub De Wagenweg",
        "Elke dinsdag wandelen we een uur door de wijk, met koffie na afloop.",
        "Iedereen is welkom, ook als u niet zo snel loopt. We wachten op elkaar.\n\n"
        "- Start: **dinsdag 10.00 uur** bij het buurthuis\n- Afstand: 3 tot 4 km",
        B,
        0,
        "actief",
        ["ontmoeting", "ouderen", "gezondheid-sport"],
        "Buurthuis De Schakel",
        "Elke dinsdag om 10 uur",
        needs=[("vrijwilligers", "Iemand die de route uitzet en meeloopt", False)],
        partners=[("Buurthuis De Schakel", "omgeving")],
        doe_mee=[H, J],
        steun=[F],
    ),
    DemoInitiatief(
        "Repair Café Demostad",
        "Kapotte spullen samen repareren in plaats van weggooien.",
        "Neem uw kapotte lamp, fiets of broek mee. Vrijwilligers helpen u het zelf te "
        "maken. Koffie en thee staan klaar.",
        H,
        0,
        "actief",
        ["klussen-repair", "duurzaamheid", "ontmoeting"],
        "Wijkcentrum Oost",
        "Eerste zaterdag van de maand, 13 tot 16 uur",
        needs=[
            ("vrijwilligers", "Iemand die naaimachines kan repareren", False),
            ("materiaal", "Een tweede soldeerbout", True),
        ],
        partners=[
            ("Bouwmarkt Van Dijk", "ondernemers"),
            ("Gemeente Demostad", "overheid"),
        ],
        doe_mee=[B, S],
        steun=[J, F],
    ),
    DemoInitiatief(
        "Huiswerkklas De Boekenwurm",
        "Kinderen van groep 6 tot en met de brugklas krijgen hulp bij hun huiswerk.",
        "Twee middagen per week helpen vrijwilligers kinderen met rekenen, taal en "
        "plannen.",
        F,
        0,
        "actief",
        ["jeugd", "taal"],
        "Basisschool De Regenboog",
        "Maandag en woensdag, 15 tot 17 uur",
        needs=[
            ("vrijwilligers", "Mensen die goed zijn in rekenen", False),
            ("kennis", "Iemand die kinderen met dyslexie kan helpen", False),
        ],
        partners=[("Basisschool De Regenboog", "onderwijs")],
        doe_mee=[S],
        steun=[B, H],
    ),
    DemoInitiatief(
        "Moestuin Achterom",
        "Samen groente en kruiden kweken op het braakliggende stuk achter de flat.",
        "We hebben toestemming van de woningcorporatie. Nu zoeken we handen en zaden.",
        J,
        1,
        "in_voorbereiding",
        ["groen-buitenruimte", "eten", "ontmoeting"],
        "Achter flat Zonnehof",
        "Vanaf het voorjaar, zaterdagochtend",
        needs=[
            ("materiaal", "Tuingereedschap en regentonnen", False),
            ("geld", "Ongeveer 300 euro voor aarde en zaden", False),
        ],
        partners=[
            ("Woningcorporatie Thuis", "ondernemers"),
            ("Hogeschool Groen", "onderzoek"),
        ],
        doe_mee=[B, F],
        steun=[H],
    ),
    DemoInitiatief(
        "Buurtmaaltijd op vrijdag",
        "Elke vrijdag koken buren voor buren. U betaalt wat u kunt missen.",
        "Samen eten is gezellig en niemand hoeft alleen te zitten.",
        S,
        1,
        "actief",
        ["eten", "eenzaamheid", "ontmoeting"],
        "Kerkzaal Oost",
        "Vrijdag om 18 uur",
        needs=[("ruimte", "Een keuken voor als de kerkzaal dicht is", False)],
        doe_mee=[J, H, B],
        steun=[F],
    ),
    DemoInitiatief(
        "Taalcafé",
        "Nederlands oefenen in een gewoon gesprek, met koffie.",
        "Voor iedereen die Nederlands leert. Vrijwilligers praten met u over gewone "
        "dingen.",
        F,
        0,
        "idee",
        ["taal", "ontmoeting"],
        "Bibliotheek",
        "Donderdagochtend",
        needs=[("vrijwilligers", "Mensen die graag een praatje maken", False)],
        partners=[("Bibliotheek Demostad", "omgeving")],
        steun=[B],
    ),
    DemoInitiatief(
        "Geldzaken-spreekuur",
        "Hulp bij brieven, formulieren en het overzicht over uw geld.",
        "Vrijwilligers met verstand van geldzaken helpen u. Alles blijft onder ons.",
        H,
        1,
        "idee",
        ["geldzaken"],
        "Buurthuis De Schakel",
        "Woensdagmiddag",
        needs=[("kennis", "Iemand met ervaring in belastingaangifte", False)],
        partners=[("Gemeente Demostad", "overheid")],
        steun=[S],
    ),
    DemoInitiatief(
        "Zwerfvuil prikken",
        "Eén keer per maand maken we samen de speeltuin en de singel schoon.",
        "Grijpers en vuilniszakken zijn er. Na afloop drinken we samen iets.",
        B,
        1,
        "afgerond",
        ["groen-buitenruimte", "duurzaamheid"],
        "Speeltuin De Singel",
        "Laatste zondag van de maand",
        doe_mee=[J],
        steun=[H, F],
    ),
]


def themas_ensure() -> None:
    """Create the standard themes if a test or a flush removed them."""
    for order, (code, name) in enumerate(THEMAS, start=1):
        Thema.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def _resident(email: str, name: str, wijk: Wijk) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            display_name=name,
            role=Role.BEWONER,
            wijk=wijk,
        )
    return user


@transaction.atomic
def demo_initiatieven_load(*, gemeente: Gemeente) -> int:
    """Create the demo initiatives in the gemeente's first wijken. Running it again
    changes nothing. Return how many initiatives exist for it afterwards."""
    themas_ensure()
    wijken = list(gemeente.wijken.filter(is_active=True).order_by("code")[:2])
    if not wijken:
        return 0
    demo = User.objects.filter(email__iexact=DEMO_RESIDENT).first()
    people = {
        DEMO_RESIDENT: demo or _resident(DEMO_RESIDENT, "Bea Bewoner", wijken[0]),
    }
    for email, name in EXTRA_RESIDENTS:
        people[email] = _resident(email, name, wijken[0])
    themas = {t.code: t for t in Thema.objects.all()}
    count = 0
    for spec in DEMO_INITIATIEVEN:
        wijk = wijken[min(spec.wijk_index, len(wijken) - 1)]
        initiatief, created = Initiatief.objects.get_or_create(
            wijk=wijk,
            title=spec.title,
            defaults={
                "summary": spec.summary,
                "description": spec.description,
                "owner": people[spec.owner],
                "status": spec.status,
                "where": spec.where,
                "when": spec.when,
                "buurt": wijk.buurten.filter(is_active=True).order_by("code").first(),
            },
        )
        count += 1
        if not created:
            continue
        initiatief.themas.set([themas[c] for c in spec.themas if c in themas])
        for kind, description, is_met in spec.needs:
            Behoefte.objects.create(
                initiatief=initiatief, kind=kind, description=description, is_met=is_met
            )
        for name, kind in spec.partners:
            Partner.objects.create(initiatief=initiatief, name=name, kind=kind)
        for kinds, emails in (("doe_mee", spec.doe_mee), ("steun", spec.steun)):
            for n, email in enumerate(emails):
                Deelname.objects.get_or_create(
                    user=people[email],
                    initiatief=initiatief,
                    kind=kinds,
                    defaults={"show_name": n % 2 == 0},
                )
    demo_news_and_meeting_load(gemeente=gemeente)
    return count


DEMO_BERICHTEN = [
    (
        "We zijn begonnen!",
        "Vorige week liepen we voor het eerst. Met **twaalf** mensen!",
    ),
    ("", "Volgende week lopen we langs het park. Neem goede schoenen mee."),
]


def demo_news_and_meeting_load(*, gemeente: Gemeente) -> None:
    """A few updates and one upcoming meeting with an agreement on the first demo
    initiative. Running it again changes nothing (while the meeting lies ahead)."""
    initiatief = (
        Initiatief.objects.filter(
            wijk__gemeente=gemeente, title=DEMO_INITIATIEVEN[0].title
        )
        .select_related("owner")
        .first()
    )
    if initiatief is None:
        return
    if not Bericht.objects.filter(initiatief=initiatief).exists():
        for title, text in DEMO_BERICHTEN:
            Bericht.objects.create(
                initiatief=initiatief, author=initiatief.owner, title=title, text=text
            )
    if Bijeenkomst.objects.filter(
        initiatief=initiatief, starts_at__gt=timezone.now()
    ).exists():
        return
    day = timezone.localdate() + timedelta(days=7)
    meeting = Bijeenkomst.objects.create(
        initiatief=initiatief,
        created_by=initiatief.owner,
        starts_at=timezone.make_aware(datetime.combine(day, time(19, 30))),
        place="Buurthuis De Linde, Kerkstraat 4",
        agenda="Welkom\nNieuwe route kiezen\nWie zet koffie?",
    )
    Afspraak.objects.create(
        bijeenkomst=meeting,
        description="Een kaart van de nieuwe route maken",
        who_user=initiatief.owner,
        due_date=day + timedelta(days=7),
    )

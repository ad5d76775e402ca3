"""Demo signals for Demostad, and the demo roll-up."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_EMAIL_DOMAIN
from accounts.models import Team, User
from signalen.intake.facts import facts_backfill
from signalen.models import (
    Bron,
    Categorie,
    Doelgroep,
    RollupRun,
    Signaal,
)
from signalen.themes.runs import RollupBusy, last_successful_run, rollup_wijk
from wijken.models import Buurt, Wijk

log = logging.getLogger(__name__)


DEMO_AUTHORS = (
    f"professional@{DEMO_EMAIL_DOMAIN}",
    f"professional2@{DEMO_EMAIL_DOMAIN}",
)


DEMO_WEEKS = 20


@dataclass(frozen=True)
class DemoSignaal:
    categorie: str
    bron: str
    doelgroepen: tuple[str, ...]
    households: int | None
    text: str
    scrub_summary: dict[str, int]
    wijk_index: int  # into the team's wijken (wraps around when there are fewer)
    days_ago: int  # the newest is two days old (no longer editable)


# Varied signals, spread over both wijken and 12 weeks.
# (categorie, bron, doelgroepen, households, text, scrub summary)
_VARIED: tuple[
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


@dataclass(frozen=True)
class DemoTopic:
    """Signals about one recognisable topic in one wijk, as several professionals write
    them down: the roll-up finds them as a theme (what `make run` shows at once)."""

    about: str  # for readers of this file; the engine finds its own words
    wijk_index: int  # 0 = the team's first wijk (Centrum), 1 = the second (Oosterpark)
    categorie: str
    doelgroepen: tuple[str, ...]
    bronnen: tuple[str, ...]
    shape: str  # "rising", "stable" or "falling": where the dates fall in 20 weeks
    texts: tuple[str, ...]


DEMO_TOPICS: tuple[DemoTopic, ...] = (
    DemoTopic(
        about="Schimmel en vocht in huurwoningen",
        wijk_index=0,
        categorie="wonen-woonoverlast",
        doelgroepen=("huurders", "gezinnen-met-kinderen"),
        bronnen=(
            "huisbezoek",
            "spreekuur",
            "partner-huisarts",
            "partner-woningcorporatie",
            "partner-school",
        ),
        shape="stable",
        texts=(
            "HB: schimmel in slaapkamer kinderen, corporatie reageert niet op melding.",
            "Zwarte schimmel in de badkamer, zoontje hoest al weken. Doorverwezen naar huisarts.",
            "Vocht en schimmel in huurwoning, astma dochter wordt erger.",
            "Schimmel op de muren, corporatie zegt 'ventileren', schimmel blijft terugkomen.",
            "Tel. contact: vochtplekken en schimmel, al drie keer gemeld bij corporatie.",
            "Schimmel achter de kast, benauwd, huisarts zegt dat het door de woning komt.",
            "Kind vaak ziek, schimmel in de kinderkamer, corporatie doet niks.",
            "Spreekuur: schimmelplekken in keuken en badkamer, vocht in de muren.",
            "Meerdere flats in de straat met schimmel, bewoners boos op de corporatie.",
            "Bij huisbezoek: muffe lucht, schimmel op plafond slaapkamer, gezin slaapt in woonkamer.",
            "Moeder durft huur niet in te houden, schimmel in huurwoning wordt niet aangepakt.",
            "Via school: leerling vaak afwezig door longklachten, thuis veel vocht en schimmel.",
            "Schimmel in de badkamer komt na schilderen terug, corporatie stuurt niemand.",
            "HB: kinderkamer vochtig, schimmel op de kozijnen, kinderen hoesten 's nachts.",
            "Bewoner vraagt hulp bij klacht over schimmel en vocht, corporatie reageert niet.",
            "Vochtige huurwoning, schimmel in alle slaapkamers, baby vaak verkouden.",
        ),
    ),
    DemoTopic(
        about="Eenzame ouderen sinds het buurthuis dicht is",
        wijk_index=0,
        categorie="eenzaamheid",
        doelgroepen=("ouderen", "alleenstaanden"),
        bronnen=("huisbezoek", "straat-ontmoeting", "spreekuur", "partner-huisarts"),
        shape="rising",
        texts=(
            "Voelt zich eenzaam sinds het buurthuis dicht is, geen koffieochtend meer.",
            "Oudere dame alleen, mist de soos in het buurthuis, zit hele dag voor de tv.",
            "HB: eenzaam sinds sluiting buurthuis, kaartclub is weggevallen.",
            "Oudere heer eenzaam, wil graag iets doen met anderen maar sinds buurthuis dicht is er niks.",
            "Op straat gesproken: mist de ontmoetingsplek, buurthuis gesloten, voelt zich alleen.",
            "Eenzaam en alleen, ging altijd naar het buurthuis, nu komt niemand meer langs.",
            "Weduwe, kinderen ver weg, eenzaam sinds de koffieochtend in het buurthuis stopte.",
            "Spreekuur: oudere bewoner vraagt waar de soos nu is, buurthuis dicht, eenzaam.",
            "Via huisarts: meer ouderen met klachten door eenzaamheid sinds buurthuis dicht.",
            "HB: oudere alleenstaande, geen aanloop meer, mist het buurthuis.",
            "Bewoners seniorenflat vragen om nieuwe ontmoetingsplek nu buurthuis gesloten is.",
            "Oudere man zegt dat hij niemand meer spreekt sinds het buurthuis dicht is.",
            "Eenzaamheid bij ouderen, biljartclub en koffieochtend weg met sluiting buurthuis.",
            "Mw. eenzaam, zit hele dag alleen, wil graag weer naar een koffieochtend.",
        ),
    ),
    DemoTopic(
        about="Energierekening niet te betalen",
        wijk_index=0,
        categorie="geldzorgen-schulden",
        doelgroepen=("mensen-met-laag-inkomen", "eenoudergezinnen"),
        bronnen=("huisbezoek", "spreekuur", "partner-woningcorporatie", "bewoner-zelf"),
        shape="rising",
        texts=(
            "Energierekening verdubbeld, kan het voorschot niet betalen.",
            "Zit in de kou, thermostaat op vijftien om geld te sparen voor de energierekening.",
            "HB: energietoeslag gemist, wist niet dat het bestond. Aanvraag samen gedaan.",
            "Hoge eindafrekening energie gekregen, paniek, weet niet hoe te betalen.",
            "Alleenstaande moeder, energiekosten te hoog, kinderen in jas binnen.",
            "Achterstand bij energieleverancier, afsluiting gas dreigt.",
            "Energieleverancier stuurt aanmaningen, incasso dreigt, durft post niet open te maken.",
            "Maandbedrag energie omhoog, komt niet meer rond, stress.",
            "Spreekuur: vraag over energietoeslag, energierekening niet te betalen.",
            "Oudere bewoner verwarmt maar een kamer uit angst voor de energierekening.",
            "Gezin kan energierekening niet betalen, slaat maaltijden over.",
            "Via corporatie: meer huurders met achterstand door hoge energiekosten.",
            "Tel. contact: voorschot energie verhoogd, betalingsregeling nodig.",
            "HB: koude woning, geen geld voor energie, kinderen ziek.",
        ),
    ),
    DemoTopic(
        about="Jongeren bij het winkelcentrum",
        wijk_index=1,
        categorie="jeugd-opvoeding",
        doelgroepen=("jongeren",),
        bronnen=(
            "straat-ontmoeting",
            "eigen-waarneming",
            "partner-overig",
            "bewoner-zelf",
        ),
        shape="falling",
        texts=(
            "Groep jongeren hangt 's avonds bij het winkelcentrum, bewoners voelen zich onveilig.",
            "Jongens van 14 tot 17 hangen rond bij het winkelcentrum, niks te doen in de wijk.",
            "Jeugd hangt rond bij de winkels, vernielingen bij de fietsenstalling.",
            "Scooterjongeren rijden over de stoep bij het winkelcentrum, gevaarlijk.",
            "Hangplek jongeren bij winkelcentrum, lachgaspatronen gevonden.",
            "Bewoners boven de winkels slapen slecht door jongeren op straat.",
            "Ondernemers winkelcentrum klagen over groep jongeren bij de ingang.",
            "Jongerenwerk ziet nieuwe groep jongeren bij het winkelcentrum, jonger dan voorheen.",
            "Jongeren bij het winkelcentrum zeggen dat er geen plek voor ze is in de wijk.",
            "Overlast jongeren winkelcentrum, harde muziek en afval tot laat.",
            "Op straat gesproken met jongeren bij het winkelcentrum, willen een eigen plek.",
            "Buurtbewoners melden groep jongeren bij winkelcentrum, voelen zich onveilig 's avonds.",
        ),
    ),
    DemoTopic(
        about="Lift in de flat kapot",
        wijk_index=1,
        categorie="wonen-woonoverlast",
        doelgroepen=("huurders", "mensen-met-een-beperking"),
        bronnen=("huisbezoek", "spreekuur", "partner-huisarts", "bewoner-zelf"),
        shape="stable",
        texts=(
            "Lift in de flat al drie weken kapot, mw. met rollator komt niet naar beneden.",
            "Lift weer stuk, boodschappen sjouwen zes hoog lukt niet.",
            "Spreekuur: lift stuk, scootmobiel kan niet naar boven.",
            "Via huisarts: corporatie repareert lift niet, bewoners vierde verdieping zitten vast.",
            "Lift defect sinds vorige maand, rollator blijft beneden.",
            "Oudere bewoners flat komen niet meer buiten, lift al weken kapot.",
            "HB: man met beperking zit binnen, lift in de flat doet het niet.",
            "Thuiszorg moet trap op met materiaal, lift flat kapot.",
            "Bewoners flat boos op corporatie, lift steeds kapot en niemand komt.",
            "Mw. mist afspraak ziekenhuis, lift kapot en trap lukt niet.",
            "Lift flat kapot, moeder met kinderwagen kan niet naar boven.",
            "Tel. contact: lift al weken stuk, bewoner met rollator geisoleerd.",
        ),
    ),
)


# Loose signals in the second wijk that belong to no theme.
# (categorie, bron, doelgroepen, text)
_LOOSE: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    (
        "taal-meedoen",
        "spreekuur",
        ("nieuwkomers",),
        "Vader wil Nederlands leren, taalcafe in de bibliotheek zit vol.",
    ),
    (
        "mantelzorg",
        "huisbezoek",
        ("mantelzorgers", "ouderen"),
        "Dochter zorgt voor moeder met dementie, weet niet van respijtzorg.",
    ),
    (
        "verslaving",
        "partner-huisarts",
        ("jongeren",),
        "Huisarts ziet jongeren die veel gokken op de telefoon.",
    ),
    (
        "psychische-klachten",
        "straat-ontmoeting",
        ("alleenstaanden",),
        "Verwarde man loopt vaak 's nachts over straat, buren maken zich zorgen.",
    ),
    (
        "werk-dagbesteding",
        "spreekuur",
        ("mensen-met-een-beperking",),
        "Jonge vrouw met beperking zoekt dagbesteding dichtbij huis.",
    ),
    (
        "gezondheid",
        "eigen-waarneming",
        ("ouderen",),
        "Geen bankjes meer langs de looproute, ouderen wandelen minder.",
    ),
    (
        "veiligheid",
        "bewoner-zelf",
        ("buurtbewoners-algemeen",),
        "Straatverlichting in het park doet het niet, bewoners lopen om.",
    ),
    (
        "digitale-vaardigheden",
        "partner-overig",
        ("ouderen",),
        "Bank sluit kantoor, ouderen kunnen niet internetbankieren.",
    ),
    (
        "zelfzorg-dagelijks-leven",
        "huisbezoek",
        ("ouderen", "alleenstaanden"),
        "Oudere man eet slecht sinds zijn vrouw overleed, koelkast leeg.",
    ),
    (
        "jeugd-opvoeding",
        "partner-school",
        ("kinderen",),
        "School ziet kinderen die te laat komen omdat ouders nachtdiensten draaien.",
    ),
    (
        "geldzorgen-schulden",
        "spreekuur",
        ("werkenden-met-weinig-geld",),
        "Zzp'er met wisselend inkomen kan belastingaanslag niet betalen.",
    ),
    (
        "huiselijk-geweld-zorgen",
        "partner-overig",
        ("gezinnen-met-kinderen",),
        "Buren horen vaak ruzie, maken zich zorgen om de kinderen. Advies Veilig Thuis gegeven.",
    ),
)


def _days_ago(shape: str, i: int, n: int) -> int:
    """Spread n signals over the demo weeks: evenly, mostly recent, or mostly older."""
    span = DEMO_WEEKS * 7 - 4
    share = i / max(n - 1, 1)
    if shape == "rising":
        share = share**2
    elif shape == "falling":
        share = 1 - (1 - share) ** 2
    return 2 + round(span * share)


def _plan() -> tuple[DemoSignaal, ...]:
    varied = tuple(
        DemoSignaal(
            categorie=cat,
            bron=bron,
            doelgroepen=groups,
            households=households,
            text=text,
            scrub_summary=summary,
            # Most in the first wijk, the rest spread; over 12 weeks.
            wijk_index=0 if index % 4 else index // 4,
            days_ago=2 + (index * 83) % 82,
        )
        for index, (cat, bron, groups, households, text, summary) in enumerate(_VARIED)
    )
    topics = tuple(
        DemoSignaal(
            categorie=topic.categorie,
            bron=topic.bronnen[i % len(topic.bronnen)],
            doelgroepen=topic.doelgroepen,
            households=None if i % 3 else 1 + i % 4,
            text=text,
            scrub_summary={},
            wijk_index=topic.wijk_index,
            days_ago=_days_ago(topic.shape, i, len(topic.texts)),
        )
        for topic in DEMO_TOPICS
        for i, text in enumerate(topic.texts)
    )
    loose = tuple(
        DemoSignaal(
            categorie=cat,
            bron=bron,
            doelgroepen=groups,
            households=None,
            text=text,
            scrub_summary={},
            wijk_index=1,
            days_ago=_days_ago("stable", i, len(_LOOSE)),
        )
        for i, (cat, bron, groups, text) in enumerate(_LOOSE)
    )
    return varied + topics + loose


DEMO_SIGNALEN: tuple[DemoSignaal, ...] = _plan()


def demo_signalen_load(
    *, now: datetime.datetime | None = None, rollup: bool = True
) -> int:
    """Create the demo signals in the demo team's wijken and roll them up (unless
    rollup=False); return how many signals were new."""
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
    existing = set(
        Signaal.objects.filter(author__in=authors).values_list("author_id", "text")
    )
    created = 0
    touched: set[int] = set()
    with transaction.atomic():
        for index, item in enumerate(DEMO_SIGNALEN):
            author = authors[index % len(authors)]
            if (author.pk, item.text) in existing:
                continue
            wijk = wijken[item.wijk_index % len(wijken)]
            wijk_buurten = buurten[wijk.pk]
            buurt = wijk_buurten[index % len(wijk_buurten)] if wijk_buurten else None
            created_at = now - datetime.timedelta(days=item.days_ago, hours=index % 9)
            # Not through signaal_create: these texts are fictional and written
            # already scrubbed (tags and scrub summary included), so loading the
            # demo never waits for deduce (minutes on a fresh machine, issue 17).
            signaal = Signaal.objects.create(
                wijk=wijk,
                buurt=buurt,
                categorie=categories[item.categorie],
                bron=bronnen[item.bron],
                text=item.text,
                scrub_summary=item.scrub_summary,
                households_estimate=item.households,
                # Counted in local days (as the pages count them), never after the
                # day it was logged: the hours above may cross midnight.
                observed_on=min(
                    timezone.localdate()
                    - datetime.timedelta(days=item.days_ago + index % 3),
                    timezone.localtime(created_at).date(),
                ),
                author=author,
                team=team,
            )
            signaal.doelgroepen.set([doelgroepen[code] for code in item.doelgroepen])
            Signaal.objects.filter(pk=signaal.pk).update(
                created_at=created_at, updated_at=created_at
            )
            created += 1
            touched.add(wijk.pk)
        # Their facts, in the blocks they were logged in (dated back above): nothing
        # of the demo was published before it was loaded.
        facts_backfill(wijk_ids=touched)
    if rollup:
        demo_rollup(
            [w for w in wijken if w.pk in touched or last_successful_run(w) is None]
        )
        from signalen.demo.loop import demo_loop_load  # the loop reads DEMO_AUTHORS

        demo_loop_load(team=team, wijk=wijken[0], now=now)
    return created


def demo_rollup(wijken: list[Wijk]) -> list[RollupRun]:
    """Roll up the demo wijken now (as `manage.py rollup` would), so themes show at once.
    A wijk a worker is busy with is left to that worker."""
    runs = []
    for wijk in wijken:
        try:
            runs.append(rollup_wijk(wijk, trigger=RollupRun.Trigger.MANUAL))
        except RollupBusy:
            log.info("demo roll-up of %s skipped: another run is busy", wijk.code)
    return runs

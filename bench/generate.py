"""Large, seeded, deterministic test data for benchmarks, bulk-inserted into the CURRENT
database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/generate.py \\
        [--gemeenten 30] [--wijken-per-gemeente 10] [--buurten-per-wijk 4] \\
        [--residents 100000] [--initiatives 20000] [--seed 1]

Makes fictional gemeenten (codes GM8000 and up, marked `is_demo`) with wijken and buurten
(square GeoJSON outlines on a grid), CBS key figures for every wijk, residents (role
bewoner, one wijk each, an unusable password) and initiatives with Dutch titles and texts
built from word lists (so full-text search finds things), themes, statuses, needs,
co-organisers and participations. Some wijken are much busier than others (a Zipf-like
skew). The same seed gives the same data.

Each entity has its own function taking what it needs and returning what it made, so a
later generator (for example a million signals) can build on `generate()`'s result.
Large volumes need PostgreSQL; SQLite is refused above a small size.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")

BATCH_SIZE = 5000
# Above this many rows SQLite is too slow and not what we measure against.
SQLITE_MAX_ROWS = 5000
FIRST_GEMEENTE_CODE = 8000
KERNCIJFERS_YEAR = 2024
NOW = datetime(
    2026, 11, 1, 12, 0, tzinfo=UTC
)  # fixed, so the data is the same on every run

# --- word lists -----------------------------------------------------------------------

PLACES = [
    "Lindenhof", "Bloemenbuurt", "Molenwijk", "Vogelbuurt", "Kerkplein", "Havenkwartier",
    "Parkzicht", "Schoolstraat", "Dorpsweg", "Rozenhof", "Weidevenne", "Boomgaard",
    "Vaartkant", "Stationsbuurt", "Eikenlaan", "Zeeheldenbuurt", "Gors", "Overhoeks",
    "Kastanjehof", "De Gouw", "Bolwerk", "Singel", "Waterlinie", "Zuiderpark",
]  # fmt: skip
PLACE_PREFIXES = ["Oud-", "Nieuw-", "Noord-", "Zuid-", "", "", "", ""]

# (title stem, what it is, theme codes)
ACTIVITIES = [
    ("Moestuin", "een gezamenlijke moestuin waar we groente en kruiden kweken", ["groen-buitenruimte", "eten"]),
    ("Koffieochtend", "een wekelijkse koffieochtend met koffie, thee en een praatje", ["ontmoeting", "eenzaamheid"]),
    ("Taalcafé", "een taalcafé waar nieuwkomers Nederlands oefenen bij een kop koffie", ["taal", "ontmoeting"]),
    ("Repair café", "een repair café waar vrijwilligers kapotte spullen repareren", ["klussen-repair", "duurzaamheid"]),
    ("Wandelgroep", "een wandelgroep die elke week een rondje door de wijk loopt", ["gezondheid-sport", "ouderen"]),
    ("Buurtbarbecue", "een buurtbarbecue op het grasveld voor alle bewoners", ["ontmoeting", "eten"]),
    ("Huiswerkklas", "een huiswerkklas waar scholieren hulp krijgen van buurtgenoten", ["jeugd", "taal"]),
    ("Geveltuinen", "geveltuinen langs de huizen, met planten en bloemen", ["groen-buitenruimte", "wonen"]),
    ("Schoonmaakactie", "een schoonmaakactie waarbij we zwerfafval opruimen", ["groen-buitenruimte", "duurzaamheid"]),
    ("Boekenkast", "een ruilboekenkast waar iedereen boeken brengt en haalt", ["cultuur", "ontmoeting"]),
    ("Kookclub", "een kookclub die samen kookt en samen eet", ["eten", "ontmoeting", "eenzaamheid"]),
    ("Sportochtend", "een sportochtend met bewegen op muziek voor jong en oud", ["gezondheid-sport"]),
    ("Speeltuin", "het opknappen van de speeltuin met nieuwe toestellen", ["jeugd", "groen-buitenruimte"]),
    ("Buurtpreventie", "een buurtpreventieteam dat 's avonds een ronde loopt", ["veiligheid"]),
    ("Formulierenhulp", "een spreekuur waar vrijwilligers helpen met brieven en formulieren", ["geldzaken", "taal"]),
    ("Zonnepanelen", "samen zonnepanelen inkopen voor de daken in de straat", ["duurzaamheid", "wonen"]),
    ("Muziekmiddag", "een muziekmiddag met live muziek en koffie in het buurthuis", ["cultuur", "ouderen"]),
    ("Jongerenavond", "een jongerenavond met spelletjes, muziek en een plek om te chillen", ["jeugd", "ontmoeting"]),
    ("Maaltijdservice", "een maaltijdservice die warme maaltijden brengt naar ouderen", ["ouderen", "eten", "eenzaamheid"]),
    ("Fietsenwerkplaats", "een fietsenwerkplaats waar je leert je fiets te maken", ["klussen-repair", "jeugd"]),
    ("Voedselbank", "een inzamelpunt voor de voedselbank bij de supermarkt", ["eten", "geldzaken"]),
    ("Bloembakken", "bloembakken op het plein, onderhouden door bewoners", ["groen-buitenruimte"]),
    ("Spelletjesmiddag", "een spelletjesmiddag met kaarten, sjoelen en koffie", ["ontmoeting", "ouderen"]),
    ("Buurtfeest", "een buurtfeest met muziek, eten en een kleedjesmarkt", ["ontmoeting", "cultuur"]),
    ("Klusdienst", "een klusdienst waarbij handige bewoners kleine klussen doen", ["klussen-repair", "wonen"]),
    ("Energiecoaches", "energiecoaches die helpen om de energierekening te verlagen", ["duurzaamheid", "geldzaken"]),
    ("Computerles", "computerles voor ouderen: mailen, bellen met beeld en DigiD", ["ouderen", "taal"]),
    ("Hardloopgroep", "een hardloopgroep voor beginners die samen gaat trainen", ["gezondheid-sport"]),
]  # fmt: skip
AUDIENCES = [
    "voor ouderen", "voor kinderen", "voor jongeren", "voor iedereen", "voor nieuwkomers",
    "voor gezinnen", "voor de hele straat", "voor alleenstaanden", "", "", "",
]  # fmt: skip
WHY = [
    "Veel mensen kennen hun buren niet.",
    "Er is weinig te doen in de buurt.",
    "Het plein ziet er rommelig uit.",
    "Ouderen zitten vaak alleen thuis.",
    "Kinderen hebben geen plek om te spelen.",
    "We willen de straat groener maken.",
    "Het buurthuis staat vaak leeg.",
    "Steeds meer mensen hebben moeite met de rekeningen.",
    "Nieuwe bewoners weten de weg nog niet.",
]
HOW = [
    "We beginnen klein en kijken wat werkt.",
    "Iedereen is welkom, ook als je maar één keer kunt.",
    "De eerste keer is op zaterdagochtend.",
    "We zoeken nog mensen die willen helpen.",
    "De gemeente denkt mee over een plek.",
    "Neem gerust je buren mee.",
    "Er is koffie en thee, en soms iets lekkers.",
    "We maken samen een planning.",
]
NEED_TEXTS = {
    "vrijwilligers": ["Mensen die een ochtend willen helpen", "Iemand die de koffie regelt", "Een paar handige buren"],
    "ruimte": ["Een ruimte voor twintig mensen", "Een plek om spullen op te slaan", "Een keuken om te koken"],
    "geld": ["Geld voor materiaal", "Een bijdrage voor de huur", "Geld voor koffie en thee"],
    "materiaal": ["Tafels en stoelen", "Gereedschap", "Plantenbakken en aarde"],
    "kennis": ["Iemand die verstand heeft van subsidies", "Hulp met een website", "Iemand met ervaring in de tuin"],
}  # fmt: skip
FIRST_NAMES = [
    "Anna", "Ahmed", "Bram", "Chantal", "Daan", "Emma", "Fatima", "Gerrit", "Hanneke", "Ivo",
    "Jan", "Kim", "Lotte", "Mohamed", "Noor", "Oscar", "Petra", "Quinten", "Ria", "Sanne",
    "Tom", "Uğur", "Vera", "Willem", "Yara", "Zeynep", "Karin", "Henk", "Samira", "Joost",
]  # fmt: skip
GEMEENTE_NAMES = [
    "Benchstad", "Proefdam", "Toetsveen", "Meetwoude", "Testerveld", "Schaalbergen",
    "Laadhoven", "Piekdorp", "Drukwijk", "Rekenburg",
]  # fmt: skip
STATUS_WEIGHTS = {
    "idee": 20,
    "in_voorbereiding": 20,
    "actief": 40,
    "afgerond": 15,
    "gestopt": 5,
}


@dataclass
class Sizes:
    gemeenten: int = 30
    wijken_per_gemeente: int = 10
    buurten_per_wijk: int = 4
    residents: int = 100_000
    initiatives: int = 20_000

    @property
    def wijken(self) -> int:
        return self.gemeenten * self.wijken_per_gemeente

    @property
    def largest_table(self) -> int:
        return max(self.residents, self.initiatives * 8)


@dataclass
class Generated:
    """What generate() made: enough for later generators (signals, teams, …)."""

    gemeenten: list[Any] = field(default_factory=list)
    wijken: list[Any] = field(default_factory=list)
    buurten_by_wijk: dict[int, list[int]] = field(default_factory=dict)
    wijk_weights: dict[int, float] = field(default_factory=dict)
    residents_by_wijk: dict[int, list[int]] = field(default_factory=dict)
    initiative_ids: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


# --- helpers --------------------------------------------------------------------------


def square(lon: float, lat: float, size: float) -> dict[str, Any]:
    """A GeoJSON polygon: a square with its south-west corner at (lon, lat)."""
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [lon, lat],
                [round(lon + size, 6), lat],
                [round(lon + size, 6), round(lat + size, 6)],
                [lon, round(lat + size, 6)],
                [lon, lat],
            ]
        ],
    }


def progress(total: int, desc: str, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total, desc=desc, unit=" rows", file=sys.stderr, disable=not enabled
    )


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def bulk_insert(
    model: Any, objs: Sequence[Any], *, desc: str, show: bool, batch: int = BATCH_SIZE
) -> list[Any]:
    """bulk_create in batches with a progress bar; returns the objects (with pks on
    PostgreSQL and recent SQLite)."""
    created: list[Any] = []
    with progress(len(objs), desc, show) as bar:
        for part in chunks(objs, batch):
            created.extend(model.objects.bulk_create(part, batch_size=batch))
            bar.update(len(part))
    return created


@contextmanager
def auto_now_add_off(model: Any, name: str) -> Iterator[None]:
    """Let bulk_create keep the timestamps we give (spread over years, not 'now')."""
    model_field = model._meta.get_field(name)
    before = model_field.auto_now_add
    model_field.auto_now_add = False
    try:
        yield
    finally:
        model_field.auto_now_add = before


def skewed_weights(
    rng: random.Random, keys: list[int], exponent: float
) -> dict[int, float]:
    """Zipf-like weights in random order: a few keys get much more than the rest."""
    ranks = list(range(1, len(keys) + 1))
    rng.shuffle(ranks)
    return {key: 1.0 / rank**exponent for key, rank in zip(keys, ranks, strict=True)}


def check_database(sizes: Sizes) -> None:
    from django.db import connection

    if connection.vendor == "sqlite" and sizes.largest_table > SQLITE_MAX_ROWS:
        raise SystemExit(
            f"This would write about {sizes.largest_table:,} rows into SQLite. Large "
            "volumes need PostgreSQL: set DATABASE_URL, e.g. "
            "postgres://postgres@127.0.0.1:5432/bw_bench (and migrate it first)."
        )


# --- one function per entity ----------------------------------------------------------


def gemeenten_create(rng: random.Random, *, count: int, show: bool) -> list[Any]:
    from wijken.models import Gemeente

    if FIRST_GEMEENTE_CODE + count > 10_000:
        raise SystemExit("At most 2,000 generated gemeenten (codes GM8000-GM9999).")
    taken = Gemeente.objects.filter(
        code__in=[f"GM{FIRST_GEMEENTE_CODE + i}" for i in range(count)]
    ).exists()
    if taken:
        raise SystemExit(
            "This database already has generated gemeenten (GM8000 and up). "
            "Use a fresh database."
        )
    objs = []
    for i in range(count):
        lon, lat = 4.0 + (i % 20) * 0.5, 51.0 + (i // 20) * 0.5
        base = GEMEENTE_NAMES[i % len(GEMEENTE_NAMES)]
        name = base if i < len(GEMEENTE_NAMES) else f"{base} {i // len(GEMEENTE_NAMES)}"
        objs.append(
            Gemeente(
                code=f"GM{FIRST_GEMEENTE_CODE + i}",
                name=name,
                is_demo=True,
                geometry=square(lon, lat, 0.45),
                source="bench/generate.py",
            )
        )
    return bulk_insert(Gemeente, objs, desc="gemeenten", show=show)


def wijken_create(
    rng: random.Random, gemeenten: list[Any], *, per_gemeente: int, show: bool
) -> list[Any]:
    from wijken.models import Wijk

    if per_gemeente > 99:
        raise SystemExit("At most 99 wijken per gemeente (two digits in the code).")
    objs = []
    for g in gemeenten:
        lon0, lat0 = g.geometry["coordinates"][0][0]
        for j in range(per_gemeente):
            place = rng.choice(PLACE_PREFIXES) + rng.choice(PLACES)
            objs.append(
                Wijk(
                    code=f"WK{g.code[2:]}{j:02d}",
                    name=f"{place} {j}",
                    gemeente=g,
                    geometry=square(
                        lon0 + (j % 10) * 0.04, lat0 + (j // 10) * 0.04, 0.04
                    ),
                    source="bench/generate.py",
                )
            )
    return bulk_insert(Wijk, objs, desc="wijken", show=show)


def buurten_create(
    rng: random.Random, wijken: list[Any], *, per_wijk: int, show: bool
) -> dict[int, list[int]]:
    from wijken.models import Buurt

    if per_wijk > 99:
        raise SystemExit("At most 99 buurten per wijk.")
    objs = []
    side = max(1, int(per_wijk**0.5 + 0.999))
    for w in wijken:
        lon0, lat0 = w.geometry["coordinates"][0][0]
        size = round(0.04 / side, 6)
        for k in range(per_wijk):
            objs.append(
                Buurt(
                    code=f"BU{w.code[2:]}{k:02d}",
                    name=f"{rng.choice(PLACES)} {w.code[-2:]}-{k}",
                    wijk=w,
                    geometry=square(
                        round(lon0 + (k % side) * size, 6),
                        round(lat0 + (k // side) * size, 6),
                        size,
                    ),
                    source="bench/generate.py",
                )
            )
    by_wijk: dict[int, list[int]] = {w.pk: [] for w in wijken}
    for b in bulk_insert(Buurt, objs, desc="buurten", show=show):
        by_wijk[b.wijk_id].append(b.pk)
    return by_wijk


def kerncijfers_create(rng: random.Random, wijken: list[Any], *, show: bool) -> int:
    from wijken.models import Kerncijfers, Level

    objs = []
    for w in wijken:
        inhabitants = rng.randint(800, 25_000)
        men = int(inhabitants * rng.uniform(0.46, 0.52))
        size = round(rng.uniform(1.5, 2.8), 1)
        young, teen = rng.uniform(8, 22), rng.uniform(8, 16)
        mid, older = rng.uniform(18, 35), rng.uniform(20, 30)
        old = max(0.0, 100 - young - teen - mid - older)
        objs.append(
            Kerncijfers(
                level=Level.WIJK,
                code=w.code,
                year=KERNCIJFERS_YEAR,
                inhabitants=inhabitants,
                men=men,
                women=inhabitants - men,
                households=int(inhabitants / size),
                avg_household_size=size,
                pct_age_0_15=round(young, 1),
                pct_age_15_25=round(teen, 1),
                pct_age_25_45=round(mid, 1),
                pct_age_45_65=round(older, 1),
                pct_age_65_plus=round(old, 1),
                pct_single_person_households=round(rng.uniform(20, 60), 1),
                population_density=round(rng.uniform(500, 12_000)),
                income_per_inhabitant=round(rng.uniform(20, 50), 1),
                source="bench/generate.py",
            )
        )
    return len(bulk_insert(Kerncijfers, objs, desc="kerncijfers", show=show))


def residents_create(
    rng: random.Random,
    wijken: list[Any],
    *,
    count: int,
    show: bool,
) -> dict[int, list[int]]:
    """Residents (role bewoner) spread over the wijken by a mild skew; every wijk gets
    at least one. One unusable password string for all: hashing 100,000 times would
    take minutes and proves nothing."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Role, User

    password = make_password(None)
    weights = skewed_weights(rng, [w.pk for w in wijken], exponent=0.5)
    wijk_ids = list(weights)
    cum = list(weights.values())
    chosen = wijk_ids + rng.choices(
        wijk_ids, weights=cum, k=max(0, count - len(wijk_ids))
    )
    joined = NOW - timedelta(days=3 * 365)
    objs = [
        User(
            email=f"bewoner{i}@bench.example",
            display_name=f"{rng.choice(FIRST_NAMES)} {i}",
            role=Role.BEWONER,
            wijk_id=wijk_id,
            password=password,
            date_joined=joined + timedelta(minutes=i),
        )
        for i, wijk_id in enumerate(chosen[:count])
    ]
    by_wijk: dict[int, list[int]] = {w.pk: [] for w in wijken}
    for u in bulk_insert(User, objs, desc="residents", show=show):
        by_wijk[u.wijk_id].append(u.pk)
    return by_wijk


def initiative_text(rng: random.Random, place: str) -> tuple[str, str, str, list[str]]:
    """A title, summary, description and theme codes, in plain Dutch."""
    stem, what, themes = rng.choice(ACTIVITIES)
    audience = rng.choice(AUDIENCES)
    title = f"{stem} {audience} in {place}".replace("  ", " ")[:120]
    summary = f"Wij starten {what} {audience}.".replace("  ", " ")[:280]
    description = " ".join(
        [
            rng.choice(WHY),
            f"Daarom willen we {what} in {place}.",
            *rng.sample(HOW, k=2),
        ]
    )
    return title, summary, description, themes


def initiatives_create(
    rng: random.Random,
    wijken: list[Any],
    *,
    count: int,
    weights: dict[int, float],
    residents_by_wijk: dict[int, list[int]],
    buurten_by_wijk: dict[int, list[int]],
    show: bool,
) -> tuple[list[int], dict[int, list[str]]]:
    """Initiatives, many in a few busy wijken. Returns their ids and theme codes."""
    from initiatieven.models import Initiatief

    names = {w.pk: w.name for w in wijken}
    wijk_ids = list(weights)
    chosen = rng.choices(wijk_ids, weights=list(weights.values()), k=count)
    statuses = list(STATUS_WEIGHTS)
    status_weights = list(STATUS_WEIGHTS.values())
    all_residents = [pk for ids in residents_by_wijk.values() for pk in ids]
    objs, themes = [], []
    for wijk_id in chosen:
        title, summary, description, codes = initiative_text(rng, names[wijk_id])
        local = residents_by_wijk.get(wijk_id) or all_residents
        buurten = buurten_by_wijk.get(wijk_id) or []
        created = NOW - timedelta(seconds=rng.randint(0, 3 * 365 * 86400))
        objs.append(
            Initiatief(
                title=title,
                summary=summary,
                description=description,
                wijk_id=wijk_id,
                buurt_id=rng.choice(buurten)
                if buurten and rng.random() < 0.7
                else None,
                status=rng.choices(statuses, weights=status_weights)[0],
                owner_id=rng.choice(local),
                where=f"Buurthuis {names[wijk_id]}" if rng.random() < 0.5 else "",
                when=rng.choice(
                    ["Elke zaterdag", "Eens per maand", "Op woensdagmiddag", ""]
                ),
                is_hidden=rng.random() < 0.01,
                created_at=created,
            )
        )
        themes.append(codes)
    with auto_now_add_off(Initiatief, "created_at"):
        created_objs = bulk_insert(Initiatief, objs, desc="initiatives", show=show)
    ids = [i.pk for i in created_objs]
    return ids, dict(zip(ids, themes, strict=True))


def themas_assign(
    rng: random.Random, themes_by_initiative: dict[int, list[str]], *, show: bool
) -> int:
    from initiatieven.models import Initiatief, Thema

    thema_ids = dict(Thema.objects.values_list("code", "pk"))
    if not thema_ids:
        raise SystemExit("No themes: migrate the database first (initiatieven 0002).")
    Through = Initiatief.themas.through
    rows = []
    for initiatief_id, codes in themes_by_initiative.items():
        picked = [c for c in codes if c in thema_ids and rng.random() < 0.8] or codes[
            :1
        ]
        rows.extend(
            Through(initiatief_id=initiatief_id, thema_id=thema_ids[c])
            for c in picked
            if c in thema_ids
        )
    return len(bulk_insert(Through, rows, desc="themes", show=show))


def needs_create(rng: random.Random, initiative_ids: list[int], *, show: bool) -> int:
    from initiatieven.models import Behoefte

    kinds = list(NEED_TEXTS)
    rows = []
    for initiatief_id in initiative_ids:
        for kind in rng.sample(kinds, k=rng.choices([0, 1, 2, 3], [30, 35, 25, 10])[0]):
            rows.append(
                Behoefte(
                    initiatief_id=initiatief_id,
                    kind=kind,
                    description=rng.choice(NEED_TEXTS[kind]),
                    is_met=rng.random() < 0.3,
                )
            )
    return len(bulk_insert(Behoefte, rows, desc="needs", show=show))


def co_organisers_create(
    rng: random.Random,
    initiative_ids: list[int],
    *,
    owners: dict[int, int],
    wijk_of: dict[int, int],
    residents_by_wijk: dict[int, list[int]],
    show: bool,
) -> int:
    from initiatieven.models import Initiatief

    Through = Initiatief.co_organisers.through
    rows = []
    for initiatief_id in initiative_ids:
        if rng.random() >= 0.15:
            continue
        local = residents_by_wijk[wijk_of[initiatief_id]]
        for user_id in set(rng.sample(local, k=min(len(local), rng.randint(1, 2)))):
            if user_id != owners[initiatief_id]:
                rows.append(Through(initiatief_id=initiatief_id, user_id=user_id))
    return len(bulk_insert(Through, rows, desc="co-organisers", show=show))


def participations_create(
    rng: random.Random,
    initiative_ids: list[int],
    *,
    wijk_of: dict[int, int],
    weights: dict[int, float],
    residents_by_wijk: dict[int, list[int]],
    show: bool,
) -> int:
    """'Ik doe mee' and 'ik steun dit' by residents of the same wijk, heavy-tailed:
    most initiatives have a handful, a few have hundreds; busy wijken get more."""
    from initiatieven.models import Deelname, DeelnameKind

    top = max(weights.values())
    rows = []
    for initiatief_id in initiative_ids:
        wijk_id = wijk_of[initiatief_id]
        local = residents_by_wijk[wijk_id]
        busy = 1 + 2 * weights[wijk_id] / top
        wanted = int(min(400, (rng.paretovariate(1.3) - 1) * 4 * busy))
        for user_id in rng.sample(local, k=min(len(local), wanted)):
            kind = DeelnameKind.DOE_MEE if rng.random() < 0.65 else DeelnameKind.STEUN
            rows.append(
                Deelname(
                    user_id=user_id,
                    initiatief_id=initiatief_id,
                    kind=kind,
                    show_name=rng.random() < 0.4,
                )
            )
    return len(bulk_insert(Deelname, rows, desc="participations", show=show))


# --- all together ---------------------------------------------------------------------


def generate(sizes: Sizes, *, seed: int = 1, show: bool = True) -> Generated:
    """Everything, in one transaction; ANALYZE afterwards on PostgreSQL so the planner
    knows the new sizes."""
    from django.db import connection, transaction

    from initiatieven.models import Initiatief

    check_database(sizes)
    rng = random.Random(seed)
    out = Generated()
    with transaction.atomic():
        out.gemeenten = gemeenten_create(rng, count=sizes.gemeenten, show=show)
        out.wijken = wijken_create(
            rng, out.gemeenten, per_gemeente=sizes.wijken_per_gemeente, show=show
        )
        out.buurten_by_wijk = buurten_create(
            rng, out.wijken, per_wijk=sizes.buurten_per_wijk, show=show
        )
        out.counts["kerncijfers"] = kerncijfers_create(rng, out.wijken, show=show)
        out.residents_by_wijk = residents_create(
            rng, out.wijken, count=sizes.residents, show=show
        )
        out.wijk_weights = skewed_weights(rng, [w.pk for w in out.wijken], exponent=1.0)
        out.initiative_ids, themes = initiatives_create(
            rng,
            out.wijken,
            count=sizes.initiatives,
            weights=out.wijk_weights,
            residents_by_wijk=out.residents_by_wijk,
            buurten_by_wijk=out.buurten_by_wijk,
            show=show,
        )
        out.counts["themes"] = themas_assign(rng, themes, show=show)
        out.counts["needs"] = needs_create(rng, out.initiative_ids, show=show)
        rows = Initiatief.objects.filter(pk__in=out.initiative_ids).values_list(
            "pk", "wijk_id", "owner_id"
        )
        wijk_of = {pk: wijk_id for pk, wijk_id, _ in rows}
        owners = {pk: owner_id for pk, _, owner_id in rows}
        out.counts["co_organisers"] = co_organisers_create(
            rng,
            out.initiative_ids,
            owners=owners,
            wijk_of=wijk_of,
            residents_by_wijk=out.residents_by_wijk,
            show=show,
        )
        out.counts["participations"] = participations_create(
            rng,
            out.initiative_ids,
            wijk_of=wijk_of,
            weights=out.wijk_weights,
            residents_by_wijk=out.residents_by_wijk,
            show=show,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    out.counts.update(
        gemeenten=len(out.gemeenten),
        wijken=len(out.wijken),
        buurten=sum(len(b) for b in out.buurten_by_wijk.values()),
        residents=sum(len(r) for r in out.residents_by_wijk.values()),
        initiatives=len(out.initiative_ids),
    )
    return out


def add_size_arguments(parser: argparse.ArgumentParser, defaults: Sizes) -> None:
    parser.add_argument("--gemeenten", type=int, default=defaults.gemeenten)
    parser.add_argument(
        "--wijken-per-gemeente", type=int, default=defaults.wijken_per_gemeente
    )
    parser.add_argument(
        "--buurten-per-wijk", type=int, default=defaults.buurten_per_wijk
    )
    parser.add_argument("--residents", type=int, default=defaults.residents)
    parser.add_argument("--initiatives", type=int, default=defaults.initiatives)
    parser.add_argument("--seed", type=int, default=1)


def sizes_from(args: argparse.Namespace) -> Sizes:
    sizes = Sizes(
        gemeenten=args.gemeenten,
        wijken_per_gemeente=args.wijken_per_gemeente,
        buurten_per_wijk=args.buurten_per_wijk,
        residents=args.residents,
        initiatives=args.initiatives,
    )
    if min(sizes.gemeenten, sizes.wijken_per_gemeente, sizes.residents) < 1:
        raise SystemExit("Sizes must be at least 1 (buurten and initiatives may be 0).")
    return sizes


def timed(func: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_arguments(parser, Sizes())
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    sizes = sizes_from(args)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtwijs.settings")
    import django

    django.setup()
    seconds, out = timed(lambda: generate(sizes, seed=args.seed, show=not args.quiet))
    print(", ".join(f"{n:,} {name}" for name, n in out.counts.items()))
    print(f"generated in {seconds:.1f} s")


if __name__ == "__main__":
    main()

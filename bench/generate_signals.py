"""A million seeded signals for the roll-up benchmark, on top of bench/generate.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python \\
        bench/generate_signals.py [--signals 1000000] [--professionals 400] \\
        [--wijken-per-team 3] [size options of generate.py] [--seed 1]

First runs ``generate.generate()`` (gemeenten, wijken, buurten, residents, initiatives;
use ``--residents``/``--initiatives`` to keep that part small), then adds:

- wijkteams: per gemeente one team per ``--wijken-per-team`` wijken;
- professionals (role professional) in those teams, at least two per team, busier teams
  get more;
- signals: wijken drawn with the same Zipf-like weights as the initiatives (a few wijken
  get tens of thousands), ``observed_on`` over the two years before ``generate.NOW``
  (more in recent months; per wijk one theme is rising in the last eight weeks), texts
  composed per theme from the phrasing of bench/rollup_eval.csv (an opener such as
  "HB:" or "Tel. contact,", one to three clauses of the theme, a closer such as
  "Volgt.") with variation (abbreviations, typos, lower case), and about 12 % unrelated
  noise texts; each wijk has its own mix of 4 to 10 of the 14 themes. Category and
  target groups come from rows of the same theme (so themes cross categories), source,
  buurt (70 %), household estimate (30 %), author and team follow from the wijk; 0.5 %
  are withdrawn.

Signals and the doelgroepen M2M rows are written with PostgreSQL COPY (psycopg 3
``cursor.copy``); on another database (tests) with bulk_create. Same seed, same data.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import os
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import (  # noqa: E402
    FIRST_NAMES,
    NOW,
    Generated,
    Sizes,
    add_size_arguments,
    bulk_insert,
    generate,
    progress,
    sizes_from,
    timed,
)

EVAL_CSV = ROOT / "bench" / "rollup_eval.csv"
DAYS = 730  # two years of observed_on dates
COPY_CHUNK = 50_000
NOISE_SHARE = 0.12
WITHDRAWN_SHARE = 0.005
RISING_DAYS = 56

OPENERS = [
    "Tel. contact,", "Buurtcoach:", "Inloop:", "Via huisarts:", "Spreekuur:", "HB:",
    "Bij huisbezoek:", "Op straat gesproken,", "POH meldt:", "Hb:", "Dhr. [NAAM]",
    "Mw. [NAAM]", "Dhr.", "Mw.",
]  # fmt: skip
CLOSERS = [
    "Zorg om situatie.", "Doorverwezen.", "Nog geen actie.", "nb: 2e keer deze maand",
    "Volgt.", "Ik ga erachteraan.", "Casus besproken in overleg.",
    "Opvolgen ivm zorgen.", "Terugkoppelen z.s.m.", "Check volgende week.",
    "Afspraak gepland.",
]  # fmt: skip
# Written out → how professionals shorten it (applied per match, by chance).
ABBREVIATIONS = [
    ("niet", "nt"), ("mevrouw", "mw."), ("meneer", "dhr."), ("huisbezoek", "hb"),
    ("in verband met", "ivm"), ("zo snel mogelijk", "z.s.m."), ("met", "mt"),
    ("telefonisch", "tel."), ("jaar", "jr"), ("ongeveer", "ong."),
    ("praktijkondersteuner", "POH"), ("woningcorporatie", "corporatie"),
    ("badkamer", "badk."), ("nummer", "nr"), ("volgende", "vlgd"),
]  # fmt: skip
# Unrelated one-offs, mixed with clauses of the set's unlabelled rows.
NOISE_EXTRA = [
    "vraagt naar openingstijden gemeentehuis", "wil laptop doneren",
    "zoekt werk als schoonmaker", "klacht over kerkklokken", "vraagt naar seniorenbus",
    "wil vrijwilliger worden bij de bieb", "parkeervergunning verlopen",
    "vraagt naar zwemles volwassenen", "fiets gestolen bij station",
    "wil meedoen aan buurtfeest", "vraagt waar de milieustraat is",
    "hond blaft veel bij buren", "zoekt oppas voor woensdag",
]  # fmt: skip
WORD = re.compile(r"[A-Za-zÀ-ÿ]{5,}")


@dataclass
class Phrasebook:
    """The phrasing of bench/rollup_eval.csv, cut into reusable pieces."""

    labels: list[str]
    clauses: dict[str, list[str]]
    categories: dict[str, list[str]]
    target_groups: dict[str, list[tuple[str, ...]]]
    noise_clauses: list[str]
    noise_words: list[str]


def _strip_frame(text: str) -> str:
    lowered = text.lower()
    for opener in sorted(OPENERS, key=len, reverse=True):
        if lowered.startswith(opener.lower()):
            text = text[len(opener) :].strip()
            lowered = text.lower()
            break
    for closer in sorted(CLOSERS, key=len, reverse=True):
        if lowered.endswith(closer.lower()):
            text = text[: -len(closer)].strip().rstrip(".").strip()
            break
    return text


def phrasebook(path: Path = EVAL_CSV) -> Phrasebook:
    clauses: dict[str, set[str]] = defaultdict(set)
    categories: dict[str, list[str]] = defaultdict(list)
    targets: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            label = row["label"]
            core = _strip_frame(row["text"])
            for clause in re.split(r",\s+|\.\s+", core):
                clause = clause.strip(" .?")
                if len(clause) >= 4:
                    clauses[label].add(clause)
            categories[label].append(row["category"])
            targets[label].append(
                tuple(t for t in row.get("target_groups", "").split(";") if t)
            )
    noise = sorted(clauses.pop("", set()))
    words = sorted({w.lower() for c in noise + NOISE_EXTRA for w in WORD.findall(c)})
    labels = sorted(clauses)
    return Phrasebook(
        labels=labels,
        clauses={label: sorted(clauses[label]) for label in labels},
        categories=dict(categories),
        target_groups=dict(targets),
        noise_clauses=noise + NOISE_EXTRA,
        noise_words=words,
    )


def typo(rng: random.Random, word: str) -> str:
    """Swap, drop or double one letter, as fast typing does."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind < 0.7:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def vary(rng: random.Random, text: str) -> str:
    """Abbreviations, the odd typo and sometimes no capital: how notes look."""
    if rng.random() < 0.5:
        for long, short in ABBREVIATIONS:
            if long in text and rng.random() < 0.5:
                text = re.sub(rf"\b{long}\b", short, text)
    if rng.random() < 0.35:
        words = text.split(" ")
        candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        for i in rng.sample(candidates, k=min(len(candidates), rng.randint(1, 2))):
            words[i] = typo(rng, words[i])
        text = " ".join(words)
    if rng.random() < 0.2:
        text = text[:1].lower() + text[1:]
    return text


def frame(rng: random.Random, core: str) -> str:
    opener = rng.choice(OPENERS) + " " if rng.random() < 0.6 else ""
    closer = ". " + rng.choice(CLOSERS) if rng.random() < 0.55 else ""
    if opener and not opener.endswith(","):
        core = core[:1].lower() + core[1:]
    return f"{opener}{core}{closer}"


def theme_text(rng: random.Random, book: Phrasebook, label: str) -> str:
    pool = book.clauses[label]
    parts = rng.sample(pool, k=min(len(pool), rng.choices([1, 2, 3], [25, 50, 25])[0]))
    return vary(rng, frame(rng, ", ".join(parts)))[:1000]


def noise_text(rng: random.Random, book: Phrasebook) -> str:
    """One unrelated clause plus a few random words: unique enough not to be a theme."""
    words = rng.sample(book.noise_words, k=rng.randint(2, 5))
    core = f"{rng.choice(book.noise_clauses)}, {' '.join(words)}"
    return vary(rng, frame(rng, core))[:1000]


# --- teams and professionals ------------------------------------------------------------


@dataclass
class SignalSizes:
    signals: int = 1_000_000
    professionals: int = 400
    wijken_per_team: int = 3


@dataclass
class SignalsGenerated:
    team_of_wijk: dict[int, int] = field(default_factory=dict)
    members_of_team: dict[int, list[int]] = field(default_factory=dict)
    signals_by_wijk: dict[int, int] = field(default_factory=dict)
    first_id: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def teams_create(
    rng: random.Random, wijken: Sequence[Any], *, wijken_per_team: int, show: bool
) -> dict[int, int]:
    """Per gemeente one team per ``wijken_per_team`` wijken. Returns wijk → team."""
    from accounts.models import Team

    by_gemeente: dict[int, list[Any]] = defaultdict(list)
    for wijk in wijken:
        by_gemeente[wijk.gemeente_id].append(wijk)
    objs, covered = [], []
    for gemeente_id, own in sorted(by_gemeente.items()):
        for n, start in enumerate(range(0, len(own), wijken_per_team), start=1):
            objs.append(Team(name=f"Wijkteam {n}", gemeente_id=gemeente_id))
            covered.append(own[start : start + wijken_per_team])
    teams = bulk_insert(Team, objs, desc="teams", show=show)
    Through = Team.wijken.through
    rows = [
        Through(team_id=team.pk, wijk_id=wijk.pk)
        for team, group in zip(teams, covered, strict=True)
        for wijk in group
    ]
    bulk_insert(Through, rows, desc="team wijken", show=show)
    return {row.wijk_id: row.team_id for row in rows}


def professionals_create(
    rng: random.Random,
    team_weights: dict[int, float],
    *,
    count: int,
    show: bool,
) -> dict[int, list[int]]:
    """Professionals in teams: at least two per team (the engine's two-author rule),
    the rest by the square root of the team's share of the signals."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Role, Team, User

    team_ids = sorted(team_weights)
    count = max(count, 2 * len(team_ids))
    picks = [t for t in team_ids for _ in range(2)]
    roots = [math.sqrt(team_weights[t]) for t in team_ids]
    picks += rng.choices(team_ids, weights=roots, k=count - len(picks))
    password = make_password(None)
    joined = NOW - dt.timedelta(days=3 * 365)
    objs = [
        User(
            email=f"professional{i}@bench.example",
            display_name=f"{rng.choice(FIRST_NAMES)} P{i}",
            role=Role.PROFESSIONAL,
            password=password,
            date_joined=joined,
        )
        for i in range(count)
    ]
    users = bulk_insert(User, objs, desc="professionals", show=show)
    members: dict[int, list[int]] = defaultdict(list)
    for team_id, user in zip(picks, users, strict=True):
        members[team_id].append(user.pk)
    Through = Team.members.through
    bulk_insert(
        Through,
        [Through(team_id=t, user_id=u) for t, ids in members.items() for u in ids],
        desc="team members",
        show=show,
    )
    return dict(members)


# --- signals ----------------------------------------------------------------------------


SIGNAAL_COLUMNS = (
    "id", "wijk_id", "buurt_id", "categorie_id", "bron_id", "text", "scrub_summary",
    "households_estimate", "observed_on", "author_id", "team_id", "created_at",
    "updated_at", "withdrawn_at", "withdrawn_reason",
)  # fmt: skip


@dataclass
class WijkMix:
    labels: list[str]
    weights: list[float]
    rising: str


def wijk_mixes(
    book: Phrasebook, wijk_ids: Sequence[int], *, seed: int
) -> dict[int, WijkMix]:
    """Each wijk its own 4 to 10 themes, Zipf-weighted, one of them rising lately.
    Seeded per wijk, so signals added later follow the same mix."""
    mixes = {}
    for wijk_id in wijk_ids:
        rng = random.Random(f"mix-{seed}-{wijk_id}")
        labels = rng.sample(book.labels, k=rng.randint(4, min(10, len(book.labels))))
        weights = [1.0 / rank for rank in range(1, len(labels) + 1)]
        mixes[wijk_id] = WijkMix(labels, weights, rng.choice(labels))
    return mixes


def signal_rows(
    rng: random.Random,
    book: Phrasebook,
    *,
    count: int,
    first_id: int,
    wijk_weights: dict[int, float],
    team_of_wijk: dict[int, int],
    members_of_team: dict[int, list[int]],
    buurten_by_wijk: dict[int, list[int]],
    days: int = DAYS,
    seed: int = 1,
) -> Iterator[tuple[tuple[Any, ...], list[int]]]:
    """(signal row in SIGNAAL_COLUMNS order, doelgroep ids), ``count`` of them,
    observed in the ``days`` before ``NOW``."""
    from signalen.models import Bron, Categorie, Doelgroep

    categories = dict(Categorie.objects.values_list("code", "pk"))
    doelgroepen = dict(Doelgroep.objects.values_list("code", "pk"))
    bronnen = sorted(Bron.objects.values_list("pk", flat=True))
    if not (categories and doelgroepen and bronnen):
        raise SystemExit("No taxonomy: migrate the database first (signalen 0002).")
    bron_weights = [rng.uniform(0.5, 4) for _ in bronnen]
    wijk_ids = sorted(wijk_weights)
    chosen = rng.choices(wijk_ids, weights=[wijk_weights[w] for w in wijk_ids], k=count)
    mixes = wijk_mixes(book, wijk_ids, seed=seed)
    # Within a team some professionals write much more than others.
    author_weights = {
        t: [1.0 / rank for rank in range(1, len(ids) + 1)]
        for t, ids in members_of_team.items()
    }
    all_categories = sorted(categories)
    all_groups = sorted(doelgroepen)
    today = NOW.date()
    for n, wijk_id in enumerate(chosen):
        mix = mixes[wijk_id]
        if rng.random() < NOISE_SHARE:
            label = ""
            text = noise_text(rng, book)
            category = rng.choice(all_categories)
            groups: tuple[str, ...] = tuple(rng.sample(all_groups, rng.randint(0, 2)))
        else:
            label = rng.choices(mix.labels, weights=mix.weights)[0]
            text = theme_text(rng, book, label)
            category = rng.choice(book.categories[label])
            groups = rng.choice(book.target_groups[label])
        if label and label == mix.rising and rng.random() < 0.4:
            days_ago = rng.randint(0, min(days, RISING_DAYS))
        else:  # adoption grows: more signals in recent months
            days_ago = int(days * rng.random() ** 1.3)
        observed = today - dt.timedelta(days=days_ago)
        created = min(
            NOW,
            dt.datetime.combine(observed, dt.time(8), tzinfo=dt.UTC)
            + dt.timedelta(minutes=rng.randint(0, 72 * 60)),
        )
        team_id = team_of_wijk[wijk_id]
        buurten = buurten_by_wijk.get(wijk_id) or []
        withdrawn = rng.random() < WITHDRAWN_SHARE
        row = (
            first_id + n,
            wijk_id,
            rng.choice(buurten) if buurten and rng.random() < 0.7 else None,
            categories[category],
            rng.choices(bronnen, weights=bron_weights)[0],
            text,
            "{}",
            rng.randint(1, 20) if rng.random() < 0.3 else None,
            observed,
            rng.choices(members_of_team[team_id], weights=author_weights[team_id])[0],
            team_id,
            created,
            created,
            created + dt.timedelta(days=1) if withdrawn else None,
            "Dubbel gemeld" if withdrawn else "",
        )
        yield row, [doelgroepen[g] for g in groups if g in doelgroepen]


def _reserve_ids(count: int) -> int:
    """The first of ``count`` fresh signal ids (the sequence moves past them)."""
    from django.db import connection

    from signalen.models import Signaal

    table = Signaal._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            first = int(cursor.fetchone()[0])
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                [table, first + count - 1],
            )
            return first
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return int(cursor.fetchone()[0]) + 1


def _write_copy(rows: list[tuple[Any, ...]], links: list[tuple[int, int]]) -> None:
    from django.db import connection

    from signalen.models import Signaal

    through = Signaal.doelgroepen.through._meta.db_table
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg 3 cursor underneath
        columns = ", ".join(SIGNAAL_COLUMNS)
        with cursor.copy(
            f"COPY {Signaal._meta.db_table} ({columns}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        with cursor.copy(
            f"COPY {through} (signaal_id, doelgroep_id) FROM STDIN"
        ) as copy:
            for link in links:
                copy.write_row(link)


def _write_orm(rows: list[tuple[Any, ...]], links: list[tuple[int, int]]) -> None:
    from signalen.models import Signaal

    objs = []
    for row in rows:
        values = dict(zip(SIGNAAL_COLUMNS, row, strict=True))
        values["scrub_summary"] = {}
        objs.append(Signaal(**values))
    with_dates = [
        Signaal._meta.get_field(name) for name in ("created_at", "updated_at")
    ]
    before = [(f.auto_now_add, f.auto_now) for f in with_dates]  # type: ignore[union-attr]
    for f in with_dates:
        f.auto_now_add = f.auto_now = False  # type: ignore[union-attr]
    try:
        Signaal.objects.bulk_create(objs, batch_size=500)
    finally:
        for f, (add, now) in zip(with_dates, before, strict=True):
            f.auto_now_add, f.auto_now = add, now  # type: ignore[union-attr]
    Through = Signaal.doelgroepen.through
    Through.objects.bulk_create(
        [Through(signaal_id=s, doelgroep_id=d) for s, d in links], batch_size=500
    )


def signals_create(
    rng: random.Random,
    book: Phrasebook,
    *,
    count: int,
    wijk_weights: dict[int, float],
    team_of_wijk: dict[int, int],
    members_of_team: dict[int, list[int]],
    buurten_by_wijk: dict[int, list[int]],
    show: bool,
    desc: str = "signals",
    days: int = DAYS,
    seed: int = 1,
) -> tuple[int, dict[int, int], int]:
    """Write ``count`` signals (COPY on PostgreSQL). Returns (first id, signals per
    wijk, doelgroep links)."""
    from django.db import connection

    write = _write_copy if connection.vendor == "postgresql" else _write_orm
    first_id = _reserve_ids(count)
    per_wijk: dict[int, int] = defaultdict(int)
    rows: list[tuple[Any, ...]] = []
    links: list[tuple[int, int]] = []
    total_links = 0
    generated = signal_rows(
        rng,
        book,
        count=count,
        first_id=first_id,
        wijk_weights=wijk_weights,
        team_of_wijk=team_of_wijk,
        members_of_team=members_of_team,
        buurten_by_wijk=buurten_by_wijk,
        days=days,
        seed=seed,
    )
    with progress(count, desc, show) as bar:
        for row, groups in generated:
            rows.append(row)
            links.extend((row[0], g) for g in groups)
            per_wijk[row[1]] += 1
            if len(rows) == COPY_CHUNK:
                write(rows, links)
                bar.update(len(rows))
                total_links += len(links)
                rows, links = [], []
        if rows:
            write(rows, links)
            bar.update(len(rows))
            total_links += len(links)
    return first_id, dict(per_wijk), total_links


def signals(
    base: Generated,
    sizes: SignalSizes,
    *,
    seed: int = 1,
    show: bool = True,
) -> SignalsGenerated:
    """Teams, professionals and signals for the wijken of ``base``, in one transaction;
    ANALYZE afterwards on PostgreSQL."""
    from django.db import connection, transaction

    rng = random.Random(f"signals-{seed}")
    book = phrasebook()
    out = SignalsGenerated()
    with transaction.atomic():
        out.team_of_wijk = teams_create(
            rng, base.wijken, wijken_per_team=sizes.wijken_per_team, show=show
        )
        team_weights: dict[int, float] = defaultdict(float)
        for wijk_id, team_id in out.team_of_wijk.items():
            team_weights[team_id] += base.wijk_weights[wijk_id]
        out.members_of_team = professionals_create(
            rng, dict(team_weights), count=sizes.professionals, show=show
        )
        out.first_id, out.signals_by_wijk, links = signals_create(
            rng,
            book,
            count=sizes.signals,
            wijk_weights=base.wijk_weights,
            team_of_wijk=out.team_of_wijk,
            members_of_team=out.members_of_team,
            buurten_by_wijk=base.buurten_by_wijk,
            show=show,
            seed=seed,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    out.counts = {
        "teams": len(out.members_of_team),
        "professionals": sum(len(m) for m in out.members_of_team.values()),
        "signals": sum(out.signals_by_wijk.values()),
        "doelgroep_links": links,
        "busiest_wijk_signals": max(out.signals_by_wijk.values(), default=0),
    }
    return out


def check_signal_database(sizes: SignalSizes) -> None:
    from django.db import connection

    from bench.generate import SQLITE_MAX_ROWS

    if connection.vendor != "postgresql" and sizes.signals > SQLITE_MAX_ROWS:
        raise SystemExit(
            f"{sizes.signals:,} signals need PostgreSQL: set DATABASE_URL (and migrate)."
        )


def add_signal_arguments(
    parser: argparse.ArgumentParser, defaults: SignalSizes
) -> None:
    parser.add_argument("--signals", type=int, default=defaults.signals)
    parser.add_argument("--professionals", type=int, default=defaults.professionals)
    parser.add_argument("--wijken-per-team", type=int, default=defaults.wijken_per_team)


def signal_sizes_from(args: argparse.Namespace) -> SignalSizes:
    sizes = SignalSizes(
        signals=args.signals,
        professionals=args.professionals,
        wijken_per_team=args.wijken_per_team,
    )
    if sizes.signals < 0 or sizes.wijken_per_team < 1:
        raise SystemExit("--signals must be ≥ 0 and --wijken-per-team ≥ 1.")
    return sizes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_arguments(parser, Sizes(residents=1000, initiatives=0))
    add_signal_arguments(parser, SignalSizes())
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    sizes = sizes_from(args)
    signal_sizes = signal_sizes_from(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtwijs.settings")
    import django

    django.setup()
    check_signal_database(signal_sizes)
    show = not args.quiet
    seconds, base = timed(lambda: generate(sizes, seed=args.seed, show=show))
    print(", ".join(f"{n:,} {name}" for name, n in base.counts.items()))
    print(f"base data generated in {seconds:.1f} s")
    seconds, out = timed(lambda: signals(base, signal_sizes, seed=args.seed, show=show))
    print(", ".join(f"{n:,} {name}" for name, n in out.counts.items()))
    print(f"signals generated in {seconds:.1f} s")


if __name__ == "__main__":
    main()

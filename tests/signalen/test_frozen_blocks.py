"""A published 4-week block never changes (#15 item 4).

The attack: read every count that leaves the team (the API, the dated open-data files,
the officer's dashboard and its CSV/XLSX exports, the public wijk page), then do one
thing a professional, a job or an administrator can do (log a signal dated back, edit a
signal, withdraw it, delete it, run the retention job, delete the author's account, run
the roll-up), and read again. Before this fix a signal counted in the block of the day
it was SEEN, up to a year back, so one back-dated signal moved an old block by one and
told the reader so. Now a signal counts in the block in which it was LOGGED and what a
block counts is frozen when it ends (signalen.intake.facts): every read is the same.

The clock stands on the first morning of a block (Monday 2 November 2026), so a signal
logged on Sunday evening, in the block that just ended, can still be edited or
withdrawn by its author (24 hours): the hardest case.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from openpyxl import load_workbook

from opendata import builds
from signalen.intake import services
from signalen.intake.queries import wijk_block_totals
from signalen.intake.scrub.types import ScrubResult
from signalen.kanon import Period, block_start
from signalen.models import (
    Bron,
    Categorie,
    Doelgroep,
    Signaal,
    SignaalFeit,
    SignaalTelling,
)
from signalen.themes.runs import rollup_wijk
from tests.conftest import AMSTERDAM, mfa_client
from tests.factories import BuurtFactory, KerncijfersFactory

# Monday 2 November 2026 10:00, the first day of the block 2 - 29 November.
NOW = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=AMSTERDAM)
LAST_SUNDAY = datetime.datetime(2026, 11, 1, 20, 0, tzinfo=AMSTERDAM)

pytestmark = [
    pytest.mark.parametrize("frozen_now", [NOW], indirect=True),
    pytest.mark.usefixtures("frozen_now"),
]


def fake_scrub(text, *, timeout=10.0, keep=()):
    return ScrubResult(text=text, removals=())


@pytest.fixture(autouse=True)
def _scrubber_and_no_queue(settings, monkeypatch):
    # The intake saves sealed and does not scrub in the request any more.
    monkeypatch.setattr(services, "text_scrub", fake_scrub, raising=False)
    settings.ROLLUP_AFTER_INTAKE = False
    settings.K_ANONYMITY = 5


@pytest.fixture
def buurten(wijk):
    noord = BuurtFactory(code="BU04390101", name="Noord", wijk=wijk)
    zuid = BuurtFactory(code="BU04390102", name="Zuid", wijk=wijk)
    KerncijfersFactory(code=wijk.code, level="wijk", inhabitants=8000)
    return noord, zuid


def log(author, wijk, *, at, categorie="eenzaamheid", buurt=None, groups=(), seen=None):
    """Log one signal through the intake service with the clock at `at`."""
    import time_machine

    with time_machine.travel(at, tick=False):
        signaal, _result = services.signaal_create(
            author=author,
            wijk=wijk,
            categorie=Categorie.objects.get(code=categorie),
            bron=Bron.objects.get(code="huisbezoek"),
            text="Ouderen komen de deur niet uit.",
            observed_on=seen or timezone.localdate(),
            buurt=buurt,
            doelgroepen=list(Doelgroep.objects.filter(code__in=groups)),
        )
    return signaal


@pytest.fixture
def history(wijk, buurten, team, professional, colleague):
    """Three whole blocks of signals logged as they came in (9 Aug - 1 Nov 2026), the
    last of them on Sunday evening, the last hour of the block that just ended."""
    noord, zuid = buurten
    team.report_shared = True
    team.save(update_fields=["report_shared"])
    made = []
    for block in range(3):
        start = datetime.datetime(
            2026, 8, 10, 9, 0, tzinfo=AMSTERDAM
        ) + datetime.timedelta(weeks=4 * block)
        for i in range(12):
            made.append(
                log(
                    professional if i % 2 else colleague,
                    wijk,
                    at=start + datetime.timedelta(days=2 * i, hours=i % 5),
                    categorie="eenzaamheid" if i % 3 else "wonen-woonoverlast",
                    buurt=noord if i % 2 else zuid,
                    groups=("ouderen",) if i % 2 else (),
                )
            )
    sunday = log(
        professional,
        wijk,
        at=LAST_SUNDAY,
        buurt=noord,
        groups=("ouderen",),
    )
    rollup_wijk(wijk)
    return made, sunday


# --- What leaves the team -----------------------------------------------------------


def _api(client, path):
    cache.clear()  # never a cached answer: the counts are computed again
    response = client.get(path)
    assert response.status_code == 200
    data = response.json()
    data.pop("generated_at", None)
    return data


def _xlsx_values(content: bytes) -> list[tuple[str, list[tuple]]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [
        (sheet.title, [tuple(row) for row in sheet.iter_rows(values_only=True)])
        for sheet in book.worksheets
    ]


def _stamped(text: str) -> str:
    # When a page was made or the last roll-up ran is no count (and a run follows
    # every attack).
    text = re.sub(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?\S*", "<time>", text)
    return re.sub(r"\d{1,2} \w+ \d{4},? \d{2}:\d{2}", "<time>", text)


def _page_text(response) -> str:
    body = response.content.decode()
    body = re.sub(r'<input[^>]+name="csrfmiddlewaretoken"[^>]*>', "", body)
    return _stamped(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def everything_published(client, ambtenaar, wijk, gemeente) -> dict[str, object]:
    """Every count of the wijk's signals that leaves the team, as a reader gets it."""
    today = timezone.localdate()
    seen: dict[str, object] = {}
    for blocks in (1, 3, 6):
        seen[f"api wijk {blocks}"] = _api(
            client, f"/api/v1/wijken/{wijk.code}/signalen/?blocks={blocks}"
        )
        seen[f"api gemeente {blocks}"] = _api(
            client, f"/api/v1/gemeenten/{gemeente.code}/signalen/?blocks={blocks}"
        )
    seen["api dates"] = _api(
        client,
        f"/api/v1/wijken/{wijk.code}/signalen/?start=2026-08-10&end=2026-11-01",
    )
    for dataset in (builds.SIGNALEN_BLOKKEN_CSV, builds.SIGNALEN_WEKEN_CSV):
        seen[dataset.filename] = builds.dataset_bytes(dataset, gemeente, today=today)
    officer = mfa_client(client, ambtenaar)
    for query in ("", "?periode=6m", "?van=2026-08-10&tot=2026-11-01"):
        cache.clear()
        response = officer.get(f"/dashboard/wijk/{wijk.code}/{query}")
        assert response.status_code == 200
        context = response.context
        seen[f"dashboard {query}"] = _page_text(response)
        seen[f"dashboard figures {query}"] = repr(
            [context.get(key) for key in ("totals", "chart", "table", "buurten")]
        )
        cache.clear()
        csv = officer.get(f"/dashboard/wijk/{wijk.code}/export.csv{query}")
        assert csv.status_code == 200
        seen[f"csv {query}"] = csv.content
        cache.clear()
        xlsx = officer.get(f"/dashboard/wijk/{wijk.code}/export.xlsx{query}")
        assert xlsx.status_code == 200
        seen[f"xlsx {query}"] = _xlsx_values(xlsx.content)
    cache.clear()
    response = officer.get(f"/dashboard/{gemeente.code}/")
    assert response.status_code == 200
    seen["gemeente dashboard"] = _page_text(response)
    # The team report the team shares with the gemeente, as the officer reads it.
    period = "?van=2026-08-10&tot=2026-11-29"  # its last block is still running
    response = officer.get(f"/signalen/rapport/{wijk.code}/{period}")
    assert response.status_code == 200
    seen["shared report"] = _page_text(response)
    assert "verborgen" in seen["shared report"] or "Totaal" in seen["shared report"]
    report_csv = officer.get(f"/signalen/rapport/{wijk.code}/rapport.csv{period}")
    assert report_csv.status_code == 200
    seen["shared report csv"] = _stamped(report_csv.content.decode("utf-8-sig"))
    client.logout()
    cache.clear()
    public = client.get(f"/wijk/{wijk.code}/")
    assert public.status_code == 200
    seen["wijk page"] = _page_text(public)
    return seen


def assert_same(before: dict[str, object], after: dict[str, object]) -> None:
    assert before.keys() == after.keys()
    for key in before:
        assert after[key] == before[key], f"{key} changed"


# --- The attacks -------------------------------------------------------------------------


def back_dated(wijk, professional, history, **_):
    """A signal logged now, seen two months ago (in a published block)."""
    log(
        professional,
        wijk,
        at=timezone.now(),
        seen=timezone.localdate() - datetime.timedelta(days=60),
        groups=("ouderen",),
    )


def back_dated_a_year(wijk, professional, history, buurten, **_):
    """Dated back as far as the form allows, in a buurt of its own."""
    log(
        professional,
        wijk,
        at=timezone.now(),
        seen=timezone.localdate() - datetime.timedelta(days=365),
        categorie="wonen-woonoverlast",
        buurt=buurten[1],
    )


def edited(wijk, professional, history, buurten, **_):
    """Sunday's signal (last block, still editable): another buurt, category, groups."""
    _made, sunday = history
    services.signaal_update(
        signaal=sunday,
        actor=professional,
        categorie=Categorie.objects.get(code="wonen-woonoverlast"),
        bron=Bron.objects.get(code="straat-ontmoeting"),
        text="Schimmel in de badkamer.",
        observed_on=sunday.observed_on - datetime.timedelta(days=40),
        buurt=buurten[1],
        doelgroepen=list(Doelgroep.objects.filter(code="huurders")),
    )


def withdrawn(professional, history, **_):
    _made, sunday = history
    services.signaal_withdraw(signaal=sunday, actor=professional, reason="dubbel")


def deleted(history, **_):
    made, sunday = history
    Signaal.objects.filter(pk__in=[sunday.pk, made[0].pk, made[-1].pk]).delete()


def retention(**_):
    services.signal_text_wipe_expired(
        now=timezone.now() + datetime.timedelta(days=3000)
    )


def account_deactivated(professional, beheerder, **_):
    from privacy.services import staff_deactivate

    staff_deactivate(user=professional, by=beheerder)


def account_deleted(professional, **_):
    """The author's account removed altogether (their signals stay, without author)."""
    type(professional).objects.filter(pk=professional.pk).delete()


ATTACKS = [
    back_dated,
    back_dated_a_year,
    edited,
    withdrawn,
    deleted,
    retention,
    account_deactivated,
    account_deleted,
]


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.__name__ for a in ATTACKS])
def test_nothing_published_moves_after(
    attack, client, ambtenaar, beheerder, wijk, gemeente, professional, buurten, history
):
    before = everything_published(client, ambtenaar, wijk, gemeente)
    facts_before = sorted(
        SignaalFeit.objects.filter(week__lt=block_start(timezone.localdate()))
        .values_list("pk", "wijk_id", "buurt_id", "categorie_id", "week")
        .order_by("pk")
    )

    attack(
        wijk=wijk,
        professional=professional,
        beheerder=beheerder,
        history=history,
        buurten=buurten,
    )
    rollup_wijk(wijk)  # and the roll-up that follows any change

    assert_same(before, everything_published(client, ambtenaar, wijk, gemeente))
    # The facts of the blocks that are over are all still there, unchanged.
    assert (
        sorted(
            SignaalFeit.objects.filter(week__lt=block_start(timezone.localdate()))
            .values_list("pk", "wijk_id", "buurt_id", "categorie_id", "week")
            .order_by("pk")
        )
        == facts_before
    )


def test_the_published_blocks_do_count_the_signals(wijk, history):
    """Not frozen at nothing: the three blocks count what was logged in them
    (12, 12 and 13 with Sunday's), and the figures above do show."""
    period = Period.of_blocks(blocks=3, as_of=timezone.localdate())
    totals = wijk_block_totals(wijk_ids=[wijk.pk], period=period)[wijk.pk]
    assert [t.value for t in totals] == [12, 12, 13]


def test_a_signal_logged_today_shows_nowhere_until_its_block_is_over(
    client,
    ambtenaar,
    wijk,
    gemeente,
    professional,
    colleague,
    buurten,
    history,
    frozen_now,
):
    before = everything_published(client, ambtenaar, wijk, gemeente)
    # Twelve signals through this block, as in the blocks before it.
    for i in range(12):
        frozen_now.move_to(NOW + datetime.timedelta(days=2 * i, hours=i % 5))
        log(
            professional if i % 2 else colleague,
            wijk,
            at=timezone.now(),
            categorie="eenzaamheid" if i % 3 else "wonen-woonoverlast",
            buurt=buurten[i % 2],
            seen=timezone.localdate() - datetime.timedelta(days=i),
        )
    rollup_wijk(wijk)
    assert_same(before, everything_published(client, ambtenaar, wijk, gemeente))

    # The block is over on 30 November: now they count there, and only there.
    frozen_now.move_to(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=AMSTERDAM))
    period = Period.of_blocks(blocks=4, as_of=timezone.localdate())
    totals = wijk_block_totals(wijk_ids=[wijk.pk], period=period)[wijk.pk]
    assert [t.value for t in totals] == [12, 12, 13, 12]


def test_two_dated_open_data_files_agree_on_every_block_they_share(
    wijk, gemeente, professional, history, frozen_now
):
    """Yesterday's file and next month's file, with a signal dated back and Sunday's
    withdrawn in between: every block both files hold has the same row."""
    early = builds.dataset_bytes(
        builds.SIGNALEN_BLOKKEN_CSV, gemeente, today=timezone.localdate()
    )
    log(
        professional,
        wijk,
        at=timezone.now(),
        seen=timezone.localdate() - datetime.timedelta(days=30),
    )
    services.signaal_withdraw(signaal=history[1], actor=professional, reason="fout")
    frozen_now.move_to(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM))
    rollup_wijk(wijk)
    late = builds.dataset_bytes(
        builds.SIGNALEN_BLOKKEN_CSV, gemeente, today=timezone.localdate()
    )

    def rows(content: bytes) -> dict[str, str]:
        lines = content.decode("utf-8-sig").splitlines()
        header = lines[0].split(",")
        at = header.index("block_start")
        return {
            f"{line.split(',')[0]} {line.split(',')[at]}": line for line in lines[1:]
        }

    early_rows, late_rows = rows(early), rows(late)
    shared = early_rows.keys() & late_rows.keys()
    assert len(shared) >= 3
    for key in shared:
        assert late_rows[key] == early_rows[key]


def test_k_anonymity_holds_on_the_frozen_counts(client, wijk, professional, colleague):
    """A block with fewer than K signals is hidden, and a signal dated back into it
    does not make it show (it counts in the running block instead)."""
    for i in range(3):
        log(
            professional if i % 2 else colleague,
            wijk,
            at=datetime.datetime(2026, 10, 12 + i, 9, 0, tzinfo=AMSTERDAM),
        )
    for _ in range(3):
        log(
            professional,
            wijk,
            at=timezone.now(),
            seen=datetime.date(2026, 10, 20),
        )
    rollup_wijk(wijk)
    data = _api(client, f"/api/v1/wijken/{wijk.code}/signalen/?blocks=1")
    assert data["total"] == {"count": None, "hidden": True, "reason": "k_anonymity"}
    assert SignaalTelling.objects.filter(
        wijk=wijk, buurt=None, doelgroep=None, week__gte=datetime.date(2026, 11, 2)
    ).exists()


def test_the_shared_report_counts_whole_blocks_logged_as_the_chart_does(
    wijk, team, ambtenaar, professional, history
):
    """The team report as the gemeente reads it: only the blocks that are over, each
    signal in the block it was logged in, a category only where the chart shows it
    on its own; a signal logged today (dated in the period) is not in it."""
    from signalen.goals.report import team_report

    def report():
        return team_report(
            wijk=wijk,
            user=ambtenaar,
            date_from=datetime.date(2026, 8, 10),
            date_to=timezone.localdate(),
            sharing_team_ids=[team.pk],
        )

    before = report()
    assert before.first_week == datetime.date(2026, 8, 10)
    assert before.categories_until == datetime.date(2026, 11, 1)
    assert before.categories_total.value == 37
    log(professional, wijk, at=timezone.now(), seen=datetime.date(2026, 8, 20))
    after = report()
    assert after.categories == before.categories
    assert after.categories_total == before.categories_total
    # The team's own report counts by week too, and is the team's.
    own = team_report(
        wijk=wijk,
        user=professional,
        date_from=datetime.date(2026, 8, 10),
        date_to=timezone.localdate(),
    )
    assert own.categories_until is None


def test_the_data_migration_fills_facts_and_counts_by_week_logged(
    wijk, team, professional, buurten
):
    """Signals from before the facts: each live one gets a fact in the week it was
    logged (not seen), with its groups; the counts are made again from them."""
    import importlib

    from django.apps import apps
    from django.db import connection

    from tests.signalen.helpers import make_signaal

    migration = importlib.import_module("signalen.migrations.0013_signaal_feit_fill")
    ouderen = Doelgroep.objects.get(code="ouderen")
    logged = datetime.datetime(2026, 10, 14, 9, 0, tzinfo=AMSTERDAM)  # a Wednesday
    kept = [
        make_signaal(
            author=professional,
            team=team,
            observed_on=datetime.date(2026, 3, 1),
            created_at=logged,
            buurt=buurten[0],
            doelgroepen=[ouderen],
        )
        for _ in range(2)
    ]
    make_signaal(
        author=professional,
        team=team,
        created_at=logged,
        withdrawn_at=timezone.now(),
    )
    SignaalFeit.objects.all().delete()
    SignaalTelling.objects.create(
        wijk=wijk,
        categorie=Categorie.objects.get(code="eenzaamheid"),
        week=datetime.date(2026, 2, 23),
        count=2,
    )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.facts_fill(apps, editor)

    facts = SignaalFeit.objects.order_by("signaal_id")
    assert [f.signaal_id for f in facts] == [s.pk for s in kept]
    assert {f.week for f in facts} == {datetime.date(2026, 10, 12)}
    assert all(list(f.doelgroepen.all()) == [ouderen] for f in facts)
    counts = set(
        SignaalTelling.objects.values_list(
            "buurt__code", "doelgroep__code", "week", "count"
        )
    )
    week = datetime.date(2026, 10, 12)
    assert counts == {
        (None, None, week, 2),
        ("BU04390101", None, week, 2),
        (None, "ouderen", week, 2),
    }


# --- Theme sizes and trends outside the team (#15 item 4) -----------------------------
#
# A run, a correction of the team and the 180-day window change which signals a theme
# holds; what a theme showed outside the team for a block that is over must not move.


@pytest.fixture
def shared_themes(wijk, history):
    """The themes the history made, named by the team and shared with the gemeente
    (only then do they leave the team)."""
    from signalen.intake.sealing import unseal
    from signalen.models import ThemaZichtbaarheid, WijkThema

    # Scrubbed as the scrub worker would (a stand-in scrubber that keeps the text).
    texts = [
        "Ouderen komen de deur niet uit, eenzaam en geen bezoek.",
        "Oudere buurvrouw eenzaam, komt de deur niet meer uit.",
        "Eenzame ouderen in de flat, niemand komt langs.",
    ]
    for n, signaal in enumerate(Signaal.objects.filter(wijk=wijk).order_by("pk")):
        if signaal.text_sealed is not None:
            unseal(signaal.text_sealed)
        Signaal.objects.filter(pk=signaal.pk).update(
            text=texts[n % 3], text_sealed=None, scrub_pending=False
        )
    rollup_wijk(wijk, recluster=True)
    themes = list(WijkThema.objects.filter(wijk=wijk, is_current=True).order_by("pk"))
    assert themes, "the history makes at least one theme"
    for n, thema in enumerate(themes):
        thema.name = f"Eenzame ouderen {n + 1}"
        thema.visibility = ThemaZichtbaarheid.GEMEENTE
        thema.save(update_fields=["name", "visibility", "updated_at"])
    return themes


def themes_published(client, ambtenaar, wijk, team, themes) -> dict[str, object]:
    """Every figure of the themes that leaves the team: the officer's theme rows
    (size, sparkline, trend), the sizes and trends the public pages, the API, the open
    data, the escalation snapshot and the size bands read (theme_outside_sizes), and
    the team report as the gemeente reads it."""
    from signalen.goals.report import team_report
    from signalen.themes.queries import (
        theme_outside_sizes,
        theme_outside_trends,
        themes_for_officer,
    )

    cache.clear()
    ids = [thema.pk for thema in themes]
    seen: dict[str, dict] = {
        "officer rows": {
            row.pk: (row.name, row.size, row.spark, row.trend, row.trend_label)
            for row in themes_for_officer(wijk=wijk, as_of=timezone.localdate())
        },
        "outside sizes": theme_outside_sizes(ids),
        "outside trends": theme_outside_trends(ids),
    }
    report = team_report(
        wijk=wijk,
        user=ambtenaar,
        date_from=datetime.date(2026, 8, 10),
        date_to=timezone.localdate(),
        sharing_team_ids=[team.pk],
    )
    seen["shared report"] = {
        line.pk: (line.name, line.size, line.trend, line.trend_label)
        for line in report.themes
    }
    return seen


def assert_same_themes(before: dict[str, dict], after: dict[str, dict]) -> None:
    """Every theme both reads show has the same figures (a run may close a theme or
    make a new one: which themes show is not a figure of a block)."""
    assert before["outside sizes"].keys() == after["outside sizes"].keys()
    for key in before:
        shared = before[key].keys() & after[key].keys()
        for pk in shared:
            assert after[key][pk] == before[key][pk], f"{key} of theme {pk} changed"


def members_leave_by_a_correction(wijk, professional, shared_themes, **_):
    """The team says three signals of the closed blocks do not belong in the theme."""
    from signalen.themes.corrections import signal_not_belong

    thema = shared_themes[0]
    for lid in thema.leden.select_related("signaal").order_by("signaal_id")[:3]:
        signal_not_belong(signaal=lid.signaal, thema=thema, actor=professional)


def split_by_the_team(wijk, professional, shared_themes, **_):
    """Half the theme split off into a new theme."""
    from signalen.themes.corrections import theme_split

    thema = shared_themes[0]
    members = [lid.signaal for lid in thema.leden.order_by("signaal_id")]
    theme_split(
        thema=thema,
        signalen=members[: len(members) // 2],
        actor=professional,
        name="Afgesplitst",
    )


def members_change_in_a_run(wijk, shared_themes, **_):
    """A run regroups the signals: half of the theme's members leave it and the run
    that follows finds them again (or not)."""
    from signalen.models import ThemaLid

    thema = shared_themes[0]
    gone = list(
        ThemaLid.objects.filter(thema=thema)
        .order_by("signaal_id")
        .values_list("pk", flat=True)
    )[::2]
    ThemaLid.objects.filter(pk__in=gone).delete()
    rollup_wijk(wijk, recluster=True)


def window_edge(wijk, settings, **_):
    """The window shrinks past the older blocks: their signals leave the themes."""
    settings.ROLLUP_PARAMS = {"window_days": 20}
    rollup_wijk(wijk, recluster=True)


THEME_ATTACKS = [
    members_leave_by_a_correction,
    split_by_the_team,
    members_change_in_a_run,
    window_edge,
    withdrawn,
    back_dated,
]


@pytest.mark.parametrize(
    "attack", THEME_ATTACKS, ids=[a.__name__ for a in THEME_ATTACKS]
)
def test_theme_figures_outside_the_team_never_move_for_blocks_that_are_over(
    attack,
    client,
    ambtenaar,
    wijk,
    team,
    professional,
    buurten,
    history,
    shared_themes,
    settings,
):
    before = themes_published(client, ambtenaar, wijk, team, shared_themes)
    sizes = before["outside sizes"]
    assert any(size.value for size in sizes.values()), "something shows"
    attack(
        wijk=wijk,
        professional=professional,
        history=history,
        buurten=buurten,
        shared_themes=shared_themes,
        settings=settings,
    )
    rollup_wijk(wijk)
    after = themes_published(client, ambtenaar, wijk, team, shared_themes)
    assert_same_themes(before, after)


def test_a_theme_block_is_fixed_when_first_shown_and_the_next_block_counts_later(
    wijk, professional, colleague, buurten, history, shared_themes, frozen_now
):
    """The running block shows nowhere; once it is over it is fixed from the members
    then, and a correction after that moves nothing any more."""
    from signalen.models import ThemaGepubliceerd
    from signalen.themes.corrections import signal_not_belong
    from signalen.themes.queries import theme_outside_sizes

    thema = shared_themes[0]
    first = theme_outside_sizes([thema.pk])[thema.pk]
    fixed = ThemaGepubliceerd.objects.get(thema=thema)
    assert fixed.through == datetime.date(2026, 11, 2)
    assert sum(fixed.counts.values()) == first.value
    for i in range(6):
        log(
            professional if i % 2 else colleague,
            wijk,
            at=NOW + datetime.timedelta(days=i, hours=1),
            buurt=buurten[0],
        )
    rollup_wijk(wijk)
    assert theme_outside_sizes([thema.pk])[thema.pk] == first  # not over yet
    # 30 November: the block is over and counts, from the members now.
    frozen_now.move_to(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=AMSTERDAM))
    thema.refresh_from_db()
    in_new_block = thema.leden.filter(
        signaal__feit__week__gte=datetime.date(2026, 11, 2)
    ).count()
    grown = theme_outside_sizes([thema.pk])[thema.pk]
    fixed.refresh_from_db()
    assert fixed.through == datetime.date(2026, 11, 30)
    assert fixed.counts.get("2026-11-02", 0) == in_new_block
    # The team takes one of them out afterwards: the fixed block keeps it.
    lid = thema.leden.filter(signaal__feit__week__gte=datetime.date(2026, 11, 2))
    if lid.exists():
        signal_not_belong(signaal=lid.first().signaal, thema=thema, actor=professional)
        rollup_wijk(wijk)
    assert theme_outside_sizes([thema.pk])[thema.pk] == grown


def test_two_readers_at_once_fix_one_figure_the_first(wijk, history, shared_themes):
    """Fixing is conditional: a second writer that read the row before the first
    wrote does not overwrite the block."""
    from signalen.models import ThemaGepubliceerd
    from signalen.themes.published import themes_publish

    thema = shared_themes[0]
    rows = themes_publish([thema.pk], until=datetime.date(2026, 10, 5))
    stale = rows[thema.pk]
    themes_publish([thema.pk], until=datetime.date(2026, 11, 2))
    fixed = dict(ThemaGepubliceerd.objects.get(thema=thema).counts)
    # The late writer still holds the old row: its conditional update finds nothing.
    assert not ThemaGepubliceerd.objects.filter(
        pk=thema.pk, through=stale.through
    ).update(counts={"2026-10-05": 999})
    assert ThemaGepubliceerd.objects.get(thema=thema).counts == fixed


# --- A signal committed in the last moments of a block (#15 item 4) -------------------


def test_a_signal_logged_in_the_last_minutes_of_a_block_counts_in_the_next(
    wijk, professional, buurten, history, frozen_now
):
    """A write that starts in the last BLOCK_GRACE of a block may commit after a
    reader read the block: it counts in the next block, so the block read is whole."""
    from signalen.intake.facts import BLOCK_GRACE, logged_week

    end = datetime.datetime(2026, 11, 2, 0, 0, tzinfo=AMSTERDAM)  # the block's end
    assert logged_week(end - datetime.timedelta(milliseconds=1)) == datetime.date(
        2026, 11, 2
    )
    assert logged_week(end - BLOCK_GRACE) == datetime.date(2026, 11, 2)
    assert logged_week(
        end - BLOCK_GRACE - datetime.timedelta(seconds=1)
    ) == datetime.date(2026, 10, 26)
    # Logged at Sunday 23:59:59.999, committed after midnight: the block that ended
    # keeps the 13 it had, and the new one has it.
    period = Period.of_blocks(blocks=3, as_of=timezone.localdate())
    read = wijk_block_totals(wijk_ids=[wijk.pk], period=period)[wijk.pk]
    late = log(
        professional,
        wijk,
        at=end - datetime.timedelta(milliseconds=1),
        buurt=buurten[0],
    )
    assert SignaalFeit.objects.get(signaal=late).week == datetime.date(2026, 11, 2)
    again = wijk_block_totals(wijk_ids=[wijk.pk], period=period)[wijk.pk]
    assert [t.value for t in again] == [t.value for t in read] == [12, 12, 13]
    # And the resync of the running block keeps it there.
    from signalen.intake.facts import facts_sync

    facts_sync(wijk=wijk)
    assert SignaalFeit.objects.get(signaal=late).week == datetime.date(2026, 11, 2)


def test_a_write_that_outlasts_the_grace_counts_nowhere_rather_than_move_a_block(
    wijk, professional, buurten, history
):
    """A signal whose block is over before its fact is written (a write of more than
    BLOCK_GRACE) is not counted: the block that was read never moves."""
    from signalen.intake.facts import fact_sync

    period = Period.of_blocks(blocks=3, as_of=timezone.localdate())
    read = wijk_block_totals(wijk_ids=[wijk.pk], period=period)[wijk.pk]
    signaal = history[1]
    SignaalFeit.objects.filter(signaal=signaal).delete()  # as if not written yet
    fact_sync(signaal=signaal, new=True)
    assert not SignaalFeit.objects.filter(signaal=signaal).exists()
    again = wijk_block_totals(wijk_ids=[wijk.pk], period=period)[wijk.pk]
    assert [t.value for t in again] == [t.value for t in read]


# --- A theme's size never grows by fewer than K between two block edges ----------------


def _at(day):
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=AMSTERDAM)


def test_a_themes_outside_size_grows_only_in_steps_of_k(
    client, wijk, team, professional, taxonomy, settings
):
    """Reproduces a hostile reader: 5 old signals, then one signal in each of two
    later blocks. Reading the public theme page (or the officer's size) at the edge
    of each block used to give 6, then 7: one signal pinned. Now the size waits until
    K more signals have come in, in one block or over several."""
    import time_machine
    from django.urls import reverse

    from signalen.kanon import BLOCK_SPAN
    from signalen.models import ThemaZichtbaarheid
    from signalen.themes.queries import released_total, theme_outside_sizes
    from tests.signalen.helpers import make_signaal, make_thema

    settings.K_ANONYMITY = 5
    b0 = block_start(datetime.date(2026, 6, 1))
    sigs = [
        make_signaal(
            author=professional,
            team=team,
            wijk=wijk,
            created_at=_at(b0 - BLOCK_SPAN * 20),
        )
        for _ in range(5)
    ]
    for n in (1, 2):
        sigs.append(
            make_signaal(
                author=professional,
                team=team,
                wijk=wijk,
                created_at=_at(b0 + BLOCK_SPAN * n + datetime.timedelta(days=3)),
            )
        )
    with time_machine.travel(_at(b0 - BLOCK_SPAN * 19), tick=False):
        thema = make_thema(
            wijk,
            signalen=sigs,
            size=7,
            visibility=ThemaZichtbaarheid.PUBLIEK,
            public_title="Veilig naar school",
            public_text="Wij zoeken ouders.",
            public_approved_at=timezone.now(),
        )
    seen = []
    for n in (1, 2, 3, 4):
        day = b0 + BLOCK_SPAN * n + datetime.timedelta(days=1)
        with time_machine.travel(_at(day), tick=False):
            cache.clear()
            size = theme_outside_sizes([thema.pk], as_of=day)[thema.pk]
            page = client.get(reverse("themas:detail", args=[thema.pk]))
            shown = re.search(r'bw-public-size">([^<]*)<', page.content.decode())
        seen.append((size.value, shown.group(1).strip() if shown else None))
    # (The first read hides the size: its table's hidden cells are all zero.)
    assert [value for value, _text in seen] == [None, 5, 5, 5]
    assert all("6" not in (text or "") and "7" not in (text or "") for _v, text in seen)
    # The release rule itself: small blocks wait in a pool until it holds K.
    blocks = {"2026-01-05": 5, "2026-02-02": 1, "2026-03-02": 2, "2026-03-30": 2}
    assert released_total(blocks, before=datetime.date(2026, 3, 2), k=5) == 5
    assert released_total(blocks, before=datetime.date(2026, 3, 30), k=5) == 5
    assert released_total(blocks, before=datetime.date(2026, 4, 27), k=5) == 10

"""Roll-up runs against the real ORM: thresholds, stable themes, counts, the lock, a
crash mid-run, the debounce after intake and the Celery tasks."""

from __future__ import annotations

import datetime
import threading
from collections import Counter

import pytest
from celery.exceptions import Retry
from django.db import connection, transaction
from django.utils import timezone

from outbox.models import OutboxTask
from signalen import tasks
from signalen.intake import schedule as rollup_schedule
from signalen.intake import services
from signalen.intake.schedule import pending_clear, rollup_schedule_after_intake
from signalen.intake.scrub.types import ScrubResult
from signalen.models import (
    Bron,
    Categorie,
    Doelgroep,
    RollupPending,
    RollupRun,
    Signaal,
    SignaalTelling,
    ThemaGebeurtenis,
    ThemaLid,
    ThemaStatus,
    ThemaZichtbaarheid,
    WijkThema,
)
from signalen.themes import runs as rollup_runs
from signalen.themes.runs import RollupBusy, lock_acquire, rollup_wijk
from tests.factories import BuurtFactory, WijkFactory
from tests.signalen.helpers import make_signaal

# Dates here are reckoned from today (blocks, weeks, deadlines): pin the clock.
pytestmark = pytest.mark.usefixtures("frozen_now")

SCHIMMEL = [
    "schimmel in slaapkamer kinderen, corporatie reageert niet",
    "zwarte schimmel badkamer, kind hoest al weken",
    "vocht en schimmel in huurwoning, astma zoontje erger",
    "schimmel op muren, corporatie doet niks aan vocht",
    "vochtplekken en schimmel, melding bij corporatie al 3x",
    "schimmel achter kast, benauwd, vocht in huurwoning",
    "kind vaak ziek, schimmel in kinderkamer, corporatie doet niks",
    "schimmelplekken keuken en badkamer, vocht in muren",
]
MEER_SCHIMMEL = [
    "weer schimmel in de badkamer, corporatie doet niks",
    "schimmel en vocht in slaapkamer huurwoning, kind hoest",
    "zwarte schimmel op muren, corporatie reageert niet op melding",
    "vocht in huurwoning, schimmel achter de kast",
    "schimmel kinderkamer, vochtplekken, corporatie doet niks",
]
EENZAAM = [
    "voelt zich eenzaam sinds buurthuis dicht is",
    "oudere alleen, eenzaam, mist de soos in buurthuis",
    "eenzaam sinds sluiting buurthuis, geen koffieochtend meer",
    "eenzaamheid, zit hele dag alleen, buurthuis gesloten",
    "mist ontmoetingsplek, buurthuis dicht, eenzaam",
    "eenzaam en alleen, kaartclub weg sinds buurthuis dicht",
    "oudere eenzaam, buurthuis gesloten, niemand komt langs",
    "eenzaam, ging altijd naar buurthuis, nu alleen thuis",
]
NOISE = [
    "vraag over parkeervergunning",
    "fietsenrek bij school kapot",
    "wil vrijwilligerswerk in bibliotheek",
]

TARGET_GROUP = {"wonen-woonoverlast": "huurders", "eenzaamheid": "ouderen"}


def add_signals(
    texts,
    *,
    team,
    authors,
    wijk=None,
    categorie: str = "wonen-woonoverlast",
    days_ago: int = 10,
    **kw,
) -> list[Signaal]:
    """One signal per text, the authors taking turns, one day apart, with the target
    group that goes with the category (as professionals fill it in)."""
    cat = Categorie.objects.get(code=categorie)
    kw.setdefault(
        "doelgroepen",
        list(Doelgroep.objects.filter(code=TARGET_GROUP.get(categorie, ""))),
    )
    today = timezone.localdate()
    return [
        make_signaal(
            author=authors[i % len(authors)],
            team=team,
            wijk=wijk or team.wijken.order_by("pk").first(),
            categorie=cat,
            text=text,
            observed_on=today - datetime.timedelta(days=days_ago + i),
            **kw,
        )
        for i, text in enumerate(texts)
    ]


def taxonomy_ensure() -> None:
    """Transactional tests empty the tables after themselves, seeded ones included."""
    for model, codes in (
        (Categorie, ["wonen-woonoverlast", "eenzaamheid", "overig"]),
        (Doelgroep, ["huurders", "ouderen"]),
        (Bron, ["huisbezoek"]),
    ):
        for code in codes:
            model.objects.get_or_create(code=code, defaults={"name": code})


def events(soort: str) -> int:
    return ThemaGebeurtenis.objects.filter(soort=soort).count()


@pytest.fixture(autouse=True)
def _lock_in_the_cache(settings):
    """These tests reach into the cache-backed lock (the store without REDIS_URL), also
    when a developer runs them with REDIS_URL set; the Redis-backed lock has its own
    tests (test_rollup_lock.py)."""
    settings.REDIS_URL = ""


@pytest.fixture
def authors(professional, colleague):
    return [professional, colleague]


@pytest.fixture
def two_themes(team, authors):
    schimmel = add_signals(SCHIMMEL, team=team, authors=authors)
    eenzaam = add_signals(EENZAAM, team=team, authors=authors, categorie="eenzaamheid")
    noise = add_signals(NOISE, team=team, authors=authors, categorie="overig")
    return schimmel, eenzaam, noise


def theme_of(signaal: Signaal) -> WijkThema:
    return WijkThema.objects.get(leden__signaal=signaal)


# --- A run and its thresholds -----------------------------------------------------------


def test_a_run_makes_a_theme_per_cluster_and_records_itself(wijk, two_themes):
    schimmel, eenzaam, noise = two_themes

    run = rollup_wijk(wijk)

    assert run.status == RollupRun.Status.SUCCESS
    assert run.trigger == RollupRun.Trigger.MANUAL
    assert run.finished_at >= run.started_at
    assert run.signals_read == 19
    assert (run.themes_created, run.themes_updated, run.themes_closed) == (2, 0, 0)
    assert run.params["k"] == 5
    assert run.params["as_of"] == timezone.localdate().isoformat()
    assert run.error == ""
    assert WijkThema.objects.filter(wijk=wijk).count() == 2
    mould = theme_of(schimmel[0])
    assert set(mould.leden.values_list("signaal_id", flat=True)) == {
        s.pk for s in schimmel
    }
    assert mould.size == 8
    assert mould.authors == 2
    assert mould.categorie.code == "wonen-woonoverlast"
    assert "schimmel" in mould.keywords
    assert mould.label.startswith(mould.keywords[0])
    assert mould.status == ThemaStatus.GESIGNALEERD
    assert mould.visibility == ThemaZichtbaarheid.TEAM
    assert mould.is_current
    assert mould.last_run == run
    assert mould.first_observed_on == min(s.observed_on for s in schimmel)
    assert mould.last_observed_on == max(s.observed_on for s in schimmel)
    assert theme_of(eenzaam[0]).categorie.code == "eenzaamheid"
    assert not ThemaLid.objects.filter(signaal__in=noise).exists()
    assert events(ThemaGebeurtenis.Soort.FOUND) == 2
    assert rollup_runs.last_successful_run(wijk) == run


@pytest.mark.parametrize(("how_many", "themes"), [(4, 1), (5, 2)])
def test_a_theme_needs_k_signals(wijk, team, authors, how_many, themes):
    add_signals(EENZAAM, team=team, authors=authors, categorie="eenzaamheid")
    add_signals(NOISE, team=team, authors=authors, categorie="overig")
    mould = add_signals(SCHIMMEL[:how_many], team=team, authors=authors)
    run = rollup_wijk(wijk)
    assert run.status == RollupRun.Status.SUCCESS
    assert run.themes_created == themes
    assert WijkThema.objects.count() == themes
    assert ThemaLid.objects.filter(signaal__in=mould).exists() == (how_many >= 5)


def test_k_comes_from_the_settings(wijk, two_themes, settings):
    settings.K_ANONYMITY = 9
    run = rollup_wijk(wijk)
    assert run.params["k"] == 9
    assert run.themes_created == 0
    settings.ROLLUP_PARAMS = {"k": 8}
    assert rollup_wijk(wijk).themes_created == 2


def test_a_cluster_from_one_author_is_not_a_theme(wijk, team, professional):
    add_signals(SCHIMMEL + MEER_SCHIMMEL, team=team, authors=[professional])
    run = rollup_wijk(wijk)
    assert run.status == RollupRun.Status.SUCCESS
    assert run.signals_read == 13
    assert run.themes_created == 0
    assert not WijkThema.objects.exists()


@pytest.mark.parametrize("how_many", [0, 1, 4])
def test_an_empty_or_tiny_wijk_gives_a_successful_run_without_themes(
    wijk, team, authors, how_many
):
    add_signals(SCHIMMEL[:how_many], team=team, authors=authors)
    run = rollup_wijk(wijk)
    assert run.status == RollupRun.Status.SUCCESS
    assert run.signals_read == how_many
    assert (run.themes_created, run.themes_updated, run.themes_closed) == (0, 0, 0)
    assert not WijkThema.objects.exists()
    assert not ThemaGebeurtenis.objects.exists()


def test_signals_of_another_wijk_are_not_read(wijk, other_wijk, team, authors):
    team.wijken.add(other_wijk)
    add_signals(SCHIMMEL, team=team, authors=authors, wijk=other_wijk)
    run = rollup_wijk(wijk)
    assert run.signals_read == 0
    assert not WijkThema.objects.exists()
    assert rollup_wijk(other_wijk).themes_created == 1
    assert WijkThema.objects.get().wijk == other_wijk


# --- Idempotency and stability ----------------------------------------------------------


@pytest.mark.parametrize("recluster", [False, True])
def test_a_second_run_on_the_same_data_changes_nothing(wijk, two_themes, recluster):
    rollup_wijk(wijk)
    themes_before = dict(WijkThema.objects.values_list("pk", "updated_at"))
    members_before = sorted(
        ThemaLid.objects.values_list("pk", "thema_id", "signaal_id")
    )
    events_before = ThemaGebeurtenis.objects.count()
    counts_before = Counter(
        SignaalTelling.objects.values_list(
            "buurt_id", "categorie_id", "doelgroep_id", "week", "count"
        )
    )

    second = rollup_wijk(wijk, recluster=recluster)

    assert second.status == RollupRun.Status.SUCCESS
    assert (second.themes_created, second.themes_updated, second.themes_closed) == (
        0,
        0,
        0,
    )
    assert dict(WijkThema.objects.values_list("pk", "updated_at")) == themes_before
    assert (
        sorted(ThemaLid.objects.values_list("pk", "thema_id", "signaal_id"))
        == members_before
    )
    assert ThemaGebeurtenis.objects.count() == events_before
    assert (
        Counter(
            SignaalTelling.objects.values_list(
                "buurt_id", "categorie_id", "doelgroep_id", "week", "count"
            )
        )
        == counts_before
    )
    # The themes still point at the run that last changed them.
    assert not WijkThema.objects.filter(last_run=second).exists()


@pytest.mark.parametrize("recluster", [False, True])
def test_new_signals_of_a_theme_update_it_and_keep_what_professionals_chose(
    wijk, team, authors, two_themes, recluster
):
    schimmel = two_themes[0]
    rollup_wijk(wijk)
    mould = theme_of(schimmel[0])
    mould.name = "Schimmel in de huurflats"
    mould.status = ThemaStatus.ERKEND
    mould.visibility = ThemaZichtbaarheid.GEMEENTE
    mould.save()
    new = add_signals(MEER_SCHIMMEL[:2], team=team, authors=authors, days_ago=1)

    run = rollup_wijk(wijk, recluster=recluster)

    assert run.themes_created == 0
    assert run.themes_updated == 1
    assert WijkThema.objects.filter(wijk=wijk).count() == 2
    mould.refresh_from_db()
    assert theme_of(new[0]) == mould
    assert theme_of(new[1]) == mould
    assert mould.size == 10
    assert mould.last_run == run
    assert mould.name == "Schimmel in de huurflats"
    assert mould.display_name == "Schimmel in de huurflats"
    assert mould.status == ThemaStatus.ERKEND
    assert mould.visibility == ThemaZichtbaarheid.GEMEENTE
    grew = mould.gebeurtenissen.get(soort=ThemaGebeurtenis.Soort.GREW)
    assert grew.detail["added"] == 2
    assert grew.detail["size"] == 10
    assert grew.actor is None


def dismiss(thema: WijkThema) -> None:
    thema.status = ThemaStatus.VERWORPEN
    thema.status_reason = "Is al bekend bij de corporatie."
    thema.save()


@pytest.fixture
def dismissed_mould(wijk, team, authors) -> WijkThema:
    """A mould theme of six signals (among other signals), dismissed by the team."""
    add_signals(EENZAAM, team=team, authors=authors, categorie="eenzaamheid")
    add_signals(NOISE, team=team, authors=authors, categorie="overig")
    mould = add_signals(SCHIMMEL[:6], team=team, authors=authors)
    rollup_wijk(wijk)
    thema = theme_of(mould[0])
    assert thema.size == 6
    dismiss(thema)
    return thema


def test_a_dismissed_theme_stays_dismissed_when_it_grows_a_little(
    wijk, team, authors, dismissed_mould
):
    themes = WijkThema.objects.count()
    add_signals(MEER_SCHIMMEL[:2], team=team, authors=authors, days_ago=1)

    run = rollup_wijk(wijk)

    assert (run.themes_created, run.themes_updated, run.themes_closed) == (0, 0, 0)
    mould = WijkThema.objects.get(pk=dismissed_mould.pk)
    assert mould.status == ThemaStatus.VERWORPEN
    assert mould.status_reason == "Is al bekend bij de corporatie."
    assert mould.is_current
    assert mould.size == 6
    assert mould.leden.count() == 6
    assert WijkThema.objects.count() == themes
    assert not events(ThemaGebeurtenis.Soort.REOPENED)


def test_a_dismissed_theme_comes_back_when_it_grows_by_half(
    wijk, team, authors, dismissed_mould
):
    themes = WijkThema.objects.count()
    add_signals(
        SCHIMMEL[6:] + MEER_SCHIMMEL[:1], team=team, authors=authors, days_ago=1
    )

    run = rollup_wijk(wijk)

    assert run.themes_updated == 1
    assert run.themes_created == 0
    assert WijkThema.objects.count() == themes
    mould = WijkThema.objects.get(pk=dismissed_mould.pk)
    assert mould.status == ThemaStatus.GESIGNALEERD
    assert mould.status_reason == ""
    assert mould.size >= 9
    event = mould.gebeurtenissen.get(soort=ThemaGebeurtenis.Soort.REOPENED)
    assert event.detail["size"] == mould.size


def test_a_theme_the_team_took_back_while_the_engine_ran_is_not_reopened(
    wijk, team, authors, dismissed_mould, monkeypatch
):
    add_signals(
        SCHIMMEL[6:] + MEER_SCHIMMEL[:1], team=team, authors=authors, days_ago=1
    )
    engine = rollup_runs.run_wijk

    def team_acts_meanwhile(*args, **kwargs):
        result = engine(*args, **kwargs)
        assert any(theme.reopened for theme in result.themes)
        # While the engine ran, a professional recognised the theme after all.
        WijkThema.objects.filter(pk=dismissed_mould.pk).update(
            status=ThemaStatus.ERKEND, status_reason=""
        )
        return result

    monkeypatch.setattr(rollup_runs, "run_wijk", team_acts_meanwhile)

    run = rollup_wijk(wijk)

    assert run.status == RollupRun.Status.SUCCESS
    mould = WijkThema.objects.get(pk=dismissed_mould.pk)
    assert mould.status == ThemaStatus.ERKEND
    assert mould.size >= 9
    assert not events(ThemaGebeurtenis.Soort.REOPENED)
    assert mould.gebeurtenissen.filter(soort=ThemaGebeurtenis.Soort.GREW).exists()


def test_a_theme_whose_signals_were_withdrawn_is_closed(wijk, two_themes):
    eenzaam = two_themes[1]
    first = rollup_wijk(wijk)
    lonely = theme_of(eenzaam[0])
    Signaal.objects.filter(pk__in=[s.pk for s in eenzaam]).update(
        withdrawn_at=timezone.now()
    )

    run = rollup_wijk(wijk)

    assert run.themes_closed == 1
    assert run.themes_created == 0
    lonely.refresh_from_db()
    assert not lonely.is_current
    assert lonely.last_run == run
    assert (
        lonely.gebeurtenissen.filter(soort=ThemaGebeurtenis.Soort.CLOSED).count() == 1
    )
    other = WijkThema.objects.get(is_current=True)
    assert other.last_run == first
    # A closed theme stays closed: the next run does not close it again.
    assert rollup_wijk(wijk).themes_closed == 0
    assert events(ThemaGebeurtenis.Soort.CLOSED) == 1


# --- Counts -----------------------------------------------------------------------------


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def test_counts_per_wijk_target_group_and_buurt_match_the_signals_by_week_logged(
    wijk, team, authors
):
    noord = BuurtFactory(code="BU04390111", name="Noord", wijk=wijk)
    zuid = BuurtFactory(code="BU04390112", name="Zuid", wijk=wijk)
    ouderen = Doelgroep.objects.get(code="ouderen")
    huurders = Doelgroep.objects.get(code="huurders")
    eenzaamheid = Categorie.objects.get(code="eenzaamheid")
    wonen = Categorie.objects.get(code="wonen-woonoverlast")
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=400)  # outside the engine's window
    rows = [
        # (categorie, buurt, doelgroepen, observed_on, withdrawn)
        (eenzaamheid, noord, [ouderen], today, False),
        (eenzaamheid, noord, [ouderen, huurders], today, False),
        (eenzaamheid, None, [], today, False),
        (wonen, zuid, [huurders], today, False),
        (wonen, zuid, [huurders], long_ago, False),
        (wonen, noord, [huurders, ouderen], today, True),  # withdrawn: not counted
    ]
    for categorie, buurt, groups, observed_on, withdrawn in rows:
        make_signaal(
            author=authors[0],
            team=team,
            categorie=categorie,
            buurt=buurt,
            doelgroepen=groups,
            observed_on=observed_on,
            withdrawn_at=timezone.now() if withdrawn else None,
            # All logged today: the one seen long ago counts in this week too.
            created_at=timezone.now(),
        )
    # Logged long ago, in a block that is over: a run never writes that block again
    # (signalen.intake.facts), whatever it finds there.
    make_signaal(author=authors[0], team=team, categorie=wonen, observed_on=long_ago)

    rollup_wijk(wijk)

    this_week = monday(today)
    wijk_rows = {
        (c, w): n
        for c, w, n in SignaalTelling.objects.filter(
            wijk=wijk, buurt__isnull=True, doelgroep__isnull=True
        ).values_list("categorie__code", "week", "count")
    }
    assert wijk_rows == {
        ("eenzaamheid", this_week): 3,
        ("wonen-woonoverlast", this_week): 2,
    }
    per_group = {
        (c, d, w): n
        for c, d, w, n in SignaalTelling.objects.filter(
            wijk=wijk, doelgroep__isnull=False
        ).values_list("categorie__code", "doelgroep__code", "week", "count")
    }
    assert per_group == {
        ("eenzaamheid", "ouderen", this_week): 2,
        ("eenzaamheid", "huurders", this_week): 1,
        ("wonen-woonoverlast", "huurders", this_week): 2,
    }
    per_buurt = {
        (c, b, w): n
        for c, b, w, n in SignaalTelling.objects.filter(
            wijk=wijk, buurt__isnull=False
        ).values_list("categorie__code", "buurt__code", "week", "count")
    }
    assert per_buurt == {
        ("eenzaamheid", "BU04390111", this_week): 2,
        ("wonen-woonoverlast", "BU04390112", this_week): 2,
    }
    assert not SignaalTelling.objects.filter(
        buurt__isnull=False, doelgroep__isnull=False
    ).exists()
    assert all(
        week.weekday() == 0
        for week in SignaalTelling.objects.values_list("week", flat=True)
    )


def test_counts_follow_withdrawals_on_the_next_run(wijk, team, authors):
    signals = add_signals(SCHIMMEL[:3], team=team, authors=authors, days_ago=0)
    rollup_wijk(wijk)
    total = SignaalTelling.objects.filter(
        wijk=wijk, buurt__isnull=True, doelgroep__isnull=True
    )
    assert sum(total.values_list("count", flat=True)) == 3
    Signaal.objects.filter(pk=signals[0].pk).update(withdrawn_at=timezone.now())
    rollup_wijk(wijk)
    assert sum(total.values_list("count", flat=True)) == 2


def test_counts_of_another_wijk_are_left_alone(wijk, other_wijk, team, authors):
    team.wijken.add(other_wijk)
    add_signals(SCHIMMEL[:2], team=team, authors=authors, wijk=other_wijk)
    rollup_wijk(other_wijk)
    before = SignaalTelling.objects.filter(wijk=other_wijk).count()
    assert before > 0
    add_signals(SCHIMMEL[:2], team=team, authors=authors, wijk=wijk)
    rollup_wijk(wijk)
    assert SignaalTelling.objects.filter(wijk=other_wijk).count() == before


# --- The lock, crashes and killed workers -------------------------------------------------


def test_while_the_lock_is_held_a_run_is_refused_and_writes_nothing(wijk, two_themes):
    lock = lock_acquire(wijk.pk)
    assert lock is not None
    assert rollup_runs.lock_is_held(wijk.pk)
    with pytest.raises(RollupBusy):
        rollup_wijk(wijk)
    assert not RollupRun.objects.exists()
    assert not WijkThema.objects.exists()
    assert not SignaalTelling.objects.exists()
    # A busy run does not release someone else's lock.
    assert rollup_runs.lock_is_held(wijk.pk)
    lock.release()
    assert rollup_wijk(wijk).status == RollupRun.Status.SUCCESS
    assert not rollup_runs.lock_is_held(wijk.pk)


def test_the_lock_is_per_wijk(wijk, other_wijk, two_themes):
    lock = lock_acquire(other_wijk.pk)
    assert lock_acquire(other_wijk.pk) is None
    assert rollup_wijk(wijk).status == RollupRun.Status.SUCCESS
    lock.release()


def test_an_expired_lock_taken_over_is_not_released_by_its_old_holder(wijk):
    old = lock_acquire(wijk.pk)
    rollup_runs.cache.delete(old.key)  # its time to live ran out
    new = lock_acquire(wijk.pk)
    old.release()
    assert rollup_runs.lock_is_held(wijk.pk)
    new.release()
    assert not rollup_runs.lock_is_held(wijk.pk)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_one_runs_and_one_is_busy(team, authors, wijk, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("Two database connections at once need PostgreSQL.")
    taxonomy_ensure()
    add_signals(SCHIMMEL, team=team, authors=authors)
    add_signals(EENZAAM, team=team, authors=authors, categorie="eenzaamheid")
    start = threading.Barrier(2, timeout=30)
    refused = threading.Event()
    engine = rollup_runs.run_wijk

    def slow_engine(*args, **kwargs):
        # Hold the lock until the other worker has tried and been refused.
        refused.wait(timeout=30)
        return engine(*args, **kwargs)

    monkeypatch.setattr(rollup_runs, "run_wijk", slow_engine)
    outcomes: list[object] = []

    def worker() -> None:
        try:
            start.wait()
            outcomes.append(rollup_wijk(wijk, trigger=RollupRun.Trigger.INTAKE))
        except RollupBusy as busy:
            outcomes.append(busy)
            refused.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == 2
    assert sum(isinstance(o, RollupBusy) for o in outcomes) == 1
    runs = list(RollupRun.objects.filter(wijk=wijk))
    assert len(runs) == 1
    assert runs[0].status == RollupRun.Status.SUCCESS
    assert runs[0].themes_created >= 1
    assert WijkThema.objects.filter(wijk=wijk).count() == runs[0].themes_created
    assert (
        ThemaGebeurtenis.objects.filter(soort="found").count() == runs[0].themes_created
    )
    assert not rollup_runs.lock_is_held(wijk.pk)


@pytest.mark.parametrize("where", ["counts_rebuild", "_write_themes"])
def test_a_crash_mid_run_leaves_nothing_half_written(
    wijk, team, authors, two_themes, monkeypatch, where
):
    first = rollup_wijk(wijk)
    themes_before = sorted(
        WijkThema.objects.values_list("pk", "size", "updated_at", "is_current")
    )
    members_before = sorted(ThemaLid.objects.values_list("pk", "signaal_id"))
    events_before = ThemaGebeurtenis.objects.count()
    counts_before = sorted(SignaalTelling.objects.values_list("pk", "count"))
    # New signals: one more of each theme, and some that make up a new one.
    add_signals(MEER_SCHIMMEL, team=team, authors=authors, days_ago=1)
    Signaal.objects.filter(pk__in=[s.pk for s in two_themes[1]]).update(
        withdrawn_at=timezone.now()
    )
    real = getattr(rollup_runs, where)

    def crash(*args, **kwargs):
        real(*args, **kwargs)  # the work is done, then the worker falls over
        raise RuntimeError("verbinding verbroken")

    monkeypatch.setattr(rollup_runs, where, crash)

    with pytest.raises(RuntimeError, match="verbinding verbroken"):
        rollup_wijk(wijk)

    assert (
        sorted(WijkThema.objects.values_list("pk", "size", "updated_at", "is_current"))
        == themes_before
    )
    assert sorted(ThemaLid.objects.values_list("pk", "signaal_id")) == members_before
    assert ThemaGebeurtenis.objects.count() == events_before
    assert sorted(SignaalTelling.objects.values_list("pk", "count")) == counts_before
    failed = RollupRun.objects.exclude(pk=first.pk).get()
    assert failed.status == RollupRun.Status.FAILED
    assert "RuntimeError: verbinding verbroken" in failed.error
    assert failed.finished_at is not None
    assert (failed.themes_created, failed.themes_updated, failed.themes_closed) == (
        0,
        0,
        0,
    )
    assert rollup_runs.last_successful_run(wijk) == first
    # The lock went with the crash: the next run goes ahead and does the work.
    assert not rollup_runs.lock_is_held(wijk.pk)
    monkeypatch.setattr(rollup_runs, where, real)
    again = rollup_wijk(wijk)
    assert again.status == RollupRun.Status.SUCCESS
    assert again.themes_closed == 1


def test_a_crash_on_a_fresh_wijk_writes_no_themes_members_or_counts(
    wijk, two_themes, monkeypatch
):
    def crash(wijk):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(rollup_runs, "counts_rebuild", crash)
    with pytest.raises(RuntimeError):
        rollup_wijk(wijk)
    assert not WijkThema.objects.exists()
    assert not ThemaLid.objects.exists()
    assert not ThemaGebeurtenis.objects.exists()
    assert not SignaalTelling.objects.exists()
    run = RollupRun.objects.get()
    assert run.status == RollupRun.Status.FAILED
    assert "schijf vol" in run.error


def test_a_run_left_by_a_killed_worker_is_marked_abandoned_by_the_next_run(
    wijk, two_themes
):
    killed = RollupRun.objects.create(
        wijk=wijk,
        trigger=RollupRun.Trigger.INTAKE,
        started_at=timezone.now() - datetime.timedelta(hours=1),
    )
    lock = lock_acquire(wijk.pk)
    # While the killed worker's lock lives, nobody runs and its run stays "running".
    with pytest.raises(RollupBusy):
        rollup_wijk(wijk)
    killed.refresh_from_db()
    assert killed.status == RollupRun.Status.RUNNING
    # The lock expires (its time to live); the next run takes over.
    rollup_runs.cache.delete(lock.key)

    run = rollup_wijk(wijk)

    killed.refresh_from_db()
    assert killed.status == RollupRun.Status.ABANDONED
    assert killed.finished_at is not None
    assert killed.error
    assert run.status == RollupRun.Status.SUCCESS
    assert run.themes_created == 2


def test_a_run_that_lost_its_lock_writes_nothing(wijk, two_themes, monkeypatch):
    engine = rollup_runs.run_wijk
    key = f"{rollup_runs.LOCK_PREFIX}{wijk.pk}"

    def slow_engine(*args, **kwargs):
        result = engine(*args, **kwargs)
        # The engine took longer than the lock lives; another run took the wijk.
        rollup_runs.cache.set(key, "token-van-een-ander", timeout=60)
        return result

    monkeypatch.setattr(rollup_runs, "run_wijk", slow_engine)

    with pytest.raises(RollupBusy):
        rollup_wijk(wijk)

    run = RollupRun.objects.get()
    assert run.status == RollupRun.Status.FAILED
    assert run.error == "lock lost"
    assert run.finished_at is not None
    assert not WijkThema.objects.exists()
    assert not ThemaLid.objects.exists()
    assert not SignaalTelling.objects.exists()
    # The other run's lock stays.
    assert rollup_runs.cache.get(key) == "token-van-een-ander"
    rollup_runs.cache.delete(key)


def test_a_run_extends_its_lock_before_writing(wijk, two_themes, monkeypatch):
    touched: list[tuple[str, int]] = []
    touch = rollup_runs.cache.touch

    def spy(key, timeout=None, **kwargs):
        touched.append((key, timeout))
        return touch(key, timeout, **kwargs)

    monkeypatch.setattr(rollup_runs.cache, "touch", spy)
    run = rollup_wijk(wijk)
    assert run.status == RollupRun.Status.SUCCESS
    assert touched == [
        (f"{rollup_runs.LOCK_PREFIX}{wijk.pk}", rollup_schedule.lock_ttl())
    ]


def test_a_run_marked_abandoned_by_another_run_stays_abandoned(
    wijk, two_themes, monkeypatch
):
    engine = rollup_runs.run_wijk

    def taken_over(*args, **kwargs):
        result = engine(*args, **kwargs)
        # Another run (after our lock expired) marked this one abandoned.
        RollupRun.objects.filter(wijk=wijk).update(
            status=RollupRun.Status.ABANDONED, error="verlaten"
        )
        return result

    monkeypatch.setattr(rollup_runs, "run_wijk", taken_over)
    with pytest.raises(RollupBusy):
        rollup_wijk(wijk)
    run = RollupRun.objects.get()
    assert run.status == RollupRun.Status.ABANDONED
    assert run.error == "verlaten"
    assert not WijkThema.objects.exists()
    assert not SignaalTelling.objects.exists()


def test_a_new_run_does_not_abandon_itself(wijk, two_themes, monkeypatch):
    seen: list[str] = []
    engine = rollup_runs.run_wijk

    def look(*args, **kwargs):
        seen.append(RollupRun.objects.get().status)
        return engine(*args, **kwargs)

    monkeypatch.setattr(rollup_runs, "run_wijk", look)
    run = rollup_wijk(wijk)
    assert seen == [RollupRun.Status.RUNNING]
    assert run.status == RollupRun.Status.SUCCESS


def test_a_running_run_of_another_wijk_is_not_abandoned(wijk, other_wijk, two_themes):
    elsewhere = RollupRun.objects.create(
        wijk=other_wijk, trigger=RollupRun.Trigger.NIGHTLY, started_at=timezone.now()
    )
    rollup_wijk(wijk)
    elsewhere.refresh_from_db()
    assert elsewhere.status == RollupRun.Status.RUNNING


# --- After intake: debounced scheduling -------------------------------------------------


def fake_scrub(text, keep=()):
    return ScrubResult(text=text, removals=())


@pytest.fixture
def scheduled(settings, monkeypatch):
    """Record what would be sent to the broker, as with a real (non-eager) Celery."""
    settings.ROLLUP_AFTER_INTAKE = True
    settings.ROLLUP_DEBOUNCE_SECONDS = 120
    # The scrub that follows each signal's commit (the worker's), here and at once.
    import signalen.intake.scrub as scrub_package

    monkeypatch.setattr(scrub_package, "scrub", fake_scrub)
    monkeypatch.setattr(
        services,
        "pending_scrub_send",
        lambda pk: services.signal_scrub_pending(signaal_id=pk),
    )
    calls: list[dict] = []

    def apply_async(args=None, kwargs=None, **options):
        calls.append({"args": tuple(args or ()), "kwargs": kwargs or {}, **options})

    monkeypatch.setattr(tasks.rollup_wijk_task, "apply_async", apply_async)
    return calls


def create_signal(author, wijk, text="Weer schimmel in de badkamer."):
    return services.signaal_create(
        author=author,
        wijk=wijk,
        categorie=Categorie.objects.get(code="wonen-woonoverlast"),
        bron=Bron.objects.get(code="huisbezoek"),
        text=text,
        observed_on=timezone.localdate(),
    )[0]


def test_a_burst_of_200_signals_schedules_one_run(
    wijk, professional, scheduled, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(200):
            create_signal(professional, wijk, f"Schimmel in woning {n % 7}.")
    assert Signaal.objects.filter(wijk=wijk).count() == 200
    assert scheduled == [
        {
            "args": (wijk.pk,),
            "kwargs": {"trigger": RollupRun.Trigger.INTAKE, "pending": True},
            "countdown": 120,
        }
    ]


def test_after_the_run_starts_a_new_signal_schedules_again(
    wijk, professional, scheduled, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        create_signal(professional, wijk)
        create_signal(professional, wijk)
    assert len(scheduled) == 1

    run_id = tasks.rollup_wijk_task.apply(args=(wijk.pk,)).get()

    run = RollupRun.objects.get(pk=run_id)
    assert run.trigger == RollupRun.Trigger.INTAKE
    assert run.status == RollupRun.Status.SUCCESS
    with django_capture_on_commit_callbacks(execute=True):
        create_signal(professional, wijk)
        create_signal(professional, wijk)
    assert len(scheduled) == 2


def test_a_bulk_paste_schedules_one_run_per_wijk(
    wijk, other_wijk, team, professional, scheduled, django_capture_on_commit_callbacks
):
    team.wijken.add(other_wijk)
    common = {
        "categorie": Categorie.objects.get(code="eenzaamheid"),
        "bron": Bron.objects.get(code="huisbezoek"),
        "observed_on": timezone.localdate(),
    }
    rows = [
        {**common, "wijk": wijk if n % 3 else other_wijk, "text": f"Eenzaam {n}."}
        for n in range(30)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.signalen_bulk_create(author=professional, rows=rows)
    assert sorted(call["args"][0] for call in scheduled) == sorted(
        [wijk.pk, other_wijk.pk]
    )
    assert {call["countdown"] for call in scheduled} == {120}


def test_withdrawing_a_signal_schedules_a_run(
    wijk, professional, scheduled, django_capture_on_commit_callbacks
):
    signaal = make_signaal(author=professional, team=professional.teams.get())
    with django_capture_on_commit_callbacks(execute=True):
        services.signaal_withdraw(signaal=signaal, actor=professional, reason="dubbel")
    assert [call["args"] for call in scheduled] == [(wijk.pk,)]


def test_nothing_is_scheduled_when_intake_runs_are_off(
    wijk, professional, scheduled, settings, django_capture_on_commit_callbacks
):
    settings.ROLLUP_AFTER_INTAKE = False
    with django_capture_on_commit_callbacks(execute=True):
        create_signal(professional, wijk)
    assert scheduled == []
    assert rollup_schedule_after_intake(wijk.pk) is False


def test_nothing_is_scheduled_when_the_signal_is_not_saved(
    wijk, professional, scheduled, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.SignaalError),
    ):
        create_signal(professional, wijk, "x" * 5000)
    assert scheduled == []


def test_the_debounce_is_per_wijk(
    wijk, other_wijk, scheduled, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert rollup_schedule_after_intake(wijk.pk) is True
    with django_capture_on_commit_callbacks(execute=True):
        assert rollup_schedule_after_intake(wijk.pk) is False
        assert rollup_schedule_after_intake(other_wijk.pk) is True
    pending_clear(wijk.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert rollup_schedule_after_intake(wijk.pk) is True
    assert [call["args"] for call in scheduled] == [
        (wijk.pk,),
        (other_wijk.pk,),
        (wijk.pk,),
    ]
    pending_clear(wijk.pk)
    pending_clear(other_wijk.pk)


def pending_mark(wijk_id):
    return RollupPending.objects.filter(wijk_id=wijk_id).first()


def test_a_broker_that_is_down_does_not_break_saving_a_signal(
    wijk, professional, scheduled, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker weg")

    monkeypatch.setattr(tasks.rollup_wijk_task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        signaal = create_signal(professional, wijk)
    assert callbacks
    assert Signaal.objects.filter(pk=signaal.pk).exists()
    # The due row stays in the database: the beat sweep starts the run.
    assert pending_mark(wijk.pk) is not None


def test_a_cache_that_is_down_does_not_break_saving_a_signal(
    wijk, professional, scheduled, monkeypatch, django_capture_on_commit_callbacks
):
    def cache_down(*args, **kwargs):
        raise ConnectionError("redis weg")

    monkeypatch.setattr(rollup_runs.cache, "add", cache_down)
    monkeypatch.setattr(rollup_runs.cache, "get", cache_down)
    monkeypatch.setattr(rollup_runs.cache, "delete", cache_down)
    with django_capture_on_commit_callbacks(execute=True):
        signaal = create_signal(professional, wijk)
    assert Signaal.objects.filter(pk=signaal.pk).exists()
    # The debounce lives in the database, not the cache: the run is scheduled.
    assert [call["args"] for call in scheduled] == [(wijk.pk,)]
    assert pending_mark(wijk.pk) is not None


def test_a_rollback_after_scheduling_leaves_no_pending_mark(
    wijk, scheduled, django_capture_on_commit_callbacks
):
    def schedule_then_fail():
        with transaction.atomic():
            rollup_schedule_after_intake(wijk.pk)
            raise RuntimeError("rollback")

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
    ):
        schedule_then_fail()
    assert pending_mark(wijk.pk) is None
    assert scheduled == []


# --- The Celery tasks ---------------------------------------------------------------------


def test_the_task_waits_and_retries_while_the_wijk_is_busy(wijk, two_themes, settings):
    settings.ROLLUP_DEBOUNCE_SECONDS = 30
    lock = lock_acquire(wijk.pk)
    task = tasks.rollup_wijk_task
    task.push_request(id="taak-1", is_eager=True, called_directly=False, retries=0)
    try:
        with pytest.raises(Retry) as retry:
            task.run(wijk.pk)
    finally:
        task.pop_request()
    assert retry.value.when == 30
    assert isinstance(retry.value.exc, RollupBusy)
    assert not RollupRun.objects.exists()
    lock.release()
    run_id = task.apply(args=(wijk.pk,), task_id="taak-2").get()
    assert RollupRun.objects.get(pk=run_id).task_id == "taak-2"


def test_the_task_of_a_removed_wijk_does_nothing(db):
    assert tasks.rollup_wijk_task.apply(args=(999999,)).get() is None
    assert not RollupRun.objects.exists()


def test_the_nightly_run_queues_one_task_per_wijk_with_signals_or_themes(
    wijk,
    other_wijk,
    team,
    authors,
    gemeente,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    team.wijken.add(other_wijk)
    add_signals(SCHIMMEL[:2], team=team, authors=authors)  # wijk: recent signals
    WijkThema.objects.create(wijk=other_wijk, label="oud thema")  # a current theme
    quiet = WijkFactory(code="WK043909", name="Stil", gemeente=gemeente)
    team.wijken.add(quiet)
    add_signals(SCHIMMEL[:2], team=team, authors=authors, wijk=quiet, days_ago=400)
    closed = WijkFactory(code="WK043908", name="Dicht", gemeente=gemeente)
    WijkThema.objects.create(wijk=closed, label="voorbij", is_current=False)
    queued: list[tuple] = []
    monkeypatch.setattr(
        tasks.rollup_wijk_task,
        "apply_async",
        lambda args, kwargs, **options: queued.append((tuple(args), kwargs)),
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.rollup_nightly() == 2

    # Through the outbox: a run lost with a worker or Redis is sent again.
    assert OutboxTask.objects.filter(name=tasks.rollup_wijk_task.name).count() == 2
    assert sorted(queued) == sorted(
        [
            ((wijk.pk,), {"trigger": "nightly", "recluster": False}),
            ((other_wijk.pk,), {"trigger": "nightly", "recluster": False}),
        ]
    )

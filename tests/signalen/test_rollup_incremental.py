"""Three kinds of run (signalen/themes/increments.py): a wijk with nothing new is
skipped, a few new signals are taken in incrementally (touching only them and their
themes), signals leaving the window are dropped at its edge, and the team's actions
hold across incremental runs."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from signalen.models import (
    RollupRun,
    Signaal,
    SignaalTelling,
    ThemaActie,
    ThemaGebeurtenis,
    ThemaLid,
    WijkThema,
)
from signalen.themes.corrections import signal_attach, signal_not_belong
from signalen.themes.increments import MARGIN
from signalen.themes.rollup import InputSignal, Params
from signalen.themes.rollup.data import Constraints
from signalen.themes.rollup.incremental import ThemeSample, run_increment
from signalen.themes.runs import rollup_wijk
from tests.signalen.test_rollup_runs import (
    EENZAAM,
    MEER_SCHIMMEL,
    NOISE,
    SCHIMMEL,
    add_signals,
    dismiss,
    theme_of,
)

pytestmark = pytest.mark.usefixtures("frozen_now")

LATER = MARGIN + datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _lock_in_the_cache(settings):
    settings.REDIS_URL = ""


@pytest.fixture
def incremental(settings):
    """Every wijk counts as big enough for incremental runs (the default keeps small
    wijken on full runs: they are cheap), and drift never forces a full run (a few
    signals are a large share of these small wijken)."""
    settings.ROLLUP_PARAMS = {"incremental_min_signals": 0, "full_after_fraction": 1.0}


@pytest.fixture
def authors(professional, colleague):
    return [professional, colleague]


@pytest.fixture
def settled(wijk, team, authors, frozen_now):
    """Two themes and some noise, rolled up once, and the clock moved past the
    margin: what the wijk looks like between runs."""
    schimmel = add_signals(SCHIMMEL, team=team, authors=authors)
    eenzaam = add_signals(EENZAAM, team=team, authors=authors, categorie="eenzaamheid")
    add_signals(NOISE, team=team, authors=authors, categorie="overig")
    frozen_now.shift(LATER)
    first = rollup_wijk(wijk)
    frozen_now.shift(LATER)
    return first, schimmel, eenzaam


def snapshot():
    return (
        dict(WijkThema.objects.values_list("pk", "updated_at")),
        sorted(ThemaLid.objects.values_list("pk", "thema_id", "signaal_id")),
        ThemaGebeurtenis.objects.count(),
        sorted(SignaalTelling.objects.values_list("pk", "count")),
    )


def queries_of(work) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = work()
    return len(captured.captured_queries), result


# --- Skipped --------------------------------------------------------------------------


def test_a_wijk_with_nothing_new_is_skipped_and_writes_nothing_but_its_record(
    wijk, settled
):
    first = settled[0]
    assert first.mode == RollupRun.Mode.FULL
    before = snapshot()

    run = rollup_wijk(wijk)

    assert run.mode == RollupRun.Mode.SKIPPED
    assert run.status == RollupRun.Status.SUCCESS
    assert (run.themes_created, run.themes_updated, run.themes_closed) == (0, 0, 0)
    assert snapshot() == before
    # A skipped run only looked: the next one still compares with the full run.
    assert rollup_wijk(wijk).mode == RollupRun.Mode.SKIPPED


def test_skipping_takes_the_same_few_queries_however_many_signals(
    wijk, team, authors, frozen_now
):
    def skip_queries(texts) -> int:
        add_signals(texts, team=team, authors=authors, days_ago=40)
        frozen_now.shift(LATER)
        rollup_wijk(wijk)
        frozen_now.shift(LATER)
        count, run = queries_of(lambda: rollup_wijk(wijk))
        assert run.mode == RollupRun.Mode.SKIPPED
        return count

    assert skip_queries(SCHIMMEL) == skip_queries(SCHIMMEL * 4) < 20


@pytest.mark.parametrize(
    "change",
    ["new signal", "withdrawn", "team dismissed", "settings", "recluster", "new day"],
)
def test_a_wijk_is_not_skipped_when_something_it_depends_on_changed(
    wijk, team, authors, settled, change, settings
):
    schimmel = settled[1]
    recluster = False
    as_of = None
    if change == "new signal":
        add_signals(
            MEER_SCHIMMEL[:1],
            team=team,
            authors=authors,
            days_ago=1,
            created_at=timezone.now(),
        )
    elif change == "withdrawn":
        Signaal.objects.filter(pk=schimmel[0].pk).update(withdrawn_at=timezone.now())
    elif change == "team dismissed":
        dismiss(theme_of(schimmel[0]))
    elif change == "settings":
        settings.ROLLUP_PARAMS = {"keywords": 4}
    elif change == "recluster":
        recluster = True
    else:
        as_of = timezone.localdate() + datetime.timedelta(days=1)

    run = rollup_wijk(wijk, recluster=recluster, as_of=as_of)

    assert run.mode != RollupRun.Mode.SKIPPED


# --- Incremental ----------------------------------------------------------------------


@pytest.mark.usefixtures("incremental")
def test_new_signals_join_their_theme_and_only_that_theme_is_touched(
    wijk, team, authors, settled
):
    first, schimmel, eenzaam = settled
    mould, lonely = theme_of(schimmel[0]), theme_of(eenzaam[0])
    lonely_members = set(lonely.leden.values_list("pk", flat=True))
    new = add_signals(
        MEER_SCHIMMEL[:2],
        team=team,
        authors=authors,
        days_ago=1,
        created_at=timezone.now(),
    )
    counts_before = dict(
        SignaalTelling.objects.exclude(
            week__in={
                s.observed_on - datetime.timedelta(days=s.observed_on.weekday())
                for s in new
            }
        ).values_list("pk", "count")
    )

    run = rollup_wijk(wijk)

    assert run.mode == RollupRun.Mode.INCREMENTAL
    assert run.signals_changed == 2
    assert (run.themes_created, run.themes_updated, run.themes_closed) == (0, 1, 0)
    mould.refresh_from_db()
    assert {theme_of(s) for s in new} == {mould}
    assert mould.size == len(SCHIMMEL) + 2
    assert mould.last_run == run
    grew = mould.gebeurtenissen.get(soort=ThemaGebeurtenis.Soort.GREW)
    assert (grew.detail["added"], grew.detail["removed"]) == (2, 0)
    # The other theme: not written at all.
    lonely_before = lonely.updated_at
    lonely.refresh_from_db()
    assert lonely.updated_at == lonely_before
    assert lonely.last_run == first
    assert set(lonely.leden.values_list("pk", flat=True)) == lonely_members
    # Counts: only the weeks of the new signals were rebuilt.
    assert (
        dict(
            SignaalTelling.objects.filter(pk__in=counts_before).values_list(
                "pk", "count"
            )
        )
        == counts_before
    )
    # And the next run finds nothing to do.
    assert rollup_wijk(wijk).themes_updated == 0


@pytest.mark.usefixtures("incremental")
def test_an_incremental_run_takes_the_same_queries_however_big_the_wijk(
    wijk, other_wijk, team, authors, frozen_now
):
    """The reads of an incremental run are per kind, not per signal or theme."""

    def incremental_queries(target, times: int) -> int:
        add_signals(SCHIMMEL * times, team=team, authors=authors, wijk=target)
        add_signals(
            EENZAAM * times,
            team=team,
            authors=authors,
            wijk=target,
            categorie="eenzaamheid",
        )
        frozen_now.shift(LATER)
        rollup_wijk(target)
        frozen_now.shift(LATER)
        add_signals(
            MEER_SCHIMMEL[:3],
            team=team,
            authors=authors,
            wijk=target,
            days_ago=1,
            created_at=timezone.now(),
        )
        count, run = queries_of(lambda: rollup_wijk(target))
        assert run.mode == RollupRun.Mode.INCREMENTAL
        return count

    assert incremental_queries(wijk, 1) == incremental_queries(other_wijk, 3)


@pytest.mark.usefixtures("incremental")
def test_new_signals_like_nothing_known_form_a_new_theme(wijk, team, authors, settled):
    run = rollup_wijk(wijk)
    assert run.mode == RollupRun.Mode.SKIPPED
    schulden = [
        "schulden na hoge energierekening, durft post niet te openen",
        "energierekening niet betaald, schulden lopen op, stress",
        "hoge energierekening, schulden, vraagt om schuldhulp",
        "schulden door energierekening, deurwaarder geweest",
        "energierekening te hoog, schulden bij energiebedrijf",
        "schuldhulp nodig, energierekening onbetaald, schulden groeien",
    ]
    new = add_signals(
        schulden,
        team=team,
        authors=authors,
        categorie="overig",
        days_ago=1,
        created_at=timezone.now(),
    )

    run = rollup_wijk(wijk)

    assert run.mode == RollupRun.Mode.INCREMENTAL
    assert run.themes_created == 1
    created = WijkThema.objects.get(
        gebeurtenissen__soort=ThemaGebeurtenis.Soort.FOUND, last_run=run
    )
    assert set(created.leden.values_list("signaal_id", flat=True)) >= {
        s.pk for s in new[:5]
    }
    assert "schulden" in created.keywords or "energierekening" in created.keywords


@pytest.fixture
def drifting(settings):
    settings.ROLLUP_PARAMS = {"incremental_min_signals": 0, "full_after_fraction": 0.2}


def test_a_full_run_follows_once_much_was_taken_in_incrementally(
    drifting, wijk, team, authors, settled, frozen_now
):
    runs = []
    for text in MEER_SCHIMMEL:
        add_signals(
            [text], team=team, authors=authors, days_ago=1, created_at=timezone.now()
        )
        runs.append(rollup_wijk(wijk).mode)
        frozen_now.shift(LATER)

    # 19 signals in the window and one more each time: the fifth new one takes what
    # was taken in incrementally past a fifth of the window.
    assert runs == [RollupRun.Mode.INCREMENTAL] * 4 + [RollupRun.Mode.FULL]


# --- The window's edge ----------------------------------------------------------------


@pytest.mark.usefixtures("incremental")
def test_members_that_leave_the_window_are_dropped_at_its_edge(
    wijk, team, authors, settled, settings
):
    schimmel = settled[1]
    mould = theme_of(schimmel[0])
    oldest = max(schimmel, key=lambda s: timezone.localdate() - s.observed_on)
    # The window ends a day after the oldest schimmel signal falls out of it.
    window = timezone.localdate() - oldest.observed_on
    as_of = timezone.localdate() + datetime.timedelta(days=180 - window.days)

    run = rollup_wijk(wijk, as_of=as_of)

    assert run.mode == RollupRun.Mode.INCREMENTAL
    assert not ThemaLid.objects.filter(signaal=oldest).exists()
    mould.refresh_from_db()
    assert mould.size == len(SCHIMMEL) - 1
    assert mould.first_observed_on > oldest.observed_on
    assert (
        mould.gebeurtenissen.get(soort=ThemaGebeurtenis.Soort.GREW).detail["removed"]
        == 1
    )
    # The run on the same day after it: nothing left to drop.
    assert rollup_wijk(wijk, as_of=as_of).mode == RollupRun.Mode.SKIPPED


@pytest.mark.usefixtures("incremental")
def test_a_theme_the_edge_would_take_below_k_gets_a_full_run_that_closes_it(
    wijk, settled
):
    eenzaam = settled[2]
    lonely = theme_of(eenzaam[0])
    newest = min(eenzaam, key=lambda s: timezone.localdate() - s.observed_on)
    as_of = newest.observed_on + datetime.timedelta(days=180 + 3)

    run = rollup_wijk(wijk, as_of=as_of)

    assert run.mode == RollupRun.Mode.FULL
    lonely.refresh_from_db()
    assert not lonely.is_current


# --- The team's actions ---------------------------------------------------------------


@pytest.mark.usefixtures("incremental")
def test_a_signal_attached_at_intake_stays_and_its_theme_is_refigured(
    wijk, team, authors, professional, settled
):
    schimmel, eenzaam = settled[1], settled[2]
    lonely = theme_of(eenzaam[0])
    # A mould text, attached by the professional to the lonely theme: a must-link.
    odd = add_signals(
        MEER_SCHIMMEL[2:3],
        team=team,
        authors=authors,
        days_ago=1,
        created_at=timezone.now(),
    )[0]
    signal_attach(signaal=odd, thema=lonely, actor=professional)

    run = rollup_wijk(wijk)

    assert run.mode == RollupRun.Mode.INCREMENTAL
    assert theme_of(odd) == lonely
    lonely.refresh_from_db()
    assert lonely.size == len(EENZAAM) + 1
    assert lonely.last_run == run
    assert theme_of(schimmel[0]) != lonely


@pytest.mark.usefixtures("incremental")
def test_not_belonging_holds_across_the_full_run_it_causes_and_later_increments(
    wijk, team, authors, professional, settled, frozen_now
):
    schimmel = settled[1]
    mould = theme_of(schimmel[0])
    signal_not_belong(signaal=schimmel[1], thema=mould, actor=professional)
    frozen_now.shift(LATER)

    after_action = rollup_wijk(wijk)
    frozen_now.shift(LATER)
    new = add_signals(
        MEER_SCHIMMEL[:2],
        team=team,
        authors=authors,
        days_ago=1,
        created_at=timezone.now(),
    )
    increment = rollup_wijk(wijk)

    assert after_action.mode == RollupRun.Mode.FULL
    assert increment.mode == RollupRun.Mode.INCREMENTAL
    assert ThemaActie.objects.filter(soort=ThemaActie.Soort.NOT_BELONG).count() == 1
    assert not ThemaLid.objects.filter(signaal=schimmel[1], thema=mould).exists()
    assert {theme_of(s) for s in new} == {mould}


# --- The pure incremental engine ------------------------------------------------------


WIJK = "WK999901"
AS_OF = datetime.date(2026, 11, 20)


def _signal(pk: int, text: str, author: str = "a") -> InputSignal:
    return InputSignal(
        id=pk,
        wijk=WIJK,
        text=text,
        category="wonen",
        author=author,
        observed_on=AS_OF - datetime.timedelta(days=pk % 30),
    )


def test_the_engine_never_puts_a_new_signal_where_it_may_not_go() -> None:
    mould = [_signal(i, SCHIMMEL[i], "ab"[i % 2]) for i in range(len(SCHIMMEL))]
    lonely = [_signal(100 + i, t, "ab"[i % 2]) for i, t in enumerate(EENZAAM)]
    new = _signal(500, MEER_SCHIMMEL[0])
    samples = [ThemeSample("mould", tuple(mould)), ThemeSample("lonely", tuple(lonely))]
    params = Params()

    free = run_increment(
        WIJK, [new], samples, mould + lonely, [], params, as_of=AS_OF, window_size=17
    )
    blocked = run_increment(
        WIJK,
        [new],
        samples,
        mould + lonely,
        [],
        params,
        as_of=AS_OF,
        window_size=17,
        constraints=Constraints(cannot_link=frozenset({(500, "mould")})),
    )
    pinned = run_increment(
        WIJK,
        [new],
        samples,
        mould + lonely,
        [],
        params,
        as_of=AS_OF,
        window_size=17,
        constraints=Constraints(must_link={500: "lonely"}),
    )
    dismissed = run_increment(
        WIJK,
        [new],
        [ThemeSample("mould", tuple(mould), dismissed=True), samples[1]],
        mould + lonely,
        [],
        params,
        as_of=AS_OF,
        window_size=17,
    )

    assert free.joined == {"mould": (500,)}
    assert "mould" not in blocked.joined
    assert pinned.joined == {"lonely": (500,)}
    assert dismissed.joined == {}
    assert dismissed.themes == ()

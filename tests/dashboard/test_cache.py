"""The dashboard caches its costly figures (theme counts per block, blind spots,
participants); a change that must show is on the very next page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatieven.models import Deelname, MeldingReden
from initiatieven.moderation import melding_create, melding_hide
from initiatieven.services import deelname_toggle
from signalen.intake.services import signaal_withdraw
from signalen.models import RollupRun, ThemaLid, WijkThema
from signalen.themes import queries as theme_queries
from tests.conftest import mfa_client
from tests.dashboard.conftest import telling, week
from tests.factories import UserFactory
from tests.initiatieven.factories import DeelnameFactory, InitiatiefFactory
from tests.signalen.helpers import make_signaal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-dashboard-cache",
        }
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def content_rendered(request, monkeypatch):
    """These tests read the figures from the page's context: render the content on
    every request (its figures still come from the fragment caches under test). The
    rendered content's own cache is tested below (test_rendered_content_*)."""
    if request.node.name.startswith("test_rendered_content"):
        return
    from dashboard import officer as officer_module

    monkeypatch.setattr(
        officer_module,
        "content_cached",
        lambda kind, parts, *, wijk, domains, names=False, compute: compute(),
    )


@pytest.fixture
def officer(client, ambtenaar):
    return mfa_client(client, ambtenaar)


def _run(wijk, *, minutes_later: int = 1) -> RollupRun:
    now = timezone.now() + datetime.timedelta(minutes=minutes_later)
    return RollupRun.objects.create(
        wijk=wijk,
        trigger="manual",
        status="success",
        started_at=now - datetime.timedelta(seconds=30),
        finished_at=now,
    )


def _members(thema, n, professional, team, wijk, *, weeks_ago: int = 0):
    signalen = []
    for _ in range(n):
        signaal = make_signaal(
            author=professional, team=team, wijk=wijk, observed_on=week(weeks_ago)
        )
        ThemaLid.objects.create(thema=thema, signaal=signaal)
        signalen.append(signaal)
    return signalen


def _logged_recently(signaal):
    from signalen.models import Signaal

    Signaal.objects.filter(pk=signaal.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    signaal.refresh_from_db()


def _sizes(officer, wijk) -> dict[str, int | None]:
    response = officer.get(f"/dashboard/wijk/{wijk.code}/")
    assert response.status_code == 200
    return {theme.name: theme.size.value for theme, _bars in response.context["themes"]}


def _participants(officer, gemeente, wijk) -> int:
    response = officer.get(f"/dashboard/{gemeente.code}/")
    assert response.status_code == 200
    return next(r for r in response.context["rows"] if r.code == wijk.code).participants


def _blind_spots(officer, gemeente) -> list[str]:
    response = officer.get(f"/dashboard/{gemeente.code}/")
    assert response.status_code == 200
    return [spot.buurt_name for spot in response.context["blind_spots"]]


def test_warm_page_reads_theme_counts_from_the_cache(
    officer, wijk, dash_data, professional, team
):
    thema = WijkThema.objects.get(label="eenzaam flat lift")
    _members(thema, 6, professional, team, wijk)
    assert _sizes(officer, wijk)["Eenzaam in de flat"] == 6
    with CaptureQueriesContext(connection) as ctx:
        assert _sizes(officer, wijk)["Eenzaam in de flat"] == 6
    assert not [q for q in ctx.captured_queries if "themalid" in q["sql"].lower()]


def test_new_run_with_other_members_moves_no_block_already_shown(
    officer, wijk, dash_data, professional, team
):
    """Outside the team a block that is over keeps the figure it was first shown
    with (signalen.themes.published, #15 item 4): a run changes the blocks to come."""
    thema = WijkThema.objects.get(label="eenzaam flat lift")
    _members(thema, 6, professional, team, wijk)
    assert _sizes(officer, wijk)["Eenzaam in de flat"] == 6
    # A run adds members to the theme and removes one.
    _members(thema, 3, professional, team, wijk)
    ThemaLid.objects.filter(thema=thema).order_by("pk").first().delete()
    _run(wijk)
    assert _sizes(officer, wijk)["Eenzaam in de flat"] == 6


def test_new_run_that_shrinks_a_theme_below_k_does_not_hide_what_was_shown(
    officer, wijk, dash_data, professional, team
):
    thema = WijkThema.objects.get(label="eenzaam flat lift")
    _members(thema, 6, professional, team, wijk)
    assert _sizes(officer, wijk)["Eenzaam in de flat"] == 6
    ThemaLid.objects.filter(thema=thema).exclude(
        pk__in=ThemaLid.objects.filter(thema=thema).values("pk")[:2]
    ).delete()
    _run(wijk)
    assert _sizes(officer, wijk)["Eenzaam in de flat"] == 6


def test_withdrawn_signal_leaves_no_block_already_shown(
    officer, wijk, dash_data, professional, team
):
    thema = WijkThema.objects.get(label="eenzaam flat lift")
    signalen = _members(thema, 6, professional, team, wijk)
    assert _sizes(officer, wijk)["Eenzaam in de flat"] == 6
    # Its author may still withdraw it: logged less than 24 hours ago, as on the
    # morning after its block ended (the fact stays in that block, frozen).
    _logged_recently(signalen[0])
    # The team's number drops at once; the block shown outside does not move.
    signaal_withdraw(signaal=signalen[0], actor=professional, reason="dubbel")
    assert _sizes(officer, wijk)["Eenzaam in de flat"] == 6
    assert theme_queries.theme_team_sizes([thema.pk])[thema.pk] == 5


def test_theme_visibility_change_shows(officer, wijk, dash_data, professional, team):
    team_theme = WijkThema.objects.get(name="Alleen voor het team")
    shared = WijkThema.objects.get(label="eenzaam flat lift")
    _members(team_theme, 7, professional, team, wijk)
    _members(shared, 6, professional, team, wijk)
    sizes = _sizes(officer, wijk)
    assert "Alleen voor het team" not in sizes
    assert sizes["Eenzaam in de flat"] == 6
    team_theme.visibility = "gemeente"
    team_theme.save()
    shared.visibility = "team"
    shared.save()
    sizes = _sizes(officer, wijk)
    assert sizes["Alleen voor het team"] == 7
    assert "Eenzaam in de flat" not in sizes


def test_outside_size_of_a_block_shown_stays_after_a_new_run(
    wijk, dash_data, professional, team
):
    thema = WijkThema.objects.get(name="Schulden jonge gezinnen")
    _members(thema, 5, professional, team, wijk)
    today = timezone.localdate()
    assert (
        theme_queries.theme_outside_sizes([thema.pk], as_of=today)[thema.pk].value == 5
    )
    _members(thema, 2, professional, team, wijk)
    _run(wijk)
    assert (
        theme_queries.theme_outside_sizes([thema.pk], as_of=today)[thema.pk].value == 5
    )
    # Unknown themes still get a (hidden) size, as before.
    assert theme_queries.theme_outside_sizes([0], as_of=today)[0].is_hidden


def test_new_participation_shows(officer, gemeente, wijk, dash_data):
    initiatief = InitiatiefFactory(wijk=wijk, status="actief")
    DeelnameFactory(initiatief=initiatief)
    assert _participants(officer, gemeente, wijk) == 1
    assert _participants(officer, gemeente, wijk) == 1
    DeelnameFactory(initiatief=initiatief)
    assert _participants(officer, gemeente, wijk) == 2


def test_participation_removed_shows(officer, gemeente, wijk, dash_data):
    initiatief = InitiatiefFactory(wijk=wijk, status="actief")
    other = InitiatiefFactory(wijk=wijk, status="actief")
    first, second = UserFactory(), UserFactory()
    deelname_toggle(user=first, initiatief=initiatief, kind="doe_mee")
    deelname_toggle(user=second, initiatief=initiatief, kind="doe_mee")
    deelname_toggle(user=second, initiatief=other, kind="doe_mee")
    assert _participants(officer, gemeente, wijk) == 2
    # Leaving deletes the row; the same person still takes part in the other one.
    assert deelname_toggle(user=second, initiatief=initiatief, kind="doe_mee") is False
    assert _participants(officer, gemeente, wijk) == 2
    assert deelname_toggle(user=second, initiatief=other, kind="doe_mee") is False
    assert not Deelname.objects.filter(user=second).exists()
    assert _participants(officer, gemeente, wijk) == 1


def test_hidden_initiative_drops_its_participants(
    officer, gemeente, wijk, dash_data, beheerder
):
    initiatief = InitiatiefFactory(wijk=wijk, status="actief")
    DeelnameFactory(initiatief=initiatief)
    assert _participants(officer, gemeente, wijk) == 1
    # Moderation hides with an UPDATE that leaves updated_at as it was.
    melding = melding_create(
        reporter=UserFactory(), initiatief=initiatief, reason=MeldingReden.values[0]
    )
    melding_hide(melding=melding, by=beheerder, reason="Reclame")
    assert _participants(officer, gemeente, wijk) == 0


def _reads_counts(officer, gemeente) -> bool:
    """Whether the overview read the counts (blind spots not from the cache)."""
    with CaptureQueriesContext(connection) as ctx:
        assert officer.get(f"/dashboard/{gemeente.code}/").status_code == 200
    sql = [q["sql"].lower() for q in ctx.captured_queries]
    return any("signaaltelling" in q and '"buurt_id" in (' in q for q in sql)


def _next_day(monkeypatch, gemeente) -> None:
    """The blind spots' day moves on; the overview (its key holds the day too) is
    made anew."""
    from dashboard import blind_spots
    from wijken import generations

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(blind_spots, "today", lambda: tomorrow)
    generations.bump(gemeente_ids=[gemeente.pk])


def test_blind_spots_are_a_daily_figure(
    officer, gemeente, wijk, buurten, dash_data, monkeypatch
):
    assert _blind_spots(officer, gemeente) == ["Grijze Hoek"]
    assert not _reads_counts(officer, gemeente)
    # The next run writes other counts: the ranking keeps today's figure (a write in
    # one wijk does not make every page of the gemeente rank again) ...
    for weeks_ago in (0, 4, 8):
        telling(wijk, weeks_ago, "eenzaamheid", 40, buurt=buurten[2])
        telling(wijk, weeks_ago, "eenzaamheid", 40)
    _run(wijk, minutes_later=2)
    assert not _reads_counts(officer, gemeente)
    assert _blind_spots(officer, gemeente) == ["Grijze Hoek"]
    # ... and is made again from the new counts the next day.
    _next_day(monkeypatch, gemeente)
    assert _reads_counts(officer, gemeente)
    cached = _blind_spots(officer, gemeente)
    cache.clear()
    assert cached == _blind_spots(officer, gemeente)


def test_blind_spots_follow_new_initiatives_the_next_day(
    officer, gemeente, wijk, buurten, dash_data, monkeypatch
):
    assert _blind_spots(officer, gemeente) == ["Grijze Hoek"]
    for _n in range(4):
        InitiatiefFactory(wijk=wijk, buurt=buurten[2], status="actief")
    telling(wijk, 4, "eenzaamheid", 40, buurt=buurten[2])
    telling(wijk, 4, "eenzaamheid", 40)
    _run(wijk, minutes_later=2)
    assert _blind_spots(officer, gemeente) == ["Grijze Hoek"]
    _next_day(monkeypatch, gemeente)
    assert _blind_spots(officer, gemeente) == []


def test_blind_spots_follow_new_cbs_figures(officer, gemeente, wijk, dash_data):
    from wijken.models import Kerncijfers

    assert _blind_spots(officer, gemeente) == ["Grijze Hoek"]
    figures = Kerncijfers.objects.get(code="BU04390103")
    figures.pct_age_65_plus = 15.0
    figures.pct_single_person_households = 30.0
    figures.income_per_inhabitant = 35.0
    figures.save()
    assert "Grijze Hoek" not in _blind_spots(officer, gemeente)


# --- The whole page comes from the cache; every write path renews it ----------------------


def _wijk_context(officer, wijk):
    response = officer.get(f"/dashboard/wijk/{wijk.code}/")
    assert response.status_code == 200
    return response.context


def test_warm_wijk_page_reads_no_figures(officer, wijk, dash_data):
    _wijk_context(officer, wijk)
    with CaptureQueriesContext(connection) as ctx:
        _wijk_context(officer, wijk)
    sql = " ".join(q["sql"].lower() for q in ctx.captured_queries)
    for table in ("signaaltelling", "wijkthema", "initiatief", "wijkdoel", "escalatie"):
        assert table not in sql


def test_new_goal_progress_shows(
    officer, wijk, team, professional, ambtenaar, dash_data
):
    from signalen.goals.services import progress_add
    from tests.dashboard.test_loop import _goal

    doel = _goal(wijk, team, professional, ambtenaar)
    before = [
        goal.current_value for goal, _bar in _wijk_context(officer, wijk)["goals"]
    ]
    progress_add(
        doel=doel, actor=professional, date=timezone.localdate(), value=35, note=""
    )
    after = [goal.current_value for goal, _bar in _wijk_context(officer, wijk)["goals"]]
    assert before == [20]
    assert after == [35]


def test_answered_escalation_leaves_the_open_count(
    officer, wijk, team, professional, ambtenaar, dash_data
):
    from signalen.escalations.services import escalation_answer
    from signalen.models import EscalatieStatus
    from tests.dashboard.test_loop import _escalation, _theme

    escalatie = _escalation(
        _theme(wijk, "Vocht"), team, professional, status=EscalatieStatus.ONTVANGEN
    )
    rows = _wijk_context(officer, wijk)["escalations"]
    assert [row.is_open for row in rows] == [True]
    escalation_answer(actor=ambtenaar, escalatie=escalatie, answer="Wij pakken het op.")
    rows = _wijk_context(officer, wijk)["escalations"]
    assert [row.is_open for row in rows] == [False]


def test_linked_initiative_answers_the_theme(
    officer, wijk, dash_data, professional, team
):
    from signalen.answers.services import answer_link

    thema = WijkThema.objects.get(label="eenzaam flat lift")
    _members(thema, 6, professional, team, wijk)

    def answered() -> bool:
        themes = _wijk_context(officer, wijk)["themes"]
        return next(t for t, _bars in themes if t.pk == thema.pk).has_answer

    assert not answered()
    answer_link(
        actor=professional,
        thema=thema,
        initiatief=InitiatiefFactory(wijk=wijk, status="actief"),
    )
    assert answered()


def test_a_signal_dated_into_a_closed_block_never_shows_there(
    officer, wijk, dash_data, professional, team
):
    from signalen.themes import runs as rollup_runs

    def cells():
        table = _wijk_context(officer, wijk)["table"]
        return {key: cell.value for key, cell in table.cells.items()}

    before = cells()
    now = timezone.now()
    signaal = make_signaal(
        author=professional, team=team, wijk=wijk, observed_on=week(1), created_at=now
    )
    for _n in range(5):
        make_signaal(
            author=professional,
            team=team,
            wijk=wijk,
            observed_on=week(1),
            categorie=signaal.categorie,
            created_at=now,
        )
    # Logged today, seen in a block that is over: they count in the block that runs
    # (signalen.intake.facts), and neither the run nor the page moves the old one.
    rollup_runs.rollup_wijk(wijk)
    assert cells() == before


# --- The counts per block a run stores; the rendered content ------------------------------


def test_stored_theme_counts_are_the_counted_ones(
    officer, wijk, dash_data, professional, team
):
    from signalen.models import ThemaBlokTelling
    from signalen.themes.blocks import rollup_finished

    thema = WijkThema.objects.get(label="eenzaam flat lift")
    _members(thema, 6, professional, team, wijk)
    _members(thema, 5, professional, team, wijk, weeks_ago=30)
    counted = _sizes(officer, wijk)
    rollup_finished(wijk)
    assert ThemaBlokTelling.objects.filter(wijk=wijk).exists()
    with CaptureQueriesContext(connection) as ctx:
        assert _sizes(officer, wijk) == counted
    # Read from the stored row: the members are not counted.
    assert not [q for q in ctx.captured_queries if "themalid" in q["sql"].lower()]


def test_a_withdrawal_forgets_the_stored_counts_but_not_the_block_shown(
    officer, wijk, dash_data, professional, team
):
    from signalen.models import ThemaBlokTelling
    from signalen.themes.blocks import rollup_finished

    thema = WijkThema.objects.get(label="eenzaam flat lift")
    signalen = _members(thema, 6, professional, team, wijk)
    rollup_finished(wijk)
    assert _sizes(officer, wijk)["Eenzaam in de flat"] == 6
    _logged_recently(signalen[0])  # a signal can be withdrawn for 24 hours
    signaal_withdraw(signaal=signalen[0], actor=professional, reason="dubbel")
    assert not ThemaBlokTelling.objects.filter(wijk=wijk).exists()
    # The block was shown with 6: it stays 6 (signalen.themes.published).
    assert _sizes(officer, wijk)["Eenzaam in de flat"] == 6


def _main(content: bytes) -> bytes:
    """The page's content (the layout around it carries a nonce per request)."""
    found = re.search(rb"<main.*</main>", content, re.DOTALL)
    assert found is not None
    return found.group(0)


def test_rendered_content_is_kept_until_its_wijk_changes(
    officer, wijk, other_wijk, dash_data, professional, team
):
    url = f"/dashboard/wijk/{wijk.code}/"
    first = _main(officer.get(url).content)
    with CaptureQueriesContext(connection) as ctx:
        assert _main(officer.get(url).content) == first
    sql = " ".join(q["sql"].lower() for q in ctx.captured_queries)
    for table in ("signaaltelling", "wijkthema", "initiatief", "wijkdoel", "escalatie"):
        assert table not in sql
    # A write in another wijk of the gemeente leaves the page as it was ...
    InitiatiefFactory(wijk=other_wijk, status="actief", title="Elders")
    with CaptureQueriesContext(connection) as ctx:
        assert _main(officer.get(url).content) == first
    assert "initiatief" not in " ".join(q["sql"].lower() for q in ctx.captured_queries)
    # ... a write in this wijk shows on the next page.
    InitiatiefFactory(wijk=wijk, status="actief", title="Repair Café Centrum")
    assert _main(officer.get(url).content) != first


def test_rendered_content_of_the_public_page_follows_its_initiatives(
    client, wijk, other_wijk, dash_data
):
    url = f"/wijk/{wijk.code}/"
    first = _main(client.get(url).content)
    assert _main(client.get(url).content) == first
    InitiatiefFactory(wijk=other_wijk, status="actief", title="Elders")
    assert _main(client.get(url).content) == first
    InitiatiefFactory(wijk=wijk, status="actief", title="Repair Café Centrum")
    assert b"Repair Caf" in _main(client.get(url).content)


def test_the_end_of_a_run_makes_the_wijk_dashboard_ahead(
    officer, wijk, dash_data, django_capture_on_commit_callbacks
):
    from signalen.themes.blocks import rollup_finished

    _wijk_context(officer, wijk)
    with django_capture_on_commit_callbacks(execute=True):
        rollup_finished(wijk)
    # The first officer after the run finds the figures made: no counts, no themes.
    with CaptureQueriesContext(connection) as ctx:
        _wijk_context(officer, wijk)
    sql = " ".join(q["sql"].lower() for q in ctx.captured_queries)
    for table in ("signaaltelling", "wijkthema", "themabloktelling"):
        assert table not in sql


def test_rendered_content_made_ahead_is_the_page_an_officer_gets(
    officer, wijk, dash_data, django_capture_on_commit_callbacks
):
    from dashboard.views import wijk_prepare

    url = f"/dashboard/wijk/{wijk.code}/"
    rendered = _main(officer.get(url).content)
    cache.clear()
    wijk_prepare(wijk.pk)
    with CaptureQueriesContext(connection) as ctx:
        made_ahead = _main(officer.get(url).content)
    assert made_ahead == rendered
    sql = " ".join(q["sql"].lower() for q in ctx.captured_queries)
    for table in ("signaaltelling", "wijkthema", "initiatief"):
        assert table not in sql

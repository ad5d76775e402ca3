"""Generations: a write that changes what is shown of a wijk renews its token (and its
gemeente's); other wijken keep theirs; reading costs no query."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from signalen.models import AuditEntry, ThemaInitiatief, ThemaLid, WijkThema
from tests.initiatieven.factories import DeelnameFactory, InitiatiefFactory
from tests.signalen.helpers import make_signaal
from wijken import generations

pytestmark = pytest.mark.django_db


def _stamps(wijk, other_wijk):
    return (
        generations.stamp(wijk_ids=[wijk.pk]),
        generations.stamp(wijk_ids=[other_wijk.pk]),
        generations.stamp(gemeente_ids=[wijk.gemeente_id]),
    )


def test_stamp_is_stable_and_costs_no_query(wijk):
    first = generations.stamp(wijk_ids=[wijk.pk], gemeente_ids=[wijk.gemeente_id])
    with CaptureQueriesContext(connection) as ctx:
        again = generations.stamp(wijk_ids=[wijk.pk], gemeente_ids=[wijk.gemeente_id])
    assert again == first
    assert len(ctx.captured_queries) == 0


def test_bump_renews_the_wijk_and_its_gemeente_only(wijk, other_wijk):
    wijk_stamp, other_stamp, gemeente_stamp = _stamps(wijk, other_wijk)
    generations.bump(wijk_ids=[wijk.pk])
    after = _stamps(wijk, other_wijk)
    assert after[0] != wijk_stamp
    assert after[1] == other_stamp
    assert after[2] != gemeente_stamp


def test_bump_everything_renews_every_stamp(wijk, other_wijk):
    before = _stamps(wijk, other_wijk)
    generations.bump_everything()
    after = _stamps(wijk, other_wijk)
    assert all(a != b for a, b in zip(after, before, strict=True))


def test_a_lost_token_is_made_anew(wijk):
    first = generations.stamp(wijk_ids=[wijk.pk])
    cache.clear()
    assert generations.stamp(wijk_ids=[wijk.pk]) != first


def test_a_cache_outage_does_not_fail_the_write(wijk, professional, team):
    with mock.patch.object(cache, "set_many", side_effect=ConnectionError("down")):
        signaal = make_signaal(author=professional, team=team, wijk=wijk)
    assert signaal.pk is not None


def test_rows_find_their_wijk_through_what_they_point_at(wijk):
    thema = WijkThema.objects.create(wijk=wijk, label="x", keywords=["x"])
    initiatief = InitiatiefFactory(wijk=wijk)
    link = ThemaInitiatief.objects.create(thema=thema, initiatief=initiatief)
    deelname = DeelnameFactory(initiatief=initiatief)
    assert generations.wijk_id_of(link) == wijk.pk
    assert generations.wijk_id_of(deelname) == wijk.pk


@pytest.mark.parametrize("make", ["signal", "theme", "initiative", "participation"])
def test_writes_renew_the_wijk(make, wijk, other_wijk, professional, team):
    initiatief = InitiatiefFactory(wijk=wijk)
    before = _stamps(wijk, other_wijk)
    if make == "signal":
        make_signaal(author=professional, team=team, wijk=wijk)
    elif make == "theme":
        WijkThema.objects.create(wijk=wijk, label="y", keywords=["y"])
    elif make == "initiative":
        initiatief.status = "afgerond"
        initiatief.save()
    else:
        DeelnameFactory(initiatief=initiatief)
    after = _stamps(wijk, other_wijk)
    assert after[0] != before[0]
    assert after[1] == before[1]


def test_bulk_and_audit_rows_do_not_renew(wijk, professional, team):
    signaal = make_signaal(author=professional, team=team, wijk=wijk)
    thema = WijkThema.objects.create(wijk=wijk, label="z", keywords=["z"])
    before = generations.stamp(wijk_ids=[wijk.pk])
    ThemaLid.objects.create(thema=thema, signaal=signaal)
    AuditEntry.objects.create(actor=professional, action="view", wijk=wijk)
    assert generations.stamp(wijk_ids=[wijk.pk]) == before


def test_a_row_moved_to_another_wijk_renews_both(wijk, other_wijk):
    initiatief = InitiatiefFactory(wijk=wijk)
    before = _stamps(wijk, other_wijk)
    initiatief.wijk = other_wijk
    initiatief.save()
    after = _stamps(wijk, other_wijk)
    assert after[0] != before[0]
    assert after[1] != before[1]


def test_a_save_that_leaves_the_wijk_reads_no_old_row(wijk, professional, team):
    signaal = make_signaal(author=professional, team=team, wijk=wijk)
    signaal.withdrawn_reason = "dubbel"
    with CaptureQueriesContext(connection) as ctx:
        signaal.save(update_fields=["withdrawn_reason"])
    assert not [
        q
        for q in ctx.captured_queries
        if q["sql"].lstrip().startswith("SELECT") and '"signalen_signaal"' in q["sql"]
    ]


# --- Parts of a wijk: a write renews only the parts it changes, in its own wijk ----------


def _parts(wijk) -> dict[str, str]:
    tokens = generations.stamps(wijk_ids=[wijk.pk], domains=generations.PARTS)
    return dict(zip(generations.PARTS, tokens[1:], strict=True))


def _renewed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {part for part in before if before[part] != after[part]}


def _signal(professional, team, wijk):
    return make_signaal(author=professional, team=team, wijk=wijk)


def _theme(professional, team, wijk):
    return WijkThema.objects.create(wijk=wijk, label="vocht", keywords=["vocht"])


def _initiative(professional, team, wijk):
    return InitiatiefFactory(wijk=wijk)


def _goal(professional, team, wijk):
    from tests.dashboard.test_loop import _goal

    return _goal(wijk, team, professional, professional)


def _escalation(professional, team, wijk):
    from tests.dashboard.test_loop import _escalation, _theme

    thema = _theme(wijk, "Schimmel")
    before = _parts(wijk)
    _escalation(thema, team, professional)
    return before


@pytest.mark.parametrize(
    ("write", "parts"),
    [
        (_signal, {"signalen"}),
        (_theme, {"themas"}),
        (_initiative, {"initiatieven"}),
        (_goal, {"doelen"}),
        (_escalation, {"beleidssignalen"}),
    ],
)
def test_a_write_renews_its_own_parts_of_its_own_wijk_only(
    write, parts, wijk, other_wijk, professional, team
):
    before, other_before = _parts(wijk), _parts(other_wijk)
    gemeente_before = generations.stamp(gemeente_ids=[wijk.gemeente_id])
    found = write(professional, team, wijk)
    if isinstance(found, dict):  # the write made rows of its own first
        before = found
    assert _renewed(before, _parts(wijk)) == parts
    assert _parts(other_wijk) == other_before
    # The gemeente overview lists every wijk: its token follows any write in them.
    assert generations.stamp(gemeente_ids=[wijk.gemeente_id]) != gemeente_before


def test_a_withdrawn_signal_renews_the_counts_and_the_members(
    wijk, other_wijk, professional, team
):
    from signalen.intake.services import signaal_withdraw

    signaal = _signal(professional, team, wijk)
    before, other_before = _parts(wijk), _parts(other_wijk)
    signaal_withdraw(signaal=signaal, actor=professional, reason="dubbel")
    assert _renewed(before, _parts(wijk)) == {"signalen", "leden"}
    assert _parts(other_wijk) == other_before


def test_the_end_of_a_run_renews_counts_members_and_themes(wijk, other_wijk):
    from signalen.themes.blocks import rollup_finished

    before, other_before = _parts(wijk), _parts(other_wijk)
    rollup_finished(wijk)
    assert _renewed(before, _parts(wijk)) == {"signalen", "leden", "themas"}
    assert _parts(other_wijk) == other_before


def test_a_write_that_names_no_part_renews_every_part(wijk, other_wijk):
    before, other_before = _parts(wijk), _parts(other_wijk)
    generations.bump(wijk_ids=[wijk.pk])
    assert _renewed(before, _parts(wijk)) == set(generations.PARTS)
    assert _parts(other_wijk) == other_before


def test_an_unknown_part_is_refused(wijk):
    with pytest.raises(ValueError, match="unknown parts"):
        generations.bump(wijk_ids=[wijk.pk], domains=["overal"])

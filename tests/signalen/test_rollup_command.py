"""``manage.py rollup``: one wijk, a gemeente or all, with a summary; bad input refused."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from signalen.models import RollupRun, WijkThema
from signalen.themes import runs as rollup_runs
from signalen.themes.runs import lock_acquire
from tests.factories import WijkFactory
from tests.signalen.test_rollup_runs import EENZAAM, NOISE, SCHIMMEL, add_signals


def rollup(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("rollup", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def authors(professional, colleague):
    return [professional, colleague]


@pytest.fixture
def signals(team, authors, wijk):
    add_signals(SCHIMMEL, team=team, authors=authors, wijk=wijk)
    add_signals(EENZAAM, team=team, authors=authors, wijk=wijk, categorie="eenzaamheid")
    add_signals(NOISE, team=team, authors=authors, wijk=wijk, categorie="overig")


def test_one_wijk_is_rolled_up_with_a_summary(wijk, other_wijk, signals):
    out, err = rollup("--wijk", wijk.code)
    run = RollupRun.objects.get()
    assert run.wijk == wijk
    assert run.trigger == RollupRun.Trigger.MANUAL
    assert run.status == RollupRun.Status.SUCCESS
    assert not run.recluster
    assert "gelukt (done) 1, mislukt (failed) 0, bezet (busy) 0" in out
    assert "Signalen gelezen (signals read): 19" in out
    assert "(created / updated / closed): 2 / 0 / 0" in out
    assert "Tijd (wall time):" in out
    assert err == ""
    assert WijkThema.objects.filter(wijk=wijk).count() == 2


def test_a_wijk_code_in_lower_case_with_spaces_is_accepted(wijk, signals):
    rollup("--wijk", f"  {wijk.code.lower()} ")
    assert RollupRun.objects.get().wijk == wijk


def test_a_second_run_reports_no_changes(wijk, signals):
    rollup("--wijk", wijk.code)
    out, _ = rollup("--wijk", wijk.code, "--recluster")
    assert "(created / updated / closed): 0 / 0 / 0" in out
    assert RollupRun.objects.filter(recluster=True).count() == 1


def test_a_gemeente_runs_every_active_wijk(gemeente, wijk, other_wijk, signals):
    WijkFactory(code="WK043903", name="Weg", gemeente=gemeente, is_active=False)
    out, _ = rollup("--gemeente", gemeente.code.lower())
    assert sorted(RollupRun.objects.values_list("wijk__code", flat=True)) == [
        wijk.code,
        other_wijk.code,
    ]
    assert "Wijken (wijken): 2; gelukt (done) 2" in out


def test_all_runs_the_wijken_with_signals_or_current_themes(
    wijk, other_wijk, outsider_wijk, signals
):
    WijkThema.objects.create(wijk=other_wijk, label="oud")
    out, _ = rollup("--all")
    assert sorted(RollupRun.objects.values_list("wijk__code", flat=True)) == [
        wijk.code,
        other_wijk.code,
    ]
    # The theme of other_wijk has no signals any more: it is closed.
    assert "(created / updated / closed): 2 / 0 / 1" in out


def test_all_with_nothing_to_do_says_so(db):
    out, _ = rollup("--all")
    assert "Wijken (wijken): 0" in out
    assert not RollupRun.objects.exists()


def test_a_busy_wijk_is_skipped_and_reported(wijk, other_wijk, gemeente, signals):
    lock = lock_acquire(wijk.pk)
    out, err = rollup("--gemeente", gemeente.code)
    lock.release()
    assert "gelukt (done) 1, mislukt (failed) 0, bezet (busy) 1" in out
    assert f"{wijk.code}: een andere run is bezig" in err
    assert list(RollupRun.objects.values_list("wijk", flat=True)) == [other_wijk.pk]


def test_a_failing_wijk_is_reported_the_rest_go_on_and_the_exit_is_an_error(
    wijk, other_wijk, gemeente, signals, monkeypatch
):
    real = rollup_runs.counts_rebuild

    def crash(w):
        if w == wijk:
            raise RuntimeError("kapot")
        return real(w)

    monkeypatch.setattr(rollup_runs, "counts_rebuild", crash)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 wijk"):
        call_command("rollup", "--gemeente", gemeente.code, stdout=out, stderr=err)
    assert "mislukt (failed) 1" in out.getvalue()
    assert f"{wijk.code}: mislukt (failed): RuntimeError: kapot" in err.getvalue()
    statuses = dict(RollupRun.objects.values_list("wijk__code", "status"))
    assert statuses == {
        wijk.code: RollupRun.Status.FAILED,
        other_wijk.code: RollupRun.Status.SUCCESS,
    }


def test_quiet_and_verbosity_zero_print_no_summary(wijk, signals):
    out, _ = rollup("--wijk", wijk.code, "--quiet", "--verbosity", "0")
    assert out == ""
    assert RollupRun.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--wijk", "WK999999"), "niet gevonden"),
        (("--wijk", ""), "niet gevonden"),
        (("--wijk", "<script>alert(1)</script>"), "niet gevonden"),
        (("--wijk", "W" * 500), "niet gevonden"),
        (("--gemeente", "GM9999"), "niet gevonden"),
        (("--gemeente", "WK043901"), "niet gevonden"),
    ],
)
def test_unknown_codes_are_refused_with_a_clear_error(wijk, args, message):
    with pytest.raises(CommandError, match=message):
        rollup(*args)
    assert not RollupRun.objects.exists()


def test_a_gemeente_without_active_wijken_is_refused(db):
    from tests.factories import GemeenteFactory

    GemeenteFactory(code="GM0001", name="Leeg")
    with pytest.raises(CommandError, match="geen actieve wijken"):
        rollup("--gemeente", "GM0001")


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--recluster",),
        ("--wijk", "WK043901", "--all"),
        ("--wijk", "WK043901", "--gemeente", "GM0439"),
        ("--gemeente", "GM0439", "--all"),
        ("--all", "extra"),
    ],
)
def test_exactly_one_choice_is_required(wijk, args):
    with pytest.raises(CommandError):
        rollup(*args)
    assert not RollupRun.objects.exists()

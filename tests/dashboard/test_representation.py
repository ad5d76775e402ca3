""" "Wie horen we niet?" (dashboard/representation.py): the comparison, k-anonymity
and who may read it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dashboard import representation
from dashboard.representation import (
    CBS_UNKNOWN,
    FAIR,
    TOO_FEW,
    UNDER,
    cbs_shares,
    compare,
    wijk_representation,
)
from initiatieven.models import Thema
from peilingen.models import PeilingStatus
from signalen.intake import queries as signal_queries
from signalen.kanon import KCount, Period, k_count
from tests.conftest import mfa_client
from tests.dashboard.conftest import telling
from tests.factories import KerncijfersFactory
from tests.initiatieven.factories import DeelnameFactory, InitiatiefFactory
from tests.peilingen.conftest import add_response, make_peiling

K = 5


def shown(n: int) -> KCount:
    return KCount(n, K)


def hidden() -> KCount:
    return KCount(None, K)


# --- The comparison --------------------------------------------------------------------


def test_a_group_seen_less_than_half_as_often_as_cbs_says_is_under():
    # 100 signals, 40 % of the wijk is 65+: 40 expected, 12 seen.
    result = compare(count=shown(12), total=shown(100), expected_pct=40.0, k=K)
    assert result.status == UNDER
    assert result.observed_pct == 12.0


def test_a_group_seen_about_as_often_as_cbs_says_is_fair():
    result = compare(count=shown(30), total=shown(100), expected_pct=40.0, k=K)
    assert result.status == FAIR


def test_unknown_cbs_value_compares_nothing():
    for expected in (None, 0.0):
        result = compare(count=shown(30), total=shown(100), expected_pct=expected, k=K)
        assert result.status == CBS_UNKNOWN


def test_a_hidden_total_says_too_few():
    result = compare(count=hidden(), total=hidden(), expected_pct=40.0, k=K)
    assert result.status == TOO_FEW
    assert result.observed_pct is None


def test_a_hidden_count_is_under_only_when_half_the_expected_is_k_or_more():
    # 20 % of 50 = 10 expected; half is 5 = K: a count below K is surely under.
    assert compare(count=hidden(), total=shown(50), expected_pct=20.0, k=K).is_under
    # 20 % of 40 = 8 expected; half is 4 < K: a hidden count may be 4, so no verdict.
    result = compare(count=hidden(), total=shown(40), expected_pct=20.0, k=K)
    assert result.status == TOO_FEW
    assert result.observed_pct is None


def test_the_verdict_on_a_hidden_count_does_not_depend_on_its_value():
    verdicts = {
        compare(count=k_count(n, k=K), total=shown(50), expected_pct=20.0, k=K).status
        for n in range(K)
    }
    assert verdicts == {UNDER}


def test_cbs_shares_with_unknown_figures_are_none(wijk):
    figures = KerncijfersFactory(
        code=wijk.code, pct_age_0_15=None, pct_age_65_plus=20.0, extra={"p_hh_li": -99}
    )
    shares = cbs_shares(figures)
    assert shares["age_65_plus"] == 20.0
    assert shares["adult_65_plus"] is None  # needs the share under 15
    assert shares["single_households"] is None
    assert shares["low_income"] is None  # CBS's negative sentinel is no number
    assert all(value is None for value in cbs_shares(None).values())


def test_cbs_shares_of_residents_of_15_and_older(wijk):
    figures = KerncijfersFactory(
        code=wijk.code,
        pct_age_0_15=20.0,
        pct_age_65_plus=20.0,
        extra={"p_hh_li": 18.0, "p_hh_m_k": 30},
    )
    shares = cbs_shares(figures)
    assert shares["adult_65_plus"] == 25.0
    assert shares["low_income"] == 18.0
    assert shares["households_children"] == 30.0


# --- Whole wijken --------------------------------------------------------------------------


@pytest.fixture
def figures(wijk):
    return KerncijfersFactory(
        code=wijk.code,
        inhabitants=6000,
        pct_age_0_15=20.0,
        pct_age_15_25=10.0,
        pct_age_25_45=30.0,
        pct_age_45_65=20.0,
        pct_age_65_plus=20.0,
        pct_single_person_households=40.0,
        extra={"p_hh_li": 20.0},
    )


def _rows(result, source):
    for source_result in result.sources:
        if source_result.source.code == source:
            return {group.code: row for group, row in source_result.rows}
    raise AssertionError(source)


def _signals(wijk, blocks, *, ouderen_per_block, all_per_block=20):
    """Block b (0 = the last whole block) gets all_per_block signals of which
    ouderen_per_block[b] are about ouderen."""
    # One signal in a second week of each table, so a block's total is not hidden
    # to protect cells that are all zero (signalen.kanon).
    for b in range(blocks):
        telling(wijk, 4 * b, "eenzaamheid", all_per_block - 1)
        telling(wijk, 4 * b + 1, "eenzaamheid", 1)
        n = ouderen_per_block[b]
        if n:
            telling(wijk, 4 * b, "eenzaamheid", n - 1, doelgroep="ouderen")
            telling(wijk, 4 * b + 1, "eenzaamheid", 1, doelgroep="ouderen")


def test_a_tiny_wijk_shows_no_figure(wijk, figures):
    telling(wijk, 0, "eenzaamheid", 3)
    telling(wijk, 0, "eenzaamheid", 2, doelgroep="ouderen")
    peiling = make_peiling(wijk)
    for _ in range(3):
        add_response(peiling, age_band="65-plus")
    result = wijk_representation(wijk=wijk, today=timezone.localdate())
    for source in result.sources:
        for _group, row in source.rows:
            assert row.count.is_hidden
            assert row.status in (TOO_FEW, CBS_UNKNOWN)
    assert result.under == []


def test_signals_about_a_group_counted_from_whole_blocks_of_k_or_more(wijk, figures):
    # 13 blocks of 20 signals; ouderen 2 in every block: never K in one block.
    _signals(wijk, 13, ouderen_per_block=[2] * 13)
    result = wijk_representation(wijk=wijk, today=timezone.localdate())
    ouderen = _rows(result, "signalen")["ouderen"]
    assert ouderen.total.value == 260
    # 26 signals in all, but none in a block that shows: never counted, and so
    # the 20 % x 260 = 52 expected make ouderen under-represented.
    assert ouderen.count.is_hidden
    assert ouderen.status == UNDER


def test_differencing_two_filters_pins_no_small_count(wijk, figures):
    """The representation's figure minus the dashboard's doelgroep filter over a run
    of blocks is a sum of shown block totals: 0 or at least K, never a thin block."""
    per_block = [6, 7, 2, 8] + [0] * 9
    _signals(wijk, 13, ouderen_per_block=per_block)
    today = timezone.localdate()
    result = wijk_representation(wijk=wijk, today=today)
    figure = _rows(result, "signalen")["ouderen"].count.value
    assert figure == 6 + 7 + 8  # the block with 2 does not count
    period = representation.signal_period(today)
    blocks = period.blocks
    # The dashboard: one block at a time, and every run of blocks.
    for first in range(len(blocks)):
        for last in range(first, len(blocks)):
            run = Period(blocks[first][0], blocks[last][-1])
            dash = signal_queries.wijk_week_table(
                wijk=wijk, period=run, doelgroep_code="ouderen"
            ).total
            if dash.value is None:
                continue
            difference = figure - dash.value
            assert difference == 0 or abs(difference) >= K


def test_one_age_band_below_k_in_a_survey_is_not_counted(wijk, figures):
    """One age band with K-1 people: the survey's results put it in "overig of
    onbekend", and so does the representation (it sums only groups the results show),
    so this figure minus another survey's shows no group under K."""
    closed = make_peiling(wijk)
    for _ in range(K - 1):
        add_response(closed, age_band="65-plus")
    for _ in range(10):
        add_response(closed, age_band="25-44")
    other = make_peiling(wijk)
    for _ in range(10):
        add_response(other, age_band="65-plus")
    result = wijk_representation(wijk=wijk, today=timezone.localdate())
    rows = _rows(result, "peilingen")
    assert rows["ouderen"].count.value == 10  # not 14: 14 - 10 would give 4 away
    # In the first survey the 4 made "overig" too small, so the 25-44 joined it
    # (peilingen/queries.py rule 3): that survey shows no age group at all.
    assert rows["ouderen"].total.value == 10
    assert rows["25-45"].count.is_hidden


def test_open_surveys_do_not_count(wijk, figures):
    peiling = make_peiling(wijk, status=PeilingStatus.OPEN)
    for _ in range(20):
        add_response(peiling, age_band="65-plus")
    rows = _rows(
        wijk_representation(wijk=wijk, today=timezone.localdate()), "peilingen"
    )
    assert rows["ouderen"].total.is_hidden


def test_narrow_buurt_gives_nothing_away(client, wijk, figures, ambtenaar, buurten):
    """Only whole-wijk figures: a buurt in the address changes nothing, and all
    respondents living in one buurt show only as the wijk's figure."""
    peiling = make_peiling(wijk)
    for _ in range(K - 1):
        add_response(peiling, buurt=buurten[0], age_band="45-64")
    for _ in range(12):
        add_response(peiling, buurt=buurten[1], age_band="65-plus")
    for _ in range(6):
        add_response(peiling, buurt=buurten[1], age_band="25-44")
    url = f"/dashboard/wijk/{wijk.code}/wie-horen-we-niet/"
    client = mfa_client(client, ambtenaar)
    plain = client.get(url)
    narrowed = client.get(url + f"?buurt={buurten[0].code}")
    assert plain.status_code == narrowed.status_code == 200
    tables = [
        {
            (source.source.code, group.code): (str(row.count), row.status)
            for source in response.context["result"].sources
            for group, row in source.rows
        }
        for response in (plain, narrowed)
    ]
    assert tables[0] == tables[1]
    rows = _rows(plain.context["result"], "peilingen")
    assert rows["45-65"].count.is_hidden
    assert rows["ouderen"].count.value == 12


def test_initiatives_and_participants_per_theme(wijk, figures):
    ouderen = Thema.objects.get(code="ouderen")
    others = [InitiatiefFactory(wijk=wijk) for _ in range(9)]
    for_elderly = InitiatiefFactory(wijk=wijk)
    for_elderly.themas.add(ouderen)
    for initiatief in others:
        for _ in range(2):
            DeelnameFactory(initiatief=initiatief)
    rows_i = _rows(
        wijk_representation(wijk=wijk, today=timezone.localdate()), "initiatieven"
    )
    assert rows_i["ouderen"].total.value == 10
    assert rows_i["ouderen"].count.is_hidden  # 1 initiative
    rows_p = _rows(
        wijk_representation(wijk=wijk, today=timezone.localdate()), "deelnemers"
    )
    assert rows_p["ouderen"].total.value == 18
    # 20 % of 18 = 3.6 expected: too few to say anything about a hidden count.
    assert rows_p["ouderen"].status == TOO_FEW


def test_a_registered_source_is_compared(wijk, figures, monkeypatch):
    monkeypatch.setattr(representation, "SOURCES", list(representation.SOURCES))

    def connectors(wijk, today, k):
        return {
            "ouderen": representation.Observed(
                k_count(2, k=k), k_count(50, k=k), "age_65_plus"
            )
        }

    representation.register_source(
        representation.Source("verbinders", "Buurtverbinders", "Test", connectors)
    )
    rows = _rows(
        wijk_representation(wijk=wijk, today=timezone.localdate()), "verbinders"
    )
    assert rows["ouderen"].status == UNDER


# --- Who may read it ---------------------------------------------------------------------


def url(wijk):
    return f"/dashboard/wijk/{wijk.code}/wie-horen-we-niet/"


def test_anonymous_goes_to_login(client, wijk):
    response = client.get(url(wijk))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_resident_is_refused(client, wijk, bewoner):
    client.force_login(bewoner)
    assert client.get(url(wijk)).status_code == 403


def test_team_reads_its_own_wijk(client, wijk, figures, professional):
    response = mfa_client(client, professional).get(url(wijk))
    assert response.status_code == 200
    assert "Hoe we dit berekenen" in response.content.decode()


def test_team_gets_404_for_another_wijk(
    client, other_wijk, outsider_wijk, professional
):
    client = mfa_client(client, professional)
    assert client.get(url(other_wijk)).status_code == 404
    assert client.get(url(outsider_wijk)).status_code == 404


def test_officer_reads_own_gemeente_only(
    client, wijk, outsider_wijk, figures, ambtenaar
):
    client = mfa_client(client, ambtenaar)
    assert client.get(url(wijk)).status_code == 200
    assert client.get(url(outsider_wijk)).status_code == 404


def test_beheerder_reads_every_wijk(client, wijk, outsider_wijk, beheerder):
    client = mfa_client(client, beheerder)
    assert client.get(url(wijk)).status_code == 200
    assert client.get(url(outsider_wijk)).status_code == 200


def test_unknown_wijk_is_404(client, ambtenaar):
    assert mfa_client(client, ambtenaar).get(url_code("WK999999")).status_code == 404


def url_code(code):
    return f"/dashboard/wijk/{code}/wie-horen-we-niet/"


def test_officer_wijk_page_names_the_under_represented_groups(
    client, wijk, figures, ambtenaar
):
    _signals(wijk, 13, ouderen_per_block=[0] * 13)
    response = mfa_client(client, ambtenaar).get(f"/dashboard/wijk/{wijk.code}/")
    html = response.content.decode()
    assert "Wie horen we niet?" in html
    assert "Ouderen (65 of ouder)" in html
    assert url(wijk) in html


def test_team_report_shows_the_comparison(client, wijk, figures, professional):
    _signals(wijk, 13, ouderen_per_block=[0] * 13)
    response = mfa_client(client, professional).get(f"/signalen/rapport/{wijk.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="wie-horen-we-niet"' in html
    assert "Ondervertegenwoordigd" in html

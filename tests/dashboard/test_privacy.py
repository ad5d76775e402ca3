"""Officers never see a count below K nor signal text: not in the page, the map data,
the chart data, the CSV or Excel export, nor as a total minus its shown parts."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re

import pytest
from openpyxl import load_workbook

from signalen.models import AuditEntry, Categorie, SignaalTelling, ThemaLid, WijkThema
from tests.conftest import mfa_client
from tests.dashboard.conftest import SECRET_TEXT, telling, week
from tests.signalen.helpers import make_signaal

pytestmark = pytest.mark.django_db


def _pages(client, gemeente, wijk) -> dict[str, str]:
    """Everything an officer can get, as text."""
    # One custom period of just the block of weeks 0-3, one of weeks 4-7.
    block = f"periode=eigen&van={week(3).isoformat()}&tot={week(0).isoformat()}"
    block_before = f"periode=eigen&van={week(7).isoformat()}&tot={week(4).isoformat()}"
    out = {}
    for name, url in {
        "overview": f"/dashboard/{gemeente.code}/",
        "overview_6m": f"/dashboard/{gemeente.code}/?periode=6m",
        "overview_block": f"/dashboard/{gemeente.code}/?{block}",
        "wijk": f"/dashboard/wijk/{wijk.code}/",
        "wijk_block": f"/dashboard/wijk/{wijk.code}/?{block}",
        "wijk_block_before": f"/dashboard/wijk/{wijk.code}/?{block_before}",
        "wijk_buurt": f"/dashboard/wijk/{wijk.code}/?buurt=BU04390103",
        "wijk_buurt_shown": f"/dashboard/wijk/{wijk.code}/?buurt=BU04390101",
        "wijk_buurt_block": f"/dashboard/wijk/{wijk.code}/?buurt=BU04390101&{block}",
        "wijk_doelgroep": f"/dashboard/wijk/{wijk.code}/?doelgroep=ouderen",
        "wijk_doelgroep_block": (
            f"/dashboard/wijk/{wijk.code}/?doelgroep=ouderen&{block}"
        ),
        "wijk_categorie": f"/dashboard/wijk/{wijk.code}/?categorie=geldzorgen-schulden",
        "overview_csv": f"/dashboard/{gemeente.code}/export.csv",
        "wijk_csv": f"/dashboard/wijk/{wijk.code}/export.csv",
        "wijk_buurt_csv": f"/dashboard/wijk/{wijk.code}/export.csv?buurt=BU04390101",
    }.items():
        response = client.get(url)
        assert response.status_code == 200, url
        out[name] = response.content.decode("utf-8")
    for name, url in {
        "overview_xlsx": f"/dashboard/{gemeente.code}/export.xlsx",
        "wijk_xlsx": f"/dashboard/wijk/{wijk.code}/export.xlsx",
    }.items():
        book = load_workbook(io.BytesIO(client.get(url).content))
        out[name] = "\n".join(
            ";".join("" if v is None else str(v) for v in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return out


def _normalise(text: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def _json_script(html: str, element_id: str):
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, element_id
    return json.loads(match.group(1))


def test_moving_a_hidden_count_changes_nothing_an_officer_sees(
    client, ambtenaar, gemeente, wijk, every_block, buurten
):
    """Two data sets that differ only in where a small count sits within one table
    must look the same everywhere: then no page, map, chart or export carries a hidden
    cell. Outside the team every table is one block of four weeks (a period's total
    is the sum of its block totals), so the count moves within its block (weeks 0-3):
    moved to another block it would change two block totals, which an officer may
    see on their own. every_block makes the buurt and doelgroep totals show."""
    client = mfa_client(client, ambtenaar)
    before = _pages(client, gemeente, wijk)
    assert "alleen het totaal van de periode: 24." in before["wijk_buurt_shown"]
    assert "alleen het totaal van de periode: 25." in before["wijk_doelgroep"]
    # Move the hidden 3 (geldzorgen, week 1) to another week and category, and the
    # buurt's hidden 2 (Grijze Hoek, week 1) to another week, in the same block.
    row = SignaalTelling.objects.get(wijk=wijk, buurt=None, doelgroep=None, count=3)
    row.week = week(3)
    row.categorie = Categorie.objects.get(code="gezondheid")
    row.save()
    buurt_row = SignaalTelling.objects.get(wijk=wijk, buurt=buurten[2])
    buurt_row.week = week(2)
    buurt_row.save()
    # And the hidden 4 of ouderen (eenzaamheid, week 2) to another week and category.
    doelgroep_row = SignaalTelling.objects.get(
        wijk=wijk, doelgroep__code="ouderen", count=4
    )
    doelgroep_row.week = week(0)
    doelgroep_row.categorie = Categorie.objects.get(code="wonen-woonoverlast")
    doelgroep_row.save()
    after = _pages(client, gemeente, wijk)
    for name in before:
        assert _normalise(before[name]) == _normalise(after[name]), name


def test_chart_data_has_no_hidden_values(client, ambtenaar, wijk, dash_data):
    html = mfa_client(client, ambtenaar).get(f"/dashboard/wijk/{wijk.code}/")
    chart = _json_script(html.content.decode(), "dash-chart-data")
    values = [v for d in chart["datasets"] for v in d["data"]]
    # Per block of four weeks: 12 + 8 eenzaamheid could pin its two empty weeks, so it
    # counts in "overige" (23 with the 3 geld); 6 veiligheid + 1 mantelzorg twice.
    assert sorted(v for v in values if v) == [7, 7, 23]
    assert all(v == 0 or v >= 5 for v in values)
    for dataset in chart["datasets"]:
        for value, note in zip(dataset["data"], dataset["notes"], strict=True):
            assert (value == 0) == bool(note)


def test_map_data_carries_no_hidden_numbers(
    client, ambtenaar, gemeente, wijk, other_wijk, dash_data
):
    html = mfa_client(client, ambtenaar).get(f"/dashboard/{gemeente.code}/")
    data = _json_script(html.content.decode(), "dash-map-data")
    props = {f["properties"]["code"]: f["properties"] for f in data["features"]}
    # The other wijk has 4 signals: no data, and no number of any kind.
    assert props[other_wijk.code]["klasse"] == "geen"
    assert not re.search(
        r"\d", json.dumps(props[other_wijk.code]).replace(other_wijk.code, "")
    )
    assert props[wijk.code]["klasse"] != "geen"
    # 37 signals, 8,000 inhabitants.
    assert "4,6" in props[wijk.code]["label"]


def test_a_total_that_would_give_cells_away_is_hidden(
    client, ambtenaar, gemeente, other_wijk, dash_data
):
    """Only shown cells (12 and 8) and zeros: the total 20 would tell that every
    hidden cell is 0, so it is hidden, on every page and export."""
    SignaalTelling.objects.filter(wijk=other_wijk).delete()
    telling(other_wijk, 1, "eenzaamheid", 12)
    telling(other_wijk, 2, "eenzaamheid", 8)
    client = mfa_client(client, ambtenaar)
    overview = client.get(f"/dashboard/{gemeente.code}/").content.decode()
    assert re.search(r"Overwhere</a></th>\s*<td[^>]*>verborgen</td>", overview)
    page = client.get(f"/dashboard/wijk/{other_wijk.code}/").content.decode()
    assert "Totaal in deze periode, alle categorieën: verborgen." in page
    assert ">20<" not in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    f"/dashboard/wijk/{other_wijk.code}/export.csv"
                ).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert ["Signalen in deze periode", "verborgen", "—"] in rows
    assert ["Totaal alle categorieën", "verborgen"] in rows


def test_csv_shows_small_counts_as_text(client, ambtenaar, wijk, dash_data):
    text = (
        mfa_client(client, ambtenaar)
        .get(f"/dashboard/wijk/{wijk.code}/export.csv")
        .content.decode("utf-8-sig")
    )
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    start = rows.index(["Signalen per week"])
    header = rows[start + 1]
    assert header == ["Week van", "Eenzaamheid", "Veiligheid"]
    weekly = rows[start + 2 : start + 14]  # 12 weeks
    assert rows[start + 14][0] == "Totaal alle categorieën"
    cells = [cell for row in weekly for cell in row[1:]]
    assert sorted(c for c in cells if c != "verborgen") == ["12", "6", "6", "8"]
    # 37 now against 26 before; a leading + is escaped for spreadsheets.
    assert rows[3] == ["Signalen in deze periode", "37", "'+11 (+42 %)"]


def test_no_signal_text_or_author_anywhere(
    client, ambtenaar, gemeente, wijk, dash_data, professional, team
):
    thema = WijkThema.objects.get(label="eenzaam flat lift")
    for _ in range(6):
        # In the last block that is over: officers see only blocks that are over.
        signaal = make_signaal(
            author=professional,
            team=team,
            wijk=wijk,
            text=SECRET_TEXT,
            observed_on=week(1),
        )
        ThemaLid.objects.create(thema=thema, signaal=signaal)
    pages = _pages(mfa_client(client, ambtenaar), gemeente, wijk)
    for name, text in pages.items():
        assert SECRET_TEXT not in text, name
        assert "Geheimstraat" not in text, name
        assert professional.display_name not in text, name
        assert "teamgeheim" not in text, name
        assert "Alleen voor het team" not in text, name
        assert "Oud thema" not in text, name
    # The theme's size is shown now that it has 6 signals.
    assert re.search(r"Eenzaam in de flat.*?>6</td>", pages["wijk"], re.S)


def test_theme_size_below_k_is_hidden(
    client, ambtenaar, wijk, dash_data, professional, team
):
    thema = WijkThema.objects.get(label="eenzaam flat lift")
    for _ in range(4):  # in the last block that is over, so they count
        ThemaLid.objects.create(
            thema=thema,
            signaal=make_signaal(
                author=professional, team=team, wijk=wijk, observed_on=week(1)
            ),
        )
    page = mfa_client(client, ambtenaar).get(f"/dashboard/wijk/{wijk.code}/")
    text = page.content.decode()
    assert re.search(r"Eenzaam in de flat.*?verborgen</td>", text, re.S)
    assert "Nog geen gezamenlijke aanpak" in text


def test_exports_are_audited_and_pages_are_not(
    client, ambtenaar, gemeente, wijk, dash_data
):
    client = mfa_client(client, ambtenaar)
    client.get(f"/dashboard/{gemeente.code}/")
    client.get(f"/dashboard/wijk/{wijk.code}/")
    assert not AuditEntry.objects.exists()
    client.get(
        f"/dashboard/wijk/{wijk.code}/export.csv?periode=6m&categorie=eenzaamheid"
    )
    client.get(f"/dashboard/{gemeente.code}/export.xlsx")
    entries = list(AuditEntry.objects.order_by("pk"))
    assert [e.action for e in entries] == ["export", "export"]
    assert entries[0].actor == ambtenaar
    assert entries[0].wijk == wijk
    assert entries[0].detail["format"] == "csv"
    assert entries[0].detail["periode"] == "6m"
    assert entries[0].detail["categorie"] == "eenzaamheid"
    assert entries[1].wijk is None
    assert entries[1].detail["gemeente"] == gemeente.code


def test_export_cells_cannot_run_as_formulas(client, ambtenaar, wijk, dash_data):
    WijkThema.objects.filter(label="eenzaam flat lift").update(name="=HYPERLINK(1)")
    text = (
        mfa_client(client, ambtenaar)
        .get(f"/dashboard/wijk/{wijk.code}/export.csv")
        .content.decode("utf-8-sig")
    )
    assert "'=HYPERLINK(1)" in text
    assert ";=HYPERLINK" not in text


def _wijk_of_40(wijk, buurten, third: int):
    """Wijk total 40 (hidden cells 1 and 2 keep it shown); buurten 13 and 17 shown;
    the third buurt gets `third` signals."""
    telling(wijk, 1, "veiligheid", 37)
    telling(wijk, 2, "mantelzorg", 1)
    telling(wijk, 3, "gezondheid", 2)
    telling(wijk, 1, "veiligheid", 12, buurt=buurten[0])
    telling(wijk, 2, "mantelzorg", 1, buurt=buurten[0])
    telling(wijk, 1, "veiligheid", 15, buurt=buurten[1])
    telling(wijk, 3, "gezondheid", 2, buurt=buurten[1])
    if third:
        telling(wijk, 1, "veiligheid", third, buurt=buurten[2])
        if third >= 5:
            telling(wijk, 0, "mantelzorg", 1, buurt=buurten[2])


def test_buurt_totals_never_give_away_the_signals_without_a_buurt(wijk, buurten):
    """Buurten 13 + 17 + 6 shown: the 4 signals without a buurt would be the wijk total
    minus the buurt totals. So the buurt totals hide; the wijk total stays."""
    from signalen import kanon
    from signalen.intake import queries as signal_queries

    _wijk_of_40(wijk, buurten, third=5)
    period = kanon.Period(week(3), week(0))  # one block

    totals = signal_queries.buurt_signal_totals(
        wijk_ids=[wijk.pk], buurt_ids=[b.pk for b in buurten], period=period
    )
    assert all(totals[b.pk].current.is_hidden for b in buurten)
    table = signal_queries.wijk_week_table(
        wijk=wijk, period=period, buurt_code=buurten[0].code
    )
    assert table.total.is_hidden
    assert signal_queries.wijk_week_table(wijk=wijk, period=period).total.value == 40


def test_buurt_totals_show_when_the_rest_is_safe(wijk, buurten):
    """The rest (the hidden third buurt and the signals without a buurt) is two cells
    that cannot be pinned: the buurt totals may show."""
    from signalen import kanon
    from signalen.intake import queries as signal_queries

    _wijk_of_40(wijk, buurten, third=2)
    period = kanon.Period(week(3), week(0))  # one block

    totals = signal_queries.buurt_signal_totals(
        wijk_ids=[wijk.pk], buurt_ids=[b.pk for b in buurten], period=period
    )
    assert totals[buurten[0].pk].current.value == 13
    assert totals[buurten[1].pk].current.value == 17
    assert totals[buurten[2].pk].current.is_hidden


def test_buurt_totals_never_pin_a_hidden_buurt_at_zero(wijk, buurten):
    """Wijk 40; Binnenstad 13 and Wagenweg 27 shown; Grijze Hoek reads "< 5" but
    40 - 13 - 27 = 0 would pin it at 0 (the helper hides a total whose hidden cells
    are all 0 for that reason). So the buurt totals must hide."""
    from signalen import kanon
    from signalen.intake import queries as signal_queries

    telling(wijk, 1, "veiligheid", 37)
    telling(wijk, 2, "mantelzorg", 1)
    telling(wijk, 3, "gezondheid", 2)
    telling(wijk, 1, "veiligheid", 12, buurt=buurten[0])
    telling(wijk, 2, "mantelzorg", 1, buurt=buurten[0])
    telling(wijk, 1, "veiligheid", 25, buurt=buurten[1])
    telling(wijk, 3, "gezondheid", 2, buurt=buurten[1])
    period = kanon.Period(week(3), week(0))  # one block
    assert signal_queries.wijk_week_table(wijk=wijk, period=period).total.value == 40
    totals = signal_queries.buurt_signal_totals(
        wijk_ids=[wijk.pk], buurt_ids=[b.pk for b in buurten], period=period
    )
    assert totals[buurten[2].pk].current.is_hidden
    assert totals[buurten[0].pk].current.is_hidden
    assert totals[buurten[1].pk].current.is_hidden


@pytest.mark.parametrize(
    ("query", "total"),
    [({"buurt": "BU04390101"}, "24"), ({"doelgroep": "ouderen"}, "25")],
)
def test_buurt_or_doelgroep_filter_withholds_every_cell_and_says_so(
    client, ambtenaar, wijk, every_block, query, total
):
    """Per week and category, a buurt's or target group's cells could be subtracted
    from the wijk's: with such a filter no cell is shown, in the page, the chart data
    or the export, and the page says that only the total is shown."""
    client = mfa_client(client, ambtenaar)
    page = client.get(f"/dashboard/wijk/{wijk.code}/", query)
    text = page.content.decode()
    table = page.context["table"]
    assert table.cells_withheld
    assert table.shown_count == 0
    assert all(count.is_hidden for count in table.cells.values())
    assert str(table.total) == total
    assert page.context["categories"] == []
    assert all(counts == [] for _week, counts in page.context["table_rows"])
    assert 'id="dash-chart-data"' not in text
    assert "Tabel met de cijfers van de grafiek" not in text
    assert (
        "Met een filter op buurt of doelgroep tonen wij alleen het totaal van de "
        f"periode: {total}." in text
    )
    # Binnenstad has 11 in week 1, ouderen 9: no cell of the table shows them.
    assert not re.search(r"utrecht-table__cell--numeric\">(11|9)<", text)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    f"/dashboard/wijk/{wijk.code}/export.csv", query
                ).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    start = rows.index(["Signalen per week"])
    # Only the total, and why: no week rows at all.
    assert rows[start + 1] == ["Cijfer", "Waarde"]
    assert rows[start + 2] == ["Totaal alle categorieën", total]
    assert rows[start + 3][0].startswith("Met een filter op buurt of doelgroep")
    assert not any("Elke week minder dan" in row[0] for row in rows if row)
    # Without the filter the wijk's cells do show.
    plain = client.get(f"/dashboard/wijk/{wijk.code}/")
    assert not plain.context["table"].cells_withheld
    assert 'id="dash-chart-data"' in plain.content.decode()


def test_a_longer_custom_period_cannot_pin_a_hidden_block(
    client, ambtenaar, gemeente, wijk, dash_data
):
    """Weeks 15-0 minus weeks 11-0 is the block of weeks 12-15. With only 2 signals
    left in that block, every period that holds it shows no total, on the pages and
    in the exports; the shorter one still shows 37."""
    SignaalTelling.objects.filter(wijk=wijk, week=week(14)).delete()  # the 10
    client = mfa_client(client, ambtenaar)
    last = (week(0) + datetime.timedelta(days=6)).isoformat()

    def wijk_total(first: int) -> str:
        data = {"periode": "eigen", "van": week(first).isoformat(), "tot": last}
        page = client.get(f"/dashboard/wijk/{wijk.code}/", data)
        assert page.context["period"].first_week == week(first)
        overview = client.get(f"/dashboard/{gemeente.code}/", data)
        row = next(r for r in overview.context["rows"] if r.code == wijk.code)
        assert str(row.signals) == str(page.context["table"].total)
        export = client.get(
            f"/dashboard/wijk/{wijk.code}/export.csv", data
        ).content.decode("utf-8-sig")
        assert f"Totaal alle categorieën;{page.context['table'].total}" in export
        return str(page.context["table"].total)

    assert wijk_total(11) == "37"
    assert wijk_total(15) == "verborgen"
    assert wijk_total(19) == "verborgen"
    # A date inside a block takes the whole block: weeks 13-0 is weeks 15-0.
    data = {"periode": "eigen", "van": week(13).isoformat(), "tot": last}
    page = client.get(f"/dashboard/wijk/{wijk.code}/", data)
    assert page.context["period"].first_week == week(15)
    assert str(page.context["table"].total) == "verborgen"

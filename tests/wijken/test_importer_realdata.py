"""The CBS importer on the real CBS/PDOK files in ../shared/data/cbs."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from tests.wijken.cbs_files import db_snapshot
from wijken.importer import cbs_file_parse, cbs_import
from wijken.models import Buurt, Gemeente, Kerncijfers, Wijk

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

FIVE_GEMEENTEN = {"GM0439", "GM0363", "GM0405", "GM0301", "GM0599"}


def test_national_wijken_file_imports_every_dutch_wijk_and_skips_buitenland(cbs_dir):
    path = cbs_dir / "wijken_2024_nl_wgs84.geojson"

    report = cbs_import(paths=[path])

    parsed = report.files[0]
    assert parsed.rows == 3475
    # GM0998 "Buitenland" is CBS's bucket for the Belgian enclaves: not a Dutch
    # municipality, so neither it nor its one wijk is imported.
    assert parsed.skipped_pseudo == 1
    assert Wijk.objects.count() == 3474
    assert Gemeente.objects.count() == 342
    assert not Gemeente.objects.filter(code="GM0998").exists()
    assert not Wijk.objects.filter(code="WK099899").exists()
    assert Kerncijfers.objects.filter(year=2024, level="wijk").count() == 3393
    assert parsed.national is True

    beemster = Wijk.objects.select_related("gemeente").get(code="WK043908")
    assert (beemster.name, beemster.gemeente.name) == ("Beemster", "Purmerend")
    assert beemster.geometry["type"] in ("Polygon", "MultiPolygon")
    figures = Kerncijfers.objects.get(code="WK043908", year=2024)
    assert (figures.inhabitants, figures.households) == (11630, 4660)
    assert figures.extra == {"personenautos": 6060}
    # Amsterdam's letter codes since 2022.
    assert Wijk.objects.filter(code="WK0363AA", gemeente__code="GM0363").exists()

    first = db_snapshot()
    again = cbs_import(paths=[path])

    assert db_snapshot() == first
    counts = again.counts
    assert (counts["wijk"].created, counts["wijk"].updated) == (0, 3474)
    assert (counts["gemeente"].created, counts["gemeente"].updated) == (0, 342)
    assert counts["wijk"].deactivated == counts["gemeente"].deactivated == 0
    assert (counts["kerncijfers"].created, counts["kerncijfers"].updated) == (0, 3393)


def test_national_gemeenten_file_imports_all_343_but_buitenland(cbs_dir):
    report = cbs_import(paths=[cbs_dir / "gemeenten_2024_nl_wgs84.geojson"])

    assert report.files[0].rows == 343
    assert Gemeente.objects.filter(is_active=True).count() == 342
    assert Gemeente.objects.exclude(geometry__isnull=True).count() == 342
    purmerend = Kerncijfers.objects.get(code="GM0439", year=2024)
    assert purmerend.level == "gemeente"
    assert purmerend.inhabitants == Kerncijfers.objects.get(code="GM0439").inhabitants
    assert purmerend.pct_single_person_households is not None
    assert "cr_totaal_misdrijven" in purmerend.extra


def test_buurten_in_wgs84_and_rd_new_give_the_same_coordinates(cbs_dir):
    wgs84 = cbs_file_parse(path=cbs_dir / "buurten_2024_5gm_wgs84_approx.geojson")
    rd = cbs_file_parse(path=cbs_dir / "buurten_2024_5gm_rd_approx.geojson")

    assert rd.crs.startswith("RD New")
    assert wgs84.crs == "WGS84"
    assert len(wgs84.areas["buurt"]) == len(rd.areas["buurt"]) == 743
    assert set(wgs84.areas["buurt"]) == set(rd.areas["buurt"])
    worst = 0.0
    for code, record in wgs84.areas["buurt"].items():
        a = shape(record.geometry)
        b = shape(rd.areas["buurt"][code].geometry)
        ca, cb = shapely.get_coordinates(a), shapely.get_coordinates(b)
        if ca.shape == cb.shape:
            worst = max(worst, float(np.abs(ca - cb).max()))
        else:  # repaired outlines may differ in vertex order
            worst = max(worst, a.hausdorff_distance(b))
    assert worst < 1e-4  # about 10 m


def test_ermelo_geojson_and_geopackage_give_the_same_result(cbs_dir):
    geojson = cbs_file_parse(path=cbs_dir / "buurten_2021_ermelo_pdok_rd.geojson")
    gpkg = cbs_file_parse(path=cbs_dir / "buurten_2021_ermelo_pdok.gpkg")

    assert gpkg.kind == "GeoPackage"
    assert gpkg.areas == geojson.areas
    assert gpkg.figures == geojson.figures
    assert len(gpkg.areas["buurt"]) == 17

    cbs_import(paths=[cbs_dir / "buurten_2021_ermelo_pdok.gpkg"])
    from_gpkg = db_snapshot()
    report = cbs_import(paths=[cbs_dir / "buurten_2021_ermelo_pdok_rd.geojson"])

    assert db_snapshot() == from_gpkg
    assert report.counts["buurt"].created == 0


def test_ermelo_pdok_nulls_and_sentinels_never_become_numbers(cbs_dir):
    cbs_import(paths=[cbs_dir / "buurten_2021_ermelo_pdok.gpkg"])

    ermelo = Kerncijfers.objects.get(code="BU02330000", year=2021)
    assert (ermelo.men, ermelo.women) == (5215, 5575)
    assert ermelo.inhabitants is None
    assert ermelo.pct_single_person_households is None
    assert ermelo.extra == {
        "dekkingspercentage": 1,
        "omgevingsadressendichtheid": 1349,
        "water": "NEE",
    }
    # BU02339997 (water) carries only -99999999 sentinels: no figures at all.
    assert not Kerncijfers.objects.filter(code="BU02339997").exists()
    assert Buurt.objects.get(code="BU02339997").name == "BU02339997"
    assert Kerncijfers.objects.count() == 16
    values = Kerncijfers.objects.values_list("men", "women", "extra")
    for men, women, extra in values:
        assert (men or 0) >= 0
        assert (women or 0) >= 0
        assert all(not isinstance(v, int | float) or v >= 0 for v in extra.values())


def test_kerncijfers_csv_creates_the_areas_it_names_with_their_figures(cbs_dir):
    report = cbs_import(paths=[cbs_dir / "kerncijfers_2024_5gm_gm_wk_bu.csv"])

    assert report.files[0].rows == 908
    assert report.files[0].year == 2024
    assert Kerncijfers.objects.filter(year=2024).count() == 908
    assert set(Gemeente.objects.values_list("code", flat=True)) == FIVE_GEMEENTEN
    assert Wijk.objects.count() == 159
    assert Buurt.objects.count() == 744
    assert not Buurt.objects.exclude(geometry__isnull=True).exists()
    purmerend = Kerncijfers.objects.get(code="GM0439", year=2024)
    assert purmerend.inhabitants == 95168
    assert purmerend.households == 43237
    assert purmerend.income_per_inhabitant == 34.6
    # 20,294 of 95,168 inhabitants are 65 or older; 14,196 are under 15.
    assert purmerend.pct_age_65_plus == 21.3
    assert purmerend.pct_age_0_15 == 14.9
    assert purmerend.extra["d_stedelijkheidLabel"] == "sterk stedelijk"
    assert purmerend.extra["goed_ervaren_gezondheid_pct"] == 71.5
    assert Wijk.objects.get(code="WK043908").name == "Beemster"


def test_indicators_csv_adds_gemeente_figures_for_2022(cbs_dir):
    report = cbs_import(paths=[cbs_dir / "gemeenten_2022_indicators_5gm.csv"])

    assert report.files[0].kind == "indicatoren CSV"
    assert Kerncijfers.objects.filter(year=2022, level="gemeente").count() == 5
    amsterdam = Kerncijfers.objects.get(code="GM0363", year=2022)
    assert amsterdam.inhabitants == 882633
    assert amsterdam.pct_single_person_households == 55
    assert amsterdam.pct_age_0_15 == 14
    assert amsterdam.extra["pct_jeugdzorg"] == 10.5
    assert "pct_rond_sociaal_min" in amsterdam.extra
    assert Gemeente.objects.get(code="GM0363").name == "Amsterdam"


def test_gemeente_filter_on_the_buurten_file(cbs_dir):
    report = cbs_import(
        paths=[cbs_dir / "buurten_2024_5gm_wgs84_approx.geojson"],
        gemeenten=["GM0439", "GM0405"],
    )

    assert Buurt.objects.filter(wijk__gemeente__code="GM0439").count() == 31
    assert Buurt.objects.filter(wijk__gemeente__code="GM0405").count() == 74
    assert Buurt.objects.count() == 105
    assert report.files[0].skipped_filter == 743 - 105


def test_all_real_files_together_in_one_import(cbs_dir):
    names = [
        "gemeenten_2024_nl_wgs84.geojson",
        "buurten_2024_5gm_rd_approx.geojson",
        "kerncijfers_2024_5gm_gm_wk_bu.csv",
        "gemeenten_2022_indicators_5gm.csv",
    ]

    cbs_import(paths=[cbs_dir / name for name in names])

    # The buurten file named the wijken; the CSV adds one buurt without a map.
    assert Buurt.objects.count() == 744
    assert Buurt.objects.filter(geometry__isnull=True).count() == 1
    assert Gemeente.objects.count() == 342
    purmerend = Kerncijfers.objects.get(code="GM0439", year=2024)
    # The map gave the men, the CSV the inhabitants: both kept.
    assert purmerend.men is not None
    assert purmerend.inhabitants == 95168

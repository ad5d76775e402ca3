"""The CBS importer on small synthetic files: rules, edge cases and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories import BuurtFactory, GemeenteFactory, WijkFactory
from tests.wijken.cbs_files import (
    RD_CRS,
    db_snapshot,
    feature,
    gpkg_blob,
    square,
    write_csv,
    write_geojson,
    write_gpkg,
)
from wijken import importer
from wijken.importer import CBSImportError, cbs_file_parse, cbs_import
from wijken.models import Buurt, Gemeente, Kerncijfers, Wijk

pytestmark = pytest.mark.django_db


def wijk_feature(code: str, name: str, gemeente: str, gemeentenaam: str, **more):
    return feature(
        wijkcode=code,
        wijknaam=name,
        gemeentecode=gemeente,
        gemeentenaam=gemeentenaam,
        **more,
    )


# --- Areas and their parents ----------------------------------------------------------


def test_buurt_creates_its_missing_wijk_and_gemeente_from_its_properties(tmp_path):
    path = write_geojson(
        tmp_path / "buurten.geojson",
        [
            feature(
                buurtcode="BU04390101",
                buurtnaam="Binnenstad",
                wijkcode="WK043901",
                wijknaam="Centrum",
                gemeentecode="GM0439",
                gemeentenaam="Purmerend",
            )
        ],
    )

    report = cbs_import(paths=[path])

    buurt = Buurt.objects.select_related("wijk__gemeente").get(code="BU04390101")
    assert buurt.name == "Binnenstad"
    assert (buurt.wijk.code, buurt.wijk.name) == ("WK043901", "Centrum")
    assert (buurt.wijk.gemeente.code, buurt.wijk.gemeente.name) == (
        "GM0439",
        "Purmerend",
    )
    # Parents get no outline from a child's feature.
    assert buurt.geometry is not None
    assert buurt.wijk.geometry is None
    assert [
        report.counts[level].created for level in ("gemeente", "wijk", "buurt")
    ] == [
        1,
        1,
        1,
    ]


def test_buurt_without_wijkcode_belongs_to_the_wijk_its_code_names(tmp_path):
    path = write_geojson(
        tmp_path / "buurten.geojson",
        [feature(buurtcode="BU04390203", buurtnaam="Zuid")],
    )

    cbs_import(paths=[path])

    buurt = Buurt.objects.select_related("wijk__gemeente").get(code="BU04390203")
    assert buurt.wijk.code == "WK043902"
    assert buurt.wijk.gemeente.code == "GM0439"


def test_parent_without_a_known_name_is_named_by_its_code(tmp_path):
    path = write_geojson(
        tmp_path / "buurten.geojson",
        [feature(buurtcode="BU04390203", buurtnaam="Zuid", wijknaam=None)],
    )

    cbs_import(paths=[path])

    assert Wijk.objects.get(code="WK043902").name == "WK043902"
    assert Gemeente.objects.get(code="GM0439").name == "GM0439"


def test_missing_name_never_overwrites_a_real_name(tmp_path):
    named = write_geojson(
        tmp_path / "wijken.geojson",
        [wijk_feature("WK043902", "Overwhere", "GM0439", "Purmerend")],
    )
    unnamed = write_geojson(
        tmp_path / "buurten.geojson",
        [
            feature(
                buurtcode="BU04390203",
                buurtnaam=None,
                wijkcode="WK043902",
                wijknaam=None,
                gemeentecode="GM0439",
                gemeentenaam="",
            )
        ],
    )

    cbs_import(paths=[named])
    cbs_import(paths=[unnamed])

    assert Wijk.objects.get(code="WK043902").name == "Overwhere"
    assert Gemeente.objects.get(code="GM0439").name == "Purmerend"
    assert Buurt.objects.get(code="BU04390203").name == "BU04390203"


def test_parent_named_by_its_code_gets_its_real_name_from_a_later_file(tmp_path):
    cbs_import(
        paths=[write_geojson(tmp_path / "b.geojson", [feature(buurtcode="BU04390203")])]
    )
    cbs_import(
        paths=[
            write_geojson(
                tmp_path / "w.geojson",
                [wijk_feature("WK043902", "Overwhere", "GM0439", "Purmerend")],
            )
        ]
    )

    assert Wijk.objects.get(code="WK043902").name == "Overwhere"


def test_csv_row_keeps_the_outline_an_earlier_map_gave(tmp_path):
    cbs_import(
        paths=[
            write_geojson(
                tmp_path / "w.geojson",
                [wijk_feature("WK043902", "Overwhere", "GM0439", "Purmerend")],
            )
        ]
    )
    csv_path = write_csv(
        tmp_path / "kerncijfers_2024.csv",
        [
            "level",
            "code",
            "naam",
            "gemeentecode",
            "gemeentenaam",
            "wijkcode",
            "d_inwoners",
        ],
        [["wijk", "WK043902", "Overwhere", "GM0439", "Purmerend", "WK043902", "1200"]],
    )

    cbs_import(paths=[csv_path])

    wijk = Wijk.objects.get(code="WK043902")
    assert wijk.geometry is not None
    assert wijk.source == "CBS/PDOK w.geojson"


def test_figures_csv_never_renames_moves_or_reactivates_existing_areas(tmp_path):
    # Loading an older year's figures for trends must not turn the map back in time.
    purmerend = GemeenteFactory(code="GM0439", name="Purmerend")
    wijk = WijkFactory(code="WK043908", name="Beemster", gemeente=purmerend)
    gone = GemeenteFactory(code="GM0370", name="Beemster", is_active=False)
    before = db_snapshot()["wijken"]
    path = write_csv(
        tmp_path / "kerncijfers_2019.csv",
        [
            "level",
            "code",
            "naam",
            "gemeentecode",
            "gemeentenaam",
            "wijkcode",
            "d_inwoners",
        ],
        [
            ["gemeente", "GM0370", "Beemster", "GM0370", "Beemster", "", "9800"],
            [
                "wijk",
                "WK043908",
                "Middenbeemster",
                "GM0370",
                "Beemster",
                "WK043908",
                "1",
            ],
            ["wijk", "WK037001", "Westbeemster", "GM0370", "Beemster", "WK037001", "2"],
        ],
    )

    report = cbs_import(paths=[path])

    gone.refresh_from_db()
    assert gone.is_active is False
    assert [row for row in db_snapshot()["wijken"] if row[0] == "WK043908"] == before
    created = Wijk.objects.get(code="WK037001")
    assert (created.name, created.gemeente_id, created.is_active) == (
        "Westbeemster",
        gone.pk,
        True,
    )
    assert wijk.pk == Wijk.objects.get(code="WK043908").pk
    assert (report.counts["wijk"].created, report.counts["wijk"].updated) == (1, 0)
    assert Kerncijfers.objects.filter(year=2019).count() == 3


def test_amsterdam_letter_codes_are_valid(tmp_path):
    path = write_geojson(
        tmp_path / "buurten.geojson",
        [feature(buurtcode="BU0363AA01", wijkcode="WK0363AA", gemeentecode="GM0363")],
    )

    cbs_import(paths=[path])

    assert Buurt.objects.get(code="BU0363AA01").wijk.code == "WK0363AA"


def test_buitenland_pseudo_gemeente_is_skipped_and_counted(tmp_path):
    path = write_geojson(
        tmp_path / "wijken.geojson",
        [
            wijk_feature("WK099899", "Buitenland", "GM0998", "Buitenland"),
            wijk_feature("WK043901", "Centrum", "GM0439", "Purmerend"),
        ],
    )

    report = cbs_import(paths=[path])

    assert not Gemeente.objects.filter(code="GM0998").exists()
    assert not Wijk.objects.filter(code="WK099899").exists()
    assert report.files[0].skipped_pseudo == 1
    assert "GM0998 Buitenland" in report.files[0].summary()


def test_water_part_of_a_gemeente_is_left_out_and_the_land_outline_kept(tmp_path):
    # The CBS wijk- en buurtkaart draws a gemeente's large waters as a second
    # feature with the same code; it may come before or after the land.
    path = write_geojson(
        tmp_path / "gemeenten.geojson",
        [
            feature(square(5.1, 52.6), gemeentecode="GM0439", water="JA"),
            feature(
                square(4.9, 52.5),
                gemeentecode="GM0439",
                gemeentenaam="Purmerend",
                water="NEE",
            ),
            feature(
                square(4.0, 52.0),
                gemeentecode="GM0405",
                gemeentenaam="Hoorn",
                water="NEE",
            ),
            feature(square(4.1, 52.1), gemeentecode="GM0405", water="JA"),
            # A buurt that is all water has its own code and is kept.
            feature(square(5.6, 52.3), buurtcode="BU02339997", water="JA"),
        ],
    )

    report = cbs_import(paths=[path])

    purmerend = Gemeente.objects.get(code="GM0439")
    assert purmerend.name == "Purmerend"
    assert purmerend.geometry["coordinates"][0][0] == [4.9, 52.5]
    assert Gemeente.objects.get(code="GM0405").geometry["coordinates"][0][0] == [
        4.0,
        52.0,
    ]
    assert Buurt.objects.filter(code="BU02339997").exists()
    assert report.files[0].skipped_water == 2


# --- Geometry -------------------------------------------------------------------------


def test_rd_new_is_transformed_to_wgs84_with_six_decimals(tmp_path):
    # The RD origin in Amersfoort is 52.1551744 N, 5.3872062 E in WGS84.
    path = write_geojson(
        tmp_path / "rd.geojson",
        [feature(square(155_000, 463_000, 1000), buurtcode="BU04390101")],
        crs=RD_CRS,
    )

    cbs_import(paths=[path])

    ring = Buurt.objects.get(code="BU04390101").geometry["coordinates"][0]
    lon, lat = ring[0]
    assert lon == pytest.approx(5.3872062, abs=1e-5)
    assert lat == pytest.approx(52.1551744, abs=1e-5)
    assert all(round(c, 6) == c for point in ring for c in point)


def test_rd_new_is_recognised_by_its_numbers_when_the_crs_member_is_missing(tmp_path):
    path = write_geojson(
        tmp_path / "rd.geojson",
        [feature(square(155_000, 463_000, 1000), buurtcode="BU04390101")],
    )

    parsed = cbs_file_parse(path=path)

    assert parsed.crs.startswith("RD New")
    lon, lat = parsed.areas["buurt"]["BU04390101"].geometry["coordinates"][0][0]
    assert (round(lon, 3), round(lat, 3)) == (5.387, 52.155)


def test_wgs84_coordinates_are_rounded_to_six_decimals(tmp_path):
    path = write_geojson(
        tmp_path / "w.geojson",
        [feature(square(5.123456789, 52.987654321), buurtcode="BU04390101")],
    )

    parsed = cbs_file_parse(path=path)

    ring = parsed.areas["buurt"]["BU04390101"].geometry["coordinates"][0]
    assert list(ring[0]) == [5.123457, 52.987654]


def test_self_intersecting_outline_is_repaired(tmp_path):
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[5.0, 52.0], [5.01, 52.01], [5.01, 52.0], [5.0, 52.01], [5.0, 52.0]]
        ],
    }
    path = write_geojson(
        tmp_path / "w.geojson", [feature(bowtie, buurtcode="BU04390101")]
    )

    parsed = cbs_file_parse(path=path)

    assert parsed.repaired_geometries == 1
    assert parsed.areas["buurt"]["BU04390101"].geometry["type"] == "MultiPolygon"


def test_geopackage_without_envelope_and_big_endian_header_is_read(tmp_path):
    path = write_gpkg(
        tmp_path / "buurten_2024.gpkg",
        [
            (
                {
                    "buurtcode": "BU04390101",
                    "buurtnaam": "Binnenstad",
                    "aantal_inwoners": 40,
                },
                gpkg_blob(square(4.95, 52.5), srs_id=4326, little_endian=False),
            ),
            (
                {
                    "buurtcode": "BU04390102",
                    "buurtnaam": "Leeg",
                    "aantal_inwoners": None,
                },
                None,
            ),
        ],
    )

    cbs_import(paths=[path])

    buurt = Buurt.objects.get(code="BU04390101")
    assert buurt.geometry["coordinates"][0][0] == [4.95, 52.5]
    assert Buurt.objects.get(code="BU04390102").geometry is None
    assert Kerncijfers.objects.get(code="BU04390101", year=2024).inhabitants == 40
    assert not Kerncijfers.objects.filter(code="BU04390102").exists()


# --- Key figures ----------------------------------------------------------------------


def test_negative_sentinels_and_empty_values_become_null(tmp_path):
    path = write_geojson(
        tmp_path / "buurten.geojson",
        [
            feature(
                buurtcode="BU04390101",
                jaarstatcode="2021BU04390101",
                aantal_inwoners=-99999999,
                mannen=-99997,
                vrouwen=120,
                percentage_eenpersoonshuishoudens=-5,
                gemiddelde_huishoudsgrootte=None,
                personenautos=-99999999,
                omgevingsadressendichtheid="-99997",
                meest_voorkomende_postcode="",
                water="NEE",
                dekkingspercentage=1,
            )
        ],
    )

    cbs_import(paths=[path])

    figures = Kerncijfers.objects.get(code="BU04390101", year=2021)
    assert figures.inhabitants is None
    assert figures.men is None
    assert figures.women == 120
    assert figures.pct_single_person_households is None
    assert figures.avg_household_size is None
    assert figures.extra == {"water": "NEE", "dekkingspercentage": 1}


def test_csv_sentinels_empty_cells_and_statline_marks_become_null(tmp_path):
    path = write_csv(
        tmp_path / "kerncijfers_2024_test.csv",
        [
            "level",
            "code",
            "naam",
            "gemeentecode",
            "gemeentenaam",
            "wijkcode",
            "d_inwoners",
            "d_inwoners65plus",
            "d_huishoudens",
            "d_wozWaarde",
            "d_koopwoningen",
            "d_postcode",
        ],
        [
            [
                "buurt",
                "BU04390101",
                "Binnenstad",
                "GM0439",
                "Purmerend",
                "WK043901",
                "-99997",
                "20",
                "",
                "-99999999",
                ".",
                "1441",
            ]
        ],
    )

    cbs_import(paths=[path])

    figures = Kerncijfers.objects.get(code="BU04390101", year=2024)
    assert figures.inhabitants is None
    assert figures.households is None
    # No inhabitants, so no percentage can be made of the 65+ count.
    assert figures.pct_age_65_plus is None
    assert figures.extra == {"d_inwoners65plus": 20, "d_postcode": "1441"}


def test_age_counts_in_the_kerncijfers_csv_become_percentages(tmp_path):
    path = write_csv(
        tmp_path / "kerncijfers_2024.csv",
        [
            "level",
            "code",
            "naam",
            "gemeentecode",
            "gemeentenaam",
            "wijkcode",
            "d_inwoners",
            "d_inwoners65plus",
            "d_inwoners0tot15",
            "d_huishoudensgrootte",
        ],
        [
            [
                "gemeente",
                "GM0439",
                "Purmerend",
                "GM0439",
                "Purmerend",
                "",
                "1000",
                "213",
                "149",
                "2.2",
            ]
        ],
    )

    cbs_import(paths=[path])

    figures = Kerncijfers.objects.get(code="GM0439", year=2024)
    assert (figures.inhabitants, figures.pct_age_65_plus, figures.pct_age_0_15) == (
        1000,
        21.3,
        14.9,
    )
    assert figures.avg_household_size == 2.2


def test_feature_without_figures_gets_no_kerncijfers_row(tmp_path):
    path = write_geojson(
        tmp_path / "w.geojson",
        [
            feature(buurtcode="BU04390101", aantal_inwoners=None, water="JA"),
            feature(buurtcode="BU04390102", mannen=-99999999),
        ],
        metadata={"year": 2024},
    )

    cbs_import(paths=[path])

    assert Kerncijfers.objects.count() == 0


def test_year_comes_from_jaarstatcode_then_metadata_then_the_file_name(tmp_path):
    path = write_geojson(
        tmp_path / "buurten_2019.geojson",
        [
            feature(
                buurtcode="BU04390101",
                aantal_inwoners=10,
                jaarstatcode="2021BU04390101",
            ),
            feature(buurtcode="BU04390102", aantal_inwoners=20),
        ],
        metadata={"year": 2023},
    )
    cbs_import(paths=[path])
    cbs_import(
        paths=[
            write_geojson(
                tmp_path / "buurten_2019_b.geojson",
                [feature(buurtcode="BU04390103", aantal_inwoners=30)],
            )
        ]
    )

    assert set(Kerncijfers.objects.values_list("code", "year")) == {
        ("BU04390101", 2021),
        ("BU04390102", 2023),
        ("BU04390103", 2019),
    }


def test_year_option_overrides_what_the_file_says(tmp_path):
    path = write_geojson(
        tmp_path / "buurten_2019.geojson",
        [
            feature(
                buurtcode="BU04390101",
                aantal_inwoners=10,
                jaarstatcode="2021BU04390101",
            )
        ],
    )

    cbs_import(paths=[path], year=2025)

    assert Kerncijfers.objects.get().year == 2025


def test_figures_without_any_year_are_an_error_asking_for_year(tmp_path):
    path = write_geojson(
        tmp_path / "buurten.geojson",
        [feature(buurtcode="BU04390101", aantal_inwoners=10)],
    )

    with pytest.raises(CBSImportError, match="--year"):
        cbs_import(paths=[path])
    assert Buurt.objects.count() == 0


def test_csv_without_year_in_its_name_needs_year(tmp_path):
    path = write_csv(
        tmp_path / "indicatoren.csv",
        ["gemeentecode", "gemeentenaam", "aantal_inwoners"],
        [["GM0439", "Purmerend", "95000"]],
    )

    with pytest.raises(CBSImportError, match="give --year"):
        cbs_import(paths=[path])
    cbs_import(paths=[path], year=2022)

    assert Kerncijfers.objects.get(code="GM0439").year == 2022


def test_a_second_file_for_the_same_year_adds_figures_without_erasing(tmp_path):
    cbs_import(
        paths=[
            write_geojson(
                tmp_path / "gemeenten_2024.geojson",
                [feature(gemeentecode="GM0439", mannen=46661, personenautos=43915)],
            )
        ]
    )
    cbs_import(
        paths=[
            write_csv(
                tmp_path / "indicators_2024.csv",
                ["gemeentecode", "gemeentenaam", "aantal_inwoners", "wmo_per_1000"],
                [["GM0439", "Purmerend", "95168", "87"]],
            )
        ]
    )

    figures = Kerncijfers.objects.get(code="GM0439", year=2024)
    assert (figures.men, figures.inhabitants) == (46661, 95168)
    assert figures.extra == {"personenautos": 43915, "wmo_per_1000": 87}


# --- Re-runs, filters and mergers -----------------------------------------------------


def test_reimport_updates_instead_of_duplicating(tmp_path):
    path = write_geojson(
        tmp_path / "wijken_2024.geojson",
        [
            wijk_feature(
                "WK043901", "Centrum", "GM0439", "Purmerend", aantal_inwoners=9
            ),
            wijk_feature("WK043902", "Overwhere", "GM0439", "Purmerend"),
        ],
    )
    cbs_import(paths=[path])
    first = db_snapshot()

    report = cbs_import(paths=[path])

    assert db_snapshot() == first
    assert (report.counts["wijk"].created, report.counts["wijk"].updated) == (0, 2)
    assert (
        report.counts["kerncijfers"].created,
        report.counts["kerncijfers"].updated,
    ) == (
        0,
        1,
    )


def test_gemeente_filter_imports_only_those_gemeenten(tmp_path):
    path = write_geojson(
        tmp_path / "wijken.geojson",
        [
            wijk_feature("WK043901", "Centrum", "GM0439", "Purmerend"),
            wijk_feature("WK036300", "Burgwallen", "GM0363", "Amsterdam"),
            wijk_feature("WK040501", "Binnenstad", "GM0405", "Hoorn"),
        ],
    )

    report = cbs_import(paths=[path], gemeenten=["GM0439", "gm0405"])

    assert set(Wijk.objects.values_list("code", flat=True)) == {"WK043901", "WK040501"}
    assert set(Gemeente.objects.values_list("code", flat=True)) == {"GM0439", "GM0405"}
    assert report.files[0].skipped_filter == 1


def test_gemeente_filter_that_matches_nothing_is_an_error(tmp_path):
    path = write_geojson(
        tmp_path / "wijken.geojson",
        [wijk_feature("WK043901", "Centrum", "GM0439", "Purmerend")],
    )

    with pytest.raises(CBSImportError, match="GM0999 does not occur"):
        cbs_import(paths=[path], gemeenten=["GM0439", "GM0999"])
    with pytest.raises(CBSImportError, match="GM \\+ 4 digits"):
        cbs_import(paths=[path], gemeenten=["Purmerend"])
    assert Wijk.objects.count() == 0


def test_wijk_missing_from_a_file_covering_its_gemeente_is_deactivated_not_deleted(
    tmp_path,
):
    purmerend = GemeenteFactory(code="GM0439", name="Purmerend")
    old = WijkFactory(code="WK043999", gemeente=purmerend)
    old_buurt = BuurtFactory(code="BU04399901", wijk=old)
    hoorn_wijk = WijkFactory(code="WK040501", gemeente=GemeenteFactory(code="GM0405"))
    path = write_geojson(
        tmp_path / "wijken.geojson",
        [wijk_feature("WK043901", "Centrum", "GM0439", "Purmerend")],
    )

    report = cbs_import(paths=[path])

    old.refresh_from_db()
    old_buurt.refresh_from_db()
    hoorn_wijk.refresh_from_db()
    assert old.is_active is False
    # A wijk that is gone takes its buurten along.
    assert old_buurt.is_active is False
    # Hoorn is not in the file, so nothing is known about its wijken.
    assert hoorn_wijk.is_active is True
    assert (report.counts["wijk"].deactivated, report.counts["buurt"].deactivated) == (
        1,
        1,
    )


def test_filtered_import_leaves_other_gemeenten_alone(tmp_path):
    amsterdam_wijk = WijkFactory(
        code="WK036399", gemeente=GemeenteFactory(code="GM0363")
    )
    path = write_geojson(
        tmp_path / "wijken.geojson",
        [
            wijk_feature("WK043901", "Centrum", "GM0439", "Purmerend"),
            wijk_feature("WK036300", "Burgwallen", "GM0363", "Amsterdam"),
        ],
    )

    cbs_import(paths=[path], gemeenten=["GM0439"])

    amsterdam_wijk.refresh_from_db()
    assert amsterdam_wijk.is_active is True


def test_csv_never_deactivates_areas(tmp_path):
    extra_wijk = WijkFactory(code="WK043999", gemeente=GemeenteFactory(code="GM0439"))
    path = write_csv(
        tmp_path / "kerncijfers_2024.csv",
        [
            "level",
            "code",
            "naam",
            "gemeentecode",
            "gemeentenaam",
            "wijkcode",
            "d_inwoners",
        ],
        [["wijk", "WK043901", "Centrum", "GM0439", "Purmerend", "WK043901", "100"]],
    )

    cbs_import(paths=[path])

    extra_wijk.refresh_from_db()
    assert extra_wijk.is_active is True


def test_wijk_that_appears_under_another_gemeente_moves(tmp_path):
    beemster = GemeenteFactory(code="GM0370", name="Beemster")
    wijk = WijkFactory(code="WK037000", name="Beemster", gemeente=beemster)
    path = write_geojson(
        tmp_path / "wijken.geojson",
        [wijk_feature("WK037000", "Beemster", "GM0439", "Purmerend")],
    )

    cbs_import(paths=[path])

    wijk.refresh_from_db()
    assert wijk.gemeente.code == "GM0439"
    assert wijk.is_active is True


def test_wijk_that_reappears_is_active_again(tmp_path):
    wijk = WijkFactory(
        code="WK043901", gemeente=GemeenteFactory(code="GM0439"), is_active=False
    )
    path = write_geojson(
        tmp_path / "wijken.geojson",
        [wijk_feature("WK043901", "Centrum", "GM0439", "Purmerend")],
    )

    cbs_import(paths=[path])

    wijk.refresh_from_db()
    assert wijk.is_active is True


def test_national_file_deactivates_a_merged_gemeente_with_its_areas(
    tmp_path, monkeypatch
):
    # Beemster joined Purmerend in 2022; its wijk came back as WK043908.
    monkeypatch.setattr(importer, "NATIONAL_MIN_GEMEENTEN", 2)
    beemster = GemeenteFactory(code="GM0370", name="Beemster")
    beemster_buurt = BuurtFactory(
        code="BU03700000", wijk=WijkFactory(code="WK037000", gemeente=beemster)
    )
    demo = GemeenteFactory(code="GM9901", name="Demodorp", is_demo=True)
    path = write_geojson(
        tmp_path / "wijken_2024.geojson",
        [
            wijk_feature("WK043908", "Beemster", "GM0439", "Purmerend"),
            wijk_feature("WK040501", "Binnenstad", "GM0405", "Hoorn"),
        ],
    )

    report = cbs_import(paths=[path])

    beemster.refresh_from_db()
    beemster_buurt.refresh_from_db()
    demo.refresh_from_db()
    assert report.files[0].national is True
    assert beemster.is_active is False
    assert Wijk.objects.get(code="WK037000").is_active is False
    assert beemster_buurt.is_active is False
    assert demo.is_active is True
    assert report.counts["gemeente"].deactivated == 1


def test_regional_file_never_deactivates_gemeenten(tmp_path):
    other = GemeenteFactory(code="GM0370", name="Beemster")
    path = write_geojson(
        tmp_path / "wijken.geojson",
        [wijk_feature("WK043901", "Centrum", "GM0439", "Purmerend")],
    )

    report = cbs_import(paths=[path])

    other.refresh_from_db()
    assert report.files[0].national is False
    assert other.is_active is True


def test_dry_run_reports_but_writes_nothing(tmp_path):
    GemeenteFactory(code="GM0405", name="Hoorn")
    before = db_snapshot()
    path = write_geojson(
        tmp_path / "wijken_2024.geojson",
        [wijk_feature("WK043901", "Centrum", "GM0439", "Purmerend", aantal_inwoners=5)],
    )

    report = cbs_import(paths=[path], dry_run=True)

    assert db_snapshot() == before
    assert report.dry_run is True
    assert report.counts["wijk"].created == 1
    assert report.counts["kerncijfers"].created == 1


def test_progress_callback_hears_about_reading_and_writing(tmp_path):
    calls: list[tuple[str, int, int]] = []
    path = write_geojson(
        tmp_path / "wijken_2024.geojson",
        [wijk_feature("WK043901", "Centrum", "GM0439", "Purmerend", aantal_inwoners=5)],
    )

    cbs_import(paths=[path], progress=lambda *args: calls.append(args))

    stages = [stage for stage, _, _ in calls]
    assert "reading wijken_2024.geojson" in stages
    assert "writing wijken" in stages
    assert "writing kerncijfers" in stages
    assert ("reading wijken_2024.geojson", 1, 1) in calls


# --- Bad input: one clear error, and the database stays as it was ---------------------

GOOD_WIJK = wijk_feature("WK043901", "Centrum", "GM0439", "Purmerend")


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, a phrase the error must contain)."""
    files: dict[str, tuple[Path, str]] = {}

    def text(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    files["missing file"] = (tmp_path / "bestaat_niet.geojson", "does not exist")
    files["zero bytes"] = (text("leeg.geojson", b""), "empty (0 bytes)")
    files["zero-byte csv"] = (text("leeg_2024.csv", b""), "empty (0 bytes)")
    files["no features"] = (
        write_geojson(tmp_path / "geen.geojson", []),
        "contains no features",
    )
    files["not json"] = (text("kapot.geojson", "{'type': 'Feat"), "not valid JSON")
    files["binary json"] = (
        text("bin.geojson", b"\xff\xfe\x00garbage"),
        "not valid JSON",
    )
    files["json list"] = (text("lijst.geojson", "[1, 2]"), "found a JSON list")
    files["json without features"] = (
        text("zonder.geojson", json.dumps({"type": "FeatureCollection"})),
        "no 'features' list",
    )
    files["features without codes"] = (
        write_geojson(
            tmp_path / "zonder_codes.geojson",
            [GOOD_WIJK, feature(naam="Centrum"), feature(statcode="WK043901")],
        ),
        "feature 2 has no buurtcode, wijkcode or gemeentecode",
    )
    files["bad wijk code"] = (
        write_geojson(
            tmp_path / "codes.geojson",
            [GOOD_WIJK, feature(wijkcode="WK4391", gemeentecode="GM0439")],
        ),
        "'WK4391' is not a valid wijkcode",
    )
    files["bad gemeente code"] = (
        write_geojson(tmp_path / "gm.geojson", [feature(gemeentecode="0439")]),
        "'0439' is not a valid gemeentecode",
    )
    files["duplicate code"] = (
        write_geojson(tmp_path / "dubbel.geojson", [GOOD_WIJK, GOOD_WIJK]),
        "WK043901 also occurs as feature 1",
    )
    files["point geometry"] = (
        write_geojson(
            tmp_path / "punt.geojson",
            [
                feature(
                    {"type": "Point", "coordinates": [5.0, 52.0]},
                    buurtcode="BU04390101",
                )
            ],
        ),
        "geometry is a Point, not an area",
    )
    files["broken geometry"] = (
        write_geojson(
            tmp_path / "vorm.geojson",
            [feature({"type": "Polygon", "coordinates": "x"}, buurtcode="BU04390101")],
        ),
        "geometry cannot be read",
    )
    files["unknown crs"] = (
        write_geojson(
            tmp_path / "crs.geojson",
            [GOOD_WIJK],
            crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        ),
        "not supported",
    )
    files["rd numbers outside the netherlands"] = (
        write_geojson(
            tmp_path / "ver.geojson",
            [feature(square(5_000_000, 463_000, 10), buurtcode="BU04390101")],
        ),
        "not RD New coordinates",
    )
    files["wrong csv header"] = (
        write_csv(tmp_path / "iets_2024.csv", ["naam", "waarde"], [["a", "1"]]),
        "unknown CSV header",
    )
    files["csv header only"] = (
        write_csv(
            tmp_path / "kerncijfers_2024.csv",
            ["level", "code", "naam", "gemeentecode"],
            [],
        ),
        "header but no rows",
    )
    files["csv bad level"] = (
        write_csv(
            tmp_path / "niveau_2024.csv",
            ["level", "code", "naam", "gemeentecode"],
            [["provincie", "PV27", "Noord-Holland", "GM0439"]],
        ),
        "level 'provincie' is not gemeente, wijk or buurt",
    )
    files["csv bad code"] = (
        write_csv(
            tmp_path / "code_2024.csv",
            ["level", "code", "naam", "gemeentecode"],
            [["buurt", "BU123", "Binnenstad", "GM0439"]],
        ),
        "line 2: 'BU123' is not a valid buurtcode",
    )
    files["csv ragged row"] = (
        text("rafel_2024.csv", "gemeentecode,gemeentenaam,aantal_inwoners\nGM0439,P\n"),
        "line 2 has 2 cells, the header 3",
    )
    files["gpkg that is not sqlite"] = (
        text("kaart.gpkg", json.dumps({"type": "FeatureCollection"})),
        "not a GeoPackage",
    )
    files["sqlite that is not a gpkg"] = (
        _plain_sqlite(tmp_path / "db.gpkg"),
        "not a GeoPackage",
    )
    files["gpkg with broken geometry"] = (
        write_gpkg(
            tmp_path / "stuk_2024.gpkg",
            [
                (
                    {"buurtcode": "BU04390101", "buurtnaam": "B", "aantal_inwoners": 1},
                    b"XX12345678",
                )
            ],
        ),
        "geometry unreadable",
    )
    files["unknown extension"] = (text("wijken.shp", "x"), "unknown file type .shp")
    files["a folder"] = (tmp_path, "is not a file")
    return files


def _plain_sqlite(path: Path) -> Path:
    import sqlite3

    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x INTEGER)")
    db.commit()
    db.close()
    return path


BAD_FILE_NAMES = [
    "missing file",
    "zero bytes",
    "zero-byte csv",
    "no features",
    "not json",
    "binary json",
    "json list",
    "json without features",
    "features without codes",
    "bad wijk code",
    "bad gemeente code",
    "duplicate code",
    "point geometry",
    "broken geometry",
    "unknown crs",
    "rd numbers outside the netherlands",
    "wrong csv header",
    "csv header only",
    "csv bad level",
    "csv bad code",
    "csv ragged row",
    "gpkg that is not sqlite",
    "sqlite that is not a gpkg",
    "gpkg with broken geometry",
    "unknown extension",
    "a folder",
]


@pytest.mark.parametrize("name", BAD_FILE_NAMES)
def test_bad_file_gives_one_clear_error_and_changes_nothing(tmp_path, name):
    # Standing data the failed import must leave exactly as it is.
    BuurtFactory(code="BU04390101", wijk=WijkFactory(code="WK043901"))
    before = db_snapshot()
    path, phrase = _bad_files(tmp_path)[name]

    with pytest.raises(CBSImportError) as caught:
        cbs_import(paths=[path])

    message = str(caught.value)
    assert phrase in message
    assert str(path) in message
    assert "\n" not in message
    assert db_snapshot() == before


def test_bad_file_list_covers_every_case(tmp_path):
    # Keeps BAD_FILE_NAMES (needed at collection time) in step with _bad_files.
    assert set(BAD_FILE_NAMES) == set(_bad_files(tmp_path))


def test_a_bad_file_after_a_good_one_writes_nothing_at_all(tmp_path):
    good = write_geojson(tmp_path / "goed.geojson", [GOOD_WIJK])
    bad = write_geojson(tmp_path / "fout.geojson", [feature(naam="x")])

    with pytest.raises(CBSImportError, match=r"fout\.geojson"):
        cbs_import(paths=[good, bad])

    assert Wijk.objects.count() == 0
    assert Gemeente.objects.count() == 0


def test_many_problems_are_summarised_in_one_line(tmp_path):
    path = write_geojson(
        tmp_path / "codes.geojson", [feature(naam=str(n)) for n in range(12)]
    )

    with pytest.raises(CBSImportError, match="and 7 more problems"):
        cbs_import(paths=[path])

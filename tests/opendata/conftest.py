"""The open-data and API tests use the dashboard's data fixtures (buurten with CBS
figures, pre-aggregated counts, themes): the same wijk data, seen from outside."""

from tests.dashboard.conftest import (  # noqa: F401
    buurten,
    dash_data,
    every_block,
    kerncijfers,
    other_buurten,
)

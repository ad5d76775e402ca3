""" "Wie horen we niet?" sources from apps the dashboard may not import (they sit
beside it in the layers): wired here, at the top, by BuurtwijsConfig.ready.

Buurtverbinders (connectors) plug in the same way: a function that returns, per
group code of dashboard.representation.GROUPS, an `Observed` with k-anonymous
counts from the connectors' own queries module, registered with `register_source`.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from dashboard.representation import Observed, Source, register_source
from peilingen import queries as peiling_queries
from signalen.kanon import k_count
from wijken.models import Wijk

# group code -> (respondent value, CBS share key); age bands compare with residents
# of 15 and older (people under 15 do not fill in a wijkpeiling).
SURVEY_AGE_GROUPS = {
    "jongeren": ("tot-25", "adult_15_25"),
    "25-45": ("25-44", "adult_25_45"),
    "45-65": ("45-64", "adult_45_65"),
    "ouderen": ("65-plus", "adult_65_plus"),
}
SURVEY_HOUSEHOLD_GROUPS = {
    "alleenstaanden": ("alleen", "single_households"),
    "gezinnen": ("kinderen", "households_children"),
}


def survey_respondents(wijk: Wijk, today: datetime.date, k: int) -> dict[str, Observed]:
    profile = peiling_queries.respondent_profile(wijk_id=wijk.pk, k=k)
    observed: dict[str, Observed] = {}
    for groups, counts in (
        (SURVEY_AGE_GROUPS, profile.age_bands),
        (SURVEY_HOUSEHOLD_GROUPS, profile.households),
    ):
        # The share among those whose answer shows: a sum of shown groups.
        total = k_count(sum(counts.values()), k=k)
        for group, (value, share) in groups.items():
            observed[group] = Observed(k_count(counts.get(value, 0), k=k), total, share)
    return observed


def install() -> None:
    register_source(
        Source(
            "peilingen",
            _("Mensen die een wijkpeiling invulden"),
            _(
                "Wie een gesloten wijkpeiling invulde, naar leeftijd en huishouden. "
                "Leeftijden vergelijken we met de inwoners van 15 jaar en ouder."
            ),
            survey_respondents,
        )
    )

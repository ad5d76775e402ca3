"""Buurtverbinders on "waar kan iemand terecht?" (issue 19 item 3).

signalen.terecht lists what already exists in the wijk when a professional logs a
signal, and lets the professional hand the resident a card; other apps plug in a
`Source` (signalen.terecht.queries.SOURCES). A connector is a resident, so neither the
panel nor the card names one: they say that the wijk has buurtverbinders and that the
wijkteam brings the resident in touch (the card always carries the team's contact).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtverbinders.queries import active_connectors
from signalen.terecht.queries import Ask, Item, Source
from wijken.models import Wijk

KEY = "v"


def _item(wijk: Wijk) -> Item:
    return Item(
        kind=KEY,
        id=wijk.pk,
        title=_("Een buurtverbinder uit de wijk"),
        kind_label=_("bewoner die buren met elkaar in contact brengt"),
        text=_(
            "Een buurtbewoner die langskomt, meegaat naar een activiteit of iemand "
            "zoekt die kan helpen. Het wijkteam brengt u met elkaar in contact."
        ),
    )


def suggest(ask: Ask) -> list[Item]:
    """One item when the wijk has at least one active connector (whatever the
    category: a connector helps people find their way, not with one problem)."""
    return [_item(ask.wijk)] if active_connectors(ask.wijk).exists() else []


def on_card(wijk: Wijk, ids: Sequence[int]) -> list[Item]:
    """The item as chosen for the card; gone when the wijk no longer has one."""
    if wijk.pk not in ids or not active_connectors(wijk).exists():
        return []
    return [_item(wijk)]


SOURCE = Source(
    key=KEY,
    heading=gettext_lazy("Buurtverbinders"),
    suggest=suggest,
    on_card=on_card,
)


def register() -> None:
    from signalen.terecht.queries import SOURCES

    if all(source.key != KEY for source in SOURCES):
        SOURCES.append(SOURCE)

"""Inclusion points for other apps' pages, so they need not import us:
`{% load wijkbudget_tags %}`, then `{% wijk_budget wijk %}` on the wijk page and
`{% initiatief_budget initiatief user %}` on an initiative's page; `|euro` formats
an amount."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import number_format

from wijkbudget import permissions, queries

register = template.Library()


@register.filter
def euro(value: Any) -> str:
    """€ 1.250 for whole euros, € 12,50 with cents (in the page's language)."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    places = 0 if amount == amount.to_integral_value() else 2
    return "€ " + number_format(amount, decimal_pos=places, force_grouping=True)


@register.inclusion_tag("wijkbudget/_wijk_panel.html", takes_context=True)
def wijk_budget(context: Any, wijk: Any) -> dict[str, Any]:
    today = timezone.localdate()
    user = context.get("user")
    return {
        "wijk": wijk,
        "rows": [(r, r.phase(today)) for r in queries.rondes_for_wijk_page(wijk)],
        "can_create": user is not None and permissions.can_manage_wijk(user, wijk),
    }


@register.inclusion_tag("wijkbudget/_initiatief_panel.html")
def initiatief_budget(initiatief: Any, user: Any, is_organiser: bool) -> dict[str, Any]:
    found = queries.initiatief_budget(
        initiatief_id=initiatief.pk, wijk_id=initiatief.wijk_id
    )
    may_ask = is_organiser and permissions.can_request_for(user, initiatief)
    return {
        "initiatief": initiatief,
        "aanvragen": found.aanvragen,
        "open_rounds": found.open_rounds if may_ask else [],
    }

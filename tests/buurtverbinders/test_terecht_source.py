"""Buurtverbinders on "waar kan iemand terecht?": the panel and the card say the wijk
has connectors and that the wijkteam brings people in touch; never a connector's
name, and nothing once the wijk has none."""

from __future__ import annotations

import pytest
from django.utils import timezone

from buurtverbinders.models import Verbinder
from signalen.terecht import queries as terecht

pytestmark = pytest.mark.django_db


def _section(overview, key):
    return next(s for s in overview.sections if s.source.key == key)


def test_a_wijk_with_a_connector_offers_one_on_the_panel_and_the_card(
    client, connector, wijk
):
    overview = terecht.overview(terecht.Ask(wijk=wijk, categorie="eenzaamheid"))
    [item] = _section(overview, "v").items
    assert item.title == "Een buurtverbinder uit de wijk"
    token = terecht.card_token(wijk=wijk, chosen={"v": [item.id]})
    page = client.get(f"/terecht/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Een buurtverbinder uit de wijk" in html
    assert connector.display_name not in html
    assert connector.email not in html


def test_no_connector_no_item_and_a_revoked_one_drops_off_the_card(
    client, connector, wijk
):
    token = terecht.card_token(wijk=wijk, chosen={"v": [wijk.pk]})
    Verbinder.objects.filter(user=connector).update(revoked_at=timezone.now())
    overview = terecht.overview(terecht.Ask(wijk=wijk))
    assert _section(overview, "v").items == ()
    html = client.get(f"/terecht/{token}/").content.decode()
    assert "Een buurtverbinder uit de wijk" not in html


def test_another_wijks_connector_is_not_offered(other_connector, wijk):
    overview = terecht.overview(terecht.Ask(wijk=wijk))
    assert _section(overview, "v").items == ()

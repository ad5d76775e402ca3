"""Outside the team dates are block-grained: the escalation snapshot never carries the
day of the latest signal (#15 item 6)."""

from __future__ import annotations

import datetime
import json

from signalen.escalations.queries import snapshot_view
from signalen.escalations.services import escalation_snapshot
from signalen.kanon import block_start, block_text


def test_the_snapshot_stores_the_block_not_the_day(thema):
    thema.last_observed_on = datetime.date(2026, 10, 26)
    thema.save(update_fields=["last_observed_on"])
    snapshot = escalation_snapshot(thema)
    assert "last_observed_on" not in snapshot
    assert (
        snapshot["last_block"] == block_start(datetime.date(2026, 10, 26)).isoformat()
    )
    assert "2026-10-26" not in json.dumps(snapshot)


def test_the_view_shows_a_block_also_for_an_old_snapshot_with_a_day(thema):
    old = escalation_snapshot(thema)
    old.pop("last_block", None)
    old["version"] = 2
    old["last_observed_on"] = "2026-10-26"
    rows = {row.label: row.value for row in snapshot_view(old, thema=thema).rows}
    shown = rows["Laatste signaal (blok van 4 weken)"]
    assert shown == block_text(datetime.date(2026, 10, 26))
    assert "26 oktober" not in shown


def test_every_day_of_a_block_gives_the_same_text():
    start = block_start(datetime.date(2026, 10, 26))
    texts = {block_text(start + datetime.timedelta(days=d)) for d in range(28)}
    assert len(texts) == 1
    assert block_text(start - datetime.timedelta(days=1)) not in texts

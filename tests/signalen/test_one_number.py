"""One definition per number (#18 item 6, the table in signalen.kanon): a theme of 17
signals for the team, 3 of them in the block that still runs, is 14 outside the team
on every outside page, and the team's pages show both numbers, each saying what it
counts. A target group never shows more than the theme."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from signalen.escalations import queries as escalation_queries
from signalen.escalations.services import escalation_snapshot
from signalen.kanon import block_start, outside_until
from signalen.models import (
    Doelgroep,
    ThemaLid,
    ThemaStatus,
    ThemaZichtbaarheid,
    WijkThema,
)
from tests.conftest import mfa_client
from tests.factories import UserFactory
from tests.signalen.helpers import make_signaal

pytestmark = pytest.mark.django_db

TEAM_SIZE = 17
OUTSIDE_SIZE = 14


@pytest.fixture
def fixture_theme(wijk, team, professional):
    """14 signals in the two last whole blocks, 3 in the running block, 1 withdrawn; all about
    elderly people."""
    other = UserFactory(role="professional")
    team.members.add(other)
    today = timezone.localdate()
    running = block_start(today)
    ouderen = Doelgroep.objects.get(code="ouderen")
    thema = WijkThema.objects.create(
        wijk=wijk,
        name="Eenzaam in de flat",
        label="eenzaam, flat",
        keywords=["eenzaam", "flat"],
        status=ThemaStatus.ERKEND,
        visibility=ThemaZichtbaarheid.PUBLIEK,
        public_title="Samen tegen eenzaamheid",
        public_text="Wij zoeken bewoners die willen helpen.",
        public_approved_at=timezone.now(),
        # What the last run stored: it may lag behind (a withdrawal since).
        size=TEAM_SIZE + 1,
        authors=2,
    )
    # 7 in each of the last two whole blocks (so every block of its table shows).
    days = [running - datetime.timedelta(days=3 + 28 * (i % 2)) for i in range(14)]
    days += [min(today, running + datetime.timedelta(days=i)) for i in range(3)]
    for i, day in enumerate(days):
        signaal = make_signaal(
            author=professional if i % 2 else other,
            team=team,
            observed_on=day,
            doelgroepen=[ouderen],
        )
        ThemaLid.objects.create(thema=thema, signaal=signaal)
    gone = make_signaal(author=professional, team=team, observed_on=days[0])
    gone.withdrawn_at = timezone.now()
    gone.save()
    ThemaLid.objects.create(thema=thema, signaal=gone)
    return thema


def _text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def _figure(text: str, label: str) -> str:
    match = re.search(re.escape(label) + r" (\d+|verborgen|< \d+) ", text)
    assert match, label
    return match.group(1)


def test_the_team_sees_both_numbers_on_its_theme_pages(
    client, professional, fixture_theme
):
    client = mfa_client(client, professional)
    until = outside_until(timezone.localdate())
    for url in (
        reverse("signalen:thema_detail", args=[fixture_theme.pk]),
        reverse("signalen:thema_list"),
    ):
        text = _text(client.get(url))
        assert _figure(text, "Signalen in het team") == str(TEAM_SIZE), url
        assert "(alle signalen tot nu)" in text
        assert _figure(text, "Buiten het team") == str(OUTSIDE_SIZE), url
        assert "alleen hele blokken van 4 weken, tot en met" in text
        assert f"{until.day} " in text


def test_the_dashboard_the_snapshot_and_the_public_page_show_the_outside_number(
    client, ambtenaar, fixture_theme, wijk
):
    # The officer's dashboard: the theme's row, and what its size counts.
    officer = mfa_client(client, ambtenaar)
    response = officer.get(f"/dashboard/wijk/{wijk.code}/")
    rows = [t for t, _bars in response.context["themes"]]
    assert [str(r.size) for r in rows] == [str(OUTSIDE_SIZE)]
    assert "Signalen: alleen hele blokken van 4 weken, tot en met" in _text(response)

    # The escalation snapshot: the same size, and no target group above it.
    snapshot = escalation_snapshot(fixture_theme)
    assert snapshot["size"] == OUTSIDE_SIZE
    groups = {row["code"]: row["count"] for row in snapshot["doelgroepen"]["shown"]}
    assert groups["ouderen"] == OUTSIDE_SIZE
    assert all(n <= OUTSIDE_SIZE for n in groups.values())
    view = escalation_queries.snapshot_view(snapshot)
    size_row = next(r for r in view.rows if r.label == "Signalen in het thema")
    assert size_row.value.startswith(f"{OUTSIDE_SIZE} (buiten het team: hele blokken")

    # The public wijk page and the public theme page.
    client.logout()
    wijk_page = _text(client.get(wijk.get_absolute_url()))
    assert f"Signalen van professionals: {OUTSIDE_SIZE}." in wijk_page
    assert "Het aantal signalen telt alleen hele blokken van 4 weken" in wijk_page
    public = _text(client.get(reverse("themas:detail", args=[fixture_theme.pk])))
    assert f"Het wijkteam zag dit {OUTSIDE_SIZE} keer." in public
    assert "Geteld in hele blokken van 4 weken, tot en met" in public


def test_the_team_report_uses_the_teams_number(client, professional, fixture_theme):
    from signalen.goals.report import team_report

    today = timezone.localdate()
    report = team_report(
        wijk=fixture_theme.wijk,
        user=professional,
        date_from=today - datetime.timedelta(days=365),
        date_to=today,
    )
    assert [t.size for t in report.themes] == [TEAM_SIZE]


def test_an_old_snapshot_without_a_window_still_reads(fixture_theme):
    snapshot = escalation_snapshot(fixture_theme)
    del snapshot["size_until"]
    view = escalation_queries.snapshot_view(snapshot)
    size_row = next(r for r in view.rows if r.label == "Signalen in het thema")
    assert size_row.value == str(OUTSIDE_SIZE)

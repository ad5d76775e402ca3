"""The team view: filters, paging, edit and withdraw within 24 hours, CSV export."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from signalen.intake.sealing import unseal
from signalen.models import AuditEntry, Bron, Categorie, Doelgroep
from tests.factories import BuurtFactory, WijkFactory
from tests.signalen.helpers import make_signaal


@pytest.fixture
def pro_client(client, professional):
    client.force_login(professional)
    return client


def texts(response):
    return [signaal.text for signaal, _can_change in response.context["rows"]]


def test_the_list_shows_the_teams_signals_newest_first(
    pro_client, professional, colleague, team
):
    now = timezone.now()
    make_signaal(
        author=colleague,
        team=team,
        text="oud",
        created_at=now - datetime.timedelta(days=3),
    )
    make_signaal(author=professional, team=team, text="nieuw", created_at=now)
    response = pro_client.get("/signalen/")
    assert response.status_code == 200
    assert texts(response) == ["nieuw", "oud"]
    assert "Carla Collega" in response.content.decode()


def test_the_list_covers_every_wijk_of_the_users_teams(
    pro_client, professional, gemeente, team
):
    second = WijkFactory(code="WK043907", name="Tweede wijk", gemeente=gemeente)
    team.wijken.add(second)
    make_signaal(author=professional, team=team, wijk=second, text="in de tweede")
    make_signaal(author=professional, team=team, text="in de eerste")
    assert sorted(texts(pro_client.get("/signalen/"))) == [
        "in de eerste",
        "in de tweede",
    ]
    response = pro_client.get(f"/signalen/?wijk={second.pk}")
    assert texts(response) == ["in de tweede"]


def test_filters_narrow_the_list(pro_client, professional, colleague, team, wijk):
    buurt = BuurtFactory(code="BU04390101", name="Binnenstad", wijk=wijk)
    geld = Categorie.objects.get(code="geldzorgen-schulden")
    school = Bron.objects.get(code="partner-school")
    jongeren = Doelgroep.objects.get(code="jongeren")
    today = timezone.localdate()
    make_signaal(author=professional, team=team, text="a", buurt=buurt)
    make_signaal(author=professional, team=team, text="b", categorie=geld)
    make_signaal(author=colleague, team=team, text="c", bron=school)
    make_signaal(author=colleague, team=team, text="d", doelgroepen=[jongeren])
    make_signaal(
        author=colleague,
        team=team,
        text="e",
        observed_on=today - datetime.timedelta(days=40),
    )
    cases = {
        f"buurt={buurt.pk}": ["a"],
        f"categorie={geld.pk}": ["b"],
        f"bron={school.pk}": ["c"],
        f"doelgroep={jongeren.pk}": ["d"],
        f"tot={(today - datetime.timedelta(days=30)).isoformat()}": ["e"],
        f"van={(today - datetime.timedelta(days=30)).isoformat()}": [
            "a",
            "b",
            "c",
            "d",
        ],
        "auteur=mijn": ["a", "b"],
        "auteur=alle": ["a", "b", "c", "d", "e"],
    }
    for query, expected in cases.items():
        assert sorted(texts(pro_client.get("/signalen/?" + query))) == expected, query


@pytest.mark.parametrize(
    "query",
    ["wijk=abc", "categorie=99999", "van=gisteren", "auteur=iedereen", "doelgroep=-1"],
)
def test_bad_filter_values_filter_nothing_open_and_say_so(
    pro_client, professional, team, query
):
    make_signaal(author=professional, team=team, text="zichtbaar")
    response = pro_client.get("/signalen/?" + query)
    assert response.status_code == 200
    assert texts(response) == ["zichtbaar"]
    assert "Er is iets niet goed ingevuld" in response.content.decode()


def test_withdrawn_signals_are_not_listed(pro_client, professional, team):
    item = make_signaal(author=professional, team=team, text="weg")
    item.withdrawn_at = timezone.now()
    item.save()
    assert texts(pro_client.get("/signalen/")) == []


def test_the_list_is_paginated_and_keeps_the_filters(pro_client, professional, team):
    for number in range(30):
        make_signaal(author=professional, team=team, text=f"signaal {number}")
    response = pro_client.get("/signalen/?auteur=mijn")
    assert len(response.context["rows"]) == 25
    assert "auteur=mijn&amp;pagina=2" in response.content.decode()
    response = pro_client.get("/signalen/?auteur=mijn&pagina=2")
    assert len(response.context["rows"]) == 5


def test_the_list_runs_a_fixed_number_of_queries(
    pro_client, professional, colleague, team, django_assert_num_queries
):
    ouderen = Doelgroep.objects.get(code="ouderen")
    for number in range(25):
        make_signaal(
            author=professional if number % 2 else colleague,
            team=team,
            doelgroepen=[ouderen],
        )
    with django_assert_num_queries(13):
        response = pro_client.get("/signalen/")
    assert len(response.context["rows"]) == 25


def test_the_author_edits_within_24_hours_and_the_text_is_scrubbed_again(
    pro_client, professional, team, wijk
):
    item = make_signaal(author=professional, team=team)
    response = pro_client.get(f"/signalen/{item.pk}/wijzigen/")
    assert response.status_code == 200
    response = pro_client.post(
        f"/signalen/{item.pk}/wijzigen/",
        {
            "categorie": str(Categorie.objects.get(code="mantelzorg").pk),
            "bron": str(item.bron_id),
            "text": "Mantelzorgers lopen vast, bel 06-87654321 voor info.",
            "households_estimate": "4",
            "observed_on": item.observed_on.isoformat(),
        },
    )
    # Saved sealed like a new signal; the confirm page shows the scrubbed text.
    assert response.status_code == 302
    assert response["Location"] == f"/signalen/{item.pk}/opgeslagen/?gewijzigd"
    item.refresh_from_db()
    assert item.categorie.code == "mantelzorg"
    assert item.scrub_pending
    assert "06-87654321" not in item.text
    assert unseal(item.text_sealed) == (
        "Mantelzorgers lopen vast, bel 06-87654321 voor info."
    )
    assert item.wijk == wijk
    assert AuditEntry.objects.filter(action="edit", signaal=item).exists()


def test_the_wijk_cannot_be_changed_by_editing(
    pro_client, professional, team, wijk, outsider_wijk
):
    item = make_signaal(author=professional, team=team)
    pro_client.post(
        f"/signalen/{item.pk}/wijzigen/",
        {
            "wijk": str(outsider_wijk.pk),
            "categorie": str(item.categorie_id),
            "bron": str(item.bron_id),
            "text": "Nieuw",
            "observed_on": item.observed_on.isoformat(),
        },
    )
    item.refresh_from_db()
    assert item.wijk == wijk


def test_editing_with_bad_input_changes_nothing(pro_client, professional, team):
    item = make_signaal(author=professional, team=team, text="origineel")
    response = pro_client.post(
        f"/signalen/{item.pk}/wijzigen/",
        {
            "categorie": str(item.categorie_id),
            "bron": str(item.bron_id),
            "text": "x" * 1001,
            "observed_on": item.observed_on.isoformat(),
        },
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.text == "origineel"


def test_a_retired_category_stays_selectable_on_its_own_signal(
    pro_client, professional, team
):
    item = make_signaal(author=professional, team=team)
    Categorie.objects.filter(pk=item.categorie_id).update(is_active=False)
    response = pro_client.post(
        f"/signalen/{item.pk}/wijzigen/",
        {
            "categorie": str(item.categorie_id),
            "bron": str(item.bron_id),
            "text": "Nog steeds eenzaamheid",
            "observed_on": item.observed_on.isoformat(),
        },
    )
    assert response.status_code == 302  # saved, on to the confirm page
    item.refresh_from_db()
    assert unseal(item.text_sealed) == "Nog steeds eenzaamheid"


def test_after_24_hours_the_author_can_only_view(pro_client, professional, team):
    item = make_signaal(
        author=professional,
        team=team,
        text="vast",
        created_at=timezone.now() - datetime.timedelta(hours=25),
    )
    response = pro_client.get(f"/signalen/{item.pk}/")
    assert "wijzigen" not in response.content.decode().lower().replace(
        "tot 24 uur na het melden wijzigen", ""
    )
    for url in (f"/signalen/{item.pk}/wijzigen/", f"/signalen/{item.pk}/intrekken/"):
        response = pro_client.post(url, {"reason": "dubbel", "text": "anders"})
        assert response.status_code == 302
    item.refresh_from_db()
    assert item.text == "vast"
    assert item.withdrawn_at is None


def test_the_author_withdraws_with_a_reason(pro_client, professional, team):
    item = make_signaal(author=professional, team=team, text="dubbel gemeld")
    assert pro_client.get(f"/signalen/{item.pk}/intrekken/").status_code == 200
    response = pro_client.post(f"/signalen/{item.pk}/intrekken/", {"reason": "dubbel"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.withdrawn_at is not None
    assert item.withdrawn_reason == "dubbel"
    assert item.text == ""
    entry = AuditEntry.objects.get(action="withdraw")
    assert entry.signaal == item
    assert entry.actor == professional


@pytest.mark.parametrize("reason", ["", "<script>", "x" * 300])
def test_withdrawing_needs_a_reason_from_the_list(
    pro_client, professional, team, reason
):
    item = make_signaal(author=professional, team=team)
    response = pro_client.post(f"/signalen/{item.pk}/intrekken/", {"reason": reason})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.withdrawn_at is None


def read_csv(response):
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_export_holds_the_filtered_scrubbed_signals_without_emails(
    pro_client, professional, colleague, team
):
    make_signaal(author=professional, team=team, text="mijn signaal")
    make_signaal(author=colleague, team=team, text='=HYPERLINK("x")')
    response = pro_client.get("/signalen/export.csv?auteur=alle")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][0] == "id"
    assert len(rows) == 3
    flat = ";".join(";".join(row) for row in rows)
    assert "@" not in flat  # no e-mail addresses
    assert "Carla Collega" in flat
    assert "'=HYPERLINK" in flat  # no formulas for spreadsheets
    rows = read_csv(pro_client.get("/signalen/export.csv?auteur=mijn"))
    assert len(rows) == 2
    entry = AuditEntry.objects.filter(action="export").latest("pk")
    assert entry.detail["rows"] == 1
    assert entry.detail["filters"] == {"auteur": "mijn"}


def test_the_export_leaves_out_withdrawn_and_wiped_text(pro_client, professional, team):
    gone = make_signaal(author=professional, team=team, text="ingetrokken tekst")
    gone.withdrawn_at = timezone.now()
    gone.save()
    wiped = make_signaal(author=professional, team=team, text="")
    wiped.text_wiped_at = timezone.now()
    wiped.save()
    rows = read_csv(pro_client.get("/signalen/export.csv"))
    assert len(rows) == 2
    assert "ingetrokken tekst" not in str(rows)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_the_export_neutralises_every_formula_start(
    pro_client, professional, team, start
):
    make_signaal(author=professional, team=team, text=start + "HYPERLINK(x) in de flat")
    rows = read_csv(pro_client.get("/signalen/export.csv"))
    cell = rows[1][rows[0].index("tekst")]
    assert cell == "'" + start + "HYPERLINK(x) in de flat"

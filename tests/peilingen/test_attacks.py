"""A hostile but legitimate user against the wijkpeilingen: small counts, open answers,
results before closing, differencing filters, the CSV against the page, HTML."""

from __future__ import annotations

import csv
import io

import pytest

from peilingen.models import PeilingStatus
from tests.conftest import mfa_client
from tests.peilingen.conftest import add_response, make_peiling

pytestmark = pytest.mark.django_db

SECRET = "Mijn buurman Kees slaat zijn hond"


@pytest.fixture
def open_peiling(wijk, team):
    return make_peiling(wijk, status=PeilingStatus.OPEN, team=team)


@pytest.fixture
def gemeente_peiling(wijk):
    """A survey of the gemeente (no team): its officers write it."""
    return make_peiling(wijk, status=PeilingStatus.OPEN)


def _csv(response):
    text = b"".join(
        response.streaming_content if response.streaming else [response.content]
    )
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))


# --- Counts under K while the survey is open ---------------------------------------------------


@pytest.mark.parametrize("which", ["open_peiling", "gemeente_peiling"])
def test_an_officer_never_sees_a_count_under_k(
    request, client, ambtenaar, which, settings
):
    settings.K_ANONYMITY = 5
    peiling = request.getfixturevalue(which)
    add_response(peiling, een=0)
    add_response(peiling, een=1)
    page = mfa_client(client, ambtenaar).get(f"/peilingen/{peiling.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "2 antwoorden" not in text
    assert "minder dan 5 antwoorden" in text


def test_an_officer_sees_the_count_once_it_reaches_k(
    client, ambtenaar, gemeente_peiling, settings
):
    settings.K_ANONYMITY = 5
    for _ in range(6):
        add_response(gemeente_peiling, een=0)
    text = (
        mfa_client(client, ambtenaar)
        .get(f"/peilingen/{gemeente_peiling.pk}/")
        .content.decode()
    )
    assert "6 antwoorden" in text


def test_the_team_sees_its_own_small_count(
    client, professional, open_peiling, settings
):
    settings.K_ANONYMITY = 5
    add_response(open_peiling, een=0)
    add_response(open_peiling, een=1)
    text = (
        mfa_client(client, professional)
        .get(f"/peilingen/{open_peiling.pk}/")
        .content.decode()
    )
    assert "2 antwoorden" in text


@pytest.mark.parametrize("who", ["anonymous", "bewoner", "ambtenaar", "professional"])
def test_no_results_or_csv_before_closing(request, client, who, open_peiling):
    for _ in range(8):
        add_response(open_peiling, een=0, open=SECRET)
    if who != "anonymous":
        mfa_client(client, request.getfixturevalue(who))
    assert client.get(f"/peilingen/{open_peiling.pk}/resultaten/").status_code == 404
    assert client.get(f"/peilingen/{open_peiling.pk}/resultaten.csv").status_code == 404


def test_an_officer_of_another_gemeente_sees_no_survey(
    client, outsider_ambtenaar, open_peiling
):
    add_response(open_peiling, een=0, open=SECRET)
    officer = mfa_client(client, outsider_ambtenaar)
    assert officer.get(f"/peilingen/{open_peiling.pk}/").status_code == 404
    assert (
        officer.get(f"/peilingen/{open_peiling.pk}/open-antwoorden/").status_code == 403
    )


def test_a_professional_of_another_team_reads_no_open_answers(
    client, outsider_professional, open_peiling
):
    add_response(open_peiling, een=0, open=SECRET)
    other = mfa_client(client, outsider_professional)
    response = other.get(f"/peilingen/{open_peiling.pk}/open-antwoorden/")
    assert response.status_code == 404
    assert SECRET not in response.content.decode()


# --- After closing: narrow groups, filters, differencing, the CSV -----------------------------------


@pytest.fixture
def closed_small_buurt(wijk, team, buurt_a, buurt_b, settings):
    """Eight people in buurt A, two in buurt B: B is too small to show on its own."""
    settings.K_ANONYMITY = 5
    peiling = make_peiling(wijk, status=PeilingStatus.GESLOTEN, team=team)
    for i in range(8):
        add_response(peiling, buurt=buurt_a, age_band="", een=i % 2, open=SECRET)
    for _ in range(2):
        add_response(peiling, buurt=buurt_b, age_band="", een=2)
    return peiling


def test_a_buurt_under_k_cannot_be_filtered_on(
    client, closed_small_buurt, buurt_b, buurt_a
):
    url = f"/peilingen/{closed_small_buurt.pk}/resultaten/"
    for code in (buurt_b.code, buurt_a.code):
        response = client.get(url, {"buurt": code})
        assert response.status_code == 400
        assert buurt_b.name not in response.content.decode()


def test_two_filters_at_once_are_refused(client, closed_small_buurt, buurt_a):
    response = client.get(
        f"/peilingen/{closed_small_buurt.pk}/resultaten/",
        {"buurt": buurt_a.code, "leeftijd": "18-29"},
    )
    assert response.status_code == 400


def test_the_csv_shows_no_small_group_and_no_count_under_k(
    client, closed_small_buurt, buurt_b
):
    rows = _csv(client.get(f"/peilingen/{closed_small_buurt.pk}/resultaten.csv"))
    flat = [cell for row in rows for cell in row]
    assert buurt_b.name not in flat
    counts = [row[-1] for row in rows[1:]]
    for value in counts:
        assert value == "verborgen" or int(value.replace(".", "")) >= 5
    assert SECRET not in "".join(flat)


def test_the_results_page_never_shows_open_answer_text(client, closed_small_buurt):
    text = client.get(
        f"/peilingen/{closed_small_buurt.pk}/resultaten/"
    ).content.decode()
    assert SECRET not in text


# --- HTML in the new text fields -------------------------------------------------------------------


def test_html_in_a_question_and_an_answer_is_shown_as_text(
    client, professional, wijk, team
):
    peiling = make_peiling(
        wijk,
        status=PeilingStatus.OPEN,
        team=team,
        questions=[("open", "<script>alert('v')</script>", [])],
    )
    add_response(peiling, open="<img src=x onerror=alert(1)>")
    team_client = mfa_client(client, professional)
    detail = team_client.get(f"/peilingen/{peiling.pk}/").content.decode()
    assert "<script>alert('v')</script>" not in detail
    answers = team_client.get(
        f"/peilingen/{peiling.pk}/open-antwoorden/"
    ).content.decode()
    assert "<img src=x onerror" not in answers
    assert "&lt;img src=x onerror" in answers


def test_a_small_channel_cannot_be_worked_out_from_the_number_of_people(
    client, wijk, team, settings
):
    """Ten online, two in the street, six at the door: the page says 18 people took
    part, so showing 10 and 6 beside a hidden street count gives away the 2."""
    settings.K_ANONYMITY = 5
    peiling = make_peiling(wijk, status=PeilingStatus.GESLOTEN, team=team)
    for channel, n in (("online", 10), ("straat", 2), ("deur", 6)):
        for _ in range(n):
            add_response(peiling, channel=channel, een=0)
    text = client.get(f"/peilingen/{peiling.pk}/resultaten/").content.decode()
    assert "18 mensen deden mee" in text
    shown = {
        label: "verborgen" not in text.split(f"{label}: ", 1)[1][:20]
        for label in ("Online", "Op straat", "Aan de deur")
    }
    assert shown["Op straat"] is False
    # At least one more channel must hide, or 18 - shown = the street's count.
    assert not (shown["Online"] and shown["Aan de deur"])

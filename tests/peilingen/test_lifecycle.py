"""A survey's life around the edges: dates, the nightly close, the public theme page,
the demo scrubber's sweep, and pages whose queries do not grow with the answers."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peilingen import services, tasks
from peilingen.models import PeilingStatus, SamenvattingStatus
from peilingen.services import PeilingError
from signalen.intake import warmup
from tests.peilingen.conftest import add_response, make_peiling

pytestmark = pytest.mark.django_db


def test_a_survey_takes_no_answers_before_its_first_day(wijk, bewoner):
    peiling = make_peiling(wijk, status=PeilingStatus.OPEN)
    peiling.opens_on = timezone.localdate() + datetime.timedelta(days=2)
    peiling.save()
    vraag = peiling.vragen.first()
    with pytest.raises(PeilingError) as error:
        services.response_submit(
            peiling=peiling,
            channel="online",
            answers={vraag.pk: 0},
            consent=True,
            user=bewoner,
        )
    assert error.value.code == "not_open"


def test_the_nightly_job_closes_surveys_whose_last_day_has_passed(wijk):
    today = timezone.localdate()
    due = make_peiling(wijk, status=PeilingStatus.OPEN)
    due.closes_on = today - datetime.timedelta(days=1)
    due.save()
    running = make_peiling(wijk, status=PeilingStatus.OPEN)
    running.closes_on = today
    running.save()
    assert tasks.close_due_surveys() == 1
    assert tasks.close_due_surveys() == 0  # twice is harmless
    due.refresh_from_db()
    running.refresh_from_db()
    assert due.is_closed
    assert running.is_open


def test_the_demo_scrubber_sweeps_sealed_answers_too():
    assert services.pending_answers_scrub in warmup.AFTER_READY


def test_a_closed_survey_shows_on_the_public_theme_page_with_its_summary(
    client, wijk, professional, taxonomy
):
    from tests.signalen.helpers import make_thema

    thema = make_thema(
        wijk,
        visibility="publiek",
        public_title="Een plek om elkaar te ontmoeten",
        public_text="Bewoners missen een buurthuis.",
        public_approved_at=timezone.now(),
    )
    peiling = make_peiling(wijk, status=PeilingStatus.GESLOTEN)
    peiling.themas.add(thema)
    peiling.samenvattingen.create(
        text="Veel mensen willen een bankje.",
        status=SamenvattingStatus.PUBLISHED,
        author=professional,
        decided_at=timezone.now(),
    )
    running = make_peiling(wijk, status=PeilingStatus.OPEN)
    running.title = "Nog open"
    running.save()
    running.themas.add(thema)
    page = client.get(f"/themas/{thema.pk}/").content.decode()
    assert "Wat we hoorden op straat" in page
    assert "Veel mensen willen een bankje." in page
    assert f"/peilingen/{peiling.pk}/resultaten/" in page
    assert "Nog open" not in page  # results of an open survey are not out yet


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_results_page_runs_as_many_queries_for_many_answers_as_for_few(
    client, wijk
):
    peiling = make_peiling(wijk, status=PeilingStatus.GESLOTEN)
    for _i in range(6):
        add_response(peiling, een=0, schaal=3, meer=[0], open="Meer groen.")
    url = f"/peilingen/{peiling.pk}/resultaten/"
    few = _queries(client, url)
    for _i in range(30):
        add_response(peiling, een=1, schaal=4, meer=[1], open="Meer licht.")
    assert _queries(client, url) == few


def test_the_list_runs_as_many_queries_for_many_surveys_as_for_one(
    client, wijk, bewoner
):
    make_peiling(wijk, status=PeilingStatus.OPEN)
    client.force_login(bewoner)
    one = _queries(client, "/peilingen/")
    for _i in range(5):
        make_peiling(wijk, status=PeilingStatus.GESLOTEN)
    assert _queries(client, "/peilingen/") == one

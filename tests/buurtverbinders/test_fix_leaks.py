"""Two leaks a hostile review reproduced (/tmp/attack, probes 1 and 2), now tests:

1. the team report's buurtverbinders section counted over the raw dates asked for, so an
   officer could subtract two periods one day apart and learn a count below K; and the
   section only showed when something happened in the period;
2. when a co-organiser (not the owner) said yes to a match, the helper got the OWNER's
   name and e-mail, and the owner the helper's, although the owner never answered.
"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from buurtverbinders import queries, services
from buurtverbinders.models import ContactSoort, KoppelingStatus, Logregel, Verbinder
from initiatieven.models import Notificatie
from privacy import services as privacy_services
from signalen.kanon import BLOCK_SPAN, block_start
from tests.conftest import mfa_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- 1. The report: only whole blocks outside the team ------------------------------


def _officer_lines(client, wijk, van, tot):
    response = client.get(
        reverse("signalen:teamrapport_csv", args=[wijk.code]),
        {"van": van.isoformat(), "tot": tot.isoformat()},
    )
    assert response.status_code == 200
    rows = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    start = next((n for n, row in enumerate(rows) if row == ["Buurtverbinders"]), None)
    if start is None:
        return None
    return {row[0]: row[1] for row in rows[start + 1 : start + 6] if len(row) == 2}


def test_an_officer_cannot_subtract_two_periods_one_day_apart(
    client, wijk, team, connector, ambtenaar, settings
):
    """Probe 1: five welcome visits long ago, then one; the periods d(40)-d(6) and
    d(40)-d(5) read 5 and 6 before the fix."""
    settings.K_ANONYMITY = 5
    team.report_shared = True
    team.save()
    today = timezone.localdate()

    def day(n):
        return today - datetime.timedelta(days=n)

    for n in range(5):
        Logregel.objects.create(
            wijk=wijk, verbinder=connector, kind=ContactSoort.WELKOM, date=day(30 + n)
        )
    Logregel.objects.create(
        wijk=wijk, verbinder=connector, kind=ContactSoort.WELKOM, date=day(5)
    )
    officer = mfa_client(client, ambtenaar)
    before = _officer_lines(officer, wijk, day(40), day(6))
    after = _officer_lines(officer, wijk, day(40), day(5))
    assert before == after
    # One day, in a block that is not over: the section is there, with nothing in it.
    lone = _officer_lines(officer, wijk, day(5), day(5))
    assert lone is not None
    assert set(lone.values()) == {"verborgen"}


def test_outside_a_block_below_k_hides_the_period_total(wijk, connector, professional):
    """Six contacts in one whole block, two in the next: the two never show, alone or
    as the difference of two periods."""
    today = timezone.localdate()
    first = block_start(today) - 2 * BLOCK_SPAN
    second = first + BLOCK_SPAN
    for n in range(6):
        Logregel.objects.create(
            wijk=wijk,
            verbinder=connector,
            kind=ContactSoort.GESPREK,
            date=first + datetime.timedelta(days=n),
        )
    for n in range(2):
        Logregel.objects.create(
            wijk=wijk,
            verbinder=connector,
            kind=ContactSoort.GESPREK,
            date=second + datetime.timedelta(days=n),
        )
    last_day = second + BLOCK_SPAN - datetime.timedelta(days=1)

    def contacts(date_from, date_to, *, outside):
        section = queries.report_section(
            wijk=wijk,
            date_from=date_from,
            date_to=date_to,
            outside=outside,
            k=5,
            today=today,
        )
        return section.lines[-1].count

    assert str(contacts(first, second - datetime.timedelta(days=1), outside=True)) == (
        "6"
    )
    assert contacts(first, last_day, outside=True).is_hidden
    assert contacts(second, last_day, outside=True).is_hidden
    # A period ending in the running block counts up to the last block that is over.
    assert str(contacts(first, today, outside=True)) == "verborgen"
    # The team keeps its exact figures.
    assert contacts(first, last_day, outside=False) == 8
    assert contacts(second, last_day, outside=False) == 2


def test_the_section_shows_whether_or_not_something_happened(
    wijk, other_wijk, connector
):
    today = timezone.localdate()
    # A period long before the connector came: nothing happened in it, and before the
    # fix the section was left out (so its presence told that something happened).
    args = {
        "date_from": today - datetime.timedelta(days=300),
        "date_to": today - datetime.timedelta(days=200),
    }
    # Nothing happened in the period: the section is still there, outside too.
    quiet = queries.report_section(wijk=wijk, outside=True, k=5, **args)
    assert quiet is not None
    assert all(line.count.is_hidden for line in quiet.lines)
    assert queries.report_section(wijk=wijk, outside=False, k=5, **args) is not None
    # A revoked connector: the wijk had connectors, the section stays.
    Verbinder.objects.filter(user=connector).update(revoked_at=timezone.now())
    assert queries.report_section(wijk=wijk, outside=True, k=5, **args) is not None
    # A wijk that never had connectors has no section, whatever the period.
    assert queries.report_section(wijk=other_wijk, outside=True, k=5, **args) is None


def test_the_connectors_outside_are_those_of_the_last_whole_block(wijk, professional):
    today = timezone.localdate()
    for n in range(6):
        user = UserFactory(email=f"v{n}@example.nl", wijk=wijk)
        Verbinder.objects.create(user=user, wijk=wijk, granted_by=professional)
    args = {"date_from": today - datetime.timedelta(days=200), "date_to": today}
    outside = queries.report_section(wijk=wijk, outside=True, k=5, **args)
    # Granted today, in the running block: not yet counted outside the team.
    assert outside.lines[0].count.is_hidden
    inside = queries.report_section(wijk=wijk, outside=False, k=5, **args)
    assert inside.lines[0].count == 6


# --- 2. The contact goes to the one who said yes ----------------------------------


@pytest.fixture
def co_organiser(wijk, behoefte):
    user = UserFactory(email="co@example.nl", display_name="Cor Co", wijk=wijk)
    behoefte.initiatief.co_organisers.add(user)
    return user


def test_a_co_organisers_yes_exchanges_their_contact_not_the_owners(
    client,
    connector,
    wijk,
    behoefte,
    helper,
    organiser,
    co_organiser,
    django_capture_on_commit_callbacks,
):
    """Probe 2: before the fix the helper saw org@example.nl, the owner's address."""
    koppeling = services.koppeling_propose(
        actor=connector, wijk=wijk, behoefte=behoefte, helper=helper
    )
    answer = reverse("buurtverbinders:koppeling_answer", args=[koppeling.pk])
    index = reverse("buurtverbinders:index")
    client.force_login(co_organiser)
    assert client.post(answer, {"actie": "ja"}).status_code == 302
    client.force_login(helper)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(answer, {"actie": "ja"}).status_code == 302
    koppeling.refresh_from_db()
    assert koppeling.status == KoppelingStatus.GEKOPPELD
    assert koppeling.need_confirmed_by == co_organiser

    page = client.get(index).content.decode()
    assert "co@example.nl" in page
    assert "Cor Co" in page
    assert "org@example.nl" not in page
    assert "Olga Organisator" not in page

    client.force_login(organiser)
    page = client.get(index).content.decode()
    assert "helper@example.nl" not in page
    assert "Henk Helper" not in page

    client.force_login(co_organiser)
    page = client.get(index).content.decode()
    assert "helper@example.nl" in page

    # The mail "you now see each other's name" goes to the two who said yes only.
    key = f"verbinders:matched:{koppeling.pk}"
    told = set(Notificatie.objects.filter(key=key).values_list("user_id", flat=True))
    assert told == {helper.pk, co_organiser.pk}

    # The personal-data download: the co-organiser's yes is theirs, not the owner's.
    mine = privacy_services.personal_data_export(co_organiser)["buurtverbinders"]
    assert [
        row["initiatief"] for row in mine["koppelingen_bevestigd_als_organisator"]
    ] == ["Boodschappenmaatje"]
    owners = privacy_services.personal_data_export(organiser)["buurtverbinders"]
    assert owners["koppelingen_bevestigd_als_organisator"] == []


def test_the_owners_yes_still_exchanges_the_owners_contact(
    client, connector, wijk, behoefte, helper, organiser, co_organiser
):
    koppeling = services.koppeling_propose(
        actor=connector, wijk=wijk, behoefte=behoefte, helper=helper
    )
    services.koppeling_answer(user=organiser, koppeling=koppeling, accept=True)
    services.koppeling_answer(user=helper, koppeling=koppeling, accept=True)
    index = reverse("buurtverbinders:index")
    client.force_login(helper)
    page = client.get(index).content.decode()
    assert "org@example.nl" in page
    assert "co@example.nl" not in page
    client.force_login(co_organiser)
    assert "helper@example.nl" not in client.get(index).content.decode()


def test_no_contact_when_the_one_who_confirmed_is_gone(
    client, connector, wijk, behoefte, helper, co_organiser, organiser
):
    koppeling = services.koppeling_propose(
        actor=connector, wijk=wijk, behoefte=behoefte, helper=helper
    )
    services.koppeling_answer(user=co_organiser, koppeling=koppeling, accept=True)
    services.koppeling_answer(user=helper, koppeling=koppeling, accept=True)
    services.forget_user(user=co_organiser)
    koppeling.refresh_from_db()
    assert koppeling.need_confirmed_by is None
    assert not queries.contact_visible(koppeling, helper)
    assert not queries.contact_visible(koppeling, organiser)
    client.force_login(helper)
    page = client.get(reverse("buurtverbinders:index")).content.decode()
    assert "org@example.nl" not in page


def test_outside_matches_count_in_the_block_they_were_made(wijk, connector, behoefte):
    """Five matches proposed in a whole block that is over show; one more proposed in
    the next block hides the total of both blocks."""
    from buurtverbinders.models import Koppeling

    today = timezone.localdate()
    first = block_start(today) - 2 * BLOCK_SPAN
    second = first + BLOCK_SPAN
    noon = datetime.time(12, tzinfo=timezone.get_current_timezone())
    for n in range(6):
        koppeling = Koppeling.objects.create(
            wijk=wijk,
            behoefte=behoefte,
            helper=UserFactory(email=f"h{n}@example.nl", wijk=wijk),
            verbinder=connector,
        )
        day = first if n < 5 else second
        Koppeling.objects.filter(pk=koppeling.pk).update(
            created_at=datetime.datetime.combine(day, noon)
        )

    def proposed(date_to):
        section = queries.report_section(
            wijk=wijk,
            date_from=first,
            date_to=date_to,
            outside=True,
            k=5,
            today=today,
        )
        return str(section.lines[1].count)

    assert proposed(second - datetime.timedelta(days=1)) == "5"
    assert proposed(second + BLOCK_SPAN - datetime.timedelta(days=1)) == "verborgen"

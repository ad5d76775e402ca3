"""Waar kan iemand terecht? (issue 19 item 3): what already exists for a signal's
category and target groups, the resident's card (nothing of the signal on it), and
the anonymous count of "informele hulp eerst aangeboden" in the team report."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import signing
from django.utils import timezone

from initiatieven.models import Thema
from signalen.goals import report
from signalen.kanon import BLOCK_SPAN, block_start
from signalen.models import Doelgroep, InformeleHulpTelling
from signalen.terecht import queries, services
from signalen.terecht.views import ONCE_SESSION_KEY
from tests.conftest import mfa_client
from tests.factories import BuurtFactory
from tests.initiatieven.factories import InitiatiefFactory
from tests.signalen.helpers import make_signaal
from tests.wijken.test_plekken_models import contact_data, plek_data
from wijken import services as wijken_services
from wijken.models import PlekSoort

pytestmark = pytest.mark.usefixtures("frozen_now")

SECRET_TEXT = "Mevrouw in de flat aan de Kade eet al weken alleen en heeft schulden."


@pytest.fixture
def buurten(wijk):
    return (
        BuurtFactory(code="BU04390101", name="Binnenstad", wijk=wijk),
        BuurtFactory(code="BU04390102", name="Overlanen", wijk=wijk),
    )


@pytest.fixture
def things(wijk, other_wijk, buurten):
    """Initiatives and places of the wijk (and one of another wijk)."""
    thema = {t.code: t for t in Thema.objects.all()}
    near, far = buurten
    made = {
        "eettafel": InitiatiefFactory(
            title="Eettafel voor ouderen",
            summary="Elke vrijdag samen eten.",
            wijk=wijk,
            buurt=far,
            status="actief",
            themas=[thema["eenzaamheid"], thema["ouderen"], thema["eten"]],
        ),
        "koffie": InitiatiefFactory(
            title="Koffie op de hoek",
            summary="Elkaar ontmoeten.",
            wijk=wijk,
            buurt=near,
            status="actief",
            themas=[thema["ontmoeting"]],
        ),
        "geld": InitiatiefFactory(
            title="Geldcafé",
            summary="Hulp bij rekeningen.",
            wijk=wijk,
            status="actief",
            themas=[thema["geldzaken"]],
        ),
        "verborgen": InitiatiefFactory(
            title="Verborgen ontmoeting",
            wijk=wijk,
            status="actief",
            is_hidden=True,
            themas=[thema["eenzaamheid"]],
        ),
        "gestopt": InitiatiefFactory(
            title="Oude soos",
            wijk=wijk,
            status="gestopt",
            themas=[thema["eenzaamheid"]],
        ),
        "elders": InitiatiefFactory(
            title="Eettafel elders",
            wijk=other_wijk,
            status="actief",
            themas=[thema["eenzaamheid"]],
        ),
    }
    made["kerkuil"] = wijken_services.plek_create(
        wijk=wijk,
        data=plek_data(name="Buurthuis De Kerkuil", buurt=far),
    )
    made["bieb"] = wijken_services.plek_create(
        wijk=wijk,
        data=plek_data(
            name="Bibliotheek Centrum",
            kind=PlekSoort.BIBLIOTHEEK,
            description="Taalhuis en leesclub.",
            buurt=near,
        ),
    )
    made["dicht"] = wijken_services.plek_create(
        wijk=wijk,
        data=plek_data(
            name="Wijkcentrum Zonder Tijden",
            kind=PlekSoort.WIJKCENTRUM,
            description="Ontmoeting voor ouderen.",
            opening_hours="",
        ),
    )
    made["plek_elders"] = wijken_services.plek_create(
        wijk=other_wijk,
        data=plek_data(name="Buurthuis Elders"),
    )
    wijken_services.contact_save(wijk=wijk, data=contact_data())
    return made


def titles(items):
    return [item.title for item in items]


# --- Matching ------------------------------------------------------------------------


def test_initiatives_fit_the_category_and_target_group_of_the_wijk_only(wijk, things):
    ask = queries.Ask(wijk=wijk, categorie="eenzaamheid", doelgroepen=("ouderen",))
    found = titles(queries.suggest_initiatives(ask))
    # Eenzaamheid fits eenzaamheid/ontmoeting/ouderen; the eettafel also has "ouderen"
    # in its title. Money does not fit; hidden, stopped and another wijk never show.
    assert found == ["Eettafel voor ouderen", "Koffie op de hoek"]


def test_another_category_finds_other_initiatives(wijk, things):
    ask = queries.Ask(wijk=wijk, categorie="geldzorgen-schulden")
    assert titles(queries.suggest_initiatives(ask)) == ["Geldcafé"]
    ask = queries.Ask(wijk=wijk, categorie="verslaving")
    assert queries.suggest_initiatives(ask) == []


def test_the_target_group_alone_finds_initiatives(wijk, things):
    ask = queries.Ask(wijk=wijk, doelgroepen=("mensen-met-laag-inkomen",))
    assert "Geldcafé" in titles(queries.suggest_initiatives(ask))


def test_the_buurt_asked_for_comes_first_when_the_fit_is_equal(wijk, things, buurten):
    near, _far = buurten
    thema = Thema.objects.get(code="ontmoeting")
    InitiatiefFactory(
        title="Ontmoeten ver weg", wijk=wijk, status="actief", themas=[thema]
    )
    ask = queries.Ask(wijk=wijk, buurt=near, categorie="psychische-klachten")
    found = queries.suggest_initiatives(ask)
    assert found[0].title == "Koffie op de hoek"
    assert found[0].nearby is True


def test_the_score_is_plain_arithmetic():
    weights = queries.theme_weights("eenzaamheid", ["ouderen"])
    assert weights == {"eenzaamheid": 2, "ontmoeting": 3, "ouderen": 3}
    common = {
        "title": "x",
        "summary": "y",
        "weights": weights,
        "words": set(),
        "near_buurt_id": 7,
    }
    assert (
        queries.initiative_score(
            theme_codes=["ouderen"], status="idee", buurt_id=None, **common
        )
        == 3
    )
    assert (
        queries.initiative_score(
            theme_codes=["ouderen"], status="actief", buurt_id=7, **common
        )
        == 5
    )
    assert (
        queries.initiative_score(
            theme_codes=["wonen"], status="actief", buurt_id=7, **common
        )
        == 0
    )


def test_places_need_opening_hours_and_the_buurt_asked_for_comes_first(
    wijk, things, buurten
):
    near, _far = buurten
    ask = queries.Ask(wijk=wijk, categorie="eenzaamheid", doelgroepen=("ouderen",))
    found = titles(queries.suggest_places(ask))
    assert "Wijkcentrum Zonder Tijden" not in found  # no opening hours
    assert "Buurthuis Elders" not in found  # another wijk
    assert set(found) == {"Buurthuis De Kerkuil", "Bibliotheek Centrum"}
    ask = queries.Ask(wijk=wijk, buurt=near, categorie="eenzaamheid")
    assert titles(queries.suggest_places(ask))[0] == "Bibliotheek Centrum"


def test_when_no_place_fits_the_general_walk_in_places_show(wijk, things):
    ask = queries.Ask(wijk=wijk, categorie="verslaving")
    assert set(titles(queries.suggest_places(ask))) == {
        "Buurthuis De Kerkuil",
        "Bibliotheek Centrum",
    }


def test_another_app_can_plug_in_a_source(wijk, things, monkeypatch):
    extra = queries.Source(
        key="x",
        heading="Buurtverbinders",
        suggest=lambda ask: [queries.Item(kind="x", id=1, title="Verbinder Ans")],
        on_card=lambda wijk, ids: [
            queries.Item(kind="x", id=i, title="Verbinder Ans") for i in ids
        ],
    )
    monkeypatch.setattr(queries, "SOURCES", [*queries.SOURCES, extra])
    overview = queries.overview(queries.Ask(wijk=wijk))
    # Buurtverbinders plug in their own source ("v", buurtverbinders/terecht.py).
    assert [s.source.key for s in overview.sections] == ["i", "p", "v", "x"]
    card = queries.card_read(queries.card_token(wijk=wijk, chosen={"x": [1]}))
    assert card is not None
    assert titles(card.sections[3].items) == ["Verbinder Ans"]


# --- The confirm page and the lookup page, per role -----------------------------------


def test_the_confirm_page_shows_what_exists_for_the_signal(
    client, professional, team, wijk, things
):
    signaal = make_signaal(
        author=professional,
        team=team,
        text=SECRET_TEXT,
        doelgroepen=[Doelgroep.objects.get(code="ouderen")],
    )
    page = mfa_client(client, professional).get(f"/signalen/{signaal.pk}/opgeslagen/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Waar kan iemand terecht?" in html
    assert "Eettafel voor ouderen" in html
    assert "Buurthuis De Kerkuil" in html
    assert "14 0299" in html  # the wijkteam's contact


def lookup_url(wijk, suffix=""):
    return f"/signalen/terecht/{wijk.code}/{suffix}"


@pytest.mark.parametrize("who", ["bewoner", "ambtenaar", "beheerder"])
def test_other_roles_get_403(client, request, wijk, things, who):
    user = request.getfixturevalue(who)
    c = mfa_client(client, user)
    assert c.get(lookup_url(wijk)).status_code == 403
    assert c.get(lookup_url(wijk, "kaart/")).status_code == 403
    once = "a" * 32
    assert c.post(lookup_url(wijk, "aangeboden/"), {"once": once}).status_code == 403
    assert not InformeleHulpTelling.objects.exists()


def test_anonymous_goes_to_the_login_page(client, wijk, things):
    for suffix in ("", "kaart/"):
        response = client.get(lookup_url(wijk, suffix))
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]
    response = client.post(lookup_url(wijk, "aangeboden/"), {"once": "a" * 32})
    assert response.status_code == 302
    assert not InformeleHulpTelling.objects.exists()


def test_a_professional_of_another_team_gets_404(
    client, outsider_professional, wijk, things
):
    c = mfa_client(client, outsider_professional)
    assert c.get(lookup_url(wijk)).status_code == 404
    assert c.get(lookup_url(wijk, "kaart/")).status_code == 404
    assert (
        c.post(lookup_url(wijk, "aangeboden/"), {"once": "a" * 32}).status_code == 404
    )
    assert not InformeleHulpTelling.objects.exists()


def test_the_team_looks_up_without_a_signal(
    client, professional, wijk, things, buurten
):
    c = mfa_client(client, professional)
    page = c.get(
        lookup_url(wijk),
        {"categorie": "geldzorgen-schulden", "buurt": buurten[0].code},
    )
    assert page.status_code == 200
    assert "Geldcafé" in page.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"categorie": "<script>alert(1)</script>"},
        {"doelgroep": "geen-groep"},
        {"buurt": "BU99999999"},
        {"categorie": "x" * 5000},
    ],
)
def test_the_lookup_refuses_bad_input(client, professional, wijk, things, query):
    page = mfa_client(client, professional).get(lookup_url(wijk), query)
    assert page.status_code == 400
    assert "<script>alert(1)</script>" not in page.content.decode()


def test_a_buurt_of_another_wijk_is_refused(
    client, professional, wijk, other_wijk, things
):
    elders = BuurtFactory(code="BU04390201", name="Elders", wijk=other_wijk)
    page = mfa_client(client, professional).get(
        lookup_url(wijk), {"buurt": elders.code}
    )
    assert page.status_code == 400


# --- The card ------------------------------------------------------------------------


def make_card(client, wijk, **chosen):
    response = client.get(lookup_url(wijk, "kaart/"), chosen)
    assert response.status_code == 302, response.content
    return response["Location"]


def test_the_card_holds_nothing_of_the_signal(client, professional, team, wijk, things):
    signaal = make_signaal(
        author=professional,
        team=team,
        text=SECRET_TEXT,
        doelgroepen=[Doelgroep.objects.get(code="ouderen")],
    )
    c = mfa_client(client, professional)
    confirm = c.get(f"/signalen/{signaal.pk}/opgeslagen/").content.decode()
    # The card form on the confirm page: ids only, no signal, no category.
    form = re.search(
        r'<form method="get" action="[^"]*kaart/".*?</form>', confirm, re.S
    )
    assert form is not None
    names = set(re.findall(r'name="([^"]+)"', form.group(0)))
    assert names == {"i", "p", "taal"}
    url = make_card(
        c,
        wijk,
        i=[things["eettafel"].pk, things["koffie"].pk],
        p=[things["kerkuil"].pk],
    )
    payload = signing.loads(url.split("/")[-2], salt=queries.CARD_SALT)
    assert set(payload) == {"w", "i", "p"}
    client.logout()
    page = client.get(url)  # public: the resident has no account
    html = page.content.decode()
    assert page.status_code == 200
    assert "Eettafel voor ouderen" in html
    assert "Koffie op de hoek" in html
    assert "Buurthuis De Kerkuil" in html
    assert "14 0299" in html
    for secret in (
        SECRET_TEXT,
        "schulden",
        "Eenzaamheid",
        "eenzaamheid",
        "Ouderen</",
        professional.display_name,
        professional.email,
    ):
        assert secret not in html
    assert page["X-Robots-Tag"] == "noindex"


def test_the_card_in_english(client, professional, wijk, things):
    c = mfa_client(client, professional)
    url = make_card(c, wijk, p=[things["kerkuil"].pk], taal="en")
    client.logout()
    html = client.get(url).content.decode()
    assert 'lang="en"' in html
    assert "Deze kaart in het Nederlands" in html
    assert 'lang="nl"' in client.get(url + "?taal=nl").content.decode()


@pytest.mark.parametrize(
    "chosen",
    [
        {"i": ["elders"]},  # another wijk's initiative
        {"p": ["plek_elders"]},  # another wijk's place
        {"i": ["verborgen"]},  # hidden
        {"i": ["<script>"]},
        {"i": ["1" * 40]},
        {"taal": "de"},
    ],
)
def test_the_card_refuses_what_is_not_of_the_wijk(
    client, professional, wijk, things, chosen
):
    query = {
        key: [str(things[v].pk) if v in things else v for v in value]
        if isinstance(value, list)
        else value
        for key, value in chosen.items()
    }
    response = mfa_client(client, professional).get(lookup_url(wijk, "kaart/"), query)
    assert response.status_code == 400
    assert "<script>" not in response.content.decode()


def test_too_many_items_are_refused(client, professional, wijk, things):
    ids = [str(i) for i in range(1, queries.CARD_MAX_PER_KIND + 2)]
    response = mfa_client(client, professional).get(
        lookup_url(wijk, "kaart/"), {"i": ids}
    )
    assert response.status_code == 400


def test_a_made_up_or_changed_card_is_404(client, wijk, things):
    token = queries.card_token(wijk=wijk, chosen={"i": [things["eettafel"].pk]})
    assert client.get(f"/terecht/{token}/").status_code == 200
    forged = signing.dumps(
        {"w": wijk.pk, "i": [things["elders"].pk]}, salt="something-else", compress=True
    )
    assert client.get(f"/terecht/{forged}/").status_code == 404
    assert client.get(f"/terecht/{token[:-2]}xx/").status_code == 404
    assert client.get("/terecht/<script>/").status_code == 404


def test_a_card_drops_what_was_hidden_or_stopped_since(client, wijk, things):
    token = queries.card_token(
        wijk=wijk, chosen={"i": [things["eettafel"].pk, things["koffie"].pk]}
    )
    things["eettafel"].is_hidden = True
    things["eettafel"].save()
    html = client.get(f"/terecht/{token}/").content.decode()
    assert "Eettafel voor ouderen" not in html
    assert "Koffie op de hoek" in html


# --- The count -----------------------------------------------------------------------


def offer(c, wijk, once):
    return c.post(lookup_url(wijk, "aangeboden/"), {"once": once, "next": "/elders/"})


def test_offering_counts_once_per_tap_with_no_author_or_signal(
    client, professional, colleague, wijk, things
):
    c = mfa_client(client, professional)
    response = offer(c, wijk, "a" * 32)
    assert response.status_code == 303
    assert offer(c, wijk, "a" * 32).status_code == 303  # the same tap again
    offer(c, wijk, "b" * 32)
    row = InformeleHulpTelling.objects.get()
    assert row.count == 2
    assert row.block == block_start(timezone.localdate())
    fields = {f.name for f in InformeleHulpTelling._meta.get_fields()}
    assert fields == {"id", "wijk", "block", "count"}
    assert client.session[ONCE_SESSION_KEY] == ["a" * 32, "b" * 32]


def test_one_professional_cannot_push_the_count_up_alone(
    client, professional, wijk, things
):
    """A hostile review tapped 25 times with fresh values: 25. Now a day holds at most
    OFFERED_PER_DAY of one professional's taps."""
    from django.core.cache import cache

    from signalen.terecht.views import OFFERED_PER_DAY

    cache.clear()
    c = mfa_client(client, professional)
    for n in range(OFFERED_PER_DAY + 5):
        offer(c, wijk, f"{n:032x}")
    assert InformeleHulpTelling.objects.get().count == OFFERED_PER_DAY


def test_a_bad_tap_counts_nothing(client, professional, wijk, things):
    c = mfa_client(client, professional)
    for once in ("", "<script>", "z" * 32, "a" * 31):
        assert offer(c, wijk, once).status_code == 303
    assert not InformeleHulpTelling.objects.exists()
    assert c.get(lookup_url(wijk, "aangeboden/")).status_code == 405


def test_the_way_back_stays_on_this_site(client, professional, wijk, things):
    c = mfa_client(client, professional)
    response = c.post(
        lookup_url(wijk, "aangeboden/"),
        {"once": "c" * 32, "next": "https://evil.example/"},
    )
    assert response["Location"] == lookup_url(wijk)


def test_the_team_report_shows_the_count_k_anonymously(professional, wijk, things):
    today = timezone.localdate()
    this_block = block_start(today)
    last_block = this_block - BLOCK_SPAN
    for _ in range(6):
        services.offered_add(wijk=wijk, today=last_block)
    for _ in range(2):
        services.offered_add(wijk=wijk, today=today)
    start = last_block
    inside = report.team_report(
        wijk=wijk, user=professional, date_from=start, date_to=today
    )
    rows = {line.block: str(count) for line, count in inside.informal_help.rows}
    assert rows[last_block] == "6"
    assert rows[this_block] == "verborgen"  # 2 is below K
    assert inside.informal_help.table.total.value is None  # 8 - 6 would give 2 away
    outside = report.team_report(
        wijk=wijk,
        user=professional,
        date_from=start,
        date_to=today,
        sharing_team_ids=[],
    )
    # Outside the team only whole blocks that are over: never the running one.
    blocks = [line.block for line in outside.informal_help.blocks]
    assert this_block not in blocks
    outside_rows = {
        line.block: str(count) for line, count in outside.informal_help.rows
    }
    assert outside_rows[last_block] == "6"
    assert "Informele hulp eerst aangeboden" in report.report_csv(inside)


def test_the_report_page_shows_the_section(client, professional, wijk, things):
    services.offered_add(wijk=wijk)
    page = mfa_client(client, professional).get(f"/signalen/rapport/{wijk.code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Informele hulp eerst aangeboden" in html


def test_the_professionals_start_page_and_places_page_lead_to_the_lookup(
    client, professional, wijk
):
    c = mfa_client(client, professional)
    target = f'href="/signalen/terecht/{wijk.code}/"'
    assert target in c.get("/account/start/").content.decode()
    assert target in c.get(f"/signalen/plekken/{wijk.code}/").content.decode()


def test_the_panel_costs_the_same_queries_for_one_or_many_matches(
    client, professional, team, wijk, things
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signaal = make_signaal(author=professional, team=team, text=SECRET_TEXT)
    c = mfa_client(client, professional)
    url = f"/signalen/{signaal.pk}/opgeslagen/"
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        c.get(url)
    thema = Thema.objects.get(code="eenzaamheid")
    for n in range(12):
        InitiatiefFactory(
            title=f"Ontmoeting {n}", wijk=wijk, status="actief", themas=[thema]
        )
        wijken_services.plek_create(
            wijk=wijk,
            data=plek_data(name=f"Buurthuis {n}", description="Koffie en ontmoeting."),
        )
    with CaptureQueriesContext(connection) as many:
        c.get(url)
    assert len(many) == len(few)


def test_outside_the_team_two_periods_never_give_a_small_block_away(
    professional, wijk, things
):
    """Blocks 1-2 hold 6 and 2: the period 1-1 shows 6, so a total of 8 for 1-2 would
    pin the 2 of block 2. Outside the team a total shows only when every block does."""
    today = timezone.localdate()
    last = block_start(today) - BLOCK_SPAN
    before = last - BLOCK_SPAN
    for _ in range(6):
        services.offered_add(wijk=wijk, today=before)
    for _ in range(2):
        services.offered_add(wijk=wijk, today=last)

    def outside(date_from, date_to):
        return report.team_report(
            wijk=wijk,
            user=professional,
            date_from=date_from,
            date_to=date_to,
            sharing_team_ids=[],
        ).informal_help

    both = outside(before, last + BLOCK_SPAN - datetime.timedelta(days=1))
    assert both.table.total.value is None
    assert {line.block: str(count) for line, count in both.rows}[last] == "verborgen"

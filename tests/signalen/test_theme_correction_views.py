"""The team in the loop, through the pages (issue 16 items 3 and 4): the suggestion after
the quick-log form, attaching with one tap, and on a theme's page moving a signal,
"hoort er niet bij", merging and splitting. Who may, and what bad input gets.

The services and their survival across runs are tested in test_theme_corrections.py.
"""

from __future__ import annotations

import pytest

from signalen.intake import services as intake
from signalen.models import (
    AuditAction,
    AuditEntry,
    Signaal,
    ThemaActie,
    ThemaGebeurtenis,
    ThemaLid,
    ThemaStatus,
    WijkThema,
)
from signalen.themes import vectors
from tests.signalen.helpers import make_signaal, make_thema
from tests.signalen.test_quick_log import valid_data

pytestmark = pytest.mark.usefixtures("frozen_now")

MOULD = [
    "Schimmel in de slaapkamer van de kinderen, de corporatie reageert niet.",
    "Zwarte schimmel in de badkamer, het kind hoest al weken.",
    "Vocht en schimmel in de huurwoning, astma van het zoontje wordt erger.",
    "Schimmel op de muren, de corporatie doet niets aan het vocht.",
    "Vochtplekken en schimmel, al drie keer gemeld bij de corporatie.",
]
LONELY = [
    "Voelt zich eenzaam sinds het buurthuis dicht is.",
    "Oudere alleen, eenzaam, mist de soos in het buurthuis.",
    "Eenzaam sinds de sluiting van het buurthuis, geen koffieochtend meer.",
    "Zit de hele dag alleen, het buurthuis is gesloten.",
    "Mist een ontmoetingsplek nu het buurthuis dicht is, eenzaam.",
]
SECRET = "Geheime schimmel bij de overburen in de andere gemeente."


def members(thema) -> set[int]:
    return set(
        ThemaLid.objects.filter(thema=thema).values_list("signaal_id", flat=True)
    )


def _theme(wijk, team, authors, texts, **fields):
    signalen = [
        make_signaal(author=authors[i % len(authors)], team=team, text=text)
        for i, text in enumerate(texts)
    ]
    return make_thema(wijk, signalen=signalen, **fields)


@pytest.fixture
def mould(wijk, team, professional, colleague):
    return _theme(
        wijk,
        team,
        [colleague, professional],
        MOULD,
        label="schimmel, vocht",
        keywords=["schimmel", "vocht"],
    )


@pytest.fixture
def lonely(wijk, team, professional, colleague):
    return _theme(
        wijk,
        team,
        [colleague, professional],
        LONELY,
        label="eenzaam, buurthuis",
        keywords=["eenzaam", "buurthuis"],
        name="Eenzaam sinds het buurthuis dicht is",
    )


@pytest.fixture
def theirs(outsider_wijk, outsider_team, outsider_professional):
    return _theme(
        outsider_wijk,
        outsider_team,
        [outsider_professional],
        [SECRET] * 5,
        label="geheim, elders",
    )


@pytest.fixture
def pro_client(client, professional):
    client.force_login(professional)
    return client


@pytest.fixture
def embedded(mould, lonely, theirs):
    vectors.vectors_backfill(batch_size=50)


@pytest.fixture
def embed_at_once(monkeypatch):
    """The worker embeds at once (eager mode in the demo): the confirm page has it."""
    monkeypatch.setattr(
        intake,
        "embed_after_commit",
        lambda ids: [vectors.signal_embed(pk) for pk in ids],
    )


def new_signal(team, author, text="Schimmel in de badkamer van een huurwoning."):
    signaal = make_signaal(author=author, team=team, text=text)
    vectors.signal_embed(signaal.pk)
    return signaal


def themes_url(signaal):
    return f"/signalen/{signaal.pk}/thema/"


def attach_url(signaal):
    return f"/signalen/{signaal.pk}/thema/koppelen/"


def detail_url(thema):
    return f"/signalen/themas/{thema.pk}/"


def signaal_url(thema, signaal):
    return f"/signalen/themas/{thema.pk}/signalen/{signaal.pk}/"


# --- Item 3: the suggestion at intake ---------------------------------------------------


def log_and_confirm(client, data, capture):
    """Post the quick log, let the after-commit scrub (and embedding) run, open the
    confirm page the POST leads to."""
    with capture(execute=True):
        response = client.post("/signalen/nieuw/", data)
    assert response.status_code == 302
    return client.get(response["Location"])


def test_the_confirm_page_suggests_the_wijks_closest_themes_with_one_tap(
    pro_client,
    professional,
    wijk,
    embedded,
    embed_at_once,
    mould,
    lonely,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    # The themes as they stand: no roll-up run after this signal relabels them.
    monkeypatch.setattr(intake, "rollup_schedule_after_intake", lambda wijk_id: False)
    response = log_and_confirm(
        pro_client,
        valid_data(
            wijk, text="Schimmel en vocht in de slaapkamer, de corporatie doet niets."
        ),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 200
    choices = response.context["suggestions"]
    assert choices, response.content.decode()
    assert choices[0].thema == mould
    assert {c.thema.pk for c in choices} <= {mould.pk, lonely.pk}
    content = response.content.decode()
    assert "Past dit signaal bij een thema?" in content
    assert "schimmel, vocht" in content
    assert "5 tot 10 signalen" in content
    assert "Nieuw / weet ik niet" in content
    assert 'name="thema" value="nieuw"' in content
    assert response.context["poll_themes"] is False  # nothing more to wait for


def test_the_example_phrase_is_the_users_own_text_first_and_is_audited(
    pro_client, professional, team, embedded, mould
):
    signaal = new_signal(team, professional)
    response = pro_client.get(themes_url(signaal))
    (choice,) = [c for c in response.context["suggestions"] if c.thema == mould]
    own = Signaal.objects.get(pk=choice.example_signaal_id)
    assert own.author == professional
    assert choice.example in own.text
    entry = AuditEntry.objects.filter(action=AuditAction.VIEW).latest("pk")
    assert entry.detail["suggestie"] == signaal.pk
    assert own.pk in entry.detail["signalen"]


def test_the_suggestion_never_shows_another_teams_theme_or_text(
    pro_client, professional, team, embedded, theirs
):
    signaal = new_signal(team, professional, text=SECRET)
    response = pro_client.get(themes_url(signaal))
    content = response.content.decode()
    assert response.context["suggestions"]
    assert theirs.pk not in {c.thema.pk for c in response.context["suggestions"]}
    assert "geheim" not in content.lower().replace(signaal.text.lower(), "")
    assert "elders" not in content


def test_without_a_vector_yet_the_page_offers_a_later_link_not_an_error(
    pro_client, wijk, embedded, monkeypatch, django_capture_on_commit_callbacks
):
    # Scrubbed, but the worker has not embedded it yet (busy): no vector.
    monkeypatch.setattr(intake, "embed_after_commit", lambda ids: None)
    response = log_and_confirm(
        pro_client, valid_data(wijk), django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert response.context["suggestions"] == []
    assert response.context["suggest_later"] is True
    assert response.context["poll_themes"] is True  # the page asks again
    signaal = Signaal.objects.latest("pk")
    assert themes_url(signaal) in response.content.decode()
    assert pro_client.get(themes_url(signaal)).status_code == 200


def test_a_sealed_signal_gets_no_suggestion_until_it_is_scrubbed(
    pro_client, professional, team, embedded
):
    signaal = new_signal(team, professional)
    Signaal.objects.filter(pk=signaal.pk).update(scrub_pending=True)
    response = pro_client.get(themes_url(signaal))
    assert response.context["suggestions"] == []
    assert not response.context["suggest_later"]
    assert "nog geanonimiseerd" in response.content.decode()
    response = pro_client.post(attach_url(signaal), {"thema": "1"})
    assert response.status_code == 400
    assert not ThemaActie.objects.exists()


def test_one_tap_attaches_and_says_so(pro_client, professional, team, embedded, mould):
    signaal = new_signal(team, professional)
    response = pro_client.post(attach_url(signaal), {"thema": mould.pk}, follow=True)
    assert response.redirect_chain[-1][0] == themes_url(signaal)
    assert "Gekoppeld. Het signaal hoort nu bij het thema" in response.content.decode()
    assert signaal.pk in members(mould)
    actie = ThemaActie.objects.get()
    assert (actie.soort, actie.actor, actie.thema) == ("attach", professional, mould)
    assert ThemaGebeurtenis.objects.filter(
        thema=mould, soort=ThemaGebeurtenis.Soort.ATTACHED, actor=professional
    ).exists()


def test_new_or_dont_know_attaches_nothing(pro_client, professional, team, embedded):
    signaal = new_signal(team, professional)
    response = pro_client.post(attach_url(signaal), {"thema": "nieuw"}, follow=True)
    assert "aan geen thema gekoppeld" in response.content.decode()
    assert not ThemaActie.objects.exists()


def test_attaching_refuses_bad_and_tampered_theme_ids(
    pro_client, professional, team, embedded, theirs, lonely
):
    signaal = new_signal(team, professional)
    WijkThema.objects.filter(pk=lonely.pk).update(
        status=ThemaStatus.VERWORPEN, status_reason="Geen thema."
    )
    for value in ("", "abc", "-1", str(theirs.pk), "999999", str(lonely.pk)):
        response = pro_client.post(attach_url(signaal), {"thema": value})
        assert response.status_code == 400, value
        assert "Kies een thema" in response.content.decode()
    assert not ThemaActie.objects.exists()


def test_another_teams_signal_cannot_be_attached_or_seen(
    client, outsider_professional, professional, team, embedded, mould
):
    signaal = new_signal(team, professional)
    client.force_login(outsider_professional)
    assert client.get(themes_url(signaal)).status_code == 404
    assert client.post(attach_url(signaal), {"thema": mould.pk}).status_code == 404
    assert not ThemaActie.objects.exists()


# --- Item 4: who may correct ------------------------------------------------------------


def routes(mould, lonely):
    signaal = Signaal.objects.filter(thema_leden__thema=mould).first()
    return [
        ("get", signaal_url(mould, signaal), None),
        (
            "post",
            signaal_url(mould, signaal) + "verplaatsen/",
            {"verplaatsen-target": lonely.pk},
        ),
        ("post", signaal_url(mould, signaal) + "hoort-er-niet-bij/", {}),
        (
            "post",
            detail_url(mould) + "samenvoegen/",
            {"samenvoegen-other": lonely.pk, "samenvoegen-confirm": "on"},
        ),
        ("get", detail_url(mould) + "splitsen/", None),
        (
            "post",
            detail_url(mould) + "splitsen/",
            {"signalen": [signaal.pk], "confirm": "on"},
        ),
        ("get", themes_url(signaal), None),
        ("post", attach_url(signaal), {"thema": lonely.pk}),
    ]


def test_anonymous_users_are_sent_to_login(client, mould, lonely):
    for method, url, data in routes(mould, lonely):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/login/"), url
    assert not ThemaActie.objects.exists()


@pytest.mark.parametrize("role", ["bewoner", "ambtenaar", "beheerder"])
def test_other_roles_get_403_and_see_nothing(client, request, role, mould, lonely):
    client.force_login(request.getfixturevalue(role))
    for method, url, data in routes(mould, lonely):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (role, url)
        assert "schimmel" not in response.content.decode().lower()
    assert not ThemaActie.objects.exists()


def test_a_professional_of_another_team_gets_404(
    client, outsider_professional, mould, lonely
):
    client.force_login(outsider_professional)
    for method, url, data in routes(mould, lonely):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert not ThemaActie.objects.exists()
    assert members(lonely).isdisjoint(members(mould))


def test_the_theme_page_offers_the_corrections_to_the_team(pro_client, mould, lonely):
    content = pro_client.get(detail_url(mould)).content.decode()
    assert "Klopt het thema niet helemaal?" in content
    assert detail_url(mould) + "splitsen/" in content
    assert detail_url(mould) + "samenvoegen/" in content
    for pk in members(mould):
        assert f"{detail_url(mould)}signalen/{pk}/" in content


def test_a_closed_theme_is_not_corrected(pro_client, mould, lonely):
    WijkThema.objects.filter(pk=mould.pk).update(is_current=False)
    content = pro_client.get(detail_url(mould)).content.decode()
    assert "Klopt het thema niet helemaal?" not in content
    for method, url, data in routes(mould, lonely)[:6]:
        assert getattr(pro_client, method)(url, data).status_code == 404, url
    assert not ThemaActie.objects.exists()


# --- Item 4: move and "hoort er niet bij" -----------------------------------------------


def test_a_colleague_moves_a_signal_to_another_theme(client, colleague, mould, lonely):
    client.force_login(colleague)
    signaal = Signaal.objects.filter(thema_leden__thema=mould).first()
    page = client.get(signaal_url(mould, signaal))
    assert page.status_code == 200
    assert signaal.text in page.content.decode()
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW, signaal=signaal, actor=colleague
    ).exists()
    response = client.post(
        signaal_url(mould, signaal) + "verplaatsen/",
        {"verplaatsen-target": lonely.pk},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == detail_url(mould)
    assert "Verplaatst." in response.content.decode()
    assert signaal.pk in members(lonely)
    assert signaal.pk not in members(mould)
    actie = ThemaActie.objects.get()
    assert (actie.soort, actie.actor, actie.from_thema) == ("move", colleague, mould)


def test_moving_refuses_bad_input(pro_client, mould, lonely, theirs):
    signaal = Signaal.objects.filter(thema_leden__thema=mould).first()
    url = signaal_url(mould, signaal) + "verplaatsen/"
    for target in ("", "x", mould.pk, theirs.pk, 999999):
        response = pro_client.post(url, {"verplaatsen-target": target})
        assert response.status_code == 400, target
        assert "Kies" in response.content.decode()
    outside = Signaal.objects.filter(thema_leden__thema=lonely).first()
    response = pro_client.post(
        signaal_url(mould, outside) + "verplaatsen/",
        {"verplaatsen-target": lonely.pk},
    )
    assert response.status_code == 404  # not in this theme
    secret = Signaal.objects.filter(thema_leden__thema=theirs).first()
    response = pro_client.post(
        signaal_url(mould, secret) + "verplaatsen/",
        {"verplaatsen-target": lonely.pk},
    )
    assert response.status_code == 404
    assert not ThemaActie.objects.exists()


def test_hoort_er_niet_bij_takes_the_signal_out_and_is_recorded(
    pro_client, professional, mould
):
    signaal = Signaal.objects.filter(thema_leden__thema=mould).first()
    response = pro_client.post(
        signaal_url(mould, signaal) + "hoort-er-niet-bij/", follow=True
    )
    assert "is uit dit thema gehaald" in response.content.decode()
    assert signaal.pk not in members(mould)
    actie = ThemaActie.objects.get()
    assert (actie.soort, actie.actor, actie.signaal) == (
        "not_belong",
        professional,
        signaal,
    )
    # Once out, the signal is not in the theme any more: a second post is not found.
    again = pro_client.post(signaal_url(mould, signaal) + "hoort-er-niet-bij/")
    assert again.status_code == 404


def test_hoort_er_niet_bij_refuses_a_signal_of_another_theme(pro_client, mould, lonely):
    outside = Signaal.objects.filter(thema_leden__thema=lonely).first()
    response = pro_client.post(signaal_url(mould, outside) + "hoort-er-niet-bij/")
    assert response.status_code == 404
    assert pro_client.get(signaal_url(mould, outside)).status_code == 404
    assert not ThemaActie.objects.exists()


def test_the_correction_pages_only_take_their_methods(pro_client, mould):
    signaal = Signaal.objects.filter(thema_leden__thema=mould).first()
    assert pro_client.post(signaal_url(mould, signaal)).status_code == 405
    assert (
        pro_client.get(signaal_url(mould, signaal) + "verplaatsen/").status_code == 405
    )
    assert pro_client.get(detail_url(mould) + "samenvoegen/").status_code == 405
    assert pro_client.get(attach_url(signaal)).status_code == 405


# --- Item 4: merge ----------------------------------------------------------------------


def test_merging_asks_first_then_merges(pro_client, professional, mould, lonely):
    before = members(lonely)
    url = detail_url(mould) + "samenvoegen/"
    response = pro_client.post(url, {"samenvoegen-other": lonely.pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Thema's samenvoegen?" in content
    assert "Ja, samenvoegen" in content
    assert not ThemaActie.objects.exists()  # nothing yet
    response = pro_client.post(
        url,
        {"samenvoegen-other": lonely.pk, "samenvoegen-confirm": "on"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == detail_url(mould)
    assert "Samengevoegd." in response.content.decode()
    lonely.refresh_from_db()
    assert not lonely.is_current
    assert before <= members(mould)
    assert ThemaActie.objects.filter(soort="merge", actor=professional).count() == 5
    assert ThemaGebeurtenis.objects.filter(
        thema=mould, soort=ThemaGebeurtenis.Soort.MERGED
    ).exists()


def test_merging_refuses_bad_input(pro_client, mould, lonely, theirs):
    url = detail_url(mould) + "samenvoegen/"
    WijkThema.objects.filter(pk=lonely.pk).update(is_current=False)
    for other in ("", "x", mould.pk, theirs.pk, lonely.pk, 999999):
        response = pro_client.post(
            url, {"samenvoegen-other": other, "samenvoegen-confirm": "on"}
        )
        assert response.status_code == 400, other
        assert "Dat is niet gelukt" in response.content.decode()
    assert not ThemaActie.objects.exists()
    assert WijkThema.objects.filter(pk=theirs.pk, is_current=True).exists()


# --- Item 4: split ----------------------------------------------------------------------


def test_splitting_asks_first_then_makes_a_new_theme(pro_client, professional, mould):
    url = detail_url(mould) + "splitsen/"
    page = pro_client.get(url)
    assert page.status_code == 200
    chosen = sorted(members(mould))[:2]
    response = pro_client.post(
        url, {"signalen": chosen, "name": "Schimmel bij kinderen"}
    )
    assert response.status_code == 200
    assert "Thema splitsen?" in response.content.decode()
    assert not ThemaActie.objects.exists()
    response = pro_client.post(
        url,
        {"signalen": chosen, "name": "Schimmel bij kinderen", "confirm": "on"},
        follow=True,
    )
    new = WijkThema.objects.get(name="Schimmel bij kinderen")
    assert response.redirect_chain[-1][0] == detail_url(new)
    assert "Gesplitst." in response.content.decode()
    assert members(new) == set(chosen)
    assert not members(mould) & set(chosen)
    assert ThemaActie.objects.filter(soort="split", actor=professional).count() == 2


def test_the_new_themes_name_is_scrubbed_like_a_rename(pro_client, mould):
    chosen = sorted(members(mould))[:1]
    pro_client.post(
        detail_url(mould) + "splitsen/",
        {"signalen": chosen, "name": "Schimmel bel 06-12345678", "confirm": "on"},
    )
    new = WijkThema.objects.exclude(pk=mould.pk).get(leden__signaal_id=chosen[0])
    assert "12345678" not in new.name


def test_splitting_refuses_bad_input(pro_client, mould, lonely, theirs):
    url = detail_url(mould) + "splitsen/"
    everyone = sorted(members(mould))
    other = sorted(members(lonely))[:1]
    secret = sorted(members(theirs))[:1]
    for chosen in ([], ["x"], other, secret, everyone, [999999]):
        response = pro_client.post(url, {"signalen": chosen, "confirm": "on"})
        assert response.status_code == 400, chosen
        assert "Er is iets niet goed ingevuld." in response.content.decode()
    response = pro_client.post(
        url, {"signalen": everyone[:1], "name": "x" * 121, "confirm": "on"}
    )
    assert response.status_code == 400
    assert not ThemaActie.objects.exists()
    assert WijkThema.objects.count() == 3

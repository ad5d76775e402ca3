"""The team's view of wijk themes: who sees them, and the team's actions on them
(confirm, rename, dismiss, status, visibility), with history and audit.

Themes are built with the ORM here; the engine is tested elsewhere.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.mfa import totp_activate
from accounts.models import Role
from signalen.models import (
    AuditAction,
    AuditEntry,
    RollupRun,
    ThemaGebeurtenis,
    ThemaStatus,
    ThemaZichtbaarheid,
)
from signalen.themes import services as themes
from signalen.themes.services import TRANSITIONS, ThemeError
from tests.conftest import TOTP_SECRET
from tests.factories import TeamFactory, UserFactory, WijkFactory
from tests.signalen import helpers
from tests.signalen.conftest import ThemaSpec
from tests.signalen.helpers import EXAMPLE, make_signaal


def make_thema(wijk, *, signalen=(), **kw):
    """A theme as the engine leaves it: rising, not yet looked at by the team."""
    return helpers.make_thema(
        wijk,
        signalen=signalen,
        **{"trend": "rising", "status": ThemaStatus.GESIGNALEERD, **kw},
    )


@pytest.fixture
def thema_spec():
    """Five members observed today."""
    return ThemaSpec(count=5, observed_on=None, make=make_thema)


@pytest.fixture
def outsider_thema(outsider_professional, outsider_team, outsider_wijk):
    signalen = [
        make_signaal(
            author=outsider_professional, team=outsider_team, text="Geheim elders."
        )
        for _i in range(5)
    ]
    return make_thema(outsider_wijk, signalen=signalen, label="geheim, elders")


@pytest.fixture
def neighbour(gemeente, other_wijk):
    """A professional of another team in the same gemeente (the other wijk)."""
    user = UserFactory(
        email="buur@example.nl", display_name="Nora Naast", role=Role.PROFESSIONAL
    )
    TeamFactory(
        name="Wijkteam Overwhere", gemeente=gemeente, wijken=[other_wijk]
    ).members.add(user)
    totp_activate(user=user, secret=TOTP_SECRET)
    return user


@pytest.fixture
def pro_client(client, professional):
    client.force_login(professional)
    return client


def detail_url(thema):
    return f"/signalen/themas/{thema.pk}/"


ACTIONS = {
    "erkennen": {},
    "naam": {"naam-name": "Eenzame ouderen"},
    "verwerpen": {"verwerpen-reason": "Gaat over verschillende dingen."},
    "status": {"status-status": "erkend"},
    "zichtbaarheid": {"zichtbaarheid-visibility": "gemeente"},
}


def post_action(client, thema, action, data=None):
    return client.post(
        detail_url(thema) + action + "/",
        ACTIONS[action] if data is None else data,
    )


def routes(thema):
    return [("get", "/signalen/themas/"), ("get", detail_url(thema))] + [
        ("post", detail_url(thema) + action + "/") for action in ACTIONS
    ]


def unchanged(thema):
    before = (thema.status, thema.name, thema.visibility)
    thema.refresh_from_db()
    return (thema.status, thema.name, thema.visibility) == before and not (
        ThemaGebeurtenis.objects.filter(thema=thema).exists()
    )


# --- Who may see and change themes ------------------------------------------------------


def test_anonymous_users_are_sent_to_login_everywhere(client, thema):
    for method, url in routes(thema):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/login/"), url
    assert unchanged(thema)


@pytest.mark.parametrize("role", ["bewoner", "ambtenaar", "beheerder"])
def test_other_roles_get_403_everywhere_and_see_nothing(client, request, role, thema):
    client.force_login(request.getfixturevalue(role))
    for method, url in routes(thema):
        data = None
        if method == "post":
            data = {key: value for d in ACTIONS.values() for key, value in d.items()}
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (role, url)
        assert EXAMPLE not in response.content.decode()
        assert "buurthuis" not in response.content.decode()
    assert unchanged(thema)


def test_a_beheerder_in_a_team_still_sees_no_themes(beheerder, team, thema):
    team.members.add(beheerder)
    assert list(themes.themes_for_user(beheerder)) == []


def test_the_team_sees_its_themes(pro_client, thema):
    response = pro_client.get("/signalen/themas/")
    assert response.status_code == 200
    assert [t for t, _spark in response.context["current"]] == [thema]
    assert {"no-store", "private"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    response = pro_client.get(detail_url(thema))
    assert response.status_code == 200
    assert EXAMPLE in response.content.decode()


def test_a_colleague_in_the_same_team_may_act(client, colleague, thema):
    client.force_login(colleague)
    assert post_action(client, thema, "erkennen").status_code == 302
    thema.refresh_from_db()
    assert thema.status == ThemaStatus.ERKEND
    assert thema.status_changed_by == colleague


@pytest.mark.parametrize("who", ["outsider_professional", "neighbour"])
def test_another_teams_theme_is_not_found(client, request, who, thema):
    client.force_login(request.getfixturevalue(who))
    response = client.get("/signalen/themas/")
    assert response.status_code == 200
    assert response.context["current"] == []
    assert "buurthuis" not in response.content.decode()
    for method, url in routes(thema)[1:]:
        data = ACTIONS["naam"] if method == "post" else None
        assert getattr(client, method)(url, data).status_code == 404, url
    assert unchanged(thema)


def test_the_team_does_not_see_another_teams_theme(pro_client, thema, outsider_thema):
    response = pro_client.get("/signalen/themas/")
    assert [t for t, _spark in response.context["current"]] == [thema]
    assert "geheim" not in response.content.decode()
    assert pro_client.get(detail_url(outsider_thema)).status_code == 404
    for action in ACTIONS:
        assert post_action(pro_client, outsider_thema, action).status_code == 404
    assert unchanged(outsider_thema)


def test_actions_only_take_post_and_pages_only_get(pro_client, thema):
    assert pro_client.get(detail_url(thema) + "erkennen/").status_code == 405
    assert pro_client.post(detail_url(thema)).status_code == 405
    assert pro_client.post("/signalen/themas/").status_code == 405


def test_the_services_refuse_actors_outside_the_wijk(
    thema, outsider_professional, ambtenaar, beheerder, bewoner
):
    for actor in (outsider_professional, ambtenaar, beheerder, bewoner):
        for call in (
            lambda a: themes.theme_confirm(thema=thema, actor=a),
            lambda a: themes.theme_rename(thema=thema, actor=a, name="x"),
            lambda a: themes.theme_dismiss(thema=thema, actor=a, reason="x"),
            lambda a: themes.theme_set_status(thema=thema, actor=a, status="erkend"),
            lambda a: themes.theme_set_visibility(
                thema=thema, actor=a, visibility="gemeente"
            ),
        ):
            with pytest.raises(ThemeError) as caught:
                call(actor)
            assert caught.value.code == "forbidden"
            assert "wijkteam" in caught.value.messages[0]
    assert unchanged(thema)


# --- The list ---------------------------------------------------------------------------


def test_the_list_shows_the_figures_of_each_theme(pro_client, thema):
    html = pro_client.get("/signalen/themas/").content.decode()
    assert "ouderen, flat, buurthuis" in html
    assert "Eenzaamheid" in html
    assert "stijgt" in html
    assert "↑" in html
    assert "gesignaleerd" in html
    assert "alleen het wijkteam" in html
    assert 'role="img"' in html
    assert "Signalen per week" in html
    assert "alleen aantallen van minstens 5" in html


def test_the_list_says_when_no_rollup_has_run_yet(pro_client, thema):
    html = pro_client.get("/signalen/themas/").content.decode()
    assert "nog niet samengevat" in html


def test_the_list_says_how_fresh_the_last_successful_run_is(pro_client, thema, wijk):
    now = timezone.now()
    RollupRun.objects.create(
        wijk=wijk,
        trigger="nightly",
        status="success",
        started_at=now - datetime.timedelta(minutes=11),
        finished_at=now - datetime.timedelta(minutes=10),
    )
    RollupRun.objects.create(
        wijk=wijk, trigger="intake", status="failed", started_at=now, finished_at=now
    )
    html = pro_client.get("/signalen/themas/").content.decode()
    assert "bijgewerkt 10\xa0minuten geleden" in html
    assert "nog niet samengevat" not in html


def test_themes_no_longer_current_are_listed_apart(pro_client, thema, wijk):
    old = make_thema(wijk, label="oud, thema", is_current=False)
    response = pro_client.get("/signalen/themas/")
    assert [t for t, _spark in response.context["current"]] == [thema]
    assert response.context["closed"] == [old]
    html = response.content.decode()
    assert "bw-thema-closed" in html
    assert "oud, thema" in html


def test_the_list_filters_on_status_and_own_wijk(
    pro_client, thema, team, gemeente, professional
):
    second = WijkFactory(code="WK043909", name="Tweede", gemeente=gemeente)
    team.wijken.add(second)
    other = make_thema(second, label="tweede, wijk", status=ThemaStatus.ERKEND)
    response = pro_client.get(f"/signalen/themas/?wijk={second.pk}")
    assert [t for t, _s in response.context["current"]] == [other]
    response = pro_client.get("/signalen/themas/?status=gesignaleerd")
    assert [t for t, _s in response.context["current"]] == [thema]
    response = pro_client.get("/signalen/themas/?status=onzin")
    assert "Kies een status uit de lijst." in response.content.decode()


def test_filtering_on_a_wijk_outside_the_team_shows_an_error_and_no_leak(
    pro_client, thema, outsider_thema
):
    response = pro_client.get(f"/signalen/themas/?wijk={outsider_thema.wijk_id}")
    html = response.content.decode()
    assert "Kies een wijk van uw team." in html
    assert "geheim" not in html
    assert outsider_thema not in [t for t, _s in response.context["current"]]


def test_a_professional_without_a_team_is_told_so(client, professional, team):
    team.members.remove(professional)
    client.force_login(professional)
    html = client.get("/signalen/themas/").content.decode()
    assert "U zit nog niet in een wijkteam" in html


def test_the_list_query_count_does_not_grow_with_themes(pro_client, thema, wijk):
    with CaptureQueriesContext(connection) as few:
        pro_client.get("/signalen/themas/")
    for i in range(4):
        make_thema(wijk, label=f"nog, een, {i}")
    with CaptureQueriesContext(connection) as many:
        response = pro_client.get("/signalen/themas/")
    assert len(response.context["current"]) == 5
    assert len(many) == len(few)


def test_the_list_is_audited(pro_client, professional, thema):
    pro_client.get("/signalen/themas/?status=gesignaleerd")
    entry = AuditEntry.objects.get(action=AuditAction.LIST, actor=professional)
    assert entry.detail["themas"]["filters"] == {"status": "gesignaleerd"}
    assert entry.detail["themas"]["current"] == 1


def test_the_signal_list_and_the_menu_link_to_the_themes(pro_client):
    html = pro_client.get("/signalen/").content.decode()
    assert html.count('href="/signalen/themas/"') == 2


# --- One theme --------------------------------------------------------------------------


def test_viewing_a_theme_is_audited_with_the_examples_shown(
    pro_client, professional, thema
):
    pro_client.get(detail_url(thema))
    entry = AuditEntry.objects.get(action=AuditAction.VIEW, actor=professional)
    assert entry.wijk_id == thema.wijk_id
    assert entry.detail["thema"] == thema.pk
    assert sorted(entry.detail["signalen"]) == sorted(
        thema.leden.values_list("signaal_id", flat=True)
    )
    assert entry.detail["members"] == 5


def test_examples_are_recent_scrubbed_texts_not_withdrawn_or_wiped(
    professional, team, wijk
):
    today = timezone.localdate()
    signalen = [
        make_signaal(
            author=professional,
            team=team,
            text=f"tekst {i}",
            observed_on=today - datetime.timedelta(days=i),
        )
        for i in range(8)
    ]
    signalen[0].withdrawn_at = timezone.now()
    signalen[0].save()
    signalen[1].text = ""
    signalen[1].text_wiped_at = timezone.now()
    signalen[1].save()
    thema = make_thema(wijk, signalen=signalen)
    examples = themes.theme_examples(thema)
    assert [s.text for s in examples] == [f"tekst {i}" for i in range(2, 7)]
    assert themes.theme_members(thema).count() == 7


def test_weekly_counts_cover_26_weeks_of_live_members(professional, team, wijk):
    today = datetime.date(2026, 11, 18)  # a Wednesday
    monday = datetime.date(2026, 11, 16)
    made = [
        make_signaal(author=professional, team=team, observed_on=today),
        make_signaal(author=professional, team=team, observed_on=monday),
        make_signaal(
            author=professional,
            team=team,
            observed_on=monday - datetime.timedelta(weeks=3),
        ),
        make_signaal(
            author=professional,
            team=team,
            observed_on=monday - datetime.timedelta(weeks=30),
        ),
        make_signaal(
            author=professional,
            team=team,
            observed_on=today,
            withdrawn_at=timezone.now(),
        ),
    ]
    thema = make_thema(wijk, signalen=made)
    counts = themes.theme_weekly_counts(thema, as_of=today)
    assert len(counts) == 26
    assert counts[-1] == (monday, 2)
    assert counts[-4] == (monday - datetime.timedelta(weeks=3), 1)
    assert sum(n for _w, n in counts) == 3
    assert counts[0][0] == monday - datetime.timedelta(weeks=25)


def test_the_detail_shows_figures_members_and_history(pro_client, thema, colleague):
    themes.theme_confirm(thema=thema, actor=colleague)
    html = pro_client.get(detail_url(thema)).content.decode()
    for signaal_id in thema.leden.values_list("signaal_id", flat=True):
        assert f'href="/signalen/{signaal_id}/"' in html
    assert "5 signalen tellen nu mee" in html
    assert "status gewijzigd" in html
    assert "door Carla Collega" in html
    assert "Van &#x27;gesignaleerd&#x27; naar &#x27;erkend&#x27;." in html
    assert "Signalen per week sinds" in html
    assert "alleen aantallen van minstens 5" in html


def test_a_closed_theme_still_opens(pro_client, wijk):
    old = make_thema(wijk, is_current=False)
    response = pro_client.get(detail_url(old))
    assert response.status_code == 200
    assert "niet meer actueel" in response.content.decode()


# --- Confirm ----------------------------------------------------------------------------


def test_confirming_sets_erkend_with_who_and_when(pro_client, professional, thema):
    response = post_action(pro_client, thema, "erkennen")
    assert response.status_code == 302
    assert response["Location"] == detail_url(thema)
    thema.refresh_from_db()
    assert thema.status == ThemaStatus.ERKEND
    assert thema.status_changed_by == professional
    assert thema.status_changed_at is not None
    event = thema.gebeurtenissen.get()
    assert event.soort == ThemaGebeurtenis.Soort.STATUS
    assert event.actor == professional
    assert event.detail == {"from": "gesignaleerd", "to": "erkend"}
    html = pro_client.get(response["Location"]).content.decode()
    assert "Het thema is erkend." in html


def test_confirming_twice_is_refused_with_a_message(pro_client, thema):
    post_action(pro_client, thema, "erkennen")
    response = post_action(pro_client, thema, "erkennen")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dit thema is al erkend." in html
    assert "Er is iets niet goed ingevuld." in html
    assert thema.gebeurtenissen.count() == 1


# --- Rename -----------------------------------------------------------------------------


def test_renaming_stores_the_name_and_writes_history(pro_client, professional, thema):
    response = post_action(
        pro_client, thema, "naam", {"naam-name": "  Eenzame   ouderen  "}
    )
    assert response.status_code == 302
    thema.refresh_from_db()
    assert thema.name == "Eenzame ouderen"
    assert thema.display_name == "Eenzame ouderen"
    event = thema.gebeurtenissen.get()
    assert event.soort == ThemaGebeurtenis.Soort.RENAMED
    assert event.actor == professional
    assert event.detail == {"from": "", "to": "Eenzame ouderen"}
    assert thema.status == ThemaStatus.GESIGNALEERD


def test_an_empty_name_goes_back_to_the_engines_words(pro_client, thema):
    thema.name = "Eigen naam"
    thema.save()
    response = post_action(pro_client, thema, "naam", {"naam-name": "   "})
    assert response.status_code == 302
    thema.refresh_from_db()
    assert thema.name == ""
    assert thema.display_name == "ouderen, flat, buurthuis"
    html = pro_client.get(detail_url(thema)).content.decode()
    assert "weer de woorden van het systeem" in html


def test_the_same_name_again_changes_nothing(pro_client, thema):
    post_action(pro_client, thema, "naam")
    response = post_action(pro_client, thema, "naam")
    assert response.status_code == 302
    assert thema.gebeurtenissen.count() == 1


def test_a_too_long_name_is_refused_and_kept_in_the_form(pro_client, thema):
    long_name = "x" * 121
    response = post_action(pro_client, thema, "naam", {"naam-name": long_name})
    assert response.status_code == 400
    html = response.content.decode()
    assert "De naam is te lang: hoogstens 120 tekens (nu 121)." in html
    assert f'value="{long_name}"' in html
    assert 'href="#id_naam-name"' in html
    assert 'href="#thema-naam"' in html  # from the top of the page to the form
    assert unchanged(thema)


def test_the_service_refuses_a_too_long_name(thema, professional):
    with pytest.raises(ThemeError) as caught:
        themes.theme_rename(thema=thema, actor=professional, name="y" * 121)
    assert caught.value.code == "too_long"
    assert themes.theme_rename(thema=thema, actor=professional, name="y" * 120)


def test_html_in_a_name_is_stored_as_text_and_shown_escaped(pro_client, thema):
    name = "<script>alert('x')</script> Schimmel"
    response = post_action(pro_client, thema, "naam", {"naam-name": name})
    assert response.status_code == 302
    thema.refresh_from_db()
    assert thema.name == name
    for url in ("/signalen/themas/", detail_url(thema)):
        html = pro_client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Schimmel" in html


# --- Dismiss ----------------------------------------------------------------------------


def test_dismissing_needs_a_reason(pro_client, thema):
    for reason in ("", "   "):
        response = post_action(
            pro_client, thema, "verwerpen", {"verwerpen-reason": reason}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "Schrijf op waarom u dit thema verwerpt." in html
        assert 'href="#id_verwerpen-reason"' in html
    assert unchanged(thema)


def test_a_too_long_reason_is_refused_and_kept_in_the_form(pro_client, thema):
    reason = "Niet één thema. " * 40  # 640 characters
    response = post_action(pro_client, thema, "verwerpen", {"verwerpen-reason": reason})
    assert response.status_code == 400
    html = response.content.decode()
    assert "De reden is te lang" in html
    assert reason.strip() in html
    assert unchanged(thema)


def test_dismissing_with_a_reason_records_it(pro_client, professional, thema):
    response = post_action(
        pro_client,
        thema,
        "verwerpen",
        {"verwerpen-reason": "Gaat over <b>verschillende</b> dingen."},
    )
    assert response.status_code == 302
    thema.refresh_from_db()
    assert thema.status == ThemaStatus.VERWORPEN
    assert thema.status_reason == "Gaat over <b>verschillende</b> dingen."
    assert thema.status_changed_by == professional
    event = thema.gebeurtenissen.get()
    assert event.detail["reason"] == "Gaat over <b>verschillende</b> dingen."
    html = pro_client.get(detail_url(thema)).content.decode()
    assert "&lt;b&gt;verschillende&lt;/b&gt;" in html
    assert "Toch erkennen" in html


def test_undoing_a_dismissal_clears_the_reason(pro_client, professional, thema):
    themes.theme_dismiss(thema=thema, actor=professional, reason="Klopt niet.")
    response = post_action(pro_client, thema, "status", {"status-status": "erkend"})
    assert response.status_code == 302
    thema.refresh_from_db()
    assert thema.status == ThemaStatus.ERKEND
    assert thema.status_reason == ""
    assert thema.gebeurtenissen.count() == 2


def test_a_public_theme_that_is_dismissed_goes_back_to_the_team(professional, thema):
    themes.theme_confirm(thema=thema, actor=professional)
    themes.theme_set_visibility(thema=thema, actor=professional, visibility="publiek")
    themes.theme_dismiss(thema=thema, actor=professional, reason="Toch niet.")
    thema.refresh_from_db()
    assert thema.visibility == ThemaZichtbaarheid.TEAM
    assert thema.gebeurtenissen.filter(soort="visibility").count() == 2


def test_a_theme_shared_with_the_gemeente_that_is_dismissed_goes_back_to_the_team(
    professional, thema
):
    themes.theme_set_visibility(thema=thema, actor=professional, visibility="gemeente")
    themes.theme_dismiss(thema=thema, actor=professional, reason="Toch niet.")
    thema.refresh_from_db()
    assert thema.visibility == ThemaZichtbaarheid.TEAM
    last = thema.gebeurtenissen.filter(soort="visibility").order_by("-pk").first()
    assert last.detail == {"from": "gemeente", "to": "team", "because": "verworpen"}


def test_a_theme_taken_up_cannot_be_dismissed(pro_client, professional, thema):
    themes.theme_confirm(thema=thema, actor=professional)
    themes.theme_set_status(thema=thema, actor=professional, status="opgepakt")
    response = post_action(pro_client, thema, "verwerpen")
    assert response.status_code == 400
    assert "kan niet naar" in response.content.decode()
    thema.refresh_from_db()
    assert thema.status == ThemaStatus.OPGEPAKT


# --- Status -----------------------------------------------------------------------------


@pytest.mark.parametrize("old", ThemaStatus.values)
@pytest.mark.parametrize("new", ThemaStatus.values)
def test_the_service_follows_the_lifecycle(professional, wijk, old, new):
    thema = make_thema(
        wijk, status=old, status_reason="reden" if old == "verworpen" else ""
    )
    if new in TRANSITIONS[old]:
        themes.theme_set_status(
            thema=thema, actor=professional, status=new, reason="Omdat."
        )
        thema.refresh_from_db()
        assert thema.status == new
        assert thema.gebeurtenissen.get().detail["to"] == new
    else:
        with pytest.raises(ThemeError) as caught:
            themes.theme_set_status(
                thema=thema, actor=professional, status=new, reason="Omdat."
            )
        assert caught.value.code in ("transition", "unchanged")
        thema.refresh_from_db()
        assert thema.status == old
        assert not thema.gebeurtenissen.exists()


def test_the_team_moves_a_theme_through_its_steps(pro_client, thema):
    post_action(pro_client, thema, "erkennen")
    for step in ("opgepakt", "afgerond", "erkend"):
        response = post_action(pro_client, thema, "status", {"status-status": step})
        assert response.status_code == 302, step
        thema.refresh_from_db()
        assert thema.status == step
    assert thema.gebeurtenissen.filter(soort="status").count() == 4


@pytest.mark.parametrize(
    ("start", "step"),
    [
        ("gesignaleerd", "opgepakt"),
        ("gesignaleerd", "afgerond"),
        ("afgerond", "opgepakt"),
    ],
)
def test_an_invalid_step_is_refused_with_a_message(
    pro_client, wijk, professional, start, step
):
    thema = make_thema(wijk, status=start)
    response = post_action(pro_client, thema, "status", {"status-status": step})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dat kan niet: een thema met de status" in html
    assert unchanged(thema)


@pytest.mark.parametrize("value", ["", "gesignaleerd", "verworpen", "onzin"])
def test_a_status_outside_the_list_is_refused(pro_client, thema, value):
    response = post_action(pro_client, thema, "status", {"status-status": value})
    assert response.status_code == 400
    assert "Kies" in response.content.decode()
    assert unchanged(thema)


def test_only_the_possible_steps_are_offered(pro_client, professional, thema):
    themes.theme_confirm(thema=thema, actor=professional)
    themes.theme_set_status(thema=thema, actor=professional, status="afgerond")
    html = pro_client.get(detail_url(thema)).content.decode()
    assert 'value="erkend"' in html
    assert 'name="status-status" value="opgepakt"' not in html
    assert "Verwerpen" not in html


# --- Visibility -------------------------------------------------------------------------


def test_a_theme_only_the_engine_has_seen_never_becomes_public(pro_client, thema):
    response = post_action(
        pro_client, thema, "zichtbaarheid", {"zichtbaarheid-visibility": "publiek"}
    )
    assert response.status_code == 400
    assert "pas openbaar als het team het heeft erkend" in response.content.decode()
    assert unchanged(thema)


def test_a_recognised_theme_can_be_shared(pro_client, professional, thema):
    themes.theme_confirm(thema=thema, actor=professional)
    for value in ("gemeente", "publiek", "team"):
        response = post_action(
            pro_client, thema, "zichtbaarheid", {"zichtbaarheid-visibility": value}
        )
        assert response.status_code == 302
        thema.refresh_from_db()
        assert thema.visibility == value
    events = thema.gebeurtenissen.filter(soort="visibility").order_by("pk")
    assert [e.detail["to"] for e in events] == ["gemeente", "publiek", "team"]
    assert all(e.actor == professional for e in events)


def test_sharing_with_the_gemeente_is_possible_before_recognising(pro_client, thema):
    response = post_action(pro_client, thema, "zichtbaarheid")
    assert response.status_code == 302
    thema.refresh_from_db()
    assert thema.visibility == ThemaZichtbaarheid.GEMEENTE


def test_a_dismissed_theme_is_not_shared(professional, thema):
    themes.theme_dismiss(thema=thema, actor=professional, reason="Nee.")
    with pytest.raises(ThemeError) as caught:
        themes.theme_set_visibility(
            thema=thema, actor=professional, visibility="gemeente"
        )
    assert caught.value.code == "dismissed"


@pytest.mark.parametrize("value", ["", "iedereen", "<script>"])
def test_an_unknown_visibility_is_refused(pro_client, thema, value):
    response = post_action(
        pro_client, thema, "zichtbaarheid", {"zichtbaarheid-visibility": value}
    )
    assert response.status_code == 400
    assert "Kies wie het thema mag zien." in response.content.decode()
    assert unchanged(thema)

"""The demo: the fictional gemeente Demostad, its figures, and an account per role."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from shapely.geometry import shape
from shapely.ops import unary_union

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS, demo_totp_code
from accounts.models import Role, Team, User
from signalen.models import (
    DoelVoortgang,
    Escalatie,
    EscalatieGebeurtenis,
    RollupRun,
    Signaal,
    SignaalTelling,
    ThemaGebeurtenis,
    ThemaInitiatief,
    ThemaLid,
    WijkDoel,
    WijkThema,
)
from tests.factories import GemeenteFactory, square
from wijken.demo import VULNERABLE_BUURTEN, demo_plan
from wijken.models import Buurt, Gemeente, Kerncijfers, Level, Wijk

AGE_FIELDS = (
    "pct_age_0_15",
    "pct_age_15_25",
    "pct_age_25_45",
    "pct_age_45_65",
    "pct_age_65_plus",
)

DEMO_EMAILS = {spec.email for spec in DEMO_USERS}


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_and_debug(settings, tmp_path):
    # The real hasher costs half a second per password; the demo sets six.
    settings.PASSWORD_HASHERS = FAST_HASHERS
    # pytest-django turns DEBUG off; the demo is meant for a DEBUG machine.
    settings.DEBUG = True
    # load_demo builds the open-data files: not into the checkout's var/.
    settings.MEDIA_ROOT = tmp_path / "media"


def load_demo(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


DEMO_MEDIA: list = []


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Gemeente]:
    """Demostad, loaded once for a whole test class and rolled back after it. The
    open-data files it builds go to a temporary folder (DEMO_MEDIA)."""
    DEMO_MEDIA.append(tmp_path_factory.mktemp("media"))
    with (
        django_db_blocker.unblock(),
        override_settings(
            DEBUG=True,
            PASSWORD_HASHERS=FAST_HASHERS,
            MEDIA_ROOT=DEMO_MEDIA[-1],
        ),
        transaction.atomic(),
    ):
        load_demo()
        yield Gemeente.objects.get(code="GM9901")
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    models = (
        Gemeente,
        Wijk,
        Buurt,
        Kerncijfers,
        User,
        Team,
        EmailAddress,
        Authenticator,
        Signaal,
        WijkThema,
        ThemaLid,
        ThemaGebeurtenis,
        RollupRun,
        SignaalTelling,
        ThemaInitiatief,
        Escalatie,
        EscalatieGebeurtenis,
        WijkDoel,
        DoelVoortgang,
    )
    return {model.__name__: model.objects.count() for model in models}


class TestDemostad:
    """Loaded once for the class; each test runs in its own savepoint."""

    def test_it_creates_a_fictional_demo_gemeente(self, db, demo):
        assert demo.name == "Demostad"
        assert demo.is_demo
        wijken = list(demo.wijken.order_by("code"))
        assert [w.name for w in wijken] == [
            "Centrum",
            "Oosterpark",
            "De Vaart",
            "Het Weiland",
            "Molenbuurt",
            "Noorderhaven",
        ]
        for wijk in wijken:
            assert re.fullmatch(r"WK9901\d\d", wijk.code)
            buurten = list(wijk.buurten.all())
            assert 3 <= len(buurten) <= 5
            assert all(b.code.startswith("BU" + wijk.code[2:]) for b in buurten)
            assert all(re.fullmatch(r"BU\d{8}", b.code) for b in buurten)

    def test_it_lies_in_the_markermeer_not_on_a_real_town(self, db, demo):
        outline = shape(demo.geometry)
        assert outline.is_valid
        min_lon, min_lat, max_lon, max_lat = outline.bounds
        # Open water between Edam (5.05 E) and Lelystad (5.45 E).
        assert min_lon > 5.1
        assert max_lon < 5.32
        assert min_lat > 52.49
        assert max_lat < 52.6

    def test_wijken_tile_the_gemeente_outline(self, db, demo):
        outline = shape(demo.geometry)
        wijken = [shape(w.geometry) for w in demo.wijken.all()]
        for wijk in wijken:
            assert wijk.geom_type == "Polygon"
            assert wijk.is_valid
            assert outline.buffer(1e-6).contains(wijk)
        # No overlaps (parts add up to their union) and no gaps (the union is the outline).
        assert sum(w.area for w in wijken) == pytest.approx(outline.area, rel=1e-4)
        assert unary_union(wijken).area == pytest.approx(outline.area, rel=1e-4)

    def test_buurten_tile_their_wijk(self, db, demo):
        for wijk in demo.wijken.prefetch_related("buurten"):
            outline = shape(wijk.geometry)
            buurten = [shape(b.geometry) for b in wijk.buurten.all()]
            assert all(b.is_valid and b.geom_type == "Polygon" for b in buurten)
            assert all(outline.buffer(1e-6).contains(b) for b in buurten)
            assert sum(b.area for b in buurten) == pytest.approx(outline.area, rel=1e-4)
            assert unary_union(buurten).area == pytest.approx(outline.area, rel=1e-4)

    def test_every_area_has_plausible_figures(self, db, demo):
        wijken = list(demo.wijken.all())
        codes = {demo.code, *(w.code for w in wijken)} | set(
            Buurt.objects.filter(wijk__gemeente=demo).values_list("code", flat=True)
        )
        figures = {k.code: k for k in Kerncijfers.objects.filter(code__in=codes)}
        assert set(figures) == codes
        for row in figures.values():
            assert row.inhabitants > 0
            assert row.men + row.women == row.inhabitants
            assert row.households > 0
            assert sum(getattr(row, name) for name in AGE_FIELDS) == pytest.approx(
                100, abs=1
            )
            assert 0 < row.pct_single_person_households < 100
            assert row.population_density > 0
            assert 15 < row.income_per_inhabitant < 50
        assert figures[demo.code].level == Level.GEMEENTE
        assert figures[demo.code].inhabitants == sum(
            figures[w.code].inhabitants for w in wijken
        )

    def test_some_buurten_look_vulnerable_also_outside_the_team(self, db, demo):
        vulnerable = [
            buurt
            for buurt in Buurt.objects.filter(wijk__gemeente=demo).select_related(
                "wijk"
            )
            if (k := Kerncijfers.objects.get(code=buurt.code)).pct_age_65_plus >= 30
            and k.pct_single_person_households >= 55
            and k.income_per_inhabitant < 25
        ]
        assert {b.name for b in vulnerable} == set(VULNERABLE_BUURTEN)
        team_wijken = set(Team.objects.get(name="Wijkteam Centrum-Oost").wijken.all())
        assert any(b.wijk in team_wijken for b in vulnerable)
        assert any(b.wijk not in team_wijken for b in vulnerable)

    def test_the_plan_is_the_same_for_the_same_seed(self):
        assert demo_plan() == demo_plan()
        assert demo_plan(seed=1).gemeente.geometry != demo_plan().gemeente.geometry

    def test_every_role_has_a_verified_account_that_can_log_in(self, db, demo, client):
        everyone = {u.email: u for u in User.objects.all()}
        # Besides one account per role, the demo initiatives bring a few neighbours.
        assert {u.role for e, u in everyone.items() if e not in DEMO_EMAILS} == {
            Role.BEWONER
        }
        users = {e: u for e, u in everyone.items() if e in DEMO_EMAILS}
        assert set(users) == DEMO_EMAILS
        assert {u.role for u in users.values()} == set(Role.values)
        for email in users:
            assert EmailAddress.objects.filter(
                user=users[email], email=email, verified=True, primary=True
            ).exists()
            assert client.login(email=email, password=DEMO_PASSWORD)
            client.logout()

    def test_roles_and_places_are_as_the_table_says(self, db, demo):
        bewoner = User.objects.get(email="bewoner@demo.buurtwijs.nl")
        assert bewoner.wijk.name == "Centrum"
        ambtenaar = User.objects.get(email="ambtenaar@demo.buurtwijs.nl")
        assert ambtenaar.gemeente == demo
        beheerder = User.objects.get(email="beheerder@demo.buurtwijs.nl")
        assert beheerder.is_staff
        assert beheerder.is_superuser
        team = Team.objects.get(gemeente=demo, name="Wijkteam Centrum-Oost")
        assert {w.name for w in team.wijken.all()} == {"Centrum", "Oosterpark"}
        assert set(team.members.values_list("email", flat=True)) == {
            "professional@demo.buurtwijs.nl",
            "professional2@demo.buurtwijs.nl",
        }

    def test_roles_that_need_2fa_have_the_demo_authenticator(self, db, demo):
        for spec in DEMO_USERS:
            totp = Authenticator.objects.filter(
                user__email=spec.email, type=Authenticator.Type.TOTP
            ).first()
            if spec.role == Role.BEWONER:
                assert totp is None
            else:
                assert decrypt(totp.data["secret"]) == DEMO_TOTP_SECRET
                assert Authenticator.objects.filter(
                    user__email=spec.email, type=Authenticator.Type.RECOVERY_CODES
                ).exists()

    def test_a_professional_logs_in_with_password_and_demo_code(self, db, demo, client):
        response = client.post(
            "/account/login/",
            {"login": "professional@demo.buurtwijs.nl", "password": DEMO_PASSWORD},
        )
        assert response.status_code == 302
        assert response.url == "/account/2fa/authenticate/"
        code, seconds_left = demo_totp_code()
        if seconds_left <= 2:  # the code would expire before it is checked
            time.sleep(seconds_left)
            code, _ = demo_totp_code()
        response = client.post("/account/2fa/authenticate/", {"code": code})
        assert response.status_code == 302
        assert client.get("/account/start/").status_code == 200

    def test_running_twice_changes_nothing(self, db, demo):
        before = counts()
        stamps = dict(Kerncijfers.objects.values_list("code", "updated_at"))
        out, _ = load_demo()
        assert counts() == before
        assert dict(Kerncijfers.objects.values_list("code", "updated_at")) == stamps
        assert "0 nieuw (new), 0 bijgewerkt (updated), 60 ongewijzigd" in out

    def test_the_team_wijken_have_signals_and_themes_at_once(self, db, demo):
        team = Team.objects.get(gemeente=demo, name="Wijkteam Centrum-Oost")
        wijken = list(team.wijken.order_by("code"))
        signals = Signaal.objects.filter(wijk__in=wijken)
        assert 100 <= signals.count() <= 140
        assert signals.values("author").distinct().count() >= 2
        oldest = signals.order_by("observed_on").first().observed_on
        assert 15 * 7 <= (timezone.localdate() - oldest).days <= 20 * 7
        for wijk in wijken:
            run = RollupRun.objects.get(wijk=wijk)
            assert run.status == RollupRun.Status.SUCCESS
            assert run.trigger == RollupRun.Trigger.MANUAL
            assert run.signals_read == signals.filter(wijk=wijk).count()
            themes = WijkThema.objects.filter(wijk=wijk, is_current=True)
            assert themes.count() >= 2
            assert run.themes_created == themes.count()
            for theme in themes:
                assert theme.size >= 5
                assert theme.authors >= 2
                assert theme.keywords
            assert SignaalTelling.objects.filter(wijk=wijk).exists()
        labels = " ".join(WijkThema.objects.values_list("label", flat=True))
        for word in ("schimmel", "buurthuis", "energierekening", "jongeren", "lift"):
            assert word in labels
        # Most themed signals are in a theme; the loose ones are not.
        assert 60 <= ThemaLid.objects.count() < signals.count()
        # Outside the team's wijken: no demo signals, no themes.
        assert not WijkThema.objects.exclude(wijk__in=wijken).exists()

    def test_every_demo_theme_has_a_name_a_professional_wrote(self, db, demo):
        from signalen.demo import DEMO_TOPICS

        themes = WijkThema.objects.filter(wijk__gemeente=demo, is_current=True)
        assert themes.exists()
        abouts = {topic.about for topic in DEMO_TOPICS}
        for theme in themes:
            assert theme.name, theme.label
            assert theme.name != theme.label
        names = set(themes.values_list("name", flat=True))
        assert abouts <= {name.split(" (deel")[0] for name in names}
        # Named through the team's service: the history says who.
        assert ThemaGebeurtenis.objects.filter(
            soort=ThemaGebeurtenis.Soort.RENAMED,
            actor__email__startswith="professional",
        ).exists()
        # What went to the gemeente carries the name, never the keywords.
        for escalatie in Escalatie.objects.filter(wijk__gemeente=demo):
            assert escalatie.snapshot["thema"]["name"] == escalatie.thema.name

    def test_the_open_data_is_built_at_once(self, db, demo, client, settings):
        from opendata import builds as opendata

        settings.MEDIA_ROOT = DEMO_MEDIA[-1]
        page = client.get("/open-data/").content.decode()
        assert "Kom morgen terug" not in page
        assert opendata.gemeenten_to_build()

    def test_the_demo_shows_the_collective_loop(self, db, demo):
        centrum = Wijk.objects.get(gemeente=demo, name="Centrum")
        professional = User.objects.get(email="professional@demo.buurtwijs.nl")
        officer = User.objects.get(email="ambtenaar@demo.buurtwijs.nl")
        themes = WijkThema.objects.filter(wijk=centrum, is_current=True)
        shared = themes.get(label__icontains="energierekening")
        assert (shared.status, shared.visibility) == ("erkend", "gemeente")
        # A theme taken up with a demo initiative, published as a call.
        call = themes.get(label__icontains="buurthuis")
        assert (call.status, call.visibility, call.is_call) == (
            "opgepakt",
            "publiek",
            True,
        )
        link = ThemaInitiatief.objects.get(thema=call)
        assert link.initiatief.wijk == centrum
        assert link.linked_by == professional
        assert call.public_title
        # Four eyes: the second professional of the team approved the call.
        assert call.public_approved_by is not None
        assert call.public_approved_by != professional
        # The public words are the professional's own, never signal text.
        for text in Signaal.objects.filter(thema_leden__thema=call).values_list(
            "text", flat=True
        ):
            assert text not in call.public_text
            assert text[:30] not in call.public_text
        # A beleidssignaal the gemeente received, with its timeline.
        escalatie = Escalatie.objects.get(wijk=centrum)
        assert escalatie.status == "ontvangen"
        assert escalatie.sent_by == professional
        assert escalatie.thema.label.count("schimmel") == 1
        assert escalatie.thema.status == "erkend"
        assert list(
            escalatie.gebeurtenissen.order_by("pk").values_list("status", flat=True)
        ) == ["verstuurd", "ontvangen"]
        assert escalatie.handled_by == officer
        # A wijk goal agreed with the officer, with two progress entries.
        doel = WijkDoel.objects.get(wijk=centrum)
        assert doel.agreed_by == officer
        assert doel.thema == call
        assert doel.deadline > timezone.localdate() > doel.start_date
        assert list(
            doel.voortgang.order_by("date").values_list("value", flat=True)
        ) == [
            6,
            14,
        ]
        # Nothing of the loop outside Centrum.
        assert not Escalatie.objects.exclude(wijk=centrum).exists()
        assert not WijkDoel.objects.exclude(wijk=centrum).exists()

    def test_the_demo_has_a_survey_with_answers_and_a_street_round(
        self, db, demo, client
    ):
        from peilingen.models import Peiling, PeilingStatus

        centrum = Wijk.objects.get(gemeente=demo, name="Centrum")
        closed = Peiling.objects.get(wijk=centrum, status=PeilingStatus.GESLOTEN)
        assert closed.by_gemeente
        assert closed.responses.count() >= 50
        assert closed.themas.filter(label__icontains="buurthuis").exists()
        html = client.get(f"/peilingen/{closed.pk}/resultaten/").content.decode()
        assert "verborgen" in html or "Overig of onbekend" in html
        assert "Veel bewoners missen een plek" in html  # the approved summary
        running = Peiling.objects.get(wijk=centrum, status=PeilingStatus.OPEN)
        ronde = running.rondes.get()
        assert ronde.bezoeken.count() >= 3
        assert ronde.responses.count() >= 5
        # The demo resident can still answer the open one online.
        resident = User.objects.get(email="bewoner@demo.buurtwijs.nl")
        assert resident.wijk == centrum
        assert not running.deelnames.filter(user=resident).exists()
        # A second run makes no second survey.
        load_demo()
        assert Peiling.objects.filter(wijk=centrum).count() == 2

    def test_the_demo_shows_an_under_represented_group(self, db, demo):
        from django.utils import timezone

        from dashboard.representation import wijk_representation

        centrum = Wijk.objects.get(gemeente=demo, name="Centrum")
        result = wijk_representation(wijk=centrum, today=timezone.localdate())
        assert result.under_groups
        # The demo's key figures carry the low-income share in `extra`.
        assert result.shares["low_income"] is not None

    def test_the_demo_has_a_planned_wijkgesprek_and_one_with_public_minutes(
        self, db, demo, client
    ):
        from django.utils import timezone

        from wijkgesprek.models import Wijkgesprek

        now = timezone.now()
        planned = Wijkgesprek.objects.filter(
            wijk__gemeente=demo, starts_at__gt=now
        ).first()
        assert planned is not None
        assert planned.chair is not None
        assert planned.punten.count() >= 3  # the drafted agenda
        held = Wijkgesprek.objects.filter(
            wijk__gemeente=demo,
            starts_at__lt=now,
            minutes_public=True,
            minutes_published_at__isnull=False,
        ).first()
        assert held is not None
        assert {a.owner for a in held.afspraken.all()} == {
            "team",
            "bewoners",
            "gemeente",
        }
        html = client.get(f"/wijk/{held.wijk.code}/").content.decode()
        assert "/wijkgesprek/" in html

    def test_the_demo_has_a_connector_with_a_match_in_progress(self, db, demo):
        from buurtverbinders.models import Koppeling, KoppelingStatus, Verbinder

        resident = User.objects.get(email="bewoner@demo.buurtwijs.nl")
        role = Verbinder.objects.get(user=resident, revoked_at__isnull=True)
        assert role.wijk.gemeente == demo
        assert Koppeling.objects.filter(
            verbinder=resident, status=KoppelingStatus.VOORGESTELD
        ).exists()

    def test_the_loop_shows_on_the_public_wijk_page(self, db, demo, client):
        centrum = Wijk.objects.get(gemeente=demo, name="Centrum")
        html = client.get(f"/wijk/{centrum.code}/").content.decode()
        assert "Samen een nieuwe ontmoetingsplek voor ouderen" in html
        assert "Oproep aan bewoners" in html

    def test_the_demo_has_an_open_budget_round_with_advice_and_votes(
        self, db, demo, client
    ):
        from wijkbudget.models import Aanvraag, Ronde, Stembiljet, Uitgave

        today = timezone.localdate()
        open_round = Ronde.objects.get(
            wijk__gemeente=demo, vote_open__lte=today, vote_close__gte=today
        )
        requests = Aanvraag.objects.filter(ronde=open_round)
        assert requests.count() >= 3
        assert not requests.filter(advice="").exists()
        assert Stembiljet.objects.filter(ronde=open_round).count() >= 5
        assert Uitgave.objects.filter(aanvraag__ronde__wijk__gemeente=demo).exists()
        # The demo resident lives there and has not voted yet: the ballot is open.
        resident = User.objects.get(email="bewoner@demo.buurtwijs.nl")
        assert resident.wijk_id == open_round.wijk_id
        assert not open_round.stemmers.filter(user=resident).exists()
        html = client.get(f"/wijk/{open_round.wijk.code}/").content.decode()
        assert open_round.get_absolute_url() in html
        # Running load_demo again adds no round (test_running_twice_changes_nothing).
        load_demo()
        assert Ronde.objects.filter(wijk__gemeente=demo).count() == 2

    def test_the_demo_has_a_concern_one_support_short_and_one_waiting(
        self, db, demo, client
    ):
        from bewonersagenda import queries, services
        from bewonersagenda.models import Agendapunt, AgendapuntStatus

        centrum = Wijk.objects.get(gemeente=demo, name="Centrum")
        near = Agendapunt.objects.get(wijk=centrum, status=AgendapuntStatus.OPEN)
        waiting = Agendapunt.objects.get(wijk=centrum, status=AgendapuntStatus.DREMPEL)
        assert queries.supporters(near) == queries.threshold_for(centrum) - 1
        assert waiting.themas.exists()
        html = client.get(f"/wijk/{centrum.code}/").content.decode()
        assert near.get_absolute_url() in html
        # The demo resident's support reaches the threshold.
        resident = User.objects.get(email="bewoner@demo.buurtwijs.nl")
        assert services.steun_add(user=resident, agendapunt=near)

    def test_it_puts_changed_demo_data_back(self, db, demo):
        wijk = Wijk.objects.get(code="WK990101")
        wijk.name = "Ergens"
        wijk.save()
        user = User.objects.get(email="professional@demo.buurtwijs.nl")
        user.set_password("iets-anders-123")
        user.save()
        user.teams.clear()
        load_demo()
        assert Wijk.objects.get(code="WK990101").name == "Centrum"
        user.refresh_from_db()
        assert user.check_password(DEMO_PASSWORD)
        assert user.teams.get().name == "Wijkteam Centrum-Oost"


def test_it_prints_how_to_log_in(db):
    out, _ = load_demo()
    assert "http://127.0.0.1:8000/" in out
    for spec in DEMO_USERS:
        assert spec.email in out
    assert DEMO_PASSWORD in out
    assert "python manage.py demo_code" in out
    assert DEMO_TOTP_SECRET in out


def test_it_never_overwrites_a_real_gemeente(db):
    GemeenteFactory(code="GM9901", name="Echt", is_demo=False)
    with pytest.raises(CommandError, match="not a demo"):
        load_demo()
    assert Gemeente.objects.get(code="GM9901").name == "Echt"


def test_it_only_makes_up_codes_in_the_demo_block(db):
    with pytest.raises(CommandError, match="GM9900-GM9999"):
        load_demo("--code", "GM0439")
    assert not Gemeente.objects.exists()


def test_without_debug_it_makes_no_demo_accounts(db, settings):
    settings.DEBUG = False
    _, err = load_demo()
    assert "--force" in err
    assert not User.objects.exists()
    assert Gemeente.objects.filter(code="GM9901").exists()


def test_without_debug_force_still_makes_demo_accounts(db, settings):
    settings.DEBUG = False
    _, err = load_demo("--force")
    assert User.objects.filter(email__in=DEMO_EMAILS).count() == len(DEMO_USERS)
    assert "DEBUG" in err


def test_demo_code_prints_the_current_code(db):
    out = StringIO()
    call_command("demo_code", stdout=out)
    shown = re.search(r"2FA-code: (\d{6})\b", out.getvalue()).group(1)
    # The period may have rolled over between the command and this line.
    assert shown in {demo_totp_code()[0], demo_totp_code(at=time.time() - 30)[0]}
    assert DEMO_TOTP_SECRET in out.getvalue()


def test_demo_code_refuses_without_debug(db, settings):
    settings.DEBUG = False
    out = StringIO()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_code", stdout=out)
    assert not re.search(r"\d{6}", out.getvalue())


def wijk_feature(code: str, name: str, lon: float) -> dict:
    return {
        "type": "Feature",
        "properties": {
            "wijkcode": code,
            "wijknaam": name,
            "gemeentecode": "GM0439",
            "gemeentenaam": "Purmerend",
            "aantal_inwoners": 5000,
        },
        "geometry": square(lon, 52.5),
    }


def test_cbs_option_loads_a_real_gemeente_through_the_importer(db, tmp_path):
    source = tmp_path / "wijken_2024.geojson"
    source.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    wijk_feature("WK043901", "Purmerend Centrum", 4.95),
                    wijk_feature("WK043902", "Overwhere", 4.96),
                    wijk_feature("WK043903", "Weidevenne", 4.97),
                ],
            }
        )
    )

    out, _ = load_demo("--cbs", str(source), "--gemeente", "gm0439")

    assert not Gemeente.objects.filter(is_demo=True).exists()
    ambtenaar = User.objects.get(email="ambtenaar@demo.buurtwijs.nl")
    assert ambtenaar.gemeente.code == "GM0439"
    team = Team.objects.get(members__email="professional@demo.buurtwijs.nl")
    assert team.name == "Demo-wijkteam Purmerend"
    assert set(team.wijken.values_list("code", flat=True)) == {"WK043901", "WK043902"}
    assert "Purmerend (GM0439)" in out


@pytest.mark.realdata
def test_cbs_option_loads_purmerend_from_the_cbs_download(db, cbs_dir):
    source = cbs_dir / "buurten_2024_5gm_wgs84_approx.geojson"
    load_demo("--cbs", str(source), "--gemeente", "GM0439")
    purmerend = Gemeente.objects.get(code="GM0439")
    assert purmerend.wijken.count() > 2
    assert Buurt.objects.filter(wijk__gemeente=purmerend).count() > 20
    assert (
        User.objects.get(email="bewoner@demo.buurtwijs.nl").wijk.gemeente == purmerend
    )


def test_cbs_option_refuses_a_gemeente_not_in_the_file(db, tmp_path):
    source = tmp_path / "wijken_2024.geojson"
    source.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [wijk_feature("WK043901", "Purmerend Centrum", 4.95)],
            }
        )
    )
    with pytest.raises(CommandError, match="GM0405"):
        load_demo("--cbs", str(source), "--gemeente", "GM0405")
    assert not User.objects.exists()


def test_cbs_option_needs_an_existing_file(db):
    with pytest.raises(CommandError, match="niet gevonden"):
        load_demo("--cbs", "/nonexistent/wijken.geojson")

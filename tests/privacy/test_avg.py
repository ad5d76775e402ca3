"""Residents' data rights (AVG): inzage, deleting an account, staff deactivation,
inactive accounts and the privacy statement."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import Invitation, Role, User
from accounts.names import without_name
from accounts.services import StaffAccountError
from initiatieven.models import (
    Aanbod,
    Afspraak,
    Bericht,
    Bijeenkomst,
    Deelname,
    Initiatief,
    Melding,
    Meldingsvoorkeur,
    Notificatie,
    Volger,
)
from opendata import builds as opendata
from privacy import services as privacy
from signalen.models import AuditEntry, Signaal, ThemaTrekker, WijkThema
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.initiatieven.factories import BehoefteFactory, InitiatiefFactory
from tests.privacy.avg_helpers import (
    api_paths,
    body_text,
    open_data_paths,
    pages_naming,
    public_paths,
)
from tests.signalen.helpers import make_signaal
from wijken import generations

EXPORT = "/account/mijn-gegevens/download/"
MY_DATA = "/account/mijn-gegevens/"
DELETE = "/account/verwijderen/"
STAFF = "/account/medewerkers/"


@pytest.fixture(autouse=True)
def _export_root(settings, tmp_path):
    settings.AVG_EXPORT_ROOT = tmp_path / "avg-exports"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def resident(wijk):
    """A resident with a distinctive name, active in every part of initiatieven."""
    return UserFactory(
        email="zoe.zeldzaam@example.nl", display_name="Zoë Zeldzaam", wijk=wijk
    )


@pytest.fixture
def neighbour(wijk):
    return UserFactory(
        email="nico.naaste@example.nl", display_name="Nico Naaste", wijk=wijk
    )


@pytest.fixture
def full_resident(resident, neighbour, wijk):
    """The resident owns one initiative, joins, follows and reports another, wrote an
    update and planned a meeting with an agreement, offers help and has notices."""
    own = InitiatiefFactory(
        title="Moestuin Achterom",
        summary="Samen groente kweken. Vraag naar Zoë Zeldzaam.",
        wijk=wijk,
        owner=resident,
    )
    BehoefteFactory(initiatief=own, description="Een kruiwagen")
    other = InitiatiefFactory(title="Buurtsoep", wijk=wijk, owner=neighbour)
    Deelname.objects.create(user=resident, initiatief=other, kind="doe_mee")
    Deelname.objects.create(user=neighbour, initiatief=other, kind="steun")
    Volger.objects.create(user=resident, initiatief=other)
    Aanbod.objects.create(user=resident, talents="Koken voor twintig", kinds=["kennis"])
    Meldingsvoorkeur.objects.create(user=resident, frequency="direct")
    Notificatie.objects.create(
        user=resident, initiatief=other, text="Buurtsoep heeft nieuws", url="/x/"
    )
    Notificatie.objects.create(
        user=neighbour, initiatief=other, text="Alleen voor Nico", url="/y/"
    )
    Melding.objects.create(
        reporter=resident, initiatief=other, reason="spam", text="Dit is reclame"
    )
    Bericht.objects.create(
        initiatief=own,
        author=resident,
        title="Eerste oogst",
        text="De eerste tomaten zijn rijp. Groet, Zoë Zeldzaam",
    )
    Bericht.objects.create(
        initiatief=other, author=neighbour, title="Soep", text="Nico schrijft dit"
    )
    meeting = Bijeenkomst.objects.create(
        initiatief=own,
        starts_at=timezone.now() + timedelta(days=3),
        place="Buurthuis",
        agenda="Planten",
        created_by=resident,
    )
    Afspraak.objects.create(
        bijeenkomst=meeting,
        description="Zaden kopen",
        who_user=resident,
        due_date=timezone.localdate() + timedelta(days=7),
    )
    return {"own": own, "other": other, "meeting": meeting}


def export_of(client) -> dict:
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


# --- Inzage ------------------------------------------------------------------------------


def test_the_export_holds_everything_of_the_resident(client, resident, full_resident):
    client.force_login(resident)
    data = export_of(client)
    assert data["format"] == privacy.EXPORT_FORMAT
    account = data["account"]
    assert account["profile"]["email"] == "zoe.zeldzaam@example.nl"
    assert account["profile"]["display_name"] == "Zoë Zeldzaam"
    assert account["profile"]["role"] == Role.BEWONER
    assert account["profile"]["wijk"]["code"] == "WK043901"
    assert account["email_addresses"][0]["verified"] is True
    assert account["two_step_verification"] == []
    part = data["initiatieven"]
    assert [i["title"] for i in part["initiatives_owned"]] == ["Moestuin Achterom"]
    assert part["initiatives_owned"][0]["needs"][0]["description"] == "Een kruiwagen"
    assert [p["initiative"]["title"] for p in part["participations"]] == ["Buurtsoep"]
    assert [f["initiative"]["title"] for f in part["follows"]] == ["Buurtsoep"]
    assert part["offer"]["talents"] == "Koken voor twintig"
    assert part["notification_preference"]["frequency"] == "direct"
    assert [n["text"] for n in part["notifications"]] == ["Buurtsoep heeft nieuws"]
    assert part["reports_filed"][0]["text"] == "Dit is reclame"
    assert [u["title"] for u in part["updates_written"]] == ["Eerste oogst"]
    assert part["meetings_planned"][0]["place"] == "Buurthuis"
    assert part["agreements"][0]["description"] == "Zaden kopen"
    assert data["signalen"]["themes_adopted"] == []
    assert "work_counts" not in data["signalen"]


def test_the_export_holds_nothing_of_other_people(client, resident, full_resident):
    client.force_login(resident)
    text = client.get(EXPORT).content.decode()
    for other in ("Nico", "nico.naaste@example.nl", "Alleen voor Nico", "Soep"):
        assert other not in text
    # No password hash, no secrets.
    assert "md5$" not in text
    assert "password" not in text


def test_a_parameter_with_another_users_id_changes_nothing(
    client, resident, neighbour, full_resident
):
    client.force_login(resident)
    response = client.get(EXPORT, {"user": neighbour.pk, "id": neighbour.pk})
    data = json.loads(response.content)
    assert data["account"]["profile"]["id"] == resident.pk


def test_the_readable_page_shows_the_same_data(client, resident, full_resident):
    client.force_login(resident)
    response = client.get(MY_DATA)
    assert response.status_code == 200
    body = response.content.decode()
    for expected in ("Moestuin Achterom", "Koken voor twintig", "Zaden kopen"):
        assert expected in body
    assert "Nico Naaste" not in body
    assert EXPORT in body


def test_export_pages_need_a_login_and_a_get(client, resident):
    for path in (MY_DATA, EXPORT):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/")
    client.force_login(resident)
    assert client.post(EXPORT).status_code == 405
    assert client.post(MY_DATA).status_code == 405
    assert client.get("/account/mijn-gegevens/aanvragen/").status_code == 405


def test_a_professionals_export_counts_their_work_without_signal_text(
    client, professional, team
):
    colleague = UserFactory(display_name="Collega Kees", role=Role.PROFESSIONAL)
    team.members.add(colleague)
    make_signaal(author=professional, team=team, text="Mijn eigen signaaltekst")
    make_signaal(author=professional, team=team)
    make_signaal(author=colleague, team=team, text="Tekst van een collega")
    client.force_login(professional)
    data = export_of(client)
    assert data["account"]["teams"][0]["name"] == "Wijkteam Centrum"
    assert data["account"]["two_step_verification"][0]["type"] == "totp"
    assert data["signalen"]["work_counts"]["signals_logged"] == 2
    text = json.dumps(data)
    assert "signaaltekst" not in text
    assert "collega" not in text.lower()
    # The authenticator's secret is never exported.
    assert "JBSWY3DP" not in text


@pytest.mark.parametrize("role", ["ambtenaar", "beheerder"])
def test_officers_and_beheerders_download_their_data(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    data = export_of(client)
    assert data["account"]["profile"]["role"] == role
    assert client.get(MY_DATA).status_code == 200


def test_a_large_export_is_built_in_the_background_and_mailed(
    client,
    settings,
    resident,
    neighbour,
    full_resident,
    django_capture_on_commit_callbacks,
):
    settings.AVG_EXPORT_DIRECT_MAX_ROWS = 3
    client.force_login(resident)
    page = client.get(MY_DATA)
    assert "Maak mijn bestand" in page.content.decode()
    response = client.get(EXPORT)
    assert response.status_code == 302
    assert response["Location"] == MY_DATA
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/mijn-gegevens/aanvragen/")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zoe.zeldzaam@example.nl"]
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/bestand/" in line
    )
    path = link[link.index("/account/") :]
    download = client.get(path)
    assert download.status_code == 200
    data = json.loads(b"".join(download.streaming_content))
    assert data["initiatieven"]["offer"]["talents"] == "Koken voor twintig"
    # Another person cannot use the link, nor a changed one.
    other = Client()
    other.force_login(neighbour)
    assert other.get(path).status_code == 404
    assert client.get(path[:-3] + "xx/").status_code == 404
    assert Client().get(path).status_code == 302  # anonymous: log in first


def test_an_expired_export_link_no_longer_works(client, settings, resident):
    client.force_login(resident)
    assert privacy.export_build_and_mail(user_id=resident.pk)
    path = mail.outbox[0].body.split(settings.SITE_URL, 1)[1].split()[0]
    assert client.get(path).status_code == 200
    settings.AVG_EXPORT_LINK_DAYS = 0
    assert client.get(path).status_code == 404
    assert privacy.exports_purge_old(now=timezone.now() + timedelta(days=1)) == 1


# --- Deleting an account -------------------------------------------------------------------


def test_deleting_hands_an_initiative_to_the_longest_standing_co_organiser(
    client, resident, neighbour, full_resident, wijk
):
    own = full_resident["own"]
    later = UserFactory(display_name="Latere Lotte", wijk=wijk)
    own.co_organisers.add(neighbour)
    own.co_organisers.add(later)
    resident_id = resident.pk
    client.force_login(resident)
    response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    own.refresh_from_db()
    assert own.owner == neighbour
    assert list(own.co_organisers.all()) == [later]
    assert "Zoë Zeldzaam" not in own.summary
    assert not User.objects.filter(pk=resident_id).exists()
    assert "_auth_user_id" not in client.session
    assert (
        privacy.remaining_traces(
            user_id=resident_id,
            display_name="Zoë Zeldzaam",
            email="zoe.zeldzaam@example.nl",
        )
        == []
    )


def test_deleting_keeps_an_initiative_without_owner_and_without_the_name(
    client, resident, neighbour, full_resident, wijk
):
    own = full_resident["own"]
    resident_id = resident.pk
    client.force_login(resident)
    client.post(DELETE, {"password": PASSWORD})
    own.refresh_from_db()
    assert own.owner is None
    # Removed: what was only theirs.
    for model in (Deelname, Volger, Aanbod, Meldingsvoorkeur, Notificatie):
        assert not model.objects.filter(user_id=resident_id).exists()
    assert not Melding.objects.filter(reporter_id=resident_id).exists()
    # Kept without the name: what they wrote for others.
    bericht = Bericht.objects.get(title="Eerste oogst")
    assert bericht.author is None
    assert "Zoë Zeldzaam" not in bericht.text
    assert "[naam]" in bericht.text
    assert Bijeenkomst.objects.get(pk=full_resident["meeting"].pk).created_by is None
    assert Afspraak.objects.get(description="Zaden kopen").who == ""
    # Other people's data stays.
    assert Deelname.objects.filter(user=neighbour).count() == 1
    assert Notificatie.objects.filter(user=neighbour).count() == 1
    # Nothing public names them any more.
    paths = public_paths(
        name="Zoë Zeldzaam", initiatieven=[own, full_resident["other"]], wijken=[wijk]
    )
    assert pages_naming(client, "Zeldzaam", paths) == []
    assert pages_naming(client, "Zoë Zeldzaam", paths) == []
    assert (
        "niet meer op Buurtwijs" in client.get(own.get_absolute_url()).content.decode()
    )
    assert (
        privacy.remaining_traces(
            user_id=resident_id,
            display_name="Zoë Zeldzaam",
            email="zoe.zeldzaam@example.nl",
        )
        == []
    )


def test_an_organiser_page_of_an_initiative_without_owner_still_opens(
    client, resident, full_resident, beheerder
):
    own = full_resident["own"]
    client.force_login(resident)
    client.post(DELETE, {"password": PASSWORD})
    client.force_login(beheerder)
    assert client.get(own.get_absolute_url()).status_code == 200


def test_the_delete_page_explains_and_asks_for_the_password(client, resident):
    client.force_login(resident)
    response = client.get(DELETE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Wat er gebeurt" in body
    assert 'name="password"' in body
    assert User.objects.filter(pk=resident.pk).exists()


@pytest.mark.parametrize(
    "password", ["", "fout-wachtwoord", "x" * 5000], ids=["empty", "wrong", "huge"]
)
def test_a_wrong_or_missing_password_deletes_nothing(client, resident, password):
    client.force_login(resident)
    response = client.post(DELETE, {"password": password})
    assert response.status_code == 400
    assert "Er is iets niet goed ingevuld" in response.content.decode()
    assert User.objects.filter(pk=resident.pk).exists()


def test_too_many_wrong_passwords_make_it_wait(client, resident):
    client.force_login(resident)
    for _attempt in range(5):
        client.post(DELETE, {"password": "fout"})
    response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 429
    assert User.objects.filter(pk=resident.pk).exists()


def test_without_a_password_the_word_confirms(client, resident):
    resident.set_unusable_password()
    resident.save()
    client.force_login(resident)
    assert client.post(DELETE, {"word": "weg"}).status_code == 400
    assert User.objects.filter(pk=resident.pk).exists()
    assert client.post(DELETE, {"word": "verwijderen"}).status_code == 302
    assert not User.objects.filter(pk=resident.pk).exists()


def test_deleting_needs_the_csrf_token(resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    assert client.post(DELETE, {"password": PASSWORD}).status_code == 403
    assert User.objects.filter(pk=resident.pk).exists()


def test_another_users_id_in_the_form_deletes_only_oneself(client, resident, neighbour):
    client.force_login(resident)
    client.post(
        DELETE, {"password": PASSWORD, "user": neighbour.pk, "id": neighbour.pk}
    )
    assert not User.objects.filter(pk=resident.pk).exists()
    assert User.objects.filter(pk=neighbour.pk).exists()


def test_anonymous_visitors_go_to_the_login(client):
    for method in (client.get, client.post):
        response = method(DELETE)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/")


@pytest.mark.parametrize("role", ["professional", "ambtenaar", "beheerder"])
def test_staff_cannot_delete_their_own_account(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    page = client.get(DELETE)
    assert page.status_code == 200
    assert "beheerder" in page.content.decode()
    assert 'name="password"' not in page.content.decode()
    assert client.post(DELETE, {"password": PASSWORD}).status_code == 403
    assert User.objects.filter(pk=user.pk, is_active=True).exists()
    with pytest.raises(StaffAccountError):
        privacy.account_forget(user=user)


# --- Staff: the beheerder deactivates ---------------------------------------------------------


def test_a_beheerder_deactivates_a_professional_pseudonymously(
    client, beheerder, professional, team
):
    signaal = make_signaal(author=professional, team=team)
    AuditEntry.objects.create(actor=professional, action="view", signaal=signaal)
    Invitation.objects.create(
        email=professional.email,
        role=Role.PROFESSIONAL,
        team=team,
        invited_by=beheerder,
        expires_at=timezone.now(),
        accepted_at=timezone.now(),
        accepted_user=professional,
    )
    client.force_login(beheerder)
    listing = client.get(STAFF)
    assert "Piet Professional" in listing.content.decode()
    url = f"{STAFF}{professional.pk}/uitzetten/"
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 400  # not confirmed
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    professional.refresh_from_db()
    assert professional.display_name == f"Voormalig medewerker #{professional.pk}"
    assert "professional@example.nl" not in professional.email
    assert not professional.is_active
    assert not professional.has_usable_password()
    assert not Authenticator.objects.filter(user=professional).exists()
    assert not EmailAddress.objects.filter(user=professional).exists()
    assert not professional.teams.exists()
    # The team's work and the audit log stay, pointing at the pseudonym.
    assert Signaal.objects.get(pk=signaal.pk).author_id == professional.pk
    assert AuditEntry.objects.filter(actor=professional).count() == 1
    assert not Invitation.objects.filter(email="professional@example.nl").exists()
    assert (
        privacy.remaining_traces(
            user_id=-1,
            display_name="Piet Professional",
            email="professional@example.nl",
        )
        == []
    )
    # Logging in no longer works.
    login = Client().post(
        "/account/login/", {"login": "professional@example.nl", "password": PASSWORD}
    )
    assert login.status_code == 200


def test_a_deactivated_professionals_session_ends(client, beheerder, professional):
    own = Client()
    own.force_login(professional)
    assert own.get("/account/start/").status_code == 200
    client.force_login(beheerder)
    client.post(f"{STAFF}{professional.pk}/uitzetten/", {"confirm": "on"})
    response = own.get("/account/start/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_a_beheerder_cannot_deactivate_themselves_or_a_resident(
    client, beheerder, bewoner
):
    client.force_login(beheerder)
    response = client.post(f"{STAFF}{beheerder.pk}/uitzetten/", {"confirm": "on"})
    assert response.status_code == 302
    beheerder.refresh_from_db()
    assert beheerder.is_active
    assert client.get(f"{STAFF}{bewoner.pk}/uitzetten/").status_code == 404
    assert client.get(f"{STAFF}999999/uitzetten/").status_code == 404
    assert client.get(f"{STAFF}abc/uitzetten/").status_code == 404


def test_the_staff_search_takes_bad_input(client, beheerder, professional):
    client.force_login(beheerder)
    for term in ("<script>alert(1)</script>", "x" * 10_000, "Piet"):
        response = client.get(STAFF, {"q": term})
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.content.decode()


@pytest.mark.parametrize("role", ["bewoner", "professional", "ambtenaar"])
def test_only_a_beheerder_deactivates(client, request, role, outsider_professional):
    client.force_login(request.getfixturevalue(role))
    assert client.get(STAFF).status_code == 403
    url = f"{STAFF}{outsider_professional.pk}/uitzetten/"
    assert client.post(url, {"confirm": "on"}).status_code == 403
    assert User.objects.get(pk=outsider_professional.pk).is_active


def test_anonymous_cannot_reach_the_staff_pages(client, professional):
    response = client.get(STAFF)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


# --- Inactive resident accounts --------------------------------------------------------------


def _last_seen(user, days_ago: int) -> None:
    moment = timezone.now() - timedelta(days=days_ago)
    User.objects.filter(pk=user.pk).update(last_login=moment, date_joined=moment)


def test_an_inactive_resident_is_warned_once_then_removed(settings, resident, wijk):
    settings.AVG_INACTIVE_DAYS = 1095
    settings.AVG_INACTIVE_GRACE_DAYS = 30
    own = InitiatiefFactory(title="Oud plan", wijk=wijk, owner=resident)
    _last_seen(resident, 1100)
    result = privacy.inactive_accounts_run()
    assert result["warned"] == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zoe.zeldzaam@example.nl"]
    assert "Log dan voor die datum in" in mail.outbox[0].body
    assert privacy.inactive_accounts_run()["warned"] == 0  # not twice
    assert len(mail.outbox) == 1
    later = timezone.now() + timedelta(days=29)
    assert privacy.inactive_accounts_run(now=later)["removed"] == 0
    later = timezone.now() + timedelta(days=31)
    assert privacy.inactive_accounts_run(now=later)["removed"] == 1
    assert not User.objects.filter(pk=resident.pk).exists()
    own.refresh_from_db()
    assert own.owner is None


def test_logging_in_after_the_warning_cancels_the_removal(client, resident):
    _last_seen(resident, 2000)
    privacy.inactive_accounts_run()
    resident.refresh_from_db()
    assert resident.inactivity_warned_at is not None
    response = client.post(
        "/account/login/", {"login": resident.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    result = privacy.inactive_accounts_run(now=timezone.now() + timedelta(days=60))
    assert result["removed"] == 0
    assert result["cancelled"] == 1
    resident.refresh_from_db()
    assert resident.inactivity_warned_at is None


def test_staff_and_active_residents_are_never_warned(
    resident, neighbour, professional, ambtenaar
):
    for user in (professional, ambtenaar):
        _last_seen(user, 5000)
    _last_seen(resident, 10)
    result = privacy.inactive_accounts_run()
    assert result["warned"] == 0
    assert mail.outbox == []


def test_the_command_shows_progress_and_a_dry_run_changes_nothing(resident):
    _last_seen(resident, 2000)
    out = StringIO()
    call_command("avg_inactive", "--dry-run", stdout=out)
    assert "would warn 1" in out.getvalue()
    assert mail.outbox == []
    out = StringIO()
    call_command("avg_inactive", stdout=out)
    assert "warned 1" in out.getvalue()
    assert "warned 1/1" in out.getvalue()
    assert len(mail.outbox) == 1


def test_the_nightly_job_is_in_the_beat_schedule(resident):
    from buurtwijs.schedule import BEAT_SCHEDULE
    from privacy.tasks import avg_inactive_accounts

    entry = BEAT_SCHEDULE["avg-inactive-accounts"]
    assert entry["task"] == avg_inactive_accounts.name
    _last_seen(resident, 2000)
    assert avg_inactive_accounts.delay().get()["warned"] == 1


# --- The privacy statement -----------------------------------------------------------------


def test_the_privacy_statement_states_the_real_settings(client, settings):
    settings.K_ANONYMITY = 7
    settings.SIGNAL_TEXT_RETENTION_DAYS = 730
    settings.AVG_INACTIVE_DAYS = 1095
    settings.AVG_INACTIVE_GRACE_DAYS = 30
    settings.PRIVACY_CONTACT_EMAIL = "privacy@gemeente.example.nl"
    body = client.get("/privacy/").content.decode()
    assert "minder dan 7" in body
    assert "na 2 jaar" in body
    assert "3 jaar niet in" in body
    assert "binnen 30 dagen" in body
    assert "privacy@gemeente.example.nl" in body
    settings.SIGNAL_TEXT_RETENTION_DAYS = 100
    assert "na 100 dagen" in client.get("/privacy/").content.decode()


@pytest.mark.parametrize(
    "role", [None, "bewoner", "professional", "ambtenaar", "beheerder"]
)
def test_everyone_reads_the_privacy_statement(client, request, role):
    if role:
        client.force_login(request.getfixturevalue(role))
    response = client.get("/privacy/")
    assert response.status_code == 200
    assert client.post("/privacy/").status_code == 405


def test_the_statement_is_linked_from_footer_signup_and_account(client, bewoner):
    assert 'href="/privacy/"' in client.get("/").content.decode()
    assert 'href="/privacy/"' in client.get("/account/signup/").content.decode()
    client.force_login(bewoner)
    start = client.get("/account/start/").content.decode()
    assert 'href="/privacy/"' in start
    assert f'href="{MY_DATA}"' in start
    assert f'href="{DELETE}"' in start


# --- The API and the open data forget the name too ----------------------------------------

NAME = "Zoë Zeldzaam"


def _public_theme(wijk, professional, *, trekker, title="Samen eten in de flat"):
    theme = WijkThema.objects.create(
        wijk=wijk,
        name="Eenzaam",
        status="erkend",
        visibility="publiek",
        size=6,
        public_title=title,
        public_text="Samen koken en eten, elke week.",
        public_approved_at=timezone.now(),
        public_approved_by=professional,
    )
    ThemaTrekker.objects.create(thema=theme, user=trekker, show_name=True)
    return theme


def _build_days(days: int = 3) -> list[str]:
    """Open data of every active gemeente for the last `days` days, oldest first,
    as the nightly task would have left it."""
    today = timezone.localdate()
    dates = [today - timedelta(days=n) for n in range(days - 1, -1, -1)]
    for day in dates:
        opendata.build_all(today=day)
    return [day.isoformat() for day in dates]


def _open_data_file(code: str, day: str, filename: str) -> str:
    path = opendata.file_path(code, day, filename)
    assert path is not None, (code, day, filename)
    with default_storage.open(path, "rb") as handle:
        return handle.read().decode("utf-8")


def _rows(code: str, day: str) -> dict[str, dict[str, str]]:
    """The rows of a build's initiatieven.csv by title."""
    text = _open_data_file(code, day, "initiatieven.csv")
    return {row["title"]: row for row in csv.DictReader(io.StringIO(text))}


def _organisers(code: str, day: str) -> dict[str, str]:
    return {title: row["organisers"] for title, row in _rows(code, day).items()}


@pytest.fixture
def named_everywhere(resident, neighbour, wijk, outsider_wijk, professional):
    """The resident named in public in two gemeenten: owner of one initiative (and
    named in its summary), co-organiser of a neighbour's, co-organiser in Hoorn, a
    participant who shows their name, and the trekker of a public theme."""
    own = InitiatiefFactory(
        title="Moestuin Achterom",
        summary=f"Samen groente kweken. Vraag naar {NAME}.",
        wijk=wijk,
        owner=resident,
    )
    soup = InitiatiefFactory(title="Buurtsoep", wijk=wijk, owner=neighbour)
    soup.co_organisers.add(resident)
    hoorn_owner = UserFactory(display_name="Hanna Hoorn", wijk=outsider_wijk)
    hoorn = InitiatiefFactory(
        title="Repair Café Hoorn", wijk=outsider_wijk, owner=hoorn_owner
    )
    hoorn.co_organisers.add(resident)
    walk = InitiatiefFactory(title="Wandelclub", wijk=wijk, owner=neighbour)
    Deelname.objects.create(
        user=resident, initiatief=walk, kind="doe_mee", show_name=True
    )
    theme = _public_theme(wijk, professional, trekker=resident)
    return {
        "initiatieven": [own, soup, hoorn, walk],
        "wijken": [wijk, outsider_wijk],
        "themes": [theme],
        "own": own,
    }


def test_after_deleting_no_api_answer_and_no_open_data_file_names_the_resident(
    client, resident, named_everywhere, django_capture_on_commit_callbacks
):
    days = _build_days(3)
    where = {
        "initiatieven": named_everywhere["initiatieven"],
        "wijken": named_everywhere["wijken"],
        "themes": named_everywhere["themes"],
    }
    paths = public_paths(name=NAME, **where)
    # Before: the API and every kept build of both gemeenten name them.
    before = set(pages_naming(client, NAME, paths))
    own, soup, _hoorn, walk = named_everywhere["initiatieven"]
    theme = named_everywhere["themes"][0]
    for expected in (
        f"/api/v1/initiatieven/{own.pk}/",
        f"/api/v1/initiatieven/{soup.pk}/",
        f"/api/v1/initiatieven/{walk.pk}/",  # a participant who shows their name
        f"/api/v1/themas/{theme.pk}/",  # a trekker who shows their name
        "/api/v1/initiatieven/?gemeente=GM0405&page_size=200",
        *(
            f"/open-data/{code}/{day}/initiatieven.csv"
            for code in ("GM0439", "GM0405")
            for day in days
        ),
    ):
        assert expected in before, expected
    assert set(api_paths(**where)) & before
    assert opendata.builds_naming([NAME]) == [
        (code, day) for code in ("GM0405", "GM0439") for day in reversed(days)
    ]

    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 302

    # After: nothing anyone can fetch names them, not the API, not any kept build.
    paths = public_paths(name=NAME, **where)
    assert set(open_data_paths(wijken=where["wijken"])) <= set(paths)
    assert pages_naming(client, NAME, paths) == []
    assert pages_naming(client, "Zeldzaam", paths) == []
    assert opendata.builds_naming([NAME]) == []
    # The older builds are kept, rewritten: only the name left them.
    for code in ("GM0439", "GM0405"):
        assert opendata.kept_builds(code) == list(reversed(days))
        assert opendata.manifest(code)["date"] == days[-1]
    oldest = _organisers("GM0439", days[0])
    assert oldest["Buurtsoep"] == "Nico Naaste"
    assert oldest["Moestuin Achterom"] == ""
    assert oldest["Wandelclub"] == "Nico Naaste"
    assert _rows("GM0439", days[0])["Moestuin Achterom"]["summary"] == (
        "Samen groente kweken. Vraag naar [naam]."
    )
    assert _organisers("GM0405", days[1])["Repair Café Hoorn"] == "Hanna Hoorn"
    metadata = json.loads(_open_data_file("GM0439", days[0], "metadata.json"))
    assert "names_removed_at" in metadata
    for entry in metadata["files"]:
        content = _open_data_file("GM0439", days[0], entry["filename"])
        assert entry["size"] == len(content.encode("utf-8")), entry["filename"]
    # Today's build was made anew from the data after the removal.
    assert _organisers("GM0439", days[-1])["Moestuin Achterom"] == ""
    assert (
        privacy.remaining_traces(
            user_id=resident.pk, display_name=NAME, email="zoe.zeldzaam@example.nl"
        )
        == []
    )


def test_only_an_older_build_naming_them_is_rewritten_and_today_is_left_alone(
    client, resident, neighbour, wijk, django_capture_on_commit_callbacks
):
    soup = InitiatiefFactory(title="Buurtsoep", wijk=wijk, owner=neighbour)
    soup.co_organisers.add(resident)
    days = _build_days(2)
    # Since yesterday's build they stopped organising: only that build names them.
    soup.co_organisers.remove(resident)
    opendata.build_all()
    today_built = opendata.manifest("GM0439")["built_at"]
    assert opendata.builds_naming([NAME]) == [("GM0439", days[0])]
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(DELETE, {"password": PASSWORD})
    assert opendata.builds_naming([NAME]) == []
    assert opendata.manifest("GM0439")["built_at"] == today_built  # not rebuilt
    assert _organisers("GM0439", days[0])["Buurtsoep"] == "Nico Naaste"
    assert opendata.kept_builds("GM0439") == list(reversed(days))


def test_forget_names_takes_bad_and_short_names(resident, neighbour, wijk):
    short = UserFactory(display_name="Bo", wijk=wijk)
    soup = InitiatiefFactory(
        title="Bo en de Boomgaard", summary="Bouwen met Bob", wijk=wijk, owner=neighbour
    )
    soup.co_organisers.add(short)
    days = _build_days(2)
    for names in ([], ["", "   "], ["<script>x</script>"], ["x" * 10_000]):
        assert opendata.forget_names(names) == {"rebuilt": [], "rewritten": []}
    # A short name leaves the list of organisers; texts keep words like it.
    soup.co_organisers.remove(short)
    done = opendata.forget_names(["  bo "])
    assert done["rebuilt"] == ["GM0439"]
    assert done["rewritten"] == [f"GM0439/{days[0]}"]
    for day in days:
        row = _organisers("GM0439", day)
        assert row["Bo en de Boomgaard"] == "Nico Naaste"
    assert "Bouwen met Bob" in _open_data_file("GM0439", days[0], "initiatieven.csv")


def test_the_inactive_run_cleans_the_open_data_once_for_everyone(
    settings,
    resident,
    neighbour,
    wijk,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    soup = InitiatiefFactory(title="Buurtsoep", wijk=wijk, owner=neighbour)
    soup.co_organisers.add(resident)
    other = UserFactory(display_name="Oscar Oud", wijk=wijk)
    soup.co_organisers.add(other)
    _build_days(2)
    calls = []
    original = opendata.forget_names
    monkeypatch.setattr(
        opendata, "forget_names", lambda names: calls.append(names) or original(names)
    )
    for user in (resident, other):
        _last_seen(user, 5000)
    privacy.inactive_accounts_run()
    # The open-data job goes through the outbox: it is sent after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        result = privacy.inactive_accounts_run(now=timezone.now() + timedelta(days=60))
    assert result["removed"] == 2
    assert calls == [[NAME, "Oscar Oud"]]
    assert opendata.builds_naming([NAME, "Oscar Oud"]) == []
    assert _organisers("GM0439", timezone.localdate().isoformat())["Buurtsoep"] == (
        "Nico Naaste"
    )


def test_a_deactivated_staff_member_leaves_the_open_data(
    client, beheerder, professional, neighbour, wijk, django_capture_on_commit_callbacks
):
    soup = InitiatiefFactory(title="Buurtsoep", wijk=wijk, owner=neighbour)
    soup.co_organisers.add(professional)
    days = _build_days(2)
    assert opendata.builds_naming(["Piet Professional"])
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{STAFF}{professional.pk}/uitzetten/", {"confirm": "on"}
        )
    assert response.status_code == 302
    assert opendata.builds_naming(["Piet Professional"]) == []
    assert _organisers("GM0439", days[-1])["Buurtsoep"] == (
        f"Nico Naaste;Voormalig medewerker #{professional.pk}"
    )
    assert _organisers("GM0439", days[0])["Buurtsoep"] == "Nico Naaste"
    paths = public_paths(name="Piet Professional", initiatieven=[soup], wijken=[wijk])
    assert pages_naming(client, "Piet Professional", paths) == []


def test_deleting_renews_the_generations_of_the_wijken_that_showed_them(
    client, resident, neighbour, wijk, other_wijk, django_capture_on_commit_callbacks
):
    # An update they wrote in another's initiative: updates send no model signal that
    # renews a generation, so only the removal itself can renew it.
    soup = InitiatiefFactory(title="Buurtsoep", wijk=wijk, owner=neighbour)
    Bericht.objects.create(
        initiatief=soup, author=resident, title="Lekker", text=f"Groet, {NAME}"
    )
    before = generations.stamp(wijk_ids=[wijk.pk], domain="initiatieven")
    untouched = generations.stamp(wijk_ids=[other_wijk.pk], domain="initiatieven")
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(DELETE, {"password": PASSWORD})
    assert generations.stamp(wijk_ids=[wijk.pk], domain="initiatieven") != before
    # The other wijk's own token stays (its gemeente's token is shared and renewed).
    assert (
        generations.stamp(wijk_ids=[other_wijk.pk], domain="initiatieven").split(".")[
            -1
        ]
        == untouched.split(".")[-1]
    )
    detail = client.get(f"/api/v1/initiatieven/{soup.pk}/")
    assert NAME not in body_text(detail)


def test_a_failing_open_data_job_does_not_undo_the_deletion(
    client, resident, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from opendata import tasks
    from outbox.models import OutboxTask

    def broken(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.open_data_forget, "apply_async", broken)
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=resident.pk).exists()
    assert "could not send task dashboard.tasks.open_data_forget" in caplog.text
    # Written down with the removal: the outbox sweep sends it once the broker is back.
    job = OutboxTask.objects.get(name=tasks.open_data_forget.name)
    assert job.done_at is None
    assert job.kwargs == {"names": [resident.display_name]}


# --- Names out of texts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Groet, Bea Bewoner", "Bea Bewoner", "Groet, [naam]"),
        ("groet, bea  bewoner!", "Bea Bewoner", "groet, [naam]!"),
        ("Bea komt ook", "Bea Bewoner", "Bea komt ook"),
        ("De Wimpel van Wim", "Wim", "De Wimpel van [naam]"),
        ("Jo is er", "Jo", "Jo is er"),
        ("", "Bea", ""),
    ],
)
def test_a_name_is_taken_out_of_a_text(text, name, expected):
    assert without_name(text, name) == expected


def test_an_initiative_may_have_no_owner():
    assert Initiatief._meta.get_field("owner").null


def test_beat_runs_the_schedule_from_code():
    from buurtwijs.celery import app

    assert app.conf.beat_schedule["avg-inactive-accounts"]["task"] == (
        "buurtwijs.tasks.avg_inactive_accounts"
    )

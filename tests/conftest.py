"""Standing fixtures: one gemeente with two wijken, an outsider gemeente, and a user per role.

Professionals, officers and beheerders have an authenticator app with a known secret
(TOTP_SECRET), so tests can log in through MFA like a person would.
"""

from __future__ import annotations

import datetime
import importlib
import os
import warnings
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from accounts.mfa import totp_activate
from accounts.models import Role
from tests.factories import GemeenteFactory, TeamFactory, UserFactory, WijkFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "geheim-wachtwoord-123"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
# The moment `frozen_now` pins: a Wednesday morning in the middle of a week and of a
# 4-week block (2026-11-02 .. 2026-11-29, signalen.kanon.block_start), far from midnight
# and from a change of summer time.
FROZEN_NOW = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    # The live server answers each request in a new thread; with persistent connections
    # (DB_CONN_MAX_AGE) every such thread would leave an idle session behind.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(scope="session", autouse=True)
def _no_leftover_database_sessions(django_db_setup, django_db_blocker):
    """Close sessions that other threads or processes left on the test database.

    PostgreSQL refuses to drop a database that someone is still connected to, and CI must
    leave the server clean. Anything found here is reported, so the leak can be fixed.
    """
    yield
    with django_db_blocker.unblock():
        name = str(connection.settings_dict.get("NAME") or "")
        if connection.vendor != "postgresql" or not name.startswith("test_"):
            return  # no test database was made in this run
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, application_name, state, left(query, 120) "
                "FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            rows = cursor.fetchall()
            for row in rows:
                cursor.execute("SELECT pg_terminate_backend(%s)", [row[0]])
    if rows:
        warnings.warn(f"closed leftover database sessions: {rows}", stacklevel=1)


SEED_MIGRATIONS = (
    "signalen.migrations.0002_seed_taxonomy",
    "initiatieven.migrations.0002_seed_themas",
)
DB_FIXTURES = {"db", "transactional_db", "live_server"}


@pytest.fixture(autouse=True)
def _seeded_taxonomy(request, django_db_setup, django_db_blocker):
    """A transactional test (browser, live server, worker) empties every table when it
    ends, the taxonomy the migrations seeded too: put it back for the tests after it,
    whatever order they run in."""
    if request.node.get_closest_marker("django_db") is None and not (
        DB_FIXTURES & set(request.fixturenames)
    ):
        return
    from django.apps import apps

    from initiatieven.models import Thema
    from signalen.models import Categorie

    with django_db_blocker.unblock():
        if Categorie.objects.exists() and Thema.objects.exists():
            return
        for name in SEED_MIGRATIONS:
            importlib.import_module(name).seed(apps, None)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters and used TOTP codes live in the cache: start each test clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fake_embedder(settings):
    """Signals saved in tests get a vector from the deterministic hashing embedder;
    tests that need the real model (multilingual-e5-small) ask for it by name."""
    settings.SIGNAL_EMBEDDER = "fake"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Every standing user gets a hashed password; the real hasher costs ~0.2 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def frozen_now(request) -> Iterator[time_machine.Coordinates]:
    """Pin the clock (time-machine: timezone.now(), timezone.localdate(), date.today()
    and time.time() all follow) for tests whose dates are reckoned from today: the
    4-week blocks, weeks, trends, deadlines, retention, reminders and digests. A test
    module opts in with ``pytestmark = pytest.mark.usefixtures("frozen_now")``.

    The clock starts at FROZEN_NOW and keeps ticking, so durations, time-outs and cache
    expiry behave as usual. Another moment (a boundary) per test with
    ``@pytest.mark.parametrize("frozen_now", [moment], indirect=True)``; the yielded
    traveller moves the clock on: ``frozen_now.shift(datetime.timedelta(days=1))`` or
    ``frozen_now.move_to(moment)``."""
    moment = getattr(request, "param", FROZEN_NOW)
    with time_machine.travel(moment, tick=True) as traveller:
        yield traveller


@pytest.fixture
def cbs_dir() -> Path:
    folder = SHARED_DATA / "cbs"
    if not folder.is_dir():
        pytest.skip(
            f"CBS test data not found at {folder} (../shared/data beside the checkout)"
        )
    return folder


@pytest.fixture
def gemeente(db):
    return GemeenteFactory(code="GM0439", name="Purmerend")


@pytest.fixture
def wijk(gemeente):
    return WijkFactory(code="WK043901", name="Purmerend Centrum", gemeente=gemeente)


@pytest.fixture
def other_wijk(gemeente):
    """A wijk in the same gemeente that the standing team does not work in."""
    return WijkFactory(code="WK043902", name="Overwhere", gemeente=gemeente)


@pytest.fixture
def outsider_gemeente(db):
    return GemeenteFactory(code="GM0405", name="Hoorn")


@pytest.fixture
def outsider_wijk(outsider_gemeente):
    return WijkFactory(
        code="WK040501", name="Hoorn Binnenstad", gemeente=outsider_gemeente
    )


@pytest.fixture
def team(gemeente, wijk):
    return TeamFactory(name="Wijkteam Centrum", gemeente=gemeente, wijken=[wijk])


@pytest.fixture
def bewoner(wijk):
    return UserFactory(
        email="bewoner@example.nl", display_name="Bea Bewoner", wijk=wijk
    )


@pytest.fixture
def professional(team):
    user = UserFactory(
        email="professional@example.nl",
        display_name="Piet Professional",
        role=Role.PROFESSIONAL,
    )
    team.members.add(user)
    totp_activate(user=user, secret=TOTP_SECRET)
    return user


@pytest.fixture
def professional_without_mfa(team):
    user = UserFactory(
        email="nieuw@example.nl", display_name="Nina Nieuw", role=Role.PROFESSIONAL
    )
    team.members.add(user)
    return user


@pytest.fixture
def outsider_professional(outsider_wijk, outsider_gemeente):
    user = UserFactory(
        email="buiten@example.nl", display_name="Olaf Outsider", role=Role.PROFESSIONAL
    )
    TeamFactory(
        name="Wijkteam Hoorn", gemeente=outsider_gemeente, wijken=[outsider_wijk]
    ).members.add(user)
    totp_activate(user=user, secret=TOTP_SECRET)
    return user


@pytest.fixture
def ambtenaar(gemeente):
    user = UserFactory(
        email="ambtenaar@example.nl",
        display_name="Anna Ambtenaar",
        role=Role.AMBTENAAR,
        gemeente=gemeente,
    )
    totp_activate(user=user, secret=TOTP_SECRET)
    return user


@pytest.fixture
def outsider_ambtenaar(outsider_gemeente):
    user = UserFactory(
        email="ambtenaar-hoorn@example.nl",
        display_name="Hans Hoorn",
        role=Role.AMBTENAAR,
        gemeente=outsider_gemeente,
    )
    totp_activate(user=user, secret=TOTP_SECRET)
    return user


@pytest.fixture
def beheerder(db):
    user = UserFactory(
        email="beheerder@example.nl",
        display_name="Bert Beheerder",
        role=Role.BEHEERDER,
        is_staff=True,
        is_superuser=True,
    )
    totp_activate(user=user, secret=TOTP_SECRET)
    return user


def mfa_client(client, user):
    """A test client logged in as user, past the MFA check (force_login skips the login
    form; the user has an authenticator, so the middleware lets them through)."""
    client.force_login(user)
    return client


@pytest.fixture
def taxonomy(db):
    """The seeded categories, doelgroepen and bronnen, whatever a test before this one
    emptied (browser tests flush the database between tests). Returns the models."""
    from signalen.models import Bron, Categorie, Doelgroep

    seed = importlib.import_module("signalen.migrations.0002_seed_taxonomy")
    models = {
        Categorie: seed.CATEGORIES,
        Doelgroep: seed.DOELGROEPEN,
        Bron: seed.BRONNEN,
    }
    for model, rows in models.items():
        for order, (code, name, description) in enumerate(rows, start=1):
            model.objects.get_or_create(
                code=code,
                defaults={"name": name, "description": description, "order": order},
            )
    return tuple(models)

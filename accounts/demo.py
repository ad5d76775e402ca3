"""Demo accounts: one user per role, so a newcomer can try every part of Buurtwijs.

All demo accounts share one password and, where the role needs two-factor
authentication, one TOTP secret. Both are public (they are in this file and in the
README), which is why `load_demo` only creates these accounts with DEBUG on or with
--force, and why the secret is used for nothing else.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.db import transaction

from accounts.mfa import totp_activate
from accounts.models import Role, Team, User
from wijken.models import Gemeente, Wijk

DEMO_PASSWORD = "buurtwijs-demo"  # noqa: S105 (public on purpose, see above)
# Base32 (A-Z, 2-7), 32 characters = 160 bits, readable enough to type into an app.
DEMO_TOTP_SECRET = "BUURTWIJSDEMOTOTPBUURTWIJSDEMO23"  # noqa: S105
DEMO_EMAIL_DOMAIN = "demo.buurtwijs.nl"
DEMO_TEAM_NAME = "Wijkteam Centrum-Oost"


@dataclass(frozen=True)
class DemoUser:
    email: str
    display_name: str
    role: str
    description: str

    @property
    def needs_mfa(self) -> bool:
        return self.role != Role.BEWONER


DEMO_USERS = (
    DemoUser(
        f"bewoner@{DEMO_EMAIL_DOMAIN}",
        "Bea Bewoner",
        Role.BEWONER,
        "bewoner (resident)",
    ),
    DemoUser(
        f"professional@{DEMO_EMAIL_DOMAIN}",
        "Piet Professional",
        Role.PROFESSIONAL,
        "professional (wijkteam)",
    ),
    # A second professional in the same team: a theme counts only when signals come
    # from at least two professionals.
    DemoUser(
        f"professional2@{DEMO_EMAIL_DOMAIN}",
        "Priya Professional",
        Role.PROFESSIONAL,
        "2e professional (2nd, same team)",
    ),
    DemoUser(
        f"ambtenaar@{DEMO_EMAIL_DOMAIN}",
        "Anna Ambtenaar",
        Role.AMBTENAAR,
        "ambtenaar (municipal officer)",
    ),
    DemoUser(
        f"beheerder@{DEMO_EMAIL_DOMAIN}",
        "Bert Beheerder",
        Role.BEHEERDER,
        "beheerder (administrator)",
    ),
)


def demo_users_load(
    *, gemeente: Gemeente, team_wijken: list[Wijk], team_name: str = DEMO_TEAM_NAME
) -> list[User]:
    """Create the demo accounts, or put them back in their demo state.

    The resident lives in the first team wijk; both professionals are in one team
    that covers `team_wijken`; the officer belongs to `gemeente`. Nothing is saved
    when everything is already as it should be, so a second run changes nothing.
    """
    if not team_wijken:
        raise ValueError("The demo team needs at least one wijk.")
    with transaction.atomic():
        team, _ = Team.objects.get_or_create(gemeente=gemeente, name=team_name)
        team.wijken.set(team_wijken)
        users = [
            _demo_user_load(spec=spec, gemeente=gemeente, home_wijk=team_wijken[0])
            for spec in DEMO_USERS
        ]
        for user in users:
            # Exactly the demo team, so the printed table stays true after playing
            # around with teams in the admin.
            user.teams.set([team] if user.role == Role.PROFESSIONAL else [])
    return users


def _demo_user_load(*, spec: DemoUser, gemeente: Gemeente, home_wijk: Wijk) -> User:
    values = {
        "display_name": spec.display_name,
        "role": spec.role,
        "wijk_id": home_wijk.pk if spec.role == Role.BEWONER else None,
        "gemeente_id": gemeente.pk if spec.role == Role.AMBTENAAR else None,
        "is_active": True,
        "is_staff": spec.role == Role.BEHEERDER,
        "is_superuser": spec.role == Role.BEHEERDER,
    }
    user = User.objects.filter(email__iexact=spec.email).first()
    if user is None:
        user = User.objects.create_user(
            email=spec.email, password=DEMO_PASSWORD, **values
        )
    else:
        changed = [
            name for name, value in values.items() if getattr(user, name) != value
        ]
        for name in changed:
            setattr(user, name, values[name])
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            changed.append("password")
        if changed:
            user.save(update_fields=changed)

    address = EmailAddress.objects.filter(user=user, email__iexact=spec.email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user, email=spec.email, verified=True, primary=True
        )
    elif not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])

    if spec.needs_mfa:
        _demo_totp_ensure(user=user)
    return user


def _demo_totp_ensure(*, user: User) -> None:
    """Give the user the demo authenticator; replace one with another secret."""
    current = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).first()
    if current is not None and decrypt(current.data["secret"]) != DEMO_TOTP_SECRET:
        current.delete()
    totp_activate(user=user, secret=DEMO_TOTP_SECRET)


def demo_totp_code(*, at: float | None = None, step: int = 0) -> tuple[str, int]:
    """The demo secret's code at time `at` (default now), `step` periods later, and the
    seconds it stays valid."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    now = time.time() if at is None else at
    period = app_settings.TOTP_PERIOD
    counter = int(now) // period + step
    seconds_left = (counter + 1) * period - int(now)
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)), seconds_left


def demo_neighbours(wijk: Wijk, count: int) -> list[User]:
    """Made-up residents of the wijk (buurtgenoot1@…, created once, no password) who
    co-sign concerns and vote in the demo: the same people wherever they appear."""
    people = []
    for n in range(1, count + 1):
        email = f"buurtgenoot{n}@{DEMO_EMAIL_DOMAIN}"
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(
                email=email,
                display_name=f"Buurtgenoot {n}",
                role=Role.BEWONER,
                wijk=wijk,
            )
            user.set_unusable_password()
            user.save()
        people.append(user)
    return people

"""Residents' data rights (AVG): inzage, verwijdering and the removal of inactive accounts.

accounts may not import initiatieven or signalen, so the parts meet here, in the top
layer. Each app answers for its own rows: `personal_data(user)` and
`personal_data_size(user)` in its queries.py (reads), `forget_user(user=...)` in its
services.py (writes). This module puts them together and holds the rules that span the
apps: which export goes by e-mail, the order of a removal, and the nightly inactivity run.
A removal (and a staff deactivation) also renews the cached answers of the wijken that
showed the person (wijken.generations) and, after the commit, starts the job that takes
their name out of the open-data files (opendata.tasks.open_data_forget, registered
as "dashboard.tasks.open_data_forget").
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import queries as accounts_queries
from accounts import services as accounts_services
from accounts.models import Role, User
from bewonersagenda import personal_data as agenda_personal_data
from bewonersagenda import services as agenda_services
from buurtverbinders import personal_data as verbinders_personal_data
from buurtverbinders import services as verbinders_services
from core import mail as core_mail
from initiatieven import personal_data as initiatieven_personal_data
from initiatieven import services as initiatieven_services
from initiatieven.models import Afspraak, Bericht, Bijeenkomst, Deelname, Initiatief
from opendata.tasks import open_data_forget
from outbox.services import outbox_send
from peilingen import personal_data as peiling_personal_data
from signalen import personal_data as signal_personal_data
from signalen.intake import services as signalen_services
from signalen.models import ThemaTrekker, ThemaVoortgang
from wijkbudget import personal_data as wijkbudget_personal_data
from wijken import generations
from wijkgesprek import personal_data as gesprek_personal_data
from wijkgesprek import services as gesprek_services

logger = logging.getLogger(__name__)

EXPORT_FORMAT = "buurtwijs-persoonsgegevens"
EXPORT_VERSION = 1
EXPORT_SALT = "buurtwijs.privacy.export"


# --- Inzage: the export -------------------------------------------------------------------


def personal_data_export(user: User) -> dict[str, Any]:
    """Everything the platform holds about this person, as JSON-ready data."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "account": accounts_queries.personal_data(user),
        "initiatieven": initiatieven_personal_data.personal_data(user),
        "signalen": signal_personal_data.personal_data(user),
        "wijkbudget": wijkbudget_personal_data.personal_data(user),
        "peilingen": peiling_personal_data.personal_data(user),
        "bewonersagenda": agenda_personal_data.personal_data(user),
        "wijkgesprek": gesprek_personal_data.personal_data(user),
        "buurtverbinders": verbinders_personal_data.personal_data(user),
    }


def export_size(user: User) -> int:
    return (
        accounts_queries.personal_data_size(user)
        + initiatieven_personal_data.personal_data_size(user)
        + signal_personal_data.personal_data_size(user)
        + wijkbudget_personal_data.personal_data_size(user)
        + peiling_personal_data.personal_data_size(user)
        + agenda_personal_data.personal_data_size(user)
        + gesprek_personal_data.personal_data_size(user)
        + verbinders_personal_data.personal_data_size(user)
    )


def export_is_large(user: User) -> bool:
    """A large export is built in the background and sent as a link."""
    return export_size(user) > settings.AVG_EXPORT_DIRECT_MAX_ROWS


def export_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode(
        "utf-8"
    )


def export_filename(moment: datetime | None = None) -> str:
    day = timezone.localdate(moment or timezone.now())
    return f"buurtwijs-mijn-gegevens-{day.isoformat()}.json"


def _export_root() -> Path:
    root = Path(settings.AVG_EXPORT_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


def export_token(*, user_id: int, name: str) -> str:
    return signing.TimestampSigner(salt=EXPORT_SALT).sign_object(
        {"u": user_id, "f": name}
    )


def export_file_for(*, token: str, user: User) -> Path | None:
    """The export file a link points at, only for the person it was made for and only
    while the link is valid; None otherwise."""
    try:
        data = signing.TimestampSigner(salt=EXPORT_SALT).unsign_object(
            token, max_age=timedelta(days=settings.AVG_EXPORT_LINK_DAYS)
        )
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        return None
    name = data.get("f")
    if not isinstance(name, str) or not name.startswith(f"{user.pk}-"):
        return None
    path = _export_root() / name
    if path.parent != _export_root() or not path.is_file():
        return None
    return path


def export_build_and_mail(*, user_id: int) -> bool:
    """Write the export to a private file and mail its link. False when the account
    is gone by now."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    name = f"{user.pk}-{secrets.token_urlsafe(16)}.json"
    path = _export_root() / name
    path.write_bytes(export_json(personal_data_export(user)))
    path.chmod(0o600)
    url = core_mail.site_url(
        reverse(
            "privacy:my_data_file",
            kwargs={"token": export_token(user_id=user.pk, name=name)},
        )
    )
    context = {"user": user, "url": url, "days": settings.AVG_EXPORT_LINK_DAYS}
    core_mail.send_templated(
        to=user.email, template="privacy/email/export_ready", context=context
    )
    return True


def exports_delete_for(*, user_id: int) -> int:
    deleted = 0
    for path in Path(settings.AVG_EXPORT_ROOT).glob(f"{int(user_id)}-*.json"):
        path.unlink(missing_ok=True)
        deleted += 1
    return deleted


def exports_purge_old(*, now: datetime) -> int:
    """Delete export files whose link has expired."""
    cutoff = (now - timedelta(days=settings.AVG_EXPORT_LINK_DAYS)).timestamp()
    deleted = 0
    for path in Path(settings.AVG_EXPORT_ROOT).glob("*.json"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


# --- Verwijdering ---------------------------------------------------------------------------


def wijken_naming(user: User) -> set[int]:
    """The wijken whose public pages, API answers or open data can show this person's
    name: of the initiatives they own, organise, take part in or wrote for, and of the
    themes they pull or wrote progress on."""
    found: set[int] = set()
    for queryset in (
        Initiatief.objects.filter(owner_id=user.pk).values_list("wijk_id"),
        Initiatief.objects.filter(co_organisers=user).values_list("wijk_id"),
        Deelname.objects.filter(user_id=user.pk).values_list("initiatief__wijk_id"),
        Bericht.objects.filter(author_id=user.pk).values_list("initiatief__wijk_id"),
        Bijeenkomst.objects.filter(created_by_id=user.pk).values_list(
            "initiatief__wijk_id"
        ),
        Afspraak.objects.filter(who_user_id=user.pk).values_list(
            "bijeenkomst__initiatief__wijk_id"
        ),
        ThemaTrekker.objects.filter(user_id=user.pk).values_list("thema__wijk_id"),
        ThemaVoortgang.objects.filter(author_id=user.pk).values_list("thema__wijk_id"),
    ):
        found.update(pk for (pk,) in queryset if pk is not None)
    return found


def _names_gone(*, wijk_ids: set[int], names: list[str], open_data: bool) -> None:
    """What shows a name that just left the database: the cached answers of these
    wijken (some writes of a removal are bulk updates and deletes, which renew no
    generation by themselves) and, after the commit, the open-data files."""
    generations.bump(wijk_ids=wijk_ids, domains=["initiatieven"])
    if open_data:
        open_data_forget_names(names=names)


def open_data_forget_names(*, names: list[str]) -> None:
    """Start the job that takes these names out of the open-data files, through the
    outbox (in the removal's transaction; sent after the commit, and again by the
    sweep when the message is lost). A broker that is down is logged and does not
    undo the removal."""
    if not names:
        return
    outbox_send(open_data_forget, names=names)


def account_forget(*, user: User, open_data: bool = True) -> dict[str, int]:
    """Delete a resident's account and everything that is only theirs.

    In one transaction: initiatives they own go to a co-organiser or stay without
    owner; their participations, follows, offer, notices, preferences and reports go;
    what they wrote for others (updates, meetings, theme progress) stays without their
    name; then the account row itself, with its e-mail addresses and authenticators.
    The cached answers of the wijken that showed them are renewed. After the commit:
    export files waiting for them are deleted and their name is taken out of the open
    data (`open_data=False`: the caller does that, for many at once). Staff accounts
    are refused: a beheerder deactivates them (staff_deactivate).
    """
    if user.role != Role.BEWONER:
        raise accounts_services.StaffAccountError
    user_id = user.pk
    name = user.display_name
    with transaction.atomic():
        wijk_ids = wijken_naming(user)
        summary = initiatieven_services.forget_user(user=user)
        summary.update(signalen_services.forget_user(user=user))
        summary.update(agenda_services.forget_user(user=user))
        summary.update(gesprek_services.forget_user(user=user))
        summary.update(verbinders_services.forget_user(user=user))
        accounts_services.account_remove(user=user)
        transaction.on_commit(lambda: exports_delete_for(user_id=user_id))
        _names_gone(wijk_ids=wijk_ids, names=[name], open_data=open_data)
    logger.info("account %s removed at its owner's request", user_id)
    return summary


def staff_deactivate(*, user: User, by: User) -> User:
    """Deactivate a staff account (accounts.services.staff_deactivate: pseudonymous,
    their work and the audit log stay) and take the name they had out of the cached
    answers and, after the commit, out of the open data."""
    name = user.display_name
    with transaction.atomic():
        wijk_ids = wijken_naming(user)
        done = accounts_services.staff_deactivate(user=user, by=by)
        _names_gone(wijk_ids=wijk_ids, names=[name], open_data=True)
    return done


# --- Inactive resident accounts -----------------------------------------------------------


def inactive_accounts_run(
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """The nightly run: forget the warning of whoever logged in since, remove the
    residents whose warning went unanswered, warn the newly inactive, and delete
    expired export files. Safe to run twice: the second run finds nothing to do."""
    now = now or timezone.now()

    def say(message: str) -> None:
        if progress is not None:
            progress(message)

    to_remove = list(accounts_services.inactive_residents_to_remove(now=now))
    to_warn = list(accounts_services.inactive_residents_to_warn(now=now))
    result = {
        "cancelled": 0,
        "removed": 0,
        "warned": 0,
        "to_remove": len(to_remove),
        "to_warn": len(to_warn),
        "exports_purged": 0,
    }
    say(f"{len(to_remove)} account(s) to remove, {len(to_warn)} to warn")
    if dry_run:
        return result
    result["cancelled"] = accounts_services.inactivity_warnings_cancel(now=now)
    removed_names = []
    for index, user in enumerate(to_remove, start=1):
        account_forget(user=user, open_data=False)
        removed_names.append(user.display_name)
        result["removed"] += 1
        say(f"removed {index}/{len(to_remove)}")
    # One open-data job for all of tonight's removals.
    open_data_forget_names(names=removed_names)
    for index, user in enumerate(to_warn, start=1):
        try:
            accounts_services.inactivity_warn(user=user, now=now)
        except Exception:  # one bad address must not stop the others
            logger.exception("inactivity warning to account %s failed", user.pk)
            continue
        result["warned"] += 1
        say(f"warned {index}/{len(to_warn)}")
    result["exports_purged"] = exports_purge_old(now=now)
    return result


# --- Proof: is a person really gone? ----------------------------------------------------


def remaining_traces(*, user_id: int, display_name: str, email: str) -> list[str]:
    """Where the database still points at or names this person: every foreign key to
    the user table that holds `user_id`, and every text column of our apps and of the
    account tables that contains the e-mail address or the whole display name.

    An empty list proves the person is gone. For tests and for a beheerder's check; it
    reads every text column, so do not call it on a page.
    """
    found: list[str] = []
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if user_model._default_manager.filter(pk=user_id).exists():
        found.append(f"{user_model._meta.label} #{user_id}")
    ours = {
        "accounts",
        "bewonersagenda",
        "buurtverbinders",
        "wijken",
        "initiatieven",
        "signalen",
        "dashboard",
        "opendata",
        "peilingen",
        "privacy",
        "wijkbudget",
        "wijkgesprek",
    }
    needles = [n for n in (email.strip(), " ".join(display_name.split())) if n]
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        manager = model._base_manager
        for field in meta.concrete_fields:
            if (
                field.is_relation
                and field.related_model is user_model
                and manager.filter(**{field.attname: user_id}).exists()
            ):
                found.append(f"{meta.label}.{field.name}")
        if meta.app_label not in ours | {"account", "mfa"}:
            continue
        for field in meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            for needle in needles:
                if manager.filter(**{f"{field.attname}__icontains": needle}).exists():
                    found.append(f"{meta.label}.{field.name} contains {needle!r}")
    return found

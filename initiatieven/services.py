"""Writes for initiatives: start, edit, organisers, taking part, needs, offers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import ratelimit
from initiatieven import tasks
from initiatieven.models import (
    Aanbod,
    Afspraak,
    Behoefte,
    BehoefteKind,
    Bericht,
    Bijeenkomst,
    Deelname,
    DeelnameKind,
    Initiatief,
    Melding,
    Meldingsvoorkeur,
    Notificatie,
    Partner,
    PartnerKind,
    Thema,
    Volger,
)
from outbox.services import outbox_send
from wijken.models import Buurt, Wijk

DEFAULT_CREATE_LIMIT_PER_DAY = 5


class OrganiserError(Exception):
    """The organiser change cannot be made; the message is for the user."""


class RateLimited(Exception):
    """Too much new content from one user today."""


def _rate_key(user: User, kind: str = "create") -> str:
    return f"initiatieven:{kind}:{user.pk}:{timezone.localdate().isoformat()}"


def create_limit() -> int:
    return int(
        getattr(
            settings, "INITIATIEVEN_CREATE_LIMIT_PER_DAY", DEFAULT_CREATE_LIMIT_PER_DAY
        )
    )


RATE_WINDOW_SECONDS = 24 * 60 * 60


@contextmanager
def rate_quota(*, user: User, kind: str, limit: int) -> Iterator[None]:
    """Count this attempt against the user's daily quota of `kind`, then compare
    (core.ratelimit: increment first, so simultaneous requests cannot all pass).
    Raise RateLimited past the limit; an attempt that fails inside the block (or is
    refused) is given back, so only what was made counts."""
    key = _rate_key(user, kind)
    if not ratelimit.allow(key, limit=limit, seconds=RATE_WINDOW_SECONDS):
        ratelimit.give_back(key)
        raise RateLimited
    try:
        yield
    except BaseException:
        ratelimit.give_back(key)
        raise


def initiatief_create(
    *,
    owner: User,
    title: str,
    summary: str,
    wijk: Wijk,
    description: str = "",
    buurt: Buurt | None = None,
    themas: list[Thema] | None = None,
    status: str = "idee",
    where: str = "",
    when: str = "",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    photo: File[Any] | None = None,
    photo_alt: str = "",
) -> Initiatief:
    """Start an initiative; the starter owns it. Counts against the daily limit."""
    if buurt is not None and buurt.wijk_id != wijk.pk:
        raise ValueError("buurt is not part of wijk")
    with (
        rate_quota(user=owner, kind="create", limit=create_limit()),
        transaction.atomic(),
    ):
        initiatief = Initiatief(
            owner=owner,
            title=title,
            summary=summary,
            description=description,
            wijk=wijk,
            buurt=buurt,
            status=status,
            where=where,
            when=when,
            starts_at=starts_at,
            ends_at=ends_at,
            photo_alt=photo_alt,
        )
        if photo is not None:
            initiatief.photo.save(photo.name or "foto.jpg", photo, save=False)
        initiatief.save()
        if themas:
            initiatief.themas.set(themas)
    return initiatief


EDITABLE_FIELDS = {
    "title",
    "summary",
    "description",
    "wijk",
    "buurt",
    "status",
    "where",
    "when",
    "starts_at",
    "ends_at",
    "photo_alt",
}


def initiatief_update(
    *,
    initiatief: Initiatief,
    data: dict[str, Any],
    themas: list[Thema] | None = None,
    photo: File[Any] | None = None,
    remove_photo: bool = False,
) -> Initiatief:
    """Change the editable fields given in data (others are ignored)."""
    wijk = data.get("wijk", initiatief.wijk)
    buurt = data.get("buurt", initiatief.buurt)
    if buurt is not None and buurt.wijk_id != wijk.pk:
        raise ValueError("buurt is not part of wijk")
    with transaction.atomic():
        for field, value in data.items():
            if field in EDITABLE_FIELDS:
                setattr(initiatief, field, value)
        old_photo = initiatief.photo.name if initiatief.photo else ""
        if photo is not None:
            initiatief.photo.save(photo.name or "foto.jpg", photo, save=False)
        elif remove_photo:
            initiatief.photo = None  # type: ignore[assignment]
        initiatief.save()
        if themas is not None:
            initiatief.themas.set(themas)
    if old_photo and (photo is not None or remove_photo):
        storage = Initiatief._meta.get_field("photo").storage  # type: ignore[attr-defined]
        transaction.on_commit(lambda: storage.delete(old_photo))
    return initiatief


def co_organiser_remove(*, initiatief: Initiatief, user: User) -> None:
    initiatief.co_organisers.remove(user)


def ownership_transfer(*, initiatief: Initiatief, new_owner: User) -> User:
    """Hand the initiative to one of its co-organisers (someone who accepted an
    invitation, so no address is looked up); the old owner stays as co-organiser."""
    with transaction.atomic():
        locked = Initiatief.objects.select_for_update().get(pk=initiatief.pk)
        if not locked.co_organisers.filter(pk=new_owner.pk, is_active=True).exists():
            raise OrganiserError(_("Kies iemand die al mee organiseert."))
        old_owner_id = locked.owner_id
        locked.owner = new_owner
        locked.save(update_fields=["owner", "updated_at"])
        locked.co_organisers.remove(new_owner)
        if old_owner_id is not None:
            locked.co_organisers.add(old_owner_id)
    initiatief.refresh_from_db()
    return new_owner


def deelname_toggle(
    *, user: User, initiatief: Initiatief, kind: str, show_name: bool = False
) -> bool:
    """Switch "ik doe mee" / "ik steun dit" on or off. Return whether it is now on."""
    if kind not in DeelnameKind.values:
        raise ValueError("unknown kind")
    deleted, _rows = Deelname.objects.filter(
        user=user, initiatief=initiatief, kind=kind
    ).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Deelname.objects.create(
                user=user, initiatief=initiatief, kind=kind, show_name=show_name
            )
    except IntegrityError:
        pass  # a double click: the first one counted
    return True


def deelname_set_show_name(
    *, user: User, initiatief: Initiatief, show_name: bool
) -> None:
    Deelname.objects.filter(user=user, initiatief=initiatief).update(
        show_name=show_name
    )


def volger_toggle(*, user: User, initiatief: Initiatief) -> bool:
    """Follow or unfollow. Return whether the user follows now."""
    deleted, _rows = Volger.objects.filter(user=user, initiatief=initiatief).delete()
    if deleted:
        return False
    Volger.objects.get_or_create(user=user, initiatief=initiatief)
    return True


def behoefte_add(*, initiatief: Initiatief, kind: str, description: str) -> Behoefte:
    if kind not in BehoefteKind.values:
        raise ValueError("unknown kind")
    return Behoefte.objects.create(
        initiatief=initiatief, kind=kind, description=description
    )


def behoefte_set_met(*, behoefte: Behoefte, is_met: bool) -> Behoefte:
    behoefte.is_met = is_met
    behoefte.save(update_fields=["is_met"])
    return behoefte


def behoefte_delete(*, behoefte: Behoefte) -> None:
    behoefte.delete()


def partner_add(*, initiatief: Initiatief, name: str, kind: str) -> Partner:
    if kind not in PartnerKind.values:
        raise ValueError("unknown kind")
    return Partner.objects.create(initiatief=initiatief, name=name, kind=kind)


def partner_delete(*, partner: Partner) -> None:
    partner.delete()


def aanbod_save(
    *, user: User, talents: str, kinds: list[str], hours_per_month: int | None
) -> Aanbod:
    """Save what a resident can give (one profile per resident)."""
    clean_kinds = [k for k in BehoefteKind.values if k in set(kinds)]
    aanbod, _created = Aanbod.objects.update_or_create(
        user=user,
        defaults={
            "talents": talents,
            "kinds": clean_kinds,
            "hours_per_month": hours_per_month,
        },
    )
    return aanbod


# Updates and meetings -------------------------------------------------------------

DEFAULT_POST_LIMIT_PER_DAY = 20


class PastDate(Exception):
    """A meeting must lie in the future."""


def post_limit() -> int:
    return int(
        getattr(settings, "INITIATIEVEN_POST_LIMIT_PER_DAY", DEFAULT_POST_LIMIT_PER_DAY)
    )


def bericht_create(
    *, initiatief: Initiatief, author: User, text: str, title: str = ""
) -> Bericht:
    """Post an update; followers and participants hear of it after the commit."""
    # Updates and meetings share one daily quota ("post").
    with rate_quota(user=author, kind="post", limit=post_limit()):
        bericht = Bericht.objects.create(
            initiatief=initiatief, author=author, title=title, text=text
        )
    outbox_send(tasks.notify_bericht, bericht.pk)
    return bericht


def bericht_update(*, bericht: Bericht, text: str, title: str = "") -> Bericht:
    bericht.title = title
    bericht.text = text
    bericht.save(update_fields=["title", "text", "updated_at"])
    return bericht


def bericht_delete(*, bericht: Bericht) -> None:
    bericht.delete()


def bijeenkomst_create(
    *,
    initiatief: Initiatief,
    created_by: User,
    starts_at: datetime,
    place: str,
    agenda: str = "",
) -> Bijeenkomst:
    """Plan a meeting. It must lie in the future."""
    if starts_at <= timezone.now():
        raise PastDate
    with rate_quota(user=created_by, kind="post", limit=post_limit()):
        bijeenkomst = Bijeenkomst.objects.create(
            initiatief=initiatief,
            created_by=created_by,
            starts_at=starts_at,
            place=place,
            agenda=agenda,
        )
    outbox_send(tasks.notify_bijeenkomst, bijeenkomst.pk)
    return bijeenkomst


def bijeenkomst_update(
    *, bijeenkomst: Bijeenkomst, starts_at: datetime, place: str, agenda: str = ""
) -> Bijeenkomst:
    """Change a planned meeting. A new moment must lie in the future, and then the
    reminder goes out again for the new day."""
    if starts_at != bijeenkomst.starts_at:
        if starts_at <= timezone.now():
            raise PastDate
        bijeenkomst.reminded_at = None
    bijeenkomst.starts_at = starts_at
    bijeenkomst.place = place
    bijeenkomst.agenda = agenda
    bijeenkomst.save(update_fields=["starts_at", "place", "agenda", "reminded_at"])
    return bijeenkomst


def bijeenkomst_delete(*, bijeenkomst: Bijeenkomst, actor: User) -> None:
    """Cancel a meeting; its agreements go with it. If it was still to come, the
    participants and followers hear it is off."""
    initiatief_id, place = bijeenkomst.initiatief_id, bijeenkomst.place
    starts_at = bijeenkomst.starts_at
    bijeenkomst.delete()
    if starts_at > timezone.now():
        outbox_send(
            tasks.notify_bijeenkomst_cancelled,
            initiatief_id,
            actor.pk,
            starts_at.isoformat(),
            place,
        )


def afspraak_add(
    *,
    bijeenkomst: Bijeenkomst,
    description: str,
    due_date: date,
    who_user: User | None = None,
    who_text: str = "",
) -> Afspraak:
    """Record an agreement. It is due on or after the day of the meeting."""
    if due_date < timezone.localdate(bijeenkomst.starts_at):
        raise ValueError("due date before the meeting")
    return Afspraak.objects.create(
        bijeenkomst=bijeenkomst,
        description=description,
        due_date=due_date,
        who_user=who_user,
        who_text="" if who_user is not None else who_text,
    )


def afspraak_delete(*, afspraak: Afspraak) -> None:
    afspraak.delete()


# --- AVG: a resident leaves -------------------------------------------------------------


def organiser_handover(*, user: User) -> dict[str, int]:
    """Give each initiative this person owns to its longest-standing co-organiser (the
    one added first); without one, keep the initiative without an owner. Their name is
    taken out of the texts of those initiatives. Return how many went which way."""
    from accounts.names import without_name

    through = Initiatief.co_organisers.through
    handed_over = kept_without_owner = 0
    for initiatief in Initiatief.objects.select_for_update().filter(owner_id=user.pk):
        successor = (
            through.objects.filter(initiatief_id=initiatief.pk, user__is_active=True)
            .exclude(user_id=user.pk)
            .order_by("pk")
            .first()
        )
        if successor is not None:
            initiatief.owner_id = successor.user_id
            successor.delete()
            handed_over += 1
        else:
            initiatief.owner = None
            kept_without_owner += 1
        for field in ("title", "summary", "description", "where", "when"):
            setattr(
                initiatief,
                field,
                without_name(getattr(initiatief, field), user.display_name),
            )
        # save(), not update(): the wijk's pages hear of the change (model signals).
        initiatief.save()
    return {"handed_over": handed_over, "kept_without_owner": kept_without_owner}


def forget_user(*, user: User) -> dict[str, int]:
    """Remove what this resident did in initiatieven, before the account goes.

    Removed: participations, follows, their offer, notification preference and
    notices, the reports they filed, and their place as co-organiser. Kept without
    their name: the updates and meetings they wrote (the other organisers and
    participants rely on them; the author becomes empty and their name is taken out
    of the text) and the agreements given to them (who becomes empty). Initiatives
    they own go to a co-organiser or stay without owner (organiser_handover).
    """
    from accounts.names import without_name

    name = user.display_name
    with transaction.atomic():
        summary = organiser_handover(user=user)
        from initiatieven.organisers import organiser_invitations_forget

        organiser_invitations_forget(user=user)
        for initiatief in Initiatief.objects.filter(co_organisers=user):
            initiatief.co_organisers.remove(user)
        for bericht in Bericht.objects.filter(author_id=user.pk):
            bericht.title = without_name(bericht.title, name)
            bericht.text = without_name(bericht.text, name)
            bericht.author = None
            bericht.save(update_fields=["title", "text", "author", "updated_at"])
        for bijeenkomst in Bijeenkomst.objects.filter(created_by_id=user.pk):
            bijeenkomst.place = without_name(bijeenkomst.place, name)
            bijeenkomst.agenda = without_name(bijeenkomst.agenda, name)
            bijeenkomst.created_by = None
            bijeenkomst.save(update_fields=["place", "agenda", "created_by"])
        summary["agreements"] = Afspraak.objects.filter(who_user_id=user.pk).update(
            who_user=None, who_text=""
        )
        for model in (Deelname, Volger, Aanbod, Meldingsvoorkeur, Notificatie):
            deleted, _rows = model.objects.filter(user_id=user.pk).delete()
            summary[model._meta.model_name or ""] = deleted
        summary["meldingen"] = Melding.objects.filter(reporter_id=user.pk).delete()[0]
    # Rate-limit counters are keyed on the account id; drop today's.
    cache.delete_many([_rate_key(user, kind) for kind in ("create", "post", "report")])
    return summary

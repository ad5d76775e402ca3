"""E-mail to followers and participants about new updates and meetings, and the
shared way other apps send their notices.

Each person chooses: direct, a daily digest (the default), a weekly digest or nothing.
Digest items wait as Notificatie rows; a daily task sends one mail per person (people
who chose weekly get theirs on DIGEST_WEEKDAY, Monday by default). Nobody is mailed
about their own action. Every mail carries a signed one-click unsubscribe link.

notice_send is the one door for notices that are not about an initiative (a new public
call in the wijk, a goal's deadline, an answer from the gemeente): the caller gives the
people, a title, one line of text and a link; this module applies each person's choice.
This app never imports the apps that use it.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from initiatieven.models import (
    Bericht,
    Bijeenkomst,
    Deelname,
    Frequentie,
    Initiatief,
    Meldingsvoorkeur,
    Notificatie,
    Volger,
)

UNSUBSCRIBE_SALT = "initiatieven.unsubscribe"
TEXT_MAX = 300  # Notificatie.text
TITLE_MAX = 200  # Notificatie.title
WEEKDAY_DEFAULT = 0  # Monday

log = logging.getLogger(__name__)


def unsubscribe_token(*, user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_from_token(token: str) -> User | None:
    """The user the token was made for, or None when it was tampered with."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return User.objects.filter(pk=data["u"], is_active=True).first()


def unsubscribe_url(*, user: User) -> str:
    from core.mail import site_url

    return site_url() + reverse(
        "initiatieven:unsubscribe", kwargs={"token": unsubscribe_token(user=user)}
    )


def frequency_of(*, user: User) -> str:
    pref = Meldingsvoorkeur.objects.filter(user=user).first()
    return pref.frequency if pref else Frequentie.DAGELIJKS


def frequency_set(*, user: User, frequency: str) -> Meldingsvoorkeur:
    if frequency not in Frequentie.values:
        raise ValueError("unknown frequency")
    pref, _created = Meldingsvoorkeur.objects.update_or_create(
        user=user, defaults={"frequency": frequency}
    )
    return pref


def audience(*, initiatief: Initiatief, exclude_user_id: int | None) -> list[User]:
    """Followers and participants of the initiative, once each, minus the actor."""
    ids = set(
        Volger.objects.filter(initiatief=initiatief).values_list("user_id", flat=True)
    ) | set(
        Deelname.objects.filter(initiatief=initiatief).values_list("user_id", flat=True)
    )
    ids.discard(exclude_user_id)  # type: ignore[arg-type]
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _frequencies(users: list[User]) -> dict[int, str]:
    found = dict(
        Meldingsvoorkeur.objects.filter(user__in=users).values_list(
            "user_id", "frequency"
        )
    )
    return {u.pk: found.get(u.pk, Frequentie.DAGELIJKS) for u in users}


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class NoticeCount:
    """What notice_send did: mails sent now, rows left for a digest, people skipped
    (mail off, or told already under the same key)."""

    sent: int = 0
    queued: int = 0
    skipped: int = 0


# A direct mail of one's own: (user) -> (subject, body). Without it the mail is the
# plain "Beste ..., <text>, <link>" one.
DirectMail = Callable[[User], tuple[str, str]]


def _plain_direct_mail(*, user: User, subject: str, text: str, url: str) -> None:
    from core.mail import site_url
    from initiatieven.reminders import send_plain_mail

    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "Beste %(name)s,\n\n%(text)s\n\nLees het hier:\n%(url)s\n\n"
            "Groeten,\nBuurtwijs"
        ) % {"name": user.display_name, "text": text, "url": site_url() + url}
        send_plain_mail(user=user, subject=subject, body=body)


def notice_send(
    *,
    users: Iterable[User],
    title: str,
    text: str,
    url: str,
    key: str = "",
    subject: str = "",
    initiatief: Initiatief | None = None,
    direct_mail: DirectMail | None = None,
) -> NoticeCount:
    """Tell each person by their own choice: "direct" gets a mail now, "dagelijks" and
    "wekelijks" get a row for their digest, "uit" gets nothing.

    title: what the notice is about (the subject of a direct mail unless subject is
    given); text: one line, as the digest lists it; url: a path on this site. With a
    key the notice is once-only per person: someone who has a row with that key (sent
    or waiting) is skipped, also when two workers send at the same time (the database
    refuses the second row). A direct mail that fails is logged and its row removed,
    so a later try can send it; it does not stop the others.
    """
    from initiatieven.reminders import send_plain_mail

    people = [u for u in users if u.is_active and u.email]
    frequencies = _frequencies(people)
    title = _cut(title, TITLE_MAX)
    text = _cut(text, TEXT_MAX)
    sent = queued = skipped = 0
    for user in people:
        frequency = frequencies[user.pk]
        if frequency == Frequentie.UIT:
            skipped += 1
            continue
        direct = frequency == Frequentie.DIRECT
        try:
            with transaction.atomic():
                if key and Notificatie.objects.filter(user=user, key=key).exists():
                    skipped += 1
                    continue
                row = Notificatie.objects.create(
                    user=user,
                    initiatief=initiatief,
                    title=title,
                    key=key,
                    text=text,
                    url=url,
                    sent_at=timezone.now() if direct else None,
                )
        except IntegrityError:  # the same key, written by another worker just now
            skipped += 1
            continue
        if not direct:
            queued += 1
            continue
        try:
            if direct_mail is not None:
                with translation.override(settings.LANGUAGE_CODE):
                    mail_subject, body = direct_mail(user)
                send_plain_mail(user=user, subject=mail_subject, body=body)
            else:
                _plain_direct_mail(
                    user=user, subject=subject or title, text=text, url=url
                )
        except Exception:  # one failing address does not stop the others
            log.warning("notice mail to user %s failed", user.pk, exc_info=True)
            row.delete()
            continue
        sent += 1
    return NoticeCount(sent=sent, queued=queued, skipped=skipped)


def _notify(
    *, initiatief: Initiatief, actor_id: int | None, text: str, url: str
) -> int:
    if initiatief.is_hidden:
        return 0
    users = audience(initiatief=initiatief, exclude_user_id=actor_id)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Nieuws van %(title)s") % {"title": initiatief.title}
    return notice_send(
        users=users,
        title=initiatief.title,
        subject=subject,
        text=text,
        url=url,
        initiatief=initiatief,
    ).sent


def bericht_notify(*, bericht_id: int) -> int:
    """Tell followers and participants about a new update."""
    bericht = Bericht.objects.select_related("initiatief").filter(pk=bericht_id).first()
    if bericht is None or bericht.is_hidden:
        return 0
    initiatief = bericht.initiatief
    with translation.override(settings.LANGUAGE_CODE):
        text = _("%(title)s heeft nieuws: %(update)s") % {
            "title": initiatief.title,
            "update": bericht.title or bericht.text[:80],
        }
    return _notify(
        initiatief=initiatief,
        actor_id=bericht.author_id,
        text=text,
        url=initiatief.get_absolute_url() + f"#bericht-{bericht.pk}",
    )


def bijeenkomst_notify(*, bijeenkomst_id: int) -> int:
    """Tell followers and participants about a newly planned meeting."""
    bijeenkomst = (
        Bijeenkomst.objects.select_related("initiatief")
        .filter(pk=bijeenkomst_id)
        .first()
    )
    if bijeenkomst is None:
        return 0
    from initiatieven.reminders import _when

    initiatief = bijeenkomst.initiatief
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "%(title)s heeft een bijeenkomst gepland op %(when)s in %(place)s."
        ) % {
            "title": initiatief.title,
            "when": _when(bijeenkomst),
            "place": bijeenkomst.place,
        }
    return _notify(
        initiatief=initiatief,
        actor_id=bijeenkomst.created_by_id,
        text=text,
        url=bijeenkomst.get_absolute_url(),
    )


def bijeenkomst_cancelled_notify(
    *, initiatief_id: int, actor_id: int | None, starts_at: str, place: str
) -> int:
    """Tell followers and participants at once that a meeting is off.

    Like a reminder this cannot wait for the daily digest (the meeting may be
    tomorrow): everyone gets it directly, except who switched mail off.
    """
    from datetime import datetime

    from django.utils import formats

    from core.mail import site_url
    from initiatieven.reminders import send_plain_mail

    initiatief = Initiatief.objects.filter(pk=initiatief_id).first()
    if initiatief is None or initiatief.is_hidden:
        return 0
    when = formats.date_format(
        timezone.localtime(datetime.fromisoformat(starts_at)), "l j F Y, H:i"
    )
    users = audience(initiatief=initiatief, exclude_user_id=actor_id)
    frequencies = _frequencies(users)
    sent = 0
    for user in users:
        if frequencies[user.pk] == Frequentie.UIT:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            values = {
                "name": user.display_name,
                "title": initiatief.title,
                "when": when,
                "place": place,
                "url": site_url() + initiatief.get_absolute_url(),
            }
            send_plain_mail(
                user=user,
                subject=_("Afgezegd: bijeenkomst van %(title)s") % values,
                body=_(
                    "Beste %(name)s,\n\nDe bijeenkomst van %(title)s op %(when)s in "
                    "%(place)s gaat niet door.\n\nMeer over het initiatief:\n%(url)s"
                    "\n\nGroeten,\nBuurtwijs"
                )
                % values,
            )
        sent += 1
    return sent


def digest_weekday() -> int:
    """The day of the week (0 = Monday) on which weekly digests go out."""
    return int(getattr(settings, "DIGEST_WEEKDAY", WEEKDAY_DEFAULT)) % 7


def _weekly_today(today: datetime.date | None) -> bool:
    return (today or timezone.localdate()).weekday() == digest_weekday()


def digest_users(*, today: datetime.date | None = None) -> list[int]:
    """The people with waiting news whose digest is due today: every day for
    "dagelijks" (and anyone with rows left from an earlier choice), on the weekly day
    also for "wekelijks"."""
    waiting = (
        Notificatie.objects.filter(sent_at__isnull=True)
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )
    if not _weekly_today(today):
        weekly = Meldingsvoorkeur.objects.filter(frequency=Frequentie.WEKELIJKS)
        waiting = waiting.exclude(user_id__in=weekly.values("user_id"))
    return sorted(waiting)


def digest_send(*, user_id: int, today: datetime.date | None = None) -> int:
    """Send one mail with everything that waits for this person. Return the number
    of items in it (0: nothing sent). Items are claimed under a row lock, so two
    workers never send the same digest. Someone who chose "wekelijks" gets nothing
    before the weekly day: their items keep waiting."""
    from core.mail import site_url
    from initiatieven.reminders import send_plain_mail

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    frequency = frequency_of(user=user)
    if frequency == Frequentie.WEKELIJKS and not _weekly_today(today):
        return 0
    with transaction.atomic():
        items = list(
            Notificatie.objects.select_for_update()
            .filter(user=user, sent_at__isnull=True)
            .order_by("created_at", "pk")
        )
        if not items:
            return 0
        Notificatie.objects.filter(pk__in=[n.pk for n in items]).update(
            sent_at=timezone.now()
        )
        if frequency == Frequentie.UIT:
            return 0
        lines = "\n\n".join(f"- {n.text}\n  {site_url()}{n.url}" for n in items)
        with translation.override(settings.LANGUAGE_CODE):
            body = _(
                "Beste %(name)s,\n\nDit is er nieuw voor u op Buurtwijs:"
                "\n\n%(lines)s\n\nGroeten,\nBuurtwijs"
            ) % {"name": user.display_name, "lines": lines}
            send_plain_mail(
                user=user,
                subject=(
                    _("Uw weekoverzicht van Buurtwijs")
                    if frequency == Frequentie.WEKELIJKS
                    else _("Nieuws uit uw buurt op Buurtwijs")
                ),
                body=body,
            )
    return len(items)

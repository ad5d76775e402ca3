"""Reminder e-mails: the day before a meeting, and before an agreement is due.

Each reminder goes out once. The row is claimed with a conditional UPDATE
(reminded_at IS NULL) inside the transaction that sends the mail: a second worker
waits for the row lock and then finds nothing to claim; a failed send rolls the claim
back so the next run tries again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core import mail as core_mail
from core.mail import site_url
from initiatieven.models import Afspraak, Bijeenkomst, DeelnameKind, Initiatief


def organisers_of(initiatief: Initiatief) -> list[User]:
    users = [initiatief.owner, *initiatief.co_organisers.all()]
    return [u for u in users if u is not None and u.is_active]


def _unique(users: list[User]) -> list[User]:
    """Each person once, without those who switched all initiative mail off."""
    from initiatieven.models import Frequentie, Meldingsvoorkeur

    off = set(
        Meldingsvoorkeur.objects.filter(
            user__in=users, frequency=Frequentie.UIT
        ).values_list("user_id", flat=True)
    )
    seen: set[int] = set()
    out = []
    for user in users:
        if user.pk not in seen and user.pk not in off and user.email:
            seen.add(user.pk)
            out.append(user)
    return out


def send_plain_mail(*, user: User, subject: str, body: str) -> None:
    """One plain-text mail to one person, with an unsubscribe link and header."""
    from initiatieven.notifications import unsubscribe_url

    url = unsubscribe_url(user=user)
    footer = "\n\n-- \n" + _(
        "Wilt u geen e-mail meer van Buurtwijs over initiatieven? "
        "Klik dan hier: %(url)s"
    ) % {"url": url}
    core_mail.send(
        to=user.email, subject=subject, body=body + footer, unsubscribe_url=url
    )


def meetings_due(*, now: datetime | None = None) -> list[int]:
    """Meetings within the next 24 hours that had no reminder yet."""
    now = now or timezone.now()
    return list(
        Bijeenkomst.objects.filter(
            reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(hours=24),
            initiatief__is_hidden=False,
        )
        .order_by("starts_at")
        .values_list("pk", flat=True)
    )


def afspraken_due(*, now: datetime | None = None) -> list[int]:
    """Agreements due today or tomorrow that had no reminder yet."""
    today = timezone.localdate(now or timezone.now())
    return list(
        Afspraak.objects.filter(
            reminded_at__isnull=True,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=1),
            bijeenkomst__initiatief__is_hidden=False,
        )
        .order_by("due_date")
        .values_list("pk", flat=True)
    )


def _when(bijeenkomst: Bijeenkomst) -> str:
    local = timezone.localtime(bijeenkomst.starts_at)
    return formats.date_format(local, "l j F Y, H:i")


def meeting_remind(*, bijeenkomst_id: int) -> int:
    """Send the reminder for one meeting, once. Return the number of mails sent."""
    with transaction.atomic():
        claimed = Bijeenkomst.objects.filter(
            pk=bijeenkomst_id, reminded_at__isnull=True
        ).update(reminded_at=timezone.now())
        if not claimed:
            return 0
        bijeenkomst = Bijeenkomst.objects.select_related(
            "initiatief", "initiatief__owner"
        ).get(pk=bijeenkomst_id)
        initiatief = bijeenkomst.initiatief
        participants = [
            d.user
            for d in initiatief.deelnames.filter(
                kind=DeelnameKind.DOE_MEE, user__is_active=True
            ).select_related("user")
        ]
        recipients = _unique(organisers_of(initiatief) + participants)
        sent = 0
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Morgen: bijeenkomst van %(title)s") % {
                "title": initiatief.title
            }
            for user in recipients:
                body = _(
                    "Beste %(name)s,\n\n"
                    "Morgen is er een bijeenkomst van %(title)s.\n\n"
                    "Wanneer: %(when)s\n"
                    "Waar: %(place)s\n\n"
                    "%(agenda)s"
                    "Meer informatie en de agenda voor uw telefoon of computer:\n"
                    "%(url)s\n\n"
                    "Tot morgen!\nBuurtwijs"
                ) % {
                    "name": user.display_name,
                    "title": initiatief.title,
                    "when": _when(bijeenkomst),
                    "place": bijeenkomst.place,
                    "agenda": (
                        _("Agenda:") + "\n" + bijeenkomst.agenda.strip() + "\n\n"
                        if bijeenkomst.agenda.strip()
                        else ""
                    ),
                    "url": site_url(bijeenkomst.get_absolute_url()),
                }
                send_plain_mail(user=user, subject=subject, body=body)
                sent += 1
    return sent


def afspraak_remind(*, afspraak_id: int) -> int:
    """Remind the responsible person (or else the organisers) of one agreement, once."""
    with transaction.atomic():
        claimed = Afspraak.objects.filter(
            pk=afspraak_id, reminded_at__isnull=True
        ).update(reminded_at=timezone.now())
        if not claimed:
            return 0
        afspraak = Afspraak.objects.select_related(
            "who_user", "bijeenkomst__initiatief__owner"
        ).get(pk=afspraak_id)
        initiatief = afspraak.bijeenkomst.initiatief
        if afspraak.who_user is not None and afspraak.who_user.is_active:
            recipients = _unique([afspraak.who_user])
        else:
            recipients = _unique(organisers_of(initiatief))
        sent = 0
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Herinnering: afspraak voor %(title)s") % {
                "title": initiatief.title
            }
            for user in recipients:
                body = _(
                    "Beste %(name)s,\n\n"
                    "Bij %(title)s is dit afgesproken:\n\n"
                    "Wat: %(what)s\n"
                    "Wie: %(who)s\n"
                    "Klaar op: %(due)s\n\n"
                    "Kijk hier voor alle afspraken:\n%(url)s\n\n"
                    "Succes!\nBuurtwijs"
                ) % {
                    "name": user.display_name,
                    "title": initiatief.title,
                    "what": afspraak.description,
                    "who": afspraak.who or _("nog niet bekend"),
                    "due": formats.date_format(afspraak.due_date, "l j F Y"),
                    "url": site_url(afspraak.bijeenkomst.get_absolute_url()),
                }
                send_plain_mail(user=user, subject=subject, body=body)
                sent += 1
    return sent

"""E-mail to followers and participants about new updates and meetings.

Each resident chooses: direct, a daily digest (the default) or nothing. Digest items
wait as Notificatie rows; a daily task sends one mail per person. Nobody is mailed
about their own action. Every mail carries a signed one-click unsubscribe link.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
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
    from initiatieven.reminders import site_url

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


def _notify(
    *, initiatief: Initiatief, actor_id: int | None, text: str, url: str
) -> int:
    from initiatieven.reminders import send_plain_mail, site_url

    if initiatief.is_hidden:
        return 0
    users = audience(initiatief=initiatief, exclude_user_id=actor_id)
    frequencies = _frequencies(users)
    now = timezone.now()
    sent = 0
    for user in users:
        frequency = frequencies[user.pk]
        if frequency == Frequentie.UIT:
            continue
        if frequency == Frequentie.DIRECT:
            with translation.override(settings.LANGUAGE_CODE):
                body = _(
                    "Beste %(name)s,\n\n%(text)s\n\nLees het hier:\n%(url)s\n\n"
                    "Groeten,\nBuurtwijs"
                ) % {"name": user.display_name, "text": text, "url": site_url() + url}
                send_plain_mail(
                    user=user,
                    subject=_("Nieuws van %(title)s") % {"title": initiatief.title},
                    body=body,
                )
            Notificatie.objects.create(
                user=user, initiatief=initiatief, text=text, url=url, sent_at=now
            )
            sent += 1
        else:
            Notificatie.objects.create(
                user=user, initiatief=initiatief, text=text, url=url
            )
    return sent


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

    from initiatieven.reminders import send_plain_mail, site_url

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


def digest_users() -> list[int]:
    return list(
        Notificatie.objects.filter(sent_at__isnull=True)
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )


def digest_send(*, user_id: int) -> int:
    """Send one mail with everything that waits for this person. Return the number
    of items in it (0: nothing sent). Items are claimed under a row lock, so two
    workers never send the same digest."""
    from initiatieven.reminders import send_plain_mail, site_url

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
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
        if frequency_of(user=user) == Frequentie.UIT:
            return 0
        lines = "\n\n".join(f"- {n.text}\n  {site_url()}{n.url}" for n in items)
        with translation.override(settings.LANGUAGE_CODE):
            body = _(
                "Beste %(name)s,\n\nDit is er nieuw bij de initiatieven die u volgt:"
                "\n\n%(lines)s\n\nGroeten,\nBuurtwijs"
            ) % {"name": user.display_name, "lines": lines}
            send_plain_mail(
                user=user,
                subject=_("Nieuws uit uw buurt op Buurtwijs"),
                body=body,
            )
    return len(items)

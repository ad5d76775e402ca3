"""Notifications of the collective loop that are not about one escalation.

- A new public call ("Wat speelt er in uw wijk"): when a professional publishes a theme
  as a call to residents for the first time, the residents of that wijk get one plain
  e-mail. Residents already chose how they hear from Buurtwijs in
  initiatieven.Meldingsvoorkeur (direct / dagelijks / uit). The digest rows
  (initiatieven.Notificatie) need an initiative, so a call cannot wait in that digest
  without a model change. The call notice therefore goes out as its own mail, at once,
  to every resident of the wijk whose preference is not "uit" (a call is rare: at most
  one per theme). The mail carries the same one-click unsubscribe link as the
  initiative mails, which sets the preference to "uit".
- A wijk goal's deadline is near: the members of the goal's team get a plain e-mail
  DEADLINE_NOTICE_DAYS days before the deadline (see goal_deadline_notices in
  signalen/goals.py for how it is sent only once).

The mails never hold signal text or counts: only the public title and text the
professional wrote (calls) or the goal's own title, target and deadline (goals).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import Role, User
from initiatieven.models import Frequentie, Meldingsvoorkeur
from signalen.models import WijkDoel, WijkThema

log = logging.getLogger(__name__)


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", "")).rstrip("/")


def _render(template: str, context: Mapping[str, Any]) -> tuple[str, str]:
    subject = " ".join(
        render_to_string(f"signalen/email/{template}_subject.txt", context).split()
    )
    body = render_to_string(f"signalen/email/{template}_message.txt", context)
    return subject, body


# --- A new public call in the wijk -------------------------------------------------------


def call_residents(thema: WijkThema) -> list[User]:
    """The active residents of the theme's wijk with an e-mail address whose
    preference is not "uit" (no preference row = the default, dagelijks)."""
    off = Meldingsvoorkeur.objects.filter(frequency=Frequentie.UIT).values("user_id")
    return list(
        User.objects.filter(role=Role.BEWONER, wijk_id=thema.wijk_id, is_active=True)
        .exclude(email="")
        .exclude(pk__in=off)
        .order_by("pk")
    )


def call_notify(*, thema_id: int) -> int:
    """Mail the residents of the wijk about a new public call. Returns the number of
    mails sent. Sends nothing when the theme is (no longer) a public call."""
    from initiatieven.reminders import send_plain_mail
    from signalen.answers import is_public

    thema = (
        WijkThema.objects.select_related("wijk", "wijk__gemeente")
        .filter(pk=thema_id)
        .first()
    )
    if thema is None or not thema.is_call or not is_public(thema):
        return 0
    url = site_url() + reverse("themas:detail", kwargs={"pk": thema.pk})
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in call_residents(thema):
            subject, body = _render(
                "oproep_new", {"user": user, "thema": thema, "url": url}
            )
            try:
                send_plain_mail(user=user, subject=subject, body=body.rstrip())
            except Exception:  # one failing address does not stop the others
                log.warning("call mail to user %s failed", user.pk, exc_info=True)
                continue
            sent += 1
    return sent


# --- A wijk goal's deadline is near ---------------------------------------------------


def goal_team_members(doel: WijkDoel) -> list[User]:
    """The active professionals of the goal's team with an e-mail address."""
    return list(
        doel.team.members.filter(role=Role.PROFESSIONAL, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def goal_deadline_mail(*, doel: WijkDoel, users: Iterable[User], days_left: int) -> int:
    """One plain mail per team member about the goal's near deadline."""
    url = site_url() + reverse("signalen:doel_detail", kwargs={"pk": doel.pk})
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            subject, body = _render(
                "doel_deadline",
                {"user": user, "doel": doel, "url": url, "days_left": days_left},
            )
            send_mail(subject, body, None, [user.email])
            sent += 1
    return sent

"""Notifications of the collective loop that are not about one escalation.

Every notice here goes through initiatieven.notifications.notice_send, so it respects
the choice each person made in initiatieven.Meldingsvoorkeur: "direct" gets a mail at
once, "dagelijks" and "wekelijks" find it in their daily or weekly digest, "uit" gets
nothing. The same holds for professionals and officers (everyone has that setting page).
A key per notice and person makes each notice once-only, sent or waiting.

- A new public call ("Wat speelt er in uw wijk"): when a professional publishes a theme
  as a call to residents for the first time, the residents of that wijk are told.
- A wijk goal's deadline is near: the members of the goal's team are told
  DEADLINE_NOTICE_DAYS days before the deadline (see goal_deadline_notices in
  signalen/goals/services.py), once per goal, deadline and person.
- A comment on a wijk goal: an officer's comment goes to the goal's team, a team
  member's comment to the officer the goal was agreed with and the officers who
  commented on it before.

The notices never hold signal text or counts: only the public title and text the
professional wrote (calls) or the goal's own title, target and deadline (goals).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.mail import render, site_url
from initiatieven.notifications import notice_send
from signalen.models import WijkThema


def _render(template: str, context: Mapping[str, Any]) -> tuple[str, str]:
    subject, body, _html = render(f"signalen/email/{template}", context)
    return subject, body.rstrip()


def template_mail(template: str, context: Mapping[str, Any]) -> Any:
    """A direct mail of notice_send made from signalen/email/<template>_*.txt."""

    def make(user: User) -> tuple[str, str]:
        return _render(template, {**context, "user": user})

    return make


def call_key(thema_id: int) -> str:
    return f"signalen:call:{thema_id}"


def call_residents(thema: WijkThema) -> list[User]:
    """The active residents of the theme's wijk with an e-mail address (their own
    choice decides how, or whether, they hear of the call)."""
    return list(
        User.objects.filter(role=Role.BEWONER, wijk_id=thema.wijk_id, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def call_notify(*, thema_id: int) -> int:
    """Tell the residents of the wijk about a new public call. Returns how many were
    told (mailed now or waiting in their digest). Tells nothing when the theme is (no
    longer) a public call."""
    from signalen.answers.queries import is_public

    thema = (
        WijkThema.objects.select_related("wijk", "wijk__gemeente")
        .filter(pk=thema_id)
        .first()
    )
    if thema is None or not thema.is_call or not is_public(thema):
        return 0
    path = reverse("themas:detail", kwargs={"pk": thema.pk})
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Nieuwe oproep van het wijkteam in %(wijk)s: %(title)s") % {
            "wijk": thema.wijk.name,
            "title": thema.public_title,
        }
    told = notice_send(
        users=call_residents(thema),
        title=thema.public_title,
        text=text,
        url=path,
        key=call_key(thema.pk),
        direct_mail=template_mail(
            "oproep_new", {"thema": thema, "url": site_url(path)}
        ),
    )
    return told.sent + told.queued

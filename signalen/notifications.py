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
  signalen/goals.py), once per goal, deadline and person.
- A comment on a wijk goal: an officer's comment goes to the goal's team, a team
  member's comment to the officer the goal was agreed with and the officers who
  commented on it before.

The notices never hold signal text or counts: only the public title and text the
professional wrote (calls) or the goal's own title, target and deadline (goals).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from initiatieven.notifications import notice_send
from signalen.models import DoelReactie, WijkDoel, WijkThema


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", "")).rstrip("/")


def _render(template: str, context: Mapping[str, Any]) -> tuple[str, str]:
    subject = " ".join(
        render_to_string(f"signalen/email/{template}_subject.txt", context).split()
    )
    body = render_to_string(f"signalen/email/{template}_message.txt", context)
    return subject, body.rstrip()


def template_mail(template: str, context: Mapping[str, Any]) -> Any:
    """A direct mail of notice_send made from signalen/email/<template>_*.txt."""

    def make(user: User) -> tuple[str, str]:
        return _render(template, {**context, "user": user})

    return make


# --- A new public call in the wijk -------------------------------------------------------


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
    from signalen.answers import is_public

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
            "oproep_new", {"thema": thema, "url": site_url() + path}
        ),
    )
    return told.sent + told.queued


# --- A wijk goal's deadline is near ---------------------------------------------------


def goal_team_members(doel: WijkDoel) -> list[User]:
    """The active professionals of the goal's team with an e-mail address."""
    return list(
        doel.team.members.filter(role=Role.PROFESSIONAL, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def goal_deadline_key(doel: WijkDoel) -> str:
    return f"signalen:goal-deadline:{doel.pk}:{doel.deadline.isoformat()}"


def goal_deadline_mail(*, doel: WijkDoel, users: Iterable[User], days_left: int) -> int:
    """Tell each team member about the goal's near deadline, once per goal, deadline
    and person. Returns how many were told now (mailed or queued)."""
    path = reverse("signalen:doel_detail", kwargs={"pk": doel.pk})
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            'Het wijkdoel "%(title)s" in %(wijk)s loopt af op %(deadline)s. Zet de '
            "laatste stand erin."
        ) % {
            "title": doel.title,
            "wijk": doel.wijk.name,
            "deadline": doel.deadline.strftime("%d-%m-%Y"),
        }
    told = notice_send(
        users=users,
        title=doel.title,
        text=text,
        url=path,
        key=goal_deadline_key(doel),
        direct_mail=template_mail(
            "doel_deadline",
            {"doel": doel, "url": site_url() + path, "days_left": days_left},
        ),
    )
    return told.sent + told.queued


# --- A comment on a wijk goal -----------------------------------------------------------


def goal_comment_audience(reactie: DoelReactie) -> list[User]:
    """Who hears of a comment: the team when the gemeente wrote it; the officer the
    goal was agreed with and the officers who commented before when the team did.
    Never the author."""
    doel = reactie.doel
    if reactie.from_gemeente:
        users = goal_team_members(doel)
    else:
        ids = set(
            DoelReactie.objects.filter(doel=doel, from_gemeente=True).values_list(
                "author_id", flat=True
            )
        )
        if doel.agreed_by_id is not None:
            ids.add(doel.agreed_by_id)
        users = list(
            User.objects.filter(
                pk__in=ids,
                role=Role.AMBTENAAR,
                gemeente_id=doel.wijk.gemeente_id,
                is_active=True,
            )
            .exclude(email="")
            .order_by("pk")
        )
    return [user for user in users if user.pk != reactie.author_id]


def goal_comment_notify(*, reactie_id: int) -> int:
    """Tell the other side of the goal about a new comment. Returns how many were
    told (mailed now or queued)."""
    reactie = (
        DoelReactie.objects.select_related("doel", "doel__wijk", "doel__team")
        .filter(pk=reactie_id)
        .first()
    )
    if reactie is None:
        return 0
    doel = reactie.doel
    path = reverse("signalen:doel_detail", kwargs={"pk": doel.pk}) + (
        f"#reactie-{reactie.pk}"
    )
    with translation.override(settings.LANGUAGE_CODE):
        if reactie.from_gemeente:
            text = _('De gemeente reageert op het wijkdoel "%(title)s" in %(wijk)s.')
        else:
            text = _('Het wijkteam reageert op het wijkdoel "%(title)s" in %(wijk)s.')
        text = text % {"title": doel.title, "wijk": doel.wijk.name}
        subject = _("Nieuwe reactie op het wijkdoel %(title)s") % {"title": doel.title}
    told = notice_send(
        users=goal_comment_audience(reactie),
        title=doel.title,
        subject=subject,
        text=text,
        url=path,
        key=f"signalen:goal-comment:{reactie.pk}",
    )
    return told.sent + told.queued

"""Notices about wijk goals: deadlines and comments."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.mail import site_url
from initiatieven.notifications import notice_send
from signalen.answers.notifications import template_mail
from signalen.models import DoelReactie, WijkDoel


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
            {"doel": doel, "url": site_url(path), "days_left": days_left},
        ),
    )
    return told.sent + told.queued


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

"""Notices of the wijkbudget, through initiatieven.notifications.notice_send, so each
person's own mail choice (direct, digest or nothing) decides."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from initiatieven.notifications import notice_send
from wijkbudget.models import Aanvraag, Besluit, Ronde


def round_key(ronde_id: int) -> str:
    return f"wijkbudget-ronde-{ronde_id}"


def ronde_open_notify(*, ronde_id: int) -> int:
    """Tell the wijk's residents that a round takes requests (once per person, even
    when called again). Returns how many were told."""
    ronde = Ronde.objects.select_related("wijk").filter(pk=ronde_id).first()
    if ronde is None or not ronde.takes_requests(timezone.localdate()):
        return 0
    residents = list(
        User.objects.filter(role=Role.BEWONER, wijk_id=ronde.wijk_id, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "Wijkbudget in %(wijk)s: € %(amount)s voor plannen van bewoners. "
            "Aanvragen kan tot en met %(day)s."
        ) % {
            "wijk": ronde.wijk.name,
            "amount": ronde.amount,
            "day": ronde.requests_close.strftime("%d-%m-%Y"),
        }
    told = notice_send(
        users=residents,
        title=ronde.title,
        text=text,
        url=ronde.get_absolute_url(),
        key=round_key(ronde.pk),
    )
    return told.sent + told.queued


def rondes_opened_today() -> list[int]:
    today = timezone.localdate()
    return list(Ronde.objects.filter(requests_open=today).values_list("pk", flat=True))


def besluit_notify(*, aanvraag_id: int) -> int:
    """Tell the organisers of the initiative about the gemeente's decision."""
    aanvraag = (
        Aanvraag.objects.select_related("initiatief", "ronde", "initiatief__owner")
        .prefetch_related("initiatief__co_organisers")
        .filter(pk=aanvraag_id)
        .first()
    )
    if aanvraag is None or not aanvraag.decision:
        return 0
    initiatief = aanvraag.initiatief
    people = [initiatief.owner, *initiatief.co_organisers.all()]
    users = [u for u in people if u is not None]
    with translation.override(settings.LANGUAGE_CODE):
        if aanvraag.decision == Besluit.TOEGEKEND:
            text = _(
                "De gemeente kent € %(amount)s toe aan %(title)s. Laat op de pagina "
                "zien waaraan u het geld besteedt."
            ) % {"amount": aanvraag.decision_amount, "title": initiatief.title}
        else:
            text = _(
                "De gemeente heeft de aanvraag van %(title)s afgewezen. De reden "
                "staat op de pagina."
            ) % {"title": initiatief.title}
    told = notice_send(
        users=users,
        title=aanvraag.ronde.title,
        text=text,
        url=reverse(
            "wijkbudget:aanvraag",
            kwargs={"pk": aanvraag.ronde_id, "aanvraag_pk": aanvraag.pk},
        ),
        key=f"wijkbudget-besluit-{aanvraag.pk}-{aanvraag.decision}",
        initiatief=initiatief,
    )
    return told.sent + told.queued

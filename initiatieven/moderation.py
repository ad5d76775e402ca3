"""Reports and moderation: residents report, a beheerder hides (owner told why) or
dismisses. One open report per person per item; reporting is rate limited."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core import mail as core_mail
from initiatieven import tasks
from initiatieven.models import (
    Bericht,
    Initiatief,
    Melding,
    MeldingReden,
    MeldingStatus,
)
from initiatieven.services import rate_quota
from outbox.services import outbox_send
from wijken import generations

DEFAULT_REPORT_LIMIT_PER_DAY = 10


class AlreadyReported(Exception):
    """This person already has an open report about this item."""


def report_limit() -> int:
    return int(
        getattr(
            settings,
            "INITIATIEVEN_REPORT_LIMIT_PER_DAY",
            DEFAULT_REPORT_LIMIT_PER_DAY,
        )
    )


def melding_create(
    *,
    reporter: User,
    initiatief: Initiatief,
    reason: str,
    text: str = "",
    bericht: Bericht | None = None,
) -> Melding:
    if reason not in MeldingReden.values:
        raise ValueError("unknown reason")
    if bericht is not None and bericht.initiatief_id != initiatief.pk:
        raise ValueError("bericht is not part of initiatief")
    with (
        rate_quota(user=reporter, kind="report", limit=report_limit()),
        transaction.atomic(),
    ):
        # The lock makes two quick clicks wait for each other, so the check holds.
        Initiatief.objects.select_for_update().filter(pk=initiatief.pk).first()
        if Melding.objects.filter(
            reporter=reporter,
            initiatief=initiatief,
            bericht=bericht,
            status=MeldingStatus.OPEN,
        ).exists():
            raise AlreadyReported
        melding = Melding.objects.create(
            reporter=reporter,
            initiatief=initiatief,
            bericht=bericht,
            reason=reason,
            text=text,
        )
        melding_id = melding.pk
        outbox_send(tasks.notify_beheerders_reported, melding_id)
    return melding


def beheerders_reported_notify(*, melding_id: int) -> int:
    """Tell the beheerders that something was reported, through notice_send (each
    one's own choice: a mail now, a digest, or nothing). Once per report. The
    reporter's own text stays on the moderation page: the notice names the item and
    the reason only. Returns the number of mails sent now."""
    from django.urls import reverse

    from accounts.models import Role
    from initiatieven.notifications import notice_send

    melding = (
        Melding.objects.select_related("initiatief", "bericht")
        .filter(pk=melding_id, status=MeldingStatus.OPEN)
        .first()
    )
    if melding is None:
        return 0  # already handled, or gone
    beheerders = list(User.objects.filter(role=Role.BEHEERDER, is_active=True))
    with translation.override(settings.LANGUAGE_CODE):
        what = (
            _("een bericht bij %(title)s") % {"title": melding.initiatief.title}
            if melding.bericht_id is not None
            else _("het initiatief %(title)s") % {"title": melding.initiatief.title}
        )
        title = _("Nieuwe melding: %(what)s") % {"what": what}
        text = _("Reden: %(reason)s. Bekijk de melding en beslis wat er gebeurt.") % {
            "reason": melding.get_reason_display()
        }
    return notice_send(
        users=beheerders,
        title=title,
        text=text,
        url=reverse("initiatieven:moderatie"),
        key=f"melding-{melding.pk}",
    ).sent


def meldingen_open() -> list[Melding]:
    return list(
        Melding.objects.filter(status=MeldingStatus.OPEN)
        .select_related("initiatief", "bericht", "reporter")
        .order_by("created_at", "pk")
    )


def _close_same_item(*, melding: Melding, status: str, by: User) -> None:
    same = Melding.objects.filter(
        initiatief_id=melding.initiatief_id, status=MeldingStatus.OPEN
    )
    if melding.bericht_id is None:
        same = same.filter(bericht__isnull=True)
    else:
        same = same.filter(bericht_id=melding.bericht_id)
    same.update(status=status, handled_by=by, handled_at=timezone.now())


def melding_hide(*, melding: Melding, by: User, reason: str) -> None:
    """Hide the reported item with a reason; its owner hears why after the commit."""
    with transaction.atomic():
        if melding.bericht_id is not None:
            Bericht.objects.filter(pk=melding.bericht_id).update(
                is_hidden=True, hidden_reason=reason
            )
        else:
            Initiatief.objects.filter(pk=melding.initiatief_id).update(
                is_hidden=True, hidden_reason=reason
            )
        _close_same_item(melding=melding, status=MeldingStatus.VERBORGEN, by=by)
        # An UPDATE sends no model signals: the initiative's figures left the wijk.
        generations.bump(
            wijk_ids=Initiatief.objects.filter(pk=melding.initiatief_id).values_list(
                "wijk_id", flat=True
            ),
            domains=["initiatieven"],
        )
        melding_id = melding.pk
        outbox_send(tasks.notify_owner_hidden, melding_id)


def melding_dismiss(*, melding: Melding, by: User) -> None:
    """The report is not right: close it (and other open ones about the same item)."""
    _close_same_item(melding=melding, status=MeldingStatus.AFGEWEZEN, by=by)


def owner_hidden_notify(*, melding_id: int) -> int:
    """Tell the owner of the initiative what was hidden and why."""
    from core.mail import site_url

    melding = (
        Melding.objects.select_related("initiatief__owner", "bericht")
        .filter(pk=melding_id)
        .first()
    )
    if melding is None:
        return 0
    initiatief = melding.initiatief
    owner = initiatief.owner
    if owner is None:
        return 0  # the owner deleted their account: nobody to tell
    with translation.override(settings.LANGUAGE_CODE):
        if melding.bericht is not None:
            reason = melding.bericht.hidden_reason
            what = _("Uw bericht bij %(title)s is verborgen.") % {
                "title": initiatief.title
            }
        else:
            reason = initiatief.hidden_reason
            what = _("Uw initiatief %(title)s is verborgen.") % {
                "title": initiatief.title
            }
        body = _(
            "Beste %(name)s,\n\n%(what)s\n\nDe reden is:\n%(reason)s\n\n"
            "Alleen u, de andere organisatoren en de beheerders zien het nu nog.\n"
            "Denkt u dat dit niet klopt? Beantwoord dan deze e-mail.\n\n"
            "%(url)s\n\nGroeten,\nBuurtwijs"
        ) % {
            "name": owner.display_name,
            "what": what,
            "reason": reason,
            "url": site_url() + initiatief.get_absolute_url(),
        }
        core_mail.send(
            to=owner.email,
            subject=_("Iets van u is verborgen op Buurtwijs"),
            body=body,
        )
    return 1

"""Writes of the wijkgesprek: plan, draft and order the agenda, minutes, agreements,
volunteering to chair, and the notices and reminders to all three sides.

Every write checks its rule here too (views check first). Every free text that others
read (the place and facilitator, an own agenda point, the minutes, an agreement) goes
through the scrubber before it is stored (signalen.intake.staff_text), whoever wrote
it: residents read the meeting and minutes are public. Mail
goes after the commit through the outbox (outbox.services.outbox_send) and
initiatieven.notifications.notice_send, once per person per step.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Team, User
from outbox.services import outbox_send
from signalen.escalations.queries import officers_of
from signalen.intake.staff_text import staff_text_scrub
from wijken.models import Plek, Wijk
from wijken.text import without_bidi_controls
from wijkgesprek import permissions, queries
from wijkgesprek.models import (
    AFSPRAAK_MAX_LENGTH,
    FACILITATOR_MAX_LENGTH,
    ITEM_TEXT_MAX_LENGTH,
    ITEM_TITLE_MAX_LENGTH,
    MINUTES_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    AfspraakEigenaar,
    GesprekAfspraak,
    GesprekPunt,
    PuntBron,
    Voorzitter,
    Wijkgesprek,
)

# An agreement further away than this is a plan, not an agreement.
AFSPRAAK_MAX_DAYS = 366


class GesprekError(ValidationError):
    """A step the rules refuse; the message is for the user."""


def _clean(
    value: str | None, *, field: str, max_length: int, required: bool = True
) -> str:
    value = without_bidi_controls((value or "").replace("\r\n", "\n")).strip()
    if required and not value:
        raise GesprekError({field: _("Vul dit in.")}, code="required")
    if len(value) > max_length:
        raise GesprekError(
            {
                field: _("Te lang: hoogstens %(max)s tekens (nu %(length)s).")
                % {"max": max_length, "length": len(value)}
            },
            code="too_long",
        )
    if "<" in value or ">" in value:
        raise GesprekError({field: _("Gebruik geen < of > in dit veld.")}, code="tags")
    return value


def _scrubbed(value: str, *, wijk: Wijk) -> str:
    return staff_text_scrub(value, wijk=wijk, error=GesprekError).text


@dataclass(frozen=True)
class Planned:
    """A planned meeting and what the scrubber took out of its place and facilitator
    (kinds as labels for the planner, never the originals)."""

    gesprek: Wijkgesprek
    removed: tuple[str, ...]


def _notify_on_commit(kind: str, pk: int) -> None:
    from wijkgesprek.tasks import wijkgesprek_notify_task

    outbox_send(wijkgesprek_notify_task, kind, pk)


def _refuse(message: str) -> GesprekError:
    return GesprekError(message, code="not_allowed")


# --- Planning and the agenda ---------------------------------------------------------


def _next_order(gesprek: Wijkgesprek) -> int:
    top = gesprek.punten.aggregate(top=Max("order"))["top"]
    return 0 if top is None else top + 1


def agenda_draft_add(*, actor: User, gesprek: Wijkgesprek) -> int:
    """Add the drafted points the agenda does not hold yet; return how many."""
    if not permissions.can_plan(actor, gesprek.wijk):
        raise _refuse(_("Alleen het wijkteam en de gemeente stellen de agenda op."))
    return agenda_fill(gesprek=gesprek)


def agenda_fill(*, gesprek: Wijkgesprek) -> int:
    """Add the drafted points (queries.agenda_draft) the agenda lacks; return how
    many. The caller checks who may (the demo loader calls it directly)."""
    have = set(gesprek.punten.values_list("source", "source_id"))
    order = _next_order(gesprek)
    new = []
    for item in queries.agenda_draft(gesprek.wijk):
        if (item.source, item.source_id) in have:
            continue
        new.append(
            GesprekPunt(
                gesprek=gesprek,
                order=order,
                source=item.source,
                source_id=item.source_id,
                title=item.title[:ITEM_TITLE_MAX_LENGTH],
                text=item.text[:ITEM_TEXT_MAX_LENGTH],
                url=item.url,
            )
        )
        order += 1
    GesprekPunt.objects.bulk_create(new)
    return len(new)


def where_and_who_scrub(
    *, place: str, facilitator: str, wijk: Wijk
) -> tuple[str, str, tuple[str, ...]]:
    """Place and facilitator as they will be stored, and the kinds taken out (labels).
    Planning and the admin's edit both call this."""
    # The wijk's registered places (a buurthuis, the library) are public: their name
    # and address stay, so residents can find the meeting; anything else is scrubbed.
    public_places = [
        part
        for plek in Plek.objects.filter(wijk=wijk).only("name", "address")
        for part in (plek.name, plek.address)
        if part
    ]
    scrubbed_place = staff_text_scrub(
        place, wijk=wijk, keep=public_places, error=GesprekError
    )
    scrubbed_facilitator = staff_text_scrub(facilitator, wijk=wijk, error=GesprekError)
    removed = tuple(
        dict.fromkeys(
            [*scrubbed_place.removed_labels, *scrubbed_facilitator.removed_labels]
        )
    )
    return scrubbed_place.text, scrubbed_facilitator.text, removed


def gesprek_plan(
    *,
    actor: User,
    wijk: Wijk,
    starts_at: datetime.datetime,
    place: str,
    facilitator: str = "",
    chair: User | None = None,
    draft: bool = True,
) -> Planned:
    """Plan a meeting; with draft, its agenda is drafted at once. Place and facilitator
    are scrubbed like every staff text residents read (and the public, once the
    minutes are public)."""
    if not permissions.can_plan(actor, wijk):
        raise _refuse(_("Alleen het wijkteam en de gemeente plannen een wijkgesprek."))
    if starts_at <= timezone.now():
        raise GesprekError(
            {"starts_at": _("Kies een moment in de toekomst.")}, code="past"
        )
    place = _clean(place, field="place", max_length=PLACE_MAX_LENGTH)
    facilitator = _clean(
        facilitator,
        field="facilitator",
        max_length=FACILITATOR_MAX_LENGTH,
        required=False,
    )
    if chair is not None and chair.pk not in {u.pk for u in queries.volunteers(wijk)}:
        raise GesprekError(
            {"chair": _("Kies een bewoner die voorzitter wil zijn.")}, code="chair"
        )
    place, facilitator, removed = where_and_who_scrub(
        place=place, facilitator=facilitator, wijk=wijk
    )
    with transaction.atomic():
        gesprek = Wijkgesprek.objects.create(
            wijk=wijk,
            starts_at=starts_at,
            place=place,
            facilitator=facilitator,
            chair=chair,
            created_by=actor,
        )
        if draft:
            agenda_draft_add(actor=actor, gesprek=gesprek)
        _notify_on_commit("planned", gesprek.pk)
    return Planned(gesprek=gesprek, removed=removed)


def punt_add(
    *, actor: User, gesprek: Wijkgesprek, title: str, text: str
) -> GesprekPunt:
    if not permissions.can_write(actor, gesprek):
        raise _refuse(_("U kunt deze agenda niet aanpassen."))
    title = _clean(title, field="title", max_length=ITEM_TITLE_MAX_LENGTH)
    text = _clean(text, field="text", max_length=ITEM_TEXT_MAX_LENGTH, required=False)
    title = _scrubbed(title, wijk=gesprek.wijk)
    text = _scrubbed(text, wijk=gesprek.wijk)
    with transaction.atomic():
        Wijkgesprek.objects.select_for_update().get(pk=gesprek.pk)
        return GesprekPunt.objects.create(
            gesprek=gesprek,
            order=_next_order(gesprek),
            source=PuntBron.EIGEN,
            title=title,
            text=text,
        )


def punt_move(
    *, actor: User, gesprek: Wijkgesprek, punt: GesprekPunt, up: bool
) -> None:
    """Move a point one place up or down (the chair orders the agenda)."""
    if not permissions.can_write(actor, gesprek) or punt.gesprek_id != gesprek.pk:
        raise _refuse(_("U kunt deze agenda niet aanpassen."))
    with transaction.atomic():
        Wijkgesprek.objects.select_for_update().get(pk=gesprek.pk)
        punten = list(gesprek.punten.order_by("order", "pk"))
        index = next(i for i, p in enumerate(punten) if p.pk == punt.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(punten):
            punten[index], punten[other] = punten[other], punten[index]
        for order, item in enumerate(punten):
            item.order = order
        GesprekPunt.objects.bulk_update(punten, ["order"])


def punt_remove(*, actor: User, gesprek: Wijkgesprek, punt: GesprekPunt) -> None:
    if not permissions.can_write(actor, gesprek) or punt.gesprek_id != gesprek.pk:
        raise _refuse(_("U kunt deze agenda niet aanpassen."))
    punt.delete()


# --- Minutes and agreements ----------------------------------------------------------


def minutes_save(
    *,
    actor: User,
    gesprek: Wijkgesprek,
    minutes: str,
    public: bool,
    publish: bool,
) -> Wijkgesprek:
    """Save the minutes (scrubbed); publish them once the meeting has been held.
    Published minutes are public unless `public` is off."""
    if not permissions.can_write(actor, gesprek):
        raise _refuse(_("U kunt dit verslag niet schrijven."))
    minutes = _clean(minutes, field="minutes", max_length=MINUTES_MAX_LENGTH)
    if publish and gesprek.starts_at > timezone.now():
        raise GesprekError(
            {"minutes": _("Een verslag kan pas na het gesprek openbaar worden.")},
            code="not_held",
        )
    minutes = _scrubbed(minutes, wijk=gesprek.wijk)
    with transaction.atomic():
        gesprek = Wijkgesprek.objects.select_for_update().get(pk=gesprek.pk)
        gesprek.minutes = minutes
        gesprek.minutes_public = public
        if publish and gesprek.minutes_published_at is None:
            gesprek.minutes_published_at = timezone.now()
        gesprek.save(
            update_fields=["minutes", "minutes_public", "minutes_published_at"]
        )
    return gesprek


def afspraak_add(
    *,
    actor: User,
    gesprek: Wijkgesprek,
    description: str,
    owner: str,
    due_date: datetime.date,
) -> GesprekAfspraak:
    if not permissions.can_write(actor, gesprek):
        raise _refuse(_("U kunt hier geen afspraak maken."))
    description = _clean(
        description, field="description", max_length=AFSPRAAK_MAX_LENGTH
    )
    if owner not in AfspraakEigenaar.values:
        raise GesprekError({"owner": _("Kies wie dit doet.")}, code="owner")
    meeting_day = timezone.localdate(gesprek.starts_at)
    if due_date < meeting_day:
        raise GesprekError(
            {"due_date": _("De datum ligt voor het gesprek.")}, code="due_date"
        )
    if due_date > meeting_day + datetime.timedelta(days=AFSPRAAK_MAX_DAYS):
        raise GesprekError(
            {"due_date": _("Kies een datum binnen een jaar na het gesprek.")},
            code="due_date",
        )
    description = _scrubbed(description, wijk=gesprek.wijk)
    return GesprekAfspraak.objects.create(
        gesprek=gesprek, description=description, owner=owner, due_date=due_date
    )


# --- Chairing ------------------------------------------------------------------------


def volunteer_set(*, user: User, wijk: Wijk, wants: bool) -> None:
    """A resident says they want to chair a wijkgesprek (or no longer)."""
    if not permissions.can_volunteer(user, wijk):
        raise _refuse(_("Alleen bewoners van deze wijk kunnen voorzitter worden."))
    if not wants:
        Voorzitter.objects.filter(wijk=wijk, user=user).delete()
        return
    try:
        with transaction.atomic():
            Voorzitter.objects.get_or_create(wijk=wijk, user=user)
    except IntegrityError:  # two clicks at once: the first one counts
        pass


def forget_user(*, user: User) -> dict[str, int]:
    """Before an account goes: no longer a candidate chair, no longer named as chair,
    their name taken out of the minutes of the meetings they chaired (the meetings
    and their public minutes stay for the wijk)."""
    from accounts.names import without_name

    name = user.display_name
    with transaction.atomic():
        removed, _rows = Voorzitter.objects.filter(user=user).delete()
        chaired = 0
        for gesprek in Wijkgesprek.objects.filter(chair=user):
            gesprek.minutes = without_name(gesprek.minutes, name)
            gesprek.chair = None
            gesprek.save(update_fields=["minutes", "chair"])
            chaired += 1
    return {"gesprek_candidate": removed, "gesprek_chaired": chaired}


# --- Notices and reminders -----------------------------------------------------------


def _team_of(wijk: Wijk) -> list[User]:
    return list(
        User.objects.filter(teams__in=Team.objects.filter(wijken=wijk), is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _residents_of(gesprek: Wijkgesprek) -> list[User]:
    """The residents' side: the chair and the residents who want to chair."""
    users = list(queries.volunteers(gesprek.wijk))
    if gesprek.chair is not None and gesprek.chair.is_active:
        users.insert(0, gesprek.chair)
    return users


def _side(gesprek: Wijkgesprek, owner: str) -> list[User]:
    if owner == AfspraakEigenaar.TEAM:
        return _team_of(gesprek.wijk)
    if owner == AfspraakEigenaar.GEMEENTE:
        return officers_of(gesprek.wijk.gemeente_id)
    return _residents_of(gesprek)


def _all_sides(gesprek: Wijkgesprek) -> list[User]:
    seen: set[int] = set()
    out = []
    for user in (
        _team_of(gesprek.wijk)
        + officers_of(gesprek.wijk.gemeente_id)
        + _residents_of(gesprek)
    ):
        if user.pk not in seen:
            seen.add(user.pk)
            out.append(user)
    return out


def _when(gesprek: Wijkgesprek) -> str:
    return formats.date_format(timezone.localtime(gesprek.starts_at), "l j F Y, H:i")


def wijkgesprek_notify(*, kind: str, pk: int) -> int:
    """Tell about one step, each person by their own mail choice and once per step:
    planned and meeting (the day before): all three sides; afspraak (due today or
    tomorrow): the side that owns it. Returns the number of mails sent now."""
    from initiatieven.notifications import notice_send

    with translation.override(settings.LANGUAGE_CODE):
        if kind == "afspraak":
            afspraak = (
                GesprekAfspraak.objects.select_related(
                    "gesprek__wijk", "gesprek__chair"
                )
                .filter(pk=pk)
                .first()
            )
            if afspraak is None:
                return 0
            gesprek = afspraak.gesprek
            users = _side(gesprek, afspraak.owner)
            title = _("Afspraak uit het wijkgesprek van %(wijk)s") % {
                "wijk": gesprek.wijk.name
            }
            text = _("%(what)s (klaar op %(due)s)") % {
                "what": afspraak.description,
                "due": formats.date_format(afspraak.due_date, "j F Y"),
            }
        else:
            found = (
                Wijkgesprek.objects.select_related("wijk", "chair")
                .filter(pk=pk)
                .first()
            )
            if found is None or kind not in ("planned", "meeting"):
                return 0
            gesprek = found
            users = _all_sides(gesprek)
            title = _("Wijkgesprek %(wijk)s") % {"wijk": gesprek.wijk.name}
            if kind == "planned":
                text = _("Er is een wijkgesprek gepland: %(when)s, %(place)s.")
            else:
                text = _("Morgen is het wijkgesprek: %(when)s, %(place)s.")
            text = text % {"when": _when(gesprek), "place": gesprek.place}
        return notice_send(
            users=users,
            title=title,
            text=text,
            url=gesprek.get_absolute_url(),
            key=f"wijkgesprek:{kind}:{pk}",
        ).sent


def wijkgesprek_send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Claim the meetings of the next 24 hours and the agreements due today or
    tomorrow (a conditional UPDATE: a second run finds nothing to claim) and send
    their notices through the outbox. Returns how many were claimed."""
    now = now or timezone.now()
    claimed = 0
    for pk in queries.meetings_due(now=now):
        with transaction.atomic():
            if Wijkgesprek.objects.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                _notify_on_commit("meeting", pk)
                claimed += 1
    for pk in queries.afspraken_due(now=now):
        with transaction.atomic():
            if GesprekAfspraak.objects.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                _notify_on_commit("afspraak", pk)
                claimed += 1
    return claimed

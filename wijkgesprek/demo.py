"""The demo's wijkgesprek, so a newcomer sees it at once (load_demo).

In the demo team's first wijk (where the demo resident lives):
- a meeting three weeks ago, chaired by a made-up neighbour, with its drafted agenda,
  public minutes and agreements for the team, the residents and the gemeente;
- a planned meeting in two weeks with a drafted agenda, chaired by the demo resident
  (whose turn it is: they said they want to chair and never did), with an independent
  facilitator. Logged in as the demo resident, you order its agenda.

Run after the themes, surveys and the bewonersagenda: the agenda is drafted from them.
The texts are written here and hold no personal data. A second run changes nothing.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from wijken.models import Wijk
from wijkgesprek.models import (
    AfspraakEigenaar,
    GesprekAfspraak,
    Voorzitter,
    Wijkgesprek,
)
from wijkgesprek.services import agenda_fill

log = logging.getLogger(__name__)

DEMO_DOMAIN = "demo.buurtwijs.nl"
PLACE = "Buurthuis De Ster, grote zaal"
FACILITATOR = "Buurtbemiddeling (onafhankelijk)"
MINUTES = (
    "Twintig bewoners, drie mensen van het wijkteam en twee van de gemeente praatten "
    "over de wijk.\n\n"
    "Eenzaamheid onder ouderen: het wijkteam ziet dit vaak. Bewoners willen een "
    "koffieochtend op dinsdag. Het wijkteam helpt met de ruimte.\n\n"
    "Het buurthuis is dicht: de gemeente zoekt een nieuwe plek en vertelt in het "
    "volgende wijkgesprek wat er kan.\n\n"
    "Verkeer bij de school: bewoners vragen een zebrapad. De gemeente kijkt ernaar."
)
AFSPRAKEN = (
    ("Een ruimte regelen voor de koffieochtend op dinsdag", AfspraakEigenaar.TEAM, 14),
    (
        "Vijf buren vragen om mee te doen met de koffieochtend",
        AfspraakEigenaar.BEWONERS,
        21,
    ),
    (
        "Laten weten welke plek er kan komen voor het buurthuis",
        AfspraakEigenaar.GEMEENTE,
        30,
    ),
)


def _neighbour(wijk: Wijk) -> User:
    email = f"voorzitter1@{DEMO_DOMAIN}"
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(
            email=email, display_name="Buurtgenoot Fatima", role=Role.BEWONER, wijk=wijk
        )
        user.set_unusable_password()
        user.save()
    return user


@transaction.atomic
def demo_wijkgesprek_load(*, wijk: Wijk) -> int:
    """Create the demo meetings in `wijk`; return how many exist there afterwards."""
    if Wijkgesprek.objects.filter(wijk=wijk).exists():
        return Wijkgesprek.objects.filter(wijk=wijk).count()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    resident = User.objects.filter(
        email__iexact=f"bewoner@{DEMO_DOMAIN}", wijk=wijk
    ).first()
    neighbour = _neighbour(wijk)
    Voorzitter.objects.get_or_create(wijk=wijk, user=neighbour)
    past = Wijkgesprek.objects.create(
        wijk=wijk,
        starts_at=(now - datetime.timedelta(days=21)).replace(hour=18, minute=30),
        place=PLACE,
        chair=neighbour,
        minutes=MINUTES,
        minutes_public=True,
        minutes_published_at=now - datetime.timedelta(days=19),
        reminded_at=now - datetime.timedelta(days=22),
    )
    agenda_fill(gesprek=past)
    meeting_day = timezone.localdate(past.starts_at)
    GesprekAfspraak.objects.bulk_create(
        GesprekAfspraak(
            gesprek=past,
            description=text,
            owner=owner,
            due_date=meeting_day + datetime.timedelta(days=days),
        )
        for text, owner, days in AFSPRAKEN
    )
    if resident is not None:
        Voorzitter.objects.get_or_create(wijk=wijk, user=resident)
    planned = Wijkgesprek.objects.create(
        wijk=wijk,
        starts_at=(now + datetime.timedelta(days=14)).replace(hour=19, minute=30),
        place=PLACE,
        chair=resident,
        facilitator=FACILITATOR,
    )
    agenda_fill(gesprek=planned)
    log.info("demo wijkgesprek: %s points planned in %s", planned.punten.count(), wijk)
    return Wijkgesprek.objects.filter(wijk=wijk).count()

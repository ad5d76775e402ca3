"""The demo's buurtverbinders, so a newcomer sees them at once (load_demo).

In the demo team's first wijk (where the demo resident lives):
- the demo resident (bewoner@…) is a buurtverbinder, granted by the demo professional;
- a made-up neighbour runs a small initiative with an open need; another lets
  connectors see their offer; the demo connector proposed the match and the helper
  said yes, the organiser has not yet (so no names are exchanged);
- a third neighbour asked to be welcomed;
- the connector's log has two lines (no personal data).
A second run changes nothing.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_EMAIL_DOMAIN, demo_neighbours
from accounts.models import User
from buurtverbinders.models import (
    ContactSoort,
    Koppeling,
    Logregel,
    Toestemming,
    Verbinder,
)
from buurtverbinders.services import consent_text
from initiatieven.models import Aanbod, Behoefte, BehoefteKind, Initiatief, Status
from wijken.models import Wijk

log = logging.getLogger(__name__)

INITIATIVE_TITLE = "Boodschappenmaatje"
INITIATIVE_SUMMARY = "Buren doen boodschappen voor buren die slecht ter been zijn."
NEED = "Iemand die op dinsdagochtend boodschappen wil doen"
OFFER = "Ik heb een bakfiets en tijd op dinsdag en donderdag."
LOG_LINES = (
    (ContactSoort.GESPREK, 6, "Gesprek bij de koffieochtend over boodschappenhulp."),
    (ContactSoort.KOPPELING, 2, "Boodschappenmaatje en een buur met een bakfiets."),
)


@transaction.atomic
def demo_buurtverbinders_load(*, wijk: Wijk) -> int:
    """Create the demo connector and their work in `wijk`; return the matches there."""
    connector = User.objects.filter(
        email__iexact=f"bewoner@{DEMO_EMAIL_DOMAIN}"
    ).first()
    if connector is None or connector.wijk_id != wijk.pk:
        log.info("demo buurtverbinders: no demo resident in %s", wijk.code)
        return 0
    granted_by = User.objects.filter(
        email__iexact=f"professional@{DEMO_EMAIL_DOMAIN}"
    ).first()
    if not Verbinder.objects.filter(
        user=connector, wijk=wijk, revoked_at__isnull=True
    ).exists():
        Verbinder.objects.create(user=connector, wijk=wijk, granted_by=granted_by)
    helper, organiser, newcomer = demo_neighbours(wijk, 3)
    initiatief, _created = Initiatief.objects.get_or_create(
        wijk=wijk,
        title=INITIATIVE_TITLE,
        defaults={
            "summary": INITIATIVE_SUMMARY,
            "owner": organiser,
            "status": Status.ACTIEF,
        },
    )
    behoefte = initiatief.behoeften.filter(description=NEED).first()
    if behoefte is None:
        behoefte = Behoefte.objects.create(
            initiatief=initiatief, kind=BehoefteKind.VRIJWILLIGERS, description=NEED
        )
    Aanbod.objects.get_or_create(user=helper, defaults={"talents": OFFER})
    Toestemming.objects.get_or_create(
        user=helper,
        defaults={"wijk": wijk, "share_offer": True, "consent_text": consent_text()},
    )
    Toestemming.objects.get_or_create(
        user=newcomer,
        defaults={"wijk": wijk, "welcome": True, "consent_text": consent_text()},
    )
    now = timezone.now()
    Koppeling.objects.get_or_create(
        behoefte=behoefte,
        helper=helper,
        defaults={
            "wijk": wijk,
            "verbinder": connector,
            "helper_confirmed_at": now - datetime.timedelta(days=1),
        },
    )
    if not Logregel.objects.filter(wijk=wijk, verbinder=connector).exists():
        today = timezone.localdate()
        for kind, days, note in LOG_LINES:
            Logregel.objects.create(
                wijk=wijk,
                verbinder=connector,
                kind=kind,
                date=today - datetime.timedelta(days=days),
                note=note,
            )
    log.info("demo buurtverbinders in %s", wijk.code)
    return Koppeling.objects.filter(wijk=wijk).count()

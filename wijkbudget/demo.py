"""The demo's wijkbudget: in the first wijk, an open round in its voting weeks with
requests, the team's advice and some votes (so a newcomer sees a live ballot and can
vote as the demo resident), and a finished round with votes, decisions and spending
(so the results page, the CSV and the accounting have something to show).

Running it again changes nothing. Demo votes are written as the services write them:
the ballot apart from who voted.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_EMAIL_DOMAIN, demo_neighbours
from accounts.models import User
from initiatieven.models import Initiatief
from signalen.answers.queries import public_themes_for_wijk
from signalen.models import WijkThema
from wijkbudget import codes as vote_codes
from wijkbudget.models import (
    Aanvraag,
    Advies,
    Besluit,
    Keuze,
    Ronde,
    Stembiljet,
    Stemcode,
    StemcodeReeks,
    Stemmer,
    Uitgave,
)
from wijken.models import Gemeente

RULES = (
    "Het wijkbudget is voor plannen van bewoners die de wijk samen beter maken.\n\n"
    "- Een plan heeft een initiatief op Buurtwijs in deze wijk.\n"
    "- Het plan is voor iedereen in de wijk, niet voor één persoon of bedrijf.\n"
    "- Het plan is binnen een jaar klaar.\n"
    "- U laat zien waaraan u het geld besteedt, met de bonnen.\n\n"
    "Bewoners van de wijk stemmen. De gemeente besluit daarna, met de stemmen en het "
    "advies van het wijkteam erbij."
)

# (initiative title, amount, purpose, breakdown, advice, advice text)
OPEN_REQUESTS = [
    (
        "Wandelclub De Wagenweg",
        900,
        "Een rollator-route met bankjes en bordjes, zodat ook wie minder goed loopt "
        "mee kan wandelen.",
        [("Twee bankjes", 600), ("Bordjes voor de route", 200), ("Koffie", 100)],
        Advies.HAALBAAR,
        "Goed plan. Het helpt ouderen die nu thuis blijven om weer mee te doen.",
    ),
    (
        "Repair Café Demostad",
        1500,
        "Gereedschap en een naaimachine, zodat we elke maand meer kunnen repareren.",
        [("Gereedschapskist", 400), ("Naaimachine", 700), ("Soldeerstation", 400)],
        Advies.HAALBAAR,
        "Haalbaar. Het buurthuis heeft ruimte om het gereedschap op te bergen.",
    ),
    (
        "Huiswerkklas De Boekenwurm",
        2000,
        "Laptops voor kinderen die thuis geen computer hebben.",
        [("Vier laptops", 1800), ("Printer", 200)],
        Advies.AANPASSEN,
        "Haalbaar, maar vraag eerst of de school laptops kan uitlenen. Dan is "
        "minder geld nodig.",
    ),
    (
        "Taalcafé",
        600,
        "Lesboeken en koffie voor de wekelijkse taalavond.",
        [("Lesboeken", 350), ("Koffie en thee", 250)],
        Advies.HAALBAAR,
        "",
    ),
]
# How many of the demo votes choose each request (by index above).
OPEN_VOTES = [(0, 1), (1,), (0, 3), (1, 3), (0, 1, 3), (2,), (0,)]
CLOSED_VOTES = [(0,), (0, 1), (1,), (0,), (0, 1), (0,)]


def _people() -> dict[str, User | None]:
    return {
        "officer": User.objects.filter(
            email__iexact=f"ambtenaar@{DEMO_EMAIL_DOMAIN}"
        ).first(),
        "professional": User.objects.filter(
            email__iexact=f"professional@{DEMO_EMAIL_DOMAIN}"
        ).first(),
    }


def _votes(
    ronde: Ronde,
    aanvragen: list[Aanvraag],
    votes: list[tuple[int, ...]],
    *,
    day: datetime.date,
    codes: bool,
) -> None:
    """Demo ballots. A round votes either with accounts (made-up neighbours, never
    the demo resident, who may still vote) or with printed codes (a used demo batch), never both: with
    codes out every address votes once with its letter."""
    if codes:
        reeks = StemcodeReeks.objects.create(ronde=ronde, size=len(votes), note="Demo")
        for _choice in votes:
            Stemcode.objects.create(
                ronde=ronde,
                reeks=reeks,
                code_hash=vote_codes.code_hash(vote_codes.code_new()),
                used_on=day,
            )
    else:
        voters = demo_neighbours(ronde.wijk, len(votes))
        for voter in voters:
            Stemmer.objects.create(ronde=ronde, user=voter, voted_on=day)
    for choice in votes:
        ballot = Stembiljet.objects.create(ronde=ronde)
        Keuze.objects.bulk_create(
            [Keuze(stembiljet=ballot, aanvraag=aanvragen[i]) for i in choice]
        )


@transaction.atomic
def demo_wijkbudget_load(*, gemeente: Gemeente) -> int:
    """Create the demo rounds in the gemeente's first wijk. Returns how many rounds
    the wijk has afterwards."""
    wijk = gemeente.wijken.filter(is_active=True).order_by("code").first()
    if wijk is None:
        return 0
    today = timezone.localdate()
    people = _people()
    initiatieven = {
        i.title: i for i in Initiatief.objects.filter(wijk=wijk, is_hidden=False)
    }
    themes = public_themes_for_wijk(wijk)
    theme_objects = list(WijkThema.objects.filter(pk__in=[t.pk for t in themes[:2]]))

    title = f"Wijkbudget {wijk.name} {today.year + 1}"
    ronde, created = Ronde.objects.get_or_create(
        wijk=wijk,
        title=title,
        defaults={
            "amount": 5000,
            "rules": RULES,
            "requests_open": today - datetime.timedelta(days=35),
            "requests_close": today - datetime.timedelta(days=8),
            "vote_open": today - datetime.timedelta(days=2),
            "vote_close": today + datetime.timedelta(days=19),
            "created_by": people["officer"],
        },
    )
    if created:
        aanvragen = []
        for name, amount, purpose, breakdown, advice, text in OPEN_REQUESTS:
            initiatief = initiatieven.get(name)
            if initiatief is None:
                continue
            aanvraag = Aanvraag.objects.create(
                ronde=ronde,
                initiatief=initiatief,
                amount=amount,
                purpose=purpose,
                breakdown=[{"what": w, "amount": a} for w, a in breakdown],
                submitted_by=initiatief.owner,
                advice=advice,
                advice_text=text,
                advice_by=people["professional"],
                advice_at=timezone.now(),
            )
            if advice == Advies.HAALBAAR and theme_objects:
                aanvraag.advice_themas.set(theme_objects[:1])
            aanvragen.append(aanvraag)
        if len(aanvragen) == len(OPEN_REQUESTS):
            _votes(
                ronde,
                aanvragen,
                OPEN_VOTES,
                day=today - datetime.timedelta(days=1),
                codes=False,
            )

    past_title = f"Wijkbudget {wijk.name} {today.year}"
    past, created = Ronde.objects.get_or_create(
        wijk=wijk,
        title=past_title,
        defaults={
            "amount": 2500,
            "rules": RULES,
            "requests_open": today - datetime.timedelta(days=200),
            "requests_close": today - datetime.timedelta(days=170),
            "vote_open": today - datetime.timedelta(days=160),
            "vote_close": today - datetime.timedelta(days=140),
            "created_by": people["officer"],
        },
    )
    if created:
        done = []
        for name, amount in (("Taalcafé", 800), ("Repair Café Demostad", 1200)):
            initiatief = initiatieven.get(name)
            if initiatief is None:
                continue
            done.append(
                Aanvraag.objects.create(
                    ronde=past,
                    initiatief=initiatief,
                    amount=amount,
                    purpose="Materiaal en koffie voor een jaar bijeenkomsten.",
                    breakdown=[{"what": "Materiaal", "amount": amount}],
                    submitted_by=initiatief.owner,
                    advice=Advies.HAALBAAR,
                    advice_by=people["professional"],
                    advice_at=timezone.now(),
                    decision=Besluit.TOEGEKEND,
                    decision_amount=amount,
                    decision_reason="Veel stemmen en een positief advies.",
                    decided_by=people["officer"],
                    decided_at=timezone.now(),
                )
            )
        if len(done) == 2:
            _votes(past, done, CLOSED_VOTES, day=past.vote_open, codes=True)
            Uitgave.objects.create(
                aanvraag=done[0],
                amount=Decimal("312.45"),
                text="Lesboeken en woordenboeken voor de taalavond.",
                spent_on=past.vote_close + datetime.timedelta(days=20),
                author=done[0].initiatief.owner,
            )
    return Ronde.objects.filter(wijk=wijk).count()

"""The demo's collective loop: a recognised, shared, answered and escalated theme, and a goal."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.demo import DEMO_EMAIL_DOMAIN
from accounts.models import Team, User
from initiatieven.models import Initiatief
from signalen.demo.signals import DEMO_AUTHORS
from signalen.models import (
    Doelgroep,
    DoelVoortgang,
    Escalatie,
    EscalatieStatus,
    ThemaInitiatief,
    ThemaStatus,
    ThemaZichtbaarheid,
    WijkDoel,
    WijkThema,
)
from wijken.models import Wijk

log = logging.getLogger(__name__)


DEMO_OFFICER = f"ambtenaar@{DEMO_EMAIL_DOMAIN}"


# Which roll-up theme plays which part: a word the engine puts in the theme's label.
LOOP_SHARED = "energierekening"  # erkend, shared with the gemeente


LOOP_CALL = "buurthuis"  # erkend, initiative linked (opgepakt), public call


LOOP_ESCALATED = "schimmel"  # erkend, shared, sent to the gemeente (ontvangen)


LOOP_INITIATIEF = "Wandelclub De Wagenweg"


LOOP_CALL_TITLE = "Samen een nieuwe ontmoetingsplek voor ouderen"


LOOP_CALL_TEXT = (
    "Het buurthuis is gesloten. Veel oudere buren in Centrum missen nu een vaste plek "
    "om elkaar te zien.\n\n"
    "Het wijkteam zoekt bewoners die willen helpen om weer iets wekelijks op te zetten: "
    "een kop koffie, een wandeling of een middag kaarten. De wandelclub doet al mee. "
    "Heeft u een idee, een ruimte of een paar uur tijd? Doe mee!"
)


LOOP_ESCALATION_TITLE = "Natte huizen maken kinderen in Centrum ziek"


LOOP_ESCALATION_ARGUMENT = (
    "Het wijkteam ziet al maanden gezinnen met kinderen in vochtige huurwoningen. "
    "Huisarts en school zien de gevolgen: kinderen hoesten en missen lessen. Bewoners "
    "melden het bij de verhuurder, maar er verandert weinig. Dit lossen bewoners en "
    "het wijkteam niet alleen op."
)


LOOP_ESCALATION_REQUEST = (
    "Wilt u dit bespreken met de woningcorporatie en laten weten welke afspraken de "
    "gemeente maakt over aanpak van vocht en schimmel?"
)


LOOP_GOAL_TITLE = "Oudere bewoners doen weer mee aan een wekelijkse activiteit"


LOOP_GOAL_INDICATOR = "ouderen die elke week meedoen aan een activiteit in de wijk"


def _loop_theme(wijk: Wijk, word: str) -> WijkThema | None:
    return (
        WijkThema.objects.filter(wijk=wijk, is_current=True)
        .filter(label__icontains=word)
        .exclude(status=ThemaStatus.VERWORPEN)
        .select_related("wijk", "wijk__gemeente")
        .order_by("-size", "pk")
        .first()
    )


def _recognise(thema: WijkThema, actor: User, *, share: bool) -> None:
    from signalen.themes.services import theme_confirm, theme_set_visibility

    if thema.status == ThemaStatus.GESIGNALEERD:
        theme_confirm(thema=thema, actor=actor)
    if share and thema.visibility == ThemaZichtbaarheid.TEAM:
        theme_set_visibility(
            thema=thema, actor=actor, visibility=ThemaZichtbaarheid.GEMEENTE
        )


def _loop_call(thema: WijkThema, actor: User, wijk: Wijk) -> None:
    from signalen.answers.services import answer_link, theme_publish

    _recognise(thema, actor, share=False)
    initiatief = Initiatief.objects.filter(
        wijk=wijk, title=LOOP_INITIATIEF, is_hidden=False
    ).first()
    if (
        initiatief is not None
        and not ThemaInitiatief.objects.filter(
            thema=thema, initiatief=initiatief
        ).exists()
    ):
        answer_link(
            actor=actor,
            thema=thema,
            initiatief=initiatief,
            note="De wandelclub ontmoet elke week ouderen uit de wijk.",
        )
    if thema.public_approved_at is None:
        theme_publish(
            actor=actor,
            thema=thema,
            title=LOOP_CALL_TITLE,
            text=LOOP_CALL_TEXT,
            is_call=True,
        )


def _loop_escalation(thema: WijkThema, actor: User, officer: User | None) -> None:
    from signalen.escalations.services import escalation_receive, escalation_send

    _recognise(thema, actor, share=True)
    escalatie = Escalatie.objects.filter(thema=thema).order_by("pk").first()
    if escalatie is None:
        escalatie = escalation_send(
            actor=actor,
            thema=thema,
            title=LOOP_ESCALATION_TITLE,
            argument=LOOP_ESCALATION_ARGUMENT,
            request=LOOP_ESCALATION_REQUEST,
        )
    if officer is not None and escalatie.status == EscalatieStatus.VERSTUURD:
        escalation_receive(actor=officer, escalatie=escalatie)


def _loop_goal(
    wijk: Wijk,
    actor: User,
    officer: User | None,
    thema: WijkThema | None,
    today: datetime.date,
) -> None:
    from signalen.goals.services import goal_create, progress_add

    doel = WijkDoel.objects.filter(wijk=wijk, title=LOOP_GOAL_TITLE).first()
    if doel is None:
        doel = goal_create(
            actor=actor,
            wijk=wijk,
            today=today,
            data={
                "title": LOOP_GOAL_TITLE,
                "indicator": LOOP_GOAL_INDICATOR,
                "start_value": 0,
                "target_value": 40,
                "start_date": today - datetime.timedelta(days=60),
                "deadline": today + datetime.timedelta(days=120),
                "doelgroep": Doelgroep.objects.filter(
                    code="ouderen", is_active=True
                ).first(),
                "thema": thema,
                "agreed_by": officer,
            },
        )
    if not DoelVoortgang.objects.filter(doel=doel).exists():
        for days_ago, value, note in (
            (35, 6, "Eerste wandelingen met ouderen uit de seniorenflat."),
            (7, 14, "Kaartmiddag in de kerkzaal erbij gekomen."),
        ):
            progress_add(
                doel=doel,
                actor=actor,
                date=today - datetime.timedelta(days=days_ago),
                value=value,
                note=note,
                today=today,
            )


def demo_loop_load(
    *, team: Team, wijk: Wijk, now: datetime.datetime | None = None
) -> None:
    """Show the collective loop in the demo wijk (see the module docstring). Each step
    is skipped when its result exists; a step the rules refuse is logged and left out,
    so the rest of the demo still loads."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    actor = (
        User.objects.filter(email=DEMO_AUTHORS[0], teams=team, is_active=True)
        .order_by("pk")
        .first()
    )
    if actor is None:
        return
    officer = User.objects.filter(
        email=DEMO_OFFICER, gemeente_id=wijk.gemeente_id, is_active=True
    ).first()
    steps = (
        ("shared", LOOP_SHARED, lambda t: _recognise(t, actor, share=True)),
        ("call", LOOP_CALL, lambda t: _loop_call(t, actor, wijk)),
        ("escalation", LOOP_ESCALATED, lambda t: _loop_escalation(t, actor, officer)),
    )
    for name, word, step in steps:
        thema = _loop_theme(wijk, word)
        if thema is None:
            log.info("demo loop step %s skipped: no theme with %r", name, word)
            continue
        try:
            step(thema)
        except ValidationError as error:
            log.warning("demo loop step %s refused: %s", name, error)
    # Read after the steps: the call is now shared, which a goal's theme must be.
    call = _loop_theme(wijk, LOOP_CALL)
    try:
        _loop_goal(wijk, actor, officer, call, today)
    except ValidationError as error:
        log.warning("demo loop goal refused: %s", error)

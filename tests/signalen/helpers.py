"""A factory and helpers for the signalen tests."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from signalen.intake.facts import logged_week
from signalen.kanon import block_start
from signalen.models import (
    Bron,
    Categorie,
    Signaal,
    SignaalFeit,
    ThemaLid,
    ThemaStatus,
    WijkThema,
)

EXAMPLE = (
    "Ouderen in de flat aan de Kade voelen zich alleen sinds het buurthuis dicht is."
)


class SignaalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signaal
        skip_postgeneration_save = True

    categorie = factory.LazyFunction(lambda: Categorie.objects.get(code="eenzaamheid"))
    bron = factory.LazyFunction(lambda: Bron.objects.get(code="huisbezoek"))
    text = "Veel ouderen in de flat komen de deur niet meer uit."
    observed_on = factory.LazyFunction(timezone.localdate)
    wijk = factory.LazyAttribute(lambda o: o.team.wijken.first())

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        signaal = super()._create(model_class, *args, **kwargs)
        # Logged on the day it was seen (at noon), as most signals are: outside the
        # team a signal counts in the block in which it was logged
        # (signalen.intake.facts). A test of a signal dated back says created_at.
        observed = signaal.observed_on
        if observed < timezone.localdate(signaal.created_at):
            logged = timezone.make_aware(
                datetime.datetime.combine(observed, datetime.time(12))
            )
            Signaal.objects.filter(pk=signaal.pk).update(
                created_at=logged, updated_at=logged
            )
            signaal.refresh_from_db(fields=["created_at", "updated_at"])
        return signaal

    @factory.post_generation
    def doelgroepen(self, create: bool, extracted: list | None, **kwargs: object):
        if create and extracted:
            self.doelgroepen.set(extracted)

    @factory.post_generation
    def feit(self, create: bool, extracted: object, **kwargs: object):
        """The signal's frozen fact, as the services write it (no counts: tests that
        need SignaalTelling rows make them, or run the roll-up)."""
        if create and self.withdrawn_at is None:
            fact_make(self)


def fact_make(signaal: Signaal) -> SignaalFeit:
    """(Re)write the signal's fact from its current fields and created_at."""
    SignaalFeit.objects.filter(signaal=signaal).delete()
    feit = SignaalFeit.objects.create(
        signaal=signaal,
        wijk_id=signaal.wijk_id,
        buurt_id=signaal.buurt_id,
        categorie_id=signaal.categorie_id,
        week=logged_week(signaal.created_at),
    )
    feit.doelgroepen.set(signaal.doelgroepen.all())
    return feit


def make_signaal(*, author, team, created_at: datetime.datetime | None = None, **kw):
    signaal = SignaalFactory(author=author, team=team, **kw)
    if created_at is not None:
        Signaal.objects.filter(pk=signaal.pk).update(created_at=created_at)
        signaal.refresh_from_db()
        SignaalFeit.objects.filter(signaal=signaal).update(week=logged_week(created_at))
    return signaal


def mail_at_once(*users):
    """These people chose a mail for each message (the default is the daily digest)."""
    from initiatieven.models import Frequentie, Meldingsvoorkeur

    for user in users:
        Meldingsvoorkeur.objects.update_or_create(
            user=user, defaults={"frequency": Frequentie.DIRECT}
        )


def last_block_day() -> datetime.date:
    """A day in the last complete 4-week block: sizes shown outside the team count
    complete blocks only (signalen.themes.queries.theme_outside_sizes)."""
    return block_start(timezone.localdate()) - datetime.timedelta(days=1)


def make_thema(wijk, *, signalen=(), **fields) -> WijkThema:
    """A current theme of the wijk with these signals as members; `fields` override
    the defaults (an acknowledged theme of two authors in the category eenzaamheid)."""
    defaults = {
        "label": "ouderen, flat, buurthuis",
        "keywords": ["ouderen", "flat", "buurthuis"],
        "size": len(signalen),
        "authors": 2,
        "last_observed_on": timezone.localdate(),
        "categorie": Categorie.objects.get(code="eenzaamheid"),
        "status": ThemaStatus.ERKEND,
    }
    defaults.update(fields)
    thema = WijkThema.objects.create(wijk=wijk, **defaults)
    for signaal in signalen:
        ThemaLid.objects.create(thema=thema, signaal=signaal)
    return thema


def second_professional(thema, *, not_user):
    """A professional of the theme's wijk other than `not_user` (made when none is)."""
    from accounts.models import Role, Team, User
    from tests.factories import UserFactory

    teams = Team.objects.filter(wijken=thema.wijk)
    other = (
        User.objects.filter(role=Role.PROFESSIONAL, teams__in=teams)
        .exclude(pk=not_user.pk)
        .order_by("pk")
        .first()
    )
    if other is None:
        other = UserFactory(role=Role.PROFESSIONAL, display_name="Vera Vierogen")
        teams.first().members.add(other)
    return other


def publish_approved(*, actor, thema, title, text, is_call, approver=None):
    """Propose the public text and have a colleague approve it (vier ogen)."""
    from signalen.answers import publication
    from signalen.answers.services import theme_publish

    proposal = theme_publish(
        actor=actor, thema=thema, title=title, text=text, is_call=is_call
    )
    publication.publication_approve(
        actor=approver or second_professional(thema, not_user=actor),
        publicatie=proposal,
    )
    thema.refresh_from_db()  # as theme_publish left the caller's object before
    return proposal

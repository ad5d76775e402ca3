"""A factory and helpers for the signalen tests."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from signalen.models import Bron, Categorie, Signaal


class SignaalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signaal
        skip_postgeneration_save = True

    categorie = factory.LazyFunction(lambda: Categorie.objects.get(code="eenzaamheid"))
    bron = factory.LazyFunction(lambda: Bron.objects.get(code="huisbezoek"))
    text = "Veel ouderen in de flat komen de deur niet meer uit."
    observed_on = factory.LazyFunction(timezone.localdate)
    wijk = factory.LazyAttribute(lambda o: o.team.wijken.first())

    @factory.post_generation
    def doelgroepen(self, create: bool, extracted: list | None, **kwargs: object):
        if create and extracted:
            self.doelgroepen.set(extracted)


def make_signaal(*, author, team, created_at: datetime.datetime | None = None, **kw):
    signaal = SignaalFactory(author=author, team=team, **kw)
    if created_at is not None:
        Signaal.objects.filter(pk=signaal.pk).update(created_at=created_at)
        signaal.refresh_from_db()
    return signaal


def mail_at_once(*users):
    """These people chose a mail for each message (the default is the daily digest)."""
    from initiatieven.models import Frequentie, Meldingsvoorkeur

    for user in users:
        Meldingsvoorkeur.objects.update_or_create(
            user=user, defaults={"frequency": Frequentie.DIRECT}
        )

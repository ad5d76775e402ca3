"""factory_boy factories for the whole suite."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from accounts.models import Role, Team, User
from wijken.models import Buurt, Gemeente, Kerncijfers, Wijk


# A small square around a point, as GeoJSON (WGS84).
def square(lon: float, lat: float, size: float = 0.01) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [lon, lat],
                [lon + size, lat],
                [lon + size, lat + size],
                [lon, lat + size],
                [lon, lat],
            ]
        ],
    }


class GemeenteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gemeente
        django_get_or_create = ("code",)

    # Four digits (CBS codes are GM + 4): the sequence runs past 1,000 in a full run.
    code = factory.Sequence(lambda n: f"GM{9000 + n % 1000:04d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")
    geometry = factory.LazyFunction(lambda: square(5.0, 52.0, 0.1))


class WijkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wijk
        django_get_or_create = ("code",)

    gemeente = factory.SubFactory(GemeenteFactory)
    code = factory.LazyAttributeSequence(
        lambda o, n: f"WK{o.gemeente.code[2:]}{n % 100:02d}"
    )
    name = factory.Sequence(lambda n: f"Testwijk {n}")
    geometry = factory.LazyFunction(lambda: square(5.0, 52.0, 0.02))


class BuurtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Buurt
        django_get_or_create = ("code",)

    wijk = factory.SubFactory(WijkFactory)
    code = factory.LazyAttributeSequence(
        lambda o, n: f"BU{o.wijk.code[2:]}{n % 100:02d}"
    )
    name = factory.Sequence(lambda n: f"Testbuurt {n}")
    geometry = factory.LazyFunction(lambda: square(5.0, 52.0, 0.005))


class KerncijfersFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kerncijfers

    level = "wijk"
    code = factory.Sequence(lambda n: f"WK9999{n % 100:02d}")
    year = 2024
    inhabitants = 5000
    households = 2400


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.nl")
    display_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    role = Role.BEWONER
    password = factory.PostGenerationMethodCall("set_password", "geheim-wachtwoord-123")

    @factory.post_generation
    def verified_email(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self,
                email=self.email,
                defaults={"verified": True, "primary": True},
            )


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Wijkteam {n}")
    gemeente = factory.SubFactory(GemeenteFactory)

    @factory.post_generation
    def wijken(
        self, create: bool, extracted: list[Wijk] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.wijken.add(*extracted)

    @factory.post_generation
    def members(
        self, create: bool, extracted: list[User] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.members.add(*extracted)

from __future__ import annotations

import io

import factory
from PIL import Image

from initiatieven.models import Behoefte, Deelname, Initiatief
from tests.factories import UserFactory, WijkFactory


class InitiatiefFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiatief
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Initiatief {n}")
    summary = "Samen iets doen in de buurt."
    description = ""
    wijk = factory.SubFactory(WijkFactory)
    owner = factory.SubFactory(UserFactory)

    @factory.post_generation
    def themas(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.themas.set(extracted)  # type: ignore[attr-defined]


class BehoefteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Behoefte

    initiatief = factory.SubFactory(InitiatiefFactory)
    kind = "vrijwilligers"
    description = "Twee mensen die willen helpen."


class DeelnameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deelname

    initiatief = factory.SubFactory(InitiatiefFactory)
    user = factory.SubFactory(UserFactory)
    kind = "doe_mee"


def jpeg_bytes(size: tuple[int, int] = (64, 48), *, exif_gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "TestCamera"  # Make
        exif[0x8825] = {1: "N", 2: (52.0, 30.0, 0.0)}  # GPSInfo
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()

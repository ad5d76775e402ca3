"""Bad input on the start form: a clear Dutch message, what was typed is kept, nothing
is saved."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from initiatieven.models import Initiatief
from tests.initiatieven.factories import jpeg_bytes

pytestmark = pytest.mark.django_db


def _post(client, data, files=None):
    payload = {
        "title": "Moestuin Achterom",
        "summary": "Samen groente kweken.",
        "status": "idee",
        "confirm_new": "1",
        **data,
    }
    if files:
        payload.update(files)
    return client.post(reverse("initiatieven:create"), payload)


@pytest.fixture
def logged_in(client, bewoner):
    client.force_login(bewoner)
    return client


def assert_refused(response, message, *kept):
    body = response.content.decode()
    assert response.status_code == 400  # like every other form with errors
    assert "Er is iets niet goed ingevuld." in body
    assert message in body, body[:3000]
    for text in kept:
        assert text in body
    assert Initiatief.objects.count() == 0


def test_empty_form_names_each_missing_field(logged_in):
    response = logged_in.post(reverse("initiatieven:create"), {})
    body = response.content.decode()
    assert "Vul een titel in." in body
    assert "Vul een korte samenvatting in." in body
    assert Initiatief.objects.count() == 0


def test_a_too_long_title_is_refused_and_kept(logged_in, wijk):
    response = _post(logged_in, {"title": "x" * 121, "wijk": wijk.pk})
    assert_refused(response, "De titel mag hoogstens 120 tekens zijn.", "x" * 121)


def test_a_too_long_summary_is_refused(logged_in, wijk):
    response = _post(logged_in, {"summary": "y" * 281, "wijk": wijk.pk})
    assert_refused(response, "De samenvatting mag hoogstens 280 tekens zijn.")


def test_script_tags_in_the_title_are_refused_and_shown_escaped(logged_in, wijk):
    response = _post(logged_in, {"title": "<script>alert(1)</script>", "wijk": wijk.pk})
    assert_refused(response, "Gebruik geen &lt; of &gt; in dit veld.")
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


def test_an_unknown_wijk_is_refused(logged_in):
    response = _post(logged_in, {"wijk": 999999, "description": "Mijn verhaal"})
    assert_refused(
        response, "Kies een wijk uit de lijst.", "Mijn verhaal", "Moestuin Achterom"
    )


def test_a_wijk_id_that_is_not_a_number_is_refused(logged_in):
    response = _post(logged_in, {"wijk": "abc"})
    assert_refused(response, "Kies een wijk uit de lijst.")


def test_a_wijk_of_another_gemeente_is_refused(logged_in, outsider_wijk):
    response = _post(logged_in, {"wijk": outsider_wijk.pk})
    assert_refused(response, "Kies een wijk uit de lijst.")


def test_a_buurt_of_another_wijk_is_refused(logged_in, wijk, other_buurt):
    response = _post(logged_in, {"wijk": wijk.pk, "buurt": other_buurt.pk})
    assert_refused(response, "Deze buurt hoort niet bij de gekozen wijk.")


def test_an_unknown_status_is_refused(logged_in, wijk):
    response = _post(logged_in, {"wijk": wijk.pk, "status": "geweldig"})
    assert_refused(response, "Kies een van de mogelijkheden.")


def test_a_pdf_renamed_to_jpg_is_refused(logged_in, wijk):
    pdf = SimpleUploadedFile(
        "foto.jpg", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "image/jpeg"
    )
    response = _post(logged_in, {"wijk": wijk.pk}, {"photo": pdf})
    assert_refused(
        response, "Dit bestand is geen foto die wij kunnen lezen.", "Moestuin Achterom"
    )


def test_a_text_file_is_refused(logged_in, wijk):
    text = SimpleUploadedFile("notities.txt", b"hallo", "text/plain")
    response = _post(logged_in, {"wijk": wijk.pk}, {"photo": text})
    assert_refused(response, "Dit bestand is geen foto die wij kunnen lezen.")


def test_a_20_mb_image_is_refused(logged_in, wijk):
    # A real JPEG with 20 MB after it: image viewers open it, we refuse the size.
    big = jpeg_bytes() + b"\0" * (20 * 1024 * 1024)
    upload = SimpleUploadedFile("groot.jpg", big, "image/jpeg")
    response = _post(logged_in, {"wijk": wijk.pk}, {"photo": upload})
    assert_refused(response, "Deze foto is te groot. Kies een foto van hoogstens 5 MB.")


def test_a_photo_is_re_encoded_scaled_and_stripped_of_location(logged_in, wijk):
    upload = SimpleUploadedFile(
        "vakantie.jpg", jpeg_bytes((3000, 2000), exif_gps=True), "image/jpeg"
    )
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif().get(0x8825)  # the test photo carries a location
    upload.seek(0)
    response = _post(
        logged_in, {"wijk": wijk.pk, "photo_alt": "Een moestuin"}, {"photo": upload}
    )
    assert response.status_code == 302
    initiatief = Initiatief.objects.get()
    assert initiatief.photo.name.endswith(".jpg")
    assert "vakantie" not in initiatief.photo.name
    with initiatief.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert max(image.size) == 1600
        assert not image.getexif()
        assert "exif" not in image.info


def _png_header(width: int, height: int) -> bytes:
    """A PNG that promises width x height pixels: a header and hardly any data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (8_000, 8_000),  # 64 million: above our limit, below Pillow's warning
        (10_000, 10_000),  # 100 million: Pillow warns (DecompressionBombWarning)
        (30_000, 30_000),  # 900 million: Pillow refuses (DecompressionBombError)
    ],
)
def test_a_png_decompression_bomb_gets_the_too_many_pixels_message(
    logged_in, wijk, width, height
):
    upload = SimpleUploadedFile("bom.png", _png_header(width, height), "image/png")
    response = _post(logged_in, {"wijk": wijk.pk}, {"photo": upload})
    assert_refused(
        response, "Deze foto heeft te veel beeldpunten. Kies een kleinere foto."
    )


def test_the_edit_form_with_errors_answers_400(client, bewoner, wijk):
    from tests.initiatieven.factories import InitiatiefFactory

    initiatief = InitiatiefFactory(owner=bewoner, wijk=wijk)
    client.force_login(bewoner)
    response = client.post(
        reverse("initiatieven:update", args=[initiatief.pk]),
        {"title": "", "summary": "", "wijk": wijk.pk, "status": "idee"},
    )
    assert response.status_code == 400
    assert "Vul een titel in." in response.content.decode()


def test_a_png_with_transparency_becomes_a_jpeg(logged_in, wijk):
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, format="PNG")
    upload = SimpleUploadedFile("logo.png", out.getvalue(), "image/png")
    response = _post(logged_in, {"wijk": wijk.pk}, {"photo": upload})
    assert response.status_code == 302
    assert Initiatief.objects.get().photo.name.endswith(".jpg")


def test_a_behoefte_without_description_is_refused_on_the_detail_page(
    client, initiatief, bewoner
):
    client.force_login(bewoner)
    response = client.post(
        reverse("initiatieven:behoefte-add", args=[initiatief.pk]),
        {"behoefte-kind": "geld", "behoefte-description": ""},
    )
    assert response.status_code == 400
    assert "Vul een omschrijving in." in response.content.decode()
    assert initiatief.behoeften.count() == 0


def test_an_unknown_behoefte_kind_is_refused(client, initiatief, bewoner):
    client.force_login(bewoner)
    response = client.post(
        reverse("initiatieven:behoefte-add", args=[initiatief.pk]),
        {"behoefte-kind": "<b>", "behoefte-description": "Iets"},
    )
    assert response.status_code == 400
    assert "Kies een van de mogelijkheden." in response.content.decode()


def test_a_partner_with_html_is_refused(client, initiatief, bewoner):
    client.force_login(bewoner)
    response = client.post(
        reverse("initiatieven:partner-add", args=[initiatief.pk]),
        {"partner-kind": "ondernemers", "partner-name": "<img src=x onerror=alert(1)>"},
    )
    assert response.status_code == 400
    assert "<img src=x" not in response.content.decode()
    assert initiatief.partners.count() == 0


def test_an_unknown_participation_kind_is_refused(client, initiatief, bewoner):
    client.force_login(bewoner)
    response = client.post(
        reverse("initiatieven:deelname", args=[initiatief.pk]), {"kind": "baas"}
    )
    assert response.status_code == 400


def test_aanbod_with_words_for_hours_is_refused_and_kept(client, bewoner):
    client.force_login(bewoner)
    response = client.post(
        reverse("initiatieven:aanbod"),
        {"talents": "Koken", "kinds": ["kennis"], "hours_per_month": "veel"},
    )
    body = response.content.decode()
    assert "Vul een heel getal in." in body
    assert "Koken" in body


def test_the_photo_is_served_by_the_app_and_hidden_with_its_initiative(logged_in, wijk):
    from django.test import Client

    anonymous = Client()
    upload = SimpleUploadedFile("tuin.jpg", jpeg_bytes((40, 30)), "image/jpeg")
    _post(logged_in, {"wijk": wijk.pk, "photo_alt": "Een tuin"}, {"photo": upload})
    initiatief = Initiatief.objects.get()
    url = reverse("initiatieven:photo", args=[initiatief.pk])
    assert url in logged_in.get(initiatief.get_absolute_url()).content.decode()
    response = anonymous.get(url)  # anonymous visitors see public photos
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    initiatief.is_hidden = True
    initiatief.save()
    assert anonymous.get(url).status_code == 404
    assert logged_in.get(url).status_code == 200  # the owner still sees it


def test_an_initiative_without_a_photo_has_no_photo_url(client, initiatief):
    assert (
        client.get(reverse("initiatieven:photo", args=[initiatief.pk])).status_code
        == 404
    )

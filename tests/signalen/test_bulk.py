"""Bulk entry: a CSV of paper signals, checked row by row, saved all or nothing.

Like the quick log, the rows are saved with their texts sealed and scrubbed after the
commit (eagerly here, on the worker in production): no request waits per row."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from signalen.intake import services
from signalen.models import AuditEntry, Signaal
from tests.factories import BuurtFactory, WijkFactory

URL = "/signalen/bulk/"
HEADER = "wijk;buurt;categorie;doelgroepen;bron;tekst;huishoudens;datum"


@pytest.fixture
def pro_client(client, professional):
    client.force_login(professional)
    return client


def today() -> str:
    return timezone.localdate().isoformat()


def good_csv(wijk) -> str:
    return "\n".join(
        [
            HEADER,
            f"{wijk.code};;eenzaamheid;ouderen|alleenstaanden;straat-ontmoeting;"
            f"Ouderen zien weinig mensen.;4;{today()}",
            f"{wijk.name};;Geldzorgen en schulden;;huisbezoek;"
            f"Bel mevrouw op 06-12345678 over de energierekening.;;"
            f"{timezone.localdate():%d-%m-%Y}",
            f";;jeugd-opvoeding;jongeren;partner-school;Jongeren hangen rond.;10;{today()}",
        ]
    )


def test_a_valid_paste_saves_every_row_sealed_then_scrubbed(
    pro_client, professional, wijk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = pro_client.post(URL, {"pasted": good_csv(wijk)})
    assert response.status_code == 200
    content = response.content.decode()
    assert "versleuteld opgeslagen" in content
    assert "06-12345678" not in content  # the page waits for nothing, shows no text
    assert Signaal.objects.count() == 3
    assert all(s.author == professional for s in Signaal.objects.all())
    assert not Signaal.objects.filter(scrub_pending=True).exists()
    scrubbed = Signaal.objects.get(categorie__code="geldzorgen-schulden")
    assert "06-12345678" not in scrubbed.text
    assert "[TELEFOON]" in scrubbed.text
    assert scrubbed.text_sealed is None
    assert AuditEntry.objects.filter(action="create").count() == 3
    signaal = Signaal.objects.get(categorie__code="eenzaamheid")
    assert sorted(signaal.doelgroepen.values_list("code", flat=True)) == [
        "alleenstaanden",
        "ouderen",
    ]


def test_the_bulk_post_saves_sealed_and_queues_one_scrub_per_row(
    pro_client, wijk, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(services, "pending_scrub_send", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = pro_client.post(URL, {"pasted": good_csv(wijk)})
    assert response.status_code == 200
    saved = list(Signaal.objects.order_by("pk"))
    assert sent == [s.pk for s in saved]
    for signaal in saved:
        assert signaal.scrub_pending
        assert signaal.text == ""
        assert b"06-12345678" not in bytes(signaal.text_sealed)


def test_a_valid_upload_with_commas_saves_every_row(
    pro_client, wijk, django_capture_on_commit_callbacks
):
    content = (
        "categorie,bron,tekst,datum\n"
        f'eenzaamheid,huisbezoek,"Veel vragen, weinig hulp.",{today()}\n'
    )
    upload = SimpleUploadedFile("signalen.csv", content.encode(), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = pro_client.post(URL, {"upload": upload})
    assert response.status_code == 200
    assert Signaal.objects.get().text == "Veel vragen, weinig hulp."


def test_one_bad_row_saves_nothing_and_names_the_line(pro_client, wijk, outsider_wijk):
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    content = (
        good_csv(wijk)
        + "\n"
        + "\n".join(
            [
                f";;eenzaamheid;;huisbezoek;Te vroeg.;;{future}",
                f";;bestaat-niet;;huisbezoek;Onbekend.;;{today()}",
                f"{outsider_wijk.code};;eenzaamheid;;huisbezoek;Andere wijk.;;{today()}",
                f";;eenzaamheid;;huisbezoek;Te veel.;0;{today()}",
                f";;eenzaamheid;;huisbezoek;{'x' * 1001};;{today()}",
                ";;eenzaamheid;;huisbezoek;Te weinig kolommen",
            ]
        )
    )
    response = pro_client.post(URL, {"pasted": content})
    assert response.status_code == 400
    assert not Signaal.objects.exists()
    html = response.content.decode()
    assert "Niets opgeslagen" in html
    for line, words in (
        (5, "toekomst"),
        (6, "bestaat-niet"),
        (7, "hoort niet bij uw wijkteam"),
        (8, "1 of meer"),
        (9, "te lang"),
        (10, "kolommen"),
    ):
        assert f"Regel {line}:" in html
        assert words in html
    assert "Regel 2:" not in html


def test_a_buurt_of_another_wijk_is_refused(pro_client, wijk, other_wijk):
    BuurtFactory(code="BU04390201", name="Elders", wijk=other_wijk)
    content = (
        f"{HEADER}\n{wijk.code};BU04390201;eenzaamheid;;huisbezoek;Tekst.;;{today()}"
    )
    response = pro_client.post(URL, {"pasted": content})
    assert response.status_code == 400
    assert "Buurt" in response.content.decode()
    assert not Signaal.objects.exists()


def test_a_wijk_column_is_needed_when_the_user_works_in_several(
    pro_client, team, gemeente, wijk
):
    team.wijken.add(WijkFactory(code="WK043905", name="Vijf", gemeente=gemeente))
    content = f"categorie;bron;tekst;datum\neenzaamheid;huisbezoek;Tekst.;{today()}"
    response = pro_client.post(URL, {"pasted": content})
    assert response.status_code == 400
    assert "vul de wijk in" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "Plak de regels of kies een bestand"),
        ("foo;bar\n1;2", "Deze kolommen ontbreken"),
        ("categorie;bron;tekst;datum;naam\n", "kennen wij niet"),
        ("categorie;bron;tekst;datum\n", "geen signalen"),
        ('categorie;bron;tekst;datum\n"eenz;"a', "Niets opgeslagen"),
    ],
)
def test_a_malformed_file_gets_a_clear_message(pro_client, wijk, content, message):
    response = pro_client.post(URL, {"pasted": content})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Signaal.objects.exists()


def test_too_many_rows_are_refused(pro_client, wijk):
    rows = [f"eenzaamheid;huisbezoek;Tekst {n}.;{today()}" for n in range(301)]
    content = "categorie;bron;tekst;datum\n" + "\n".join(rows)
    response = pro_client.post(URL, {"pasted": content})
    assert response.status_code == 400
    assert "Te veel regels" in response.content.decode()


def test_a_too_large_upload_is_refused(pro_client, wijk):
    upload = SimpleUploadedFile("groot.csv", b"a" * 200_001, "text/csv")
    response = pro_client.post(URL, {"upload": upload})
    assert response.status_code == 400
    assert "te groot" in response.content.decode()


def test_a_binary_upload_is_refused_politely(pro_client, wijk):
    upload = SimpleUploadedFile("foto.csv", bytes(range(256)) * 4, "text/csv")
    response = pro_client.post(URL, {"upload": upload})
    assert response.status_code == 400
    assert not Signaal.objects.exists()


def test_html_in_a_row_is_stored_as_text_and_escaped(pro_client, wijk):
    content = f"categorie;bron;tekst;datum\neenzaamheid;huisbezoek;<script>x()</script>;{today()}"
    response = pro_client.post(URL, {"pasted": content})
    assert response.status_code == 200
    assert "<script>x()" not in response.content.decode()


@pytest.mark.parametrize("role", ["bewoner", "ambtenaar", "beheerder"])
def test_bulk_entry_is_for_professionals_only(client, request, role, wijk):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"pasted": good_csv(wijk)}).status_code == 403
    assert not Signaal.objects.exists()


def test_bulk_entry_sends_anonymous_users_to_login(client):
    assert client.get(URL).status_code == 302


# --- The valid codes and the template (issue 18 item 14) -----------------------------------


def test_the_page_lists_the_valid_codes_of_the_teams_wijken_only(
    pro_client, wijk, outsider_wijk
):
    buurt = BuurtFactory(wijk=wijk, name="Kerkbuurt")
    page = pro_client.get(URL).content.decode()
    for code in (wijk.code, buurt.code, "eenzaamheid", "straat-ontmoeting", "ouderen"):
        assert f"<code>{code}</code>" in page, code
    assert outsider_wijk.code not in page
    assert 'href="?bestand=sjabloon"' in page
    assert 'href="?bestand=codes"' in page


def test_the_template_download_passes_the_check_once_filled_in(
    pro_client, professional, wijk
):
    response = pro_client.get(URL, {"bestand": "sjabloon"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "signalen-sjabloon.csv" in response["Content-Disposition"]
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff" + HEADER)
    upload = SimpleUploadedFile("s.csv", response.content, content_type="text/csv")
    saved = pro_client.post(URL, {"upload": upload})
    assert saved.status_code == 200
    assert Signaal.objects.filter(author=professional, wijk=wijk).count() == 1


def test_the_codes_download_lists_every_column(pro_client, wijk, outsider_wijk):
    response = pro_client.get(URL, {"bestand": "codes"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "kolom;code;naam"
    for row in (f"wijk;{wijk.code};", "categorie;eenzaamheid;", "bron;huisbezoek;"):
        assert row in text, row
    assert outsider_wijk.code not in text


def test_an_unknown_download_is_404_and_other_roles_get_none(
    client, professional, ambtenaar, bewoner
):
    client.force_login(professional)
    assert client.get(URL, {"bestand": "../etc/passwd"}).status_code == 404
    for user in (ambtenaar, bewoner):
        client.force_login(user)
        assert client.get(URL, {"bestand": "sjabloon"}).status_code == 403
    client.logout()
    assert client.get(URL, {"bestand": "sjabloon"}).status_code == 302


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_the_codes_download_neutralises_formulas(pro_client, wijk, start):
    wijk.name = start + "HYPERLINK(x)"
    wijk.save(update_fields=["name"])
    text = pro_client.get(URL + "?bestand=codes").content.decode("utf-8-sig")
    assert "'" + start + "HYPERLINK(x)" in text

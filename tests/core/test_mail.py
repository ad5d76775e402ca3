"""core.mail: absolute links from SITE_URL, templated mails, List-Unsubscribe."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from core import mail as core_mail


def test_site_url_joins_site_url_and_path_with_one_slash(settings):
    settings.SITE_URL = "https://buurtwijs.example.nl/"
    assert core_mail.site_url() == "https://buurtwijs.example.nl"
    assert (
        core_mail.site_url(reverse("privacy:statement"))
        == "https://buurtwijs.example.nl/privacy/"
    )


def test_a_mail_with_an_unsubscribe_link_carries_both_list_unsubscribe_headers():
    core_mail.send(
        to="a@example.nl",
        subject="Hallo",
        body="Tekst",
        unsubscribe_url="https://buurtwijs.example.nl/uit/abc/",
    )
    sent = mail.outbox[-1]
    assert sent.to == ["a@example.nl"]
    assert sent.extra_headers["List-Unsubscribe"] == (
        "<https://buurtwijs.example.nl/uit/abc/>"
    )
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    message = sent.message()
    assert message["List-Unsubscribe"] == "<https://buurtwijs.example.nl/uit/abc/>"


def test_a_mail_without_an_unsubscribe_link_has_no_list_headers(settings):
    core_mail.send(to="a@example.nl", subject="Hallo", body="Tekst")
    sent = mail.outbox[-1]
    assert "List-Unsubscribe" not in sent.extra_headers
    assert sent.from_email == settings.DEFAULT_FROM_EMAIL


def test_a_subject_over_several_lines_becomes_one_line():
    core_mail.send(to="a@example.nl", subject="  Hallo\n daar \n", body="x")
    assert mail.outbox[-1].subject == "Hallo daar"


def test_an_html_part_is_attached_as_an_alternative():
    core_mail.send(to="a@example.nl", subject="s", body="tekst", html="<p>html</p>")
    assert mail.outbox[-1].alternatives[0][0] == "<p>html</p>"


def test_a_templated_mail_renders_subject_and_text_with_absolute_links(
    settings, django_user_model
):
    settings.SITE_URL = "https://buurtwijs.example.nl"
    user = django_user_model(display_name="Ans", email="ans@example.nl")
    url = core_mail.site_url("/account/mijn-gegevens/bestand/xyz/")
    core_mail.send_templated(
        to=user.email,
        template="privacy/email/export_ready",
        context={"user": user, "url": url, "days": 7},
    )
    sent = mail.outbox[-1]
    assert "\n" not in sent.subject
    assert sent.subject
    assert "https://buurtwijs.example.nl/account/mijn-gegevens/bestand/xyz/" in (
        sent.body
    )
    assert sent.alternatives == []

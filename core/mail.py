"""Mail: absolute links from one SITE_URL, templated mails, List-Unsubscribe.

Every mail the product sends is plain text (optionally with an HTML part) to one
address. `send` adds the List-Unsubscribe headers (RFC 2369 and the one-click POST of
RFC 8058) when the mail comes with an unsubscribe link. `send_templated` renders
`<template>_subject.txt`, `<template>_message.txt` and, when present,
`<template>_message.html` in the site's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


def site_url(path: str = "") -> str:
    """The absolute address of `path` (a path such as reverse() gives) on this site:
    settings.SITE_URL without its trailing slash, then the path."""
    return str(getattr(settings, "SITE_URL", "")).rstrip("/") + path


def message(
    *,
    to: str,
    subject: str,
    body: str,
    html: str | None = None,
    unsubscribe_url: str | None = None,
) -> EmailMultiAlternatives:
    """The mail, not yet sent. An unsubscribe link becomes the List-Unsubscribe
    headers (mail programs show an "unsubscribe" button for it)."""
    headers = {}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=body, to=[to], headers=headers
    )
    if html is not None:
        mail.attach_alternative(html, "text/html")
    return mail


def send(
    *,
    to: str,
    subject: str,
    body: str,
    html: str | None = None,
    unsubscribe_url: str | None = None,
) -> int:
    """Send one mail; returns 1 when it went out (errors raise)."""
    return message(
        to=to, subject=subject, body=body, html=html, unsubscribe_url=unsubscribe_url
    ).send()


def render(template: str, context: Mapping[str, Any]) -> tuple[str, str, str | None]:
    """Subject (one line), text and HTML (None without an .html template) of
    `<template>_subject.txt`, `<template>_message.txt`, `<template>_message.html`."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_message.txt", context)
    try:
        html: str | None = render_to_string(f"{template}_message.html", context)
    except TemplateDoesNotExist:
        html = None
    return subject, body, html


def send_templated(
    *,
    to: str,
    template: str,
    context: Mapping[str, Any],
    unsubscribe_url: str | None = None,
    language: str | None = None,
) -> int:
    """Render the templates (in `language`, default settings.LANGUAGE_CODE) and send."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject, body, html = render(template, context)
    return send(
        to=to, subject=subject, body=body, html=html, unsubscribe_url=unsubscribe_url
    )

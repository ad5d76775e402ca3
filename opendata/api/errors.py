"""Every API error is JSON of one shape: {"detail", "code", "errors"}."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with its answers reshaped: a message for people (`detail`), a
    code for programs (`code`) and, for bad parameters, the message per parameter
    (`errors`)."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {
            "detail": gettext("Een of meer parameters kloppen niet."),
            "code": "invalid",
            "errors": {key: _messages(value) for key, value in errors.items()},
        }
        return response
    detail = data.get("detail", "") if isinstance(data, dict) else str(data)
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    response.data = {"detail": str(detail), "code": str(code), "errors": {}}
    return response


def _messages(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if isinstance(value, dict):
        return [f"{key}: {item}" for key, items in value.items() for item in items]
    return [str(value)]


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """An address under /api/v1/ that does not exist: a JSON 404, not the HTML page."""
    return JsonResponse(
        {
            "detail": gettext("Dit adres bestaat niet in de API. Zie /api/v1/docs/."),
            "code": "not_found",
            "errors": {},
        },
        status=404,
    )

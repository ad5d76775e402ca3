"""The site's 500 page; under /api/ a JSON answer of the API's one error shape.

Django's own handler answers every unhandled error with templates/500.html. A program
reading the API then got an HTML page it could not parse, so under /api/ the answer is
JSON like every other API error (opendata/api/errors.py): detail, code and errors.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as html_server_error

API_PREFIX = "/api/"


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {
                "detail": gettext(
                    "Er ging iets mis aan onze kant. Probeer het later nog eens."
                ),
                "code": "server_error",
                "errors": {},
            },
            status=500,
        )
    return html_server_error(request)

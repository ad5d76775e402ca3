from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation
from django.views.defaults import page_not_found


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the visitor chose English with the language switch.

    Django's own middleware follows the browser's Accept-Language, but many Dutch
    residents have an English-language phone; the site is Dutch first (B1), and English
    is a choice, kept in the language cookie.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = (
            chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class FriendlyNotFoundMiddleware:
    """With DEBUG on (the embedded demo), show the site's own 404 page instead of
    Django's technical one, which lists every URL pattern of the site.

    A newcomer who mistypes an address in the demo should see what a resident would
    see. Developers who want the technical page set FRIENDLY_404=false. With DEBUG
    off Django shows the friendly page anyway, so this does nothing there. An address
    that matches no pattern is answered here (after the authentication middleware, so
    the menu knows who is logged in); an Http404 a view raises, in process_exception.
    CommonMiddleware still sees the 404 and adds a missing slash as usual.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def _active() -> bool:
        return bool(settings.DEBUG and getattr(settings, "FRIENDLY_404", True))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._active():
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as exc:
                return page_not_found(request, exc)
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if self._active() and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None

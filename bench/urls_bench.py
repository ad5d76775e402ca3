from django.http import HttpRequest, HttpResponse
from django.urls import path

from buurtwijs.urls import urlpatterns as product_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    """The floor: Django's request/response cycle with the same middleware, no work."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *product_urlpatterns]

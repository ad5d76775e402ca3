from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from buurtwijs.health import health
from signalen.urls import public_urlpatterns as signalen_public_urls

# Under /api/ an unhandled error answers JSON, elsewhere templates/500.html.
handler500 = "buurtwijs.errors.server_error"

urlpatterns = [
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    # Data rights (AVG): /privacy/ and /account/mijn-gegevens/, /account/verwijderen/.
    path("", include("buurtwijs.urls_privacy")),
    path("account/", include("accounts.urls")),
    path("account/", include("allauth.urls")),
    path("signalen/", include("signalen.urls")),
    path("themas/", include((signalen_public_urls, "themas"))),
    path("initiatieven/", include("initiatieven.urls")),
    path("api/v1/", include("dashboard.api.urls")),
    path("", include("wijken.home_urls")),
    path("", include("wijken.urls")),
    path("", include("dashboard.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

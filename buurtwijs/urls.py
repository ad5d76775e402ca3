from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from buurtwijs.health import health
from dashboard import urls as dashboard_urls
from opendata import urls as opendata_urls
from signalen.urls import public_urlpatterns as signalen_public_urls
from signalen.urls import terecht_public_urlpatterns

# The open-data page kept its names in the "dashboard" namespace when it moved to
# opendata/ (dashboard:open_data): one namespace, patterns of both apps.
dashboard_namespace = (
    dashboard_urls.urlpatterns[:2]
    + opendata_urls.urlpatterns
    + dashboard_urls.urlpatterns[2:],
    dashboard_urls.app_name,
)

# Under /api/ an unhandled error answers JSON, elsewhere templates/500.html.
handler500 = "buurtwijs.errors.server_error"

urlpatterns = [
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    # Data rights (AVG): /privacy/ and /account/mijn-gegevens/, /account/verwijderen/.
    path("", include("privacy.urls")),
    path("account/", include("accounts.urls")),
    path("account/", include("allauth.urls")),
    path("signalen/", include("signalen.urls")),
    path("themas/", include((signalen_public_urls, "themas"))),
    path("terecht/", include((terecht_public_urlpatterns, "terecht"))),
    path("initiatieven/", include("initiatieven.urls")),
    path("wijkbudget/", include("wijkbudget.urls")),
    path("peilingen/", include("peilingen.urls")),
    path("bewonersagenda/", include("bewonersagenda.urls")),
    path("wijkgesprek/", include("wijkgesprek.urls")),
    path("buurtverbinders/", include("buurtverbinders.urls")),
    path("api/v1/", include("opendata.api.urls")),
    path("", include("wijken.home_urls")),
    path("", include("wijken.urls")),
    path("", include(dashboard_namespace)),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

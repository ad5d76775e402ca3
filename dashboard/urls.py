from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("wijk/<str:code>/", views.wijk_page, name="wijk"),
    path("dashboard/", views.dashboard_index, name="index"),
    path("dashboard/wijk/<str:code>/", views.wijk_dashboard, name="officer_wijk"),
    path(
        "dashboard/wijk/<str:code>/wie-horen-we-niet/",
        views.wijk_representation,
        name="representation",
    ),
    path(
        "dashboard/wijk/<str:code>/export.<str:fmt>",
        views.wijk_export,
        name="officer_wijk_export",
    ),
    path("dashboard/<str:code>/", views.gemeente_dashboard, name="gemeente"),
    path(
        "dashboard/<str:code>/export.<str:fmt>",
        views.gemeente_export,
        name="gemeente_export",
    ),
]

"""The open-data page and its files.

These URL names live in the "dashboard" namespace (dashboard:open_data,
dashboard:open_data_file), as before the move: buurtwijs/urls.py includes these
patterns together with dashboard.urls under that one namespace, so templates and
links elsewhere keep working."""

from django.urls import path

from opendata import views

urlpatterns = [
    path("open-data/", views.open_data_page, name="open_data"),
    path(
        "open-data/<str:code>/<str:day>/<str:filename>",
        views.open_data_file,
        name="open_data_file",
    ),
]

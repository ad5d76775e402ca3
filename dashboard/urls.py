from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("wijk/<str:code>/", views.wijk_page, name="wijk"),
]

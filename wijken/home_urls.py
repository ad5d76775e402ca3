from django.urls import path

from wijken import views

urlpatterns = [path("", views.home, name="home")]

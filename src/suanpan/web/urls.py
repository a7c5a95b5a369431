from django.urls import path

from suanpan.web.views import home

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
]

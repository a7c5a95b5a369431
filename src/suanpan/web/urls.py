from django.urls import path

from suanpan.web.views import favicon, home

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("favicon.ico", favicon.favicon, name="favicon"),
]

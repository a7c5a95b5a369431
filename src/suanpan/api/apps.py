from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "suanpan.api"
    label = "suanpan_api"
    verbose_name = "API"

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed only so that `manage.py demo` finds its command; the app has no models."""

    name = "suanpan.demo"
    label = "demo"

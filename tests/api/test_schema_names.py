"""The OpenAPI document names each enum by its class: two apps' choices with one name would
share one schema component, and answers of one would be checked against the other's values."""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict

from django.apps import apps
from django.db import models


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_choices_class_has_its_own_name():
    for config in apps.get_app_configs():
        if config.name.startswith("suanpan."):
            try:
                module = importlib.import_module(f"{config.name}.choices")
            except ModuleNotFoundError:
                continue
            for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
                importlib.import_module(f"{module.__name__}.{info.name}")
    by_name: dict[str, list[str]] = defaultdict(list)
    for cls in _subclasses(models.Choices):
        if cls.__module__.startswith("suanpan."):
            by_name[cls.__name__].append(cls.__module__)
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}

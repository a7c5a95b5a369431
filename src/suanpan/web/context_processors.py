from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from suanpan.web.navigation import SECTIONS, nav_url


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    path = request.path
    items = []
    for section in SECTIONS:
        if section.permission and not request.user.has_perm(section.permission):
            continue
        url = nav_url(section.url_name)
        items.append(
            {
                "key": section.key,
                "label": section.label,
                "icon": section.icon,
                "url": url,
                "active": bool(url) and (path == url if url == "/" else path.startswith(url or "")),
            }
        )
    return {"nav_items": items}

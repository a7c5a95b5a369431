"""`/favicon.ico`: browsers ask for it wherever a page names no icon (the API docs, files)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Resolved per request, not at import: the hashed static name needs the collected manifest.
    return HttpResponsePermanentRedirect(static("web/favicon.svg"))

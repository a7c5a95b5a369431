from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest
from suanpan.web import selectors


@page_permission()
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "web/home.html", selectors.dashboard(user=request.user))

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from suanpan.users.http import AuthenticatedHttpRequest
from suanpan.web import selectors


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "web/home.html", selectors.dashboard(user=request.user))

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from suanpan.core.forms import StyledFormMixin
from suanpan.users import services
from suanpan.users.choices import Role
from suanpan.users.forms import ApiTokenForm, ProfileForm
from suanpan.users.http import AuthenticatedHttpRequest


class StyledAuthenticationForm(StyledFormMixin, AuthenticationForm):
    pass


class LoginView(auth_views.LoginView):
    form_class = StyledAuthenticationForm
    redirect_authenticated_user = True


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    profile_form = ProfileForm(
        initial={"display_name": user.display_name, "email": user.email, "language": user.language}
    )
    token_form = ApiTokenForm()
    new_key = None
    if request.method == "POST":
        if "create_token" in request.POST:
            token_form = ApiTokenForm(request.POST)
            if token_form.is_valid():
                _token, new_key = services.api_token_create(
                    user=user, name=token_form.cleaned_data["name"]
                )
                messages.success(
                    request, _("Token created. Copy the key now: it is shown only once.")
                )
                token_form = ApiTokenForm()
        else:
            profile_form = ProfileForm(request.POST)
            if profile_form.is_valid():
                services.user_profile_update(user=user, **profile_form.cleaned_data)
                messages.success(request, _("Your profile was saved."))
                return redirect("users_profile")
    return render(
        request,
        "users/profile/detail.html",
        {
            "profile_form": profile_form,
            "token_form": token_form,
            "tokens": user.api_tokens.filter(revoked_at__isnull=True),
            "roles": [Role(g.name).label for g in user.groups.all() if g.name in Role.values],
            "new_key": new_key,
            "breadcrumbs": [(_("My profile"), None)],
        },
    )


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    services.api_token_revoke(token=token)
    messages.success(request, _("Token revoked."))
    return redirect("users_profile")


@require_POST
def language_set(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Switch the UI language; for a signed-in user the choice is also kept on their profile."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_language_set(user=request.user, language=language)
    return set_language(request)

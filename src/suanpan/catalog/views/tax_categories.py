"""Tax category pages: parse, call a selector or service, render the page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suanpan.catalog import selectors, services
from suanpan.catalog.forms import TaxCategoryForm
from suanpan.catalog.views.products import crumbs
from suanpan.core.errors import DomainError
from suanpan.core.forms import form_add_domain_error
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest


def _tax_crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return crumbs((_("Tax categories"), reverse("catalog:tax_category_list")), *items)


@page_permission("catalog.view_taxcategory")
def tax_category_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "categories": selectors.tax_category_list(user=request.user),
        "breadcrumbs": _tax_crumbs(),
        "subnav": "tax_categories",
    }
    return render(request, "catalog/tax_categories/list.html", context)


@page_permission("catalog.add_taxcategory")
def tax_category_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TaxCategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = services.tax_category_create(actor=request.user, data=form.cleaned_data)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(
                request, _("Tax category %(category)s created.") % {"category": category.name}
            )
            return redirect("catalog:tax_category_list")
    return render(
        request,
        "catalog/tax_categories/form.html",
        {
            "form": form,
            "breadcrumbs": _tax_crumbs((_("New tax category"), None)),
            "subnav": "tax_categories",
        },
    )


@page_permission("catalog.change_taxcategory")
def tax_category_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    category = selectors.tax_category_get(user=request.user, pk=pk)
    form = TaxCategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            services.tax_category_update(
                actor=request.user, tax_category=category, data=form.cleaned_data
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("catalog:tax_category_list")
    return render(
        request,
        "catalog/tax_categories/form.html",
        {
            "form": form,
            "category": category,
            "breadcrumbs": _tax_crumbs((category.name, None)),
            "subnav": "tax_categories",
        },
    )


@page_permission()
@require_POST
@page_permission("catalog.change_taxcategory")
def tax_category_deactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Deactivate an active tax category, reactivate an inactive one."""
    category = selectors.tax_category_get(user=request.user, pk=pk)
    if category.is_active:
        services.tax_category_deactivate(actor=request.user, tax_category=category)
        messages.success(
            request, _("Tax category %(category)s deactivated.") % {"category": category.name}
        )
    else:
        services.tax_category_reactivate(actor=request.user, tax_category=category)
        messages.success(
            request, _("Tax category %(category)s reactivated.") % {"category": category.name}
        )
    return redirect("catalog:tax_category_list")


@page_permission()
@require_POST
@page_permission("catalog.delete_taxcategory")
def tax_category_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    category = selectors.tax_category_get(user=request.user, pk=pk)
    try:
        services.tax_category_delete(actor=request.user, tax_category=category)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Tax category %(category)s deleted.") % {"category": category.name}
        )
    return redirect("catalog:tax_category_list")

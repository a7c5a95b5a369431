"""Product pages: parse, call a selector or service, render the page or its htmx fragment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from suanpan.catalog import calculations, selectors, services
from suanpan.catalog.forms import DeactivateForm, ProductForm
from suanpan.catalog.models import Product
from suanpan.core.errors import DomainError
from suanpan.core.forms import form_add_domain_error
from suanpan.core.listing import list_render, paginate
from suanpan.core.sorting import sort_headers
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("code", gettext_lazy("Code")),
    ("name", gettext_lazy("Name")),
    (None, gettext_lazy("Specification")),
    (None, gettext_lazy("Unit")),
    ("kind", gettext_lazy("Type")),
    ("tax_category", gettext_lazy("Tax category")),
    ("list_price", gettext_lazy("List price"), "text-end"),
    ("standard_cost", gettext_lazy("Standard cost"), "text-end"),
    (None, pgettext_lazy("product filter", "Status")),
]
FILTER_KEYS = ("q", "kind", "tax_category", "active", "price_min", "price_max")


def crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Products"), reverse("catalog:product_list")), *items]


def product_search_row(product: Product) -> dict[str, Any]:
    """What line entry needs of a product; decimals as strings so no precision is lost."""
    category = product.tax_category
    return {
        "id": product.pk,
        "code": product.code,
        "name": product.name,
        "specification": product.specification,
        "unit": product.unit,
        "kind": product.kind,
        "list_price": str(product.list_price),
        "price_includes_tax": product.price_includes_tax,
        "vat_rate_key": category.vat_rate_key,
        "vat_rate": str(category.vat_rate),
        "standard_cost": str(product.standard_cost),
    }


@page_permission("catalog.view_product")
def product_search(request: AuthenticatedHttpRequest) -> JsonResponse:
    try:
        limit = int(request.GET.get("limit", 20))
    except ValueError:
        limit = 20
    products = selectors.product_search(q=request.GET.get("q", ""), limit=limit)
    return JsonResponse([product_search_row(p) for p in products], safe=False)


@page_permission("catalog.view_product")
def product_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = selectors.product_list(user=request.user, filters=request.GET)
    context: dict[str, Any] = {
        "filter": filterset,
        "filtered": any(request.GET.get(key) for key in FILTER_KEYS),
        "columns": sort_headers(request, LIST_COLUMNS),
        "breadcrumbs": crumbs(),
        "subnav": "products",
        **paginate(request, queryset),
    }
    return list_render(request, "catalog/products/list.html", context)


@page_permission("catalog.view_product")
def product_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get(user=request.user, pk=pk)
    category = product.tax_category
    context = {
        "product": product,
        "prices": calculations.unit_prices(
            product.list_price, category.vat_rate, price_includes_tax=product.price_includes_tax
        ),
        "history": selectors.product_history(product=product),
        "deactivate_form": DeactivateForm(),
        "breadcrumbs": crumbs((str(product), None)),
        "subnav": "products",
    }
    return render(request, "catalog/products/detail.html", context)


@page_permission("catalog.add_product")
def product_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(actor=request.user, data=form.cleaned_data)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Product %(product)s created.") % {"product": product})
            return redirect("catalog:product_detail", pk=product.pk)
    return render(
        request,
        "catalog/products/form.html",
        {"form": form, "breadcrumbs": crumbs((_("New product"), None)), "subnav": "products"},
    )


@page_permission("catalog.change_product")
def product_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get(user=request.user, pk=pk)
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(actor=request.user, product=product, data=form.cleaned_data)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("catalog:product_detail", pk=product.pk)
    return render(
        request,
        "catalog/products/form.html",
        {
            "form": form,
            "product": product,
            "breadcrumbs": crumbs(
                (str(product), reverse("catalog:product_detail", args=[product.pk])),
                (_("Edit"), None),
            ),
            "subnav": "products",
        },
    )


@page_permission()
@require_POST
@page_permission("catalog.change_product")
def product_deactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Deactivate an active product, reactivate an inactive one."""
    product = selectors.product_get(user=request.user, pk=pk)
    form = DeactivateForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if product.is_active:
            services.product_deactivate(actor=request.user, product=product, reason=reason)
            messages.success(request, _("Product deactivated."))
        else:
            services.product_reactivate(actor=request.user, product=product)
            messages.success(request, _("Product reactivated."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("catalog:product_detail", pk=product.pk)

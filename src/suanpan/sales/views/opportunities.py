"""Opportunity pages: the pipeline board, the list, detail and forms, the forecast and stages.

The board moves cards with htmx: a drop posts the move and the board comes back re-rendered
from the database, so a refused move snaps back with its message; a move into a lost stage
comes back with the loss-reason dialog instead. Without JavaScript, each card's "move to"
form does the same with full pages.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core.errors import DomainError
from suanpan.core.forms import form_service_submit
from suanpan.core.listing import paginate
from suanpan.sales.errors import LossReasonRequired
from suanpan.sales.forms.opportunities import (
    ForecastForm,
    MoveForm,
    OpportunityForm,
    StageForm,
)
from suanpan.sales.models import Opportunity, OpportunityStage
from suanpan.sales.selectors import opportunities as selectors
from suanpan.sales.selectors.common import customer_seen
from suanpan.sales.services import opportunities as services
from suanpan.sales.views.common import list_page, sales_crumbs
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("title", gettext_lazy("Title")),
    ("customer", gettext_lazy("Customer")),
    ("stage", gettext_lazy("Stage")),
    ("amount", gettext_lazy("Amount"), "text-end"),
    ("close", gettext_lazy("Expected close")),
    ("owner", gettext_lazy("Owner")),
    (None, gettext_lazy("Next step")),
]
BOARD_FILTERS = ("q", "owner", "close_month_from", "close_month_to")


def _opportunity_page(opportunity: Opportunity) -> HttpResponse:
    return redirect("sales:opportunity_detail", pk=opportunity.pk)


def _stage_list(_stage: OpportunityStage) -> HttpResponse:
    return redirect("sales:stage_list")


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return sales_crumbs(*items)


# Board ------------------------------------------------------------------------------------------


def _board_filters(request: AuthenticatedHttpRequest) -> QueryDict:
    """The board's filters: the query string, or for an htmx post the page's own query string."""
    if request.method == "GET":
        return request.GET
    current = request.htmx.current_url if request.htmx else None
    params = QueryDict(urlsplit(current).query if current else "", mutable=True)
    for name in BOARD_FILTERS:
        if name in request.POST:
            params[name] = request.POST[name]
    return params


def _board_context(request: AuthenticatedHttpRequest, filters: QueryDict) -> dict[str, Any]:
    columns, filterset = selectors.opportunity_board(user=request.user, filters=filters)
    query = QueryDict(mutable=True)
    for name in BOARD_FILTERS:
        value = filters.get(name)
        if value:
            query[name] = str(value)
    return {
        "columns": columns,
        "filter": filterset,
        "board_query": query.urlencode(),
        "subnav": "pipeline",
        "breadcrumbs": _crumbs((_("Pipeline"), None)),
        "stages": [c.stage for c in columns],
        "can_move": request.user.has_perm("sales.change_opportunity"),
    }


def _board_url(query: str) -> str:
    url = reverse("sales:opportunity_board")
    return f"{url}?{query}" if query else url


@page_permission("sales.view_opportunity")
def opportunity_board(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = _board_context(request, request.GET)
    if request.htmx and not request.htmx.boosted:
        return render(request, "sales/opportunities/board.html#board", context)
    return render(request, "sales/opportunities/board.html", context)


@page_permission("sales.change_opportunity")
@require_POST
def opportunity_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Move a card: from the board (htmx, answers the board) or a card's form (redirects)."""
    opportunity = selectors.opportunity_get(user=request.user, pk=pk)
    form = MoveForm(request.POST)
    error: str | None = None
    ask_reason = False
    if form.is_valid():
        try:
            services.opportunity_stage_move(
                actor=request.user,
                opportunity=opportunity,
                stage=form.cleaned_data["stage"],
                loss_reason=form.cleaned_data["loss_reason"],
            )
        except LossReasonRequired as exc:
            ask_reason = True
            error = exc.message if request.POST.get("loss_reason_asked") else None
        except DomainError as exc:
            error = exc.message
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if request.htmx:
        filters = _board_filters(request)
        context = _board_context(request, filters)
        context.update(
            {
                "move_error": error,
                "move_form": form if ask_reason else None,
                "move_opportunity": opportunity if ask_reason else None,
            }
        )
        return render(request, "sales/opportunities/board.html#board", context)
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("sales:opportunity_board")
    if ask_reason:
        if error:
            form.add_error("loss_reason", error)
        return render(
            request,
            "sales/opportunities/move.html",
            {
                "opportunity": opportunity,
                "form": form,
                "next": next_url,
                "subnav": "pipeline",
                "breadcrumbs": _crumbs(
                    (_("Pipeline"), reverse("sales:opportunity_board")),
                    (opportunity.title, None),
                ),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(title)s moved to %(stage)s.")
            % {"title": opportunity.title, "stage": form.cleaned_data["stage"].name},
        )
    return redirect(next_url)


# List, detail, forms ----------------------------------------------------------------------------


@page_permission("sales.view_opportunity")
def opportunity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = selectors.opportunity_list(user=request.user, filters=request.GET)
    return list_page(
        request,
        "sales/opportunities/list.html",
        filterset=filterset,
        columns=LIST_COLUMNS,
        filtered=any(
            request.GET.get(name) for name in filterset.filters if name not in ("ordering",)
        ),
        breadcrumbs=_crumbs((_("Opportunities"), None)),
        subnav="opportunities",
        **paginate(request, queryset),
    )


@page_permission("sales.view_opportunity")
def opportunity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_get(user=request.user, pk=pk)
    can_delete = request.user.has_perm("sales.delete_opportunity") and (
        opportunity.owner_id == request.user.pk
        or request.user.has_perm("sales.view_all_opportunities")
    )
    return render(
        request,
        "sales/opportunities/detail.html",
        {
            "opportunity": opportunity,
            "probability_percent": selectors.percent(opportunity.stage.probability),
            "weighted_amount": selectors.weighted(
                opportunity.amount, opportunity.stage.probability
            ),
            "lines": selectors.opportunity_lines(opportunity=opportunity),
            "quotes": opportunity.quotes.select_related("owner").order_by("-quoted_on", "-id"),
            "history": selectors.opportunity_history(opportunity=opportunity),
            "move_form": MoveForm(initial={"stage": opportunity.stage_id}),
            "can_delete": can_delete,
            "subnav": "opportunities",
            "breadcrumbs": _crumbs(
                (_("Opportunities"), reverse("sales:opportunity_list")), (opportunity.title, None)
            ),
        },
    )


@page_permission("sales.add_opportunity")
def opportunity_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    customer = customer_seen(user=request.user, pk=request.GET.get("customer"))
    if customer is not None:
        initial["customer"] = customer
    form = OpportunityForm(request.POST or None, initial=initial, user=request.user)
    done = form_service_submit(
        request,
        form,
        lambda: services.opportunity_create(actor=request.user, data=form.service_data()),
        message=lambda created: _("Opportunity %(title)s created.") % {"title": created.title},
        done=_opportunity_page,
    )
    if done is not None:
        return done
    return render(
        request,
        "sales/opportunities/form.html",
        {
            "form": form,
            "subnav": "opportunities",
            "breadcrumbs": _crumbs(
                (_("Opportunities"), reverse("sales:opportunity_list")),
                (_("New opportunity"), None),
            ),
        },
    )


@page_permission("sales.change_opportunity")
def opportunity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_get(user=request.user, pk=pk)
    form = OpportunityForm(request.POST or None, instance=opportunity, user=request.user)
    done = form_service_submit(
        request,
        form,
        lambda: services.opportunity_update(
            actor=request.user, opportunity=opportunity, data=form.service_data()
        ),
        message=_("Changes saved."),
        done=_opportunity_page,
    )
    if done is not None:
        return done
    # The form wrote the posted values onto the instance; show the stored title.
    title = selectors.opportunity_title(opportunity=opportunity)
    return render(
        request,
        "sales/opportunities/form.html",
        {
            "form": form,
            "opportunity": opportunity,
            "title": title,
            "subnav": "opportunities",
            "breadcrumbs": _crumbs(
                (_("Opportunities"), reverse("sales:opportunity_list")),
                (title, reverse("sales:opportunity_detail", args=[opportunity.pk])),
                (_("Edit"), None),
            ),
        },
    )


@page_permission("sales.delete_opportunity")
@require_POST
def opportunity_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_get(user=request.user, pk=pk)
    try:
        services.opportunity_delete(actor=request.user, opportunity=opportunity)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("sales:opportunity_detail", pk=opportunity.pk)
    messages.success(request, _("Opportunity %(title)s deleted.") % {"title": opportunity.title})
    return redirect("sales:opportunity_list")


# Weighted pipeline ------------------------------------------------------------------------------


@page_permission("sales.view_opportunity")
def pipeline_forecast(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ForecastForm(request.GET or None)
    today = timezone.localdate()
    start, months, owner = today.replace(day=1), 12, None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        months = form.cleaned_data["months"] or months
        owner = form.cleaned_data["owner"]
    rows = selectors.pipeline_by_month(user=request.user, start=start, months=months, owner=owner)
    largest = max((r.amount for r in rows), default=0) or 1
    return render(
        request,
        "sales/opportunities/forecast.html",
        {
            "form": form,
            "start": start,
            "rows": [
                {
                    "row": r,
                    "amount_pct": int(r.amount * 100 / largest),
                    "weighted_pct": int(r.weighted_amount * 100 / largest),
                }
                for r in rows
            ],
            "total": selectors.pipeline_total(rows),
            "subnav": "pipeline",
            "breadcrumbs": _crumbs(
                (_("Pipeline"), reverse("sales:opportunity_board")), (_("Forecast"), None)
            ),
        },
    )


# Stages -----------------------------------------------------------------------------------------


def _stage_crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return _crumbs((_("Pipeline stages"), reverse("sales:stage_list")), *items)


@page_permission("sales.change_opportunitystage")
def stage_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    stages = list(selectors.stage_list())
    for stage in stages:
        stage.percent = selectors.percent(stage.probability)  # type: ignore[attr-defined]
    return render(
        request,
        "sales/opportunities/stage_list.html",
        {
            "stages": stages,
            "subnav": "pipeline",
            "breadcrumbs": _crumbs((_("Pipeline stages"), None)),
        },
    )


@page_permission("sales.change_opportunitystage")
def stage_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StageForm(request.POST or None, initial={"is_active": True})
    done = form_service_submit(
        request,
        form,
        lambda: services.stage_create(actor=request.user, data=form.service_data()),
        message=lambda stage: _("Stage %(name)s added.") % {"name": stage.name},
        done=_stage_list,
    )
    if done is not None:
        return done
    return render(
        request,
        "sales/opportunities/stage_form.html",
        {"form": form, "subnav": "pipeline", "breadcrumbs": _stage_crumbs((_("New stage"), None))},
    )


@page_permission("sales.change_opportunitystage")
def stage_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    stage = selectors.stage_get(pk=pk)
    name = stage.name
    form = StageForm(request.POST or None, instance=stage)
    done = form_service_submit(
        request,
        form,
        lambda: services.stage_update(actor=request.user, stage=stage, data=form.service_data()),
        message=_("Changes saved."),
        done=_stage_list,
    )
    if done is not None:
        return done
    return render(
        request,
        "sales/opportunities/stage_form.html",
        {
            "form": form,
            "stage": stage,
            "name": name,
            "subnav": "pipeline",
            "breadcrumbs": _stage_crumbs((name, None)),
        },
    )


@page_permission("sales.change_opportunitystage")
@require_POST
def stage_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    stage = selectors.stage_get(pk=pk)
    direction: Literal["up", "down"] = "up" if request.POST.get("direction") == "up" else "down"
    services.stage_move(actor=request.user, stage=stage, direction=direction)
    return redirect("sales:stage_list")


@page_permission("sales.change_opportunitystage")
@require_POST
def stage_toggle(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    stage = selectors.stage_get(pk=pk)
    try:
        if stage.is_active:
            services.stage_deactivate(actor=request.user, stage=stage)
            messages.success(request, _("Stage %(name)s deactivated.") % {"name": stage.name})
        else:
            services.stage_activate(actor=request.user, stage=stage)
            messages.success(request, _("Stage %(name)s reactivated.") % {"name": stage.name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("sales:stage_list")


@page_permission("sales.change_opportunitystage")
@require_POST
def stage_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    stage = selectors.stage_get(pk=pk)
    try:
        services.stage_delete(actor=request.user, stage=stage)
        messages.success(request, _("Stage %(name)s deleted.") % {"name": stage.name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("sales:stage_list")

"""Dunning pages (催款): the run page (who gets which letter on a day, and running it), the
levels and their letters, the letters sent, promises to pay, collection tasks, and the
customer tab's actions (a promise, the dunning settings, releasing a credit hold)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suanpan.core import listing
from suanpan.core.errors import DomainError
from suanpan.core.forms import flash_refusal, form_service_submit
from suanpan.customers.selectors import customer_get
from suanpan.customers.services import customer_credit_release
from suanpan.receivables import selectors, services
from suanpan.receivables.choices import PromiseStatus
from suanpan.receivables.forms.dunning import (
    LevelForm,
    ProfileForm,
    PromiseForm,
    RunForm,
    level_initial,
)
from suanpan.receivables.views._common import nav_context
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest


def _crumbs(label: str, *more: tuple[str, str | None]) -> dict[str, Any]:
    return nav_context("dunning", (_("Dunning"), reverse("receivables:dunning")), *more) | {
        "dunning_page": label
    }


def _customer_page(customer_pk: int) -> HttpResponse:
    return redirect(f"{reverse('customers:detail', args=[customer_pk])}?tab=receivables")


# ---------------------------------------------------------------------------- run


@page_permission("receivables.view_dunningletter")
def dunning(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The run page: the preview for a day (today to start with), the runs so far, and
    running it (asked first); one run a day."""
    form = RunForm(request.POST if request.method == "POST" else (request.GET or None))
    on = form.cleaned_data["on"] if form.is_bound and form.is_valid() else timezone.localdate()
    if request.method == "POST":
        if not request.user.has_perm("receivables.run_dunning"):
            raise PermissionDenied
        done = form_service_submit(
            request,
            form,
            lambda: services.dunning_run(on=on, actor=request.user),
            done=lambda run: redirect(
                f"{reverse('receivables:dunning_letters')}?run_on={run.run_on.isoformat()}"
            ),
            message=lambda run: (
                _(
                    "Dunning for %(on)s: %(sent)s letters sent, %(skipped)s customers skipped, "
                    "%(failed)s failed; promises to pay: %(kept)s kept, %(broken)s broken."
                )
                % {
                    "on": run.run_on.isoformat(),
                    "sent": run.letters_sent,
                    "skipped": run.letters_skipped,
                    "failed": run.letters_failed,
                    "kept": run.promises_kept,
                    "broken": run.promises_broken,
                }
            ),
        )
        if done is not None:
            return done
    preview = [row for row in selectors.dunning_preview(on=on, user=request.user) if row.is_due]
    context: dict[str, Any] = {
        "form": form,
        "on": on,
        "preview": preview,
        "to_send": sum(1 for row in preview if not row.skip_reason),
        "already_run": selectors.dunning_run_for(on=on),
        "runs": selectors.dunning_run_list()[:10],
        **_crumbs("run"),
    }
    context["breadcrumbs"] = [(_("Receivables"), reverse("receivables:home")), (_("Dunning"), None)]
    return render(request, "receivables/dunning/run.html", context)


# ---------------------------------------------------------------------------- levels


@page_permission("receivables.view_dunninglevel")
def level_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "receivables/dunning/levels.html",
        {
            "levels": selectors.dunning_levels(active_only=False),
            **_crumbs("levels", (_("Dunning levels"), None)),
        },
    )


def _level_form(
    request: AuthenticatedHttpRequest, level: Any | None, initial: dict[str, Any]
) -> HttpResponse:
    form = LevelForm(request.POST or None, initial=initial)

    def call() -> Any:
        if level is None:
            return services.dunning_level_create(data=form.to_input(), actor=request.user)
        return services.dunning_level_update(level=level, data=form.to_input(), actor=request.user)

    done = form_service_submit(
        request,
        form,
        call,
        done=lambda saved: redirect("receivables:dunning_levels"),
        message=lambda saved: _("Dunning level %(name)s saved.") % {"name": saved.name},
    )
    if done is not None:
        return done
    title = level.name if level is not None else _("New dunning level")
    return render(
        request,
        "receivables/dunning/level_form.html",
        {
            "form": form,
            "level": level,
            "title": title,
            "history": selectors.dunning_level_history(level=level) if level else [],
            **_crumbs(
                "levels",
                (_("Dunning levels"), reverse("receivables:dunning_levels")),
                (title, None),
            ),
        },
    )


@page_permission("receivables.change_dunninglevel")
def level_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    level = selectors.dunning_level_get(pk=pk)
    return _level_form(request, level, level_initial(level))


@page_permission("receivables.add_dunninglevel")
def level_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _level_form(request, None, {"sends_email": True, "is_active": True})


# ---------------------------------------------------------------------------- letters


@page_permission("receivables.view_dunningletter")
def letter_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    rows, filterset = selectors.letter_list(user=request.user, filters=request.GET)
    context: dict[str, Any] = {
        "filter": filterset,
        "filtered": any(request.GET.get(k) for k in ("q", "status", "customer", "run_on")),
        **_crumbs("letters", (_("Dunning letters"), None)),
        **listing.list_page(request, rows, rows_name="letters"),
    }
    template = "receivables/dunning/letters.html"
    return listing.list_render(request, template, context)


@page_permission("receivables.view_dunningletter")
def letter_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_get(user=request.user, pk=pk)
    return render(
        request,
        "receivables/dunning/letter.html",
        {
            "letter": letter,
            "items": list(letter.items.all()),
            **_crumbs(
                "letters",
                (_("Dunning letters"), reverse("receivables:dunning_letters")),
                (f"{letter.run.run_on:%Y-%m-%d} {letter.customer.name}", None),
            ),
        },
    )


# ---------------------------------------------------------------------------- promises


@page_permission("receivables.view_paymentpromise")
def promise_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = PromiseStatus.OPEN
    rows, filterset = selectors.promise_list(user=request.user, filters=params)
    context: dict[str, Any] = {
        "filter": filterset,
        "today": timezone.localdate(),
        "filtered": any(request.GET.get(k) for k in ("q", "status", "customer", "due_by")),
        **_crumbs("promises", (_("Promises to pay"), None)),
        **listing.list_page(request, rows, rows_name="promises"),
    }
    template = "receivables/dunning/promises.html"
    return listing.list_render(request, template, context)


@require_POST
@page_permission("receivables.view_paymentpromise")
def promise_mark(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    promise = selectors.promise_get(user=request.user, pk=pk)
    if not request.user.has_perm("receivables.change_paymentpromise"):
        raise PermissionDenied
    try:
        services.promise_mark(
            promise=promise, status=request.POST.get("status", ""), actor=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Promise to pay of %(customer)s marked.") % {"customer": promise.customer.name},
        )
    back = request.POST.get("next", "")
    if back == "customer":
        return _customer_page(promise.customer_id)
    return redirect("receivables:dunning_promises")


# ---------------------------------------------------------------------------- tasks


@page_permission("receivables.view_collectiontask")
def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    everyone = request.GET.get("all") == "1" and request.user.has_perm(
        "receivables.change_collectiontask"
    )
    done = request.GET.get("done") == "1"
    rows = selectors.task_list(user=request.user, mine=not everyone, open_only=not done)
    return render(
        request,
        "receivables/dunning/tasks.html",
        {
            "everyone": everyone,
            "done": done,
            "today": timezone.localdate(),
            **_crumbs("tasks", (_("Collection tasks"), None)),
            **listing.list_page(request, rows, rows_name="tasks"),
        },
    )


@require_POST
@page_permission("receivables.view_collectiontask")
def task_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get(user=request.user, pk=pk)
    try:
        services.task_done(task=task, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Task done: %(text)s") % {"text": task.text})
    return redirect("receivables:dunning_tasks")


# ---------------------------------------------------------------------------- customer tab


def _tab_form_submit(
    request: AuthenticatedHttpRequest, customer_pk: int, form: Any, call: Any, message: str
) -> HttpResponse:
    """A form on the customer's receivables tab: saved with `message`, or its errors flashed;
    back to the tab either way."""
    saved = form_service_submit(
        request, form, call, message=message, done=lambda _result: _customer_page(customer_pk)
    )
    if saved is None:
        flash_refusal(request, form=form)
    return _customer_page(customer_pk)


@require_POST
@page_permission("receivables.add_paymentpromise")
def customer_promise_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = customer_get(user=request.user, pk=pk)
    form = PromiseForm(request.POST)
    return _tab_form_submit(
        request,
        customer.pk,
        form,
        lambda: services.promise_create(
            customer_id=customer.pk, actor=request.user, **form.cleaned_data
        ),
        _("Promise to pay recorded: dunning waits until its date."),
    )


@require_POST
@page_permission("receivables.change_dunningprofile")
def customer_profile(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = customer_get(user=request.user, pk=pk)
    form = ProfileForm(request.POST)
    return _tab_form_submit(
        request,
        customer.pk,
        form,
        lambda: services.dunning_profile_update(
            customer_id=customer.pk, data=form.to_input(), actor=request.user
        ),
        _("Dunning settings saved."),
    )


@require_POST
@page_permission("customers.hold_customer_credit")
def customer_release(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = customer_get(user=request.user, pk=pk)
    customer_credit_release(customer=customer, actor=request.user)
    messages.success(
        request,
        _("Credit hold of %(customer)s released: its orders are confirmed as usual again.")
        % {"customer": customer.name},
    )
    return _customer_page(customer.pk)

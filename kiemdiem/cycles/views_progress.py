"""Thin views of a plan's progress: the dashboard, its .xlsx and the reminders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.cycles import progress, progress_export, reminders
from kiemdiem.cycles.models import Cycle
from kiemdiem.cycles.views import _cycles
from kiemdiem.cycles.views import progress_root as _root
from kiemdiem.org.models import Organization

UNITS_PER_PAGE = 50


def _breadcrumbs(cycle: Cycle, root: Organization) -> list[Organization]:
    ids = [int(s) for s in root.path.strip("/").split("/") if s]
    start = len([s for s in cycle.organization.path.strip("/").split("/") if s]) - 1
    chain = {o.pk: o for o in Organization.objects.filter(pk__in=ids[start:])}
    return [chain[i] for i in ids[start:] if i in chain]


@login_required
def dashboard(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = get_object_or_404(_cycles(request), pk=cycle_id)
    root = _root(request, cycle)
    today = timezone.localdate()
    data = progress.compute(cycle, root, today)
    try:
        page = max(1, int(request.GET.get("trang", "1")))
    except ValueError:
        page = 1
    pages = max(1, -(-len(data.units) // UNITS_PER_PAGE))
    page = min(page, pages)
    units = data.units[(page - 1) * UNITS_PER_PAGE : page * UNITS_PER_PAGE]
    context = {
        "cycle": cycle,
        "root": root,
        "data": data,
        "units": units,
        "page": page,
        "pages": pages,
        # One definition of late (issue #11): the badge counts the reminder list's
        # organizations, collective reports included, so both pages give one number.
        "late_units": len(reminders.late_list(cycle, root, today)),
        "crumbs": _breadcrumbs(cycle, root),
        "can_remind": can_at(request.user, Action.EDIT, Kind.CYCLE, root),
    }
    return TemplateResponse(request, "cycles/progress.html", context)


@login_required
def dashboard_xlsx(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = get_object_or_404(_cycles(request), pk=cycle_id)
    root = _root(request, cycle)
    today = timezone.localdate()
    body = progress_export.workbook(
        progress.compute(cycle, root, today), reminders.late_list(cycle, root, today)
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"tien-do-{cycle.year}-{root.code or root.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def reminder_list(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = get_object_or_404(_cycles(request), pk=cycle_id)
    root = _root(request, cycle)
    today = timezone.localdate()
    late = reminders.late_list(cycle, root, today)
    context = {
        "cycle": cycle,
        "root": root,
        "rows": [(r, reminders.message(cycle, r, today)) for r in late],
        "email_enabled": reminders.email_enabled(),
        "can_send": can_at(request.user, Action.EDIT, Kind.CYCLE, root),
        "limit": reminders.MAX_NAMES,
    }
    return TemplateResponse(request, "cycles/reminders.html", context)


@login_required
@require_POST
def reminder_send(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = get_object_or_404(_cycles(request), pk=cycle_id)
    root = _root(request, cycle)
    try:
        sent, without = reminders.send(request.user, cycle, root, timezone.localdate())
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        text = f"Đã gửi nhắc việc tới {sent} đơn vị."
        if without:
            text += f" {without} đơn vị chưa có địa chỉ thư điện tử: gửi bằng danh sách trên."
        messages.success(request, text)
    return redirect(f"{reverse('reminders', args=[cycle.pk])}?don-vi={root.pk}")

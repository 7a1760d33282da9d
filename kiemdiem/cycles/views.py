"""Plans: list, open, a plan with its steps, a lower level's plan, a step's window."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from kiemdiem.accounts.access import Action, Kind, above_ids, can_at, scope_q
from kiemdiem.cycles import progress, services, subjects
from kiemdiem.cycles.forms import ChildCycleForm, OpenCycleForm, StepWindowForm
from kiemdiem.cycles.models import Cycle, SubjectKind
from kiemdiem.org.choices import CELL_KINDS, OrgKind
from kiemdiem.org.models import Organization

# Organizations that issue their own plan: a committee or a cell (a cell's plan implements
# its committee's). A party group follows its cell's plan.
PLANNING_KINDS = [k for k in OrgKind.values if k != OrgKind.GROUP]


def _cycles(request: HttpRequest, action: Action = Action.VIEW) -> QuerySet[Cycle]:
    q = scope_q(request.user, Kind.CYCLE, action, "organization__path")
    if action == Action.VIEW:
        # The plans above one's own subtree are the ones it implements: readable, not editable.
        q |= Q(organization_id__in=above_ids(request.user, Kind.CYCLE, action))
    return Cycle.objects.filter(q).select_related("organization", "parent")


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    cycles = _cycles(request).order_by("-year", "organization__path")[:200]
    can_open = _openable(request).exists()
    return TemplateResponse(request, "cycles/list.html", {"cycles": cycles, "can_open": can_open})


def _openable(request: HttpRequest) -> QuerySet[Organization]:
    q = scope_q(request.user, Kind.CYCLE, Action.EDIT, "path")
    return Organization.objects.filter(q, kind__in=PLANNING_KINDS).exclude(kind__in=CELL_KINDS)


@login_required
def cycle_open(request: HttpRequest) -> HttpResponse:
    organizations = _openable(request).order_by("path")
    today = timezone.localdate()
    # The top of the user's own subtree is the usual issuer; the current central rules first.
    initial = {
        "organization": organizations.first(),
        "year": today.year,
        "title": f"Kế hoạch kiểm điểm, đánh giá, xếp loại chất lượng năm {today.year}",
        "issued_on": today,
        # The rules and steps in force since QĐ 366-QĐ/TW (2025); an office picks a local plan.
        "profile_id": "qd366-2025",
        "template_id": "qd366-2025",
    }
    form = OpenCycleForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.open_cycle(
                request.user,
                data["organization"],
                year=data["year"],
                title=data["title"],
                number_symbol=data["number_symbol"],
                issued_on=data["issued_on"],
                profile_id=data["profile_id"],
                template_id=data["template_id"],
                reference_date=data["reference_date"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã mở kế hoạch {cycle.number_symbol}.")
            return redirect("cycle_detail", cycle_id=cycle.pk)
    return TemplateResponse(request, "cycles/open.html", {"form": form})


@login_required
def cycle_detail(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = get_object_or_404(_cycles(request), pk=cycle_id)
    steps = list(cycle.steps.select_related("parent_step").order_by("order"))
    today = timezone.localdate()
    # The step's status is the progress page's (issue #11 §5): one function decides it from
    # the same counts over the same unit, so the two pages never disagree.
    shown = progress.compute(cycle, progress_root(request, cycle), today)
    states = {r.step.pk: r for r in shown.steps}
    rows = [(s, states[s.pk]) for s in steps]
    children = cycle.children.filter(
        scope_q(request.user, Kind.CYCLE, Action.VIEW, "organization__path")
    ).select_related("organization")
    context = {
        "cycle": cycle,
        "rows": rows,
        "children": children,
        "can_edit": can_at(request.user, Action.EDIT, Kind.CYCLE, cycle.organization),
        "can_open_child": _child_candidates(request, cycle).exists(),
        "profile": cycle.profile_snapshot,
    }
    return TemplateResponse(request, "cycles/detail.html", context)


def _child_candidates(request: HttpRequest, parent: Cycle) -> QuerySet[Organization]:
    """Organizations under the plan that the user plans for and that have no plan this year:
    a cell secretary opens the cell's plan implementing the committee's."""
    taken = Cycle.objects.filter(year=parent.year).values("organization_id")
    return (
        Organization.objects.filter(
            scope_q(request.user, Kind.CYCLE, Action.EDIT, "path"),
            path__startswith=parent.organization.path,
            kind__in=PLANNING_KINDS,
        )
        .exclude(pk=parent.organization_id)
        .exclude(pk__in=taken)
        .order_by("path")
    )


def progress_root(request: HttpRequest, cycle: Cycle) -> Organization:
    """The unit shown: `?don-vi=` inside the plan's subtree, else the plan's organization,
    else the top of the user's own part of it (a cell looking at the committee's plan)."""
    base = cycle.organization
    scope = scope_q(request.user, Kind.CYCLE, Action.VIEW, "path")
    inside = Organization.objects.filter(scope, path__startswith=base.path)
    wanted = request.GET.get("don-vi", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404("Không tìm thấy đơn vị.")
        return get_object_or_404(inside, pk=int(wanted))
    if can_at(request.user, Action.VIEW, Kind.CYCLE, base):
        return base
    top = inside.order_by("depth", "path").first()
    if top is None:
        raise Http404("Không có đơn vị nào trong phạm vi của đồng chí.")
    return top


@login_required
def child_cycle_open(request: HttpRequest, cycle_id: int) -> HttpResponse:
    parent = get_object_or_404(_cycles(request), pk=cycle_id)
    organizations = _child_candidates(request, parent)
    form = ChildCycleForm(
        request.POST or None,
        organizations=organizations,
        initial={"title": parent.title, "issued_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.open_child_cycle(
                request.user,
                parent,
                data["organization"],
                title=data["title"],
                number_symbol=data["number_symbol"],
                issued_on=data["issued_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã lập kế hoạch của {cycle.organization.name}.")
            return redirect("cycle_detail", cycle_id=cycle.pk)
    return TemplateResponse(request, "cycles/child.html", {"form": form, "parent": parent})


@login_required
def step_edit(request: HttpRequest, cycle_id: int, step_id: int) -> HttpResponse:
    cycle = get_object_or_404(_cycles(request, Action.EDIT), pk=cycle_id)
    step = get_object_or_404(cycle.steps.select_related("parent_step"), pk=step_id)
    form = StepWindowForm(
        request.POST or None, initial={"starts_on": step.starts_on, "ends_on": step.ends_on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_step_window(
                request.user, step, form.cleaned_data["starts_on"], form.cleaned_data["ends_on"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã cập nhật thời gian của bước.")
            return redirect("cycle_detail", cycle_id=cycle.pk)
    return TemplateResponse(
        request, "cycles/step.html", {"form": form, "cycle": cycle, "step": step}
    )


@login_required
def subject_list(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Who is reviewed where; the office rebuilds the list and corrects a row with a reason."""
    cycle = get_object_or_404(_cycles(request), pk=cycle_id)
    can_edit = can_at(request.user, Action.EDIT, Kind.CYCLE, cycle.organization)
    if request.method == "POST" and can_edit:
        try:
            if "rebuild" in request.POST:
                n = subjects.rebuild(request.user, cycle)
                messages.success(request, f"Đã lập lại danh sách: {n} dòng.")
            else:
                row = get_object_or_404(cycle.subjects, pk=request.POST.get("subject"))
                subjects.correct(
                    request.user, row, request.POST.get("kind", ""), request.POST.get("reason", "")
                )
                messages.success(request, "Đã điều chỉnh.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("subject_list", cycle_id=cycle.pk)
    rows = (
        cycle.subjects.select_related("member", "place", "collective")
        .filter(scope_q(request.user, Kind.MEMBER, Action.VIEW, "member__cell__path")
                | scope_q(request.user, Kind.MEMBER, Action.VIEW, "member__temporary_cell__path"))
        .order_by("member__sort_key", "member__code", "collective_id")
    )  # fmt: skip
    page = Paginator(rows, 100).get_page(request.GET.get("trang"))
    context = {"cycle": cycle, "page": page, "can_edit": can_edit, "kinds": SubjectKind.choices}
    return TemplateResponse(request, "cycles/subjects.html", context)

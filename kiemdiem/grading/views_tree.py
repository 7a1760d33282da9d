"""Thin views up the tree: the grassroots committee's overview of its cells and quotas, the
superior's overview of its grassroots organizations with breaches flagged (appraisal and
re-classification orders), and the ratings of cells, collectives and units."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.cycles.models import Cycle
from kiemdiem.grading import appraisal, confirm, pages, units
from kiemdiem.grading.context import profile_of
from kiemdiem.grading.forms import AppraiseForm, OrderForm
from kiemdiem.grading.models import ReclassificationOrder, Verdict
from kiemdiem.grading.scales import sheet_for
from kiemdiem.grading.units_bulk import decide_all_units
from kiemdiem.grading.views import unit_and_cycle
from kiemdiem.org.choices import CELL_KINDS, GRASSROOTS_KINDS
from kiemdiem.org.models import Organization
from kiemdiem.reviews.scoring import fmt

PAGE_SIZE = 50


@login_required
def committee(request: HttpRequest, cycle_id: int, org_id: int) -> HttpResponse:
    cycle, org = unit_and_cycle(request, cycle_id, org_id)
    if org.kind in CELL_KINDS:
        return redirect("grading_cell", cycle_id=cycle.pk, org_id=org.pk)
    if request.method == "POST" and request.POST.get("action") == "resolve":
        order = ReclassificationOrder.objects.filter(
            pk=request.POST.get("order", "0"), organization=org, cycle=cycle
        ).first()
        if order is None:
            raise Http404("Không tìm thấy yêu cầu xếp loại lại.")
        try:
            appraisal.resolve_order(request.user, order)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, "Đã báo cáo cấp trên: đã xếp loại lại.")
            return redirect("grading_committee", cycle_id=cycle.pk, org_id=org.pk)
    page = pages.committee_page(request.user, cycle, org)
    cells = Paginator(page.cells, PAGE_SIZE).get_page(request.GET.get("trang"))
    parent = org.parent if org.parent_id else None
    up = parent if parent and can_at(request.user, Action.VIEW, Kind.DECISION, parent) else None
    context = {"p": page, "cycle": cycle, "org": org, "cells": cells, "up": up,
               "level_names": pages.LEVEL_NAMES}  # fmt: skip
    return TemplateResponse(request, "grading/committee.html", context)


@login_required
def superior(request: HttpRequest, cycle_id: int, org_id: int) -> HttpResponse:
    cycle, org = unit_and_cycle(request, cycle_id, org_id)
    if request.method == "POST":
        target = Organization.objects.filter(
            pk=request.POST.get("unit", "0"), path__startswith=org.path, kind__in=GRASSROOTS_KINDS
        ).first()
        if target is None:
            raise Http404("Không tìm thấy tổ chức cơ sở đảng.")
        action = request.POST.get("action")
        try:
            if action == "appraise":
                form = AppraiseForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("Chọn ý kiến thẩm định.")
                if not confirm.confirmed(request.POST):
                    return _confirm_appraise(request, cycle, org, target, form.cleaned_data)
                n = appraisal.appraise(request.user, cycle, target, form.cleaned_data["verdict"],
                                       form.cleaned_data["reason"])  # fmt: skip
                messages.success(request, f"Đã ghi ý kiến thẩm định cho {n} kết quả.")
            elif action == "order":
                form2 = OrderForm(request.POST)
                reason = form2.data.get("reason", "")
                appraisal.order_reclassification(request.user, cycle, target, reason)
                messages.success(request, f"Đã yêu cầu {target.name} xếp loại lại.")
            else:
                raise ValidationError("Thao tác không hợp lệ.")
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            return redirect("grading_superior", cycle_id=cycle.pk, org_id=org.pk)
    grassroots = Organization.objects.filter(
        path__startswith=org.path, kind__in=GRASSROOTS_KINDS
    ).order_by("path")
    paged = Paginator(grassroots, PAGE_SIZE).get_page(request.GET.get("trang"))
    page = pages.superior_page(request.user, cycle, org, paged)
    context = {"p": page, "cycle": cycle, "org": org, "appraise_form": AppraiseForm(),
               "order_form": OrderForm(), "level_names": pages.LEVEL_NAMES}  # fmt: skip
    return TemplateResponse(request, "grading/superior.html", context)


def _skipped(skipped: list[str]) -> list[str]:
    if not skipped:
        return []
    return [f"Còn {len(skipped)} trường hợp chưa thể quyết định:", *skipped[:10]]


def _confirm(request: HttpRequest, cycle: Cycle, org: Organization, **context: Any) -> HttpResponse:
    """The confirm step of an act that cannot be undone (issue 15 §4): a second page, since
    the Content-Security-Policy allows no inline script for a dialog."""
    context = {"cycle": cycle, "org": org, "back": request.get_full_path(), **context}
    return TemplateResponse(request, "grading/confirm.html", context)


def _confirm_appraise(
    request: HttpRequest, cycle: Cycle, org: Organization, target: Organization,
    data: dict[str, Any],
) -> HttpResponse:  # fmt: skip
    """How many results the appraisal covers and how many members still lack a decision;
    agreeing while some lack one needs a reason (the service refuses without)."""
    verdict, reason = data["verdict"], data["reason"]
    n = confirm.preview(lambda: appraisal.appraise(request.user, cycle, target, verdict,
                                                   reason or "xem trước"))  # fmt: skip
    missing = confirm.missing_decisions(cycle, target)
    word = Verdict(verdict).label
    facts = [f"Sẽ ghi ý kiến “{word}” cho {n} kết quả xếp loại đã quyết định của {target.name}."]
    warnings = []
    if missing:
        warnings.append(f"Còn {missing} đảng viên của {target.name} chưa có quyết định xếp loại: "
                        "thẩm định lúc này không bao gồm họ.")  # fmt: skip
    fields = [("action", "appraise"), ("unit", target.pk), ("verdict", verdict)]
    return _confirm(request, cycle, org, title=f"Thẩm định — {target.name}", facts=facts,
                    warnings=warnings, ask_reason=bool(missing) or verdict == Verdict.RETURN,
                    reason=reason, button=f"Xác nhận thẩm định {n} kết quả",
                    fields=fields)  # fmt: skip


@login_required
def unit_board(request: HttpRequest, cycle_id: int, org_id: int) -> HttpResponse:
    """The units `org` decides: cells, collectives, villages and branches, with their sheets,
    proposed and decided levels and the caps of their scheme."""
    cycle, org = unit_and_cycle(request, cycle_id, org_id, Kind.UNIT_RATING)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "decide_all" and not confirm.confirmed(request.POST):
                res = confirm.preview(lambda: decide_all_units(request.user, cycle, org))
                title = f"Quyết định tất cả theo đề xuất — {org.name}"
                facts = [f"Sẽ quyết định xếp loại {res.decided} đơn vị theo mức đề xuất."]
                return _confirm(request, cycle, org, title=title, facts=facts,
                                warnings=_skipped(res.skipped), fields=[("action", "decide_all")],
                                button=f"Xác nhận quyết định {res.decided} đơn vị")  # fmt: skip
            if action == "decide_all":
                res = decide_all_units(request.user, cycle, org)
                messages.success(request, f"Đã quyết định xếp loại {res.decided} đơn vị.")
                for why in res.skipped[:10]:
                    messages.warning(request, f"Chưa quyết định: {why}")
                return redirect("grading_units", cycle_id=cycle.pk, org_id=org.pk)
            subject = units.find_subject(org, request.POST.get("key", ""))
            level, reason = request.POST.get("level", ""), request.POST.get("reason", "")
            if action == "propose":
                units.propose_unit(request.user, cycle, subject, level, reason)
                messages.success(request, f"Đã ghi mức đề xuất của {subject.name}.")
            elif action == "decide":
                units.decide_unit(request.user, cycle, org, subject, level, reason)
                messages.success(request, f"Đã ghi quyết định xếp loại {subject.name}.")
            else:
                raise ValidationError("Thao tác không hợp lệ.")
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            return redirect("grading_units", cycle_id=cycle.pk, org_id=org.pk)
    boards = [
        (b, [(r, can_at(request.user, Action.PROPOSE, Kind.UNIT_RATING, r.subject.place))
             for r in b.rows])
        for b in units.board(cycle, org)
    ]  # fmt: skip
    context = {
        "cycle": cycle, "org": org, "boards": boards,
        "can_decide": can_at(request.user, Action.DECIDE, Kind.UNIT_RATING, org),
    }  # fmt: skip
    return TemplateResponse(request, "grading/units.html", context)


@login_required
def sheet(request: HttpRequest, cycle_id: int, org_id: int, key: str) -> HttpResponse:
    """A unit's self-scoring sheet (bảng điểm) from the profile's template."""
    cycle, org = unit_and_cycle(request, cycle_id, org_id, Kind.UNIT_RATING)
    try:
        subject = units.find_subject(org, key)
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from exc
    template = sheet_for(profile_of(cycle), subject.kind)
    if template is None:
        raise Http404("Đơn vị này không tự chấm bảng điểm.")
    saved = units.UnitSheet.objects.filter(cycle=cycle, subject_key=subject.key).first()
    errors: list[str] = []
    values = {c.code: request.POST.get(c.code, "") for c in template.criteria}
    if request.method == "POST":
        try:
            units.save_sheet(request.user, cycle, subject, values)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"Đã lưu bảng điểm của {subject.name}.")
            return redirect("grading_units", cycle_id=cycle.pk, org_id=org.pk)
    elif saved is not None:
        values = {k: fmt(Decimal(v)) for k, v in saved.scores.items()}
    context = {
        "cycle": cycle, "org": org, "subject": subject, "template": template,
        "rows": [(c, values.get(c.code, "")) for s in template.sections for c in s.criteria],
        "errors": errors, "saved": saved, "maximum": fmt(template.maximum),
        "can_edit": can_at(request.user, Action.EDIT, Kind.UNIT_RATING, subject.place),
    }  # fmt: skip
    return TemplateResponse(request, "grading/sheet.html", context)

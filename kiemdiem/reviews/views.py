"""Thin views of the self-review (Mẫu 02): the member's own paper, the editor a secretary uses
to enter one on a member's behalf, the autosave endpoint, the cell's list, returning and
scoring. Permission and audit live in self_reviews.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kiemdiem.accounts.access import Action, Kind, allowed, can_at, grants, own_member_id
from kiemdiem.cycles.models import Cycle
from kiemdiem.org.choices import CELL_KINDS, PositionRank
from kiemdiem.org.models import Member, Organization, Position
from kiemdiem.reviews import formdefs
from kiemdiem.reviews import self_reviews as svc
from kiemdiem.reviews.forms import ReturnForm, committee_scores, editor_context, self_review_data
from kiemdiem.reviews.models import QualityLevel, ReviewStatus, SelfReview, Suggestion
from kiemdiem.reviews.scoring import fmt, level_for_total

K = Kind.SELF_REVIEW


def _ids_on_path(path: str) -> list[int]:
    return [int(seg) for seg in path.strip("/").split("/") if seg]


def _member(member_id: int) -> Member:
    member = Member.objects.select_related("cell", "temporary_cell").filter(pk=member_id).first()
    if member is None:
        raise Http404("Không tìm thấy đảng viên.")
    return member


def _cycle_for(cycle_id: int, member: Member) -> Cycle:
    cycle = Cycle.objects.select_related("organization").filter(pk=cycle_id).first()
    if cycle is None or not svc.covers(cycle, member):
        raise Http404("Không tìm thấy kế hoạch.")
    return cycle


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """ "Bản tự kiểm điểm của tôi": the plans over the member's cell, the cells the user works
    for, and the collectives the user heads (for their Mẫu 01)."""
    member_id = own_member_id(request.user)
    mine: list[tuple[Cycle, SelfReview | None]] = []
    heads: list[Position] = []
    if member_id is not None:
        member = _member(member_id)
        paths = [c.path for c in svc._cells(member)]
        ids = {i for p in paths for i in _ids_on_path(p)}
        cycles = list(Cycle.objects.filter(organization_id__in=ids, status="open"))
        reviews = {r.cycle_id: r for r in SelfReview.objects.filter(member_id=member_id)}
        mine = [(c, reviews.get(c.pk)) for c in cycles]
        today = timezone.localdate()
        heads = list(
            Position.objects.filter(
                member_id=member_id, rank=PositionRank.HEAD, start_on__lte=today
            )
            .exclude(end_on__lt=today)
            .exclude(collective__isnull=True)
            .select_related("collective__organization")
        )
    # The cells where the user's office role works on self-reviews.
    paths = sorted({g.path for g in grants(request.user) if allowed(g.role, K, Action.EDIT)})
    cells: list[tuple[Organization, list[Cycle]]] = []
    if paths:
        q = Q()
        for p in paths:
            q |= Q(path__startswith=p)
        found = list(Organization.objects.filter(q, kind__in=CELL_KINDS).order_by("path")[:50])
        above = {i for o in found for i in _ids_on_path(o.path)}
        open_cycles = list(Cycle.objects.filter(organization_id__in=above, status="open"))
        cells = [
            (o, [c for c in open_cycles if o.path.startswith(c.organization.path)]) for o in found
        ]
    head_cycles = {
        p.pk: [c for c, _ in mine if p.collective.organization.path.startswith(c.organization.path)]  # type: ignore[union-attr]
        for p in heads
    }
    context = {"mine": mine, "cells": cells, "heads": [(p, head_cycles[p.pk]) for p in heads]}
    return TemplateResponse(request, "reviews/home.html", context)


@login_required
def my_review(request: HttpRequest, cycle_id: int) -> HttpResponse:
    member_id = own_member_id(request.user)
    if member_id is None:
        raise Http404("Tài khoản chưa gắn với đảng viên nào.")
    return editor(request, cycle_id, member_id)


@login_required
def editor(request: HttpRequest, cycle_id: int, member_id: int) -> HttpResponse:
    """The paper: editable by its member (or the cell, entering on their behalf) until
    submitted; read-only for others in scope; 404 for everyone else."""
    member = _member(member_id)
    cycle = _cycle_for(cycle_id, member)
    can_edit = svc.may(request.user, Action.EDIT, member)
    review = SelfReview.objects.filter(cycle=cycle, member=member).first()
    if review is None:
        if not can_edit:
            raise Http404("Chưa có bản kiểm điểm.")
        review = svc.start(request.user, cycle, member)
    elif not (can_edit or svc.visible(request.user).filter(pk=review.pk).exists()):
        raise Http404("Không tìm thấy bản kiểm điểm.")
    data = None
    if request.method == "POST":
        if review.locked or not can_edit:
            raise PermissionDenied("Bản kiểm điểm không sửa được.")
        data = self_review_data(request.POST)
        try:
            svc.save_draft(request.user, review, data)
            if request.POST.get("op") == "submit":
                svc.submit(request.user, review)
                messages.success(request, "Đã nộp bản kiểm điểm.")
            else:
                messages.success(request, "Đã lưu bản nháp.")
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
            review.refresh_from_db()
        else:
            return redirect(request.path)
    return TemplateResponse(request, "reviews/editor.html", _editor_page(request, review, data))


def _editor_page(request: HttpRequest, review: SelfReview, data: Any) -> dict[str, Any]:
    own = own_member_id(request.user) == review.member_id
    context = editor_context(review, data)
    total = review.self_total if context["framework"] else None
    context.update(
        review=review,
        cycle=review.cycle,
        member=review.member,
        own=own,
        editable=not review.locked and svc.may(request.user, Action.EDIT, review.member),
        can_return=review.status == ReviewStatus.SUBMITTED
        and svc.at_cell(request.user, Action.RETURN, review.member),
        can_score=context["framework"] is not None
        and review.status == ReviewStatus.SUBMITTED
        and not own
        and svc.at_cell(request.user, Action.EDIT, review.member),
        return_form=ReturnForm(),
        level_choices=QualityLevel.choices,
        suggestions=list(Suggestion.objects.filter(cycle=review.cycle, member=review.member)),
        # Mẫu 05 is HD 43's: only where the plan scores (QĐ 366).
        quarters=list(review.cycle.periodic_ratings.filter(member=review.member))
        if context["framework"]
        else None,
        can_record_quarter=svc.may(request.user, Action.EDIT, review.member),
        self_total=fmt(total) if total is not None else "",
        self_total_level=level_for_total(total, review.cycle.profile_snapshot) if total else "",
        committee_total=fmt(review.committee_total),
        saved_hhmm=timezone.localtime(review.saved_at).strftime("%H:%M"),
        entered_by_other=review.entered_by_id is not None
        and review.entered_by_id != review.member.user_id,
    )
    return context


@login_required
@require_POST
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """The small script posts the whole form here every few seconds or on change."""
    review = (
        SelfReview.objects.select_related("member__cell", "member__temporary_cell")
        .filter(pk=pk)
        .first()
    )
    if review is None or not svc.may(request.user, Action.EDIT, review.member):
        return JsonResponse({"errors": ["Không tìm thấy bản kiểm điểm."]}, status=404)
    try:
        saved = svc.save_draft(request.user, review, self_review_data(request.POST))
    except (ValidationError, PermissionDenied) as exc:
        errors = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return JsonResponse({"errors": errors}, status=400)
    return JsonResponse({"saved_at": timezone.localtime(saved).strftime("%H:%M")})


@login_required
@require_POST
def return_review(request: HttpRequest, pk: int) -> HttpResponse:
    review = _visible_review(request, pk)
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["comment"]))
        svc.return_for_changes(request.user, review, form.cleaned_data["comment"])
        messages.success(request, f"Đã trả lại bản kiểm điểm của {review.member.full_name}.")
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    return redirect("review_editor", cycle_id=review.cycle_id, member_id=review.member_id)


@login_required
def score(request: HttpRequest, pk: int) -> HttpResponse:
    """The chi ủy's score per criterion beside the member's own."""
    review = _visible_review(request, pk)
    if request.method == "POST":
        try:
            svc.score_by_committee(request.user, review, committee_scores(request.POST))
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, "Đã lưu điểm chi ủy chấm.")
    return redirect("review_editor", cycle_id=review.cycle_id, member_id=review.member_id)


def _visible_review(request: HttpRequest, pk: int) -> SelfReview:
    review = (
        svc.visible(request.user)
        .select_related("cycle__organization", "member__cell", "member__temporary_cell")
        .filter(pk=pk)
        .first()
    )
    if review is None:
        raise Http404("Không tìm thấy bản kiểm điểm.")
    return review


@login_required
def cell_list(request: HttpRequest, cycle_id: int, org_id: int) -> HttpResponse:
    """A cell's self-reviews with status and actions, in a fixed number of queries."""
    cell = Organization.objects.filter(pk=org_id, kind__in=CELL_KINDS).first()
    cycle = Cycle.objects.select_related("organization").filter(pk=cycle_id).first()
    if cell is None or cycle is None or not cell.path.startswith(cycle.organization.path):
        raise Http404("Không tìm thấy chi bộ hoặc kế hoạch.")
    if not can_at(request.user, Action.VIEW, K, cell):
        raise Http404("Không tìm thấy chi bộ.")
    members = list(svc.cell_members(cell))
    reviews = {
        r.member_id: r
        for r in SelfReview.objects.filter(cycle=cycle, member_id__in=[m.pk for m in members])
    }
    follow_up = {c.value for c in formdefs.manifestation_levels() if c.follow_up}
    rows = []
    for m in members:
        r = reviews.get(m.pk)
        flagged = sum(1 for v in r.manifestations.values() if v in follow_up) if r else 0
        rows.append((m, r, flagged))
    counts = {s: sum(1 for _, r, _f in rows if r and r.status == s) for s in ReviewStatus.values}
    context = {
        "cycle": cycle,
        "cell": cell,
        "rows": rows,
        "counts": counts,
        "missing": sum(1 for _, r, _f in rows if r is None),
        "can_edit": can_at(request.user, Action.EDIT, K, cell),
        "scoring": formdefs.scores(formdefs.form_set_for(cycle.profile_id, cycle.profile_snapshot)),
    }
    return TemplateResponse(request, "reviews/cell_list.html", context)

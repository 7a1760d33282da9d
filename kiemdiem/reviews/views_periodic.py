"""Mẫu 05: the member (or the cell on the member's behalf) records a quarter's self-rating
from the self-review page; the page lists the quarters recorded."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from kiemdiem.cycles.models import Cycle
from kiemdiem.org.models import Member
from kiemdiem.reviews import periodic
from kiemdiem.reviews import self_reviews as svc


@login_required
@require_POST
def record_quarter(request: HttpRequest, cycle_id: int, member_id: int) -> HttpResponse:
    member = Member.objects.select_related("cell", "temporary_cell").filter(pk=member_id).first()
    cycle = Cycle.objects.select_related("organization").filter(pk=cycle_id).first()
    if member is None or cycle is None or not svc.covers(cycle, member):
        raise Http404("Không tìm thấy bản kiểm điểm.")
    try:
        quarter = int(request.POST.get("quarter") or 0)
    except ValueError:
        quarter = 0
    try:
        periodic.record_quarter(
            request.user, cycle, member, quarter=quarter,
            score=request.POST.get("score") or "", level=request.POST.get("level") or "",
            products=request.POST.get("products") or "",
        )  # fmt: skip
    except PermissionDenied:
        raise
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, f"Đã ghi tự đánh giá quý {quarter} (Mẫu 05).")
    return redirect("review_editor", cycle_id=cycle.pk, member_id=member.pk)

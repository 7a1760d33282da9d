"""Thin views of a member's results over the years ("Kết quả của tôi", issue 15 §1)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from kiemdiem.accounts.access import own_member_id
from kiemdiem.grading.my_results import member_years, visible_members
from kiemdiem.org.models import Member


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The menu's "Kết quả của tôi": the signed-in member's own page."""
    member_id = own_member_id(request.user)
    if member_id is None:
        messages.info(
            request,
            "Tài khoản của đồng chí không gắn với hồ sơ đảng viên nào, nên không có kết quả "
            "xếp loại cá nhân; quản trị viên gắn tài khoản với hồ sơ đảng viên.",
        )
        return redirect("home")
    return redirect("member_results", member_id=member_id)


@login_required
def results(request: HttpRequest, member_id: int) -> HttpResponse:
    member = (
        Member.objects.filter(visible_members(request.user), pk=member_id)
        .select_related("cell")
        .first()
    )
    if member is None:
        raise Http404("Không tìm thấy đảng viên.")
    context = {
        "member": member,
        "years": member_years(member),
        "is_self": member.pk == own_member_id(request.user),
    }
    return TemplateResponse(request, "grading/results.html", context)

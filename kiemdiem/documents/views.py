"""Thin views: downloads of single papers (each scoped through the access table: who may
see the page's object may download its paper, nobody else), a cell's documents page, and
the committee's background dossier job with its progress page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from kiemdiem.accounts.access import Action, Kind, can_at, can_own, scope_q
from kiemdiem.documents import cell as c
from kiemdiem.documents import dossier, draft, files, jobs
from kiemdiem.documents.models import DocumentJob
from kiemdiem.documents.pdf import soffice
from kiemdiem.documents.render import DocumentError
from kiemdiem.feedback import services as feedback
from kiemdiem.grading.models import Decision
from kiemdiem.grading.views import unit_and_cycle
from kiemdiem.meetings.models import Meeting
from kiemdiem.reviews.models import CollectiveReport
from kiemdiem.reviews.self_reviews import visible as visible_reviews


def _send(made: files.File) -> HttpResponse:
    data, name, kind = made
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"  # sensitive papers never sit in a shared cache
    return response


def _file(request: HttpRequest, make: Callable[[], files.File], back: str) -> HttpResponse:
    try:
        return _send(make())
    except DocumentError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    except PermissionDenied as exc:
        raise Http404(str(exc)) from exc


@login_required
def cell_documents(request: HttpRequest, cycle_id: int, org_id: int) -> HttpResponse:
    cycle, cell = unit_and_cycle(request, cycle_id, org_id)
    if not dossier.allowed(request.user, cell):
        raise Http404("Đồng chí không có quyền lập văn bản của chi bộ này.")
    data = c.load(request.user, cycle, cell)
    context = {
        "cycle": cycle, "cell": cell, "files": files.CELL_FILES, "leaders": c.leaders(data),
        "meeting": data.meeting, "missing_sheet": data.sheet is None,
        "drafts": draft.lacking_by_paper(data.meeting),
    }  # fmt: skip
    return TemplateResponse(request, "documents/cell.html", context)


@login_required
def cell_file(request: HttpRequest, cycle_id: int, org_id: int, name: str) -> HttpResponse:
    cycle, cell = unit_and_cycle(request, cycle_id, org_id)
    if name not in files.CELL_FILES:
        raise Http404("Không có văn bản này.")
    back = reverse("documents_cell", args=[cycle.pk, cell.pk])
    return _file(request, lambda: files.cell_file(request.user, cycle, cell, name), back)


@login_required
def leader_file(request: HttpRequest, cycle_id: int, org_id: int, member_id: int) -> HttpResponse:
    cycle, cell = unit_and_cycle(request, cycle_id, org_id)
    back = reverse("documents_cell", args=[cycle.pk, cell.pk])
    return _file(request, lambda: files.leader_file(request.user, cycle, cell, member_id), back)


@login_required
def meeting_file(request: HttpRequest, meeting_id: int, name: str) -> HttpResponse:
    q = scope_q(request.user, Kind.MEETING, Action.VIEW, "organization__path")
    meeting = get_object_or_404(
        Meeting.objects.filter(q).select_related("organization", "cycle", "chair", "secretary"),
        pk=meeting_id,
    )
    back = reverse("meeting_detail", args=[meeting.pk])
    return _file(request, lambda: files.meeting_file(request.user, meeting, name), back)


@login_required
def self_review_file(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(
        visible_reviews(request.user).select_related("cycle", "member__cell"), pk=pk
    )
    return _file(request, lambda: files.self_review_file(review), reverse("review_home"))


@login_required
def re_rating_file(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        Decision.objects.select_related("cycle", "body", "member__cell", "supersedes"), pk=pk
    )
    if not can_at(request.user, Action.VIEW, Kind.DECISION, decision.place):
        raise Http404("Không tìm thấy quyết định.")
    return _file(request, lambda: files.re_rating_file(decision), "/")


@login_required
def quarterly_file(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(
        visible_reviews(request.user).select_related("cycle", "member__cell"), pk=pk
    )
    back = reverse("review_editor", args=[review.cycle_id, review.member_id])
    return _file(request, lambda: files.quarterly_file(review), back)


@login_required
def feedback_file(request: HttpRequest, pk: int) -> HttpResponse:
    req = feedback.get_visible(request.user, pk)
    return _file(request, lambda: files.feedback_file(req), reverse("feedback_detail", args=[pk]))


@login_required
def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        CollectiveReport.objects.select_related("cycle", "collective__organization", "head"),
        pk=pk,
    )
    org = report.collective.organization
    if not (
        can_at(request.user, Action.VIEW, Kind.COLLECTIVE_REPORT, org)
        or can_own(request.user, Action.VIEW, Kind.COLLECTIVE_REPORT, report.head_id)
    ):
        raise Http404("Không tìm thấy báo cáo.")
    return _file(request, lambda: files.report_file(report), "/")


@login_required
@require_POST
def start_job(request: HttpRequest, cycle_id: int, org_id: int) -> HttpResponse:
    cycle, org = unit_and_cycle(request, cycle_id, org_id)
    try:
        job = jobs.start(request.user, cycle, org, pdf=request.POST.get("pdf") == "1")
    except PermissionDenied as exc:
        raise Http404(str(exc)) from exc
    return redirect("document_job", pk=job.pk)


def _job(request: HttpRequest, pk: int) -> DocumentJob:
    job = get_object_or_404(
        DocumentJob.objects.select_related("organization", "cycle", "requested_by"), pk=pk
    )
    if job.requested_by_id != request.user.pk and not jobs.may_start(
        request.user, job.organization
    ):
        raise Http404("Không tìm thấy việc lập hồ sơ.")
    return job


@login_required
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    percent = round(100 * job.done / job.total) if job.total else 0
    context = {"job": job, "percent": percent, "pdf_available": soffice() is not None}
    return TemplateResponse(request, "documents/job.html", context)


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    path = jobs.result_path(job)
    if path is None:
        raise Http404("Hồ sơ chưa lập xong hoặc tệp không còn trên máy chủ.")
    response = FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name)
    response["Cache-Control"] = "no-store"
    return response

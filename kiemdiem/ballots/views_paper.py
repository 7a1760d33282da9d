"""Thin views of the paper ballot (papers to print, the two entries, confirmation) and of
the counting page and biên bản kiểm phiếu that both modes share. Scoped like the meeting:
someone who may not see the meeting gets 404; the services refuse those who may not act."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.ballots import paper_flow, papers, results, services
from kiemdiem.ballots.counting import (
    BLANK,
    CHOICE_NAMES,
    OFFICIAL_BASE_NAME,
    CountResult,
    choices_for,
    percent,
)
from kiemdiem.ballots.docx_parts import DOCX_TYPE
from kiemdiem.ballots.double_entry import PAPER_FIELDS, field_key
from kiemdiem.ballots.minutes_docx import conclusion, minutes_docx
from kiemdiem.ballots.models import Ballot, BallotMode, BallotStatus, PaperEntry
from kiemdiem.ballots.views import _ballot, _errors
from kiemdiem.rules import Level
from kiemdiem.rules.quorum import QuorumError

MAX_COPIES = 500


def _can_edit(request: HttpRequest, ballot: Ballot) -> bool:
    return can_at(request.user, Action.EDIT, Kind.MEETING, ballot.meeting.organization)


def _paper(request: HttpRequest, ballot_id: int) -> Ballot:
    ballot = _ballot(request, ballot_id)
    if ballot.mode != BallotMode.PAPER:
        raise Http404("Không phải cuộc bỏ phiếu giấy.")
    return ballot


def sheet_of(ballot: Ballot) -> papers.Sheet:
    meeting = ballot.meeting
    org = meeting.organization
    lines = tuple(
        papers.Line(c.name, proposed=Level.parse(c.proposal) if c.proposal else None)
        for c in ballot.candidates.all()
    )
    return papers.Sheet(
        superior=org.parent.name if org.parent_id is not None and org.parent else "",
        issuer=org.name,
        kind="members",
        year=meeting.cycle.year,
        method=ballot.method,
        lines=lines,
        round=ballot.round,
    )


def _download(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _int_param(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(request.GET.get(name, default))
    except ValueError:
        return default
    return min(max(value, low), high)


def _printing(request: HttpRequest, ballot: Ballot) -> tuple[papers.Sheet, int, int]:
    """The sheet, how many papers (default: one per voter) and how many to an A4 page."""
    sheet = sheet_of(ballot)
    voters = ballot.roll.filter(may_vote=True).count()
    copies = _int_param(request, "so_phieu", voters or 1, 1, MAX_COPIES)
    per = _int_param(request, "moi_trang", papers.default_per_sheet(sheet), 1, 4)
    return sheet, copies, per


def paper_detail(request: HttpRequest, ballot: Ballot) -> HttpResponse:
    """The paper ballot's page (called by ballots.views.ballot_detail for paper mode)."""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "committee":
                names = request.POST.get("committee", "").splitlines()
                paper_flow.set_committee(request.user, ballot, names)
                messages.success(request, "Đã lưu Ban kiểm phiếu.")
            elif action == "proposals":
                got = {c.key: request.POST.get(f"p_{c.key}", "") for c in ballot.candidates.all()}
                paper_flow.set_proposals(request.user, ballot, got)
                messages.success(request, "Đã lưu mức chi ủy đề xuất.")
            elif action == "confirm":
                paper_flow.confirm(request.user, ballot)
                messages.success(request, "Đã xác nhận kết quả kiểm phiếu.")
                return redirect("ballot_count", ballot_id=ballot.pk)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _errors(exc))
        return redirect("ballot_detail", ballot_id=ballot.pk)
    entries = {
        e.number: e for e in PaperEntry.objects.filter(ballot=ballot).select_related("entered_by")
    }
    sheet = sheet_of(ballot)
    off = services.off_ballot_names(ballot)
    roll = list(ballot.roll.all())
    voters = sum(r.may_vote for r in roll)
    context = {
        "ballot": ballot,
        "meeting": ballot.meeting,
        "roll": roll,
        "voters": voters,
        "candidates": ballot.candidates.all(),
        "can_edit": _can_edit(request, ballot),
        "entries": [(n, entries.get(n)) for n in (1, 2)],
        "mismatches": paper_flow.mismatches(ballot),
        "committee_text": "\n".join(ballot.committee),
        "levels": list(Level),
        "approve": sheet.approve,
        "per_sheet": papers.default_per_sheet(sheet),
        "per_sheet_choices": (1, 2, 3, 4),
        "confirmed": ballot.confirmed_at is not None,
        "off_ballot": off[0],
        "off_source": off[1],
    }
    return TemplateResponse(request, "ballots/paper.html", context)


@login_required
@never_cache
def paper_entry(request: HttpRequest, ballot_id: int, number: int) -> HttpResponse:
    """One entry of the tally sheet. The form shows only this entry's own numbers, never
    the other entry's, so the second entry is typed independently from the sheet."""
    ballot = _paper(request, ballot_id)
    if number not in (1, 2):
        raise Http404
    data: dict[str, str] = {}
    error: list[str] = []
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in request.POST if k != "csrfmiddlewaretoken"}
        try:
            paper_flow.enter(request.user, ballot, number, data)
        except ValidationError as exc:  # PermissionDenied: Django's 403
            error = exc.messages
        else:
            messages.success(request, f"Đã lưu lần nhập thứ {'nhất' if number == 1 else 'hai'}.")
            return redirect("ballot_detail", ballot_id=ballot.pk)
    else:
        own = PaperEntry.objects.filter(ballot=ballot, number=number).first()
        if own is not None:
            data = {"issued": str(own.issued), "returned": str(own.returned),
                    "spoiled": str(own.spoiled)}  # fmt: skip
            for key, row in own.rows.items():
                data.update({field_key(key, ch): str(n) for ch, n in row.items()})
    # Where the two entries disagree (cells only, never the other entry's numbers).
    diff = {m.key for m in paper_flow.mismatches(ballot) or []}
    columns = [(c, CHOICE_NAMES[c]) for c in (*choices_for(ballot.method), BLANK)]
    rows = []
    for c in ballot.candidates.all():
        cells = [(k, label, data.get(k, "0"), k in diff)
                 for k, label in ((field_key(c.key, ch), lb) for ch, lb in columns)]  # fmt: skip
        rows.append((c, cells))
    figures = [(attr, label, data.get(attr, ""), attr in diff) for attr, label in PAPER_FIELDS]
    context = {
        "ballot": ballot,
        "meeting": ballot.meeting,
        "number": number,
        "figures": figures,
        "rows": rows,
        "errors": error,
        "approve": ballot.method != "choose_level",
        "locked": ballot.confirmed_at is not None,
    }
    return TemplateResponse(
        request, "ballots/paper_entry.html", context, status=400 if error else 200
    )


@login_required
def papers_docx(request: HttpRequest, ballot_id: int) -> HttpResponse:
    """The ballot papers: as many as voters by default, `moi_trang` to a sheet."""
    ballot = _paper(request, ballot_id)
    sheet, copies, per = _printing(request, ballot)
    data = papers.ballots_docx(sheet, copies=copies, per_sheet=per)
    return _download(data, f"phieu-bau-{ballot.pk}-vong-{ballot.round}.docx")


@login_required
def papers_print(request: HttpRequest, ballot_id: int) -> HttpResponse:
    """The same papers as an A4 print page (the browser's Print), and the tally sheet."""
    ballot = _paper(request, ballot_id)
    sheet, copies, per = _printing(request, ballot)
    numbers = list(range(1, copies + 1))
    lines = [
        {"name": ln.name, "note": ln.note, "proposed_name": sheet.proposed_name(ln)}
        for ln in sheet.lines
    ]
    context = {
        "sheet": sheet,
        "lines": lines,
        "pages": [numbers[i : i + per] for i in range(0, copies, per)],
        "copies": copies,
        "per_sheet": per,
        "per_sheet_choices": (1, 2, 3, 4),
        "max_copies": MAX_COPIES,
        "docx_url": reverse("ballot_papers_docx", args=[ballot.pk]),
        "tally_docx_url": reverse("ballot_tally_docx", args=[ballot.pk]),
        "back_url": reverse("ballot_detail", args=[ballot.pk]),
        "committee": ballot.committee,
    }
    return TemplateResponse(request, "ballots/paper_print.html", context)


@login_required
def tally_docx(request: HttpRequest, ballot_id: int) -> HttpResponse:
    ballot = _paper(request, ballot_id)
    data = papers.tally_docx(sheet_of(ballot), ballot.committee)
    return _download(data, f"phieu-tong-hop-kiem-phieu-{ballot.pk}.docx")


SHORT = {"approve": "Đồng ý", "disapprove": "Không đồng ý", BLANK: "Bỏ trống, sai"}


def _rows(result: CountResult, number: int) -> list[dict[str, Any]]:
    """One round's candidates for the page: votes, both shares, level, reasons. Levels go by
    their official abbreviations (the full name on hover) so four columns fit a phone."""
    out = []
    for c in result.by_round[number - 1]:
        base, official = c.shares_base, c.shares_official
        cells = [
            (SHORT.get(k, k), CHOICE_NAMES[k], n, percent(base[k]) if k in base else "—",
             percent(official[k]) if k in official else "—")
            for k, n in c.marks.items()
            if k != BLANK or n
        ]  # fmt: skip
        out.append({"c": c, "cells": cells, "conclusion": conclusion(c)})
    return out


@login_required
@never_cache
def ballot_count(request: HttpRequest, ballot_id: int) -> HttpResponse:
    """The counting page: every round up to this one through the rule engine (online after
    close, paper after confirmation), and the second round for the undecided only."""
    ballot = _ballot(request, ballot_id)
    if request.method == "POST":
        try:
            nxt = results.open_next_round(request.user, ballot)
        except QuorumError as exc:
            messages.error(request, " ".join(exc.problems))
            return redirect("ballot_count", ballot_id=ballot.pk)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _errors(exc))
            return redirect("ballot_count", ballot_id=ballot.pk)
        return redirect("ballot_detail", ballot_id=nxt.pk)
    if not results.is_final(ballot):
        messages.error(request, "Chưa có kết quả: cần đóng bỏ phiếu hoặc xác nhận kết quả.")
        return redirect("ballot_detail", ballot_id=ballot.pk)
    try:
        result = results.result_of(ballot)
    except QuorumError as exc:  # too few attended or voted: figures and why, no level
        return TemplateResponse(request, "ballots/count_refused.html", {
            "ballot": ballot, "meeting": ballot.meeting, "problems": exc.problems,
            "rounds": [(b.round, results.final_counts(b).papers) for b in results.chain(ballot)],
        })  # fmt: skip
    names = {c.key: c.name for c in result.candidates}
    quotas = [
        (q, [names.get(k, k) for k in (*q.over_quota, *q.needs_decision)]) for q in result.quotas
    ]
    rounds = [
        (n, result.rounds[n - 1].papers, _rows(result, n)) for n in range(1, len(result.rounds) + 1)
    ]
    context = {
        "ballot": ballot,
        "meeting": ballot.meeting,
        "result": result,
        "rounds": rounds,
        "quotas": quotas,
        "official_name": OFFICIAL_BASE_NAME,
        "can_edit": _can_edit(request, ballot),
        "has_next": Ballot.objects.filter(previous=ballot).exists(),
        "online": ballot.mode == BallotMode.ONLINE,
    }
    return TemplateResponse(request, "ballots/count.html", context)


@login_required
def minutes(request: HttpRequest, ballot_id: int) -> HttpResponse:
    ballot = _ballot(request, ballot_id)
    if not results.is_final(ballot):
        raise Http404("Chưa có kết quả kiểm phiếu.")
    try:
        result = results.result_of(ballot)
    except QuorumError as exc:  # no biên bản declares levels below the quorum
        messages.error(request, " ".join(exc.problems))
        return redirect("ballot_count", ballot_id=ballot.pk)
    data = minutes_docx(results.minutes_of(ballot, result))
    return _download(data, f"bien-ban-kiem-phieu-{ballot.pk}.docx")


@login_required
@require_POST
def committee(request: HttpRequest, ballot_id: int) -> HttpResponse:
    """The ban kiểm phiếu of an online ballot (a paper ballot sets it on its own page)."""
    ballot = _ballot(request, ballot_id)
    try:
        paper_flow.set_committee(
            request.user, ballot, request.POST.get("committee", "").splitlines()
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Đã lưu Ban kiểm phiếu.")
    target = "ballot_count" if ballot.status == BallotStatus.CLOSED else "ballot_detail"
    return redirect(reverse(target, args=[ballot.pk]))

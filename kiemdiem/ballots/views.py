"""Thin views of the online ballot: the secretary's page (roll, slips, turnout, close,
counts), the voter's phone page, the published receipts. The vote view logs nothing and
keeps nothing but what `services.cast` writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kiemdiem.accounts.access import Action, Kind, can_at, scope_q
from kiemdiem.ballots import services
from kiemdiem.ballots.counting import BLANK, CHOICE_NAMES, choices_for
from kiemdiem.ballots.models import Ballot, BallotMode, BallotStatus, BoxEntry
from kiemdiem.ballots.opening import count_sealed, needs_shares
from kiemdiem.ballots.qr import qr_svg
from kiemdiem.ballots.reissue import reissue_unused
from kiemdiem.ballots.results import is_final
from kiemdiem.ballots.services import Slips
from kiemdiem.meetings.models import Meeting


def _ballot(request: HttpRequest, ballot_id: int) -> Ballot:
    q = scope_q(request.user, Kind.MEETING, Action.VIEW, "meeting__organization__path")
    return get_object_or_404(Ballot.objects.filter(q).select_related("meeting"), pk=ballot_id)


def _errors(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


@login_required
@require_POST
def ballot_open(request: HttpRequest, meeting_id: int) -> HttpResponse:
    q = scope_q(request.user, Kind.MEETING, Action.VIEW, "organization__path")
    meeting = get_object_or_404(Meeting.objects.filter(q), pk=meeting_id)
    try:
        mode = request.POST.get("mode") or BallotMode.ONLINE
        ballot = services.open_ballot(request.user, meeting, mode=mode)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _errors(exc))
        return redirect("meeting_detail", meeting_id=meeting.pk)
    return redirect("ballot_detail", ballot_id=ballot.pk)


@login_required
@never_cache
def ballot_detail(request: HttpRequest, ballot_id: int) -> HttpResponse:
    ballot = _ballot(request, ballot_id)
    if ballot.mode == BallotMode.PAPER:
        from kiemdiem.ballots.views_paper import paper_detail

        return paper_detail(request, ballot)
    slips: list[tuple[str, str]] = []
    shares: list[tuple[str, str]] = []
    confirm = ""
    if request.method == "POST":
        action = request.POST.get("action")
        # Opening and closing are confirmed steps (issue 12 §5): the first tap only asks.
        confirmed = request.POST.get("confirmed") == "1"
        try:
            if action in ("start", "close", "reissue") and not confirmed:
                confirm = action
            elif action == "start":
                slips = services.start_voting(request.user, ballot)
                shares = slips.shares
            elif action == "close":
                services.close(request.user, ballot)
                return redirect("ballot_detail", ballot_id=ballot.pk)
            elif action == "reissue":
                slips = Slips(reissue_unused(request.user, ballot))
            elif action == "count":
                codes = [request.POST.get(f"share_{n}", "") for n in range(1, 21)]
                count_sealed(request.user, ballot, codes)
                messages.success(request, "Đã mở hòm phiếu bằng mã khóa và kiểm phiếu.")
                return redirect("ballot_detail", ballot_id=ballot.pk)
            elif action == "annul":
                services.annul_ballot(request.user, ballot, request.POST.get("reason", ""))
                messages.success(request, "Đã hủy kết quả cuộc bỏ phiếu; hòm phiếu được giữ lại.")
                return redirect("ballot_detail", ballot_id=ballot.pk)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _errors(exc))
        ballot.refresh_from_db()
    vote_url = request.build_absolute_uri(reverse("ballot_vote", args=[ballot.pk]))
    # The code rides in the fragment: browsers never send it, so no access log holds it.
    slips_qr = [(name, code, qr_svg(f"{vote_url}#code={code}")) for name, code in slips]
    voted, eligible = services.turnout(ballot)
    off = services.off_ballot_names(ballot)
    counted = services.counts(ballot) if is_final(ballot) else None
    columns = [*choices_for(ballot.method), BLANK]
    rows = []
    if counted is not None:
        for c in ballot.candidates.all():
            row = counted.row(c.key)
            rows.append((c, [row[k] for k in columns]))
    context = {
        "ballot": ballot,
        "meeting": ballot.meeting,
        "roll": ballot.roll.all(),
        # While voting only k of n (issue 12 §2): who has voted, polled, would match
        # voters to the box's rows. After close the minutes need it.
        "show_voted": ballot.status == BallotStatus.CLOSED,
        "off_ballot": off[0],
        "off_source": off[1],
        "candidates": ballot.candidates.all(),
        "voted": voted,
        "eligible": eligible,
        "slips": slips_qr,  # shown once, never stored in clear
        "shares": shares,  # likewise: each member of the ban kiểm phiếu copies theirs
        "needs_shares": needs_shares(ballot),
        "share_fields": [f"share_{n}" for n in range(1, (ballot.key_threshold or 1) + 1)],
        "warning": services.small_unit_warning(ballot),
        "can_edit": can_at(request.user, Action.EDIT, Kind.MEETING, ballot.meeting.organization),
        "can_annul": services.may_annul(request.user, ballot.meeting),
        "confirm": confirm,
        "short_close": voted < eligible,
        "missing": eligible - voted,
        "columns": [CHOICE_NAMES[k] for k in columns],
        "rows": rows,
        "counted": counted,
        "vote_url": vote_url,
        "vote_qr": qr_svg(vote_url),
        "committee_text": "\n".join(ballot.committee),
    }
    return TemplateResponse(request, "ballots/detail.html", context)


@never_cache
def vote(request: HttpRequest, ballot_id: int) -> HttpResponse:
    """The voter's page: no login, only the one-time code. Nothing here is logged."""
    ballot = get_object_or_404(Ballot, pk=ballot_id)
    choices = [(k, CHOICE_NAMES[k]) for k in choices_for(ballot.method)]
    candidates = list(ballot.candidates.all())
    marks = {c.key: "" for c in candidates}
    context: dict[str, object] = {"ballot": ballot, "choices": choices}
    if request.method == "POST":
        marks = {c.key: request.POST.get(f"c_{c.key}", "") for c in candidates}
        unmarked = [c.name for c in candidates if not marks[c.key]]
        if unmarked and request.POST.get("blank_ok") != "1":
            # Ask before a ballot with lines left empty goes in (issue 12 §5); keep all.
            context["unmarked"] = unmarked
            context["code"] = request.POST.get("code", "")
        else:
            try:
                result = services.cast(ballot.pk, request.POST.get("code", ""), marks)
            except ValidationError as exc:
                context["error"] = _errors(exc)  # the choices stay; only the code is retyped
            else:
                context["result"] = result
                context["short"] = services.short_receipt(result.receipt) if result.receipt else ""
                return TemplateResponse(request, "ballots/receipt.html", context)
    context["rows"] = [
        (c, [(k, label, marks.get(c.key) == k) for k, label in choices]) for c in candidates
    ]
    context["candidates"] = candidates
    return TemplateResponse(request, "ballots/vote.html", context)


def receipts(request: HttpRequest, ballot_id: int) -> HttpResponse:
    """After close: every receipt in the box, for voters to find theirs, and the chain head."""
    ballot = get_object_or_404(Ballot, pk=ballot_id, status=BallotStatus.CLOSED)
    listed = BoxEntry.objects.filter(ballot=ballot).order_by("position")
    listed_receipts = listed.values_list("receipt", flat=True)
    context = {
        "ballot": ballot,
        "receipts": [(services.short_receipt(r), r) for r in listed_receipts],
    }
    return TemplateResponse(request, "ballots/receipts.html", context)

"""Secret ballots (issue 5 §3): a meeting's ballots, opening one, starting the vote (the
one-time codes, shown once), "k of n voted", closing, the results after close, and — without
login, as on the voter's phone page — the ballot paper, casting with a one-time code and
checking a receipt against the published list.

Every step goes through `ballots.services`. The vote path logs nothing: no audit row (the
service writes none), no log record (its error answers are marked as already logged, so
Django's request logger stays silent), nothing cached; per person only the roll's reasons are
shown — whether someone has voted is never exposed here, only k of n."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from kiemdiem.accounts.access import Action, Kind, can_at, scope_q
from kiemdiem.api.common import (
    ErrorOut,
    In,
    MemberRef,
    Page,
    Paging,
    attach,
    attached,
    get_or_404,
    page,
)
from kiemdiem.ballots import results, services
from kiemdiem.ballots.counting import BLANK, CHOICE_NAMES, choices_for
from kiemdiem.ballots.models import Ballot, BallotStatus, BoxEntry
from kiemdiem.ballots.opening import count_sealed
from kiemdiem.meetings.views import _meetings

router = Router(tags=["Bỏ phiếu kín"])

METHOD_NAMES = {
    "choose_level": "Chọn mức xếp loại cho từng người",
    "approve_proposal": "Đồng ý hoặc không đồng ý với mức chi ủy đề xuất",
}
NO_STORE = "no-store"
COUNTED = "Phiếu của đồng chí đã vào hòm phiếu. Ghi lại biên nhận để đối chiếu sau khi kiểm phiếu."
COUNTED_BEFORE = "Mã này đã bỏ phiếu: phiếu chỉ được tính một lần, lần gửi lại này không được tính."


class BallotOut(Schema):
    id: int
    meeting_id: int
    title: str
    method: str
    method_label: str
    round: int
    status: BallotStatus
    status_label: str = Field(alias="get_status_display")
    voted: int = Field(description="Số người đã bỏ phiếu (k trong “k/n”).")
    eligible: int = Field(description="Số người được biểu quyết (n trong “k/n”).")
    roll_hash: str = Field(description="Mã băm danh sách cử tri, ghi khi mở bỏ phiếu.")
    head: str = Field(description="Mã băm cuối chuỗi phiếu, có sau khi đóng.")

    @staticmethod
    def resolve_method_label(obj: Ballot) -> str:
        return METHOD_NAMES.get(obj.method, obj.method)


class CandidateOut(Schema):
    order: int
    key: str = Field(description="Khóa ứng viên dùng trong `marks` khi bỏ phiếu.")
    name: str
    member_id: int | None
    proposal: str = Field(description="Mức chi ủy đề xuất (cách đồng ý / không đồng ý).")


class BallotChoiceOut(Schema):
    key: str
    label: str


class RollOut(Schema):
    member: MemberRef
    may_vote: bool
    why: str = Field(description="Vì sao được hoặc không được biểu quyết.")


class BallotDetailOut(BallotOut):
    candidates: list[CandidateOut]
    choices: list[BallotChoiceOut] = Field(description="Các lựa chọn cho mỗi ứng viên.")
    roll: list[RollOut]
    warning: str = Field(description="Cảnh báo khi đơn vị quá nhỏ để giữ bí mật.")
    can_edit: bool

    resolve_candidates: ClassVar[Any] = attached("candidates")
    resolve_choices: ClassVar[Any] = attached("choices")
    resolve_roll: ClassVar[Any] = attached("roll")
    resolve_warning: ClassVar[Any] = attached("warning")
    resolve_can_edit: ClassVar[Any] = attached("can_edit")


class OpenIn(In):
    title: str = Field("", max_length=300, description="Để trống: tên theo hội nghị.")


class SlipOut(Schema):
    name: str
    code: str


class ShareOut(Schema):
    holder: str
    code: str


class StartOut(Schema):
    ballot: BallotOut
    slips: list[SlipOut] = Field(
        description="Mã bỏ phiếu của từng người, CHỈ TRẢ VỀ MỘT LẦN: hệ thống chỉ giữ mã băm."
    )
    shares: list[ShareOut] = Field(
        description="Mã khóa hòm phiếu của từng thành viên ban kiểm phiếu, CHỈ TRẢ VỀ MỘT LẦN, "
        "không lưu; kiểm phiếu cần `threshold` mã."
    )
    threshold: int


class CountIn(In):
    shares: list[str] = Field(max_length=20, description="Mã khóa của ban kiểm phiếu (ít nhất k).")


class TurnoutOut(Schema):
    status: BallotStatus
    voted: int
    eligible: int


class PaperOut(Schema):
    """What a phone shows to vote: no login, no name of the voter."""

    id: int
    title: str
    status: BallotStatus
    candidates: list[CandidateOut]
    choices: list[BallotChoiceOut]

    resolve_candidates: ClassVar[Any] = attached("candidates")
    resolve_choices: ClassVar[Any] = attached("choices")


class VoteIn(In):
    code: str = Field(max_length=40, description="Mã bỏ phiếu trên phiếu được phát.")
    marks: dict[str, str] = Field(
        default_factory=dict,
        description="Khóa ứng viên -> lựa chọn; bỏ trống một ứng viên là không chọn.",
    )


class VoteOut(Schema):
    counted: bool = Field(description="false: mã này đã bỏ phiếu trước đó, lần này không tính.")
    receipt: str = Field(
        description="Biên nhận để đối chiếu sau khi kiểm phiếu (trống nếu gửi lại)."
    )
    message: str


class ResultRowOut(Schema):
    order: int
    key: str
    name: str
    counts: dict[str, int] = Field(description="Lựa chọn -> số phiếu (blank: không đánh dấu).")


class PapersOut(Schema):
    issued: int
    returned: int
    spoiled: int


class ResultsOut(Schema):
    ballot: BallotOut
    papers: PapersOut
    choices: list[BallotChoiceOut]
    rows: list[ResultRowOut]
    problems: list[str] = Field(description="Kết quả kiểm lại từ hòm phiếu (trống: khớp).")


class ReceiptCheckOut(Schema):
    found: bool
    position: int | None = Field(description="Vị trí trong danh sách biên nhận công bố.")
    head: str


def _with_turnout(qs: QuerySet[Ballot]) -> QuerySet[Ballot]:
    may = Q(roll__may_vote=True)
    return qs.annotate(
        voted=Count("roll", filter=may & Q(roll__has_voted=True)),
        eligible=Count("roll", filter=may),
    )


def _ballots(request: HttpRequest) -> QuerySet[Ballot]:
    """The web's scope of the ballot page: the meetings one may see."""
    q = scope_q(request.user, Kind.MEETING, Action.VIEW, "meeting__organization__path")
    return _with_turnout(Ballot.objects.filter(q).select_related("meeting__organization"))


def _choices(ballot: Ballot) -> list[dict[str, str]]:
    return [{"key": k, "label": CHOICE_NAMES[k]} for k in (*choices_for(ballot.method), BLANK)]


def _detail(request: HttpRequest, ballot_id: int) -> Ballot:
    ballot = get_or_404(_ballots(request), pk=ballot_id)
    roll = list(ballot.roll.select_related("member").order_by("name", "member_id"))
    return attach(
        ballot,
        candidates=list(ballot.candidates.order_by("order")),
        choices=_choices(ballot),
        roll=roll,
        warning=services.small_unit_warning(ballot),
        can_edit=can_at(request.user, Action.EDIT, Kind.MEETING, ballot.meeting.organization),
    )


@router.get(
    "/meetings/{meeting_id}/ballots",
    response=Page[BallotOut],
    summary="Các cuộc bỏ phiếu kín của một hội nghị, với “k/n đã bỏ phiếu”",
)
def list_ballots(request: HttpRequest, meeting_id: int, paging: Query[Paging]) -> dict[str, Any]:
    meeting = get_or_404(_meetings(request), pk=meeting_id)
    return page(_ballots(request).filter(meeting=meeting).order_by("pk"), paging)


@router.post(
    "/meetings/{meeting_id}/ballots",
    response=BallotDetailOut,
    summary="Lập cuộc bỏ phiếu: ứng viên theo chương trình, cử tri theo điểm danh và bộ quy tắc",
)
def open_ballot(request: HttpRequest, meeting_id: int, data: OpenIn) -> Ballot:
    meeting = get_or_404(_meetings(request), pk=meeting_id)
    ballot = services.open_ballot(request.user, meeting, data.title.strip())
    return _detail(request, ballot.pk)


@router.get("/ballots/{ballot_id}", response=BallotDetailOut, summary="Một cuộc bỏ phiếu kín")
def get_ballot(request: HttpRequest, ballot_id: int) -> Ballot:
    return _detail(request, ballot_id)


@router.post(
    "/ballots/{ballot_id}/start",
    response=StartOut,
    summary="Chốt danh sách cử tri, phát mã một lần, mở bỏ phiếu",
)
def start_voting(request: HttpRequest, ballot_id: int, response: HttpResponse) -> dict[str, Any]:
    ballot = get_or_404(_ballots(request), pk=ballot_id)
    slips = services.start_voting(request.user, ballot)
    # The codes are in this answer only: no proxy or browser may keep a copy.
    response["Cache-Control"] = NO_STORE
    return {
        "ballot": get_or_404(_ballots(request), pk=ballot_id),
        "slips": [{"name": name, "code": code} for name, code in slips],
        "shares": [{"holder": holder, "code": code} for holder, code in slips.shares],
        "threshold": slips.threshold,
    }


@router.get(
    "/ballots/{ballot_id}/status",
    response=TurnoutOut,
    summary="Tình hình bỏ phiếu: chỉ “k/n đã bỏ phiếu”",
)
def ballot_status(request: HttpRequest, ballot_id: int, response: HttpResponse) -> Ballot:
    response["Cache-Control"] = NO_STORE
    return get_or_404(_ballots(request), pk=ballot_id)


@router.post(
    "/ballots/{ballot_id}/close",
    response=BallotOut,
    summary="Đóng bỏ phiếu (không mở lại được): hòm phiếu xáo trộn, chuỗi mã băm",
)
def close_ballot(request: HttpRequest, ballot_id: int) -> Ballot:
    ballot = get_or_404(_ballots(request), pk=ballot_id)
    services.close(request.user, ballot)
    return get_or_404(_ballots(request), pk=ballot_id)


@router.post(
    "/ballots/{ballot_id}/count",
    response=BallotOut,
    summary="Mở hòm phiếu niêm phong bằng k mã khóa của ban kiểm phiếu và kiểm phiếu",
)
def count_ballot(request: HttpRequest, ballot_id: int, data: CountIn) -> Ballot:
    ballot = get_or_404(_ballots(request), pk=ballot_id)
    count_sealed(request.user, ballot, data.shares)
    return get_or_404(_ballots(request), pk=ballot_id)


@router.get(
    "/ballots/{ballot_id}/results",
    # 400: not closed yet, a sealed box not yet opened with the shares, paper not confirmed.
    response={200: ResultsOut, 400: ErrorOut},
    summary="Kết quả kiểm phiếu sau khi đóng, kèm kiểm lại hòm phiếu và chuỗi mã băm",
)
def ballot_results(request: HttpRequest, ballot_id: int) -> dict[str, Any]:
    ballot = get_or_404(_ballots(request), pk=ballot_id)
    # Refuses, in Vietnamese, before the box is closed or the paper counts are confirmed.
    counted = results.final_counts(ballot)
    rows = [
        {"order": c.order, "key": c.key, "name": c.name, "counts": counted.row(c.key)}
        for c in ballot.candidates.order_by("order")
    ]
    papers = counted.papers
    return {
        "ballot": ballot,
        "papers": {"issued": papers.issued, "returned": papers.returned, "spoiled": papers.spoiled},
        "choices": _choices(ballot),
        "rows": rows,
        "problems": results.verify_any(ballot),
    }


# Without login, as the voter's phone page and the published receipts on the web.


@router.get(
    "/ballots/{ballot_id}/vote",
    response=PaperOut,
    auth=None,
    summary="Lá phiếu để bỏ trên điện thoại (không cần đăng nhập)",
)
def get_paper(request: HttpRequest, ballot_id: int) -> Ballot:
    ballot = get_or_404(Ballot.objects.all(), pk=ballot_id)
    return attach(ballot, candidates=list(ballot.candidates.order_by("order")),
                  choices=_choices(ballot))  # fmt: skip


@router.post(
    "/ballots/{ballot_id}/vote",
    response=VoteOut,
    auth=None,
    summary="Bỏ phiếu bằng mã một lần (không cần đăng nhập; không ghi nhật ký, không ghi log)",
)
def cast_vote(request: HttpRequest, ballot_id: int, data: VoteIn, response: HttpResponse) -> Any:
    result = services.cast(ballot_id, data.code, data.marks)
    response["Cache-Control"] = NO_STORE
    if result.counted:
        return {"counted": True, "receipt": result.receipt, "message": COUNTED}
    return {"counted": False, "receipt": "", "message": COUNTED_BEFORE}


class ReceiptOut(Schema):
    position: int
    receipt: str


class ReceiptsOut(Page[ReceiptOut]):
    head: str


def _closed(ballot_id: int) -> Ballot:
    return get_or_404(Ballot.objects.filter(status=BallotStatus.CLOSED), pk=ballot_id)


@router.get(
    "/ballots/{ballot_id}/receipts",
    response=ReceiptsOut,
    auth=None,
    summary="Danh sách biên nhận công bố sau khi đóng, theo thứ tự chuỗi mã băm",
)
def list_receipts(request: HttpRequest, ballot_id: int, paging: Query[Paging]) -> dict[str, Any]:
    ballot = _closed(ballot_id)
    box = BoxEntry.objects.filter(ballot=ballot).order_by("position")
    return {**page(box, paging), "head": ballot.head}


@router.get(
    "/ballots/{ballot_id}/receipts/{receipt}",
    response=ReceiptCheckOut,
    auth=None,
    summary="Đối chiếu một biên nhận với danh sách công bố",
)
def check_receipt(request: HttpRequest, ballot_id: int, receipt: str) -> dict[str, Any]:
    ballot = _closed(ballot_id)
    position = (
        BoxEntry.objects.filter(ballot=ballot, receipt=receipt.strip().lower())
        .values_list("position", flat=True)
        .first()
    )
    return {"found": position is not None, "position": position, "head": ballot.head}

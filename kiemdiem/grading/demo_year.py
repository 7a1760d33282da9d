"""`kiemdiem demo-year`: the demo commune's year under way, run through the real services.

The commune office opens the year's plan (seed 000's steps and rules), derives who is
reviewed where, asks for the comments and records them as received on paper; members hand in
their self-reviews (Mẫu 02); every cell
holds its review meeting with attendance; Chi bộ xóm 1 votes by online secret ballot, the
other cells count on paper and the chi ủy types the biên bản kiểm phiếu; every chi ủy
proposes (Mẫu 04). The decisions are left to the committee office, as in a real year.

Every number comes from a seeded generator, so two runs give the same year. Nothing is
written around the services: a broken rule fails here as it would for an office.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kiemdiem.accounts.models import OfficeRole, Role
from kiemdiem.ballots import services as ballots
from kiemdiem.ballots.opening import count_sealed
from kiemdiem.cycles.models import Cycle
from kiemdiem.cycles.services import open_cycle
from kiemdiem.cycles.subjects import rebuild
from kiemdiem.feedback.models import FeedbackRequest, Status
from kiemdiem.feedback.requirements import form_spec
from kiemdiem.feedback.services import create_requests, record_from_paper
from kiemdiem.grading import services as grading
from kiemdiem.grading.context import profile_of
from kiemdiem.grading.manual import RowInput
from kiemdiem.grading.models import Decision
from kiemdiem.grading.scales import scheme_for, sheet_for
from kiemdiem.grading.units import propose_unit, save_sheet, subjects_for
from kiemdiem.meetings.models import AttendanceStatus, Meeting
from kiemdiem.meetings.roles import set_people
from kiemdiem.meetings.services import Mark, mark_held, record_attendance, schedule_meeting
from kiemdiem.org.choices import CollectiveKind, OrgKind, PositionRank
from kiemdiem.org.demo import DEMO_PASSWORD
from kiemdiem.org.models import Member, Organization, Position
from kiemdiem.reviews import formdefs
from kiemdiem.reviews.models import SelfReview
from kiemdiem.reviews.self_reviews import covers, enter_on_behalf, start

VN = ZoneInfo("Asia/Ho_Chi_Minh")
COMMUNE = "Đảng bộ xã Thanh Liên"
DEMO_CODE = "TL"  # kiemdiem.org.demo
ONLINE_CELL = "Chi bộ xóm 1"
PROFILE = "thanhlien-2023"
# Marks as a cell tends to give them: most members good, a few excellent, a few only
# completed. The weights are per member "merit" so one member's papers agree with each other.
MERIT = [("HTXSNV", 0.12), ("HTTNV", 0.70), ("HTNV", 0.16), ("KHTNV", 0.02)]
ABSENT_REASONS = ["Đi công tác", "Ốm", "Đi làm ăn xa", "Việc gia đình"]


class DemoYearError(Exception):
    """A Vietnamese message for the command line."""


@dataclass
class YearSummary:
    cycle: Cycle
    subjects: int = 0
    comments: int = 0
    self_reviews: int = 0
    accounts: list[str] = field(default_factory=list)
    meetings: int = 0
    online_votes: int = 0
    tallies: int = 0
    vetted: int = 0  # scores vetted criterion by criterion by the chi ủy (QĐ 366)
    proposals: int = 0
    units: int = 0
    levels: Counter[str] = field(default_factory=Counter)


def _today() -> dt.date:
    return timezone.localdate()


def _office() -> Any:
    user = get_user_model().objects.filter(username="vanphong").first()
    if user is None:
        raise DemoYearError("Chưa có dữ liệu mẫu: chạy “kiemdiem demo” trước.")
    return user


def _merit(rng: random.Random) -> str:
    roll, acc = rng.random(), 0.0
    for level, weight in MERIT:
        acc += weight
        if roll < acc:
            return level
    return "HTTNV"


def _marks(rng: random.Random, merit: str, voters: int) -> dict[str, int]:
    """Papers for one member: most voters agree with the member's merit, some one level off."""
    order = [lv for lv, _ in MERIT]
    at = order.index(merit)
    counts = Counter[str]()
    for _ in range(voters):
        r = rng.random()
        if r < 0.82:
            counts[merit] += 1
        elif r < 0.93 and at + 1 < len(order):
            counts[order[at + 1]] += 1
        elif at > 0:
            counts[order[at - 1]] += 1
        else:
            counts[merit] += 1
    return dict(counts)


def _paper(review: SelfReview, level: str) -> dict[str, Any]:
    """A complete Mẫu 02 as a member writes it: every section, none of the 27 manifestations
    (level 1), each criterion "Tốt", every score at a tenth below its maximum, a self-level."""
    form = formdefs.variant(review.variant)
    good = "tot"  # forms.yaml degrees: Tốt
    scores = {}
    if form.framework is not None:
        for c in form.framework.criteria:
            scores[c.id] = str((Decimal(c.max) * 9 / 10).quantize(Decimal("0.5")))
    return {
        "answers": {
            sec.key: "Chấp hành nghiêm chủ trương của Đảng; hoàn thành nhiệm vụ được giao."
            for sec in form.sections_for(review.leader)
        },
        "manifestations": dict.fromkeys(formdefs.manifestation_ids(), "1"),
        "criteria": {c.key: good for c in form.criteria_for(review.leader)},
        "self_level": level,
        "self_scores": scores,
    }


def _secretaries(cells: list[Organization], created: list[str]) -> dict[int, Any]:
    """Each cell's secretary gets an account for the year (the demo has one for xóm 1): the
    member heading its chi ủy, role "Bí thư chi bộ" at the cell."""
    users = get_user_model().objects
    encoded = make_password(DEMO_PASSWORD)  # hashed once: the hasher is slow by design
    have = {
        r.organization_id: r.user
        for r in OfficeRole.objects.filter(
            role=Role.CELL_SECRETARY, organization__in=cells
        ).select_related("user")
    }
    for cell in cells:
        if cell.pk in have:
            continue
        head = (
            Position.objects.filter(
                collective__organization=cell, collective__kind=CollectiveKind.CELL_COMMITTEE,
                rank=PositionRank.HEAD, end_on__isnull=True, member__cell=cell,
            )
            .select_related("member")
            .first()
        )  # fmt: skip
        name = cell.code.removeprefix(f"{DEMO_CODE}-").lower()
        user = users.create(username=f"bithu.{name}", password=encoded)
        OfficeRole.objects.create(user=user, role=Role.CELL_SECRETARY, organization=cell)
        if head is not None and head.member.user_id is None:
            Member.objects.filter(pk=head.member_id).update(user=user)
        have[cell.pk] = user
        created.append(user.username)
    return have


def _self_reviews(
    cycle: Cycle, secretaries: dict[int, Any], merits: dict[int, str], rng: random.Random
) -> int:
    """Most members hand in Mẫu 02, typed by their cell's secretary from the handwritten
    paper (recorded as entered on the member's behalf); a few are still writing."""
    done = 0
    for m in Member.objects.filter(pk__in=merits).select_related("user").order_by("sort_key"):
        secretary = secretaries[m.cell_id]
        if m.user_id == secretary.pk or not covers(cycle, m) or rng.random() < 0.04:
            continue  # the secretary's own paper is theirs to write
        review = start(secretary, cycle, m)
        enter_on_behalf(secretary, cycle, m, _paper(review, merits[m.pk]), submit_now=True)
        done += 1
    return done


def _open_plan(office: Any, commune: Organization, year: int) -> Cycle:
    return open_cycle(
        office, commune, year=year,
        title=f"Kế hoạch kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên "
        f"năm {year}",
        number_symbol="52-KH/ĐU", issued_on=dt.date(year, 10, 25), profile_id=PROFILE,
        template_id=PROFILE, reference_date=dt.date(year, 11, 20),
    )  # fmt: skip


def _answer_comments(office: Any, cycle: Cycle) -> int:
    """Every comment comes back on signed paper (000 §1.4.1b: the form travels between the
    committees, the member never carries it)."""
    received = max(_today(), cycle.issued_on)
    done = 0
    admin = get_user_model().objects.get(username="admin")
    requests = FeedbackRequest.objects.filter(cycle=cycle, status=Status.REQUESTED)
    for req in requests.select_related("member"):
        spec = form_spec(cycle, req.kind)
        good = spec["marks"][0]["code"]
        data = {
            "items": {item["code"]: good for item in spec["items"]},
            "comment": "Gương mẫu, chấp hành tốt chủ trương của Đảng, pháp luật của Nhà nước.",
            "signer_name": "Trần Văn Lâm",
            "signer_title": "Bí thư chi bộ nơi cư trú",
        }
        # Nobody records a comment about themselves: the office clerk's own goes to the admin.
        clerk = admin if req.member.user_id == office.pk else office
        record_from_paper(clerk, req, data, received)
        done += 1
    return done


def _meeting(office: Any, cycle: Cycle, cell: Organization, day: int) -> Meeting:
    at = dt.datetime(cycle.year, 11, day, 7, 30, tzinfo=VN)
    meeting, _ = schedule_meeting(
        office, cycle, cell, at, place=f"Hội trường {cell.name}", title=""
    )
    return meeting


def _attend(office: Any, meeting: Meeting, rng: random.Random) -> None:
    """Nearly everyone comes; a few are away with a reason given to the chi ủy."""
    marks = {}
    for row in meeting.attendance.all():
        if rng.random() < 0.06:
            marks[row.member_id] = Mark(
                AttendanceStatus.ABSENT_WITH_REASON, rng.choice(ABSENT_REASONS)
            )
        else:
            marks[row.member_id] = Mark(AttendanceStatus.PRESENT)
    record_attendance(office, meeting, marks)
    _people(office, meeting)
    mark_held(office, meeting)


def _people(office: Any, meeting: Meeting) -> None:
    """The bí thư chairs (a deputy if the bí thư is away); the secretary and a ban kiểm phiếu
    of three are chosen from the others present, as a cell elects them at the opening."""
    present = list(
        Member.objects.filter(
            pk__in=meeting.attendance.filter(status=AttendanceStatus.PRESENT).values("member_id")
        ).order_by("sort_key")
    )
    order: dict[str, int] = {PositionRank.HEAD: 0, PositionRank.DEPUTY: 1}
    cell = meeting.organization
    posts = Position.objects.filter(
        Q(organization=cell) | Q(collective__organization=cell),
        rank__in=list(order),
        end_on__isnull=True,
    ).values_list("rank", "member_id")
    heads = [pk for _rank, pk in sorted(posts, key=lambda p: order[p[0]])]
    by_pk = {m.pk: m for m in present}
    chair = next((by_pk[pk] for pk in heads if pk in by_pk), present[0])
    others = [m for m in present if m.pk != chair.pk]
    set_people(
        office, meeting, chair=chair, secretary=others[0], count_head=others[1],
        counters=others[2:4],
    )  # fmt: skip


def _vote_online(office: Any, meeting: Meeting, rng: random.Random, merits: dict[str, str]) -> int:
    ballot = ballots.open_ballot(office, meeting)
    slips = ballots.start_voting(office, ballot)
    ballot.refresh_from_db()
    keys = list(ballot.candidates.values_list("key", flat=True))
    for _name, code in slips:
        marks = {k: _paper_choice(rng, merits.get(k, "HTTNV")) for k in keys}
        ballots.cast(ballot.pk, code, marks)
    ballots.close(office, ballot)
    # The demo plays the ban kiểm phiếu too: it enters the shares it was shown at the start.
    count_sealed(office, ballot, [code for _holder, code in slips.shares])
    return len(slips)


def _paper_choice(rng: random.Random, merit: str) -> str:
    marks = _marks(rng, merit, 1)
    return next(iter(marks))


def _voters(meeting: Meeting, on: dt.date) -> int:
    """000 §1.4.3: those present vote, except probationary and temporarily attached members."""
    present = meeting.attendance.filter(status=AttendanceStatus.PRESENT).select_related("member")
    return sum(
        1
        for a in present
        if a.member.cell_id == meeting.organization_id
        and a.member.official_on is not None
        and a.member.official_on <= on
        and a.member.exempt_since is None
    )


def _enter_paper(
    office: Any, cycle: Cycle, meeting: Meeting, rng: random.Random, merits: dict[int, str]
) -> None:
    cell = meeting.organization
    voters = _voters(meeting, cycle.reference_date)
    present = set(
        meeting.attendance.filter(status=AttendanceStatus.PRESENT).values_list(
            "member_id", flat=True
        )
    )
    rows = []
    for m in Member.objects.filter(cell=cell).order_by("sort_key"):
        marks = _marks(rng, merits[m.pk], voters)
        rows.append(
            RowInput(
                member_id=m.pk, name=m.full_name, present=m.pk in present,
                htxsnv=marks.get("HTXSNV", 0), httnv=marks.get("HTTNV", 0),
                htnv=marks.get("HTNV", 0), khtnv=marks.get("KHTNV", 0),
            )
        )  # fmt: skip
    grading.enter_tally(
        office, cycle, cell, counted_on=timezone.localdate(meeting.scheduled_at),
        voters_present=voters, spoiled=0, minutes_ref="Biên bản kiểm phiếu của ban kiểm phiếu",
        rows=rows,
    )  # fmt: skip


def _propose_units(office: Any, cycle: Cycle, commune: Organization, rng: random.Random) -> int:
    """Each cell scores its sheet (bảng điểm) and every collective states its self-assessed
    level (Mẫu 01); the bodies decide later, the superior for the commune and its committee."""
    profile = profile_of(cycle)
    subjects = [*subjects_for(commune)]
    if commune.parent is not None:
        subjects += [s for s in subjects_for(commune.parent) if s.place.pk == commune.pk]
    for subject in subjects:
        template = sheet_for(profile, subject.kind)
        if template is not None:
            raw = {}
            for c in template.criteria:
                # Points lost per criterion: a twentieth to three tenths, in half points.
                lost = Decimal(round(Decimal(c.max) * rng.choice([5, 10, 15, 20, 30]) / 50)) / 2
                raw[c.code] = str(max(Decimal(0), Decimal(c.max) - lost))
            save_sheet(office, cycle, subject, raw)
            propose_unit(office, cycle, subject)
        else:
            codes = scheme_for(profile, subject.kind)[1].codes
            propose_unit(office, cycle, subject, codes[0] if rng.random() < 0.2 else codes[1])
    return len(subjects)


# The demo's plans: QĐ 366 without a vote (what `make run` shows), the 2023 local plan
# with its ballots (kiemdiem.grading.demo_qd366 and this module).
PLANS = ("qd366-2025", PROFILE)


def run_year(seed: int = 2026, *, plan: str = PLANS[0]) -> YearSummary:
    """The whole year up to the chi ủy's proposals; the committee office decides."""
    if plan not in PLANS:
        raise DemoYearError(f"Không có năm mẫu theo “{plan}”; chọn: {', '.join(PLANS)}.")
    office = _office()
    commune = Organization.objects.filter(name=COMMUNE, code=DEMO_CODE).first()
    if commune is None:
        raise DemoYearError(f"Không tìm thấy {COMMUNE}: chạy “kiemdiem demo” trước.")
    year = 2026
    if Cycle.objects.filter(organization=commune, year=year).exists():
        raise DemoYearError(f"{COMMUNE} đã có kế hoạch năm {year}: năm mẫu đã được chạy.")
    rng = random.Random(seed)
    try:
        with transaction.atomic():
            if plan == PROFILE:
                summary = _run(office, commune, year, rng)
            else:
                from kiemdiem.grading import demo_qd366  # it builds on this module's steps

                summary = demo_qd366.run(office, commune, year, rng)
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        raise DemoYearError("; ".join(messages)) from exc
    proposed = Decision.objects.filter(cycle=summary.cycle, step="propose", subject_type="m")
    summary.levels = Counter(proposed.values_list("level", flat=True))
    return summary


def _run(office: Any, commune: Organization, year: int, rng: random.Random) -> YearSummary:
    cycle = _open_plan(office, commune, year)
    summary = YearSummary(cycle)
    summary.subjects = rebuild(office, cycle)
    create_requests(office, cycle)
    summary.comments = _answer_comments(office, cycle)
    cells = list(Organization.objects.filter(parent=commune, kind=OrgKind.CELL).order_by("code"))
    members = Member.objects.filter(cell__in=cells).order_by("sort_key")
    merits = {m.pk: _merit(rng) for m in members}
    secretaries = _secretaries(cells, summary.accounts)
    summary.self_reviews = _self_reviews(cycle, secretaries, merits, rng)
    for n, cell in enumerate(cells):
        meeting = _meeting(office, cycle, cell, 21 + n % 8)
        _attend(office, meeting, rng)
        summary.meetings += 1
        if cell.name == ONLINE_CELL:
            keyed = {f"m{pk}": lv for pk, lv in merits.items()}
            summary.online_votes = _vote_online(office, meeting, rng, keyed)
        else:
            _enter_paper(office, cycle, meeting, rng, merits)
            summary.tallies += 1
        summary.proposals += grading.propose_cell(office, cycle, cell)
    summary.units = _propose_units(office, cycle, commune, rng)
    return summary

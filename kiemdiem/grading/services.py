"""What people do with members' results: enter the counts from the minutes, record the
year's conditions, propose (the chi ủy's Mẫu 04), decide (the grassroots committee, all of a
cell at once or one member), annul and re-classify. One transaction each, the permission
checked and the audit row written here; decisions are only ever added."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.audit.models import record
from kiemdiem.batch_input import InputError, article_11_facts
from kiemdiem.cycles.models import Cycle, CycleStatus
from kiemdiem.grading.context import acting_body, grassroots_of, profile_of
from kiemdiem.grading.facts import MemberRow, UnitOutcomes, outcomes_for
from kiemdiem.grading.manual import RowInput, check
from kiemdiem.grading.models import (
    CcvcRating,
    Decision,
    Grounds,
    MemberConditions,
    Proposal,
    ProposalStatus,
    ReclassificationOrder,
    Step,
    SubjectType,
    TallyRow,
    TallySheet,
)
from kiemdiem.grading.quotas import standing_for
from kiemdiem.grading.tallies import tallies_for
from kiemdiem.org.choices import CELL_KINDS
from kiemdiem.org.models import Member, Organization
from kiemdiem.rules import Level

K = Kind.DECISION
REPROPOSED = "Đề xuất lại theo kết quả, điều kiện đã cập nhật"
NOT_DECIDABLE = {
    ProposalStatus.WAITING: "đang chờ nhận xét ({waiting}): chưa thể xếp loại",
    ProposalStatus.NOT_CLASSIFIED: "không xếp loại tại chi bộ này",
    ProposalStatus.NO_TALLY: "chưa có kết quả biểu quyết",
    ProposalStatus.UNDECIDED: "biểu quyết chưa đạt mức nào: chi bộ phải biểu quyết lại",
    ProposalStatus.DEFERRED: "vắng mặt: xếp loại ở hội nghị sau",
}


def require_open(cycle: Cycle) -> None:
    if cycle.status != CycleStatus.OPEN:
        raise ValidationError("Kế hoạch đã kết thúc: chỉ có thể hủy bỏ và xếp loại lại.")


def require_cell(org: Organization) -> None:
    if org.kind not in CELL_KINDS:
        raise ValidationError(f"{org.name} không phải là chi bộ.")


@transaction.atomic
def enter_tally(
    user: Any,
    cycle: Cycle,
    cell: Organization,
    *,
    counted_on: dt.date,
    voters_present: int,
    spoiled: int,
    minutes_ref: str,
    rows: list[RowInput],
) -> TallySheet:
    """The chi ủy copies its biên bản kiểm phiếu (kết quả nhập tay); entering again replaces
    the earlier entry. Counts only: never who voted what."""
    if not can_at(user, Action.EDIT, K, cell):
        raise PermissionDenied("Đồng chí không có quyền nhập kết quả biểu quyết của chi bộ này.")
    require_open(cycle)
    require_cell(cell)
    other = [t for t in tallies_for(cycle.pk, cell.path).values() if t.cell_id == cell.pk]
    if other and other[0].source != "manual":
        raise ValidationError(
            f"Chi bộ đã có kết quả bỏ phiếu trong hệ thống ({other[0].label}): không nhập tay."
        )
    method = profile_of(cycle).ballot.method
    member_ids = set(Member.objects.filter(cell=cell).values_list("pk", flat=True))
    visitors = Member.objects.filter(temporary_cell=cell).count()
    check(method, voters_present, spoiled, rows, member_ids, len(member_ids) + visitors)
    sheet = TallySheet.objects.filter(cycle=cycle, cell=cell).first()
    old = None
    if sheet is not None:
        old = {"voters_present": sheet.voters_present, "spoiled": sheet.spoiled}
        sheet.rows.all().delete()
    else:
        sheet = TallySheet(cycle=cycle, cell=cell)
    sheet.method, sheet.voters_present, sheet.spoiled = method, voters_present, spoiled
    sheet.counted_on, sheet.minutes_ref, sheet.entered_by = counted_on, minutes_ref, user
    sheet.save()
    TallyRow.objects.bulk_create(
        TallyRow(
            sheet=sheet,
            member_id=r.member_id,
            present=r.present,
            voted=r.voted,
            htxsnv=r.htxsnv,
            httnv=r.httnv,
            htnv=r.htnv,
            khtnv=r.khtnv,
            approve=r.approve,
            disapprove=r.disapprove,
            proposed_level=r.proposed_level,
        )
        for r in rows
    )
    record(
        user,
        "tally_enter",
        sheet,
        old=old,
        new={
            "voters_present": voters_present,
            "spoiled": spoiled,
            "rows": len(rows),
            "minutes": minutes_ref,
        },
        summary=f"Nhập kết quả biểu quyết của {cell.name}",
    )
    return sheet


CONDITION_FIELDS = (
    "ccvc_level",
    "disciplined_in_year",
    "sick_leave_days",
    "maternity_leave_days",
    "works_far_away",
    "meetings_absent",
    "meetings_silent",
    "awards",
    "note",
    "article_11",
)


@transaction.atomic
def save_conditions(
    user: Any, cycle: Cycle, member: Member, data: dict[str, Any]
) -> MemberConditions:
    """The year's conditions of a member (domain.md §4.2), as the chi ủy records them."""
    if not can_at(user, Action.EDIT, K, member.cell):
        raise PermissionDenied("Đồng chí không có quyền ghi điều kiện xếp loại của đảng viên này.")
    require_open(cycle)
    if data.get("ccvc_level") and data["ccvc_level"] not in CcvcRating.values:
        raise ValidationError("Kết quả xếp loại cán bộ, công chức, viên chức không hợp lệ.")
    for key in ("sick_leave_days", "maternity_leave_days"):
        if not 0 <= int(data.get(key) or 0) <= 366:
            raise ValidationError("Số ngày nghỉ phải từ 0 đến 366.")
    if "article_11" in data:  # QĐ 366 Điều 11's facts: the CLI's reader refuses what it would
        try:
            article_11_facts(data["article_11"] or {}, member.full_name)
        except InputError as exc:
            raise ValidationError(str(exc)) from None
    cond, created = MemberConditions.objects.get_or_create(cycle=cycle, member=member)
    old = None if created else {k: getattr(cond, k) for k in CONDITION_FIELDS}
    for key in CONDITION_FIELDS:
        if key in data:
            setattr(cond, key, data[key])
    cond.updated_by = user
    cond.save()
    record(
        user,
        "conditions_save",
        cond,
        old=old,
        new={k: getattr(cond, k) for k in CONDITION_FIELDS},
        summary=f"Điều kiện xếp loại của {member.full_name}",
    )
    return cond


def store_proposals(units: UnitOutcomes) -> int:
    """Keep the rules' proposal of every member of `units` (only rows whose inputs changed
    are written): three queries whatever the number of members."""
    cycle = units.cycle
    existing = {
        p.subject_key: p
        for p in Proposal.objects.filter(
            cycle=cycle, subject_type=SubjectType.MEMBER, place__path__startswith=units.unit.path
        )
    }
    grassroots = _grassroots_ids(units)
    new, changed = [], []
    fields = [
        "status",
        "level",
        "vote_level",
        "reasons",
        "sources",
        "details",
        "tally_source",
        "fingerprint",
        "place",
        "grassroots",
    ]
    for row in units.rows:
        key = f"{SubjectType.MEMBER}:{row.member_id}"
        p = existing.get(key)
        if p is not None and p.fingerprint == row.fingerprint:
            continue
        o = row.outcome
        values = {
            "status": row.status,
            "level": row.level,
            "vote_level": o.vote_level.name if o is not None and o.vote_level else "",
            "reasons": row.reasons,
            "sources": row.sources,
            "details": row.details,
            "tally_source": row.tally_source,
            "fingerprint": row.fingerprint,
            "place_id": row.cell_id,
            "grassroots_id": grassroots.get(row.cell_id),
        }
        if p is None:
            new.append(
                Proposal(
                    cycle=cycle,
                    subject_type=SubjectType.MEMBER,
                    subject_key=key,
                    member_id=row.member_id,
                    **values,
                )
            )
        else:
            for k, v in values.items():
                setattr(p, k, v)
            changed.append(p)
    Proposal.objects.bulk_create(new, batch_size=2000)
    Proposal.objects.bulk_update(changed, fields, batch_size=2000)
    return len(new) + len(changed)


def _grassroots_ids(units: UnitOutcomes) -> dict[int, int | None]:
    ancestors = {o.pk: o for o in units.cells.values()}
    ids = {int(s) for c in units.cells.values() for s in c.path.strip("/").split("/") if s}
    ancestors.update({o.pk: o for o in Organization.objects.filter(pk__in=ids - set(ancestors))})
    return {cid: grassroots_of(c, ancestors) for cid, c in units.cells.items()}


@dataclass
class Choice:
    """One member's level in an act: the proposal's unless a level is given (with a reason)."""

    member_id: int
    level: str = ""
    reason: str = ""


def not_decidable(row: MemberRow) -> str | None:
    if row.status == ProposalStatus.PROPOSED:
        return None
    text = NOT_DECIDABLE.get(ProposalStatus(row.status), row.status)
    text = text.format(waiting="; ".join(row.waiting))
    if row.status == ProposalStatus.NOT_CLASSIFIED and row.not_classified_reason:
        text += f" ({row.not_classified_reason})"
    return f"{row.name}: {text}"


@transaction.atomic
def propose_cell(
    user: Any, cycle: Cycle, cell: Organization, changes: list[Choice] | None = None
) -> int:
    """The chi ủy's proposal (Mẫu 04) for every member of the cell the rules could propose:
    the rules' level, or another with a reason (people decide, 000 §2.2.3.2 Bước 2)."""
    require_cell(cell)
    body, tier = acting_body(user, Action.PROPOSE, K, cell)
    require_open(cycle)
    units = outcomes_for(cycle, cell)
    store_proposals(units)
    wanted = {c.member_id: c for c in changes or []}
    rows = {r.member_id: r for r in units.rows}
    errors = [f"Đảng viên mã {m} không thuộc chi bộ." for m in wanted if m not in rows]
    standing = standing_for(
        Decision.objects.filter(
            cycle=cycle, step=Step.PROPOSE, place=cell, subject_type=SubjectType.MEMBER
        )
    )
    made: list[Decision] = []
    grassroots = grassroots_of(cell)
    for row in units.rows:
        choice = wanted.get(row.member_id)
        problem = not_decidable(row)
        if problem:
            if choice is not None:
                errors.append(problem)
            continue
        level, why = row.level, ""
        if choice is not None and choice.level and choice.level != row.level:
            level, why = Level.parse(choice.level).name, choice.reason.strip()
            if not why:
                errors.append(f"{row.name}: đề xuất khác mức của kết quả biểu quyết cần ghi lý do.")
        current = standing.get(f"m:{row.member_id}")
        prev = current.propose if current is not None else None
        if (
            prev is not None
            and prev.level == level
            and prev.proposal_fingerprint == row.fingerprint
        ):
            continue
        made.append(
            member_decision(
                cycle,
                row,
                Step.PROPOSE,
                level,
                body,
                tier,
                user,
                grassroots,
                prev,
                Grounds.CHANGED if prev and why else Grounds.REGULAR,
                why or (REPROPOSED if prev else ""),
            )
        )
    if errors:
        raise ValidationError(errors)
    insert_decisions(made)
    record(
        user,
        "propose_cell",
        cell,
        new=acts_summary(made),
        summary=f"Chi ủy đề xuất xếp loại {len(made)} đảng viên (Mẫu 04)",
    )
    return len(made)


def member_decision(
    cycle: Cycle,
    row: MemberRow,
    step: str,
    level: str,
    body: Organization,
    tier: str,
    user: Any,
    grassroots: int | None,
    prev: Decision | None,
    grounds: str,
    reason: str,
    order: ReclassificationOrder | None = None,
) -> Decision:
    if prev is not None and grounds == Grounds.REGULAR:
        grounds = Grounds.CHANGED
    return Decision(
        cycle=cycle,
        step=step,
        level=level,
        grounds=grounds,
        reason=reason,
        body=body,
        tier=tier,
        subject_type=SubjectType.MEMBER,
        subject_key=f"m:{row.member_id}",
        member_id=row.member_id,
        place_id=row.cell_id,
        grassroots_id=grassroots,
        proposal_level=row.level,
        proposal_fingerprint=row.fingerprint,
        supersedes=prev,
        order=order,
        made_by=user,
    )


RACE = (
    "Một người khác vừa ghi quyết định cho cùng đối tượng: tải lại trang, xem quyết định mới "
    "rồi làm lại nếu cần."
)


def insert_decisions(made: list[Decision]) -> None:
    """Add the rows (bulk_create skips save(): they are new by construction and carry their
    keys). Two people superseding the same decision at once: the second is refused, since a
    decision has one successor at most."""
    for d in made:
        d.fill_key()
    try:
        with transaction.atomic():
            Decision.objects.bulk_create(made, batch_size=2000)
    except IntegrityError:
        raise ValidationError(RACE) from None


def acts_summary(made: list[Decision]) -> dict[str, Any]:
    return {
        "count": len(made),
        "levels": dict(Counter(d.level or d.verdict for d in made)),
        "subjects": [d.subject_key for d in made][:500],
    }

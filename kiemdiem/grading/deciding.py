"""The deciding body's acts on members: decide the proposals of a cell (all at once or one
by one), and annul a result and classify again (000 §2.3; 001 §2.2.6). Append only: a new
decision supersedes the standing one, which stays in the history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kiemdiem.accounts.access import Action
from kiemdiem.audit.models import record
from kiemdiem.cycles.models import Cycle
from kiemdiem.grading import checks
from kiemdiem.grading.context import acting_body, grassroots_of
from kiemdiem.grading.facts import MemberRow, outcomes_for, unit_levels
from kiemdiem.grading.models import (
    ANNULMENTS,
    Decision,
    Grounds,
    ReclassificationOrder,
    Step,
    SubjectType,
)
from kiemdiem.grading.quotas import Standing, standing_for
from kiemdiem.grading.services import (
    Choice,
    K,
    acts_summary,
    insert_decisions,
    member_decision,
    not_decidable,
    require_cell,
    require_open,
    store_proposals,
)
from kiemdiem.org.choices import OrgKind
from kiemdiem.org.models import Member, Organization
from kiemdiem.rules import Level

REDECIDED = "Quyết định lại theo kết quả, điều kiện đã cập nhật"


@dataclass
class DecideResult:
    decided: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


def _body_of(cell: Organization) -> Organization:
    gid = grassroots_of(cell)
    if gid is None:
        raise ValidationError(f"{cell.name} không thuộc tổ chức cơ sở đảng nào.")
    return cell if gid == cell.pk else Organization.objects.get(pk=gid)


def _proposal_level(row: MemberRow, st: Standing | None, needs_chi_uy: bool) -> str | None:
    if st is not None and st.propose is not None:
        return st.propose.level
    return None if needs_chi_uy else row.level


@transaction.atomic
def decide(
    user: Any,
    cycle: Cycle,
    cell: Organization,
    choices: list[Choice] | None = None,
    *,
    order: ReclassificationOrder | None = None,
) -> DecideResult:
    """Decide the members of `cell`: every proposal at once (`choices` None), or the chosen
    members (a level other than the proposal needs a reason). Where a chi ủy sits under a
    committee, decisions are made on its proposals (Mẫu 04); a grassroots cell decides on
    the rules' proposals itself (000 §2.2.3.2 Bước 2)."""
    require_cell(cell)
    body_org = _body_of(cell)
    body, tier = acting_body(user, Action.DECIDE, K, body_org)
    require_open(cycle)
    if order is None:  # while the superior's order is open, decisions answer it
        order = (
            ReclassificationOrder.objects.filter(
                cycle=cycle, organization=body_org, resolved_at__isnull=True
            )
            .order_by("-pk")
            .first()
        )
    units = outcomes_for(cycle, cell)
    store_proposals(units)
    standing = standing_for(
        Decision.objects.filter(cycle=cycle, place=cell, subject_type=SubjectType.MEMBER)
    )
    needs_chi_uy = cell.kind == OrgKind.CELL
    rows = {r.member_id: r for r in units.rows}
    result, errors, made = DecideResult(), [], []
    wanted = choices if choices is not None else [Choice(r.member_id) for r in units.rows]
    explicit = choices is not None
    levels = unit_levels(cycle)
    names = checks.unit_names(p for r in units.rows for p in r.posts)
    for choice in wanted:
        row = rows.get(choice.member_id)
        if row is None:
            errors.append(f"Đảng viên mã {choice.member_id} không thuộc {cell.name}.")
            continue
        problem = not_decidable(row)
        st = standing.get(f"m:{row.member_id}")
        proposal = None if problem else _proposal_level(row, st, needs_chi_uy)
        if problem or proposal is None:
            why = problem or f"{row.name}: chi ủy chưa đề xuất mức xếp loại (Mẫu 04)."
            (errors if explicit else result.skipped).append(why)
            continue
        level = Level.parse(choice.level or proposal)
        reason = choice.reason.strip()
        if level.name != proposal and not reason:
            errors.append(
                f"{row.name}: quyết định {level.name} khác mức đề xuất {proposal}: cần ghi lý do."
            )
            continue
        problems = checks.member_checks(row, level, units.profile, levels, names)
        if problems:
            # "Decide all" decides whom the order rules allow now and names the others with
            # the reason; a member chosen one by one is refused with it.
            (errors if explicit else result.skipped).extend(problems)
            continue
        prev = st.decide if st is not None else None
        if (
            prev is not None
            and prev.level == level.name
            and prev.proposal_fingerprint == row.fingerprint
        ):
            result.unchanged += 1
            continue
        grounds = Grounds.RECLASSIFICATION if order is not None else Grounds.REGULAR
        if order is not None and not reason:
            reason = f"Xếp loại lại theo yêu cầu của cấp trên: {order.reason}"
        if prev is not None and not reason:
            reason = REDECIDED
        made.append(
            member_decision(
                cycle,
                row,
                Step.DECIDE,
                level.name,
                body,
                tier,
                user,
                body_org.pk,
                prev,
                grounds,
                reason,
                order,
            )
        )
    if errors:
        raise ValidationError(errors)
    insert_decisions(made)
    result.decided = len(made)
    record(
        user,
        "decide_members",
        cell,
        new=acts_summary(made),
        summary=f"{body.name} quyết định xếp loại {len(made)} đảng viên của {cell.name}",
    )
    return result


@transaction.atomic
def annul(
    user: Any, cycle: Cycle, member: Member, *, level: str, grounds: str, reason: str
) -> Decision:
    """Annul a standing result and classify again (a defect found later, or a violation of
    an earlier year disciplined now: 000 §2.3, 001 §2.2.6). Possible after the cycle closed;
    the annulled decision stays in the history."""
    if grounds not in ANNULMENTS:
        raise ValidationError("Trường hợp hủy bỏ kết quả không hợp lệ.")
    if not reason.strip():
        raise ValidationError("Cần ghi lý do hủy bỏ kết quả xếp loại.")
    cell = member.cell
    body_org = _body_of(cell)
    body, tier = acting_body(user, Action.DECIDE, K, body_org)
    prev = (
        Decision.objects.current()
        .filter(cycle=cycle, step=Step.DECIDE, subject_key=f"m:{member.pk}")
        .first()
    )
    if prev is None:
        raise ValidationError(f"{member.full_name} chưa có kết quả xếp loại để hủy bỏ.")
    new_level = Level.parse(level)
    units = outcomes_for(cycle, cell)
    row = next(r for r in units.rows if r.member_id == member.pk)
    names = checks.unit_names(row.posts)
    errors = checks.member_checks(row, new_level, units.profile, unit_levels(cycle), names)
    if errors:
        raise ValidationError(errors)
    d = member_decision(
        cycle,
        row,
        Step.DECIDE,
        new_level.name,
        body,
        tier,
        user,
        body_org.pk,
        prev,
        grounds,
        reason.strip(),
    )
    insert_decisions([d])
    record(
        user,
        "annul_decision",
        d,
        old={"decision": prev.pk, "level": prev.level},
        new={"level": d.level, "grounds": grounds, "reason": d.reason},
        summary=f"Hủy bỏ kết quả xếp loại của {member.full_name}, xếp loại lại {d.level}",
    )
    return d

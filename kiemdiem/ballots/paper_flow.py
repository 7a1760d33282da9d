"""Use-cases of a paper ballot (issue 5 §2): the ban kiểm phiếu is named, the chi ủy's
proposals are set (approve_proposal), the tally sheet is entered twice by independent
hands, and the result is confirmed only when both entries agree cell by cell and add up
against the papers issued. Confirmed counts are final: a re-vote is a new round.

A paper ballot stores counts only (no voter is linked to a paper); the online box rules in
`services` are untouched by anything here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kiemdiem.audit.models import record
from kiemdiem.ballots.counting import (
    APPROVE_PROPOSAL,
    BLANK,
    CHOICE_NAMES,
    Counts,
    Papers,
    check,
    choices_for,
)
from kiemdiem.ballots.double_entry import PAPER_FIELDS, Mismatch, compare, field_key
from kiemdiem.ballots.models import Ballot, BallotMode, BallotStatus, Candidate, PaperEntry
from kiemdiem.ballots.results import roll_of
from kiemdiem.ballots.services import _require
from kiemdiem.rules import Level

MAX_COMMITTEE = 9
COUNT_LIMIT = 1_000_000  # no cell holds more; larger figures are typing slips


def _locked(user: Any, ballot_id: int) -> Ballot:
    ballot = Ballot.objects.select_for_update().select_related("meeting").get(pk=ballot_id)
    _require(user, ballot.meeting)
    return ballot


def _editable(ballot: Ballot) -> None:
    if ballot.confirmed_at is not None or ballot.status == BallotStatus.CLOSED:
        raise ValidationError(
            "Kết quả đã được xác nhận, không sửa được; cần bỏ phiếu lại thì mở vòng mới."
        )


@transaction.atomic
def set_committee(user: Any, ballot: Ballot, names: list[str]) -> Ballot:
    """The ban kiểm phiếu, head first. Either mode (the biên bản names it); an online
    ballot's committee counts after close, a paper ballot's is fixed with its result."""
    ballot = _locked(user, ballot.pk)
    if ballot.mode == BallotMode.PAPER:
        _editable(ballot)
    clean = [" ".join(n.split()) for n in names if n.strip()]
    if not clean:
        raise ValidationError("Cần ghi tên ít nhất một thành viên Ban kiểm phiếu.")
    if len(clean) > MAX_COMMITTEE:
        raise ValidationError(f"Ban kiểm phiếu có nhiều nhất {MAX_COMMITTEE} thành viên.")
    if any(len(n) > 200 for n in clean):
        raise ValidationError("Tên thành viên Ban kiểm phiếu quá dài (tối đa 200 ký tự).")
    if len(set(clean)) != len(clean):
        raise ValidationError("Một người được ghi hai lần trong Ban kiểm phiếu.")
    old = ballot.committee
    ballot.committee = clean
    ballot.save(update_fields=["committee"])
    record(user, "ballot_committee", ballot, old={"committee": old}, new={"committee": clean})
    return ballot


@transaction.atomic
def set_proposals(user: Any, ballot: Ballot, proposals: Mapping[str, str]) -> Ballot:
    """The level the chi ủy puts to the vote for each candidate (approve_proposal, 001
    §2.2.5), before the papers are printed or the codes handed out."""
    ballot = _locked(user, ballot.pk)
    if ballot.method != APPROVE_PROPOSAL:
        raise ValidationError("Bộ quy tắc bỏ phiếu chọn mức: không có mức chi ủy đề xuất.")
    if ballot.status != BallotStatus.DRAFT or _entries(ballot):
        raise ValidationError("Chỉ đặt mức đề xuất trước khi bỏ phiếu.")
    candidates = list(ballot.candidates.all())
    changed = []
    for c in candidates:
        value = (proposals.get(c.key) or "").strip()
        if not value:
            raise ValidationError(f"Chưa chọn mức chi ủy đề xuất cho đồng chí {c.name}.")
        try:
            level = Level.parse(value)
        except (KeyError, ValueError):
            raise ValidationError(f"Mức đề xuất cho đồng chí {c.name} không hợp lệ.") from None
        c.proposal = level.name
        changed.append(c)
    Candidate.objects.bulk_update(changed, ["proposal"])
    record(user, "ballot_proposals", ballot, new={c.key: c.proposal for c in changed})
    return ballot


def _entries(ballot: Ballot) -> dict[int, PaperEntry]:
    return {e.number: e for e in PaperEntry.objects.filter(ballot=ballot)}


def _number(text: str, label: str) -> int:
    raw = (text or "").strip()
    if not raw:
        raise ValidationError(f"{label}: chưa nhập số.")
    if not raw.isdigit() or not raw.isascii():
        raise ValidationError(f"{label}: “{raw[:20]}” không phải số nguyên không âm.")
    value = int(raw)
    if value > COUNT_LIMIT:
        raise ValidationError(f"{label}: số {value} quá lớn.")
    return value


def parse_form(ballot: Ballot, data: Mapping[str, str]) -> Counts:
    """The tally sheet's form fields -> Counts: papers ("issued", "returned", "spoiled")
    and one field per candidate and column ("<key>:<choice>"). Every cell must be a whole
    number; the first bad cell is named in the message."""
    figures = {attr: _number(data.get(attr, ""), label) for attr, label in PAPER_FIELDS}
    rows: dict[str, dict[str, int]] = {}
    for c in ballot.candidates.all():
        row = rows.setdefault(c.key, {})
        for choice in (*choices_for(ballot.method), BLANK):
            label = f"Đồng chí {c.name}, cột “{CHOICE_NAMES[choice]}”"
            row[choice] = _number(data.get(field_key(c.key, choice), ""), label)
    return Counts(ballot.method, Papers(**figures), rows)


def entry_counts(ballot: Ballot, entry: PaperEntry) -> Counts:
    return Counts(ballot.method, Papers(entry.issued, entry.returned, entry.spoiled), entry.rows)


def names_of(ballot: Ballot) -> dict[str, str]:
    return dict(ballot.candidates.values_list("key", "name"))


@transaction.atomic
def enter(user: Any, ballot: Ballot, number: int, data: Mapping[str, str]) -> PaperEntry:
    """One entry (1 or 2) of the tally sheet, checked whole before anything is stored:
    whole numbers only, each candidate's row equal to the valid papers, the papers within
    those issued and those present. Entering again replaces that entry only."""
    ballot = _locked(user, ballot.pk)
    if ballot.mode != BallotMode.PAPER:
        raise ValidationError("Chỉ nhập kết quả kiểm phiếu cho cuộc bỏ phiếu giấy.")
    _editable(ballot)
    if number not in (1, 2):
        raise ValidationError("Chỉ có lần nhập thứ nhất và lần nhập thứ hai.")
    if not ballot.committee:
        raise ValidationError("Cần ghi tên Ban kiểm phiếu trước khi nhập kết quả.")
    counts = parse_form(ballot, data)
    problems = check(counts, roll_of(ballot), names_of(ballot))
    if problems:
        raise ValidationError(problems)
    p = counts.papers
    new = {"issued": p.issued, "returned": p.returned, "spoiled": p.spoiled,
           "rows": {k: dict(v) for k, v in counts.rows.items()}}  # fmt: skip
    before = PaperEntry.objects.filter(ballot=ballot, number=number).first()
    old = None
    if before is not None:  # a re-entry: who changed which count stays on record
        old = {"issued": before.issued, "returned": before.returned,
               "spoiled": before.spoiled, "rows": before.rows}  # fmt: skip
    entry, _ = PaperEntry.objects.update_or_create(
        ballot=ballot, number=number, defaults={**new, "entered_by": user}
    )
    record(user, f"ballot_entry_{number}", ballot, old=old, new=new)
    return entry


def mismatches(ballot: Ballot) -> list[Mismatch] | None:
    """Cell by cell, where the two entries differ; None while one is missing."""
    entries = _entries(ballot)
    if 1 not in entries or 2 not in entries:
        return None
    first, second = (entry_counts(ballot, entries[n]) for n in (1, 2))
    return compare(first, second, names_of(ballot))


@transaction.atomic
def confirm(user: Any, ballot: Ballot) -> Ballot:
    """Both entries present, equal in every cell, and adding up: the counts become final
    and the ballot closed (counted like a closed online box from here on)."""
    ballot = _locked(user, ballot.pk)
    if ballot.mode != BallotMode.PAPER:
        raise ValidationError("Chỉ xác nhận kết quả của cuộc bỏ phiếu giấy.")
    _editable(ballot)
    found = mismatches(ballot)
    if found is None:
        raise ValidationError("Cần đủ hai lần nhập độc lập trước khi xác nhận.")
    if found:
        raise ValidationError(
            [f"Hai lần nhập chưa khớp ở {len(found)} ô:"] + [m.message for m in found]
        )
    counts = entry_counts(ballot, _entries(ballot)[1])
    problems = check(counts, roll_of(ballot), names_of(ballot))
    if problems:
        raise ValidationError(problems)
    ballot.confirmed_at = timezone.now()
    ballot.status = BallotStatus.CLOSED
    ballot.save(update_fields=["confirmed_at", "status"])
    p = counts.papers
    record(user, "confirm_paper_ballot", ballot,
           new={"issued": p.issued, "returned": p.returned, "spoiled": p.spoiled})  # fmt: skip
    return ballot

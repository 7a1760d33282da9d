"""Kết quả nhập tay: the counts a chi ủy copies from its biên bản kiểm phiếu, checked before
anything is stored (bad input: a Vietnamese message naming the member, nothing changed)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from kiemdiem.grading.models import TallyRow, TallySheet
from kiemdiem.grading.tallies import CellTally
from kiemdiem.rules import Level, Votes
from kiemdiem.vn import short_date

LEVEL_FIELDS = (
    (Level.HTXSNV, "htxsnv"),
    (Level.HTTNV, "httnv"),
    (Level.HTNV, "htnv"),
    (Level.KHTNV, "khtnv"),
)
METHOD_NAMES = {
    "choose_level": "chọn một trong 4 mức",
    "approve_proposal": "tán thành mức chi ủy đề xuất",
}


@dataclass
class RowInput:
    """One member's line of the minutes."""

    member_id: int
    name: str
    present: bool = True
    voted: bool = True
    htxsnv: int = 0
    httnv: int = 0
    htnv: int = 0
    khtnv: int = 0
    approve: int = 0
    disapprove: int = 0
    proposed_level: str = ""

    @property
    def marks(self) -> int:
        return self.htxsnv + self.httnv + self.htnv + self.khtnv + self.approve + self.disapprove


def check(
    method: str,
    voters_present: int,
    spoiled: int,
    rows: list[RowInput],
    cell_member_ids: set[int],
    attendees: int,
) -> None:
    """Every rule the minutes must satisfy; the first broken one is raised."""
    if method not in METHOD_NAMES:
        raise ValidationError(f"Cách bỏ phiếu “{method}” không có trong bộ quy tắc.")
    if voters_present > attendees:
        raise ValidationError(
            f"Số người có mặt biểu quyết ({voters_present}) lớn hơn số đảng viên của chi bộ "
            f"({attendees})."
        )
    if spoiled > voters_present:
        raise ValidationError(
            f"Số phiếu không hợp lệ ({spoiled}) lớn hơn số người biểu quyết ({voters_present})."
        )
    valid = voters_present - spoiled
    seen: set[int] = set()
    for r in rows:
        if r.member_id not in cell_member_ids:
            raise ValidationError(f"{r.name} không sinh hoạt chính thức ở chi bộ này.")
        if r.member_id in seen:
            raise ValidationError(f"{r.name} được nhập hai lần.")
        seen.add(r.member_id)
        counts = (r.htxsnv, r.httnv, r.htnv, r.khtnv, r.approve, r.disapprove)
        if any(n < 0 for n in counts):
            raise ValidationError(f"{r.name}: số phiếu không được âm.")
        if not r.voted:
            if r.marks:
                raise ValidationError(f"{r.name}: không đưa ra biểu quyết nhưng lại có số phiếu.")
            continue
        if method == "choose_level" and (r.approve or r.disapprove):
            raise ValidationError(
                f"{r.name}: bộ quy tắc bỏ phiếu chọn mức, không ghi tán thành/không tán thành."
            )
        if method == "approve_proposal":
            if r.htxsnv or r.httnv or r.htnv or r.khtnv:
                raise ValidationError(
                    f"{r.name}: bộ quy tắc biểu quyết tán thành mức chi ủy đề xuất, "
                    "không ghi số phiếu từng mức."
                )
            if not r.proposed_level:
                raise ValidationError(f"{r.name}: cần ghi mức chi ủy đưa ra biểu quyết.")
            Level.parse(r.proposed_level)
        if r.marks > valid:
            raise ValidationError(
                f"{r.name}: có {r.marks} phiếu nhưng chỉ {valid} phiếu hợp lệ "
                f"({voters_present} người biểu quyết, {spoiled} phiếu không hợp lệ)."
            )


def votes_of(row: TallyRow | RowInput, method: str) -> Votes:
    if method == "approve_proposal":
        return Votes(approve=row.approve, disapprove=row.disapprove)
    return Votes(levels={lv: getattr(row, f) for lv, f in LEVEL_FIELDS if getattr(row, f)})


class ManualSource:
    """The hand-entered sheets of a subtree: two queries whatever the number of cells."""

    name = "manual"

    def for_subtree(self, cycle_id: int, path: str) -> dict[int, CellTally]:
        sheets = {
            s.pk: s
            for s in TallySheet.objects.filter(cycle_id=cycle_id, cell__path__startswith=path)
        }
        if not sheets:
            return {}
        result: dict[int, CellTally] = {}
        for s in sheets.values():
            label = f"Kết quả nhập tay theo biên bản kiểm phiếu ngày {short_date(s.counted_on)}"
            result[s.cell_id] = CellTally(
                s.cell_id, self.name, label, s.method, s.voters_present, s.spoiled
            )
        rows = TallyRow.objects.filter(
            sheet__cycle_id=cycle_id, sheet__cell__path__startswith=path
        ).values_list(
            "sheet_id", "member_id", "present", "voted", "htxsnv", "httnv", "htnv", "khtnv",
            "approve", "disapprove", "proposed_level",
        )  # fmt: skip
        by_sheet: dict[int, list[tuple[object, ...]]] = defaultdict(list)
        for row in rows.iterator(chunk_size=5000):
            by_sheet[row[0]].append(row)
        for sheet_id, lines in by_sheet.items():
            tally = result[sheets[sheet_id].cell_id]
            approve = tally.method == "approve_proposal"
            for _, member_id, present, voted, a, b, c, d, yes, no, proposed in lines:
                mid = int(str(member_id))
                tally.present[mid] = bool(present)
                if proposed:
                    tally.proposed[mid] = Level.parse(str(proposed))
                if not voted:
                    continue
                if approve:
                    tally.votes[mid] = Votes(approve=int(str(yes)), disapprove=int(str(no)))
                else:
                    marks = zip(LEVEL_FIELDS, (a, b, c, d), strict=True)
                    levels = {lv: int(str(n)) for (lv, _f), n in marks if n}
                    tally.votes[mid] = Votes(levels=levels)
        return result

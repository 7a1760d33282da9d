"""The cell's decision table (issue 15 §3): the filters a deciding office needs on a cell of
fifty — waiting for a decision, differing from the proposal, over the quota — and a search
by name, applied to the page's lines in Python (no query: the page's count stays fixed)."""

from __future__ import annotations

from dataclasses import dataclass

from kiemdiem.grading.models import ProposalStatus
from kiemdiem.grading.pages import Line
from kiemdiem.org.models import fold


def waiting(x: Line) -> bool:
    """Decidable and not decided yet."""
    return x.row.status == ProposalStatus.PROPOSED and not x.decided


def differs(x: Line) -> bool:
    """The chi ủy proposed another level than the rules, or the body decided another level
    than the proposal: the cases a reason was (or must be) written for."""
    proposed = x.proposed or x.row.level
    return bool(
        (x.proposed and x.row.level and x.proposed != x.row.level)
        or (x.decided and proposed and x.decided != proposed)
    )


def over_quota(x: Line) -> bool:
    return bool(x.flags)


FILTERS = {
    "cho": ("Chờ quyết định", waiting),
    "khac": ("Khác đề xuất", differs),
    "vuot": ("Vượt hạn mức", over_quota),
}


@dataclass
class Choice:
    key: str  # "" is every member
    label: str
    count: int
    active: bool


def filter_choices(lines: list[Line], active: str) -> list[Choice]:
    found = [Choice("", "Tất cả", len(lines), active not in FILTERS)]
    for key, (label, test) in FILTERS.items():
        found.append(Choice(key, label, sum(1 for x in lines if test(x)), key == active))
    return found


def shown(lines: list[Line], query: str, which: str) -> list[Line]:
    """The lines under the chosen filter whose name holds the folded query."""
    if which in FILTERS:
        test = FILTERS[which][1]
        lines = [x for x in lines if test(x)]
    folded = fold(query.strip())
    if folded:
        lines = [x for x in lines if folded in fold(x.row.name)]
    return lines

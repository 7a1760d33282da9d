"""Double entry of paper counts: two independent entries of the same tally sheet must agree
cell by cell before the result can be confirmed (issue 5 §2). Pure: the service and the
pages call `compare` on two `Counts`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kiemdiem.ballots.counting import BLANK, CHOICE_NAMES, Counts, choices_for

PAPER_FIELDS = (
    ("issued", "Số phiếu phát ra"),
    ("returned", "Số phiếu thu về"),
    ("spoiled", "Số phiếu không hợp lệ"),
)


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One cell where the two entries differ. `key` names the form field ("issued",
    "<candidate>:<choice>") so a page can mark that very cell."""

    key: str
    where: str
    first: int | None
    second: int | None

    @property
    def message(self) -> str:
        return (
            f"{self.where}: lần nhập thứ nhất ghi {_shown(self.first)}, "
            f"lần nhập thứ hai ghi {_shown(self.second)}."
        )


def _shown(value: int | None) -> str:
    return "—" if value is None else str(value)


def field_key(candidate: str, choice: str) -> str:
    return f"{candidate}:{choice}"


def compare(first: Counts, second: Counts, names: Mapping[str, str]) -> list[Mismatch]:
    """Every cell where the entries differ: the papers first, then each candidate's row in
    ballot order (`names`), column by column. Empty: the entries agree."""
    out: list[Mismatch] = []
    for attr, label in PAPER_FIELDS:
        a, b = getattr(first.papers, attr), getattr(second.papers, attr)
        if a != b:
            out.append(Mismatch(attr, label, a, b))
    columns = (*choices_for(first.method), BLANK)
    for key, name in names.items():
        row_a, row_b = first.rows.get(key), second.rows.get(key)
        for choice in columns:
            a = None if row_a is None else row_a.get(choice, 0)
            b = None if row_b is None else row_b.get(choice, 0)
            if a != b:
                where = f"Đồng chí {name}, cột “{CHOICE_NAMES[choice]}”"
                out.append(Mismatch(field_key(key, choice), where, a, b))
    return out

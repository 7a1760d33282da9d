"""Builders for the history tests: spreadsheets of earlier years and decisions made in the
system for a year."""

from __future__ import annotations

from typing import Any

from kiemdiem.grading.models import Decision
from kiemdiem.history.columns import HISTORY_COLUMNS
from kiemdiem.org.choices import GRASSROOTS_KINDS
from kiemdiem.org.models import Member, Organization
from tests.org import sheets

HEADERS = [c.header for c in HISTORY_COLUMNS]


def xlsx(rows: list[list[Any]], headers: list[str] | None = None) -> bytes:
    return sheets.xlsx(rows, headers or HEADERS)


def member_row(
    m: Member, year: int, level: str, exemplary: str = "", reward: str = ""
) -> list[Any]:
    return [year, "Đảng viên", m.code, "", m.full_name, level, exemplary, reward]


def org_row(o: Organization, year: int, level: str) -> list[Any]:
    return [year, "Tổ chức đảng", o.code, "", o.name, level, "", ""]


def decide(cycle: Any, subject: Member | Organization, level: str, body: Organization) -> Decision:
    """A decision of the deciding body, as grading writes it (append-only)."""
    if isinstance(subject, Member):
        fields: dict[str, Any] = {"subject_type": "m", "member": subject, "place": subject.cell}
        scale = "quality4"
    else:
        fields = {"subject_type": "o", "organization": subject, "place": subject}
        scale = "tsvm" if level.startswith(("tsvm", "chua")) else "quality4"
    grassroots = body if body.kind in GRASSROOTS_KINDS and isinstance(subject, Member) else None
    d = Decision(cycle=cycle, step="decide", level=level, scale=scale, body=body,
                 tier="grassroots", grassroots=grassroots, **fields)  # fmt: skip
    d.save()
    return d

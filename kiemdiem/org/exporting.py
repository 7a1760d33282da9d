"""Export an organization's members (its whole subtree) to .xlsx, in the columns of the
import template, so an exported file imports back unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from kiemdiem.org.columns import MEMBER_COLUMNS, ORG_COLUMNS, guide_rows
from kiemdiem.org.models import Member, Organization
from kiemdiem.org.tabular import write_csv, write_xlsx

ORG_CODE_FIELDS = {
    "cell": "cell__code",
    "party_group": "party_group__code",
    "temporary_cell": "temporary_cell__code",
    "former_cell": "former_cell__code",
    "residence_cell": "residence_cell__code",
}


def _labels(choices: Any) -> dict[str, str]:
    return {str(v): str(label) for v, label in choices}


def member_rows(members: QuerySet[Member]) -> Iterator[list[Any]]:
    """Rows in Vietnamese name order, read in chunks: one query per 2,000 members."""
    fields = [ORG_CODE_FIELDS.get(c.key, c.key) for c in MEMBER_COLUMNS]
    labels = {
        "gender": _labels(Member._meta.get_field("gender").choices),
        "category": _labels(Member._meta.get_field("category").choices),
        "suspension": _labels(Member._meta.get_field("suspension").choices),
    }
    ordered = members.order_by("sort_key", "code").values_list(*fields)
    for row in ordered.iterator(chunk_size=2000):
        out = []
        for column, value in zip(MEMBER_COLUMNS, row, strict=True):
            if column.key in labels and value:
                value = labels[column.key][value]
            out.append(None if value == "" else value)  # an empty cell is not written
        yield out


def export_members_xlsx(members: QuerySet[Member]) -> bytes:
    return write_xlsx(
        [c.header for c in MEMBER_COLUMNS],
        member_rows(members),
        sheet_title="Đảng viên",
        notes=guide_rows(MEMBER_COLUMNS),
    )


def member_template(fmt: str) -> bytes:
    headers = [c.header for c in MEMBER_COLUMNS]
    example = [c.example for c in MEMBER_COLUMNS]
    if fmt == "csv":
        return write_csv(headers, [example])
    return write_xlsx(headers, [example], sheet_title="Đảng viên", notes=guide_rows(MEMBER_COLUMNS))


def organization_template(fmt: str) -> bytes:
    headers = [c.header for c in ORG_COLUMNS]
    examples = [
        ["TL", "Đảng bộ xã Thanh Liên", "Đảng bộ cơ sở", ""],
        ["TL-X1", "Chi bộ xóm 1", "Chi bộ trực thuộc", "TL"],
    ]
    if fmt == "csv":
        return write_csv(headers, examples)
    return write_xlsx(headers, examples, sheet_title="Tổ chức", notes=guide_rows(ORG_COLUMNS))


def export_organizations_xlsx(orgs: QuerySet[Organization]) -> bytes:
    labels = _labels(Organization._meta.get_field("kind").choices)
    rows = (
        [code, name, labels[kind], parent or ""]
        for code, name, kind, parent in orgs.order_by("path").values_list(
            "code", "name", "kind", "parent__code"
        )
    )
    return write_xlsx([c.header for c in ORG_COLUMNS], rows, sheet_title="Tổ chức")

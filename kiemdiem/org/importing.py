"""All-or-nothing import of members and of the organization tree from a spreadsheet.

Every problem is collected (row, column, message in Vietnamese) before anything is written;
a file with any error saves nothing; importing the same file twice changes nothing (members
are matched by member code, organizations by organization code).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kiemdiem.org.columns import MEMBER_COLUMNS, ORG_COLUMNS, CellError, Column, match_headers
from kiemdiem.org.models import Member, Organization, member_errors
from kiemdiem.org.tabular import Table, TableError, read_table

ORG_FIELDS = ["cell", "party_group", "temporary_cell", "former_cell", "residence_cell"]
MEMBER_FIELDS = [c.key for c in MEMBER_COLUMNS if c.key != "code"]
HEADER_OF = {c.key: c.header for c in MEMBER_COLUMNS} | {"suspended_since": "Đình chỉ từ ngày"}

# Decides whether the importing user may write under an organization (None: anywhere).
ScopeCheck = Callable[[Organization], bool] | None


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it; 0 for the file itself
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Dòng {self.row}" if self.row else "Tệp"
        return (
            f"{where}, cột “{self.column}”: {self.message}"
            if self.column
            else f"{where}: {self.message}"
        )


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        verb = "Kiểm tra xong, chưa lưu" if self.dry_run else "Đã nhập"
        return (
            f"{verb}: {self.created} thêm mới, {self.updated} cập nhật, "
            f"{self.unchanged} không thay đổi."
        )


def _parse_rows(
    table: Table, columns: list[Column], result: ImportResult
) -> list[tuple[int, dict[str, Any]]]:
    mapping, header_errors = match_headers(table.headers, columns)
    result.errors += [RowError(1, "", e) for e in header_errors]
    if header_errors:
        return []
    parsed = []
    for number, cells in table.rows:
        values: dict[str, Any] = {}
        for index, column in mapping.items():
            raw = cells[index] if index < len(cells) else None
            try:
                values[column.key] = column.parse(raw)
            except CellError as exc:
                result.errors.append(RowError(number, column.header, str(exc)))
                continue
            if column.required and values[column.key] in ("", None):
                result.errors.append(RowError(number, column.header, "Không được để trống."))
        parsed.append((number, values))
    return parsed


def _read_rows(
    data: bytes, filename: str, columns: list[Column], result: ImportResult
) -> list[tuple[int, dict[str, Any]]]:
    try:
        table = read_table(data, filename)
    except TableError as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return []
    return _parse_rows(table, columns, result)


def import_members(
    data: bytes,
    filename: str,
    *,
    may_write: ScopeCheck = None,
    within: Organization | None = None,
    dry_run: bool = False,
) -> ImportResult:
    result = ImportResult(dry_run=dry_run)
    rows = _read_rows(data, filename, MEMBER_COLUMNS, result)
    codes = [v.get("code", "") for _, v in rows]
    org_codes = {v[f] for _, v in rows for f in ORG_FIELDS if v.get(f)}
    orgs = {o.code: o for o in Organization.objects.filter(code__in=org_codes)}
    existing = {
        m.code: m
        for m in Member.objects.filter(code__in=[c for c in codes if c]).select_related("cell")
    }
    seen: dict[str, int] = {}
    to_create: list[Member] = []
    to_update: list[Member] = []
    for number, values in rows:
        code = values.get("code", "")
        if code in seen:
            result.errors.append(
                RowError(number, "Mã đảng viên", f"Mã “{code}” trùng với dòng {seen[code]}.")
            )
            continue
        seen[code] = number
        member = existing.get(code)
        if member is not None and not _allowed(member.cell, may_write, within):
            result.errors.append(
                RowError(
                    number, "Mã đảng viên", "Đảng viên này thuộc tổ chức ngoài phạm vi được nhập."
                )
            )
            continue
        target = member or Member(code=code)
        before = _snapshot(target) if member else None
        if not _assign(target, values, orgs, number, result):
            continue
        if not _allowed(target.cell, may_write, within):
            result.errors.append(
                RowError(number, "Mã chi bộ", "Chi bộ này ngoài phạm vi được nhập của đồng chí.")
            )
            continue
        for fname, message in member_errors(target).items():
            result.errors.append(RowError(number, HEADER_OF.get(fname, fname), message))
        if member is None:
            to_create.append(target)
        elif _snapshot(target) != before:
            to_update.append(target)
        else:
            result.unchanged += 1
    if result.errors:
        return result
    result.created, result.updated = len(to_create), len(to_update)
    if not dry_run:
        with transaction.atomic():
            Member.objects.bulk_create(to_create, batch_size=1000)
            Member.objects.bulk_update(to_update, MEMBER_FIELDS, batch_size=1000)
    return result


def _allowed(org: Organization, may_write: ScopeCheck, within: Organization | None) -> bool:
    if within is not None and not org.path.startswith(within.path):
        return False
    return may_write is None or may_write(org)


def _snapshot(m: Member) -> tuple[Any, ...]:
    return tuple(getattr(m, f + "_id" if f in ORG_FIELDS else f) for f in MEMBER_FIELDS)


def _assign(
    m: Member,
    values: dict[str, Any],
    orgs: dict[str, Organization],
    number: int,
    result: ImportResult,
) -> bool:
    ok = True
    for key in MEMBER_FIELDS:
        if key not in values:
            continue  # a column the file does not have keeps the stored value
        value = values[key]
        if key in ORG_FIELDS:
            org = orgs.get(value) if value else None
            if value and org is None:
                result.errors.append(
                    RowError(number, HEADER_OF[key], f"Không có tổ chức mã “{value}”.")
                )
                ok = False
                continue
            setattr(m, key, org)
        else:
            setattr(m, key, value if value is not None else _empty(key))
    return ok and m.cell_id is not None


def _empty(key: str) -> Any:
    return None if key.endswith(("_on", "_since", "birth_date")) else ""


def import_organizations(
    data: bytes, filename: str, *, may_write: ScopeCheck = None, dry_run: bool = False
) -> ImportResult:
    """The tree: parents may come later in the file; existing organizations (by code) are
    renamed or moved."""
    result = ImportResult(dry_run=dry_run)
    rows = _read_rows(data, filename, ORG_COLUMNS, result)
    if not rows:
        return result
    in_file = {v["code"]: (n, v) for n, v in reversed(rows)}
    for n, v in rows:
        if in_file[v["code"]][0] != n:
            result.errors.append(
                RowError(
                    n, "Mã tổ chức", f"Mã “{v['code']}” trùng với dòng {in_file[v['code']][0]}."
                )
            )
    wanted = {*in_file, *(v["parent"] for _, v in rows if v.get("parent"))}
    known = {o.code: o for o in Organization.objects.filter(code__in=wanted)}
    order = _parents_first(rows, in_file, known, result)
    if result.errors:
        return result
    with transaction.atomic():
        for n, v in order:
            _save_org(n, v, known, may_write, result)
        if result.errors or dry_run:
            transaction.set_rollback(True)
    if result.errors:
        result.created = result.updated = result.unchanged = 0
    return result


def _parents_first(
    rows: list[tuple[int, dict[str, Any]]],
    in_file: dict[str, tuple[int, dict[str, Any]]],
    known: dict[str, Organization],
    result: ImportResult,
) -> list[tuple[int, dict[str, Any]]]:
    order: list[tuple[int, dict[str, Any]]] = []
    placed: set[str] = set()
    state: dict[str, str] = {}

    def visit(code: str) -> None:
        if code in placed or code not in in_file:
            return
        n, v = in_file[code]
        if state.get(code) == "visiting":
            result.errors.append(RowError(n, "Mã tổ chức cấp trên", "Cây tổ chức bị vòng lặp."))
            return
        state[code] = "visiting"
        parent = v.get("parent")
        if parent and parent not in in_file and parent not in known:
            result.errors.append(
                RowError(n, "Mã tổ chức cấp trên", f"Không có tổ chức mã “{parent}”.")
            )
        elif parent:
            visit(parent)
        placed.add(code)
        order.append((n, v))

    for code in in_file:
        visit(code)
    return order


def _save_org(
    n: int,
    v: dict[str, Any],
    known: dict[str, Organization],
    may_write: ScopeCheck,
    result: ImportResult,
) -> None:
    parent = known.get(v["parent"]) if v.get("parent") else None
    org = known.get(v["code"])
    if org is not None and may_write is not None and not may_write(org):
        result.errors.append(RowError(n, "Mã tổ chức", "Tổ chức này ngoài phạm vi được nhập."))
        return
    if may_write is not None and (parent is None or not may_write(parent)):
        result.errors.append(
            RowError(n, "Mã tổ chức cấp trên", "Tổ chức cấp trên ngoài phạm vi được nhập.")
        )
        return
    if org is None:
        org = Organization(code=v["code"])
        result.created += 1
    elif (org.name, org.kind, org.parent_id) == (
        v["name"],
        v["kind"],
        parent.pk if parent else None,
    ):
        result.unchanged += 1
        return
    else:
        result.updated += 1
    org.name, org.kind, org.parent = v["name"], v["kind"], parent
    try:
        org.full_clean(validate_unique=False)  # codes were checked against the file and the db
    except ValidationError as exc:
        for message in exc.messages:
            result.errors.append(RowError(n, "Mã tổ chức cấp trên", message))
        return
    org.save()
    known[org.code] = org

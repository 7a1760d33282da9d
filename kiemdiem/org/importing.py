"""All-or-nothing import of members from a spreadsheet (the tree: `importing_orgs`).

Every problem is collected (row, column, message in Vietnamese) before anything is written;
a file with any error saves nothing; importing the same file twice changes nothing (members
are matched by member code). Set-based: a fixed number of reads, then batched writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction

from kiemdiem.audit.models import AuditEntry
from kiemdiem.org.columns import MEMBER_COLUMNS, CellError, Column, match_headers
from kiemdiem.org.models import Member, Organization, member_errors
from kiemdiem.org.tabular import Table, TableError, read_table

ORG_FIELDS = ["cell", "party_group", "temporary_cell", "former_cell", "residence_cell"]
MEMBER_FIELDS = [c.key for c in MEMBER_COLUMNS if c.key != "code"]
HEADER_OF = {c.key: c.header for c in MEMBER_COLUMNS}
CODE = HEADER_OF["code"]
LOOKUP_CHUNK = 5000  # codes per IN (...) query: under every database's parameter limit

# Decides whether the importing user may write under an organization (None: anywhere).
ScopeCheck = Callable[[Organization], bool] | None
Rows = list[tuple[int, dict[str, Any]]]


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it (the header is row 1); 0 for the file itself
    column: str  # the column's header as written in the file; "" for the file or the row
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

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))


def read_rows(
    data: bytes, filename: str, columns: list[Column], model: type[models.Model]
) -> tuple[Rows, ImportResult]:
    """Parse every cell of the file; the values of a row are keyed by column key (a column
    missing from the file is missing from the dict). Errors go into the result."""
    result = ImportResult()
    try:
        table = read_table(data, filename)
    except TableError as exc:
        result.error(0, "", str(exc))
        return [], result
    return _parse_rows(table, columns, model, result), result


def _parse_rows(
    table: Table, columns: list[Column], model: type[models.Model], result: ImportResult
) -> Rows:
    mapping, header_errors = match_headers(table.headers, columns)
    for header, message in header_errors:
        result.error(1, header, message)
    if header_errors:
        return []
    limits = _max_lengths(model, columns)
    parsed = []
    for number, cells in table.rows:
        values: dict[str, Any] = {}
        for index, column in mapping.items():
            raw = cells[index] if index < len(cells) else None
            try:
                value = column.parse(raw)
            except CellError as exc:
                result.error(number, column.header, str(exc))
                continue
            if column.required and value in ("", None):
                result.error(number, column.header, "Không được để trống.")
            elif column.key in limits and len(value) > limits[column.key]:
                result.error(
                    number,
                    column.header,
                    f"Dài {len(value)} ký tự, quá giới hạn {limits[column.key]} ký tự.",
                )
                continue
            values[column.key] = value
        parsed.append((number, values))
    return parsed


def _max_lengths(model: type[models.Model], columns: list[Column]) -> dict[str, int]:
    limits = {}
    for c in columns:
        try:
            f = model._meta.get_field(c.key)
        except Exception:
            continue
        if isinstance(f, models.CharField) and f.max_length:
            limits[c.key] = f.max_length
    return limits


def _by_code(
    model: type[models.Model], codes: Iterable[str], select: Sequence[str] = ()
) -> dict[str, Any]:
    """{code: object} for the codes that exist, a few thousand codes per query."""
    wanted = sorted({c for c in codes if c})
    found: dict[str, Any] = {}
    query = model._default_manager.select_related(*select) if select else model._default_manager
    for i in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = query.filter(code__in=wanted[i : i + LOOKUP_CHUNK])
        found.update({getattr(o, "code"): o for o in chunk})  # noqa: B009 - any model with a code
    return found


by_code = _by_code  # public: the history import matches subjects the same way


def import_members(
    data: bytes,
    filename: str,
    *,
    may_write: ScopeCheck = None,
    within: Organization | None = None,
    dry_run: bool = False,
    user: Any = None,
) -> ImportResult:
    """Create or update the members of the file, all or nothing. `may_write` (from
    accounts.access) and `within` limit where members may be written; `user` is recorded
    in the audit log."""
    rows, result = read_rows(data, filename, MEMBER_COLUMNS, Member)
    result.dry_run = dry_run
    orgs = _by_code(Organization, (v.get(f, "") for _, v in rows for f in ORG_FIELDS))
    existing = _by_code(Member, (v.get("code", "") for _, v in rows), select=ORG_FIELDS)
    seen: dict[str, int] = {}
    to_create: list[Member] = []
    changes: list[tuple[Member, dict[str, Any]]] = []
    for number, values in rows:
        code = values.get("code", "")
        if code and code in seen:
            result.error(number, CODE, f"Mã “{code}” trùng với dòng {seen[code]}.")
            continue
        seen[code] = number
        member = existing.get(code)
        if member is not None and not _allowed(member.cell, may_write, within):
            result.error(number, CODE, "Đảng viên này thuộc tổ chức ngoài phạm vi được nhập.")
            continue
        target = member or Member(code=code)
        before = _snapshot(target) if member else {}
        if not _assign(target, values, orgs, number, result):
            continue
        if not _allowed(target.cell, may_write, within):
            result.error(number, HEADER_OF["cell"], "Chi bộ này ngoài phạm vi được nhập.")
            continue
        for fname, message in member_errors(target).items():
            result.error(number, HEADER_OF.get(fname, fname), message)
        if member is None:
            to_create.append(target)
        elif _snapshot(target) != before:
            changes.append((target, before))
        else:
            result.unchanged += 1
    if result.errors:
        result.unchanged = 0
        return result
    result.created, result.updated = len(to_create), len(changes)
    if not dry_run:
        with transaction.atomic():
            Member.objects.bulk_create(to_create, batch_size=1000)
            _write_updates([m for m, _ in changes])
            _audit(user, to_create, changes)
    return result


def _allowed(org: Organization, may_write: ScopeCheck, within: Organization | None) -> bool:
    if within is not None and not org.path.startswith(within.path):
        return False
    return may_write is None or may_write(org)


def _snapshot(m: Member) -> dict[str, Any]:
    return {f: getattr(m, f + "_id" if f in ORG_FIELDS else f) for f in MEMBER_FIELDS}


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
                result.error(number, HEADER_OF[key], f"Không có tổ chức mã “{value}”.")
                ok = False
                continue
            setattr(m, key, org)
        else:
            setattr(m, key, value if value is not None else _empty(key))
    return ok and m.cell_id is not None


def _empty(key: str) -> Any:
    return None if key.endswith(("_on", "_since", "birth_date")) else ""


def _write_updates(members: list[Member]) -> None:
    """One parametrised UPDATE run for all rows. QuerySet.bulk_update builds a CASE
    expression per field and row, which took 16 s for 5,000 changed members on SQLite."""
    if not members:
        return
    fields = [
        f
        for name in [*MEMBER_FIELDS, "sort_key", "search_text"]
        if isinstance(f := Member._meta.get_field(name), models.Field)
    ]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(Member._meta.db_table)} SET {sets} WHERE {quote('id')} = %s"
    params = []
    for m in members:
        m.fill_derived()
        params.append(
            [f.get_db_prep_save(getattr(m, f.attname), connection) for f in fields] + [m.pk]
        )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _audit(user: Any, created: list[Member], changes: list[tuple[Member, dict[str, Any]]]) -> None:
    """One audit row per member created or changed, with the old and new values that differ."""
    actor = user if getattr(user, "is_authenticated", False) else None
    entries = [
        AuditEntry(
            user=actor,
            action="import_create",
            object_type="org.member",
            object_id=str(m.pk),
            summary=f"Nhập từ tệp: thêm {m.full_name} ({m.code})"[:300],
            new={k: v for k, v in _snapshot(m).items() if v not in (None, "")},
        )
        for m in created
    ]
    for m, before in changes:
        after = _snapshot(m)
        diff = [k for k in after if after[k] != before[k]]
        entries.append(
            AuditEntry(
                user=actor,
                action="import_update",
                object_type="org.member",
                object_id=str(m.pk),
                summary=f"Nhập từ tệp: cập nhật {m.full_name} ({m.code})"[:300],
                old={k: before[k] for k in diff},
                new={k: after[k] for k in diff},
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=500)

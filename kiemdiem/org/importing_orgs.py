"""All-or-nothing import of the organization tree from a spreadsheet.

Organizations are matched by code; parents may come later in the file (rows are saved
parents first). Each organization is saved one by one because its materialized path is
computed in `save()`; a tree has hundreds of rows, not tens of thousands.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kiemdiem.audit.models import record
from kiemdiem.org.choices import CELL_KINDS
from kiemdiem.org.columns import ORG_COLUMNS
from kiemdiem.org.importing import ImportResult, Rows, ScopeCheck, read_rows
from kiemdiem.org.models import Organization

HEADER_OF = {c.key: c.header for c in ORG_COLUMNS}
CODE, PARENT = HEADER_OF["code"], HEADER_OF["parent"]


def import_organizations(
    data: bytes,
    filename: str,
    *,
    may_write: ScopeCheck = None,
    dry_run: bool = False,
    user: Any = None,
) -> ImportResult:
    """Create, rename or move organizations. `may_write` limits where they may be written:
    a new organization needs its parent in scope, an existing one must be in scope itself."""
    rows, result = read_rows(data, filename, ORG_COLUMNS, Organization)
    result.dry_run = dry_run
    rows = [(n, v) for n, v in rows if v.get("code")]  # an empty code is already an error
    in_file: dict[str, tuple[int, dict[str, Any]]] = {}
    for n, v in rows:
        if v["code"] in in_file:
            result.error(n, CODE, f"Mã “{v['code']}” trùng với dòng {in_file[v['code']][0]}.")
        else:
            in_file[v["code"]] = (n, v)
    wanted = {*in_file, *(v["parent"] for _, v in rows if v.get("parent"))}
    known = {o.code: o for o in Organization.objects.filter(code__in=wanted)}
    order = _parents_first(in_file, known, result)
    if result.errors:
        return result
    with transaction.atomic():
        for n, v in order:
            _save_org(n, v, known, may_write, result, user)
        if result.errors or dry_run:
            transaction.set_rollback(True)
    if result.errors:
        result.created = result.updated = result.unchanged = 0
    return result


def _parents_first(
    in_file: dict[str, tuple[int, dict[str, Any]]],
    known: dict[str, Organization],
    result: ImportResult,
) -> Rows:
    order: Rows = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def visit(code: str) -> None:
        if code in placed or code not in in_file:
            return
        n, v = in_file[code]
        if code in visiting:
            result.error(n, PARENT, "Cây tổ chức bị vòng lặp (tổ chức là cấp trên của chính nó).")
            return
        visiting.add(code)
        parent = v.get("parent")
        if parent == code:
            result.error(n, PARENT, "Tổ chức không thể là cấp trên của chính mình.")
        elif parent and parent not in in_file and parent not in known:
            result.error(n, PARENT, f"Không có tổ chức mã “{parent}”.")
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
    user: Any,
) -> None:
    parent = known.get(v["parent"]) if v.get("parent") else None
    if v.get("parent") and parent is None:
        return  # the parent's row failed and says why; this row cannot be placed
    org = known.get(v["code"])
    moved = org is None or org.parent_id != (parent.pk if parent else None)
    if org is not None and may_write is not None and not may_write(org):
        result.error(n, CODE, "Tổ chức này ngoài phạm vi được nhập.")
        return
    # The top of one's own subtree keeps its parent outside the subtree: only a new
    # organization, or a move, needs the (new) parent to be in scope.
    if moved and may_write is not None and (parent is None or not may_write(parent)):
        result.error(n, PARENT, "Tổ chức cấp trên ngoài phạm vi được nhập.")
        return
    old = None if org is None else {"name": org.name, "kind": org.kind, "parent": org.parent_id}
    if org is None:
        org = Organization(code=v["code"])
    elif (org.name, org.kind) == (v["name"], v["kind"]) and not moved:
        result.unchanged += 1
        return
    if old and org.is_cell and v["kind"] not in CELL_KINDS and org.members.exists():
        # Members must sit in a cell (member_errors); a query only when a cell changes kind.
        result.error(n, HEADER_OF["kind"], "Chi bộ đang có đảng viên, không đổi sang loại này.")
        return
    org.name, org.kind, org.parent = v["name"], v["kind"], parent
    try:
        org.full_clean(validate_unique=False)  # codes were checked against the file and the db
    except ValidationError as exc:
        for fname, messages in exc.message_dict.items():
            column = PARENT if fname in ("parent", "__all__") else HEADER_OF.get(fname, fname)
            for message in messages:
                result.error(n, column, message)
        return
    org.save()
    known[org.code] = org
    if old is None:
        result.created += 1
    else:
        result.updated += 1
    new = {"name": org.name, "kind": org.kind, "parent": org.parent_id}
    record(user, "import_update" if old else "import_create", org, old=old, new=new,
           summary=f"Nhập cây tổ chức: {org.name} ({org.code})")  # fmt: skip

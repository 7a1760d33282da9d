"""All-or-nothing import of earlier years' results (org.importing's machinery: every error
with its row and column before anything is written; re-importing changes nothing).

Subjects are matched by member code, organization code, or organization code and collective
name; one row per subject and year. A fixed number of reads, then batched writes.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kiemdiem.audit.models import AuditEntry
from kiemdiem.history.columns import HEADER_OF, HISTORY_COLUMNS
from kiemdiem.history.models import QUALITY4, PastResult, SubjectKind
from kiemdiem.org.importing import ImportResult, ScopeCheck, by_code, read_rows
from kiemdiem.org.models import Collective, Member, Organization, fold

FIELDS = ("level", "exemplary", "reward")


def import_history(
    data: bytes,
    filename: str,
    *,
    may_write: ScopeCheck = None,
    dry_run: bool = False,
    user: Any = None,
) -> ImportResult:
    """Create or update results of earlier years, all or nothing. `may_write` (from
    accounts.access) decides which organizations' subjects the user may write."""
    rows, result = read_rows(data, filename, HISTORY_COLUMNS, PastResult)
    result.dry_run = dry_run
    kinds = {n: v.get("subject_type") for n, v in rows}
    members = by_code(
        Member, (v.get("code", "") for n, v in rows if kinds[n] == "m"), select=("cell",)
    )
    orgs = by_code(Organization, (v.get("code", "") for n, v in rows if kinds[n] in ("o", "c")))
    collectives = _collectives(orgs, [v for n, v in rows if kinds[n] == "c"])
    subjects: list[tuple[int, dict[str, Any], PastResult]] = []
    for number, values in rows:
        found = _subject(number, values, members, orgs, collectives, may_write, result)
        if found is not None:
            subjects.append((number, values, found))
    existing = _existing(
        {p.subject_key for _, _, p in subjects}, {v["year"] for _, v, _ in subjects}
    )
    seen: dict[tuple[str, int], int] = {}
    to_create: list[PastResult] = []
    changes: list[tuple[PastResult, dict[str, Any]]] = []
    for number, values, target in subjects:
        key = (target.subject_key, values["year"])
        if key in seen:
            message = f"Đối tượng này đã có kết quả năm {key[1]} ở dòng {seen[key]}."
            result.error(number, HEADER_OF["year"], message)
            continue
        seen[key] = number
        if not _level_fits(number, values, target.subject_type, result):
            continue
        row = existing.get(key)
        new = {"level": values["level"], "exemplary": bool(values.get("exemplary")),
               "reward": values.get("reward", "")}  # fmt: skip
        if row is None:
            target.year = values["year"]
            for f, v in new.items():
                setattr(target, f, v)
            target.imported_by = user if getattr(user, "is_authenticated", False) else None
            target.source_file = filename.rsplit("/", 1)[-1][:200]
            to_create.append(target)
            continue
        old = {f: getattr(row, f) for f in FIELDS}
        if old == new:
            result.unchanged += 1
            continue
        for f, v in new.items():
            setattr(row, f, v)
        row.source_file = filename.rsplit("/", 1)[-1][:200]
        changes.append((row, old))
    if result.errors:
        result.errors.sort(key=lambda e: e.row)  # cells first, then subjects: show by row
        result.unchanged = 0
        return result
    result.created, result.updated = len(to_create), len(changes)
    if not dry_run:
        with transaction.atomic():
            PastResult.objects.bulk_create(to_create, batch_size=1000)
            changed = [r for r, _ in changes]
            PastResult.objects.bulk_update(changed, [*FIELDS, "source_file"], batch_size=500)
            _audit(user, to_create, changes)
    return result


def _collectives(
    orgs: dict[str, Organization], values: list[dict[str, Any]]
) -> dict[tuple[int, str], Collective]:
    ids = {orgs[v["code"]].pk for v in values if v.get("code") in orgs}
    return {
        (c.organization_id, fold(c.name)): c
        for c in Collective.objects.filter(organization_id__in=ids).select_related("organization")
    }


def _subject(
    number: int,
    v: dict[str, Any],
    members: dict[str, Member],
    orgs: dict[str, Organization],
    collectives: dict[tuple[int, str], Collective],
    may_write: ScopeCheck,
    result: ImportResult,
) -> PastResult | None:
    """The row's subject as an unsaved PastResult, or None with the error recorded."""
    kind, code = v.get("subject_type"), v.get("code", "")
    if not kind or not code or v.get("year") is None or not v.get("level"):
        return None  # the empty required cell is already an error
    column = HEADER_OF["code"]
    where: Organization
    if kind == SubjectKind.MEMBER:
        member = members.get(code)
        if member is None:
            result.error(number, column, f"Không có đảng viên mã “{code}”.")
            return None
        target, where, name = (
            PastResult(subject_type=kind, member=member),
            member.cell,
            member.full_name,
        )
    else:
        org = orgs.get(code)
        if org is None:
            result.error(number, column, f"Không có tổ chức mã “{code}”.")
            return None
        where = org
        if kind == SubjectKind.ORGANIZATION:
            target, name = PastResult(subject_type=kind, organization=org), org.name
        else:
            wanted = v.get("collective", "")
            c = collectives.get((org.pk, fold(wanted)))
            if c is None:
                message = (f"Tổ chức “{org.name}” không có tập thể “{wanted}”." if wanted
                           else "Với tập thể, cần ghi tên tập thể.")  # fmt: skip
                result.error(number, HEADER_OF["collective"], message)
                return None
            target, name = PastResult(subject_type=kind, collective=c), c.name
    if v.get("name") and fold(" ".join(v["name"].split())) != fold(name):
        result.error(number, HEADER_OF["name"], f"Tên không khớp: mã “{code}” là “{name}”.")
        return None
    if may_write is not None and not may_write(where):
        result.error(number, column, "Đối tượng này thuộc tổ chức ngoài phạm vi được nhập.")
        return None
    target.fill_key()
    return target


def _level_fits(number: int, v: dict[str, Any], kind: str, result: ImportResult) -> bool:
    level = v["level"]
    if kind != SubjectKind.ORGANIZATION and level not in QUALITY4:
        message = "Danh hiệu TSVM chỉ dùng cho tổ chức đảng; ghi HTXSNV, HTTNV, HTNV hoặc KHTNV."
        result.error(number, HEADER_OF["level"], message)
        return False
    if v.get("exemplary") and not (kind == SubjectKind.MEMBER and level == "HTXSNV"):
        message = "“Tiêu biểu” chỉ ghi cho đảng viên HTXSNV (tổ chức: ghi “TSVM tiêu biểu”)."
        result.error(number, HEADER_OF["exemplary"], message)
        return False
    return True


def _existing(keys: set[str], years: set[int]) -> dict[tuple[str, int], PastResult]:
    found: dict[tuple[str, int], PastResult] = {}
    wanted = sorted(keys)
    for i in range(0, len(wanted), 5000):
        qs = PastResult.objects.filter(subject_key__in=wanted[i : i + 5000], year__in=years)
        found.update({(p.subject_key, p.year): p for p in qs})
    return found


def _audit(
    user: Any, created: list[PastResult], changes: list[tuple[PastResult, dict[str, Any]]]
) -> None:
    actor = user if getattr(user, "is_authenticated", False) else None

    def entry(action: str, r: PastResult, old: Any, new: Any, verb: str) -> AuditEntry:
        return AuditEntry(
            user=actor, action=action, object_type="history.pastresult", object_id=str(r.pk),
            summary=f"Nhập kết quả năm {r.year}: {verb} {r.subject_key} — {r.level}"[:300],
            old=old, new=new,
        )  # fmt: skip

    entries = [
        entry("import_create", r, None, {f: getattr(r, f) for f in FIELDS}, "thêm") for r in created
    ]
    for r, old in changes:
        diff = [f for f in FIELDS if old[f] != getattr(r, f)]
        entries.append(entry("import_update", r, {f: old[f] for f in diff},
                             {f: getattr(r, f) for f in diff}, "cập nhật"))  # fmt: skip
    AuditEntry.objects.bulk_create(entries, batch_size=500)

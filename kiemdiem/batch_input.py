"""Reading a cell's data for `kiemdiem classify`: JSON, or an .xlsx of the same columns.

Every problem names the member and the field, in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from kiemdiem.rules import Level, SubjectFacts, Tasks, Votes
from kiemdiem.rules.facts import Part
from kiemdiem.rules.levels import CCVC_LIMITED
from kiemdiem.rules.profile import DISCIPLINE_FORMS
from kiemdiem.safe_cells import save_book

CATEGORIES = {"ccvc", "worker", "farmer", "laborer", "student", "retired", "armed_forces",
              "business", "other"}  # fmt: skip
AWARDS = {"chien_sy_thi_dua_co_so", "bang_khen", "giay_khen"}
DEGREES = {"XUAT_SAC", "TOT", "TRUNG_BINH", "KEM"}
MEMBER_FIELDS = {
    "id", "name", "membership", "admitted_on", "attachment", "exempt", "suspended", "present",
    "category", "ccvc_level", "awards", "disciplined_in_year", "sick_leave_days",
    "works_far_away", "meetings_absent", "meetings_silent", "heads_collective_level",
    "deputy_of_collective_level", "is_leader", "self_level", "proposed_level", "criteria",
    "score", "tasks", "votes", "maternity_leave_days", "framework", "discipline_form",
    "degraded", "led_units", "confidence_votes", "shortcomings_unfixed", "group",
}  # fmt: skip
# QĐ 366 Điều 11's counts: (field, the part's key, what the part is, in the messages).
PARTS = {"led_units": ("khtnv", "số đơn vị trực tiếp lãnh đạo bị xếp loại KHTNV"),
         "confidence_votes": ("low", "số phiếu tín nhiệm thấp")}  # fmt: skip
# Vietnamese column headers an office may use in the .xlsx, for the English ones.
VI_HEADERS = {
    "Mã đảng viên": "id", "Họ và tên": "name", "Điểm": "score",
    "Nhiệm vụ: tổng số": "tasks_total", "Nhiệm vụ: hoàn thành": "tasks_done",
    "Nhiệm vụ: đúng hạn": "tasks_on_time", "Nhiệm vụ: vượt mức": "tasks_exceeded",
    "Giữ chức vụ lãnh đạo, quản lý": "is_leader", "Nhóm tương đồng": "group",
    "Hình thức kỷ luật": "discipline_form", "Suy thoái": "degraded",
    "Đơn vị trực tiếp lãnh đạo: tổng số": "led_units_total",
    "Đơn vị trực tiếp lãnh đạo: KHTNV": "led_units_khtnv",
    "Phiếu tín nhiệm: tổng số": "confidence_votes_total",
    "Phiếu tín nhiệm: thấp": "confidence_votes_low",
    "Hạn chế chưa khắc phục": "shortcomings_unfixed",
}  # fmt: skip
TOP_FIELDS = {"profile", "as_of", "unit", "spoiled_ballots", "members"}


class InputError(ValueError):
    pass


class _Member:
    """Field readers for one member, so every message can name who and what."""

    def __init__(self, data: dict[str, Any], index: int) -> None:
        self.data = data
        self.who = f"đảng viên {data.get('id') or f'thứ {index}'}"
        if data.get("name"):
            self.who += f" ({data['name']})"

    def fail(self, key: str, problem: str) -> InputError:
        return InputError(f"{self.who}, trường “{key}”: {problem}")

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, (str, int)):
            raise self.fail(key, "phải là chữ")
        return str(value)

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, "phải là true hoặc false")
        return value

    def count(self, key: str, data: dict[str, Any] | None = None) -> int:
        value = (self.data if data is None else data).get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(key, "phải là số nguyên không âm")
        return value

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(key, f"“{value}” không phải ngày (viết YYYY-MM-DD)") from None

    def level(self, key: str) -> Level | None:
        value = self.data.get(key)
        if value in (None, ""):
            return None
        try:
            return Level.parse(str(value))
        except ValueError as exc:
            raise self.fail(key, str(exc)) from None

    def choice(self, key: str, allowed: set[str], default: str) -> str:
        value = self.text(key, default)
        if value not in allowed:
            raise self.fail(key, f"“{value}” không thuộc: {', '.join(sorted(allowed))}")
        return value


def _score(m: _Member) -> Fraction | None:
    value = m.data.get("score")
    if value in (None, ""):
        return None
    try:
        # Decimal(str(x)) keeps 91.5 exactly as written, never as a binary float.
        exact = Fraction(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        raise m.fail("score", f"“{value}” không phải số điểm") from None
    if not 0 <= exact <= 100:
        raise m.fail("score", "điểm phải từ 0 đến 100")
    return exact


def _votes(m: _Member) -> Votes | None:
    raw = m.data.get("votes")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise m.fail("votes", "phải là bảng {mức: số phiếu}")
    if set(raw) <= {"approve", "disapprove"}:
        return Votes(approve=m.count("approve", raw), disapprove=m.count("disapprove", raw))
    levels: dict[Level, int] = {}
    for key in raw:
        try:
            level = Level.parse(key)
        except ValueError:
            raise m.fail("votes", f"“{key}” không phải mức xếp loại") from None
        # Outside the try: a bad count must say so, not that the level is unknown.
        count = raw[key]
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise m.fail(
                "votes", f"số phiếu mức {key} phải là số nguyên không âm, không phải “{count}”"
            )
        levels[level] = count
    return Votes(levels=levels)


TASK_KEYS = {"total", "done", "on_time", "exceeded"}
ARTICLE_11_FIELDS = {"tasks", "discipline_form", "degraded", "led_units", "confidence_votes",
                     "shortcomings_unfixed", "group"}  # fmt: skip


def _part(m: _Member, key: str) -> Part | None:
    """{total, <part>}: units led directly and those rated KHTNV; the confidence vote's
    ballots and the low ones (QĐ 366 Điều 11 khoản 4.1)."""
    raw = m.data.get(key)
    if raw is None:
        return None
    name, what = PARTS[key]
    if not isinstance(raw, dict) or set(raw) != {"total", name}:
        raise m.fail(key, f"phải là bảng {{total, {name}}}")
    part, whole = m.count(name, raw), m.count("total", raw)
    if part > whole:
        raise m.fail(key, f"{what} không được lớn hơn tổng số")
    return Part(part, whole)


def article_11_facts(data: dict[str, Any], who: str) -> dict[str, Any]:
    """QĐ 366 Điều 11's facts (`tasks`, `discipline_form`, `degraded`, `led_units`,
    `confidence_votes`, `shortcomings_unfixed`, `group`) as SubjectFacts fields: the CLI's
    members and the web's recorded conditions go through this one reader."""
    unknown = sorted(set(data) - ARTICLE_11_FIELDS)
    m = _Member({"id": who, **data}, 0)
    if unknown:
        raise m.fail(unknown[0], "không có trường này")
    return _article_11(m)


def _article_11(m: _Member) -> dict[str, Any]:
    data = m.data
    tasks_raw = data.get("tasks")
    tasks = None
    if tasks_raw is not None:
        if not isinstance(tasks_raw, dict) or not set(tasks_raw) <= TASK_KEYS:
            raise m.fail("tasks", "phải là bảng {total, done, on_time, exceeded}")
        done = m.count("done", tasks_raw) if "done" in tasks_raw else None
        tasks = Tasks(m.count("total", tasks_raw), m.count("on_time", tasks_raw),
                      m.count("exceeded", tasks_raw), done)  # fmt: skip
        if not tasks.on_time <= tasks.completed <= tasks.total:
            raise m.fail("tasks", "số nhiệm vụ đúng hạn ≤ số hoàn thành ≤ tổng số")
        if tasks.exceeded > tasks.completed:
            raise m.fail("tasks", "số nhiệm vụ vượt mức không được lớn hơn số hoàn thành")
    form = m.text("discipline_form") or None
    if form is not None and form not in DISCIPLINE_FORMS:
        raise m.fail("discipline_form", f"chỉ nhận: {', '.join(DISCIPLINE_FORMS)}")
    return {
        "tasks": tasks,
        "discipline_form": form,
        "degraded": m.flag("degraded"),
        "led_units_khtnv": _part(m, "led_units"),
        "low_confidence": _part(m, "confidence_votes"),
        "shortcomings_unfixed": m.count("shortcomings_unfixed"),
        "group": m.text("group"),
    }


def member_from_dict(data: dict[str, Any], index: int) -> tuple[SubjectFacts, Votes | None]:
    if not isinstance(data, dict):
        raise InputError(f"đảng viên thứ {index}: phải là một bảng các trường")
    m = _Member(data, index)
    unknown = sorted(set(data) - MEMBER_FIELDS)
    if unknown:
        raise m.fail(unknown[0], "không có trường này")
    if not m.text("id"):
        raise m.fail("id", "thiếu mã đảng viên")
    ccvc = m.text("ccvc_level") or None
    if ccvc is not None and ccvc not in {lv.name for lv in Level} | {CCVC_LIMITED}:
        raise m.fail("ccvc_level", f"“{ccvc}” không phải mức xếp loại cán bộ, công chức")
    awards = data.get("awards", []) or []
    if not isinstance(awards, list) or not set(awards) <= AWARDS:
        raise m.fail("awards", f"chỉ nhận: {', '.join(sorted(AWARDS))}")
    criteria = data.get("criteria", {}) or {}
    if not isinstance(criteria, dict) or not {str(v).upper() for v in criteria.values()} <= DEGREES:
        raise m.fail("criteria", f"mỗi tiêu chí là một trong: {', '.join(sorted(DEGREES))}")
    facts = SubjectFacts(
        id=m.text("id"),
        name=m.text("name"),
        official=m.choice("membership", {"official", "probationary"}, "official") == "official",
        admitted_on=m.date("admitted_on"),
        temporary=m.choice("attachment", {"official", "temporary"}, "official") == "temporary",
        exempt=m.flag("exempt"),
        suspended=m.flag("suspended"),
        present=m.flag("present") if "present" in data else True,
        category=m.choice("category", CATEGORIES, "other"),
        ccvc_level=ccvc,
        awards=frozenset(awards),
        disciplined_in_year=m.flag("disciplined_in_year"),
        sick_leave_days=m.count("sick_leave_days"),
        works_far_away=m.flag("works_far_away"),
        meetings_absent=m.count("meetings_absent"),
        meetings_silent=m.count("meetings_silent"),
        heads_collective_level=m.level("heads_collective_level"),
        deputy_of_collective_level=m.level("deputy_of_collective_level"),
        is_leader=m.flag("is_leader"),
        self_level=m.level("self_level"),
        proposed_level=m.level("proposed_level"),
        criteria={str(k): str(v).upper() for k, v in criteria.items()},
        score=_score(m),
        maternity_leave_days=m.count("maternity_leave_days"),
        framework=m.text("framework") or None,
        **_article_11(m),
    )
    return facts, _votes(m)


def read_input(path: str) -> dict[str, Any]:
    file = Path(path)
    if not file.is_file():
        raise InputError(f"không tìm thấy tệp “{path}”")
    if file.suffix.lower() == ".xlsx":
        return _read_xlsx(file.read_bytes(), name=path)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(
            f"tệp “{path}” không phải văn bản UTF-8: hãy lưu lại tệp với mã hoá UTF-8"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"tệp “{path}” không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise InputError("tệp JSON phải là một bảng có các trường profile, as_of, unit, members")
    unknown = sorted(set(data) - TOP_FIELDS)
    if unknown:
        raise InputError(f"trường “{unknown[0]}” không có trong dữ liệu đầu vào")
    return data


def _read_xlsx(content: bytes, *, name: str) -> dict[str, Any]:
    """Sheet "members": one column per JSON field; votes as HTXSNV…KHTNV or approve /
    disapprove columns, tasks as tasks_total / tasks_on_time / tasks_exceeded, criteria as
    criteria_<name>, awards comma-separated. Sheet "unit": key / value rows."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # any unreadable workbook is the same user error
        raise InputError(
            f"tệp “{name}” không đọc được như bảng tính .xlsx (tệp hỏng hoặc không phải Excel)"
        ) from exc
    if "members" not in book.sheetnames:
        raise InputError("tệp .xlsx cần trang “members” (và trang “unit”)")
    data: dict[str, Any] = {}
    if "unit" in book.sheetnames:
        for row in book["unit"].iter_rows(values_only=True):
            if row and row[0]:
                data[str(row[0])] = row[1] if len(row) > 1 else None
    unit = {k.removeprefix("unit_"): data.pop(k) for k in list(data) if k.startswith("unit_")}
    data["unit"] = unit
    rows = list(book["members"].iter_rows(values_only=True))
    if not rows:
        raise InputError("trang “members” trống")
    headers = [VI_HEADERS.get(str(h).strip(), str(h)) if h is not None else "" for h in rows[0]]
    data["members"] = [_xlsx_member(headers, r) for r in rows[1:] if any(v is not None for v in r)]
    return data


def _xlsx_member(headers: list[str], row: tuple[Any, ...]) -> dict[str, Any]:
    member: dict[str, Any] = {}
    votes: dict[str, int] = {}
    tasks: dict[str, int] = {}
    criteria: dict[str, str] = {}
    for header, value in zip(headers, row, strict=False):
        if value is None or header == "":
            continue
        if header in {lv.name for lv in Level} | {"approve", "disapprove"}:
            votes[header] = value
        elif header.startswith("tasks_"):
            tasks[header.removeprefix("tasks_")] = value
        elif header.startswith(tuple(f"{k}_" for k in PARTS)):
            key = next(k for k in PARTS if header.startswith(f"{k}_"))
            member.setdefault(key, {})[header.removeprefix(f"{key}_")] = _whole(value)
        elif header.startswith("criteria_"):
            criteria[header.removeprefix("criteria_")] = value
        elif header == "awards":
            member["awards"] = [a.strip() for a in str(value).split(",") if a.strip()]
        elif header in {"exempt", "suspended", "present", "disciplined_in_year",
                        "works_far_away", "is_leader", "degraded"}:  # fmt: skip
            member[header] = value if isinstance(value, bool) else str(value).lower() == "true"
        elif isinstance(value, float) and value.is_integer() and header != "score":
            member[header] = int(value)
        else:
            member[header] = value
    if votes:
        member["votes"] = votes
    if tasks:
        member["tasks"] = tasks
    if criteria:
        member["criteria"] = criteria
    return member


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


_FLAT = ("votes", "tasks", "criteria", *PARTS)


def input_to_xlsx(data: dict[str, Any]) -> bytes:
    """The JSON input as the .xlsx `_read_xlsx` reads: a sheet "unit" of key/value rows and a
    sheet "members" of one column per field (votes, tasks and criteria spread out)."""
    from openpyxl import Workbook

    book = Workbook()
    unit = book.active
    assert unit is not None
    unit.title = "unit"
    for key in ("profile", "as_of", "spoiled_ballots"):
        if key in data:
            unit.append([key, data[key]])
    for key, value in (data.get("unit") or {}).items():
        unit.append([f"unit_{key}", value])
    rows = [_flat_member(m) for m in data.get("members", [])]
    headers: list[str] = []
    for row in rows:
        headers += [h for h in row if h not in headers]
    sheet = book.create_sheet("members")
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    return save_book(book)


def _flat_member(member: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for key, value in member.items():
        if key == "votes":
            row.update(value)
        elif key == "tasks":
            row.update({f"tasks_{k}": v for k, v in value.items()})
        elif key in ("criteria", *PARTS):
            row.update({f"{key}_{k}": v for k, v in value.items()})
        elif key == "awards":
            row["awards"] = ", ".join(value)
        elif isinstance(value, bool):
            row[key] = "true" if value else "false"
        else:
            row[key] = value
    return row

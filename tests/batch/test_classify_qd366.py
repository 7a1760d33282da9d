"""`kiemdiem classify` on a qd366 cell file (issue 14): every QĐ 366-QĐ/TW Điều 11 condition
and the quota (khoản 1.4) apply without `--scope`; the new input fields come in from JSON
and from an .xlsx with Vietnamese headers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from kiemdiem.batch import main

TOP = {"HTXSNV": 10, "HTTNV": 0, "HTNV": 0, "KHTNV": 0}
GOOD = {"HTXSNV": 0, "HTTNV": 10, "HTNV": 0, "KHTNV": 0}
ALL = {"total": 10, "done": 10, "on_time": 10, "exceeded": 3}


def member(mid: str, score: float, votes: dict[str, int], **kw: Any) -> dict[str, Any]:
    return {"id": mid, "admitted_on": "2010-01-01", "score": score, "votes": votes,
            "tasks": ALL, **kw}  # fmt: skip


def cell(members: list[dict[str, Any]], **unit: Any) -> dict[str, Any]:
    """Every member present votes for each one's level (marks ≤ voters present)."""
    for m in members:
        m["votes"] = {k: len(members) if v else 0 for k, v in m["votes"].items()}
    return {"profile": "qd366-2025", "as_of": "2026-11-20",
            "unit": {"id": "cb", "members_total": 10, **unit}, "members": members}  # fmt: skip


def classify(capsys: pytest.CaptureFixture[str], tmp_path: Path, data: dict[str, Any]) -> Any:
    path = tmp_path / "chibo.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code = main(["classify", str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def levels(result: Any) -> dict[str, str | None]:
    return {r["id"]: r["level"] for r in result["results"]}


def test_every_condition_without_scope(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Điều 11 khoản 1–4 through the CLI, each with the fields that carry it."""
    members = [
        member("top", 95, TOP),
        member("few", 95, TOP, tasks={"total": 7, "done": 7, "on_time": 7, "exceeded": 2}),
        member("late", 80, GOOD, tasks={"total": 10, "on_time": 8, "exceeded": 0}),
        member("undone", 80, GOOD, tasks={"total": 10, "done": 4, "on_time": 4, "exceeded": 0}),
        member("lead", 95, TOP, is_leader=True, confidence_votes={"total": 20, "low": 11}),
        member("units", 95, TOP, is_leader=True, led_units={"total": 5, "khtnv": 3}),
        member("kt", 95, TOP, discipline_form="khien_trach"),
        member("st", 95, TOP, degraded=True),
        *[member(f"g{i}", 80, GOOD) for i in range(2)],
    ]
    got = levels(classify(capsys, tmp_path, cell(members)))
    assert got["few"] == "HTTNV"  # 1.2: 2 of 7 exceeded < 30 %
    assert got["late"] == "HTNV"  # 3: 20 % late exactly
    assert got["undone"] == "KHTNV"  # 4.2: > 50 % not done
    assert got["lead"] == got["units"] == "KHTNV"  # 4.1: confidence, units led
    assert got["kt"] == got["st"] == "KHTNV"  # 4: khiển trách, suy thoái


def test_quota_per_group_and_the_25_percent_decision(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Khoản 1.4: ≤ 20 % of HTTNV per group of comparable role: a group of 4 HTTNV keeps no
    HTXSNV; with the competent level's decision (outstanding unit) 25 % keeps one."""
    group = [member("x", 95, TOP, group="a"), *[member(f"a{i}", 80, GOOD, group="a")
                                                for i in range(4)]]  # fmt: skip
    five = [member("y", 95, TOP, group="b"), *[member(f"b{i}", 80, GOOD, group="b")
                                               for i in range(5)]]  # fmt: skip
    plain = classify(capsys, tmp_path, cell(group + five))
    assert levels(plain)["x"] == "HTTNV" and levels(plain)["y"] == "HTXSNV"
    assert {q["group"]: q["limit"] for q in plain["quotas"]} == {"a": 0, "b": 1}
    decided = classify(capsys, tmp_path, cell(group, outstanding_decision=True))
    assert levels(decided)["x"] == "HTXSNV" and decided["quotas"][0]["limit"] == 1


def test_no_group_given_is_one_group(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Khoản 1.4: a cell's members with no group given are one group."""
    out = classify(capsys, tmp_path, cell([member("x", 95, TOP)] + [
        member(f"a{i}", 80, GOOD) for i in range(4)]))  # fmt: skip
    assert len(out["quotas"]) == 1 and "group" not in out["quotas"][0]
    assert levels(out)["x"] == "HTTNV"


def test_a_scope_without_the_quota_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A report never leaves a quota unchecked silently: dhktna-2016's quota is the cell's
    and the committee's, so `--scope group` checks none and says why."""
    data = cell([member("x", 95, TOP)])
    data["profile"] = "dhktna-2016"
    data["members"][0].pop("score")
    data["members"][0].pop("tasks")
    data["members"][0]["votes"] = {"approve": 1, "disapprove": 0}
    data["members"][0]["proposed_level"] = "HTXSNV"
    path = tmp_path / "c.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code = main(["classify", str(path), "--scope", "group"])
    out, err = capsys.readouterr()
    assert code == 0, err
    out = json.loads(out)
    assert out["quotas"] == []
    assert out["quota_note"] == (
        "Không áp dụng tỷ lệ ở phạm vi group: hạn mức của bộ quy tắc dhktna-2016 áp dụng ở "
        "phạm vi cell, committee."
    )


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("profile", ["qd124-2023", "qd366-2025", "qd132-2018", "dukdntw-2018"])
def test_quota_applies_by_default(capsys: pytest.CaptureFixture[str], profile: str) -> None:
    """Issue 14: under QĐ 124 Điều 12, QĐ 366 Điều 11 1.4, QĐ 132 and the ĐUK plan a plain
    cell run checks the quota (no `--scope`), with no note that it was skipped."""
    assert main(["classify", str(EXAMPLES / f"{profile}.json")]) == 0
    out = json.loads(capsys.readouterr()[0])
    assert [q["level"] for q in out["quotas"]] == ["HTXSNV"] and "quota_note" not in out


def test_vietnamese_xlsx_headers(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The .xlsx takes Vietnamese headers for the Điều 11 fields (docs/rules.md)."""
    book = Workbook()
    unit = book.active
    assert unit is not None
    unit.title = "unit"
    for row in (["profile", "qd366-2025"], ["as_of", "2026-11-20"]):
        unit.append(row)
    sheet = book.create_sheet("members")
    sheet.append(["Mã đảng viên", "Điểm", "Nhiệm vụ: tổng số", "Nhiệm vụ: hoàn thành",
                  "Nhiệm vụ: đúng hạn", "Nhiệm vụ: vượt mức", "Giữ chức vụ lãnh đạo, quản lý",
                  "Đơn vị trực tiếp lãnh đạo: tổng số", "Đơn vị trực tiếp lãnh đạo: KHTNV",
                  "HTXSNV", "HTTNV", "HTNV", "KHTNV"])  # fmt: skip
    sheet.append(["m1", 95, 10, 10, 10, 3, "true", 4, 3, 2, 0, 0, 0])
    sheet.append(["m2", 80, 10, 10, 8, 0, "false", None, None, 0, 2, 0, 0])
    path = tmp_path / "c.xlsx"
    book.save(path)
    code = main(["classify", str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    got = levels(json.loads(out))
    assert got == {"m1": "KHTNV", "m2": "HTNV"}


def test_bad_task_counts_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    bad = member("x", 95, TOP, tasks={"total": 5, "done": 6, "on_time": 5, "exceeded": 0})
    path.write_text(json.dumps(cell([bad])), encoding="utf-8")
    assert main(["classify", str(path)]) == 2
    assert "số nhiệm vụ đúng hạn ≤ số hoàn thành ≤ tổng số" in capsys.readouterr()[1]

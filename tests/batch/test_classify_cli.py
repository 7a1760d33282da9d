"""`kiemdiem classify` and `kiemdiem profiles` (issue 3 §5): both formats in and out; bad
input gets a Vietnamese message naming the member and the field, exit code 2, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from kiemdiem.batch import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_every_example_classifies(capsys: pytest.CaptureFixture[str], example: str) -> None:
    code, out, _ = run(capsys, "classify", str(EXAMPLES / example))
    assert code == 0
    result = json.loads(out)
    assert result["profile"] == example.removesuffix(".json")
    assert {r["id"] for r in result["results"]} >= {"m01", "m07"}


def test_thanhlien_example_output(capsys: pytest.CaptureFixture[str]) -> None:
    """000 §1.4.3 and §2.3 on the example cell: shares unreduced, the quota with its floor."""
    _, out, _ = run(capsys, "classify", str(EXAMPLES / "thanhlien-2023.json"))
    result = json.loads(out)
    by_id = {r["id"]: r for r in result["results"]}
    assert result["voters"] == {"eligible": 11, "present": 10, "spoiled": 0}
    assert by_id["m01"]["shares"]["HTXSNV"] == "8/10"
    assert by_id["m01"]["level"] == "HTXSNV"
    assert by_id["m02"]["vote_level"] == "HTXSNV" and by_id["m02"]["level"] == "HTTNV"
    assert by_id["m05"]["level"] == "HTNV"  # sick leave ≥ 3 months
    assert by_id["m07"]["level"] == "KHTNV"  # disciplined, no vote
    assert by_id["m08"]["classified"] is False
    assert by_id["m10"]["level"] == "HTTNV"  # 000 §2.3: absent, classified from the report
    assert result["quotas"] == [
        {"level": "HTXSNV", "limit": 1, "qualified": ["m01", "m02"], "kept": ["m01"],
         "over_quota": ["m02"], "needs_decision": []}
    ]  # fmt: skip
    assert all(r["reasons"] and r["reasons"][0]["source"] for r in result["results"])


def test_table_and_xlsx_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(
        capsys, "classify", str(EXAMPLES / "thanhlien-2023.json"), "--format", "table"
    )
    assert code == 0 and "Hạn mức HTXSNV: 1" in out
    target = tmp_path / "kq.xlsx"
    assert run(capsys, "classify", str(EXAMPLES / "thanhlien-2023.json"), "--format", "xlsx",
               "--out", str(target))[0] == 0  # fmt: skip
    sheet = load_workbook(target)["Kết quả"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "m01" and rows[1][3] == "HTXSNV"


def test_xlsx_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "members"
    sheet.append(["id", "name", "admitted_on", "category", "HTXSNV", "HTTNV", "HTNV", "KHTNV"])
    sheet.append(["a", "Nguyễn Văn An", "2010-01-01", "farmer", 2, 0, 0, 0])
    sheet.append(["b", "Lê Thị Bình", "2011-01-01", "farmer", 0, 2, 0, 0])
    unit = book.create_sheet("unit")
    unit.append(["profile", "thanhlien-2023"])
    unit.append(["as_of", "2023-11-20"])
    unit.append(["unit_id", "cb-x"])
    path = tmp_path / "chi-bo.xlsx"
    book.save(path)
    code, out, err = run(capsys, "classify", str(path))
    assert code == 0, err
    levels = {r["id"]: r["level"] for r in json.loads(out)["results"]}
    assert levels == {"a": "HTXSNV", "b": "HTTNV"}


def _bad(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "sai.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def _cell(**member: Any) -> dict[str, Any]:
    base = {"id": "m01", "name": "Nguyễn Văn An", "admitted_on": "2010-01-01",
            "votes": {"HTXSNV": 1, "HTTNV": 1}}  # fmt: skip
    base.update(member)
    return {"profile": "thanhlien-2023", "as_of": "2023-11-20", "members": [base, {"id": "m02"}]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "không phải JSON hợp lệ"),
        (_cell(hobby="x"), "đảng viên m01 (Nguyễn Văn An), trường “hobby”: không có trường này"),
        (_cell(admitted_on="20/13/2010"), "trường “admitted_on”: “20/13/2010” không phải ngày"),
        (_cell(votes={"HTXSNV": 5}), "có 5 phiếu nhưng chỉ 2 người biểu quyết"),
        (_cell(votes={"GIOI": 1}), "trường “votes”: “GIOI” không phải mức xếp loại"),
        (_cell(category="astronaut"), "trường “category”"),
        (_cell(score="chín mươi"), "trường “score”"),
        ({**_cell(), "profile": "khong-co"}, "không có bộ quy tắc này"),
        ({**_cell(), "as_of": "hôm nay"}, "trường “as_of”"),
        ({**_cell(), "extra": 1}, "trường “extra” không có"),
        (_cell(votes={"approve": 1}), "bỏ phiếu chọn mức"),
        ({**_cell(votes={"HTXSNV": 1}), "profile": "dhktna-2016"}, "biểu quyết tán thành"),
        (_cell(framework="tu_chon"), "trường “framework”: “tu_chon” không có"),
        (_cell(tasks={"total": 3, "on_time": 4}), "trường “tasks”"),
        (_cell(score=100.5), "điểm phải từ 0 đến 100"),
        (_cell(present="có"), "trường “present”: phải là true hoặc false"),
        ({**_cell(), "members": []}, "trường “members”"),
        # Issue 14, "bad input": a count that is not a whole number was blamed on the level.
        (
            _cell(votes={"HTXSNV": -1}),
            "số phiếu mức HTXSNV phải là số nguyên không âm, không phải “-1”",
        ),
        (
            _cell(votes={"HTXSNV": 1.5}),
            "số phiếu mức HTXSNV phải là số nguyên không âm, không phải “1.5”",
        ),
        ({k: v for k, v in _cell().items() if k != "as_of"}, "thiếu trường “as_of”"),
    ],
)
def test_bad_input_exits_2_with_a_vietnamese_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: Any, message: str
) -> None:
    code, _, err = run(capsys, "classify", str(_bad(tmp_path, data)))
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_profiles_commands(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "profiles", "list")
    assert code == 0 and "thanhlien-2023" in out and "kế thừa qd124-2023" in out
    code, out, _ = run(capsys, "profiles", "show", "thanhlien-2023")
    shown = json.loads(out)
    assert shown["ballot"]["thresholds"]["HTXSNV"]["share"] == "7/10"
    assert (
        shown["ballot"]["thresholds"]["HTXSNV"]["source"]
        == "Kế hoạch số 44-KH/ĐU ngày 01/11/2023 của Đảng ủy xã Thanh Liên, mục 1.4.3"
    )
    broken = tmp_path / "hong.yaml"
    broken.write_text("id: x\ninherits: qd132-2018\nballot:\n  metod: 1\n", encoding="utf-8")
    code, _, err = run(capsys, "profiles", "check", str(broken))
    assert code == 2 and "mục “ballot.metod”" in err
    assert run(capsys, "profiles", "check", "kiemdiem/rules/profiles/qd366-2025.yaml")[0] == 0


def test_through_the_installed_command() -> None:
    """The same through `python -m kiemdiem` (no Django needed), including argparse errors."""
    ok = subprocess.run(
        [sys.executable, "-m", "kiemdiem", "classify", str(EXAMPLES / "qd132-2018.json")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "kiemdiem", "classify", "--format", "pdf", "x.json"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_the_xlsx_example_gives_what_its_json_gives(capsys: pytest.CaptureFixture[str]) -> None:
    """examples/thanhlien-2023.xlsx (from examples/make_xlsx.py) holds the same cell."""
    from_xlsx = run(capsys, "classify", str(EXAMPLES / "thanhlien-2023.xlsx"))
    from_json = run(capsys, "classify", str(EXAMPLES / "thanhlien-2023.json"))
    assert from_xlsx[0] == 0 and from_xlsx[1] == from_json[1]


def test_scope_group_applies_qd124_quota(capsys: pytest.CaptureFixture[str]) -> None:
    """QĐ 124 Điều 12: the quota is per group of comparable role. Issue 14: it applies to a
    cell file by default (was only with `--scope group`); a scope without it says so."""
    _, plain, _ = run(capsys, "classify", str(EXAMPLES / "qd124-2023.json"))
    _, group, _ = run(capsys, "classify", str(EXAMPLES / "qd124-2023.json"), "--scope", "group")
    _, cell, _ = run(capsys, "classify", str(EXAMPLES / "qd124-2023.json"), "--scope", "cell")
    assert json.loads(plain)["quotas"][0]["level"] == "HTXSNV"
    assert json.loads(plain)["quotas"] == json.loads(group)["quotas"]
    assert json.loads(cell)["quotas"] == []
    assert json.loads(cell)["quota_note"].startswith("Không áp dụng tỷ lệ ở phạm vi cell")


def test_installed_script_reports_a_broken_profile(tmp_path: Path) -> None:
    """`kiemdiem profiles check` through the installed script: file, path, problem; exit 2."""
    script = Path(sys.executable).with_name("kiemdiem")
    broken = tmp_path / "hong.yaml"
    broken.write_text("id: x\ninherits: qd132-2018\ncaps:\n  sick_leave: {days: ba}\n")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "kiemdiem"]
    done = subprocess.run([*cmd, "profiles", "check", str(broken)], capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "hong.yaml" in done.stderr and "caps.sick_leave" in done.stderr


def test_a_file_that_is_not_utf8_or_not_a_workbook_is_named_in_vietnamese(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Issue 14, "bad input": a non-UTF-8 file was "not JSON" with Python's English reason, and
    a broken .xlsx message did not name the file."""
    latin = tmp_path / "chi-bo.json"
    latin.write_bytes('{"profile": "Thanh Liên"}'.encode("cp1258"))
    code, _, err = run(capsys, "classify", str(latin))
    assert code == 2 and "không phải văn bản UTF-8" in err and "codec" not in err
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    code, _, err = run(capsys, "classify", str(broken))
    assert code == 2 and f"tệp “{broken}” không đọc được" in err and "Traceback" not in err

"""`kiemdiem classify FILE` and `kiemdiem profiles list|show|check`: the rule engine on files.

Bad input gets a Vietnamese message naming the member and the field, and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from kiemdiem.batch_input import InputError, member_from_dict, read_input
from kiemdiem.rules import (
    ProfileLoadError,
    RuleProfile,
    SubjectFacts,
    UnitResult,
    Votes,
    classify_unit,
    list_profiles,
    load_profile,
    profile_to_dict,
)
from kiemdiem.rules.quotas import own_scope
from kiemdiem.rules.unit import VoteCountError
from kiemdiem.safe_cells import save_book

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own errors, in our exit code
        self.print_usage(sys.stderr)
        print(f"Lỗi: {message}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kiemdiem", description="Xếp loại theo bộ quy tắc (không cần CSDL).")
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("classify", help="xếp loại đảng viên của một chi bộ từ tệp JSON/.xlsx")
    c.add_argument("file")
    c.add_argument("--profile", help="mã bộ quy tắc (mặc định: trường profile của tệp)")
    c.add_argument("--format", choices=["json", "table", "xlsx"], default="json")
    c.add_argument("--out", help="ghi kết quả ra tệp (bắt buộc với --format xlsx)")
    c.add_argument(
        "--scope",
        choices=["cell", "committee", "group"],
        help="phạm vi áp dụng tỷ lệ (mặc định: phạm vi của bộ quy tắc)",
    )
    p = sub.add_parser("profiles", help="các bộ quy tắc")
    psub = p.add_subparsers(dest="action", required=True)
    psub.add_parser("list")
    show = psub.add_parser("show")
    show.add_argument("id")
    check = psub.add_parser("check")
    check.add_argument("file")
    return parser


def run_classify(
    data: dict[str, Any], profile_ref: str | None, scope: str | None = None
) -> dict[str, Any]:
    ref = profile_ref or data.get("profile")
    if not ref:
        raise InputError("thiếu bộ quy tắc: ghi trường “profile” hoặc dùng --profile")
    profile = load_profile(str(ref))
    if data.get("as_of") in (None, ""):
        raise InputError("thiếu trường “as_of”: ngày tính (YYYY-MM-DD), ví dụ 2026-12-31")
    try:
        as_of = dt.date.fromisoformat(str(data["as_of"]))
    except ValueError:
        raise InputError(
            f"trường “as_of”: “{data.get('as_of')}” không phải ngày (YYYY-MM-DD)"
        ) from None
    raw_members = data.get("members")
    if not isinstance(raw_members, list) or not raw_members:
        raise InputError("trường “members”: cần danh sách đảng viên")
    unit = data.get("unit") or {}
    if not isinstance(unit, dict):
        raise InputError("trường “unit”: phải là bảng {id, name, members_total}")
    outstanding = unit.get("outstanding_decision", False)
    if not isinstance(outstanding, bool):
        raise InputError("trường “unit.outstanding_decision”: phải là true hoặc false")
    scope = scope or own_scope(profile)
    members, votes = [], {}
    for index, raw in enumerate(raw_members, start=1):
        facts, v = member_from_dict(raw, index)
        members.append(facts)
        if v is not None:
            votes[facts.id] = v
    if len({m.id for m in members}) != len(members):
        raise InputError("trường “members”: có mã đảng viên trùng nhau")
    _check_against_profile(members, votes, profile)
    spoiled = data.get("spoiled_ballots", 0)
    total = unit.get("members_total", 0) or 0
    for key, value in (("spoiled_ballots", spoiled), ("unit.members_total", total)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError(f"trường “{key}”: phải là số nguyên không âm")
    try:
        result = classify_unit(
            members, votes, profile, as_of=as_of, spoiled=spoiled, members_total=total,
            scope=scope or "cell", outstanding=outstanding,
        )  # fmt: skip
    except VoteCountError as exc:
        raise InputError(f"{exc} (trường “votes”)") from None
    out = _output(profile.id, unit, result)
    note = quota_note(profile, scope)
    if note:
        out["quota_note"] = note
    return out


def quota_note(profile: RuleProfile, scope: str | None) -> str:
    """Why no quota was checked, so a report never skips one silently ("" : one was)."""
    if not profile.quotas:
        return f"Không áp dụng tỷ lệ: bộ quy tắc {profile.id} không quy định hạn mức."
    scopes = sorted({s for q in profile.quotas for s in q.scope})
    if scope not in scopes:
        return (
            f"Không áp dụng tỷ lệ ở phạm vi {scope}: hạn mức của bộ quy tắc {profile.id} "
            f"áp dụng ở phạm vi {', '.join(scopes)}."
        )
    return ""


def _check_against_profile(
    members: list[SubjectFacts], votes: dict[str, Votes], profile: RuleProfile
) -> None:
    """What only the profile can tell apart: the kind of ballot and the scoring frameworks."""
    approve = profile.ballot.method == "approve_proposal"
    names = {m.id: f"đảng viên {m.id}" + (f" ({m.name})" if m.name else "") for m in members}
    for sid, v in votes.items():
        if approve and v.levels:
            raise InputError(
                f"{names[sid]}, trường “votes”: bộ quy tắc {profile.id} biểu quyết tán thành "
                'mức chi ủy đề xuất: ghi {"approve": n, "disapprove": m}'
            )
        if not approve and (v.approve or v.disapprove):
            raise InputError(
                f"{names[sid]}, trường “votes”: bộ quy tắc {profile.id} bỏ phiếu chọn mức: "
                'ghi {"HTXSNV": n, "HTTNV": n, "HTNV": n, "KHTNV": n}'
            )
    scoring = profile.caps.scoring
    frameworks = scoring.frameworks if scoring is not None else {}
    for m in members:
        if m.framework is not None and m.framework not in frameworks:
            known = ", ".join(frameworks) or "không có"
            raise InputError(
                f"{names[m.id]}, trường “framework”: “{m.framework}” không có trong bộ quy tắc "
                f"{profile.id} (có: {known})"
            )


def _output(profile_id: str, unit: dict[str, Any], r: UnitResult) -> dict[str, Any]:
    return {
        "profile": profile_id,
        "unit": {"id": unit.get("id", "")},
        "voters": {
            "eligible": r.context.eligible_voters,
            "present": r.context.voters_present,
            "spoiled": r.context.spoiled,
        },
        "results": [
            {
                "id": o.id,
                "classified": o.classified,
                "level": o.level.name if o.level else None,
                "vote_level": o.vote_level.name if o.vote_level else None,
                "shares": {k: f"{n}/{o.denominator}" for k, n in o.counts.items()}
                if o.denominator
                else {},
                "reasons": [x.as_dict() for x in o.reasons],
            }
            for o in r.outcomes
        ],
        "quotas": [q.as_dict() for q in r.quotas],
    }


def _table(out: dict[str, Any]) -> str:
    lines = [
        f"Bộ quy tắc: {out['profile']}   Cử tri: {out['voters']['eligible']} "
        f"(có mặt {out['voters']['present']}, phiếu hỏng {out['voters']['spoiled']})",
        f"{'Mã':<10} {'Phiếu':<8} {'Mức':<8} Lý do",
    ]
    for r in out["results"]:
        why = " ".join(x["message"] for x in r["reasons"])
        level = r["level"] or ("—" if r["classified"] else "không XL")
        lines.append(f"{r['id']:<10} {r['vote_level'] or '—':<8} {level:<8} {why}")
    for q in out["quotas"]:
        lines.append(
            f"Hạn mức {q['level']}: {q['limit']} — giữ {', '.join(q['kept']) or 'không'}; "
            f"vượt {', '.join(q['over_quota']) or 'không'}; "
            f"cấp ủy quyết định {', '.join(q['needs_decision']) or 'không'}"
            + (f" (nhóm {q['group']})" if q.get("group") else "")
        )
    if out.get("quota_note"):
        lines.append(out["quota_note"])
    return "\n".join(lines)


def _xlsx(out: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Kết quả"
    sheet.append(["Mã", "Được xếp loại", "Mức theo phiếu", "Mức", "Tỷ lệ phiếu", "Lý do"])
    for r in out["results"]:
        shares = ", ".join(f"{k}: {v}" for k, v in r["shares"].items())
        why = "\n".join(x["message"] for x in r["reasons"])
        sheet.append(
            [
                r["id"],
                "có" if r["classified"] else "không",
                r["vote_level"],
                r["level"],
                shares,
                why,
            ]
        )
    quotas = book.create_sheet("Hạn mức")
    quotas.append(["Mức", "Hạn mức", "Đủ điều kiện", "Giữ", "Vượt hạn mức", "Cấp ủy quyết định"])
    for q in out["quotas"]:
        quotas.append([q["level"], q["limit"], ", ".join(q["qualified"]), ", ".join(q["kept"]),
                       ", ".join(q["over_quota"]), ", ".join(q["needs_decision"])])  # fmt: skip
    return save_book(book)


def _profiles(args: argparse.Namespace) -> None:
    if args.action == "list":
        for p in list_profiles():
            parent = f" (kế thừa {p.inherits})" if p.inherits else ""
            print(f"{p.id:<18} {p.name}{parent}")
    elif args.action == "show":
        print(json.dumps(profile_to_dict(load_profile(args.id)), ensure_ascii=False, indent=2))
    else:
        profile = load_profile(args.file)
        print(f"Bộ quy tắc “{profile.id}” hợp lệ.")


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "profiles":
            _profiles(args)
            return 0
        out = run_classify(read_input(args.file), args.profile, args.scope)
        if args.format == "xlsx":
            if not args.out:
                raise InputError("--format xlsx cần --out TỆP.xlsx")
            with open(args.out, "wb") as f:
                f.write(_xlsx(out))
            return 0
        text = (
            _table(out) if args.format == "table" else json.dumps(out, ensure_ascii=False, indent=2)
        )
        if args.out:
            with open(args.out, "w", encoding="utf-8") as f:
                f.write(text + "\n")
        else:
            print(text)
        return 0
    except (InputError, ProfileLoadError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"Lỗi: không ghi được tệp ({exc.strerror})", file=sys.stderr)
        return EXIT_BAD_INPUT

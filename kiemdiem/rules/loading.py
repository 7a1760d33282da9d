"""Reading rule profiles from YAML: the rules package's only I/O.

A profile may `inherits:` another; the child states only what it changes (dicts merge
deeply, lists and values replace). A broken profile fails with the file, the path inside it
and the problem, in Vietnamese.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kiemdiem.rules.profile import RuleProfile

PROFILE_DIR = Path(__file__).parent / "profiles"


class ProfileLoadError(ValueError):
    def __init__(self, file: str, path: str, problem: str) -> None:
        self.file, self.path, self.problem = file, path, problem
        where = f", mục “{path}”" if path else ""
        super().__init__(f"Tệp {file}{where}: {problem}")


def _read(file: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileLoadError(str(file), "", "không tìm thấy tệp") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (dòng {mark.line + 1})" if mark is not None else ""
        raise ProfileLoadError(str(file), "", f"không đọc được YAML{line}") from None
    if not isinstance(data, dict):
        raise ProfileLoadError(str(file), "", "tệp phải là một bảng các mục (mapping)")
    return data


def _file_for(ref: str) -> Path:
    if ref.endswith((".yaml", ".yml")) or "/" in ref:
        return Path(ref)
    path = PROFILE_DIR / f"{ref}.yaml"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in PROFILE_DIR.glob("*.yaml")))
        raise ProfileLoadError(ref, "", f"không có bộ quy tắc này (có: {known})")
    return path


def merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    out = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    # A child that changes part of a section cites only what it changed: keep the parent's
    # source for the rest, so every inherited value still shows where it came from.
    inherited = set(parent) - set(child) - {"source", "quote"}
    old, new = parent.get("source"), child.get("source")
    if inherited and isinstance(old, str) and isinstance(new, str) and old != new:
        out["source"] = f"{new}; phần còn lại: {old}"
    return out


def resolve(ref: str, _seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], str]:
    """The merged data of a profile and its ancestors, and the file it came from."""
    file = _file_for(ref)
    data = _read(file)
    parent_ref = data.get("inherits")
    if parent_ref:
        if parent_ref in _seen:
            raise ProfileLoadError(file.name, "inherits", "kế thừa vòng tròn")
        parent, _ = resolve(str(parent_ref), (*_seen, str(data.get("id", ref))))
        own_source = data.get("source")
        data = merge(parent, data)
        data["inherits"] = parent_ref
        if own_source is not None:  # the profile's own source names the plan, not a section
            data["source"] = own_source
    return data, file.name


def _problem(error: dict[str, Any]) -> str:
    kind, msg = error["type"], str(error["msg"])
    if kind == "missing":
        return "thiếu mục bắt buộc"
    if kind == "extra_forbidden":
        return "mục không có trong bộ quy tắc (viết sai tên?)"
    if kind == "literal_error":
        allowed = str(error.get("ctx", {}).get("expected", "")).replace(" or ", ", ")
        return "giá trị phải là một trong: " + allowed
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return "phải là số nguyên"
    if kind in {"bool_type", "bool_parsing"}:
        return "phải là true hoặc false"
    if kind in {"string_type"}:
        return "phải là chữ"
    if kind in {"dict_type", "model_type"}:
        return "phải là một bảng các mục (mapping)"
    if kind == "list_type":
        return "phải là một danh sách"
    if msg.startswith("Value error, "):
        return msg.removeprefix("Value error, ")
    return f"giá trị không hợp lệ ({msg})"


def build(data: dict[str, Any], file: str) -> RuleProfile:
    try:
        return RuleProfile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(p) for p in first["loc"])
        raise ProfileLoadError(file, path, _problem(dict(first))) from None


@lru_cache(maxsize=64)
def _load_builtin(profile_id: str) -> RuleProfile:
    data, file = resolve(profile_id)
    return build(data, file)


def load_profile(ref: str) -> RuleProfile:
    """A built-in profile by id (cached), or a YAML file by path."""
    if ref.endswith((".yaml", ".yml")) or "/" in ref:
        data, file = resolve(ref)
        return build(data, file)
    return _load_builtin(ref)


def list_profiles() -> list[RuleProfile]:
    return [load_profile(p.stem) for p in sorted(PROFILE_DIR.glob("*.yaml"))]


def profile_to_dict(profile: RuleProfile) -> dict[str, Any]:
    """A JSON-safe copy, for a cycle's frozen snapshot."""
    return profile.model_dump(mode="json")


def profile_from_dict(data: dict[str, Any]) -> RuleProfile:
    return build(data, "snapshot")

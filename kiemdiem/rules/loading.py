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


Chain = list[tuple[str, dict[str, Any]]]  # (file name, its own data), the child first


def resolve(ref: str) -> tuple[dict[str, Any], str]:
    """The merged data of a profile and its ancestors, and the file it came from."""
    data, chain = _resolve(ref, ())
    return data, chain[0][0]


def _resolve(ref: str, seen: tuple[str, ...]) -> tuple[dict[str, Any], Chain]:
    file = _file_for(ref)
    own = _read(file)
    chain: Chain = [(file.name, own)]
    parent_ref = own.get("inherits")
    if not parent_ref:
        return own, chain
    if parent_ref in seen:
        raise ProfileLoadError(file.name, "inherits", "kế thừa vòng tròn")
    parent, parents = _resolve(str(parent_ref), (*seen, str(own.get("id", ref))))
    data = merge(parent, own)
    data["inherits"] = parent_ref
    if own.get("source") is not None:  # the profile's own source names the plan, not a section
        data["source"] = own["source"]
    return data, chain + parents


def _stated_in(chain: Chain, loc: tuple[Any, ...]) -> str:
    """The file (child first) that states the value at `loc`: a broken setting inherited
    from a parent is reported in the parent's file."""
    for name, own in chain:
        node: Any = own
        for key in loc:
            if (isinstance(node, dict) and key in node) or (
                isinstance(node, list) and isinstance(key, int) and key < len(node)
            ):
                node = node[key]
            else:
                break
        else:
            return name
    return chain[0][0]


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


def build(data: dict[str, Any], file: str, chain: Chain | None = None) -> RuleProfile:
    try:
        return RuleProfile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        path = ".".join(str(p) for p in loc)
        where = (
            _stated_in(chain, loc[: -1 if loc and loc[-1] == "[key]" else None]) if chain else file
        )
        raise ProfileLoadError(where, path, _problem(dict(first))) from None


def _load(ref: str) -> RuleProfile:
    data, chain = _resolve(ref, ())
    return build(data, chain[0][0], chain)


@lru_cache(maxsize=64)
def _load_builtin(profile_id: str) -> RuleProfile:
    return _load(profile_id)


def load_profile(ref: str) -> RuleProfile:
    """A built-in profile by id (cached), or a YAML file by path."""
    if ref.endswith((".yaml", ".yml")) or "/" in ref:
        return _load(ref)
    return _load_builtin(ref)


def list_profiles() -> list[RuleProfile]:
    return [load_profile(p.stem) for p in sorted(PROFILE_DIR.glob("*.yaml"))]


def profile_to_dict(profile: RuleProfile) -> dict[str, Any]:
    """A JSON-safe copy, for a cycle's frozen snapshot."""
    return profile.model_dump(mode="json")


def profile_from_dict(data: dict[str, Any]) -> RuleProfile:
    return build(data, "snapshot")

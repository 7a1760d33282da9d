"""The cycle's frozen copy of its rule profile (design.md: a closed year's results never
change when a YAML file is edited later)."""

from __future__ import annotations

from typing import Any

from kiemdiem import rules


class ProfileError(ValueError):
    pass


def profile_snapshot(profile_id: str) -> dict[str, Any]:
    try:
        profile = rules.load_profile(profile_id)
    except rules.ProfileLoadError as exc:
        raise ProfileError(f"Không nạp được bộ quy tắc “{profile_id}”: {exc}") from exc
    return rules.profile_to_dict(profile)


def profile_from_snapshot(snapshot: dict[str, Any]) -> Any:
    return rules.profile_from_dict(snapshot)


def profile_choices() -> list[tuple[str, str]]:
    return [(p.id, f"{p.id} — {p.name}") for p in rules.list_profiles()]

"""The self-review forms as data (forms_data/*.yaml): the 27 manifestations and their 5
levels, the sections and criteria of each Mẫu 02 variant, the QĐ 366 point frameworks, and
which variant a cycle's profile uses. Loaded once; nothing here touches the database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from kiemdiem.rules.sources import readable

DATA = Path(__file__).parent / "forms_data"

LEADER, NON_LEADER, OUTSIDE = "leader", "non_leader", "outside"


@dataclass(frozen=True)
class Manifestation:
    id: int
    group: str
    text: str
    verbatim: bool


@dataclass(frozen=True)
class ManifestationGroup:
    code: str
    title: str
    items: tuple[Manifestation, ...]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    short: str = ""
    follow_up: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    help: str
    required: bool
    leaders_only: bool
    source: str


@dataclass(frozen=True)
class Criterion:
    key: str
    title: str
    leaders_only: bool


@dataclass(frozen=True)
class ScoredCriterion:
    id: str
    title: str
    max: Decimal
    group: str


@dataclass(frozen=True)
class Framework:
    kind: str
    title: str
    groups: tuple[tuple[str, str, tuple[ScoredCriterion, ...]], ...]  # (code, title, criteria)

    @property
    def criteria(self) -> tuple[ScoredCriterion, ...]:
        return tuple(c for _, _, items in self.groups for c in items)

    @property
    def total(self) -> Decimal:
        return sum((c.max for c in self.criteria), Decimal(0))


@dataclass(frozen=True)
class Variant:
    code: str
    title: str
    sections: tuple[Section, ...]
    criteria: tuple[Criterion, ...]
    framework: Framework | None
    assumption: str

    def sections_for(self, leader: bool) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if leader or not s.leaders_only)

    def criteria_for(self, leader: bool) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if leader or not c.leaders_only)


# Keys whose text a reader sees and which cite the plans by the maintainers' key.
_CITING = {"help", "source", "note", "hint"}


def _readable(node: Any, key: str = "") -> Any:
    """Every citation the forms show in the document's own name (issue 11 §3)."""
    if isinstance(node, dict):
        return {k: _readable(v, str(k)) for k, v in node.items()}
    if isinstance(node, list):
        return [_readable(v, key) for v in node]
    if isinstance(node, str) and key in _CITING:
        return readable(node)
    return node


def _load(name: str) -> Any:
    with (DATA / name).open(encoding="utf-8") as f:
        return _readable(yaml.safe_load(f))


@cache
def manifestation_groups() -> tuple[ManifestationGroup, ...]:
    data = _load("manifestations.yaml")
    return tuple(
        ManifestationGroup(
            g["code"],
            g["title"],
            tuple(Manifestation(i["id"], g["code"], i["text"], i["verbatim"]) for i in g["items"]),
        )
        for g in data["groups"]
    )


@cache
def manifestation_ids() -> tuple[str, ...]:
    """Ids as strings: the keys of SelfReview.manifestations (JSON object keys are strings)."""
    return tuple(str(m.id) for g in manifestation_groups() for m in g.items)


@cache
def manifestation_levels() -> tuple[Choice, ...]:
    items = _load("manifestations.yaml")["levels"]["items"]
    return tuple(
        Choice(str(i["value"]), i["label"], i.get("short", ""), i.get("follow_up", ""))
        for i in items
    )


@cache
def _forms() -> Any:
    return _load("forms.yaml")


@cache
def degrees() -> tuple[Choice, ...]:
    return tuple(Choice(i["value"], i["label"]) for i in _forms()["degrees"]["items"])


@cache
def frameworks() -> dict[str, Framework]:
    data = _load("frameworks.yaml")
    result = {}
    for kind, fw in data["frameworks"].items():
        groups = tuple(
            (
                g["code"],
                g["title"],
                tuple(
                    ScoredCriterion(c["id"], c["title"], Decimal(c["max"]), g["code"])
                    for c in g["criteria"]
                ),
            )
            for g in fw["groups"]
        )
        result[kind] = Framework(kind, fw["title"], groups)
    return result


def framework_group_totals() -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in _load("frameworks.yaml")["group_totals"].items()}


@cache
def variants() -> dict[str, Variant]:
    forms = _forms()
    sections, criteria = forms["sections"], forms["criteria"]
    result = {}
    for code, v in forms["variants"].items():
        result[str(code)] = Variant(
            code=str(code),
            title=v["title"],
            sections=tuple(
                Section(
                    key,
                    sections[key]["title"],
                    sections[key].get("help", ""),
                    bool(sections[key].get("required")),
                    bool(sections[key].get("leaders_only")),
                    sections[key].get("source", ""),
                )
                for key in v["sections"]
            ),
            criteria=tuple(
                Criterion(key, criteria[key]["title"], bool(criteria[key].get("leaders_only")))
                for key in v["criteria"]
            ),
            framework=frameworks()[v["framework"]] if v.get("framework") else None,
            assumption=v.get("assumption", ""),
        )
    return result


def form_set_for(profile_id: str, snapshot: dict[str, Any]) -> str:
    """The form set a cycle uses: its frozen profile's `form_variant` setting, else the
    profile id's family, else the oldest (single Mẫu 02)."""
    forms = _forms()
    setting = snapshot.get("form_variant") if isinstance(snapshot, dict) else None
    if setting in forms["form_sets_by_profile_setting"]:
        return str(forms["form_sets_by_profile_setting"][setting])
    ids = [profile_id, (snapshot or {}).get("inherits") or ""]
    for rule in forms["form_sets_by_profile_prefix"]:
        if any(i.startswith(rule["prefix"]) for i in ids):
            return str(rule["form_set"])
    return str(forms["default_form_set"])


def member_kind(leader: bool, category: str) -> str:
    if leader:
        return LEADER
    if category in _forms()["outside_political_system_categories"]:
        return OUTSIDE
    return NON_LEADER


def variant_code(form_set: str, kind: str) -> str:
    return str(_forms()["form_sets"][form_set]["variants"][kind])


def variant(code: str) -> Variant:
    return variants()[code]


def scores(form_set: str) -> bool:
    """Does the form set carry the 100-point score (QĐ 366)?"""
    return bool(_forms()["form_sets"][form_set].get("scoring"))

"""The agenda of a review meeting, in the order the plans require. Pure: plain dataclasses in,
a list out; no database, so the order rules are tested as tables.

The order (000 §1.4.3; 002 §4.2; domain.md §2 "Order rules"):
1. the collective before individuals;
2. the head, then the deputies, then the members; the head's own review is chaired by a deputy;
3. leaders before ordinary members, leaders in 000's agenda order (chi ủy members, commune
   officials, mass-organization officials — the template's `tiers`);
4. ordinary members in Vietnamese name order (`kiemdiem.vn.sort_by_name`);
5. a cell with party groups may review its ordinary members in the groups, which then report to
   the cell (000 §1.4.3; 003 §II.2.2): the cell's agenda holds one report per group instead.

The opening and closing items are data (agenda_templates/*.yaml), one file per seed plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from kiemdiem.rules.sources import readable
from kiemdiem.vn import sort_by_name

TEMPLATE_DIR = Path(__file__).parent / "agenda_templates"
DEFAULT_TEMPLATE = "thanhlien-2023"  # 000's standard agenda

# Meeting kinds.
CELL, GROUP, COLLECTIVE = "cell", "group", "collective"

# Item kinds (AgendaItem.kind uses the same codes).
OPENING = "opening"
COLLECTIVE_REVIEW = "collective_review"
INDIVIDUAL_REVIEW = "individual_review"
GROUP_REPORT = "group_report"
VOTE = "vote"
REWARDS = "rewards"
REGISTRATION = "registration"
CLOSING = "closing"
OTHER = "other"
# Placeholders in a template, expanded here.
_INDIVIDUALS, _GROUP_REPORTS = "individuals", "group_reports"
_FIXED_KINDS = {OPENING, COLLECTIVE_REVIEW, VOTE, REWARDS, REGISTRATION, CLOSING, OTHER}

# Ranks of a subject in the order rules: lower goes first. Leader tiers take 10 + their index.
RANK_COLLECTIVE, RANK_HEAD, RANK_DEPUTY, RANK_TIER, RANK_ORDINARY = 0, 1, 2, 10, 90

SOURCE_ORDER = readable("000 §1.4.3; 002 §4.2")
SOURCE_HEAD_CHAIR = readable("000 §1.4.3; 002 §4.2: khi kiểm điểm người đứng đầu, cấp phó chủ trì")


class AgendaTemplateError(ValueError):
    pass


@dataclass(frozen=True)
class Tier:
    code: str
    title: str
    kinds: frozenset[str]
    source: str


@dataclass(frozen=True)
class TemplateItem:
    kind: str
    title: str
    source: str


@dataclass(frozen=True)
class AgendaTemplate:
    id: str
    title: str
    source: str
    sections: dict[str, tuple[TemplateItem, ...]]
    tiers: tuple[Tier, ...]

    def tier_rank(self, collective_kinds: Iterable[str]) -> int | None:
        """The leader tier of someone holding leader posts in collectives of these kinds:
        the earliest tier any of them falls in; None for no leader post."""
        kinds = set(collective_kinds)
        if not kinds:
            return None
        for i, tier in enumerate(self.tiers):
            if kinds & tier.kinds:
                return RANK_TIER + i
        return RANK_TIER + len(self.tiers)


@dataclass(frozen=True)
class Person:
    """Someone reviewed at the meeting. `tier` is the leader tier rank (None: not a leader);
    `group_id` the party group they belong to (used when groups review members)."""

    member_id: int
    name: str
    is_head: bool = False
    is_deputy: bool = False
    tier: int | None = None
    role: str = ""  # shown after the name: "Bí thư chi bộ"
    group_id: int | None = None

    @property
    def rank(self) -> int:
        if self.is_head:
            return RANK_HEAD
        if self.is_deputy:
            return RANK_DEPUTY
        return self.tier if self.tier is not None else RANK_ORDINARY


@dataclass(frozen=True)
class GroupRef:
    group_id: int
    name: str


@dataclass(frozen=True)
class MeetingInput:
    kind: str  # cell / group / collective
    year: int
    people: tuple[Person, ...]
    collective_id: int | None = None  # the collective reviewed first (chi ủy, or the collective)
    collective_name: str = ""
    groups: tuple[GroupRef, ...] = ()  # non-empty: ordinary members in groups are reviewed there


@dataclass(frozen=True)
class Item:
    kind: str
    title: str
    source: str
    rank: int | None = None  # the subject's rank for the order rules; None for fixed items
    member_id: int | None = None
    collective_id: int | None = None
    group_id: int | None = None
    chair_member_id: int | None = None


@dataclass
class Agenda:
    items: list[Item]
    warnings: list[str] = field(default_factory=list)


def _load(path: Path) -> AgendaTemplate:
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        sections = {
            kind: tuple(
                TemplateItem(str(i["kind"]), str(i["title"]), readable(str(i["source"])))
                for i in raw[kind]
            )
            for kind in (CELL, GROUP, COLLECTIVE)
        }
        tiers = tuple(
            Tier(str(t["code"]), str(t["title"]), frozenset(t["kinds"]), readable(str(t["source"])))
            for t in raw.get("tiers", [])
        )
        template = AgendaTemplate(raw["id"], raw["title"], readable(raw["source"]), sections, tiers)
    except (KeyError, TypeError) as exc:
        raise AgendaTemplateError(f"{path.name}: thiếu mục {exc}") from exc
    for section in sections.values():
        for item in section:
            if item.kind not in _FIXED_KINDS | {_INDIVIDUALS, _GROUP_REPORTS}:
                raise AgendaTemplateError(f"{path.name}: loại mục không hợp lệ {item.kind!r}")
    return template


@cache
def templates() -> dict[str, AgendaTemplate]:
    found = (_load(p) for p in sorted(TEMPLATE_DIR.glob("*.yaml")))
    return {t.id: t for t in found}


def get_template(template_id: str | None) -> AgendaTemplate:
    """The agenda template with this id (a cycle's plan template id), else 000's standard."""
    all_templates = templates()
    return all_templates.get(template_id or "", all_templates[DEFAULT_TEMPLATE])


def _individual_title(p: Person) -> str:
    return f"Kiểm điểm đồng chí {p.name}" + (f" ({p.role})" if p.role else "")


def _individuals(people: Iterable[Person], source: str) -> tuple[list[Item], list[str]]:
    """Head, deputies, leader tiers, then ordinary members by name; the head chaired by a
    deputy (the first deputy in name order)."""
    people = list(people)
    ordered = sorted(sort_by_name(people, lambda p: p.name), key=lambda p: p.rank)
    deputies = [p for p in ordered if p.rank == RANK_DEPUTY]
    warnings: list[str] = []
    items = []
    for p in ordered:
        chair = None
        if p.rank == RANK_HEAD:
            chair = deputies[0].member_id if deputies else None
            if chair is None:
                warnings.append(
                    f"Chưa có cấp phó để chủ trì phần kiểm điểm người đứng đầu ({p.name}); "
                    f"cần phân công người chủ trì ({readable('000 §1.4.3')})."
                )
        src = SOURCE_HEAD_CHAIR if p.rank == RANK_HEAD else source
        items.append(
            Item(
                INDIVIDUAL_REVIEW,
                _individual_title(p),
                src,
                p.rank,
                p.member_id,
                chair_member_id=chair,
            )
        )
    heads = [p for p in people if p.is_head]
    if len(heads) > 1:
        warnings.append("Có nhiều hơn một người đứng đầu: " + ", ".join(p.name for p in heads))
    return items, warnings


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """Group names are numbered ("Tổ đảng số 2" < "Tổ đảng số 10"), not people's names."""
    parts = re.split(r"(\d+)", text.casefold())
    return tuple((0, int(x)) if x.isdigit() else (1, x) for x in parts if x)


def build_agenda(template: AgendaTemplate, meeting: MeetingInput) -> Agenda:
    """The agenda for one meeting: the template's section for its kind with the
    placeholders expanded in the required order."""
    if meeting.kind not in template.sections:
        raise AgendaTemplateError(f"Loại hội nghị không hợp lệ: {meeting.kind!r}")
    group_ids = {g.group_id for g in meeting.groups}
    # In a cell that reviews in groups, ordinary members of a group leave the cell's agenda.
    in_groups = {
        p.member_id for p in meeting.people if p.rank == RANK_ORDINARY and p.group_id in group_ids
    }
    reviewed_here = [p for p in meeting.people if p.member_id not in in_groups]
    agenda = Agenda([])
    fmt = {"year": meeting.year, "next_year": meeting.year + 1}
    for t in template.sections[meeting.kind]:
        title = t.title.format(**fmt)
        if t.kind == _INDIVIDUALS:
            items, warnings = _individuals(reviewed_here, t.source)
            agenda.items += items
            agenda.warnings += warnings
        elif t.kind == _GROUP_REPORTS:
            for g in sorted(meeting.groups, key=lambda g: _natural(g.name)):
                agenda.items.append(
                    Item(
                        GROUP_REPORT,
                        f"{g.name} báo cáo kết quả kiểm điểm đảng viên ở tổ",
                        t.source,
                        RANK_ORDINARY,
                        group_id=g.group_id,
                    )
                )
        elif t.kind == COLLECTIVE_REVIEW:
            name = f" — {meeting.collective_name}" if meeting.collective_name else ""
            agenda.items.append(
                Item(
                    COLLECTIVE_REVIEW,
                    f"{title}{name}",
                    t.source,
                    RANK_COLLECTIVE,
                    collective_id=meeting.collective_id,
                )
            )
        else:
            agenda.items.append(Item(t.kind, title, t.source))
    return agenda


@dataclass(frozen=True)
class Ranked:
    """An agenda item as the order check sees it: its title and its subject's rank."""

    title: str
    rank: int | None


def order_warnings(items: Iterable[Ranked]) -> list[str]:
    """Where an edited agenda breaks the order rules. People decide (design principle 4):
    these are warnings shown beside the agenda, never a refusal."""
    warnings: list[str] = []
    top_rank, top_title = -1, ""  # the latest-ranked subject seen so far
    for item in items:
        if item.rank is None:
            continue
        if item.rank < top_rank:
            warnings.append(f"«{item.title}» đứng sau «{top_title}»: {_rule(item.rank)}")
        if item.rank > top_rank:
            top_rank, top_title = item.rank, item.title
    return warnings


def _rule(rank: int) -> str:
    return readable(_rule_text(rank))


def _rule_text(rank: int) -> str:
    if rank == RANK_COLLECTIVE:
        return "kiểm điểm tập thể trước, cá nhân sau (000 §1.4.3)."
    if rank in (RANK_HEAD, RANK_DEPUTY):
        return "người đứng đầu trước, cấp phó và các thành viên sau (000 §1.4.3)."
    return "cán bộ lãnh đạo, quản lý kiểm điểm trước, đảng viên sau (000 §1.4.3)."

"""Draft reward proposal lists (issue 6 §4; domain.md §5): members HTXSNV "tiêu biểu" per
cell within the plan's share, members HTXSNV and cells "TSVM tiêu biểu" five years running
within the quotas by the size of the base organization, and the superior's lists.

The rules (who qualifies, the quotas, the ranking) are `kiemdiem.rules.rewards` over the
profile's `rewards` section; this module only reads the tree and the years, in a fixed
number of queries whatever the subtree's size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.models import Proposal, SubjectType
from kiemdiem.grading.scales import _share_text
from kiemdiem.history.levels import YearResult, results_by_year
from kiemdiem.org.choices import ABOVE_GRASSROOTS_KINDS, GRASSROOTS_KINDS, OrgKind
from kiemdiem.org.models import Member, Organization
from kiemdiem.rules import RuleProfile
from kiemdiem.rules.profile import StreakReward
from kiemdiem.rules.rewards import (
    Candidate,
    Selection,
    exemplary_base,
    exemplary_limit,
    select,
    streak,
    streak_limit,
)

# name, code, unit, years running, this year's vote share, years "tiêu biểu" among them
Info = tuple[str, str, str, int, "Fraction | None", "int | None"]
LOOKBACK = 30  # years read back for "years at the level running"
STATUS_NAMES = {
    "within": "Trong hạn mức",
    "tied": "Bằng nhau ở mức cuối: cấp ủy chọn",
    "over": "Ngoài hạn mức: cấp ủy xem xét",
}


@dataclass
class Line:
    key: str
    name: str
    code: str
    unit: str
    years: int
    share: Fraction | None
    honoured: int | None  # years "tiêu biểu" within the streak (members; None for cells)
    status: str

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]

    @property
    def share_text(self) -> str:
        if self.share is None:
            return "—"
        return f"{self.share.numerator}/{self.share.denominator}" if self.share else "0"


@dataclass
class RewardList:
    title: str
    award: str
    unit: str
    limit: int | None  # None: the plan sets no quota
    limit_text: str
    source: str
    quote: str
    lines: list[Line] = field(default_factory=list)
    open_slots: int = 0
    path: str = ""  # the unit's place in the tree, to list cells in tree order

    def named(self, status: str) -> list[str]:
        return [line.name for line in self.lines if line.status == status]


@dataclass
class RewardsPage:
    root: Organization
    year: int
    profile: RuleProfile
    lists: list[RewardList]
    note: str = ""


@dataclass
class _Tree:
    orgs: dict[int, Organization]
    members: list[tuple[int, str, str, int]]  # (pk, code, full name, cell id)
    sizes: dict[int, int]  # grassroots id -> members in its subtree
    _grassroots: dict[int, Organization | None] = field(default_factory=dict)

    def grassroots_of(self, org_id: int) -> Organization | None:
        if org_id in self._grassroots:
            return self._grassroots[org_id]
        found = None
        org = self.orgs.get(org_id)
        for pk in reversed([int(s) for s in org.path.strip("/").split("/") if s] if org else []):
            o = self.orgs.get(pk)
            if o is not None and o.kind in GRASSROOTS_KINDS:
                found = o
                break
        self._grassroots[org_id] = found
        return found


@dataclass
class _Years:
    """The merged results with each subject's streak computed once, and only for those at
    the level this year (everyone else's streak is 0)."""

    results: dict[str, dict[int, YearResult]]
    year: int
    _streaks: dict[tuple[str, str], int] = field(default_factory=dict)

    def now(self, key: str) -> str | None:
        r = self.results.get(key, {}).get(self.year)
        return r.level if r is not None else None

    def streak(self, key: str, level: str) -> int:
        if self.now(key) != level:
            return 0
        n = self._streaks.get((key, level))
        if n is None:
            levels = {y: r.level for y, r in self.results[key].items()}
            n = self._streaks[(key, level)] = streak(levels, self.year, {level})
        return n

    def honoured(self, key: str, n: int) -> int:
        return _honoured(self.results, key, self.year, n)


def _tree(root: Organization) -> _Tree:
    """The subtree, its ancestors, its members, and each grassroots organization's size."""
    above = [int(s) for s in root.path.strip("/").split("/") if s]
    orgs = {
        o.pk: o
        for o in Organization.objects.filter(path__startswith=root.path).only(
            "pk", "name", "code", "kind", "path", "parent_id"
        )
    }
    orgs.update({o.pk: o for o in Organization.objects.filter(pk__in=above)})
    members = list(
        Member.objects.in_subtree(root.path)
        .order_by("sort_key", "code")
        .values_list("pk", "code", "full_name", "cell_id")
    )
    tree = _Tree(orgs, members, defaultdict(int))
    for _, _, _, cell_id in members:
        g = tree.grassroots_of(cell_id)
        if g is not None:
            tree.sizes[g.pk] += 1
    outer = [o for o in orgs.values() if o.kind in GRASSROOTS_KINDS and o.pk in above]
    for g in outer:  # a cell's page: its grassroots organization lies above it
        if g.pk != root.pk:
            tree.sizes[g.pk] = Member.objects.in_subtree(g.path).count()
    return tree


def _shares(root: Organization, year: int) -> dict[str, Fraction]:
    """This year's vote share for HTXSNV (or the approvals) from the rules' proposals."""
    rows = Proposal.objects.filter(
        cycle__year=year,
        subject_type=SubjectType.MEMBER,
        member__cell__path__startswith=root.path,
    ).values_list("subject_key", "details")
    out: dict[str, Fraction] = {}
    for key, details in rows.iterator(5000):
        counts, den = (details or {}).get("counts") or {}, (details or {}).get("denominator")
        if den:
            out[key] = Fraction(counts.get("HTXSNV", counts.get("approve", 0)), den)
    return out


def _honoured(results: dict[str, dict[int, YearResult]], key: str, year: int, n: int) -> int:
    """001 §3.2 speaks of HTXSNV "tiêu biểu" five years running: how many years of the streak
    the member was also recognised "tiêu biểu", for the committee to weigh (the system keeps
    the flag for imported years; this year's is what the list proposes)."""
    mine = results.get(key, {})
    return sum(1 for y in range(year - n + 1, year + 1) if (r := mine.get(y)) and r.exemplary)


def _lines(sel: Selection, info: dict[str, Info]) -> list[Line]:
    status = {**dict.fromkeys(sel.within, "within"), **dict.fromkeys(sel.tied, "tied"),
              **dict.fromkeys(sel.over, "over")}  # fmt: skip
    return [Line(k, *info[k], status[k]) for k in sel.ranked]


def profile_for(root: Organization, year: int) -> tuple[Cycle | None, RuleProfile | None]:
    """The plan of `year` that covers `root` (its own or an ancestor's) and its profile."""
    from kiemdiem.rules import profile_from_dict

    above = [int(s) for s in root.path.strip("/").split("/") if s]
    cycle = (
        Cycle.objects.filter(organization_id__in=above, year=year)
        .order_by("-organization__depth")
        .first()
    )
    return cycle, (profile_from_dict(cycle.profile_snapshot) if cycle else None)


def rewards_page(root: Organization, year: int, profile: RuleProfile) -> RewardsPage:
    rules = profile.rewards
    if rules is None:
        return RewardsPage(root, year, profile, [], "Bộ quy tắc này không có quy định khen thưởng.")
    tree = _tree(root)
    longest = max([r.years for r in rules.streaks] + [1])
    years = range(year - max(LOOKBACK, longest) + 1, year + 1)
    # This year's level of everybody (the share's base), and the earlier years only where a
    # streak can run: a tenth of the rows of a whole history.
    streaking = {r.level for r in rules.streaks} | {"HTXSNV"}
    members = results_by_year(root, "m", years[:-1], streaking)
    for key, now in results_by_year(root, "m", [year]).items():
        members.setdefault(key, {}).update(now)
    history = _Years(members, year)
    shares = _shares(root, year)
    # A cell's "tiêu biểu" proposals go to its grassroots committee; a superior sees the
    # committees' lists of five years running, not every cell's.
    below = root.kind not in ABOVE_GRASSROOTS_KINDS
    lists = _exemplary(root, profile, tree, history, shares) if below else []
    orgs: _Years | None = None
    for rule in rules.streaks:
        if rule.subject == "member":
            lists += _member_streak(root, rule, tree, history, shares)
        else:
            if orgs is None:
                orgs = _Years(results_by_year(root, "o", years, streaking), year)
            lists += _org_streak(root, rule, tree, orgs)
    return RewardsPage(root, year, profile, lists)


def _exemplary(
    root: Organization,
    profile: RuleProfile,
    tree: _Tree,
    history: _Years,
    shares: dict[str, Fraction],
) -> list[RewardList]:
    """Per cell: those HTXSNV this year, within the share of those HTTNV or above."""
    rules = profile.rewards
    assert rules is not None
    by_cell: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for pk, code, name, cell_id in tree.members:
        by_cell[cell_id].append((pk, code, name))
    out = []
    for cell_id, people in by_cell.items():
        cell = tree.orgs[cell_id]
        levels = {f"m:{pk}": history.now(f"m:{pk}") for pk, _, _ in people}
        cands: list[Candidate] = []
        info: dict[str, Info] = {}
        for pk, code, name in people:
            k = f"m:{pk}"
            if levels[k] == "HTXSNV":
                n = history.streak(k, "HTXSNV")
                cands.append(Candidate(k, n, shares.get(k, Fraction(0))))
                info[k] = (name, code, cell.name, n, shares.get(k), history.honoured(k, n))
        if not cands:
            continue
        rule = rules.exemplary
        if rule is None:
            sel = select(cands, len(cands))
            no_quota = "Kế hoạch không quy định hạn mức"
            lst = RewardList("Đảng viên HTXSNV đề nghị khen thưởng", "", cell.name, None,
                             no_quota, rules.source, rules.quote)  # fmt: skip
        else:
            base = exemplary_base(rule, levels.values())
            limit = exemplary_limit(rule, base, len(people))
            small = rule.small_unit is not None and len(people) < rule.small_unit.members_below
            text = (
                f"tối đa {limit} (chi bộ có {len(people)} đảng viên, dưới "
                f"{rule.small_unit.members_below})"
                if small and rule.small_unit is not None
                else f"tối đa {limit} = {_share_text(rule.share)} của {base} đảng viên "
                f"{rule.base_level.name}{' trở lên' if rule.base == 'at_or_above' else ''}"
            )
            sel = select(cands, limit)
            lst = RewardList('Đảng viên HTXSNV “tiêu biểu” đề nghị khen thưởng', "",
                             cell.name, limit, text, rule.source, rule.quote)  # fmt: skip
        lst.lines, lst.open_slots, lst.path = _lines(sel, info), sel.open_slots, cell.path
        out.append(lst)
    out.sort(key=lambda lst: lst.path)
    return out


def _groups(root: Organization, rule: StreakReward, tree: _Tree) -> list[Organization] | None:
    """Where the rule's quota applies under `root`: each grassroots organization in (or
    above) the subtree, or `root` itself for a superior's list (None: not at this level)."""
    if rule.scope == "superior":
        return [root] if root.kind in ABOVE_GRASSROOTS_KINDS else None
    found = {g.pk: g for g in (tree.grassroots_of(o) for o in tree.orgs) if g is not None}
    inside = [
        g for g in found.values() if g.path.startswith(root.path) or root.path.startswith(g.path)
    ]
    return sorted(inside, key=lambda g: g.path)


def _in_group(tree: _Tree, group: Organization, org_id: int) -> bool:
    org = tree.orgs.get(org_id)
    return org is not None and org.path.startswith(group.path)


def _limit_text(rule: StreakReward, group: Organization, tree: _Tree) -> tuple[int, str]:
    if rule.limit is not None:
        return rule.limit, f"tối đa {rule.limit}"
    size = tree.sizes.get(group.pk, 0)
    limit = streak_limit(rule, size)
    return limit, f"tối đa {limit} (cơ sở có {size} đảng viên)"


def _member_streak(
    root: Organization,
    rule: StreakReward,
    tree: _Tree,
    history: _Years,
    shares: dict[str, Fraction],
) -> list[RewardList]:
    groups = _groups(root, rule, tree)
    if groups is None:
        return []
    qualified: list[tuple[int, Candidate, Info]] = []
    for pk, code, name, cell_id in tree.members:
        k = f"m:{pk}"
        n = history.streak(k, rule.level)
        if n >= rule.years:
            c = Candidate(k, n, shares.get(k, Fraction(0)))
            unit = tree.orgs[cell_id].name
            qualified.append(
                (cell_id, c, (name, code, unit, n, shares.get(k), history.honoured(k, n)))
            )
    return _lists(rule, groups, tree, qualified, "Đảng viên")


def _org_streak(
    root: Organization, rule: StreakReward, tree: _Tree, history: _Years
) -> list[RewardList]:
    groups = _groups(root, rule, tree)
    if groups is None:
        return []
    kinds = GRASSROOTS_KINDS if rule.subject == "grassroots" else (OrgKind.CELL,)
    qualified: list[tuple[int, Candidate, Info]] = []
    for o in tree.orgs.values():
        if o.kind not in kinds or not o.path.startswith(root.path):
            continue
        n = history.streak(f"o:{o.pk}", rule.level)
        if n >= rule.years:
            parent = tree.orgs.get(o.parent_id or 0)
            above = parent.name if parent else ""
            qualified.append(
                (o.pk, Candidate(f"o:{o.pk}", n), (o.name, o.code, above, n, None, None))
            )
    who = "Tổ chức cơ sở đảng" if rule.subject == "grassroots" else "Chi bộ"
    return _lists(rule, groups, tree, qualified, who)


def _lists(
    rule: StreakReward,
    groups: list[Organization],
    tree: _Tree,
    qualified: list[tuple[int, Candidate, Info]],
    who: str,
) -> list[RewardList]:
    out = []
    level = "HTXSNV" if rule.level == "HTXSNV" else "“Trong sạch vững mạnh” tiêu biểu"
    for g in groups:
        mine = [(c, i) for place, c, i in qualified if _in_group(tree, g, place)]
        if not mine and rule.scope == "grassroots":
            continue  # a superior's page would list every committee with nobody on it
        limit, text = _limit_text(rule, g, tree)
        sel = select([c for c, _ in mine], limit)
        lst = RewardList(f"{who} {level} {rule.years} năm liền — {rule.award}", rule.award,
                         g.name, limit, text, rule.source, rule.quote)  # fmt: skip
        lst.lines = _lines(sel, {c.id: i for c, i in mine})
        lst.open_slots = sel.open_slots
        out.append(lst)
    return out

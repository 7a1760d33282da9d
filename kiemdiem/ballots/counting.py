"""Counting a ballot: the counts structure -> the rule engine -> each candidate's result.

Pure Python like `kiemdiem.rules` (no Django, no I/O), so the web pages, the biên bản, the
CLI and the tests all count the same way. A paper ballot's confirmed double entry and an
online ballot's closed box both arrive here as `Counts`: marks per candidate per choice
(with blank rows under "blank") and the papers issued, returned and spoiled.

Shares are exact `Fraction`s (design.md principle 7), taken over two bases:
- the profile's base (`ballot.denominator`: those present taking part, 000 §1.4.3; the
  official members entitled to vote, 001 §2.2.5; or the valid marks), which decides;
- the unit's official members, which the biên bản kiểm phiếu traditionally also shows
  (research/regulations.md §3.7). `percent()` rounds only for display.

A candidate no level reaches is undecided (`vote_undecided`, the engine's own reason) and
goes to a further round that lists only such candidates; `count()` takes every round, lets
each candidate's latest round decide, and applies the unit's quotas over all of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from kiemdiem.rules import Level, RuleProfile, SubjectFacts, UnitContext, Votes
from kiemdiem.rules.classify import engine_for
from kiemdiem.rules.outcome import Outcome
from kiemdiem.rules.quorum import QuorumError, rounds_shortfalls
from kiemdiem.rules.quotas import QuotaResult, apply_quotas
from kiemdiem.rules.reasons import Reason

BLANK = "blank"  # a row left unmarked, or marked twice: it names no choice (research §3.6)
LEVEL_CHOICES = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
APPROVAL_CHOICES = ("approve", "disapprove")
CHOOSE_LEVEL, APPROVE_PROPOSAL = "choose_level", "approve_proposal"

# What a column of the ballot says, in full (the short codes stay as official terms).
CHOICE_NAMES = {
    "HTXSNV": Level.HTXSNV.label,
    "HTTNV": Level.HTTNV.label,
    "HTNV": Level.HTNV.label,
    "KHTNV": Level.KHTNV.label,
    "approve": "Đồng ý",
    "disapprove": "Không đồng ý",
    BLANK: "Không đánh dấu hoặc đánh dấu sai",
}

# The profile's denominator in the words of the biên bản.
BASE_NAMES = {
    "voters_present": "tổng số người có mặt tham gia bỏ phiếu",
    "eligible_voters": "tổng số người có quyền biểu quyết",
    "valid_marks": "tổng số phiếu đánh dấu hợp lệ",
}
OFFICIAL_BASE_NAME = "tổng số đảng viên chính thức"


def choices_for(method: str) -> tuple[str, ...]:
    """The columns of a ballot of this method, without the blank column."""
    if method == CHOOSE_LEVEL:
        return LEVEL_CHOICES
    if method == APPROVE_PROPOSAL:
        return APPROVAL_CHOICES
    raise ValueError(f"phương thức bỏ phiếu “{method}” không được hỗ trợ")


@dataclass(frozen=True, slots=True)
class Papers:
    """Phiếu phát ra, thu về, không hợp lệ (a whole paper void: torn, signed, not the form
    issued). An online box has issued = codes handed out, returned = ballots cast, spoiled 0."""

    issued: int
    returned: int
    spoiled: int = 0

    @property
    def valid(self) -> int:
        return self.returned - self.spoiled


@dataclass(frozen=True, slots=True)
class Counts:
    """One round of one ballot: {candidate key: {choice: marks}} plus the papers.
    Keys are the candidates' `SubjectFacts.id`; choices are those of `choices_for(method)`
    and BLANK. A missing choice counts 0."""

    method: str
    papers: Papers
    rows: Mapping[str, Mapping[str, int]]

    def row(self, key: str) -> dict[str, int]:
        """Every column of the candidate's row, zeros included, blank last."""
        got = self.rows.get(key, {})
        return {c: got.get(c, 0) for c in (*choices_for(self.method), BLANK)}

    def votes(self, key: str) -> Votes:
        """The rule engine's input for one candidate: blank rows are no mark for any level
        but stay in a "voters present" denominator (rules: `Votes`)."""
        got = self.rows.get(key, {})
        if self.method == APPROVE_PROPOSAL:
            return Votes(approve=got.get("approve", 0), disapprove=got.get("disapprove", 0))
        return Votes(levels={Level[c]: got.get(c, 0) for c in LEVEL_CHOICES})


@dataclass(frozen=True, slots=True)
class Roll:
    """The unit's figures a ballot is counted over, from the voter roll and the attendance.
    `eligible`: those entitled to vote (present or not); `present`: of them, those present;
    `official_members`: the unit's official members (the biên bản's second base);
    `members_total`: the unit's members, which small-unit quota rules count (001 §2.2.5a)."""

    eligible: int
    present: int
    official_members: int
    members_total: int = 0


class CountError(ValueError):
    """The counts do not add up; `problems` are Vietnamese sentences, one per fault."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def check(counts: Counts, roll: Roll, names: Mapping[str, str]) -> list[str]:
    """Every fault in one round's counts, in Vietnamese (empty: the counts add up).

    `names` maps each candidate on the ballot to their name, in ballot order. Each row must
    hold exactly the valid papers (returned − spoiled): every valid paper has one row per
    candidate, marked once or left blank (research/regulations.md §3.6)."""
    problems: list[str] = []
    p = counts.papers
    figures = (
        ("phát ra", p.issued),
        ("thu về", p.returned),
        ("không hợp lệ", p.spoiled),
    )
    for label, value in figures:
        if not _is_count(value):
            problems.append(f"Số phiếu {label} phải là số nguyên không âm.")
    if problems:
        return problems
    if p.issued > roll.present:
        problems.append(
            f"Số phiếu phát ra ({p.issued}) nhiều hơn số người có mặt được biểu quyết "
            f"({roll.present})."
        )
    if p.returned > p.issued:
        problems.append(f"Số phiếu thu về ({p.returned}) nhiều hơn số phiếu phát ra ({p.issued}).")
    if p.spoiled > p.returned:
        problems.append(
            f"Số phiếu không hợp lệ ({p.spoiled}) nhiều hơn số phiếu thu về ({p.returned})."
        )
    allowed = {*choices_for(counts.method), BLANK}
    unknown = [k for k in counts.rows if k not in names]
    if unknown:
        problems.append("Có số phiếu của người không có trong danh sách biểu quyết.")
    valid = p.valid
    for key, name in names.items():
        row = counts.rows.get(key)
        if row is None:
            problems.append(f"Chưa có số phiếu của đồng chí {name}.")
            continue
        odd = sorted(set(row) - allowed)
        if odd:
            problems.append(
                f"Phiếu của đồng chí {name} có cột không có trên phiếu: {', '.join(odd)}."
            )
            continue
        if not all(_is_count(v) for v in row.values()):
            problems.append(f"Số phiếu của đồng chí {name} phải là số nguyên không âm.")
            continue
        total = sum(row.values())
        if total != valid:
            problems.append(
                f"Tổng số phiếu ở ứng viên {name} ({total}) khác số phiếu hợp lệ thu về "
                f"({valid} = {p.returned} thu về − {p.spoiled} không hợp lệ)."
            )
    return problems


def percent(share: Fraction, places: int = 2) -> str:
    """'66,67%': rounded half up only here, at the surface; trailing zeros dropped."""
    scaled = share * 100 * 10**places
    whole = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    text = str(whole).rjust(places + 1, "0")
    head, tail = text[:-places] if places else text, text[-places:] if places else ""
    tail = tail.rstrip("0")
    return f"{head},{tail}%" if tail else f"{head}%"


def _shares(row: Mapping[str, int], base: int) -> dict[str, Fraction]:
    if base <= 0:
        return {}
    return {c: Fraction(n, base) for c, n in row.items()}


@dataclass(frozen=True, slots=True)
class CandidateResult:
    """One candidate, counted: the marks of the round that decided, both bases and their
    exact shares, and the engine's outcome after the unit's quotas."""

    facts: SubjectFacts
    round: int  # 1-based
    marks: dict[str, int]  # every column, blank last
    base: int  # the profile's denominator for this candidate
    official: int  # the unit's official members
    outcome: Outcome

    @property
    def key(self) -> str:
        return self.facts.id

    @property
    def name(self) -> str:
        return self.facts.name

    @property
    def level(self) -> Level | None:
        return self.outcome.level

    @property
    def vote_level(self) -> Level | None:
        return self.outcome.vote_level

    @property
    def reasons(self) -> list[Reason]:
        return self.outcome.reasons

    @property
    def shares_base(self) -> dict[str, Fraction]:
        return _shares(self.marks, self.base)

    @property
    def shares_official(self) -> dict[str, Fraction]:
        return _shares(self.marks, self.official)

    @property
    def revote(self) -> bool:
        """Undecided by the vote: no level reached its threshold (000 §1.4.3: the cell
        votes again). Not those deferred, missing a proposal or off the ballot."""
        o = self.outcome
        return o.classified and o.level is None and any(r.code == "vote_undecided" for r in o.notes)


@dataclass
class CountResult:
    profile_id: str
    method: str
    base_name: str  # the profile's denominator, in Vietnamese
    base_source: str
    rounds: list[Counts]
    contexts: list[UnitContext]
    candidates: list[CandidateResult]
    quotas: list[QuotaResult] = field(default_factory=list)
    # Each round's figures: round 1 lists every candidate, a later round those voted on
    # again; every row carries the candidate's final outcome.
    by_round: list[list[CandidateResult]] = field(default_factory=list)

    @property
    def revote(self) -> list[CandidateResult]:
        """Those a further round must vote on again, in ballot order."""
        return [c for c in self.candidates if c.revote]

    @property
    def decided(self) -> bool:
        return not self.revote


def context(counts: Counts, roll: Roll, as_of: dt.date) -> UnitContext:
    """The engine's unit numbers for one round. "Voters present" are those present who took
    part, i.e. the papers returned (000 §1.4.3: "tổng số người có mặt tham gia bỏ phiếu");
    spoiled papers leave it only where the profile says so (`spoiled_in_denominator`)."""
    return UnitContext(
        as_of=as_of,
        eligible_voters=roll.eligible,
        voters_present=counts.papers.returned,
        spoiled=counts.papers.spoiled,
        members_total=roll.members_total,
    )


def count(
    rounds: Sequence[Counts],
    candidates: Sequence[SubjectFacts],
    roll: Roll | Sequence[Roll],
    profile: RuleProfile,
    *,
    as_of: dt.date,
    scope: str | None = "cell",
) -> CountResult:
    """Count every round of a ballot through the rule engine and apply the unit's quotas.

    `candidates` are everyone on the first round, in ballot order, with their facts (the
    engine's caps read them; the id is the key of the counts' rows). A later round lists
    only some of them; each candidate's latest round decides. `roll` may be one for all
    rounds or one per round. `scope` chooses the profile's quotas (cell / committee / group;
    None: none, e.g. a leader's workplace rating). Raises CountError if a round's counts do
    not add up (`check`), QuorumError if too few attended or voted (`profile.quorum`)."""
    if not rounds:
        raise CountError(["Chưa có kết quả kiểm phiếu."])
    method = profile.ballot.method
    rolls = [roll] * len(rounds) if isinstance(roll, Roll) else list(roll)
    if len(rolls) != len(rounds):
        raise ValueError("one roll per round, or one for all")
    names = {f.id: f.name for f in candidates}
    latest: dict[str, int] = {}
    problems: list[str] = []
    for i, (counts, r) in enumerate(zip(rounds, rolls, strict=True)):
        if counts.method != method:
            problems.append(
                f"Vòng {i + 1}: phiếu {counts.method} khác phương thức của bộ quy tắc "
                f"{profile.id} ({method})."
            )
            continue
        on_round = {k: names[k] for k in names if i == 0 or k in counts.rows}
        found = check(counts, r, on_round)
        problems += [f"Vòng {i + 1}: {m}" if len(rounds) > 1 else m for m in found]
        for key in on_round:
            latest[key] = i
    if problems:
        raise CountError(problems)
    missed = rounds_shortfalls(
        profile.quorum,
        [(r.present, c.papers.returned, r.eligible) for c, r in zip(rounds, rolls, strict=True)],
    )
    if missed:
        raise QuorumError(missed)
    contexts = [context(c, r, as_of) for c, r in zip(rounds, rolls, strict=True)]
    engine = engine_for(profile)
    outcomes: list[Outcome] = []
    for f in candidates:
        i = latest[f.id]
        counts = rounds[i]
        outcomes.append(engine.classify(f, counts.votes(f.id), contexts[i]))
    quotas: list[QuotaResult] = []
    if scope is not None:
        members_total = rolls[0].members_total
        report = apply_quotas(outcomes, profile, scope, members_total)
        outcomes, quotas = report.outcomes, report.results
    final = {f.id: o for f, o in zip(candidates, outcomes, strict=True)}
    by_round: list[list[CandidateResult]] = [[] for _ in rounds]
    for f in candidates:
        for i, counts in enumerate(rounds):
            if i > latest[f.id] or (i > 0 and f.id not in counts.rows):
                continue
            base = engine.denominator(counts.votes(f.id), contexts[i])
            row = counts.row(f.id)
            by_round[i].append(
                CandidateResult(f, i + 1, row, base, rolls[i].official_members, final[f.id])
            )
    results = [rows[-1] for rows in _latest_rows(by_round, candidates)]
    return CountResult(
        profile_id=profile.id,
        method=method,
        base_name=base_name(profile),
        base_source=profile.ballot.source,
        rounds=list(rounds),
        contexts=contexts,
        candidates=results,
        quotas=quotas,
        by_round=by_round,
    )


def _latest_rows(
    by_round: list[list[CandidateResult]], candidates: Sequence[SubjectFacts]
) -> list[list[CandidateResult]]:
    """Each candidate's rows over the rounds, in ballot order."""
    rows: dict[str, list[CandidateResult]] = {f.id: [] for f in candidates}
    for results in by_round:
        for c in results:
            rows[c.key].append(c)
    return [rows[f.id] for f in candidates]


def base_name(profile: RuleProfile) -> str:
    b = profile.ballot
    name = BASE_NAMES[b.denominator]
    if b.denominator == "voters_present" and not b.spoiled_in_denominator:
        name += " (không tính phiếu không hợp lệ)"
    return name


def tally_of(ballots: list[dict[str, str]]) -> dict[str, dict[str, int]]:
    rows: dict[str, dict[str, int]] = {}
    for marks in ballots:
        for key, choice in marks.items():
            row = rows.setdefault(key, {})
            row[choice] = row.get(choice, 0) + 1
    return rows

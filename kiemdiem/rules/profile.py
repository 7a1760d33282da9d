"""RuleProfile: every setting that differs between plans, each with its source.

Profiles are data (profiles/*.yaml); code implements mechanisms, never one plan's numbers.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kiemdiem.rules.levels import Level
from kiemdiem.rules.profile_scoring import (
    DISCIPLINE_FORMS,
    Condition,
    Conditions,
    DisciplineForm,
    Framework,
    Scoring,
)
from kiemdiem.rules.quorum import Quorum
from kiemdiem.rules.setting import Cited, LevelField, Proportion, Setting, Share

__all__ = [
    "DISCIPLINE_FORMS", "Cited", "Condition", "Conditions", "Framework", "LevelField",
    "Proportion", "Scoring", "Setting", "Share",
]  # fmt: skip


class Eligibility(Setting):
    """Who is classified (and reviewed) — domain.md §1."""

    exempt_classified: bool = False
    suspended_classified: bool = False
    new_member_months: int = 6  # admitted less than this many months before: not classified
    new_members_reviewed: bool = True
    suspended_reviewed: bool = True
    temporary_classified_at: Literal["official", "temporary"] = "official"
    absent_deferred: bool = True
    # QĐ 366 Điều 3, 5.2: whoever is reviewed is rated; those not reviewed are "not
    # evaluated" (đánh giá, xếp loại), the older rules' "not classified" (xếp loại).
    wording: Literal["xep_loai", "danh_gia"] = "xep_loai"


class Voters(Setting):
    """Who votes at the cell's classification."""

    official: bool = True
    probationary: bool = False
    temporary: bool = False
    exempt: Literal["never", "if_present", "always"] = "if_present"


class Threshold(Setting):
    op: Literal[">=", ">"]
    share: Proportion
    counts: Literal["exactly", "at_or_above"] = "exactly"

    def holds(self, count: int, denominator: int) -> bool:
        if denominator <= 0:
            return False
        # count/denominator against p/q by cross-multiplying: exact, and no Fraction per vote.
        left = count * self.share.denominator
        right = self.share.numerator * denominator
        return left >= right if self.op == ">=" else left > right


class Ballot(Setting):
    method: Literal["choose_level", "approve_proposal"]
    denominator: Literal["voters_present", "valid_marks", "eligible_voters"]
    spoiled_in_denominator: bool = True
    thresholds: dict[LevelField, Threshold]


class SickLeaveCap(Setting):
    enabled: bool = True
    days: int = 90
    far_away: bool = False
    max_level: LevelField = Level.HTNV
    # HD 43-HD/BTCTW 7.5: rated on the work actually done, no cap (a note only).
    rated_on_work_done: bool = False


class AttendanceCap(Setting):
    enabled: bool = True
    absences: int = 3
    silent: int = 6
    bars: LevelField = Level.HTXSNV


class CcvcLink(Setting):
    """Party level needs the matching civil-servant rating (domain.md §4.2)."""

    enabled: bool = True
    # party level -> the lowest CCVC rating that allows it
    requires: dict[LevelField, str] = {}
    # awards that stand in for a CCVC HTXSNV when the party level is HTXSNV (001 §2.2.5)
    htxsnv_awards: list[str] = []
    ccvc_khtnv_gives_khtnv: bool = True
    missing_rating_caps_at: LevelField | None = None


class CategoryConditions(Setting):
    """HTXSNV conditions by member category: e.g. students and business owners need an award;
    leaders need their unit rated at least `leader_unit_at_least` (001 §2.2.5a)."""

    enabled: bool = True
    level: LevelField = Level.HTXSNV
    awards_required: dict[str, list[str]] = {}
    leader_unit_at_least: LevelField | None = None


class HeadCap(Setting):
    enabled: bool = True
    deputy: bool = False


class CriteriaDegrees(Setting):
    """QĐ 124: levels defined by the degrees of the criteria and of the task results."""

    enabled: bool = True
    results_key: str = "ket_qua"
    min_targets_met: Share = Fraction(1, 2)


class Discipline(Setting):
    """Disciplined in the year → KHTNV: off the ballot, or (off_ballot false, 001 §2.2.5d)
    only when the vote for KHTNV meets its threshold. `from_form`: the lightest form that
    counts (QĐ 366: "từ khiển trách trở lên"); a member without a form given counts."""

    enabled: bool = True
    off_ballot: bool = True
    from_form: DisciplineForm | None = None


class Maternity(Setting):
    """Maternity leave is not sick leave: the member is rated on the time actually worked
    (HD 21-HD/BTCTW; 003 §III). The facts passed in are those of the time worked."""

    enabled: bool = True
    counts_as_sick_leave: bool = False


class Caps(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    discipline: Discipline | None = None
    sick_leave: SickLeaveCap | None = None
    attendance: AttendanceCap | None = None
    ccvc: CcvcLink | None = None
    categories: CategoryConditions | None = None
    head: HeadCap | None = None
    criteria: CriteriaDegrees | None = None
    scoring: Scoring | None = None
    maternity: Maternity | None = None


class Floor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    when_base_below: int
    allow: int


class SmallUnit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    members_below: int
    limit: int


class Quota(Setting):
    level: LevelField = Level.HTXSNV
    share: Proportion
    # QĐ 366 Điều 11 1.4: a unit with outstanding results, by the competent level's
    # decision, up to this share instead (the input says the decision was made).
    outstanding_share: Proportion | None = None
    base: Literal["exactly", "at_or_above"] = "exactly"
    base_level: LevelField = Level.HTTNV
    floor: Floor | None = None
    small_unit: SmallUnit | None = None
    scope: list[Literal["cell", "committee", "group"]] = ["cell"]


class Collectives(Setting):
    """HD 43-HD/BTCTW 7.4: a leadership collective of fewer than `min_members` is reviewed
    with the committee of its agency or a body of comparable function."""

    min_members: int = Field(default=3, ge=1)


class Meeting(Setting):
    length_days: Share = Fraction(1)
    length_days_with_suggestions: Share = Fraction(3, 2)
    # Mẫu 01 reaches the participants this many working days before the meeting
    # (000 §1.4.1a, 002 §4.1, 003 §4.1.1 all say 3).
    report_lead_working_days: int = Field(default=3, ge=0)


class FeedbackKindRule(BaseModel):
    """One kind of written comment as a plan words it; unset keys keep the defaults of
    kiemdiem/feedback/requirements.yaml (the rules package only carries them)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    enabled: bool | None = None
    label: str | None = None
    form: str | None = None
    requested_by: Literal["cell", "committee"] | None = None
    source: Cited | None = None
    categories: list[str] | None = None
    collective_kinds: list[str] | None = None
    ranks: list[str] | None = None
    min_months: int | None = None
    skip_same_cell: bool | None = None


class Feedback(Setting):
    """Which comments a member's classification waits for (domain.md §3): residence
    (Mẫu 03), workplace, mass organizations, temporary and former cell."""

    kinds: dict[
        Literal["residence", "workplace", "mass_org", "temporary_cell", "former_cell"],
        FeedbackKindRule,
    ] = {}
    skip: list[Literal["exempt", "suspended", "new"]] | None = None
    due_deliverable: str | None = None


class UnitRatings(Setting):
    """How a plan rates cells, collectives and other units (issue 6 §3): which scheme of
    kiemdiem/grading/ratings.yaml applies to each kind of unit (its levels and caps, each
    with its source) and which score sheet a unit fills in. The rules package only carries
    the choice; unset kinds keep the defaults of that file."""

    schemes: dict[Literal["organization", "collective", "mass_unit", "government_unit"], str] = {}
    sheets: dict[Literal["organization", "collective"], str] = {}


class SizeBand(BaseModel):
    """From this many members of the base organization (inclusive) up to the next band's
    start, at most `limit` are rewarded: 001 §3.2's "dưới 100 → 1, từ 100-500 → 3, trên 500
    → 5" is the bands from 0, 100 and 501."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    from_members: int = Field(ge=0)
    limit: int = Field(ge=0)


class StreakReward(Setting):
    """A reward for holding a level several years running (001 §3.1, §3.2): who qualifies
    (`subject` at `level` for `years` years ending in the reviewed year), the award, and the
    quota at `scope` — each grassroots organization, or the superior over its subtree —
    fixed (`limit`) or by the base organization's size (`by_size`)."""

    id: str
    subject: Literal["member", "cell", "grassroots"]
    level: str
    years: int = Field(default=5, ge=1)
    award: str
    scope: Literal["grassroots", "superior"]
    limit: int | None = Field(default=None, ge=0)
    by_size: list[SizeBand] = []

    @model_validator(mode="after")
    def _one_quota(self) -> StreakReward:
        if (self.limit is None) == (not self.by_size):
            raise ValueError("ghi đúng một trong hai: limit (cố định) hoặc by_size (theo quy mô)")
        starts = [b.from_members for b in self.by_size]
        if starts and (starts[0] != 0 or starts != sorted(set(starts))):
            raise ValueError("các mốc by_size phải bắt đầu từ 0 và tăng dần, không trùng")
        return self


class ExemplaryShare(Setting):
    """Members HTXSNV "tiêu biểu" a cell proposes for reward: at most `share` of those at
    `base_level` (or above), a small cell at most `small_unit.limit` (001 §II.2.3)."""

    level: LevelField = Level.HTXSNV
    share: Proportion
    base: Literal["exactly", "at_or_above"] = "at_or_above"
    base_level: LevelField = Level.HTTNV
    small_unit: SmallUnit | None = None


class Rewards(Setting):
    """Rewards proposed from several years of results (domain.md §5). Unset: the plan
    leaves rewards to a regulation the seed does not quote, and no quota is applied."""

    exemplary: ExemplaryShare | None = None
    streaks: list[StreakReward] = []


class RuleProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    source: Cited
    inherits: str | None = None
    form_variant: str = "02"
    eligibility: Eligibility
    voters: Voters
    ballot: Ballot
    caps: Caps = Caps()
    quotas: list[Quota] = []
    meeting: Meeting | None = None
    # Unset in snapshots taken before issue 12 §5: no quorum is checked for those cycles.
    quorum: Quorum | None = None
    collectives: Collectives | None = None
    feedback: Feedback | None = None
    unit_ratings: UnitRatings | None = None
    rewards: Rewards | None = None

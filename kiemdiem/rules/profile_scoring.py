"""QĐ 366-QĐ/TW's 100-point scoring as profile settings: the annexed frameworks, the score
bands and Điều 11's task and conduct conditions, each with its source."""

from __future__ import annotations

from fractions import Fraction
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

from kiemdiem.rules.setting import Proportion, Setting, Share


class Framework(BaseModel):
    """One of QĐ 366's annexed criteria frameworks: its points and whether HTXSNV also needs
    a share of tasks exceeded (leaders and collectives)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    common_points: int = 30
    task_points: int = 70
    exceeded_required: bool = False
    # Điều 11 words its leaders' conditions for "cá nhân giữ chức vụ lãnh đạo, quản lý và
    # cán bộ diện Trung ương quản lý": those frameworks' members are leaders here.
    leader: bool = False


# Lightest first: the party's forms (khiển trách … khai trừ) and the state's between them.
DisciplineForm = Literal[
    "khien_trach", "canh_cao", "ha_bac_luong", "giang_chuc", "cach_chuc", "buoc_thoi_viec",
    "khai_tru",
]  # fmt: skip
DISCIPLINE_FORMS: tuple[str, ...] = get_args(DisciplineForm)


class Condition(Setting):
    """One condition of QĐ 366 Điều 11 with its source: a share (`op` `share`) of the tasks,
    the units led or the ballots, for `who` (everyone, those with a leadership post, or
    those without)."""

    enabled: bool = True
    who: Literal["all", "leader", "member"] = "all"
    op: Literal[">=", ">", "<", "<="] = ">="
    share: Proportion = Fraction(0)

    def holds(self, part: int, whole: int) -> bool:
        left, right = part * self.share.denominator, self.share.numerator * whole
        if self.op == ">=":
            return left >= right
        if self.op == ">":
            return left > right
        if self.op == "<":
            return left < right
        return left <= right

    def applies(self, leader: bool) -> bool:
        return self.enabled and (self.who == "all" or (self.who == "leader") == leader)


class Conditions(BaseModel):
    """QĐ 366 Điều 11's task and conduct conditions on top of the score bands; unset ones
    do not apply. A level needs its band and its conditions, else the next one down."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    htxsnv_exceeded: Condition | None = None  # >= 30 % of tasks exceeded
    htxsnv_on_time: Condition | None = None  # 100 % done on time
    htxsnv_shortcomings_fixed: Condition | None = None  # earlier shortcomings all fixed
    httnv_on_time: Condition | None = None  # 100 % done on time
    htnv_done: Condition | None = None  # 100 % done
    htnv_late: Condition | None = None  # late at most 20 %
    khtnv_not_done: Condition | None = None  # > 50 % not done (no post)
    khtnv_plan_done: Condition | None = None  # < 70 % of the plan done (leaders)
    khtnv_units: Condition | None = None  # > 50 % of units led rated KHTNV (leaders)
    khtnv_low_confidence: Condition | None = None  # > 50 % low-confidence ballots (leaders)
    khtnv_degraded: Condition | None = None  # suy thoái


class Scoring(Setting):
    """QĐ 366: a score out of 100; the level the score supports caps the vote."""

    enabled: bool = True
    htxsnv_from: Share = Fraction(90)
    httnv_from: Share = Fraction(70)
    htnv_from: Share = Fraction(50)
    exceeded_share_for_leaders: Share = Fraction(3, 10)
    # The annexed frameworks by id; a member names theirs, or is a leader or not.
    frameworks: dict[str, Framework] = {}
    leader_framework: str = "lanh_dao_quan_ly"
    member_framework: str = "khong_giu_chuc_vu"
    conditions: Conditions = Conditions()

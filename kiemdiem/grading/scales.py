"""Unit ratings as data (issue 6 §3; design.md principle 1): the scales (4 levels, the 5
levels of 001 §C.2, the TSVM titles of 001 §3.1), the schemes that put caps on them, and
the score sheets (bảng điểm). All read from YAML in data/, each number with its source; a
plan picks its schemes and sheets in its profile (`unit_ratings`). Pure Python: no
database, so the checks are cheap and testable alone."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from kiemdiem.rules.profile import Cited, RuleProfile, Share

DATA = Path(__file__).parent / "data"
KINDS = ("organization", "collective", "mass_unit", "government_unit")
SHEET_KINDS = ("organization", "collective")


class DataError(ValueError):
    pass


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool | float):
        raise ValueError('viết điểm dạng số nguyên hoặc chuỗi (ví dụ "7.5")')
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"“{value}” không phải là số điểm") from None


Points = Annotated[Decimal, BeforeValidator(_decimal)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScaleLevel(_Model):
    code: str
    name: str


class Scale(_Model):
    name: str
    source: Cited
    levels: list[ScaleLevel]

    @property
    def codes(self) -> list[str]:
        return [lv.code for lv in self.levels]

    def rank(self, code: str) -> int:
        """Higher is better: the top level has the largest rank."""
        return len(self.levels) - self.codes.index(code)

    def name_of(self, code: str) -> str:
        return next((lv.name for lv in self.levels if lv.code == code), code)

    def below(self, code: str) -> str:
        i = self.codes.index(code)
        return self.codes[min(i + 1, len(self.codes) - 1)]


class Floor(_Model):
    when_base_below: int
    allow: int


class Cap(_Model):
    level: str
    share: Share
    base: Literal["rated"] | list[str]
    at_or_above: bool = False
    floor: Floor | None = None
    source: Cited
    quote: str = ""


class Scheme(_Model):
    name: str
    scale: str
    source: Cited
    caps: list[Cap] = []


class Criterion(_Model):
    code: str
    title: str
    max: Points


class Section(_Model):
    title: str
    source: Cited = ""
    criteria: list[Criterion]


class Band(_Model):
    level: str
    from_: Points = Field(alias="from")


class Bands(_Model):
    source: Cited
    levels: list[Band]


class Sheet(_Model):
    id: str
    name: str
    source: Cited
    scale: str
    sections: list[Section]
    bands: Bands

    @property
    def criteria(self) -> list[Criterion]:
        return [c for s in self.sections for c in s.criteria]

    @property
    def maximum(self) -> Decimal:
        return sum((c.max for c in self.criteria), Decimal(0))

    def level_for(self, total: Decimal) -> str:
        for band in self.bands.levels:
            if total >= band.from_:
                return band.level
        return self.bands.levels[-1].level


class Defaults(_Model):
    schemes: dict[str, str]
    sheets: dict[str, str]


class Ratings(_Model):
    scales: dict[str, Scale]
    schemes: dict[str, Scheme]
    defaults: Defaults


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"Không đọc được tệp {path.name}: {exc}") from None
    if not isinstance(data, dict):
        raise DataError(f"Tệp {path.name} phải là một bảng các mục (mapping).")
    return data


def _where(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return ".".join(str(p) for p in first["loc"]) + f": {first['msg']}"


@lru_cache(maxsize=1)
def ratings() -> Ratings:
    """ratings.yaml, checked: every scheme's scale exists and every level it names is on it."""
    try:
        data = Ratings.model_validate(_read(DATA / "ratings.yaml"))
    except ValidationError as exc:
        raise DataError(f"Tệp ratings.yaml, mục {_where(exc)}") from None
    for sid, scheme in data.schemes.items():
        scale = data.scales.get(scheme.scale)
        if scale is None:
            raise DataError(f"ratings.yaml: phương án {sid} dùng thang “{scheme.scale}” không có.")
        for cap in scheme.caps:
            named = [cap.level] + ([] if cap.base == "rated" else list(cap.base))
            for code in named:
                if code not in scale.codes:
                    raise DataError(
                        f"ratings.yaml: phương án {sid}: mức “{code}” không có trong thang."
                    )
    for kind, sid in data.defaults.schemes.items():
        if sid not in data.schemes:
            raise DataError(f"ratings.yaml: mặc định {kind} dùng phương án “{sid}” không có.")
    return data


@lru_cache(maxsize=32)
def sheet(sheet_id: str) -> Sheet:
    path = DATA / "sheets" / f"{sheet_id}.yaml"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in (DATA / "sheets").glob("*.yaml")))
        raise DataError(f"Không có mẫu bảng điểm “{sheet_id}” (có: {known}).")
    try:
        s = Sheet.model_validate(_read(path))
    except ValidationError as exc:
        raise DataError(f"Tệp {path.name}, mục {_where(exc)}") from None
    scale = ratings().scales.get(s.scale)
    if scale is None:
        raise DataError(f"{path.name}: thang “{s.scale}” không có.")
    for band in s.bands.levels:
        if band.level not in scale.codes:
            raise DataError(f"{path.name}: mức “{band.level}” không có trong thang {s.scale}.")
    froms = [b.from_ for b in s.bands.levels]
    if froms != sorted(froms, reverse=True):
        raise DataError(f"{path.name}: các mốc điểm phải xếp từ cao xuống thấp.")
    codes = [c.code for c in s.criteria]
    if len(codes) != len(set(codes)):
        raise DataError(f"{path.name}: mã tiêu chí bị trùng.")
    return s


def _chosen(profile: RuleProfile, kind: str, field: str) -> str:
    own = profile.unit_ratings
    chosen = getattr(own, field).get(kind) if own is not None else None
    return chosen or getattr(ratings().defaults, field)[kind]


def scheme_for(profile: RuleProfile, kind: str) -> tuple[Scheme, Scale]:
    sid = _chosen(profile, kind, "schemes")
    scheme = ratings().schemes.get(sid)
    if scheme is None:
        raise DataError(f"Bộ quy tắc {profile.id} chọn phương án xếp loại “{sid}” không có.")
    return scheme, ratings().scales[scheme.scale]


def sheet_for(profile: RuleProfile, kind: str) -> Sheet | None:
    if kind not in SHEET_KINDS:
        return None
    return sheet(_chosen(profile, kind, "sheets"))


class CapStatus(_Model):
    level: str
    level_name: str
    allowed: int
    used: int
    base: int
    share: str
    base_label: str
    source: str
    quote: str = ""
    over: list[str] = []

    @property
    def breach(self) -> bool:
        return self.used > self.allowed


def _qualifies(scale: Scale, cap: Cap, code: str | None) -> bool:
    if code is None:
        return False
    return code == cap.level or (cap.at_or_above and scale.rank(code) >= scale.rank(cap.level))


def _share_text(share: Fraction) -> str:
    pct = share * 100
    return f"{pct.numerator // pct.denominator}%" if pct.denominator == 1 else f"{float(pct):.1f}%"


def _limit(cap: Cap, n: int, fixed: int, prefix: list[int], joins: bool) -> tuple[int, int]:
    """(allowed, base now) for `n` qualifying: the largest x with x <= share x base(x), where
    the first x keep the level (prefix[x] of them in the base) and the rest fall one level
    (into the base when `joins`); without a breach, what the base allows."""

    def base(x: int) -> int:
        return fixed + prefix[x] + (n - x if joins else 0)

    num, den = cap.share.numerator, cap.share.denominator
    limit = next((x for x in range(n, -1, -1) if x * den <= num * base(x)), 0)
    if cap.floor is not None and base(min(cap.floor.allow, n)) < cap.floor.when_base_below:
        limit = max(limit, min(cap.floor.allow, n))
    now = base(n)
    if limit >= n:
        limit = max(num * now // den, n)
        if cap.floor is not None and now < cap.floor.when_base_below:
            limit = max(limit, cap.floor.allow)
    return limit, now


def cap_status(
    scheme: Scheme, scale: Scale, levels: dict[str, str | None], ranking: dict[str, Any]
) -> list[CapStatus]:
    """Each cap over the units' standing levels (`levels`: unit key -> level code or None).
    The limit is the largest x with x <= share x base(x), where those beyond x fall one
    level (and may join the base), as the members' quota is computed; `ranking` orders
    those qualifying (a higher value first, e.g. the sheet's total)."""
    rated = {k: v for k, v in levels.items() if v is not None}
    out = []
    for cap in scheme.caps:
        qualifying = sorted(
            (k for k, v in rated.items() if _qualifies(scale, cap, v)),
            key=lambda k: (ranking.get(k, 0), k),
            reverse=True,
        )
        n = len(qualifying)
        fall = scale.below(cap.level)
        in_base: set[str] = set(scale.codes) if cap.base == "rated" else set(cap.base)
        chosen = set(qualifying)
        fixed = sum(1 for k, v in rated.items() if v in in_base and k not in chosen)
        prefix = [0]
        for k in qualifying:  # how many of the first x are in the base when they keep it
            prefix.append(prefix[-1] + (rated[k] in in_base))
        limit, now = _limit(cap, n, fixed, prefix, fall in in_base)
        label = (
            "số được xếp loại"
            if cap.base == "rated"
            else "số " + ", ".join(scale.name_of(c) for c in cap.base)
        )
        out.append(CapStatus(
            level=cap.level, level_name=scale.name_of(cap.level), allowed=limit, used=n,
            base=now, share=_share_text(cap.share), base_label=label, source=cap.source,
            quote=cap.quote, over=qualifying[limit:],
        ))  # fmt: skip
    return out

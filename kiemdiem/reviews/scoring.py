"""Exact arithmetic for the QĐ 366 100-point self-review: scores are decimal strings, never
floats, so 7.25 + 2.75 is exactly 10 (design.md principle 7)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

MAX_PLACES = 2  # a half or a quarter point is common on score sheets; finer is a typo


class ScoreError(ValueError):
    pass


def parse_score(raw: str, maximum: Decimal, title: str) -> Decimal:
    text = raw.strip().replace(",", ".")  # Vietnamese writes 7,5
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ScoreError(f"“{title}”: điểm phải là một số (ví dụ 7,5).") from exc
    if not value.is_finite() or value < 0 or value > maximum:
        raise ScoreError(f"“{title}”: điểm phải từ 0 đến {fmt(maximum)}.")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise ScoreError(f"“{title}”: điểm lấy tối đa 2 chữ số thập phân.")
    return value


def total(scores: dict[str, Any]) -> Decimal:
    return sum((Decimal(str(v)) for v in scores.values()), Decimal(0))


def fmt(value: Decimal | None) -> str:
    """7.50 → "7,5"; 10 → "10" (Vietnamese decimal comma)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def level_for_total(value: Decimal, snapshot: dict[str, Any]) -> str:
    """The level the total alone points to under the profile's thresholds (QĐ 366 Điều 11:
    ≥ 90, 70–< 90, 50–< 70, < 50). Only an indication: the task conditions and caps are the
    rule engine's, and people decide."""
    scoring = ((snapshot.get("caps") or {}).get("scoring")) or {}
    bands = (
        ("HTXSNV", scoring.get("htxsnv_from", 90)),
        ("HTTNV", scoring.get("httnv_from", 70)),
        ("HTNV", scoring.get("htnv_from", 50)),
    )
    for level, start in bands:
        if value >= Decimal(str(start)):
            return level
    return "KHTNV"

"""The building blocks of every profile setting: exact shares, levels, cited sources."""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, PlainSerializer

from kiemdiem.rules.levels import Level
from kiemdiem.rules.sources import readable


def _fraction(value: Any) -> Fraction:
    """Exact shares: "7/10", "70%", "2/3" or an integer. Floats are refused: 0.7 is not 7/10
    in binary, and a threshold must be exact."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (bool, float)):
        raise ValueError(
            "viết tỷ lệ dạng phân số (7/10) hoặc phần trăm (70%), không dùng số thập phân"
        )
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            if text.endswith("%"):
                return Fraction(text[:-1].strip()) / 100
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            pass
    raise ValueError(f"“{value}” không phải tỷ lệ hợp lệ (ví dụ 7/10 hoặc 70%)")


def _level(value: Any) -> Level:
    if isinstance(value, Level):
        return value
    if isinstance(value, str):
        return Level.parse(value)
    raise ValueError(f"“{value}” không phải mức xếp loại")


Share = Annotated[Fraction, BeforeValidator(_fraction), PlainSerializer(str, return_type=str)]
# A source as an office reads it: the profiles' maintainers' keys ("000 §1.4.3") become the
# document's number, issuer, date and section (kiemdiem.rules.sources), once, at load.
Cited = Annotated[str, AfterValidator(readable)]
LevelField = Annotated[
    Level, BeforeValidator(_level), PlainSerializer(lambda v: v.name, return_type=str)
]


class Setting(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    source: Cited
    quote: Cited = ""
    # Where the source is silent or only a summary was reachable: the profile's reading,
    # said in words (docs/rules.md lists them). "" : the setting states its source.
    reading: str = ""


def _proportion(value: Fraction) -> Fraction:
    if not 0 <= value <= 1:
        raise ValueError(f"tỷ lệ {value} phải từ 0 đến 1 (0% đến 100%)")
    return value


Proportion = Annotated[Share, AfterValidator(_proportion)]

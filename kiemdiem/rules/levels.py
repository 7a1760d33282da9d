"""The four quality levels, highest first: HTXSNV > HTTNV > HTNV > KHTNV."""

from __future__ import annotations

from enum import IntEnum


class Level(IntEnum):
    KHTNV = 1
    HTNV = 2
    HTTNV = 3
    HTXSNV = 4

    @property
    def label(self) -> str:
        return NAMES[self]

    @classmethod
    def parse(cls, text: str) -> Level:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"“{text}” không phải mức xếp loại (HTXSNV, HTTNV, HTNV, KHTNV)"
            ) from None


NAMES = {
    Level.HTXSNV: "Hoàn thành xuất sắc nhiệm vụ",
    Level.HTTNV: "Hoàn thành tốt nhiệm vụ",
    Level.HTNV: "Hoàn thành nhiệm vụ",
    Level.KHTNV: "Không hoàn thành nhiệm vụ",
}

DESCENDING = (Level.HTXSNV, Level.HTTNV, Level.HTNV, Level.KHTNV)

# Civil-servant (CCVC) ratings add "HTNV but limited capacity" between HTNV and KHTNV.
CCVC_LIMITED = "HTNV_HAN_CHE"

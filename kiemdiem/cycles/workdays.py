"""Working days in Vietnam: weekends and public holidays (Tết and the Hùng Kings' day move with
the lunar calendar, so they come from the maintained `holidays` library, not a hand-kept
table), adjusted by the days an office adds: compensatory days off, and Saturdays worked in
exchange (làm bù)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("VN", years=year, language="vi").items())


def public_holiday(day: dt.date) -> str | None:
    """The holiday's Vietnamese name, or None."""
    return _public_holidays(day.year).get(day)


@dataclass(frozen=True)
class Calendar:
    """A working-day calendar: the national one, plus an office's own exceptions."""

    days_off: frozenset[dt.date] = field(default_factory=frozenset)
    days_worked: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def with_exceptions(
        cls, days_off: Iterable[dt.date] = (), days_worked: Iterable[dt.date] = ()
    ) -> Calendar:
        return cls(frozenset(days_off), frozenset(days_worked))

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.days_worked:
            return True
        if day in self.days_off or day.weekday() >= 5:
            return False
        return public_holiday(day) is None

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days strictly after `start` and strictly before `end`: the full days
        between sending a paper and holding the meeting."""
        count, day = 0, start + dt.timedelta(days=1)
        while day < end:
            count += self.is_working_day(day)
            day += dt.timedelta(days=1)
        return count

    def subtract_working_days(self, end: dt.date, days: int) -> dt.date:
        """The latest date leaving `days` full working days before `end`."""
        day = end
        while self.working_days_between(day, end) < days:
            day -= dt.timedelta(days=1)
        return day

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        day, left = start, days
        while left > 0:
            day += dt.timedelta(days=1)
            left -= self.is_working_day(day)
        return day

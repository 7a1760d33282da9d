"""Working days (issue 4 §2): "gửi trước ít nhất 3 ngày làm việc" (000 §1.4.1a) needs
weekends, public holidays (Tết and the Hùng Kings' day move with the lunar calendar) and an
office's compensatory days."""

from __future__ import annotations

import datetime as dt

from kiemdiem.cycles.workdays import Calendar, public_holiday

D = dt.date
NATIONAL = Calendar()


def test_weekends_are_not_working_days() -> None:
    assert NATIONAL.is_working_day(D(2025, 11, 21))  # Friday
    assert not NATIONAL.is_working_day(D(2025, 11, 22))  # Saturday
    assert not NATIONAL.is_working_day(D(2025, 11, 23))  # Sunday


def test_tet_moves_with_the_lunar_calendar() -> None:
    """Tết Nguyên Đán: 29/01/2025 and 17/02/2026, found by the holidays library."""
    assert public_holiday(D(2025, 1, 29)) is not None
    assert public_holiday(D(2026, 2, 17)) is not None
    assert NATIONAL.is_working_day(D(2025, 2, 17))
    assert not NATIONAL.is_working_day(D(2026, 2, 18))


def test_hung_kings_day_and_fixed_holidays() -> None:
    assert not NATIONAL.is_working_day(D(2025, 4, 7))  # Giỗ Tổ Hùng Vương, 10/3 âm lịch
    assert not NATIONAL.is_working_day(D(2025, 9, 2))  # Quốc khánh
    assert not NATIONAL.is_working_day(D(2025, 4, 30))


def test_three_working_days_before_the_meeting() -> None:
    """000 §1.4.1a: the report reaches participants at least 3 working days before the
    meeting. Sent Thursday 20/11/2025 for a meeting on Tuesday 25/11: Fri, Mon between = 2."""
    assert NATIONAL.working_days_between(D(2025, 11, 20), D(2025, 11, 25)) == 2
    assert NATIONAL.working_days_between(D(2025, 11, 19), D(2025, 11, 25)) == 3
    assert NATIONAL.subtract_working_days(D(2025, 11, 25), 3) == D(2025, 11, 19)


def test_tet_week_counts_no_working_days() -> None:
    """A paper sent before Tết 2026 for a meeting right after it has few working days."""
    assert NATIONAL.working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 0


def test_office_days_off_and_days_worked() -> None:
    """An office adds a compensatory day off, and a Saturday worked in exchange."""
    cal = Calendar.with_exceptions(days_off=[D(2025, 11, 24)], days_worked=[D(2025, 11, 22)])
    assert not cal.is_working_day(D(2025, 11, 24))
    assert cal.is_working_day(D(2025, 11, 22))
    # Fri 21, Sat 22 (worked), Tue 25; Sun 23 and Mon 24 (day off) are not.
    assert cal.working_days_between(D(2025, 11, 20), D(2025, 11, 26)) == 3


def test_add_working_days_skips_holidays() -> None:
    assert NATIONAL.add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)

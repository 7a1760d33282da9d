"""A cell of the shared world made ready for its review meeting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from kiemdiem.meetings.models import Meeting
from kiemdiem.meetings.services import schedule_meeting
from kiemdiem.org.models import Member
from tests.builders import make_collective, make_cycle, make_member, make_position
from tests.conftest import World

VN = ZoneInfo("Asia/Ho_Chi_Minh")
AT = dt.datetime(2026, 11, 20, 7, 30, tzinfo=VN)


@dataclass
class Cell:
    cycle: Any
    committee: Any
    head: Member
    deputy: Member
    officer: Member  # a commune official (leader)
    people: dict[str, Member]


def ready_cell(world: World) -> Cell:
    """cell1 with a chi ủy (head, deputy), a commune official, and the world's an and binh;
    plus an exempt member and one temporarily attached from cell2."""
    cell1 = world.orgs["cell1"]
    cycle = make_cycle(world.orgs["commune"])
    committee = make_collective(cell1)
    head = make_member(cell1, "Phạm Thị Hà")
    deputy = make_member(cell1, "Nguyễn Thị Yến")
    officer = make_member(cell1, "Võ Văn Khánh")
    make_position(head, collective=committee, rank="head", title="Bí thư chi bộ")
    make_position(deputy, collective=committee, rank="deputy", title="Phó Bí thư chi bộ")
    ubnd = make_collective(world.orgs["commune"], "Lãnh đạo UBND xã A", kind="ubnd")
    make_position(officer, collective=ubnd, title="Phó Chủ tịch UBND xã")
    exempt = make_member(cell1, "Đỗ Văn Già", exempt_since=dt.date(2020, 1, 1))
    guest = make_member(
        world.orgs["cell2"],
        "Lê Văn Tạm",
        temporary_cell=cell1,
        temporary_since=dt.date(2026, 3, 1),
    )
    people = {"exempt": exempt, "guest": guest, **world.members}
    return Cell(cycle, committee, head, deputy, officer, people)


def schedule(world: World, cell: Cell, user: str = "secretary", **kw: Any) -> Meeting:
    meeting, _ = schedule_meeting(
        world.users[user], cell.cycle, world.orgs["cell1"], AT, place="Nhà văn hóa xóm 1", **kw
    )
    return meeting

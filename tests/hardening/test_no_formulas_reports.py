"""Issue 13 §1, read back per export: members and units named like formulas
(=HYPERLINK(...), =cmd|..., +, -, @, tab) come out of the tree report, the reward lists and
the progress workbook as string cells equal to the stored names — no formula anywhere."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kiemdiem.org.models import Member, Organization
from tests.conftest import World
from tests.cycles.test_progress import _setup as progress_setup
from tests.hardening.test_no_formulas import EVIL
from tests.history.fixtures import YEAR, five_years

pytestmark = pytest.mark.django_db


def _texts(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))  # not read-only: data_type is the cell's own
    cells = [c for ws in book.worksheets for r in ws.iter_rows() for c in r]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    return [c.value for c in cells if isinstance(c.value, str)]


def _poison(cell: Organization, members: list[Member]) -> set[str]:
    Organization.objects.filter(pk=cell.pk).update(name=EVIL[0])
    for m, name in zip(members, EVIL[1:], strict=False):
        Member.objects.filter(pk=m.pk).update(full_name=name)
    return {EVIL[0], *EVIL[1 : len(members) + 1]}


def test_report_and_reward_lists_keep_formula_names_as_text(world: World, client: Client) -> None:
    y = five_years(world)
    names = _poison(world.orgs["cell1"], list(y.cell1))
    client.force_login(world.users["clerk"])
    org = world.orgs["commune"].pk
    report = _texts(client.get(f"/to-chuc/{org}/bao-cao.xlsx?nam={YEAR}").content)
    assert EVIL[0] in report  # the unit's name, as text
    rewards = _texts(client.get(f"/to-chuc/{org}/khen-thuong.xlsx?nam={YEAR}").content)
    assert names & set(rewards), rewards[:20]  # the members listed, as text


@time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC))
def test_the_progress_workbook_keeps_formula_names_as_text(world: World, client: Any) -> None:
    cycle = progress_setup(world)
    Organization.objects.filter(pk=world.orgs["cell2"].pk).update(name=EVIL[1])
    client.force_login(world.users["clerk"])
    texts = _texts(client.get(reverse("progress_xlsx", args=[cycle.pk])).content)
    assert EVIL[1] in texts

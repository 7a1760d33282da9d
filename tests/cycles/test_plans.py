"""Plans (issue 4 §1): a committee office opens the year's cycle from a step template with a
frozen rule profile; a lower level inherits the steps and may only tighten deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from kiemdiem.audit.models import AuditEntry
from kiemdiem.cycles.models import Cycle
from kiemdiem.cycles.services import change_step_window, open_child_cycle, open_cycle
from kiemdiem.rules import profile_from_dict
from tests.conftest import World

pytestmark = pytest.mark.django_db
D = dt.date


def _open(world: World, user: str = "clerk") -> Cycle:
    return open_cycle(
        world.users[user],
        world.orgs["commune"],
        year=2023,
        title="Kế hoạch kiểm điểm năm 2023",
        number_symbol="44-KH/ĐU",
        issued_on=D(2023, 11, 2),
        profile_id="thanhlien-2023",
        template_id="thanhlien-2023",
    )


def test_open_cycle_with_template_steps_and_frozen_profile(world: World) -> None:
    """000 §II.3: six steps from 31/10 to 05/12; the profile is stored as a snapshot."""
    cycle = _open(world)
    steps = list(cycle.steps.order_by("order"))
    assert [s.order for s in steps] == [1, 2, 3, 4, 5, 6]
    assert steps[0].starts_on == D(2023, 10, 31) and steps[-1].ends_on == D(2023, 12, 5)
    profile = profile_from_dict(cycle.profile_snapshot)
    assert profile.id == "thanhlien-2023"
    assert profile.ballot.denominator == "voters_present"
    assert AuditEntry.objects.filter(action="open_cycle", object_id=str(cycle.pk)).exists()


def test_one_plan_per_organization_and_year(world: World) -> None:
    _open(world)
    with pytest.raises(ValidationError, match="đã có kế hoạch kiểm điểm năm 2023"):
        _open(world)


def test_only_the_office_of_that_subtree_opens_a_plan(world: World) -> None:
    with pytest.raises(PermissionDenied):
        _open(world, "outsider")
    with pytest.raises(PermissionDenied):
        _open(world, "member")


def test_lower_level_inherits_and_may_only_tighten(world: World) -> None:
    """000 §1.4.5 "Các chi bộ: hoàn thành kiểm điểm ... trước ngày 20/11" inside the
    committee's "trước ngày 30/11"; 003 §V the party groups before the cell: a lower level's
    plan inherits the superior's steps; a later deadline is a clear error, an earlier one is
    accepted (issue 4 §1)."""
    parent = _open(world)
    child = open_child_cycle(
        world.users["clerk"],
        parent,
        world.orgs["cell1"],
        title="Kế hoạch của Chi bộ xóm 1",
        number_symbol="05-KH/CB",
        issued_on=D(2023, 11, 3),
    )
    assert child.profile_snapshot == parent.profile_snapshot
    meeting = child.steps.get(code="hop-chi-bo")
    assert meeting.parent_step is not None and meeting.ends_on == D(2023, 11, 25)
    change_step_window(world.users["secretary"], meeting, D(2023, 11, 19), D(2023, 11, 22))
    meeting.refresh_from_db()
    assert meeting.ends_on == D(2023, 11, 22)
    with pytest.raises(ValidationError, match="chỉ được rút ngắn"):
        change_step_window(world.users["secretary"], meeting, D(2023, 11, 19), D(2023, 11, 27))
    meeting.refresh_from_db()
    assert meeting.ends_on == D(2023, 11, 22)


def test_child_must_be_inside_the_parent(world: World) -> None:
    parent = _open(world)
    with pytest.raises((ValidationError, PermissionDenied)):
        open_child_cycle(world.users["admin"], parent, world.orgs["other"], title="x",
                         number_symbol="x", issued_on=D(2023, 11, 3))  # fmt: skip


def test_plan_pages(world: World) -> None:
    client = Client()
    client.force_login(world.users["clerk"])
    response = client.post(
        reverse("cycle_open"),
        {
            "organization": world.orgs["commune"].pk,
            "year": 2023,
            "title": "Kế hoạch kiểm điểm năm 2023",
            "number_symbol": "44-KH/ĐU",
            "issued_on": "2023-11-02",
            "profile_id": "thanhlien-2023",
            "template_id": "thanhlien-2023",
        },
    )
    cycle = Cycle.objects.get()
    assert response.url == reverse("cycle_detail", args=[cycle.pk])
    page = client.get(response.url).content.decode()
    assert "44-KH/ĐU" in page and "Chi bộ họp kiểm điểm" in page
    bad = client.post(reverse("cycle_open"), {"organization": world.orgs["commune"].pk})
    assert "This field is required" not in bad.content.decode()
    assert Cycle.objects.count() == 1
    outsider = Client()
    outsider.force_login(world.users["outsider"])
    assert outsider.get(reverse("cycle_detail", args=[cycle.pk])).status_code == 404

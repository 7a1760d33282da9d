"""A member's record shows their posts, in a collective or an organization (domain.md §1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from kiemdiem.org.models import Collective, Position
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_positions_in_collectives_and_organizations(world: World) -> None:
    an = world.members["an"]
    ubnd = Collective.objects.create(
        organization=world.orgs["commune"], kind="ubnd", name="Lãnh đạo UBND xã A"
    )
    Position.objects.create(
        member=an, title="Chủ tịch UBND xã", collective=ubnd, rank="head", is_leader=True,
        start_on=dt.date(2021, 7, 1),
    )  # fmt: skip
    Position.objects.create(
        member=an, title="Bí thư chi bộ", organization=world.orgs["cell1"], rank="head",
        start_on=dt.date(2020, 10, 1), end_on=dt.date(2025, 10, 1),
    )  # fmt: skip
    client = Client()
    client.force_login(world.users["member"])
    page = client.get(reverse("member_detail", args=[an.pk])).content.decode()
    assert "Chủ tịch UBND xã" in page and "Lãnh đạo UBND xã A" in page
    assert "Bí thư chi bộ" in page and "Chi bộ xóm 1" in page

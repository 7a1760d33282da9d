"""Lists: limit/offset with the total, the web's filters, and a fixed number of queries
however many rows there are (design.md "Scale": no per-row queries)."""

from __future__ import annotations

from typing import Any

import pytest

from kiemdiem.api.common import MAX_LIMIT
from kiemdiem.org.choices import Category
from tests.api.conftest import Api, ApiWorld
from tests.builders import make_member

# Every token request first asks axes whether its address is locked out (issue 13 §2).
LOCKOUT_CHECK = 1

pytestmark = pytest.mark.django_db


def _more_members(aw: ApiWorld, n: int) -> None:
    for i in range(n):
        make_member(aw.w.orgs["cell1"], f"Hoàng Văn Thêm {i:03d}", category=Category.WORKER)


def test_limit_offset_and_total(aw: ApiWorld) -> None:
    _more_members(aw, 30)
    api = aw.api("secretary")
    everyone = [r["code"] for r in api.get("/members", limit=MAX_LIMIT).json()["items"]]
    assert len(everyone) == 32
    first = api.get("/members", limit=10).json()
    second = api.get("/members", limit=10, offset=10).json()
    last = api.get("/members", limit=10, offset=30).json()
    beyond = api.get("/members", limit=10, offset=40).json()
    assert (first["total"], first["limit"], first["offset"]) == (32, 10, 0)
    assert [r["code"] for r in first["items"] + second["items"]] == everyone[:20]
    assert [r["code"] for r in last["items"]] == everyone[30:]
    assert beyond["items"] == [] and beyond["total"] == 32


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"limit": MAX_LIMIT + 1}, "limit", f"Phải nhỏ hơn hoặc bằng {MAX_LIMIT}."),
        ({"limit": 0}, "limit", "Phải lớn hơn hoặc bằng 1."),
        ({"offset": -1}, "offset", "Phải lớn hơn hoặc bằng 0."),
        ({"limit": "mười"}, "limit", "Phải là số nguyên."),
        ({"status": "la"}, "status", "Phải là một trong:"),
    ],
)
def test_bad_paging_or_filters_are_422_in_vietnamese(
    aw: ApiWorld, params: dict[str, Any], field: str, message: str
) -> None:
    response = aw.api("secretary").get("/members", **params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Dữ liệu gửi lên không hợp lệ."
    assert body["errors"][0]["field"] == field
    assert body["errors"][0]["message"].startswith(message)


def test_member_filters_are_the_web_member_lists(aw: ApiWorld) -> None:
    """Search without diacritics, by code, category, status (as /to-chuc/…/dang-vien/)."""
    _more_members(aw, 3)
    api, m = aw.api("clerk"), aw.w.members
    names = lambda **p: sorted(r["full_name"] for r in api.get("/members", **p).json()["items"])  # noqa: E731
    assert names(q="tran thi binh") == ["Trần Thị Bình"]
    assert names(q=m["cuong"].code) == ["Lê Văn Cường"]
    assert len(names(category="worker")) == 3
    assert names(organization=aw.w.orgs["cell2"].pk) == ["Lê Văn Cường"]
    m["an"].official_on = None
    m["an"].save()
    assert names(status="du_bi") == ["Nguyễn Văn An"]


def _count_queries(django_assert_max_num_queries: Any, api: Api, path: str, n: int) -> Any:
    with django_assert_max_num_queries(n + LOCKOUT_CHECK):
        response = api.get(path, limit=MAX_LIMIT)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(
    ("path", "bound"),
    [
        ("/members", 6),
        ("/organizations", 6),
        ("/cycles", 6),
        ("/meetings", 6),
        ("/feedback", 6),
        ("/cycles/{cycle}/subjects", 7),
        ("/cycles/{cycle}/cells/{cell1}/self-reviews", 10),
    ],
)
def test_lists_take_a_fixed_number_of_queries(
    aw: ApiWorld, django_assert_max_num_queries: Any, path: str, bound: int
) -> None:
    """The same bound with 2 members as with 150: token (1), roles (1), own record (1), the
    page and its total, and for a cell's papers the plan, the cell and the page's papers."""
    path = path.format(cycle=aw.cycle.pk, cell1=aw.w.orgs["cell1"].pk)
    api = aw.api("clerk")
    small = _count_queries(django_assert_max_num_queries, api, path, bound)
    _more_members(aw, 150)
    if "subjects" in path:
        from kiemdiem.cycles import subjects

        subjects.rebuild(aw.w.users["clerk"], aw.cycle)
    big = _count_queries(django_assert_max_num_queries, api, path, bound)
    if path in ("/members",) or "subjects" in path or "self-reviews" in path:
        assert big["total"] >= small["total"] + 150


@pytest.mark.parametrize(
    ("path", "bound"),
    [
        ("/organizations/{commune}", 8),
        ("/meetings/{meeting}", 6),
        ("/cycles/{cycle}", 6),
        ("/members/{an}", 6),
        ("/feedback/{feedback}", 5),
        ("/self-reviews/{review}", 5),
    ],
)
def test_details_take_a_fixed_number_of_queries(
    aw: ApiWorld, django_assert_max_num_queries: Any, path: str, bound: int
) -> None:
    """Including the token's first-use write; the meeting's agenda and attendance, the
    organization's children and their counts come in one query each."""
    _more_members(aw, 60)
    path = path.format(
        commune=aw.w.orgs["commune"].pk, meeting=aw.meeting.pk, cycle=aw.cycle.pk,
        an=aw.w.members["an"].pk, feedback=aw.feedback.pk, review=aw.review.pk,
    )  # fmt: skip
    with django_assert_max_num_queries(bound + LOCKOUT_CHECK):
        response = aw.api("clerk").get(path)
    assert response.status_code == 200, response.content


def test_organization_tree_counts_its_subtrees(aw: ApiWorld) -> None:
    body = aw.api("clerk").get(f"/organizations/{aw.w.orgs['commune'].pk}").json()
    assert body["members"] == 3
    children = {c["name"]: c["members"] for c in body["children"]}
    assert children == {"Chi bộ xóm 1": 2, "Chi bộ xóm 2": 1}
    status = {s["key"]: s["count"] for s in body["status"]}
    assert status["total"] == 3 and status["official"] == 3

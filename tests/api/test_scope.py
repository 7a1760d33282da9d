"""Scope (issue 5 §6: "scoped like the web"; issue 2 §5: nobody sees outside their subtree).

The API answers each persona exactly as the web page for the same object does — compared
live, page by page, so a change to either side shows up here — and lists hold only what the
persona's pages would show."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.conftest import PERSONAS, Api, ApiWorld
from tests.builders import Role, grant, make_user

pytestmark = pytest.mark.django_db

ALL = ["anonymous", *PERSONAS, "secretary2"]
# What the web says -> what the API says: a page sends the anonymous to log in, the API 401s.
WEB_TO_API = {200: 200, 302: 401, 404: 404}


def _pairs(aw: ApiWorld) -> list[tuple[str, str, str]]:
    """(label, web url, api path) for the same object."""
    o, m = aw.w.orgs, aw.w.members
    pairs = []
    for name in ["province", "commune", "cell1", "cell2", "other"]:
        pairs.append((f"org {name}", reverse("organization", args=[o[name].pk]),
                      f"/organizations/{o[name].pk}"))  # fmt: skip
        pairs.append((f"members of {name}", reverse("member_list", args=[o[name].pk]),
                      f"/members?organization={o[name].pk}"))  # fmt: skip
    for name in ["an", "binh", "cuong", "dung"]:
        pairs.append((f"member {name}", reverse("member_detail", args=[m[name].pk]),
                      f"/members/{m[name].pk}"))  # fmt: skip
    c = aw.cycle.pk
    pairs += [
        ("cycle", reverse("cycle_detail", args=[c]), f"/cycles/{c}"),
        ("subjects", reverse("subject_list", args=[c]), f"/cycles/{c}/subjects"),
        ("cell 1 self-reviews", reverse("review_cell", args=[c, o["cell1"].pk]),
         f"/cycles/{c}/cells/{o['cell1'].pk}/self-reviews"),
        ("cell 2 self-reviews", reverse("review_cell", args=[c, o["cell2"].pk]),
         f"/cycles/{c}/cells/{o['cell2'].pk}/self-reviews"),
        ("Bình's self-review", reverse("review_editor", args=[c, m["binh"].pk]),
         f"/self-reviews/{aw.review.pk}"),
        ("comment request", reverse("feedback_detail", args=[aw.feedback.pk]),
         f"/feedback/{aw.feedback.pk}"),
        ("meeting", reverse("meeting_detail", args=[aw.meeting.pk]), f"/meetings/{aw.meeting.pk}"),
    ]  # fmt: skip
    return pairs


@pytest.mark.parametrize("persona", ALL)
def test_every_object_answers_as_its_web_page(aw: ApiWorld, persona: str) -> None:
    web = Client()
    if persona != "anonymous":
        web.force_login(aw.w.users[persona])
    api = Api(None if persona == "anonymous" else aw.tokens[persona])
    got, expected = {}, {}
    for label, web_url, api_path in _pairs(aw):
        path, _, query = api_path.partition("?")
        params = dict([query.split("=")]) if query else {}
        got[label] = api.get(path, **params).status_code
        expected[label] = WEB_TO_API[web.get(web_url).status_code]
    assert got == expected
    # Not a vacuous comparison: each persona reaches some objects, and not others.
    if persona not in ("anonymous", "admin", "superior"):
        assert 200 in got.values() and 404 in got.values()


def _ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


def test_a_cell_secretary_sees_only_their_subtree(aw: ApiWorld) -> None:
    api, o, m = aw.api("secretary"), aw.w.orgs, aw.w.members
    assert _ids(api.get("/organizations")) == {o["cell1"].pk, o["group"].pk}
    assert _ids(api.get("/members")) == {m["an"].pk, m["binh"].pk}
    assert api.get("/members", organization=o["commune"].pk).status_code == 404
    assert _ids(api.get("/meetings")) == {aw.meeting.pk}
    # The commune's plan is the one the cell implements: readable, as on the web.
    assert _ids(api.get("/cycles")) == {aw.cycle.pk}
    subjects = api.get(f"/cycles/{aw.cycle.pk}/subjects").json()["items"]
    assert {s["member"]["id"] for s in subjects} == {m["an"].pk, m["binh"].pk}


def test_an_outsider_sees_nothing_of_the_commune(aw: ApiWorld) -> None:
    api, o, m = aw.api("outsider"), aw.w.orgs, aw.w.members
    assert _ids(api.get("/organizations")) == {o["other"].pk}
    assert _ids(api.get("/members")) == {m["dung"].pk}
    for path in ["/cycles", "/meetings", "/feedback"]:
        assert _ids(api.get(path)) == set(), path
    for path in [f"/organizations/{o['commune'].pk}", f"/members/{m['an'].pk}",
                 f"/cycles/{aw.cycle.pk}", f"/self-reviews/{aw.review.pk}",
                 f"/feedback/{aw.feedback.pk}", f"/meetings/{aw.meeting.pk}"]:  # fmt: skip
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json()["detail"] == "Không tìm thấy, hoặc đồng chí không có quyền xem."


def test_a_member_sees_only_their_own_record_and_paper(aw: ApiWorld) -> None:
    api, m = aw.api("member"), aw.w.members
    members = api.get("/members").json()
    assert members["total"] == 1 and members["items"][0]["id"] == m["an"].pk
    assert api.get(f"/members/{m['binh'].pk}").status_code == 404
    assert _ids(api.get("/organizations")) == set()
    assert _ids(api.get("/feedback")) == set()
    # Bình's paper is not An's to read; An's own is, once written.
    assert api.get(f"/self-reviews/{aw.review.pk}").status_code == 404
    assert api.get(f"/cycles/{aw.cycle.pk}/self-review").status_code == 404
    own = api.put(f"/cycles/{aw.cycle.pk}/self-review", {"answers": {}}).json()
    assert own["member"]["id"] == m["an"].pk
    assert api.get(f"/self-reviews/{own['id']}").status_code == 200
    assert aw.api("secretary").get(f"/self-reviews/{own['id']}").status_code == 200
    assert aw.api("secretary2").get(f"/self-reviews/{own['id']}").status_code == 404


def test_a_comment_request_about_oneself_is_never_shown(aw: ApiWorld) -> None:
    """000 §1.4.1b: comments reach a member only through the cell's conclusions — even a
    member who is also their cell's secretary does not read the request about themselves."""
    binh_user = make_user("binh")
    binh = aw.w.members["binh"]
    binh.user = binh_user
    binh.save()
    grant(binh_user, Role.CELL_SECRETARY, aw.w.orgs["cell1"])
    token = __import__("kiemdiem.api.tokens", fromlist=["x"]).create_token(None, binh_user, "t")[1]
    api = Api(token)
    assert _ids(api.get("/feedback")) == set()
    assert api.get(f"/feedback/{aw.feedback.pk}").status_code == 404
    # The secretary of the same cell who is not Bình sees it (their side sent it).
    assert _ids(aw.api("secretary").get("/feedback")) == {aw.feedback.pk}
    # The addressed cell sees it in its inbox, and may answer it.
    inbox = aw.api("secretary2").get("/feedback", box="inbox").json()["items"]
    assert [r["id"] for r in inbox] == [aw.feedback.pk]
    assert aw.api("secretary2").get(f"/feedback/{aw.feedback.pk}").json()["can_answer"] is True
    assert _ids(aw.api("secretary").get("/feedback", box="inbox")) == set()

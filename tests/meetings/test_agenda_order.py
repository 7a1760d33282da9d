"""The order of a review meeting's agenda, as tables (pure: no database).

000 §1.4.3: "Kiểm điểm tập thể trước, cá nhân sau; Người đứng đầu trước, cấp phó và các thành
viên sau; cán bộ lãnh đạo, quản lý kiểm điểm trước, đảng viên kiểm điểm sau ... Những chi bộ có
tổ đảng thì có thể kiểm điểm đảng viên ở tổ đảng, sau đó tổ đảng báo cáo kết quả với chi bộ."
002 §4.2 says the same; 003 §II.2.2 and §V: members review in their party group, which reports.
"""

from __future__ import annotations

import pytest

from kiemdiem.meetings import agenda as a

T000 = a.get_template("thanhlien-2023")
T003 = a.get_template("bvphoi-2021")


def person(pk: int, name: str, **kw: object) -> a.Person:
    return a.Person(pk, name, **kw)  # type: ignore[arg-type]


COMMITTEE, COMMUNE, MASS = (T000.tier_rank([k]) for k in ("chi_uy", "ubnd", "hoi_phu_nu"))

PEOPLE = (
    person(1, "Trần Văn Bình"),
    person(2, "Nguyễn Thị Yến", is_deputy=True, role="Phó Bí thư"),
    person(3, "Lê Văn Sơn", tier=MASS, role="Chi hội trưởng Phụ nữ"),
    person(4, "Hoàng Văn An"),
    person(5, "Phạm Thị Hà", is_head=True, role="Bí thư chi bộ"),
    person(6, "Đỗ Văn Chung", tier=COMMITTEE, role="Chi ủy viên"),
    person(7, "Võ Văn Khánh", tier=COMMUNE, role="Phó Chủ tịch UBND xã"),
    person(8, "Nguyễn Văn Ánh"),
)


def cell_meeting(people: tuple[a.Person, ...] = PEOPLE, **kw: object) -> a.Agenda:
    data = a.MeetingInput(a.CELL, 2023, people, 99, "Chi ủy Chi bộ xóm 1", **kw)  # type: ignore[arg-type]
    return a.build_agenda(T000, data)


def reviewed(agenda: a.Agenda) -> list[int | None]:
    return [i.member_id for i in agenda.items if i.kind == a.INDIVIDUAL_REVIEW]


def test_000_standard_agenda_opening_and_closing_items_with_sources() -> None:
    """000, "Chương trình hội nghị kiểm điểm, tổng kết chi bộ": items 1–11 in order."""
    agenda = cell_meeting()
    fixed = [i for i in agenda.items if i.kind != a.INDIVIDUAL_REVIEW]
    assert [i.title for i in fixed] == [
        "Ổn định tổ chức – thông qua chương trình hội nghị",
        "Khai mạc, giới thiệu đại biểu",
        "Đọc báo cáo tổng kết, báo cáo kiểm điểm chi ủy — Chi ủy Chi bộ xóm 1",
        "Thảo luận",
        "Phát biểu chỉ đạo của đại biểu Đảng ủy",
        "Thông qua bảng chấm điểm và nhận loại chi bộ",
        "Bỏ phiếu xếp loại chi bộ",
        "Bỏ phiếu xếp loại đảng viên",
        "Thông qua tờ trình đăng ký thi đua năm 2024",  # item 10: next year's title
        "Tổng kết và bế mạc hội nghị",
    ]
    assert all(i.source.startswith("Kế hoạch số 44-KH/ĐU") for i in fixed)
    assert [i.kind for i in fixed[-4:]] == [a.VOTE, a.VOTE, a.REGISTRATION, a.CLOSING]


@pytest.mark.parametrize(
    ("rule", "earlier", "later"),
    [
        ("000 §1.4.3 tập thể trước, cá nhân sau", a.COLLECTIVE_REVIEW, a.INDIVIDUAL_REVIEW),
        ("000 agenda: individual reviews before the votes", a.INDIVIDUAL_REVIEW, a.VOTE),
        ("000 agenda: votes before registering next year's title", a.VOTE, a.REGISTRATION),
    ],
)
def test_kinds_in_order(rule: str, earlier: str, later: str) -> None:
    kinds = [i.kind for i in cell_meeting().items]
    last_earlier = max(i for i, k in enumerate(kinds) if k == earlier)
    first_later = min(i for i, k in enumerate(kinds) if k == later)
    assert last_earlier < first_later, rule


def test_000_individuals_head_deputies_leaders_in_agenda_order_then_members_by_name() -> None:
    """000 §1.4.3 (head, deputies, members; leaders before members) and 000 agenda item 6
    (chi ủy members, commune officials, mass-organization officials, ordinary members);
    ordinary members in Vietnamese name order: given name, then middle, then family name
    (An < Ánh < Bình)."""
    assert reviewed(cell_meeting()) == [5, 2, 6, 7, 3, 4, 8, 1]


@pytest.mark.parametrize(
    ("rule", "people", "expected"),
    [
        ("000 §1.4.3 head before deputy", (person(1, "A B", is_deputy=True),
                                            person(2, "C D", is_head=True)), [2, 1]),
        ("000 §1.4.3 deputy before members", (person(1, "Lê An"),
                                               person(2, "Lê Bình", is_deputy=True)), [2, 1]),
        ("000 §1.4.3 leaders before members", (person(1, "Lê An"),
                                                person(2, "Lê Xuân", tier=MASS)), [2, 1]),
        ("000 agenda: chi ủy before commune officials", (person(1, "Lê An", tier=COMMUNE),
                                                          person(2, "Lê Xuân", tier=COMMITTEE)),
         [2, 1]),
        ("Vietnamese order: given name first", (person(1, "Trần Văn Bình"),
                                                 person(2, "Vũ Thị An")), [2, 1]),
        ("Vietnamese order: Ch after C", (person(1, "Lê Chi"), person(2, "Lê Cúc")), [2, 1]),
    ],
)  # fmt: skip
def test_order_table(rule: str, people: tuple[a.Person, ...], expected: list[int]) -> None:
    assert reviewed(cell_meeting(people)) == expected, rule


def test_head_review_chaired_by_a_deputy() -> None:
    """000 §1.4.3 / 002 §4.2: "khi kiểm điểm người đứng đầu thì phân công một đồng chí cấp phó
    chủ trì"; no one else's item names a chair (the meeting's chair leads)."""
    agenda = cell_meeting()
    head_item = next(i for i in agenda.items if i.member_id == 5)
    assert head_item.chair_member_id == 2
    assert "cấp phó chủ trì" in head_item.source
    assert [i.chair_member_id for i in agenda.items if i.member_id != 5] == [None] * (
        len(agenda.items) - 1
    )
    assert agenda.warnings == []


def test_head_without_deputy_is_a_warning_not_a_refusal() -> None:
    agenda = cell_meeting((person(1, "Lê An", is_head=True), person(2, "Lê Bình")))
    assert reviewed(agenda) == [1, 2]
    assert len(agenda.warnings) == 1 and "cấp phó" in agenda.warnings[0]


def test_003_cell_with_groups_gets_group_reports_instead_of_their_members() -> None:
    """000 §1.4.3 and 003 §II.2.2, §V: members review in their party group, which reports to
    the cell; the chi ủy members are still reviewed at the cell."""
    people = (
        person(1, "Lê An", is_head=True),
        person(2, "Lê Bình", is_deputy=True),
        person(3, "Lê Chi", group_id=70),
        person(4, "Lê Dung", group_id=71),
        person(5, "Lê Hà"),  # in no group: reviewed at the cell
        person(6, "Lê Yên", tier=COMMITTEE, group_id=70),  # chi ủy: at the cell
    )
    groups = (a.GroupRef(71, "Tổ đảng số 2"), a.GroupRef(70, "Tổ đảng số 1"))
    agenda = cell_meeting(people, groups=groups)
    assert reviewed(agenda) == [1, 2, 6, 5]
    reports = [i for i in agenda.items if i.kind == a.GROUP_REPORT]
    assert [i.group_id for i in reports] == [70, 71]
    kinds = [i.kind for i in agenda.items]
    assert kinds.index(a.GROUP_REPORT) > max(
        i for i, k in enumerate(kinds) if k == a.INDIVIDUAL_REVIEW
    )


def test_003_group_meeting_reviews_its_members_then_reports() -> None:
    people = (person(3, "Lê Chi"), person(4, "Lê An"))
    agenda = a.build_agenda(T003, a.MeetingInput(a.GROUP, 2021, people))
    assert reviewed(agenda) == [4, 3]
    assert agenda.items[-1].kind == a.CLOSING and "Cấp ủy Chi bộ" in agenda.items[-1].title
    assert not any(i.kind == a.VOTE for i in agenda.items)  # the vote happens at the cell


def test_003_cell_agenda_has_rewards() -> None:
    """003 §V: the cell meeting elects its rewards ("bầu xét thi đua, khen thưởng năm 2021")."""
    agenda = a.build_agenda(T003, a.MeetingInput(a.CELL, 2021, PEOPLE))
    assert "Bầu xét thi đua, khen thưởng năm 2021" in [i.title for i in agenda.items]


def test_collective_meeting_collective_first_then_head_deputies_members() -> None:
    """002 §4.2 for a leadership collective: the collective, then head, deputies, members."""
    people = (person(1, "Lê An"), person(2, "Lê Bình", is_deputy=True),
              person(3, "Lê Chi", is_head=True), person(4, "Lê Anh", is_deputy=True))  # fmt: skip
    data = a.MeetingInput(a.COLLECTIVE, 2023, people, 5, "Lãnh đạo UBND xã")
    agenda = a.build_agenda(T000, data)
    kinds = [i.kind for i in agenda.items]
    assert kinds.index(a.COLLECTIVE_REVIEW) < kinds.index(a.INDIVIDUAL_REVIEW)
    assert reviewed(agenda) == [3, 4, 2, 1]
    assert agenda.items[kinds.index(a.INDIVIDUAL_REVIEW)].chair_member_id == 4  # Anh < Bình


@pytest.mark.parametrize(
    ("rule", "ranks", "n_warnings"),
    [
        ("in order", [None, 0, 1, 2, 10, 90, 90, None], 0),
        ("000 §1.4.3 individual before collective", [1, 0], 1),
        ("000 §1.4.3 deputy before head", [0, 2, 1, 90], 1),
        ("000 §1.4.3 ordinary member before a leader", [0, 1, 90, 10], 1),
    ],
)
def test_order_warnings(rule: str, ranks: list[int | None], n_warnings: int) -> None:
    items = [a.Ranked(f"mục {i}", r) for i, r in enumerate(ranks)]
    warnings = a.order_warnings(items)
    assert len(warnings) == n_warnings, rule
    assert all(
        "Kế hoạch số 44-KH/ĐU ngày 01/11/2023 của Đảng ủy xã Thanh Liên, mục 1.4.3" in w
        for w in warnings
    )


def test_every_seed_template_loads_and_unknown_falls_back_to_000() -> None:
    assert {"thanhlien-2023", "bvphoi-2021"} <= set(a.templates())
    assert a.get_template("no-such-plan").id == "thanhlien-2023"

"""A member writes their self-review on a 375 px phone: the 27-manifestation grid fits the
screen, the draft autosaves ("Đã lưu lúc hh:mm") without pressing anything, and it submits."""

from __future__ import annotations

from typing import Any

import pytest

from kiemdiem.reviews.models import ReviewStatus, SelfReview
from tests.conftest import World
from tests.e2e.conftest import login
from tests.reviews.helpers import cycle

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_writes_the_self_review_on_a_phone(
    browser: Any, live_server: Any, world: World, tmp_path: Any
) -> None:
    c = cycle(world.orgs["commune"])
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    login(page, live_server, "member", "x-pass-123")
    page.goto(f"{live_server.url}/ky/{c.pk}/tu-kiem-diem/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.fill("#s_pham_chat", "Giữ vững lập trường, tư tưởng chính trị")
    with page.expect_response(lambda r: r.url.endswith("/luu/"), timeout=20_000) as saved:
        for n in range(1, 28):
            page.click(f"label.rv-cell:has(input[name=m_{n}][value='1'])")
    assert saved.value.ok
    page.wait_for_selector("text=Đã lưu lúc")
    review = SelfReview.objects.get(cycle=c, member=world.members["an"])
    assert len(review.manifestations) == 27 and review.answers["pham_chat"]
    page.screenshot(path=str(tmp_path / "self-review-375.png"), full_page=False)
    for key in ("nhiem_vu_ngoai_he_thong", "cam_ket", "han_che", "phuong_huong"):
        page.fill(f"#s_{key}", "Nội dung")
    for key in ("tu_tuong", "dao_duc", "ky_luat", "tac_phong", "ket_qua"):
        page.click(f"label.rv-pill:has(input[name=c_{key}][value=tot])")
    for i, v in enumerate(["7", "7", "7", "5", "20", "20", "15"], start=1):
        page.fill(f"input[name=p_O{i}]", v)
    page.select_option("#self_level", "HTTNV")
    page.click("button:has-text('Nộp bản kiểm điểm')")
    page.wait_for_selector("text=Đã nộp bản kiểm điểm")
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED and str(review.self_total) == "81"
    context.close()

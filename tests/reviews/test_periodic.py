"""Mẫu 05 (Hướng dẫn số 43-HD/BTCTW ngày 31/10/2025): quarterly self-ratings recorded through
the year, by the member or the cell on the member's behalf, refused in Vietnamese when
incomplete, and shown on the cell's grading page beside the yearly score (QĐ 366 asks for
regular evaluation by concrete products)."""

from __future__ import annotations

from typing import Any

import pytest

from kiemdiem.reviews import formdefs
from kiemdiem.reviews.models import PeriodicRating, SelfReview
from kiemdiem.reviews.scoring import fmt
from tests.ballots.docx_text import all_text, open_docx, table_rows
from tests.conftest import World
from tests.grading.helpers import grading_cycle

pytestmark = pytest.mark.django_db


def _url(c: Any, m: Any) -> str:
    return f"/ky/{c.pk}/tu-kiem-diem/dang-vien/{m.pk}/hang-quy/"


def test_quarters_are_recorded_and_shown_beside_the_year(world: World, client: Any) -> None:
    c = grading_cycle(world.orgs["commune"], "qd366-2025")
    an = world.members["an"]
    client.force_login(world.users["member"])  # an's own account
    page = client.get(f"/ky/{c.pk}/tu-kiem-diem/dang-vien/{an.pk}/")
    assert "Tự đánh giá hằng quý (Mẫu 05)" in page.content.decode()
    good = {"score": "86,5", "level": "HTTNV", "products": "Hoàn thành 3 hồ sơ đúng hạn"}
    for q in (1, 2):
        r = client.post(_url(c, an), {"quarter": q, **good}, follow=True)
        assert f"Đã ghi tự đánh giá quý {q} (Mẫu 05)." in r.content.decode()
    # The same quarter again replaces it; no second row.
    client.post(_url(c, an), {"quarter": 2, **good, "score": "91", "level": "HTXSNV"})
    rows = list(PeriodicRating.objects.filter(cycle=c, member=an).order_by("quarter"))
    assert [(r.quarter, str(r.score), r.level) for r in rows] == [
        (1, "86.50", "HTTNV"), (2, "91.00", "HTXSNV")]  # fmt: skip

    # The paper (Mẫu 05) reads back the rows saved.
    review = SelfReview.objects.get(cycle=c, member=an)
    doc = open_docx(client.get(f"/tu-kiem-diem/{review.pk}/mau-05.docx").content)
    printed = [r[:3] for r in table_rows(doc.tables[1])[1:]]
    assert printed == [[f"Quý {r.quarter}", fmt(r.score), r.level] for r in rows]
    assert "Hướng dẫn số 43-HD/BTCTW ngày 31/10/2025 của Ban Tổ chức Trung ương, Mẫu 05" in (
        all_text(doc)
    )

    # Bad input: a clear Vietnamese message, nothing changed.
    bad = client.post(_url(c, an), {"quarter": 3, "score": "120", "level": "", "products": " "},
                      follow=True)  # fmt: skip
    text = bad.content.decode()
    assert "điểm phải từ 0 đến 100" in text and "Ghi sản phẩm, kết quả cụ thể" in text
    assert "Chọn mức tự xếp loại của quý." in text
    assert PeriodicRating.objects.filter(cycle=c, member=an).count() == 2

    # The cell's page shows them beside the yearly score the chi ủy vets.
    # (an's paper was started when an opened the page)
    ids = [x.id for x in formdefs.variant(review.variant).framework.criteria]  # type: ignore[union-attr]
    review.self_scores = {ids[0]: "8", ids[-1]: "80"}
    review.save()
    client.force_login(world.users["secretary"])
    cell = client.get(f"/ky/{c.pk}/xep-loai/chi-bo/{world.orgs['cell1'].pk}/").content.decode()
    assert "88/100" in cell and "Quý 1: 86,5 (HTTNV); Quý 2: 91 (HTXSNV)" in cell


def test_only_the_member_and_the_cell_record_quarters(world: World, client: Any) -> None:
    c = grading_cycle(world.orgs["commune"], "qd366-2025")
    an = world.members["an"]
    client.force_login(world.users["outsider"])  # a secretary of another cell
    r = client.post(_url(c, an), {"quarter": 1, "score": "80", "level": "HTTNV",
                                  "products": "x"})  # fmt: skip
    assert r.status_code == 403 and not PeriodicRating.objects.exists()
    client.force_login(world.users["secretary"])  # on the member's behalf
    client.post(_url(c, an), {"quarter": 1, "score": "80", "level": "HTTNV", "products": "x"})
    assert PeriodicRating.objects.get().entered_by == world.users["secretary"]

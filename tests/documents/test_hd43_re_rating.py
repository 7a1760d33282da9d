"""Mẫu 03 of Hướng dẫn số 43-HD/BTCTW ngày 31/10/2025: the decision to re-rate, printed from
the two append-only decisions (the annulled one and the one replacing it), offered on the
member's history page, refused for a decision that replaced nothing."""

from __future__ import annotations

from typing import Any

import pytest

from kiemdiem.documents.common import level_label
from kiemdiem.grading import deciding
from kiemdiem.grading.models import Decision, Grounds, Step
from tests.ballots.docx_text import all_text, open_docx
from tests.grading.test_decisions import decided  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_re_rating_decision_reads_back_both_acts(decided: Any, client: Any) -> None:  # noqa: F811
    w = decided
    an = w.members["an"]
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    first = Decision.objects.current().get(member=an, step=Step.DECIDE)
    client.force_login(w.users["clerk"])
    refused = client.get(f"/quyet-dinh/{first.pk}/mau-03.docx", follow=True)
    assert "không phải quyết định xếp loại lại" in refused.content.decode()
    new = deciding.annul(
        w.users["superior"], w.cycle, an, level="KHTNV", grounds=Grounds.ANNUL_VIOLATION,
        reason="Vi phạm từ năm 2025, bị kỷ luật khiển trách tháng 2/2027",
    )  # fmt: skip
    page = client.get(f"/ky/{w.cycle.pk}/xep-loai/dang-vien/{an.pk}/lich-su/").content.decode()
    assert f"/quyet-dinh/{new.pk}/mau-03.docx" in page
    r = client.get(f"/quyet-dinh/{new.pk}/mau-03.docx")
    assert r.status_code == 200
    text = all_text(open_docx(r.content))
    assert "Hướng dẫn số 43-HD/BTCTW ngày 31/10/2025 của Ban Tổ chức Trung ương, Mẫu 03" in text
    assert f"Hủy bỏ kết quả xếp loại {level_label(first.level)}" in text
    assert f"xếp loại lại: {level_label('KHTNV')}" in text
    assert new.reason in text and an.full_name in text
    assert new.body.name.upper() in text  # issued by the body that decided it
    client.force_login(w.users["outsider"])
    assert client.get(f"/quyet-dinh/{new.pk}/mau-03.docx").status_code == 404

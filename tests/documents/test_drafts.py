"""Issue 11 §2 "the people of a meeting": the biên bản hội nghị is signed by the chair and the
secretary, the biên bản kiểm phiếu names the ban kiểm phiếu and its head (HD 12-HD/TW; Quy định
366-QĐ/TW). Made before the meeting records them, each goes out marked "DỰ THẢO" with what it
lacks, and the dossier page lists the same people; recorded, no mark."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.test import Client
from django.urls import reverse
from docx import Document

from kiemdiem.documents import dossier as dossiers
from kiemdiem.documents.draft import DRAFT
from kiemdiem.meetings.models import Meeting
from tests.ballots.docx_text import all_text


def _papers(w: Any) -> dict[str, str]:
    z = dossiers.cell_zip(w.users["clerk"], w.cycle, w.orgs["cell1"], pdf=False)
    with zipfile.ZipFile(io.BytesIO(z)) as f:
        out = {}
        for n in f.namelist():
            if n.startswith("06_Bien_ban") and n.endswith(".docx"):
                doc = Document(io.BytesIO(f.read(n)))
                head = " ".join(p.text for s in doc.sections for p in s.header.paragraphs)
                out[n] = all_text(doc) + "\n" + head
        return out


def _page(w: Any) -> str:
    client = Client()
    client.force_login(w.users["clerk"])
    url = reverse("documents_cell", args=[w.cycle.pk, w.orgs["cell1"].pk])
    return client.get(url).content.decode()


def test_papers_lacking_their_people_are_drafts_and_the_page_says_who(dossier: Any) -> None:
    w = dossier
    meeting: Meeting = w.meeting
    Meeting.objects.filter(pk=meeting.pk).update(chair=None, count_head=None)
    meeting.counters.clear()
    papers = _papers(w)
    minutes = papers["06_Bien_ban_hoi_nghi.docx"]
    count = papers["06_Bien_ban_kiem_phieu.docx"]
    # The mark is the first line of the body and in the page header (every page).
    assert minutes.startswith(f"{DRAFT} — chưa ghi nhận đồng chí chủ trì")
    assert minutes.rstrip().endswith(f"{DRAFT} — chưa ghi nhận đồng chí chủ trì")
    assert "thư ký hội nghị" not in minutes.split("\n")[0]  # the secretary is recorded
    assert count.startswith(
        f"{DRAFT} — chưa ghi nhận Trưởng ban kiểm phiếu, thành viên Ban kiểm phiếu"
    )
    page = _page(w)
    assert "Văn bản chưa thể hoàn thành" in page
    assert "Biên bản hội nghị: còn thiếu đồng chí chủ trì." in page
    assert (
        "Biên bản kiểm phiếu: còn thiếu Trưởng ban kiểm phiếu, thành viên Ban kiểm phiếu." in page
    )


def test_papers_with_their_people_recorded_carry_no_mark(dossier: Any) -> None:
    w = dossier
    meeting: Meeting = w.meeting
    an, binh, teacher = w.members["an"], w.members["binh"], w.teacher
    Meeting.objects.filter(pk=meeting.pk).update(chair=an, secretary=binh, count_head=teacher)
    meeting.counters.set([teacher, *w.extra[:2]])
    papers = _papers(w)
    assert set(papers) == {"06_Bien_ban_hoi_nghi.docx", "06_Bien_ban_kiem_phieu.docx"}
    for name, text in papers.items():
        assert DRAFT not in text, name
    assert f"Đồng chí {teacher.full_name} — Trưởng ban" in papers["06_Bien_ban_kiem_phieu.docx"]
    assert "Văn bản chưa thể hoàn thành" not in _page(w)

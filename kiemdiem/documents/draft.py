"""Papers that need the people of a meeting (issue 11 §2). The biên bản hội nghị is signed by
its chair and its secretary, the biên bản kiểm phiếu names the ban kiểm phiếu and its head: a
paper made before the meeting records them cannot be final, so it goes out marked "DỰ THẢO"
at the top and in the page header of every page, saying what is missing, and the dossier
page lists the same people."""

from __future__ import annotations

import io
from enum import Enum

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

from kiemdiem.meetings.models import Meeting
from kiemdiem.meetings.roles import missing_people

DRAFT = "DỰ THẢO"
RED = RGBColor(0xC0, 0x00, 0x00)


class Paper(Enum):
    MINUTES = "biên bản hội nghị"
    COUNT = "biên bản kiểm phiếu"


# Which of missing_people's entries each paper needs (its signers or the names it prints).
NEEDS = {
    Paper.MINUTES: ("đồng chí chủ trì", "thư ký hội nghị"),
    Paper.COUNT: ("Trưởng ban kiểm phiếu", "thành viên Ban kiểm phiếu"),
}


def lacking(meeting: Meeting | None, paper: Paper) -> list[str]:
    """The people `paper` needs that the meeting has not recorded ([] when it may be final)."""
    if meeting is None:
        return list(NEEDS[paper])
    return [m for m in missing_people(meeting) if m in NEEDS[paper]]


def lacking_by_paper(meeting: Meeting | None) -> dict[str, list[str]]:
    """For the dossier page: each paper that cannot be final yet, with what it lacks."""
    out = {}
    # Without a meeting there is no biên bản hội nghị at all (the page says so apart).
    for paper in Paper if meeting is not None else [Paper.COUNT]:
        missing = lacking(meeting, paper)
        if missing:
            out[paper.value] = missing
    return out


def draft_line(missing: list[str]) -> str:
    return f"{DRAFT} — chưa ghi nhận {', '.join(missing)}"


def mark_draft(docx: bytes, missing: list[str]) -> bytes:
    """`docx` unchanged when nothing is missing; otherwise with a red bold "DỰ THẢO" line
    before the first block of the body and in every section's page header."""
    if not missing:
        return docx
    doc = Document(io.BytesIO(docx))
    text = draft_line(missing)
    top = doc.add_paragraph()
    _style(top, text, size=14)
    doc.element.body.remove(top._p)
    doc.element.body.insert(0, top._p)
    for section in doc.sections:
        header = section.header
        header.is_linked_to_previous = False
        _style(header.add_paragraph(), text, size=11)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _style(p: Paragraph, text: str, *, size: int) -> None:
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(size)
    run.font.color.rgb = RED

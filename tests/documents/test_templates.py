"""The templates are files an office edits without code (issue 6 §5): the committed ones
are exactly what the build script writes, an edited copy in DOCUMENT_TEMPLATES_DIR wins
by file name, and a mistyped tag is a Vietnamese message, not a half-filled paper."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from kiemdiem.documents import build_templates
from kiemdiem.documents.render import PACKAGE_DIR, DocumentError, render_docx
from tests.ballots.docx_text import all_text, fonts, open_docx

CTX = {
    "SUPERIOR": "ĐẢNG BỘ XÃ A", "ISSUER": "CHI BỘ XÓM 1", "number": "Số      -DS/CB",
    "place_date": "A, ngày 05 tháng 02 năm 2027", "title": "DANH SÁCH", "subtitle": "Thử",
    "columns": ["STT", "Họ và tên"], "rows": [["1", "Nguyễn Văn An"]], "note": "",
    "recipients": ["Lưu."], "sign_for": "T/M CHI BỘ", "sign_title": "BÍ THƯ", "signer": "An",
}  # fmt: skip


def _body(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")


def test_committed_templates_are_the_scripts_output(tmp_path: Path) -> None:
    built = build_templates.build(tmp_path)
    assert {p.name for p in built} == {p.name for p in PACKAGE_DIR.glob("*.docx")}
    for p in built:
        assert _body(p) == _body(PACKAGE_DIR / p.name), f"{p.name}: chạy lại build_templates"


def test_every_template_has_the_party_header_in_times_new_roman() -> None:
    for path in PACKAGE_DIR.glob("*.docx"):
        doc = Document(str(path))
        text = all_text(doc)
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "{{ ISSUER }}" in text, path.name
        assert fonts(doc) == {"Times New Roman"}, path.name


def test_an_edited_template_in_the_office_folder_wins(settings: Any, tmp_path: Path) -> None:
    doc = Document(str(PACKAGE_DIR / "listing.docx"))
    doc.add_paragraph("Văn phòng Đảng ủy sửa mẫu: {{ signer }} ký.")
    doc.save(str(tmp_path / "listing.docx"))
    settings.DOCUMENT_TEMPLATES_DIR = str(tmp_path)
    text = all_text(open_docx(render_docx("listing.docx", CTX)))
    assert "Văn phòng Đảng ủy sửa mẫu: An ký." in text
    assert "A, ngày 05 tháng 02 năm 2027" in text  # the rest of the built-in template remains
    settings.DOCUMENT_TEMPLATES_DIR = ""
    assert "Văn phòng Đảng ủy" not in all_text(open_docx(render_docx("listing.docx", CTX)))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ ten_sai }}", "dùng một trường không có dữ liệu"),
        ("{% for x in %}", "có thẻ viết sai cú pháp"),
    ],
)
def test_a_broken_template_says_what_is_wrong(
    settings: Any, tmp_path: Path, text: str, message: str
) -> None:
    doc = Document()
    doc.add_paragraph(text)
    doc.save(str(tmp_path / "listing.docx"))
    settings.DOCUMENT_TEMPLATES_DIR = str(tmp_path)
    with pytest.raises(DocumentError, match=message):
        render_docx("listing.docx", CTX)


def test_text_is_kept_verbatim_and_escaped() -> None:
    """Names and texts with &, < or quotes print as typed (the XML is escaped)."""
    ctx = {**CTX, "rows": [["1", 'Lê "Tèo" <b> & Cộng sự']]}
    assert 'Lê "Tèo" <b> & Cộng sự' in all_text(open_docx(render_docx("listing.docx", ctx)))


def test_a_missing_template_is_a_message() -> None:
    missing = re.escape("Không tìm thấy mẫu văn bản “khong-co.docx”")
    with pytest.raises(DocumentError, match=missing):
        render_docx("khong-co.docx", CTX)


@pytest.mark.django_db
def test_list_document_for_other_modules(world: Any) -> None:
    """The generic list (reward lists of kiemdiem.history): the committee's header, the
    rows as given, its head signing, the same table in Excel."""
    import datetime as dt
    import io

    from openpyxl import load_workbook

    from kiemdiem.documents.listing import list_document
    from tests.builders import make_position

    commune = world.orgs["commune"]
    make_position(world.members["cuong"], organization=commune, rank="head", title="Bí thư Đảng ủy")
    docx, xlsx = list_document(
        commune, "DANH SÁCH", ["STT", "Họ và tên", "Số năm"], [[1, "Lê Văn Cường", 5]],
        subtitle="Đảng viên HTXSNV 5 năm liền", on=dt.date(2027, 1, 5),
    )  # fmt: skip
    doc = open_docx(docx)
    text = all_text(doc)
    assert "ĐẢNG BỘ TỈNH THỬ" in text and "ĐẢNG BỘ XÃ A" in text and "Số      -DS/ĐU" in text
    assert "A, ngày 05 tháng 01 năm 2027" in text and "T/M ĐẢNG ỦY" in text
    assert [c.text for c in doc.tables[1].rows[1].cells] == ["1", "Lê Văn Cường", "5"]
    assert "Lê Văn Cường" in [c.text for c in doc.tables[2].rows[0].cells][1]
    ws = load_workbook(io.BytesIO(xlsx)).active
    assert ("1", "Lê Văn Cường", "5") in list(ws.iter_rows(values_only=True))

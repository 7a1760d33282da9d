"""The templates of HD 43-HD/BTCTW's own forms (written by build_templates.build with the
others): Mẫu 03, the decision to re-rate."""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document as DocumentObject

from kiemdiem.ballots import docx_parts as d


def mau03_re_rating(doc: DocumentObject) -> None:
    from kiemdiem.documents.build_templates import _footer, _header, _title

    _header(doc)
    _title(doc, "QUYẾT ĐỊNH", "Về việc xếp loại lại chất lượng năm {{ year }}")
    d.para(doc, "({{ form_source }})", italic=True, size=12, align="center")
    d.para(doc, "{{ ISSUER }}", bold=True, align="center")
    d.para(doc, "{%p for b in bases %}")
    d.para(doc, "- {{ b }};", indent=True, align="justify")
    d.para(doc, "{%p endfor %}")
    d.para(doc, "QUYẾT ĐỊNH", bold=True, align="center")
    d.para(
        doc,
        "Điều 1. Hủy bỏ kết quả xếp loại {{ old_level }} đã quyết định ngày {{ old_day }} "
        "đối với {{ subject }}; xếp loại lại: {{ new_level }}.",
        indent=True, align="justify",
    )  # fmt: skip
    d.para(doc, "Lý do: {{ reason }}", indent=True, align="justify")
    d.para(
        doc,
        "Điều 2. Quyết định có hiệu lực kể từ ngày ký. {{ place_name }} và {{ subject }} "
        "chịu trách nhiệm thi hành quyết định này.",
        indent=True, align="justify",
    )  # fmt: skip
    _footer(doc)


TEMPLATES: dict[str, Callable[[DocumentObject], None]] = {
    "mau03_xep_loai_lai.docx": mau03_re_rating
}

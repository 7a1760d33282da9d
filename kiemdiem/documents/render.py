"""Rendering the office-editable templates: a .docx with Jinja tags (docxtpl) filled from a
plain dict. The template is looked up first in settings.DOCUMENT_TEMPLATES_DIR (an office's
edited copies, by the same file name), then in the package's `templates_docx/`.

Undefined names fail loudly with a Vietnamese message naming the template: an office that
mistypes a tag sees it at once instead of printing a paper with a hole in it."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from docx import Document
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError, UndefinedError

from kiemdiem.ballots import docx_parts as d
from kiemdiem.vn import long_date, short_date

PACKAGE_DIR = Path(__file__).parent / "templates_docx"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DocumentError(ValueError):
    """A template could not be rendered; the message is for the office, in Vietnamese."""


def template_path(name: str) -> Path:
    override = getattr(settings, "DOCUMENT_TEMPLATES_DIR", "")
    if override:
        candidate = Path(override) / name
        if candidate.is_file():
            return candidate
    path = PACKAGE_DIR / name
    if not path.is_file():
        raise DocumentError(f"Không tìm thấy mẫu văn bản “{name}”.")
    return path


def _environment() -> Environment:
    env = Environment(undefined=StrictUndefined, autoescape=True)
    env.filters["long_date"] = long_date
    env.filters["short_date"] = short_date
    return env


def render_docx(name: str, context: Mapping[str, Any]) -> bytes:
    """The filled document as bytes. Text with newlines becomes line breaks (docxtpl)."""
    path = template_path(name)
    tpl = DocxTemplate(str(path))
    try:
        tpl.render(dict(context), jinja_env=_environment(), autoescape=True)
    except UndefinedError as exc:
        raise DocumentError(
            f"Mẫu văn bản “{name}” dùng một trường không có dữ liệu ({exc.message}). "
            "Kiểm tra lại tên trường trong mẫu (xem docs/documents.md)."
        ) from exc
    except TemplateError as exc:
        raise DocumentError(
            f"Mẫu văn bản “{name}” có thẻ viết sai cú pháp: {exc.message or exc}."
        ) from exc
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


# The text width of the listing paper (A4 portrait less the 35 mm and 15 mm margins).
LISTING_WIDTH_MM = 160


def render_listing(ctx: Mapping[str, Any]) -> bytes:
    """listing.docx filled, its table's columns sized by ctx["widths"] (relative shares, the
    workbook's widths): the column loop makes equal columns, which squeezed a long criterion
    of the bảng điểm into a third of the page."""
    data = render_docx("listing.docx", ctx)
    shares = ctx.get("widths") or ()
    if not shares:
        return data
    doc = Document(io.BytesIO(data))
    for table in doc.tables:
        if len(table.columns) == len(shares):
            total = sum(shares)
            d.widths(table, [LISTING_WIDTH_MM * s / total for s in shares])
            break
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

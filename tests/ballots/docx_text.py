"""Reading a generated Word file back: its paragraphs and tables as plain text."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.table import Table


def open_docx(data: bytes) -> DocumentObject:
    assert data[:2] == b"PK", "a DOCX file is a zip archive"
    return Document(io.BytesIO(data))


def paragraphs(doc: DocumentObject) -> list[str]:
    return [p.text for p in doc.paragraphs]


def table_rows(table: Table) -> list[list[str]]:
    """Cell texts row by row; merged cells repeat their text, as python-docx reads them."""
    return [[c.text for c in row.cells] for row in table.rows]


def all_text(doc: DocumentObject) -> str:
    parts = paragraphs(doc)
    for table in doc.tables:
        for row in table_rows(table):
            parts.extend(row)
    return "\n".join(parts)


def fonts(doc: DocumentObject) -> set[str]:
    """The fonts named in the document's style and runs (None: inherited)."""
    names = {doc.styles["Normal"].font.name}  # type: ignore[attr-defined]
    for p in doc.paragraphs:
        names.update(r.font.name for r in p.runs if r.font.name)
    return {n for n in names if n}

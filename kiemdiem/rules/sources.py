"""The documents the rule profiles cite, as data, and a citation's readable forms.

The profiles cite the five plans by a maintainers' key ("000 §1.4.3": the seed file the rule
was read from, shared/seeds/000_*.txt). An office knows a plan by its number and symbol,
issuer and date, so every `source:` string is rendered through this registry before anyone
sees it: "Kế hoạch số 44-KH/ĐU ngày 01/11/2023 của Đảng ủy xã Thanh Liên, mục 1.4.3", or in
a tight table "KH 44-KH/ĐU, mục 1.4.3". The seed key stays in the YAML only. Pure Python:
no Django (the rules package is imported by the CLI and the tests without settings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    key: str  # the maintainers' key used in the profiles' YAML
    kind: str  # "Kế hoạch", "Công văn", ...
    number: str  # number and symbol as printed, "" where the paper has none
    issuer: str
    date: str  # dd/mm/yyyy as printed, "" where the paper gives none
    title: str = ""  # used where there is no number
    seed: str = ""  # maintainers' note: the file the text was read from

    def full(self) -> str:
        named = f"{self.kind} số {self.number}" if self.number else f"{self.kind} {self.title}"
        dated = f" ngày {self.date}" if self.date else ""
        return f"{named}{dated} của {self.issuer}"

    def short(self) -> str:
        if self.number:
            return f"{_ABBR.get(self.kind, self.kind)} {self.number}"
        return f"{_ABBR.get(self.kind, self.kind)} {self.issuer}"


_ABBR = {"Kế hoạch": "KH", "Công văn": "CV", "Hướng dẫn": "HD", "Quy định": "QĐ"}

# Number, issuer and date as each plan's header prints them (shared/seeds/*).
DOCUMENTS: dict[str, Document] = {
    d.key: d
    for d in (
        Document("000", "Kế hoạch", "44-KH/ĐU", "Đảng ủy xã Thanh Liên", "01/11/2023",
                 seed="000_bcdb8f614989b2ac.txt"),
        Document("001", "Kế hoạch", "348/KH-Đ.ủy-ĐHKT",
                 "Đảng ủy Trường Đại học Kinh tế Nghệ An", "03/11/2016",
                 seed="001_8fd357ff70bb2206.txt"),
        Document("002", "Kế hoạch", "58-KH/ĐUK",
                 "Ban Thường vụ Đảng ủy Khối Doanh nghiệp Trung ương", "23/10/2018",
                 seed="002_f227cc39e3aca5fa.txt"),
        Document("003", "Kế hoạch", "", "Chi bộ Bệnh viện Phổi", "",
                 title="kiểm điểm tự phê bình và phê bình, đánh giá chất lượng chi bộ "
                 "và đảng viên năm 2021",
                 seed="003_f4a7cb3129af0100.txt"),
        Document("004", "Công văn", "854-CV/TU", "Ban Thường vụ Tỉnh ủy Tuyên Quang",
                 "09/11/2021", seed="004_20c9f46af539c15d.txt"),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Citation:
    document: Document
    section: str = ""  # "1.4.3", "II.2.3", "2(5)"; "" for the whole document

    def full(self) -> str:
        return self.document.full() + (f", mục {self.section}" if self.section else "")

    def short(self) -> str:
        return self.document.short() + (f", mục {self.section}" if self.section else "")


# "000", "000 §1.4.3", "001 §2.2.5a–c", "004 §2(5)": a key, optionally a section.
_CITE = re.compile(r"(?<![\w/.-])(00\d)(?![\w/])(?:\s*§\s*([^\s,;:]+))?")


def _section(raw: str | None) -> str:
    if not raw:
        return ""
    # "2(5" from "(… 004 §2(5))": keep a bracket only when it is closed inside the section.
    while raw.endswith(")") and raw.count(")") > raw.count("("):
        raw = raw[:-1]
    if raw.count("(") > raw.count(")"):
        raw += ")"
    return raw.rstrip(".")


def parse(text: str) -> list[Citation]:
    """The citations of the registry's documents found in a source string."""
    return [
        Citation(DOCUMENTS[m.group(1)], _section(m.group(2)))
        for m in _CITE.finditer(text)
        if m.group(1) in DOCUMENTS
    ]


def readable(text: str, *, short: bool = False) -> str:
    """The source string with every registry key replaced by the document's own name
    (idempotent: an already readable string has no key left)."""

    def one(m: re.Match[str]) -> str:
        doc = DOCUMENTS.get(m.group(1))
        if doc is None:
            return m.group(0)
        raw = m.group(2) or ""
        section = _section(raw)
        tail = raw[len(section) :] if raw.startswith(section) else ""
        c = Citation(doc, section)
        return (c.short() if short else c.full()) + tail

    return _CITE.sub(one, text)


def has_internal_reference(text: str) -> bool:
    """True where a text shows a maintainers' key ("000 §2.3"), a seed or repository path,
    or a drafting tag: none of them means anything to an office."""
    return bool(_LEAK.search(text))


_LEAK = re.compile(
    r"(?<![\w/.-])00\d\s*§|research/|shared/seeds|kiemdiem/|\w\.(?:md|py)\b"
    r"|_[0-9a-f]{16}\.txt|\(tóm tắt\)|\bTODO\b|\bunconfirmed\b"
)

"""A list document for any module (the reward lists of kiemdiem.history, ...): title, a
table of any width and the signature, in the HD 36 format, as Word and as Excel.

    from kiemdiem.documents.listing import list_document
    docx, xlsx = list_document(committee, "DANH SÁCH", ["STT", "Họ và tên", "Năm"], rows,
                               subtitle="Đảng viên HTXSNV 5 năm liền đề nghị khen thưởng")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from kiemdiem.documents.cell import listing_context
from kiemdiem.documents.common import issuer_for
from kiemdiem.documents.render import render_listing
from kiemdiem.documents.sheets import listing_xlsx
from kiemdiem.org.models import Organization


def list_document(
    org: Organization,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    subtitle: str = "",
    note: str = "",
    kind: str = "DS",
    on: dt.date | None = None,
    recipients: Sequence[str] | None = None,
) -> tuple[bytes, bytes]:
    """(docx, xlsx) of the list issued by `org` (its header, its head signing "T/M"), dated
    `on` (today by default); `kind` is the symbol's type ("DS" danh sách, "TTr" tờ trình)."""
    day = on or timezone.localdate()
    ctx = listing_context(
        issuer_for(org, day), kind, day, title, subtitle, list(columns),
        [list(r) for r in rows], note=note,
        recipients=list(recipients) if recipients is not None else None,
    )  # fmt: skip
    return render_listing(ctx), listing_xlsx(ctx)

"""What every official document shares (HD 36-HD/VPTW, research/regulations.md §4): the
header (the direct superior and the issuing organization, the number and symbol), the place
and date line, "Nơi nhận" and the signature block "T/M ... / BÍ THƯ" with the signer's name.

The number is left blank before the symbol ("Số    -BC/CB"): the office gives it from its
register when the paper is signed; the system keeps no register of outgoing documents."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q

from kiemdiem.org.choices import (
    CELL_KINDS,
    GRASSROOTS_KINDS,
    CollectiveKind,
    OrgKind,
    PositionRank,
)
from kiemdiem.org.models import Organization, Position
from kiemdiem.rules import Level
from kiemdiem.vn import long_date

LEVEL_LABELS = {lv.name: lv.label for lv in Level}
# Issuer abbreviations of the symbol (HD 36: "Số 12-BC/ĐU"); the document type comes first.
_ISSUER_ABBR = {
    OrgKind.CELL: "CB",
    OrgKind.GRASSROOTS_CELL: "CB",
    OrgKind.GRASSROOTS_COMMITTEE: "ĐU",
    OrgKind.PARTIAL_COMMITTEE: "ĐU",
    OrgKind.GROUP: "TĐ",
}
_BODY = {OrgKind.CELL: "CHI BỘ", OrgKind.GRASSROOTS_CELL: "CHI BỘ", OrgKind.GROUP: "TỔ ĐẢNG"}
_COMMITTEES = (CollectiveKind.CELL_COMMITTEE, CollectiveKind.PARTY_EXECUTIVE)
_PLACE_PREFIX = re.compile(
    r"^(Đảng bộ|Chi bộ|Đảng ủy)( cơ sở)?\s+((xã|phường|thị trấn|đặc khu|thị xã)\s+)?",
    re.IGNORECASE,
)


def level_label(code: str) -> str:
    """'Hoàn thành tốt nhiệm vụ (HTTNV)'; '' stays '' and unknown codes pass through."""
    if not code:
        return ""
    label = LEVEL_LABELS.get(code)
    return f"{label} ({code})" if label else code


@dataclass(frozen=True)
class Issuer:
    """The organization a document is issued by, with what its header and signature need."""

    org: Organization
    superior: str
    place: str
    signer: str

    @property
    def abbr(self) -> str:
        return _ISSUER_ABBR.get(OrgKind(self.org.kind), "ĐU")

    @property
    def on_behalf(self) -> str:
        return "T/M " + _BODY.get(OrgKind(self.org.kind), "ĐẢNG ỦY")

    def header(self, kind: str, on: dt.date, *, numbered: bool = True) -> dict[str, Any]:
        """The context keys of the header and the signature (templates_docx/*)."""
        day = long_date(on)
        place_date = f"{self.place}, {day}" if self.place else day
        return {
            "SUPERIOR": self.superior.upper(),
            "ISSUER": self.org.name.upper(),
            "number": f"Số      -{kind}/{self.abbr}" if numbered else "",
            "place_date": place_date[:1].upper() + place_date[1:],
            "sign_for": self.on_behalf,
            "sign_title": "BÍ THƯ",
            "signer": self.signer,
            "recipients": [],
        }


def place_of(chain: list[Organization]) -> str:
    """The place name of the date line: settings.DOCUMENT_PLACE, else the grassroots
    organization's name without its "Đảng bộ xã" ("Đảng bộ xã Thanh Liên" -> "Thanh Liên")."""
    fixed = getattr(settings, "DOCUMENT_PLACE", "")
    if fixed:
        return str(fixed)
    grassroots = [o for o in chain if o.kind in GRASSROOTS_KINDS]
    base = grassroots[-1] if grassroots else chain[-1]
    return _PLACE_PREFIX.sub("", base.name).strip()


def issuer_for(org: Organization, on: dt.date, heads: dict[int, str] | None = None) -> Issuer:
    """Two queries (the ancestors and the head), none when `heads` is given."""
    chain = [*org.ancestors(), org]
    superior = chain[-2].name if len(chain) > 1 else ""
    if heads is None:
        heads = heads_of([org.pk], on)
    return Issuer(org, superior, place_of(chain), heads.get(org.pk, ""))


def heads_of(org_ids: list[int], on: dt.date) -> dict[int, str]:
    """The head (bí thư) of each organization on a day, one query for all: a head post at
    the organization itself, or at the head of its committee (chi ủy, ban chấp hành)."""
    rows = (
        Position.objects.filter(
            Q(organization_id__in=org_ids)
            | Q(collective__organization_id__in=org_ids, collective__kind__in=_COMMITTEES),
            rank=PositionRank.HEAD,
            start_on__lte=on,
        )
        .exclude(end_on__lt=on)
        .order_by("start_on", "pk")
        .values_list("organization_id", "collective__organization_id", "member__full_name")
    )
    found: dict[int, str] = {}
    for own, via, name in rows:
        key = own if own in org_ids else via
        if key is not None:
            found.setdefault(key, name)
    return found


def is_cell(org: Organization) -> bool:
    return org.kind in CELL_KINDS

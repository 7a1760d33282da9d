"""Ratings of cells, collectives and other units (issue 6 §3): the unit's score sheet
(bảng điểm) from a template, its proposed level, the deciding body's decision, and the
caps of the scheme the profile picks for its kind (000 §3 Bước 3: 20 % of the units rated;
001 §C.2: 5 levels, 50 %; 001 §3.1: TSVM 50 %, TSVM tiêu biểu 20 % of TSVM; 004 §2(5): 20 %
of HTTNV for organizations and collectives).

Who decides follows the tree: a cell and its chi ủy — the grassroots committee; a grassroots
organization and its party committee — the superior; the government and mass-organization
collectives and the units a grassroots committee rates — that committee.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.audit.models import record
from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.checks import PARTY_COLLECTIVES, collective_checks, organization_checks
from kiemdiem.grading.context import acting_body, profile_of
from kiemdiem.grading.models import (
    Decision,
    Grounds,
    Proposal,
    ProposalStatus,
    RatedUnit,
    Step,
    SubjectType,
    UnitSheet,
    subject_fields,
)
from kiemdiem.grading.quotas import Standing, standing_for
from kiemdiem.grading.scales import (
    CapStatus,
    Scale,
    Scheme,
    Sheet,
    cap_status,
    scheme_for,
    sheet_for,
)
from kiemdiem.grading.services import insert_decisions
from kiemdiem.org.choices import CELL_KINDS, GRASSROOTS_KINDS, OrgKind
from kiemdiem.org.models import Collective, Organization
from kiemdiem.reviews.scoring import ScoreError, fmt, parse_score

K = Kind.UNIT_RATING
KIND_NAMES = {
    "organization": "Tổ chức đảng",
    "collective": "Tập thể lãnh đạo, quản lý",
    "mass_unit": "Xóm, Ban công tác Mặt trận, chi đoàn, chi hội",
    "government_unit": "Đơn vị do chính quyền, chuyên môn phân loại",
}


@dataclass
class UnitSubject:
    kind: str
    type: str
    obj: Any
    place: Organization
    grassroots_id: int | None

    @property
    def key(self) -> str:
        return f"{self.type}:{self.obj.pk}"

    @property
    def name(self) -> str:
        return str(self.obj.name)


def _grassroots_id(org: Organization, orgs: dict[int, Organization]) -> int | None:
    for pk in reversed([int(s) for s in org.path.strip("/").split("/") if s]):
        o = orgs.get(pk)
        if o is not None and o.kind in GRASSROOTS_KINDS:
            return pk
    return None


def deciding_org(subject: UnitSubject, orgs: dict[int, Organization]) -> int | None:
    """The id of the organization whose body decides the subject's rating."""
    place = subject.place
    if subject.type == SubjectType.UNIT:
        return place.pk
    if subject.type == SubjectType.ORGANIZATION:
        if place.kind in GRASSROOTS_KINDS or place.kind not in CELL_KINDS:
            return place.parent_id  # the top of the tree is rated outside the system
        return _grassroots_id(place, orgs)
    # a collective
    if place.kind in CELL_KINDS and place.kind != OrgKind.GRASSROOTS_CELL:
        return _grassroots_id(place, orgs)
    if subject.obj.kind in PARTY_COLLECTIVES:
        return place.parent_id
    return place.pk


def _orgs_for(body: Organization) -> dict[int, Organization]:
    """The organizations whose ratings `body` may decide, and its own line of ancestors."""
    ids = [int(s) for s in body.path.strip("/").split("/") if s]
    qs = Organization.objects.filter(path__startswith=body.path)
    if body.kind not in GRASSROOTS_KINDS:
        qs = qs.filter(parent=body) | Organization.objects.filter(pk=body.pk)
    found = {o.pk: o for o in qs}
    found.update({o.pk: o for o in Organization.objects.filter(pk__in=ids)})
    return found


def subjects_for(body: Organization) -> list[UnitSubject]:
    """Every unit whose rating `body` decides, in a fixed number of queries."""
    orgs = _orgs_for(body)
    inside = [o for o in orgs.values() if o.path.startswith(body.path)]
    found: list[UnitSubject] = []
    for o in sorted(inside, key=lambda o: o.path):
        if o.kind == OrgKind.GROUP:
            continue
        found.append(UnitSubject("organization", SubjectType.ORGANIZATION, o, o,
                                 _grassroots_id(o, orgs)))  # fmt: skip
    ids = [o.pk for o in inside]
    for c in Collective.objects.filter(organization_id__in=ids).order_by(
        "organization__path", "name"
    ):
        place = orgs[c.organization_id]
        found.append(UnitSubject("collective", SubjectType.COLLECTIVE, c, place,
                                 _grassroots_id(place, orgs)))  # fmt: skip
    for u in RatedUnit.objects.filter(organization_id__in=ids).order_by("kind", "name"):
        place = orgs[u.organization_id]
        found.append(UnitSubject(u.kind, SubjectType.UNIT, u, place, _grassroots_id(place, orgs)))
    return [s for s in found if deciding_org(s, orgs) == body.pk]


def find_subject(body: Organization, key: str) -> UnitSubject:
    for s in subjects_for(body):
        if s.key == key:
            return s
    raise ValidationError("Không tìm thấy đơn vị được xếp loại.")


@dataclass
class UnitRow:
    subject: UnitSubject
    sheet: UnitSheet | None
    standing: Standing

    @property
    def proposed(self) -> str:
        p = self.standing.propose
        return p.level if p is not None else (self.sheet.level if self.sheet is not None else "")

    @property
    def standing_level(self) -> str | None:
        d = self.standing.decide
        return d.level if d is not None else (self.proposed or None)


@dataclass
class KindBoard:
    kind: str
    name: str
    scheme: Scheme
    scale: Scale
    sheet: Sheet | None
    rows: list[UnitRow] = field(default_factory=list)
    caps: list[CapStatus] = field(default_factory=list)

    @property
    def breaches(self) -> list[CapStatus]:
        return [c for c in self.caps if c.breach]


def board(cycle: Cycle, body: Organization) -> list[KindBoard]:
    """The units `body` decides, by kind, with their sheets, acts and the scheme's caps."""
    profile = profile_of(cycle)
    subjects = subjects_for(body)
    keys = [s.key for s in subjects]
    sheets = {s.subject_key: s for s in UnitSheet.objects.filter(cycle=cycle, subject_key__in=keys)}
    acts = standing_for(Decision.objects.filter(cycle=cycle, subject_key__in=keys))
    boards: dict[str, KindBoard] = {}
    for s in subjects:
        if s.kind not in boards:
            scheme, scale = scheme_for(profile, s.kind)
            boards[s.kind] = KindBoard(s.kind, KIND_NAMES[s.kind], scheme, scale,
                                       sheet_for(profile, s.kind))  # fmt: skip
        boards[s.kind].rows.append(UnitRow(s, sheets.get(s.key), acts.get(s.key, Standing())))
    for b in boards.values():
        levels = {r.subject.key: r.standing_level for r in b.rows}
        totals = {r.subject.key: r.sheet.total for r in b.rows if r.sheet is not None}
        b.caps = cap_status(b.scheme, b.scale, levels, totals)
    return [boards[k] for k in KIND_NAMES if k in boards]


def _place_right(user: Any, action: Action, subject: UnitSubject) -> None:
    if not can_at(user, action, K, subject.place):
        raise PermissionDenied("Đồng chí không có quyền với việc xếp loại của đơn vị này.")


@transaction.atomic
def save_sheet(user: Any, cycle: Cycle, subject: UnitSubject, raw: dict[str, str]) -> UnitSheet:
    """The unit's self-scoring sheet: every criterion from 0 to its maximum (decimal comma
    allowed), the total and the level the bands give."""
    _place_right(user, Action.EDIT, subject)
    template = sheet_for(profile_of(cycle), subject.kind)
    if template is None:
        raise ValidationError(f"{KIND_NAMES[subject.kind]} không tự chấm bảng điểm.")
    scores: dict[str, str] = {}
    errors = []
    for c in template.criteria:
        text = (raw.get(c.code) or "").strip()
        if not text:
            errors.append(f"“{c.title}”: chưa chấm điểm.")
            continue
        try:
            scores[c.code] = str(parse_score(text, c.max, c.title))
        except ScoreError as exc:
            errors.append(str(exc))
    if errors:
        raise ValidationError(errors)
    total = sum((Decimal(v) for v in scores.values()), Decimal(0))
    level = template.level_for(total)
    sheet = UnitSheet.objects.filter(cycle=cycle, subject_key=subject.key).first()
    old = None if sheet is None else {"scores": sheet.scores, "total": str(sheet.total)}
    if sheet is None:
        sheet = UnitSheet(cycle=cycle, **subject_fields(subject.type, subject.obj, subject.place,
                                                        subject.grassroots_id))  # fmt: skip
    sheet.template, sheet.scores, sheet.total, sheet.level = template.id, scores, total, level
    sheet.updated_by = user
    sheet.save()
    _store_proposal(cycle, subject, template, total, level)
    record(user, "unit_sheet_save", sheet, old=old, new={"scores": scores, "total": str(total),
                                                         "level": level},
           summary=f"Bảng điểm của {subject.name}: {fmt(total)} điểm")  # fmt: skip
    return sheet


def _store_proposal(
    cycle: Cycle, subject: UnitSubject, template: Sheet, total: Decimal, level: str
) -> None:
    scale = scheme_for(profile_of(cycle), subject.kind)[1]
    message = (f"Bảng điểm: {fmt(total)}/{fmt(template.maximum)} điểm, đạt mức "
               f"{scale.name_of(level)}.")  # fmt: skip
    values = {
        "status": ProposalStatus.PROPOSED, "level": level, "scale": template.scale,
        "reasons": [{"code": "sheet_total", "message": message, "source": template.bands.source}],
        "sources": [template.source, template.bands.source], "tally_source": "sheet",
        "details": {"total": str(total), "maximum": str(template.maximum)},
        "fingerprint": f"{template.id}:{total}",
    }  # fmt: skip
    Proposal.objects.update_or_create(
        cycle=cycle, subject_key=subject.key,
        defaults={**values, **subject_fields(subject.type, subject.obj, subject.place,
                                             subject.grassroots_id)},
    )  # fmt: skip


def _check_level(scale: Scale, level: str) -> None:
    if level not in scale.codes:
        allowed = ", ".join(f"{lv.code} ({lv.name})" for lv in scale.levels)
        raise ValidationError(f"Mức “{level}” không có trong thang {scale.name}: {allowed}.")


@transaction.atomic
def propose_unit(
    user: Any, cycle: Cycle, subject: UnitSubject, level: str = "", reason: str = ""
) -> Decision:
    """The unit's proposed level: its sheet's unless another is given with a reason."""
    body, tier = acting_body(user, Action.PROPOSE, K, subject.place)
    scale = scheme_for(profile_of(cycle), subject.kind)[1]
    sheet = UnitSheet.objects.filter(cycle=cycle, subject_key=subject.key).first()
    from_sheet = sheet.level if sheet is not None else ""
    level = level or from_sheet
    if not level:
        raise ValidationError(f"{subject.name}: chưa có bảng điểm, cần chọn mức đề xuất.")
    _check_level(scale, level)
    reason = reason.strip()
    if from_sheet and level != from_sheet and not reason:
        raise ValidationError(
            f"{subject.name}: mức đề xuất khác mức theo bảng điểm ({from_sheet}): cần ghi lý do."
        )
    return _act(user, cycle, subject, Step.PROPOSE, scale, level, reason, body, tier)


def _lower_pending(cycle: Cycle, subject: UnitSubject) -> tuple[list[str], list[str]]:
    """Names of the units below (and, for a party committee, beside) the subject that have
    no decision yet: the order rules of 000 §2.3 and §1.4.3."""
    decided = set(
        Decision.objects.current()
        .filter(cycle__year=cycle.year, step=Step.DECIDE)
        .exclude(subject_type=SubjectType.MEMBER)
        .values_list("subject_key", flat=True)
    )
    place = subject.place
    lower: list[str] = []
    siblings: list[str] = []
    if subject.type == SubjectType.ORGANIZATION:
        cells = Organization.objects.filter(path__startswith=place.path, kind__in=CELL_KINDS)
        lower = [o.name for o in cells.exclude(pk=place.pk) if f"o:{o.pk}" not in decided]
    elif subject.type == SubjectType.COLLECTIVE:
        below = Collective.objects.filter(organization__path__startswith=place.path).exclude(
            organization=place
        )
        lower = [c.name for c in below if f"c:{c.pk}" not in decided]
        if subject.obj.kind in PARTY_COLLECTIVES:
            same = Collective.objects.filter(organization=place).exclude(kind__in=PARTY_COLLECTIVES)
            siblings = [c.name for c in same if f"c:{c.pk}" not in decided]
    return lower, siblings


@transaction.atomic
def decide_unit(
    user: Any, cycle: Cycle, body_org: Organization, subject: UnitSubject, level: str,
    reason: str = "",
) -> Decision:  # fmt: skip
    """The deciding body's decision on a unit's rating; another level than the unit proposed
    needs a reason; the order rules hold; the caps are shown, never silently applied."""
    body, tier = acting_body(user, Action.DECIDE, K, body_org)
    scale = scheme_for(profile_of(cycle), subject.kind)[1]
    _check_level(scale, level)
    acts = standing_for(Decision.objects.filter(cycle=cycle, subject_key=subject.key))
    st = acts.get(subject.key, Standing())
    proposed = st.propose.level if st.propose is not None else ""
    if subject.type != SubjectType.UNIT and not proposed:
        raise ValidationError(f"{subject.name} chưa đề xuất mức xếp loại: chưa thể quyết định.")
    reason = reason.strip()
    if proposed and level != proposed and not reason:
        raise ValidationError(
            f"{subject.name}: quyết định {level} khác mức đề xuất {proposed}: cần ghi lý do."
        )
    lower, siblings = _lower_pending(cycle, subject)
    if subject.type == SubjectType.ORGANIZATION:
        problems = organization_checks(subject.obj, lower)
    elif subject.type == SubjectType.COLLECTIVE:
        problems = collective_checks(subject.obj, siblings, lower)
    else:
        problems = []
    if problems:
        raise ValidationError(problems)
    return _act(user, cycle, subject, Step.DECIDE, scale, level, reason, body, tier)


def _act(
    user: Any, cycle: Cycle, subject: UnitSubject, step: str, scale: Scale, level: str,
    reason: str, body: Organization, tier: str,
) -> Decision:  # fmt: skip
    prev = (
        Decision.objects.current().filter(cycle=cycle, subject_key=subject.key, step=step).first()
    )
    grounds = Grounds.REGULAR
    if prev is not None:
        grounds = Grounds.CHANGED
        reason = reason or ("Đề xuất lại" if step == Step.PROPOSE else "Quyết định lại")
    scale_id = next(k for k, v in _scales().items() if v == scale)
    d = Decision(
        cycle=cycle, step=step, scale=scale_id, level=level, grounds=grounds, reason=reason,
        body=body, tier=tier, supersedes=prev, made_by=user,
        proposal_level=prev.level if prev is not None else "",
        **subject_fields(subject.type, subject.obj, subject.place, subject.grassroots_id),
    )  # fmt: skip
    insert_decisions([d])
    record(user, f"unit_{step}", d, old={"level": prev.level} if prev is not None else None,
           new={"subject": subject.key, "level": level, "reason": reason},
           summary=f"{body.name}: {subject.name} — {scale.name_of(level)}")  # fmt: skip
    return d


def _scales() -> dict[str, Scale]:
    from kiemdiem.grading.scales import ratings

    return ratings().scales


def decided_counts(boards: list[KindBoard]) -> dict[str, dict[str, int]]:
    """Standing levels per kind, for the summary lines of a page."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for b in boards:
        for r in b.rows:
            lv = r.standing_level
            if lv:
                out[b.kind][lv] = out[b.kind].get(lv, 0) + 1
    return dict(out)

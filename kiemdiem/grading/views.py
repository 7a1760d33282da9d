"""Thin views of a cell's grading: its proposals with reasons and quota status, the
minutes typed in by hand, a member's conditions of the year and history, and the
committee's decisions on the cell (all at once or one by one)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from kiemdiem.accounts.access import Action, Kind, above_ids, can_at, scope_q, scope_roots
from kiemdiem.cycles.models import Cycle
from kiemdiem.grading import cell_table, confirm, deciding, pages, services
from kiemdiem.grading.context import grading_cycle, profile_of
from kiemdiem.grading.facts import MemberRow, outcomes_for
from kiemdiem.grading.forms import (
    LEVEL_CHOICES,
    AnnulForm,
    ChoiceForm,
    ConditionsForm,
    TallyHeadForm,
    tally_rows,
)
from kiemdiem.grading.forms_article11 import Article11Form
from kiemdiem.grading.manual import METHOD_NAMES
from kiemdiem.grading.models import MemberConditions, TallyRow, TallySheet
from kiemdiem.grading.services import Choice
from kiemdiem.org.choices import CELL_KINDS, GRASSROOTS_KINDS
from kiemdiem.org.models import Member, Organization


def unit_and_cycle(
    request: HttpRequest, cycle_id: int, org_id: int, kind: Kind = Kind.DECISION
) -> tuple[Cycle, Organization]:
    """The organization (within the user's scope) and the cycle holding its results."""
    org = Organization.objects.filter(
        scope_q(request.user, kind, Action.VIEW, "path"), pk=org_id
    ).first()
    near = Cycle.objects.filter(pk=cycle_id).select_related("organization").first()
    if org is None or near is None:
        raise Http404("Không tìm thấy tổ chức hoặc kế hoạch.")
    try:
        return grading_cycle(org, near=near), org
    except Cycle.DoesNotExist as exc:
        # A superior without its own plan looks at the plans below it (the same year).
        if near.organization.path.startswith(org.path):
            return near, org
        raise Http404(str(exc)) from exc


@login_required
def home(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """From a plan to the grading page of the user's own level of the tree."""
    q = scope_q(request.user, Kind.DECISION, Action.VIEW, "organization__path")
    q |= Q(organization_id__in=above_ids(request.user, Kind.DECISION, Action.VIEW))
    cycle = Cycle.objects.filter(q, pk=cycle_id).select_related("organization").first()
    if cycle is None:
        raise Http404("Không tìm thấy kế hoạch.")
    org = cycle.organization
    if not can_at(request.user, Action.VIEW, Kind.DECISION, org):
        inside = [o for o in scope_roots(request.user) if o.path.startswith(org.path)]
        if not inside:
            raise Http404("Đồng chí không có quyền xem kết quả xếp loại của kế hoạch này.")
        org = inside[0]
    if org.kind in CELL_KINDS:
        return redirect("grading_cell", cycle_id=cycle.pk, org_id=org.pk)
    if org.kind in GRASSROOTS_KINDS:
        return redirect("grading_committee", cycle_id=cycle.pk, org_id=org.pk)
    return redirect("grading_superior", cycle_id=cycle.pk, org_id=org.pk)


def _choices(request: HttpRequest, prefix: str) -> list[Choice]:
    """Changed levels posted as `<prefix><member id>` with `why_<member id>`."""
    found = []
    for key in request.POST:
        value = request.POST.get(key, "")
        if key.startswith(prefix) and value and key.removeprefix(prefix).isdigit():
            mid = int(key.removeprefix(prefix))
            found.append(Choice(mid, value, request.POST.get(f"why_{mid}", "")))
    return found


@login_required
def cell(request: HttpRequest, cycle_id: int, org_id: int) -> HttpResponse:
    """The cell's decision table (issue 15 §3): search, filters, select-and-decide, one
    member's card opened under its row; after an error the card or the bar keeps what was
    chosen and takes the focus, so the browser scrolls to the message."""
    cycle, org = unit_and_cycle(request, cycle_id, org_id)
    if org.kind not in CELL_KINDS:
        return redirect("grading_committee", cycle_id=cycle.pk, org_id=org.pk)
    one = ChoiceForm(request.POST if request.POST.get("action") == "decide_one" else None)
    failed: dict[str, object] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "propose":
                changes = _choices(request, "lv_")
                n = services.propose_cell(request.user, cycle, org, changes)
                messages.success(request, f"Chi ủy đã đề xuất {n} đảng viên (Mẫu 04).")
            elif action == "decide_all" and not confirm.confirmed(request.POST):
                return _confirm_decide_all(request, cycle, org)
            elif action == "decide_all":
                res = deciding.decide(request.user, cycle, org)
                _decided(request, res)
            elif action == "decide_selected":
                res = deciding.decide(request.user, cycle, org, _selected(request, cycle, org))
                _decided(request, res)
            elif action == "decide_one" and one.is_valid():
                d = one.cleaned_data
                deciding.decide(request.user, cycle, org,
                                [Choice(d["member"], d["level"], d["reason"])])  # fmt: skip
                messages.success(request, "Đã ghi quyết định.")
            elif action == "decide_one":
                raise ValidationError([f"{f.label}: {e}" for f in one for e in f.errors])
            else:
                raise ValidationError("Thao tác không hợp lệ.")
        except ValidationError as exc:
            failed = _failed(request, action or "", exc.messages)
        else:
            return redirect(request.get_full_path())
    page = pages.cell_page(request.user, cycle, org)
    query, which = request.GET.get("q", ""), request.GET.get("loc", "")
    opened = failed.get("member") or _int(request.GET.get("xem", ""))
    context = {"p": page, "cycle": cycle, "org": org, "levels": LEVEL_CHOICES,
               "level_names": pages.LEVEL_NAMES, "query": query, "which": which,
               "lines": cell_table.shown(page.lines, query, which), "opened": opened,
               "filters": cell_table.filter_choices(page.lines, which),
               "failed": failed}  # fmt: skip
    return TemplateResponse(request, "grading/cell.html", context)


def _confirm_decide_all(request: HttpRequest, cycle: Cycle, org: Organization) -> HttpResponse:
    """The numbers of "Quyết định tất cả theo đề xuất" before it is done (issue 15 §4)."""
    res = confirm.preview(lambda: deciding.decide(request.user, cycle, org))
    facts = [f"Sẽ quyết định {res.decided} đảng viên theo mức đề xuất."]
    if res.unchanged:
        facts.append(f"{res.unchanged} đảng viên đã có quyết định đúng mức đề xuất: giữ nguyên.")
    warnings = []
    if res.skipped:
        warnings.append(f"Còn {len(res.skipped)} trường hợp chưa thể quyết định "
                        "(sẽ thiếu quyết định):")  # fmt: skip
        warnings += res.skipped[:10]
    context = {"cycle": cycle, "org": org, "title": f"Quyết định tất cả theo đề xuất — {org.name}",
               "facts": facts, "warnings": warnings, "fields": [("action", "decide_all")],
               "button": f"Xác nhận quyết định {res.decided} đảng viên",
               "back": request.get_full_path()}  # fmt: skip
    return TemplateResponse(request, "grading/confirm.html", context)


def _int(text: object) -> int | None:
    return int(text) if isinstance(text, str) and text.isdigit() else None


def _decided(request: HttpRequest, res: deciding.DecideResult) -> None:
    messages.success(request, f"Đã quyết định {res.decided} đảng viên.")
    if res.skipped:
        messages.warning(request, f"Chưa quyết định {len(res.skipped)} trường hợp:")
        for why in res.skipped[:10]:
            messages.warning(request, why)


def _selected(request: HttpRequest, cycle: Cycle, org: Organization) -> list[Choice]:
    """The ticked members, each at the chosen level or, when none is chosen, at its own
    proposal (the chi ủy's, else the rules')."""
    ids = [int(v) for v in request.POST.getlist("chon") if v.isdigit()]
    if not ids:
        raise ValidationError("Chọn ít nhất một đảng viên trong bảng để quyết định.")
    level = request.POST.get("level_sel", "")
    reason = request.POST.get("reason_sel", "")
    if level:
        return [Choice(mid, level, reason) for mid in ids]
    lines = {x.row.member_id: x for x in pages.cell_page(request.user, cycle, org).lines}
    return [
        Choice(mid, lines[mid].proposed or lines[mid].row.level, reason)
        for mid in ids
        if mid in lines
    ]


def _failed(request: HttpRequest, action: str, errors: list[str]) -> dict[str, object]:
    """What the user chose, kept for the page re-drawn with the error beside it."""
    if action == "decide_one":
        return {"action": action, "errors": errors, "member": _int(request.POST.get("member")),
                "level": request.POST.get("level", ""),
                "reason": request.POST.get("reason", "")}  # fmt: skip
    if action == "decide_selected":
        return {"action": action, "errors": errors,
                "chosen": [int(v) for v in request.POST.getlist("chon") if v.isdigit()],
                "level": request.POST.get("level_sel", ""),
                "reason": request.POST.get("reason_sel", "")}  # fmt: skip
    for m in errors:
        messages.error(request, m)
    return {}


@login_required
def tally(request: HttpRequest, cycle_id: int, org_id: int) -> HttpResponse:
    """The chi ủy types the counts of its biên bản kiểm phiếu (kết quả nhập tay)."""
    cycle, org = unit_and_cycle(request, cycle_id, org_id)
    if org.kind not in CELL_KINDS or not can_at(request.user, Action.EDIT, Kind.DECISION, org):
        raise PermissionDenied("Đồng chí không có quyền nhập kết quả biểu quyết của chi bộ này.")
    method = profile_of(cycle).ballot.method
    rows = [r for r in outcomes_for(cycle, org).rows if r.cell_id == org.pk]
    sheet = TallySheet.objects.filter(cycle=cycle, cell=org).first()
    initial = {}
    if sheet is not None:
        initial = {"counted_on": sheet.counted_on, "voters_present": sheet.voters_present,
                   "spoiled": sheet.spoiled, "minutes_ref": sheet.minutes_ref}  # fmt: skip
    head = TallyHeadForm(request.POST or None, initial=initial)
    errors: list[str] = []
    if request.method == "POST" and head.is_valid():
        try:
            lines = tally_rows(request.POST, rows, method)
            services.enter_tally(request.user, cycle, org, rows=lines, **head.cleaned_data)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, "Đã lưu kết quả biểu quyết theo biên bản.")
            return redirect("grading_cell", cycle_id=cycle.pk, org_id=org.pk)
    saved = {r.member_id: r for r in sheet.rows.all()} if sheet is not None else {}
    context = {"cycle": cycle, "org": org, "head": head, "method": method,
               "method_name": METHOD_NAMES[method], "errors": errors, "levels": LEVEL_CHOICES,
               "lines": [_line(request, r, saved.get(r.member_id)) for r in rows]}  # fmt: skip
    return TemplateResponse(request, "grading/tally.html", context)


COUNT_FIELDS = ("htxsnv", "httnv", "htnv", "khtnv", "approve", "disapprove")


def _line(request: HttpRequest, r: MemberRow, saved: TallyRow | None) -> dict[str, object]:
    """One member's line as typed (after an error), as saved, or blank (present, voted)."""
    p = f"m{r.member_id}_"
    line: dict[str, object] = {"id": r.member_id, "name": r.name}
    if request.method == "POST":
        line |= {f: request.POST.get(p + f, "") for f in COUNT_FIELDS}
        line |= {"present": bool(request.POST.get(p + "present")),
                 "voted": bool(request.POST.get(p + "voted")),
                 "proposed": request.POST.get(p + "proposed", "")}  # fmt: skip
    elif saved is not None:
        line |= {f: getattr(saved, f) or "" for f in COUNT_FIELDS}
        line |= {"present": saved.present, "voted": saved.voted, "proposed": saved.proposed_level}
    else:
        line |= {f: "" for f in COUNT_FIELDS} | {"present": True, "voted": True, "proposed": ""}
    return line


def _member(request: HttpRequest, member_id: int) -> Member:
    member = (
        Member.objects.filter(scope_q(request.user, Kind.DECISION, Action.VIEW, "cell__path"))
        .select_related("cell")
        .filter(pk=member_id)
        .first()
    )
    if member is None:
        raise Http404("Không tìm thấy đảng viên.")
    return member


@login_required
def conditions(request: HttpRequest, cycle_id: int, member_id: int) -> HttpResponse:
    member = _member(request, member_id)
    cycle, _org = unit_and_cycle(request, cycle_id, member.cell_id)
    instance = MemberConditions.objects.filter(cycle=cycle, member=member).first()
    form = ConditionsForm(request.POST or None, instance=instance)
    # QĐ 366 Điều 11 rates on tasks and facts a plan under QĐ 124 never asks for.
    sc = profile_of(cycle).caps.scoring
    scored = sc is not None and sc.enabled
    stored = instance.article_11 if instance else None
    article = Article11Form(request.POST or None, prefix="d11", stored=stored) if scored else None
    if request.method == "POST" and form.is_valid() and (article is None or article.is_valid()):
        data = dict(form.cleaned_data)
        if article is not None:
            data["article_11"] = article.article_11
        try:
            services.save_conditions(request.user, cycle, member, data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã lưu điều kiện xếp loại của {member.full_name}.")
            return redirect("grading_cell", cycle_id=cycle.pk, org_id=member.cell_id)
    can_edit = can_at(request.user, Action.EDIT, Kind.DECISION, member.cell)
    context = {"cycle": cycle, "member": member, "form": form, "can_edit": can_edit,
               "article": article}  # fmt: skip
    return TemplateResponse(request, "grading/conditions.html", context)


@login_required
def member_history(request: HttpRequest, cycle_id: int, member_id: int) -> HttpResponse:
    """Every act on a member's result, annulled ones included; the annulment form."""
    member = _member(request, member_id)
    cycle, _org = unit_and_cycle(request, cycle_id, member.cell_id)
    form = AnnulForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            deciding.annul(request.user, cycle, member, level=d["level"], grounds=d["grounds"],
                           reason=d["reason"])  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã hủy bỏ kết quả cũ và ghi kết quả xếp loại lại.")
            return redirect("grading_history", cycle_id=cycle.pk, member_id=member.pk)
    acts = pages.history(cycle, f"m:{member.pk}")
    context = {"cycle": cycle, "member": member, "acts": acts, "form": form,
               "can_annul": any(a.step == "decide" for a in acts),
               "level_names": pages.LEVEL_NAMES}  # fmt: skip
    return TemplateResponse(request, "grading/history.html", context)

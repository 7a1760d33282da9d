"""Use-cases of the yearly plan: open a cycle, open a lower level's cycle under it, move a
step's window. Each is one transaction that checks permission and writes the audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.audit.models import record
from kiemdiem.cycles.models import Cycle, CycleStatus, DayException, Step
from kiemdiem.cycles.profiles import ProfileError, profile_snapshot
from kiemdiem.cycles.templates import TemplateError, get_template
from kiemdiem.cycles.workdays import Calendar
from kiemdiem.org.models import Organization
from kiemdiem.vn import short_date


def _require(user: Any, action: Action, org: Organization) -> None:
    if not can_at(user, action, Kind.CYCLE, org):
        raise PermissionDenied("Đồng chí không có quyền với kế hoạch của tổ chức này.")


@transaction.atomic
def open_cycle(
    user: Any,
    organization: Organization,
    *,
    year: int,
    title: str,
    number_symbol: str,
    issued_on: dt.date,
    profile_id: str,
    template_id: str,
    reference_date: dt.date | None = None,
) -> Cycle:
    """A committee office opens the year's plan from one of the step templates."""
    _require(user, Action.EDIT, organization)
    try:
        template = get_template(template_id)
        snapshot = profile_snapshot(profile_id)
    except (TemplateError, ProfileError) as exc:
        raise ValidationError(str(exc)) from exc
    if Cycle.objects.filter(organization=organization, year=year).exists():
        raise ValidationError(f"{organization.name} đã có kế hoạch kiểm điểm năm {year}.")
    cycle = Cycle.objects.create(
        organization=organization,
        year=year,
        title=title,
        number_symbol=number_symbol,
        issued_on=issued_on,
        template_id=template_id,
        profile_id=profile_id,
        profile_snapshot=snapshot,
        reference_date=reference_date or issued_on,
        opened_by=user,
    )
    steps = []
    for order, st in enumerate(template.steps, start=1):
        starts_on, ends_on = st.window(year)
        steps.append(
            Step(
                cycle=cycle,
                order=order,
                code=st.code,
                title=st.title,
                level=st.level,
                starts_on=starts_on,
                ends_on=ends_on,
                deliverables=list(st.deliverables),
                source=st.source,
            )
        )
    Step.objects.bulk_create(steps)
    record(user, "open_cycle", cycle, new={"profile": profile_id, "template": template_id})
    return cycle


@transaction.atomic
def open_child_cycle(
    user: Any,
    parent: Cycle,
    organization: Organization,
    *,
    title: str,
    number_symbol: str,
    issued_on: dt.date,
) -> Cycle:
    """A lower level's plan implements its superior's: same year, same rules, the same steps
    (which it may then only tighten)."""
    _require(user, Action.EDIT, organization)
    if (
        not organization.path.startswith(parent.organization.path)
        or organization == parent.organization
    ):
        raise ValidationError(
            f"{organization.name} không thuộc {parent.organization.name}, "
            "nên không thể thực hiện kế hoạch này."
        )
    if Cycle.objects.filter(organization=organization, year=parent.year).exists():
        raise ValidationError(f"{organization.name} đã có kế hoạch kiểm điểm năm {parent.year}.")
    cycle = Cycle.objects.create(
        organization=organization,
        year=parent.year,
        title=title,
        number_symbol=number_symbol,
        issued_on=issued_on,
        parent=parent,
        template_id=parent.template_id,
        profile_id=parent.profile_id,
        profile_snapshot=parent.profile_snapshot,
        reference_date=parent.reference_date,
        opened_by=user,
    )
    Step.objects.bulk_create(
        Step(
            cycle=cycle,
            order=s.order,
            code=s.code,
            title=s.title,
            level=s.level,
            starts_on=s.starts_on,
            ends_on=s.ends_on,
            deliverables=s.deliverables,
            source=s.source,
            parent_step=s,
        )
        for s in parent.steps.all()
    )
    record(user, "open_child_cycle", cycle, new={"parent": parent.pk})
    return cycle


@transaction.atomic
def change_step_window(user: Any, step: Step, starts_on: dt.date, ends_on: dt.date) -> Step:
    """Move a step's window. A step inherited from the superior's plan may only be tightened:
    its deadline can come earlier, never later."""
    cycle = step.cycle
    _require(user, Action.EDIT, cycle.organization)
    if cycle.status == CycleStatus.CLOSED:
        raise ValidationError("Kế hoạch đã kết thúc, không thể sửa.")
    if ends_on < starts_on:
        raise ValidationError("Hạn hoàn thành không được trước ngày bắt đầu.")
    superior = step.parent_step
    if superior is not None and ends_on > superior.ends_on:
        raise ValidationError(
            f"Hạn của bước “{step.title}” ({short_date(ends_on)}) muộn hơn hạn của kế hoạch "
            f"cấp trên ({short_date(superior.ends_on)}). Kế hoạch cấp dưới chỉ được rút ngắn, "
            "không được kéo dài thời hạn."
        )
    old = {"starts_on": step.starts_on, "ends_on": step.ends_on}
    step.starts_on, step.ends_on = starts_on, ends_on
    step.save(update_fields=["starts_on", "ends_on"])
    # Children that now run late are not moved silently: their office must tighten them.
    record(
        user, "change_step_window", step, old=old, new={"starts_on": starts_on, "ends_on": ends_on}
    )
    return step


def calendar_for(organization: Organization) -> Calendar:
    """The national calendar with the days off and days worked set by the organization or any
    of its ancestors."""
    ids = [organization.pk, *organization.ancestors().values_list("pk", flat=True)]
    rows = DayException.objects.filter(organization_id__in=ids).values_list("day", "is_day_off")
    return Calendar.with_exceptions(
        days_off=(d for d, off in rows if off), days_worked=(d for d, off in rows if not off)
    )

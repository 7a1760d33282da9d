"""Forms of the grading pages. The minutes' table is read field by field (one line per
member) so an error names the member; everything else is a plain Django form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from kiemdiem.grading.facts import MemberRow
from kiemdiem.grading.manual import LEVEL_FIELDS, RowInput
from kiemdiem.grading.models import ANNULMENTS, CcvcRating, Grounds, MemberConditions, Verdict
from kiemdiem.rules import Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LEVEL_CHOICES = [(lv.name, f"{lv.name} — {lv.label}") for lv in Level.__members__.values()][::-1]
AWARDS = [
    ("chien_sy_thi_dua_co_so", "Chiến sĩ thi đua cơ sở (được đề nghị)"),
    ("bang_khen", "Bằng khen cấp bộ, cấp tỉnh"),
    ("giay_khen", "Giấy khen"),
]


class TallyHeadForm(forms.Form):
    counted_on = forms.DateField(label="Ngày kiểm phiếu", widget=DATE)
    voters_present = forms.IntegerField(label="Số người có mặt biểu quyết", min_value=0)
    spoiled = forms.IntegerField(label="Số phiếu không hợp lệ", min_value=0, initial=0)
    minutes_ref = forms.CharField(
        label="Biên bản kiểm phiếu", max_length=200, required=False,
        help_text="Ví dụ: Biên bản kiểm phiếu hội nghị chi bộ ngày 22/11.",
    )  # fmt: skip


def _count(data: QueryDict, key: str, name: str) -> int:
    raw = (data.get(key) or "").strip()
    if not raw:
        return 0
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError(f"{name}: số phiếu “{raw}” không phải số nguyên.") from None
    if value < 0:
        raise ValidationError(f"{name}: số phiếu không được âm.")
    return value


def tally_rows(data: QueryDict, rows: list[MemberRow], method: str) -> list[RowInput]:
    """The members' lines of the minutes from the posted table."""
    out = []
    for r in rows:
        p = f"m{r.member_id}_"
        line = RowInput(r.member_id, r.name, present=bool(data.get(p + "present")),
                        voted=bool(data.get(p + "voted")))  # fmt: skip
        if method == "approve_proposal":
            line.approve = _count(data, p + "approve", r.name)
            line.disapprove = _count(data, p + "disapprove", r.name)
            line.proposed_level = (data.get(p + "proposed") or "").strip()
        else:
            for _lv, f in LEVEL_FIELDS:
                setattr(line, f, _count(data, p + f, r.name))
        out.append(line)
    return out


class ConditionsForm(forms.ModelForm):  # type: ignore[type-arg]
    awards = forms.MultipleChoiceField(
        label="Khen thưởng trong năm", choices=AWARDS, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = MemberConditions
        fields = [
            "ccvc_level", "disciplined_in_year", "sick_leave_days", "maternity_leave_days",
            "works_far_away", "meetings_absent", "meetings_silent", "awards", "note",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ccvc_level"].choices = [("", "— chưa có / không phải CCVC —"),  # type: ignore[attr-defined]
                                             *CcvcRating.choices]  # fmt: skip


class ChoiceForm(forms.Form):
    """One member's level in a decision (the proposal's unless changed, with a reason)."""

    member = forms.IntegerField(widget=forms.HiddenInput)
    level = forms.ChoiceField(label="Mức xếp loại", choices=LEVEL_CHOICES)
    reason = forms.CharField(label="Lý do (khi khác mức đề xuất)", required=False, max_length=500)


class AnnulForm(forms.Form):
    level = forms.ChoiceField(label="Xếp loại lại", choices=LEVEL_CHOICES)
    grounds = forms.ChoiceField(
        label="Trường hợp", choices=[(g.value, g.label) for g in Grounds if g in ANNULMENTS]
    )
    reason = forms.CharField(label="Lý do hủy bỏ kết quả", widget=forms.Textarea(attrs={"rows": 3}))


class AppraiseForm(forms.Form):
    verdict = forms.ChoiceField(label="Ý kiến thẩm định", choices=Verdict.choices)
    reason = forms.CharField(
        label="Lý do (bắt buộc khi trả lại)", required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class OrderForm(forms.Form):
    reason = forms.CharField(
        label="Lý do yêu cầu xếp loại lại", widget=forms.Textarea(attrs={"rows": 2})
    )


class UnitLevelForm(forms.Form):
    level = forms.ChoiceField(label="Mức xếp loại")
    reason = forms.CharField(label="Lý do (khi khác mức đề xuất)", required=False, max_length=500)

    def __init__(self, *args: Any, levels: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = levels  # type: ignore[attr-defined]


def today() -> dt.date:
    return dt.date.today()

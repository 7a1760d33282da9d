from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from kiemdiem.cycles.profiles import profile_choices
from kiemdiem.cycles.templates import plan_templates
from kiemdiem.org.models import Organization

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OpenCycleForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label="Cấp ủy")
    year = forms.IntegerField(label="Năm kiểm điểm", min_value=2015, max_value=2100)
    title = forms.CharField(label="Tên kế hoạch", max_length=300)
    number_symbol = forms.CharField(label="Số, ký hiệu", max_length=40, help_text="Ví dụ: 44-KH/ĐU")
    issued_on = forms.DateField(label="Ngày ban hành", widget=DATE)
    reference_date = forms.DateField(
        label="Ngày tính mốc",
        widget=DATE,
        required=False,
        help_text="Mốc tính thời gian (kết nạp dưới 6 tháng...). Để trống: ngày ban hành.",
    )
    profile_id = forms.ChoiceField(label="Bộ quy tắc xếp loại")
    template_id = forms.ChoiceField(label="Các bước theo mẫu")

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["profile_id"].choices = profile_choices()  # type: ignore[attr-defined]
        self.fields["template_id"].choices = [  # type: ignore[attr-defined]
            (t.id, t.name) for t in plan_templates().values()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        issued, year = data.get("issued_on"), data.get("year")
        if issued and year and abs(issued.year - year) > 1:
            self.add_error("issued_on", "Ngày ban hành không khớp với năm kiểm điểm.")
        return data


class ChildCycleForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="Tổ chức cấp dưới"
    )
    title = forms.CharField(label="Tên kế hoạch", max_length=300)
    number_symbol = forms.CharField(label="Số, ký hiệu", max_length=40)
    issued_on = forms.DateField(label="Ngày ban hành", widget=DATE)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class StepWindowForm(forms.Form):
    starts_on = forms.DateField(label="Từ ngày", widget=DATE)
    ends_on = forms.DateField(label="Hạn hoàn thành", widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("ends_on", "Hạn hoàn thành không được trước ngày bắt đầu.")
        return data

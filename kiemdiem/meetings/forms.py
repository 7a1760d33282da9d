"""Forms of the meeting pages. Targets are chosen as "o:<id>" (a cell or group) or "c:<id>"
(a collective) so one select offers both."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from kiemdiem.meetings.services import MINUTES_FIELDS
from kiemdiem.rules.sources import readable


class ScheduleForm(forms.Form):
    target = forms.ChoiceField(label="Chi bộ, tổ đảng hoặc tập thể")
    day = forms.DateField(label="Ngày họp", widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label="Giờ bắt đầu",
        initial=dt.time(7, 30),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    place = forms.CharField(label="Địa điểm", max_length=200, required=False)
    title = forms.CharField(
        label="Tên hội nghị",
        max_length=300,
        required=False,
        help_text="Để trống: hệ thống đặt tên theo tổ chức và năm.",
    )
    planned_days = forms.DecimalField(
        label="Thời lượng (ngày)",
        min_value=Decimal("0.5"),
        max_value=Decimal("5"),
        decimal_places=1,
        initial=Decimal("1"),
        help_text=readable("002 §4.2: tối thiểu 1 ngày; 1,5 ngày nơi có gợi ý kiểm điểm."),
    )
    review_in_groups = forms.BooleanField(
        label="Đảng viên kiểm điểm ở tổ đảng, tổ đảng báo cáo chi bộ",
        required=False,
        help_text=readable("000 §1.4.3; 003 §II.2.2. Chỉ áp dụng cho chi bộ có tổ đảng."),
    )

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = targets


class MinutesForm(forms.Form):
    discussion = forms.CharField(
        label="Ý kiến thảo luận, góp ý", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    strengths = forms.CharField(
        label="Ưu điểm", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    shortcomings = forms.CharField(
        label="Hạn chế, khuyết điểm", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    conclusion = forms.CharField(
        label="Kết luận của chủ trì", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def texts(self) -> dict[str, str]:
        return {f: self.cleaned_data[f] for f in MINUTES_FIELDS}

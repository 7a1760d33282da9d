"""Forms: the answer (its items come from requirements.yaml), the paper record, cancelling,
creating requests and the list filters. The services re-check everything."""

from __future__ import annotations

from typing import Any

from django import forms

from kiemdiem.feedback.models import FeedbackKind, Status

REQUIRED = {"required": "Không được để trống.", "invalid": "Giá trị không hợp lệ."}
DATE_ERRORS = {"required": "Cần nhập ngày.", "invalid": "Ngày không hợp lệ (ngày/tháng/năm)."}
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class AnswerForm(forms.Form):
    comment = forms.CharField(
        label="Nhận xét", widget=forms.Textarea(attrs={"rows": 5}), required=False,
        max_length=4000,
    )  # fmt: skip
    signer_name = forms.CharField(label="Họ tên người ký", max_length=120, required=False)
    signer_title = forms.CharField(
        label="Chức vụ người ký", max_length=120, required=False,
        help_text="Ví dụ: Bí thư chi bộ.",
    )  # fmt: skip

    def __init__(self, *args: Any, spec: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        choices = [(m["code"], m["label"]) for m in spec["marks"]]
        items = {}
        for item in spec["items"]:
            items[f"item_{item['code']}"] = forms.ChoiceField(
                label=item["text"], choices=choices, widget=forms.RadioSelect,
                required=False,
            )  # fmt: skip
        # The items come first, as on the printed form.
        self.fields = {**items, **self.fields}

    def item_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("item_")]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("item_")]

    def data_for_service(self) -> dict[str, Any]:
        d = self.cleaned_data
        items = {n.removeprefix("item_"): d.get(n) or "" for n in self.fields if n[:5] == "item_"}
        return {
            "items": items, "comment": d.get("comment", ""),
            "signer_name": d.get("signer_name", ""), "signer_title": d.get("signer_title", ""),
        }  # fmt: skip


class PaperForm(AnswerForm):
    received_on = forms.DateField(
        label="Ngày nhận phiếu", input_formats=DATE_FORMATS, error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Lý do hủy", max_length=300, error_messages={"required": "Cần ghi lý do hủy."}
    )


class CreateForm(forms.Form):
    due_on = forms.DateField(
        label="Hạn trả lời", required=False, input_formats=DATE_FORMATS,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Chỉ cần khi kế hoạch không có bước lấy ý kiến nhận xét.",
    )  # fmt: skip


OVERDUE = "overdue"


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Trạng thái", required=False,
        choices=[("", "Mọi trạng thái"), (OVERDUE, "Quá hạn"), *Status.choices],
    )  # fmt: skip
    kind = forms.ChoiceField(
        label="Loại", required=False, choices=[("", "Mọi loại"), *FeedbackKind.choices]
    )
    cell = forms.TypedChoiceField(label="Chi bộ", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, cells: list[tuple[int, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        if cells is None:
            del self.fields["cell"]
        else:
            self.fields["cell"].choices = [("", "Mọi chi bộ"), *cells]  # type: ignore[attr-defined]

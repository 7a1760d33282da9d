from __future__ import annotations

from django import forms

MAX_UPLOAD = 10 * 1024 * 1024


class ImportForm(forms.Form):
    WHAT = [("members", "Danh sách đảng viên"), ("organizations", "Cây tổ chức đảng")]

    what = forms.ChoiceField(label="Loại dữ liệu", choices=WHAT, initial="members")
    file = forms.FileField(
        label="Tệp Excel (.xlsx) hoặc CSV (.csv)",
        error_messages={"required": "Chọn tệp cần nhập.", "empty": "Tệp trống."},
    )
    dry_run = forms.BooleanField(label="Chỉ kiểm tra, chưa lưu", required=False)

    def clean_file(self):  # type: ignore[no-untyped-def]
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("Chỉ nhận tệp .xlsx hoặc .csv.")
        if file.size > MAX_UPLOAD:
            raise forms.ValidationError("Tệp lớn hơn 10 MB; hãy chia thành nhiều tệp.")
        return file

"""The facts QĐ 366-QĐ/TW Điều 11 rates on, as the chi ủy (or the member's secretary on the
member's behalf) types them: tasks planned, done, on time and exceeded; for leaders the units
they lead directly and the year's confidence vote; discipline, suy thoái, earlier
shortcomings not fixed, the group of comparable role. Stored as MemberConditions.article_11
and checked by the CLI's own reader, so the web and `kiemdiem classify` read the same facts."""

from __future__ import annotations

from typing import Any

from django import forms

from kiemdiem.batch_input import InputError, article_11_facts

DISCIPLINE_LABELS = [
    ("", "— không bị kỷ luật —"),
    ("khien_trach", "Khiển trách"),
    ("canh_cao", "Cảnh cáo"),
    ("ha_bac_luong", "Hạ bậc lương"),
    ("giang_chuc", "Giáng chức"),
    ("cach_chuc", "Cách chức"),
    ("buoc_thoi_viec", "Buộc thôi việc"),
    ("khai_tru", "Khai trừ"),
]
# Form field → (key in article_11, key inside it): the pairs are {total, part} tables.
_TABLES = {
    "tasks_total": ("tasks", "total"),
    "tasks_done": ("tasks", "done"),
    "tasks_on_time": ("tasks", "on_time"),
    "tasks_exceeded": ("tasks", "exceeded"),
    "led_units_total": ("led_units", "total"),
    "led_units_khtnv": ("led_units", "khtnv"),
    "confidence_total": ("confidence_votes", "total"),
    "confidence_low": ("confidence_votes", "low"),
}


def _count(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, required=False, help_text=help_text)


class Article11Form(forms.Form):
    tasks_total = _count("Số nhiệm vụ được giao theo kế hoạch trong năm")
    tasks_done = _count("Số nhiệm vụ đã hoàn thành")
    tasks_on_time = _count(
        "Số nhiệm vụ hoàn thành đúng hạn",
        "Hoàn thành nhưng chậm tiến độ = số hoàn thành − số đúng hạn (Điều 11 khoản 3: không "
        "quá 20% thì còn xét Hoàn thành nhiệm vụ).",
    )
    tasks_exceeded = _count(
        "Số nhiệm vụ hoàn thành vượt mức yêu cầu",
        "Hoàn thành xuất sắc cần ít nhất 30% số nhiệm vụ vượt mức (Điều 11 khoản 1).",
    )
    led_units_total = _count("Người lãnh đạo: số địa phương, đơn vị trực tiếp phụ trách")
    led_units_khtnv = _count("… trong đó bị xếp loại Không hoàn thành nhiệm vụ")
    confidence_total = _count("Người lãnh đạo: số phiếu tại kỳ lấy phiếu tín nhiệm trong năm")
    confidence_low = _count("… trong đó phiếu tín nhiệm thấp")
    discipline_form = forms.ChoiceField(
        label="Hình thức kỷ luật trong năm", choices=DISCIPLINE_LABELS, required=False
    )
    degraded = forms.BooleanField(
        label="Bị cấp có thẩm quyền kết luận có biểu hiện suy thoái", required=False
    )
    shortcomings_unfixed = _count("Số hạn chế, khuyết điểm kỳ trước chưa khắc phục")
    group = forms.CharField(
        label="Nhóm có chức vụ, vai trò tương đồng (tính tỷ lệ Hoàn thành xuất sắc)",
        max_length=60, required=False,
        help_text="Để trống: cả chi bộ là một nhóm (Điều 11 khoản 1.4).",
    )  # fmt: skip

    def __init__(self, *args: Any, stored: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if stored and "initial" not in kwargs:
            kwargs["initial"] = initial_from(stored)
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            self.article_11 = stored_from(data)
            article_11_facts(self.article_11, "")
        except InputError as exc:
            raise forms.ValidationError(_plain(str(exc))) from None
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return data


def _plain(message: str) -> str:
    """The CLI's message names a member and a field; on the member's own page, only what is
    wrong is said."""
    text = message.split(": ", 1)[-1]
    return text[:1].upper() + text[1:] + "."


def stored_from(data: dict[str, Any]) -> dict[str, Any]:
    """The typed fields as article_11; a table half filled is refused by name."""
    out: dict[str, Any] = {}
    for field, (table, key) in _TABLES.items():
        value = data.get(field)
        if value is not None:
            out.setdefault(table, {})[key] = value
    names = {"tasks": "số nhiệm vụ", "led_units": "số đơn vị phụ trách",
             "confidence_votes": "số phiếu tín nhiệm"}  # fmt: skip
    needs = {"tasks": {"total", "on_time", "exceeded", "done"}, "led_units": {"total", "khtnv"},
             "confidence_votes": {"total", "low"}}  # fmt: skip
    for table, got in out.items():
        if set(got) != needs[table]:
            raise ValueError(f"Nhập đủ các ô về {names[table]} (hoặc để trống cả nhóm).")
    if data.get("discipline_form"):
        out["discipline_form"] = data["discipline_form"]
    if data.get("degraded"):
        out["degraded"] = True
    if data.get("shortcomings_unfixed"):
        out["shortcomings_unfixed"] = data["shortcomings_unfixed"]
    if (data.get("group") or "").strip():
        out["group"] = data["group"].strip()
    return out


def initial_from(stored: dict[str, Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {
        k: stored[k] for k in ("discipline_form", "degraded", "shortcomings_unfixed", "group")
        if k in stored
    }  # fmt: skip
    for field, (table, key) in _TABLES.items():
        if key in (stored.get(table) or {}):
            initial[field] = stored[table][key]
    return initial

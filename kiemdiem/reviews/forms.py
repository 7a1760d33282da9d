"""Reading the self-review, Mẫu 01 and suggestion forms out of a POST. The self-review's
fields come from the variant's data, so the form is built from forms_data, not declared."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import QueryDict

from kiemdiem.reviews import formdefs
from kiemdiem.reviews.models import REPORT_SECTIONS, SelfReview

SECTION, MANIFESTATION, CRITERION, SCORE, COMMITTEE = "s_", "m_", "c_", "p_", "k_"


def _prefixed(post: QueryDict, prefix: str) -> dict[str, str]:
    return {k[len(prefix) :]: str(v) for k, v in post.items() if k.startswith(prefix)}


def self_review_data(post: QueryDict) -> dict[str, Any]:
    """The service's input from the editor's fields (unknown keys are refused there)."""
    return {
        "answers": _prefixed(post, SECTION),
        "manifestations": _prefixed(post, MANIFESTATION),
        "criteria": _prefixed(post, CRITERION),
        "self_level": post.get("self_level", ""),
        "self_scores": _prefixed(post, SCORE),
    }


def committee_scores(post: QueryDict) -> dict[str, str]:
    return _prefixed(post, COMMITTEE)


def editor_context(review: SelfReview, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Rows for the template, each with its current value (the POSTed one after an error,
    so what was typed is never lost)."""
    form = formdefs.variant(review.variant)
    answers = data["answers"] if data else review.answers
    manif = data["manifestations"] if data else review.manifestations
    crit = data["criteria"] if data else review.criteria
    scores = data["self_scores"] if data else review.self_scores
    committee = review.committee_scores
    framework = None
    if form.framework is not None:
        framework = [
            (
                title,
                [(c, scores.get(c.id, ""), committee.get(c.id, "")) for c in items],
                sum(c.max for c in items),
            )
            for _code, title, items in form.framework.groups
        ]
    return {
        "form": form,
        "sections": [(s, answers.get(s.key, "")) for s in form.sections_for(review.leader)],
        "groups": [
            (g, [(m, manif.get(str(m.id), "")) for m in g.items])
            for g in formdefs.manifestation_groups()
        ],
        "levels": formdefs.manifestation_levels(),
        "criteria": [(c, crit.get(c.key, "")) for c in form.criteria_for(review.leader)],
        "degrees": formdefs.degrees(),
        "framework": framework,
        "self_level": data["self_level"] if data else review.self_level,
        "rated": sum(1 for v in manif.values() if v),
    }


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Nội dung cần sửa",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Cần ghi rõ nội dung cần sửa khi trả lại bản kiểm điểm."},
    )


class ReportForm(forms.Form):
    """Mẫu 01's six sections plus up to a few collected opinions."""

    OPINION_ROWS = 5

    def __init__(self, *args: Any, report: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sections = report.sections if report else {}
        for key, label in REPORT_SECTIONS:
            self.fields[f"s_{key}"] = forms.CharField(
                label=label, required=False, initial=sections.get(key, ""),
                widget=forms.Textarea(attrs={"rows": 4}),
            )  # fmt: skip
        opinions = list(report.opinions) if report else []
        for i in range(max(self.OPINION_ROWS, len(opinions) + 1)):
            o = opinions[i] if i < len(opinions) else {}
            self.fields[f"o{i}_body"] = forms.CharField(
                label="Cơ quan, tổ chức, cá nhân góp ý", required=False, initial=o.get("body")
            )
            self.fields[f"o{i}_opinion"] = forms.CharField(
                label="Ý kiến", required=False, initial=o.get("opinion"),
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip
            self.fields[f"o{i}_received_on"] = forms.DateField(
                label="Ngày nhận", required=False, initial=o.get("received_on") or None,
                widget=forms.DateInput(attrs={"type": "date"}),
                error_messages={"invalid": "Ngày nhận ý kiến không hợp lệ."},
            )  # fmt: skip

    def opinion_rows(self) -> list[tuple[Any, Any, Any]]:
        n = sum(1 for k in self.fields if k.endswith("_body"))
        return [
            (self[f"o{i}_body"], self[f"o{i}_opinion"], self[f"o{i}_received_on"]) for i in range(n)
        ]

    def section_fields(self) -> list[Any]:
        return [self[f"s_{key}"] for key, _ in REPORT_SECTIONS]

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"s_{key}"] for key, _ in REPORT_SECTIONS}

    def opinions(self) -> list[dict[str, str]]:
        rows = []
        for i in range(len(self.opinion_rows())):
            body, opinion = self.cleaned_data[f"o{i}_body"], self.cleaned_data[f"o{i}_opinion"]
            day: dt.date | None = self.cleaned_data[f"o{i}_received_on"]
            if body or opinion:
                rows.append(
                    {
                        "body": body,
                        "opinion": opinion,
                        "received_on": day.isoformat() if day else "",
                    }
                )
        return rows


class MeetingForm(forms.Form):
    meeting_on = forms.DateField(
        label="Ngày hội nghị kiểm điểm",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Cần chọn ngày hội nghị.", "invalid": "Ngày không hợp lệ."},
    )


class SendForm(forms.Form):
    sent_on = forms.DateField(
        label="Ngày gửi báo cáo đến các thành viên",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Cần chọn ngày gửi.", "invalid": "Ngày không hợp lệ."},
    )


class SuggestionForm(forms.Form):
    target = forms.ChoiceField(
        label="Gợi ý cho", error_messages={"required": "Cần chọn tập thể hoặc đảng viên."}
    )
    text = forms.CharField(
        label="Nội dung gợi ý", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Cần ghi nội dung gợi ý."},
    )  # fmt: skip

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "— chọn —"), *targets]  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Giải trình", widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Cần ghi nội dung giải trình."},
    )  # fmt: skip

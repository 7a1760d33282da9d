"""Reason codes with their Vietnamese messages: every outcome explains itself."""

from __future__ import annotations

from typing import Any, NamedTuple

MESSAGES = {
    "exempt_not_classified": "Đảng viên được miễn công tác và sinh hoạt đảng: {what}.",
    "suspended_not_classified": "Đảng viên đang bị đình chỉ sinh hoạt đảng: {what}.",
    "new_member_not_classified": "Đảng viên mới kết nạp chưa đủ {months} tháng: {what}.",
    "temporary_classified_at_official": (
        "Đảng viên sinh hoạt tạm thời: xếp loại tại chi bộ sinh hoạt chính thức."
    ),
    "discipline_khtnv": (
        "Bị kỷ luật trong năm: xếp loại Không hoàn thành nhiệm vụ, không đưa ra biểu quyết."
    ),
    "absent_deferred": "Vắng mặt tại hội nghị: xếp loại ở hội nghị sau và báo cáo bổ sung.",
    "vote_level": "Kết quả biểu quyết: {level} ({detail}).",
    "vote_undecided": "Không mức nào đạt tỷ lệ biểu quyết cần thiết: chi bộ phải biểu quyết lại.",
    "proposal_missing": "Chưa có mức chi ủy đề xuất để biểu quyết tán thành.",
    "cap_sick_leave": "Nghỉ ốm từ {days} ngày trở lên trong năm: tối đa {level}.",
    "cap_far_away": "Đi làm ăn xa: tối đa {level}.",
    "cap_attendance": (
        "Vắng {absent} buổi / không phát biểu {silent} buổi sinh hoạt: không xếp {level}."
    ),
    "cap_ccvc": (
        "Kết quả xếp loại cán bộ, công chức, viên chức là {ccvc}: mức đảng viên tối đa {level}."
    ),
    "cap_ccvc_missing": "Chưa có kết quả xếp loại cán bộ, công chức, viên chức: tối đa {level}.",
    "cap_category": (
        "Đối tượng {category} cần có khen thưởng trong năm để xếp {level}: tối đa {cap}."
    ),
    "cap_leader_unit": (
        "Đảng viên giữ chức vụ lãnh đạo, quản lý: đơn vị, tổ chức mới đạt {unit}, cần {need} "
        "trở lên để xếp {level}: tối đa {cap}."
    ),
    "maternity_time_worked": (
        "Nghỉ thai sản {days} ngày: xếp loại theo kết quả của thời gian làm việc thực tế; "
        "thời gian nghỉ thai sản không tính là nghỉ ốm."
    ),
    "cap_head": "Người đứng đầu không được xếp cao hơn tập thể ({level}).",
    "cap_deputy": "Cấp phó không được xếp cao hơn tập thể, đơn vị ({level}).",
    "cap_criteria": "Theo mức độ các tiêu chí và kết quả nhiệm vụ: tối đa {level}.",
    "criteria_khtnv": (
        "Có tiêu chí xếp Kém hoặc hoàn thành dưới 50% chỉ tiêu: Không hoàn thành nhiệm vụ."
    ),
    "score_level": "Điểm đánh giá {score}/100: đạt mức {level}.",
    "score_missing": "Chưa có điểm đánh giá theo thang 100 điểm.",
    "score_condition_unmet": (
        "Điểm {score}/100 thuộc khung {band} nhưng chưa bảo đảm điều kiện: {what}: tối đa {level}."
    ),
    "tasks_unknown": (
        "Chưa có số liệu nhiệm vụ (tổng số, hoàn thành, đúng hạn, vượt mức): điều kiện về "
        "nhiệm vụ của mức {level} chưa được kiểm tra; chi ủy kiểm tra trước khi đề xuất."
    ),
    "condition_khtnv": "{what}: Không hoàn thành nhiệm vụ.",
    "sick_leave_time_worked": (
        "Nghỉ ốm {days} ngày trong năm: xếp loại căn cứ vào kết quả làm việc thực tế, "
        "không giới hạn mức."
    ),
    "discipline_vote": (
        "Đảng viên đang chấp hành kỷ luật: xếp loại Không hoàn thành nhiệm vụ khi có {rule} "
        "{base} tán thành."
    ),
    "discipline_vote_short": (
        "Đảng viên đang chấp hành kỷ luật: chưa có {rule} {base} tán thành mức Không hoàn "
        "thành nhiệm vụ; chi bộ biểu quyết lại."
    ),
    "discipline_proposal": (
        "Đảng viên đang chấp hành kỷ luật: chi ủy đề xuất mức Không hoàn thành nhiệm vụ để "
        "chi bộ biểu quyết (đang đề xuất {level})."
    ),
    "collective_small": (
        "Tập thể lãnh đạo, quản lý có {size} thành viên (dưới {min}): kiểm điểm ở tập thể cấp "
        "ủy cơ quan, đơn vị nơi công tác hoặc cơ quan, đơn vị có chức năng, nhiệm vụ tương đồng."
    ),
    "quota_outstanding": (
        "Cấp có thẩm quyền quyết định đơn vị có thành tích xuất sắc, nổi trội: hạn mức {level} "
        "đến {share} số {base}."
    ),
    "quota_kept": "Trong hạn mức {level}: {limit} người (xếp thứ {rank}).",
    "quota_over": "Vượt hạn mức {level} ({limit} người): chuyển xuống {fallback}.",
    "quota_needs_decision": (
        "Bằng phiếu với người khác tại ranh giới hạn mức {level} ({limit} người): "
        "cấp ủy quyết định; tạm xếp {fallback}."
    ),
}


# Member categories and ballot words as the messages name them (identifiers stay English).
CATEGORY_NAMES = {
    "ccvc": "cán bộ, công chức, viên chức",
    "worker": "công nhân",
    "farmer": "nông dân",
    "laborer": "người lao động",
    "student": "học sinh, sinh viên",
    "retired": "hưu trí",
    "armed_forces": "lực lượng vũ trang",
    "business": "sản xuất kinh doanh, dịch vụ, làm kinh tế",
    "other": "khác",
}
BALLOT_WORDS = {"approve": "tán thành", "disapprove": "không tán thành"}


class Reason(NamedTuple):
    """A reason code with its source. The message is formatted only when read: a province's
    recompute makes millions of reasons and shows few of them. (A NamedTuple: cheap to make.)"""

    code: str
    source: str = ""
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def message(self) -> str:
        values = {k: v() if callable(v) else v for k, v in self.params}
        return MESSAGES[self.code].format(**values)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "source": self.source}


def reason(code: str, source: str = "", **values: Any) -> Reason:
    """`values` may hold zero-argument callables, evaluated when the message is read."""
    return Reason(code, source, tuple(values.items()))

"""Every error is JSON `{"detail": "…", "errors": [{"field", "message"}]}` with a Vietnamese
message, whatever raised it: a service (ValidationError, PermissionDenied), a lookup (404),
ninja's own checks of the input (422) or of the credentials (401)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InputError

from kiemdiem.api.common import NOT_FOUND

UNAUTHENTICATED = (
    "Cần đăng nhập, hoặc gửi khóa truy cập API hợp lệ trong tiêu đề "
    "“Authorization: Bearer …”. Khóa đã thu hồi không còn dùng được."
)
BAD_INPUT = "Dữ liệu gửi lên không hợp lệ."
# ninja's own English messages, as raised by the library.
_KNOWN = {
    "Cannot parse request body": "Nội dung gửi lên không phải JSON hợp lệ.",
    "Unauthorized": UNAUTHENTICATED,
    "Forbidden": "Đồng chí không có quyền thực hiện thao tác này.",
}
# pydantic's error types, in Vietnamese; the context fills the placeholders.
_PYDANTIC = {
    "missing": "Thiếu giá trị bắt buộc.",
    "int_parsing": "Phải là số nguyên.",
    "int_type": "Phải là số nguyên.",
    "int_from_float": "Phải là số nguyên.",
    "string_type": "Phải là chuỗi ký tự.",
    "string_too_long": "Dài quá {max_length} ký tự.",
    "string_too_short": "Cần ít nhất {min_length} ký tự.",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}.",
    "greater_than": "Phải lớn hơn {gt}.",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}.",
    "less_than": "Phải nhỏ hơn {lt}.",
    "date_parsing": "Ngày phải viết dạng NNNN-TT-NN (ví dụ 2025-11-20).",
    "date_from_datetime_parsing": "Ngày phải viết dạng NNNN-TT-NN (ví dụ 2025-11-20).",
    "date_type": "Ngày phải viết dạng NNNN-TT-NN (ví dụ 2025-11-20).",
    "datetime_parsing": "Thời điểm phải viết theo ISO 8601 (ví dụ 2025-11-20T08:00:00+07:00).",
    "bool_parsing": "Phải là true hoặc false.",
    "bool_type": "Phải là true hoặc false.",
    "literal_error": "Phải là một trong: {expected}.",
    "enum": "Phải là một trong: {expected}.",
    "dict_type": "Phải là một đối tượng JSON.",
    "list_type": "Phải là một danh sách.",
    "model_type": "Phải là một đối tượng JSON.",
    "model_attributes_type": "Phải là một đối tượng JSON.",
    "json_invalid": "Không phải JSON hợp lệ.",
    "extra_forbidden": "Trường không có trong mô tả API.",
    "text_nul": "Không được chứa ký tự NUL.",
    "text_encoding": "Có ký tự không hợp lệ (không mã hóa được UTF-8).",
}


def _field(loc: Any) -> str:
    # ("body", "data", "answers") -> "answers": where it came from is not the caller's concern.
    parts = [str(p) for p in (loc or ()) if p not in ("body", "query", "path", "header")]
    if parts[:1] in (["data"], ["paging"], ["filters"]) and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts)


def _pydantic_message(error: dict[str, Any]) -> str:
    template = _PYDANTIC.get(str(error.get("type")), "Giá trị không hợp lệ.")
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return template


def error_body(detail: str, errors: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": [{"field": f, "message": m} for f, m in errors or []]}


def _service_errors(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            ("" if field == "__all__" else field, message)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [("", m) for m in exc.messages]


# Routes answered without login for voters (the paper, the vote, the published receipts):
# even their refusals leave no trace in the logs (design.md principle 6).
QUIET_ROUTES = re.compile(r"ballots/<(?:int:)?ballot_id>/(vote|receipts)")


def quiet(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and bool(QUIET_ROUTES.search(match.route or ""))


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        response = api.create_response(request, body, status=status)
        if quiet(request):
            # Django's request logger writes every 4xx with its path; this flag, which Django
            # itself sets once it has logged a response, keeps it silent here.
            response._has_been_logged = True  # type: ignore[attr-defined]
        return response

    def on_input(request: HttpRequest, exc: InputError) -> HttpResponse:
        errors = [(_field(e.get("loc")), _pydantic_message(e)) for e in exc.errors]
        return respond(request, 422, error_body(BAD_INPUT, errors))

    def on_service(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = _service_errors(exc)
        detail = errors[0][1] if len(errors) == 1 else BAD_INPUT
        return respond(request, 400, error_body(detail, errors))

    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or _KNOWN["Forbidden"]
        return respond(request, 403, error_body(message))

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body(NOT_FOUND))

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(request, 401, error_body(UNAUTHENTICATED))
        response["WWW-Authenticate"] = "Bearer"
        return response

    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = _KNOWN.get(exc.message.split(" (")[0], exc.message)
        return respond(request, exc.status_code, error_body(message))

    handlers: list[tuple[type[Exception], Any]] = [
        (InputError, on_input),
        (ValidationError, on_service),
        (PermissionDenied, on_denied),
        (Http404, on_not_found),
        (AuthenticationError, on_unauthenticated),
        (HttpError, on_http),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)

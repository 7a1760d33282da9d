"""Errors that are seen and never leak (issue 13 §6): Vietnamese pages for 400/403/404/500
in the site's layout (JSON under /api/), a 404 instead of a 500 for an id too large for the
database, a request id on every log line, and error reports that carry no request body."""

from __future__ import annotations

import contextvars
import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.debug import SafeExceptionReporterFilter

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

BAD_REQUEST = "Yêu cầu không hợp lệ."
TOO_BIG = "Nội dung gửi lên quá lớn (tối đa {mb} MB); hãy gửi tệp nhỏ hơn hoặc chia nhỏ dữ liệu."
TOO_MANY_FIELDS = "Biểu mẫu gửi lên có quá nhiều trường."
FORBIDDEN = "Đồng chí không có quyền xem trang này."
NOT_FOUND = "Không tìm thấy trang hoặc đối tượng này."
SERVER_ERROR = "Có lỗi trong hệ thống; bộ phận quản trị đã được ghi nhận."
CSRF_FAILED = (
    "Biểu mẫu đã hết hạn hoặc không được gửi từ trang này (kiểm tra bảo mật CSRF); "
    "không có gì được lưu. Hãy tải lại trang, nhập lại và gửi lần nữa."
)


def _api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _back(request: HttpRequest) -> str:
    """The page the user came from, as a way back, when it is on this site (the Referer is
    the browser's word: another host's address is never offered as a link)."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        here = request.build_absolute_uri()
        hosts = {request.get_host()}
    except Exception:  # a 400 for a disallowed Host: no host to compare with
        return ""
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts=hosts, require_https=request.is_secure()
    )
    return referer if referer and referer != here and safe else ""


def _context(request: HttpRequest, status: int, title: str, message: str) -> dict[str, Any]:
    return {"status": status, "title": title, "message": message,
            "request_id": REQUEST_ID.get(), "back": _back(request)}  # fmt: skip


def _respond(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": message, "errors": []}, status=status)
    body = loader.render_to_string(
        "web/error.html", _context(request, status, title, message), request
    )
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        mb = max(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0, settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
        return _respond(request, 413, "Nội dung quá lớn", TOO_BIG.format(mb=round(mb / 2**20, 1)))
    if isinstance(exception, TooManyFieldsSent):
        return _respond(request, 400, "Yêu cầu không hợp lệ", TOO_MANY_FIELDS)
    return _respond(request, 400, "Yêu cầu không hợp lệ", BAD_REQUEST)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 403, "Không có quyền", FORBIDDEN)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 404, "Không tìm thấy", NOT_FOUND)


def server_error(request: HttpRequest) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": SERVER_ERROR, "errors": []}, status=500)
    # No request context: whatever failed may fail again while rendering it.
    body = loader.render_to_string(
        "web/error.html", _context(request, 500, "Lỗi hệ thống", SERVER_ERROR)
    )
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF_FAILURE_VIEW: the English "Forbidden (403) CSRF verification failed"
    page replaced by the site's, saying nothing was saved and what to do."""
    return _respond(request, 403, "Biểu mẫu không gửi được", CSRF_FAILED)


def _out_of_range(exc: Exception) -> bool:
    # SQLite: "Python int too large to convert to SQLite INTEGER" (OverflowError);
    # PostgreSQL: 'value "…" is out of range for type bigint' (DataError).
    return isinstance(exc, OverflowError) or (
        isinstance(exc, DataError) and "out of range" in str(exc)
    )


class RequestIdMiddleware:
    """A short id per request, on every log line written while it runs, in the X-Request-ID
    header and on the error page, so a user can quote it and the operator find the line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = REQUEST_ID.set(secrets.token_hex(6))
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = REQUEST_ID.get()
            return response
        finally:
            REQUEST_ID.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if _out_of_range(exception):
            # An id no row can have (e.g. ?to_chuc=99999999999999999999999): not found.
            return page_not_found(request)
        return None


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class NoBodyReporterFilter(SafeExceptionReporterFilter):
    """Error reports (the e-mail to ADMINS) never carry what was posted — a vote, a ballot
    code, a password — nor the query string; settings and headers named like secrets are
    hidden by Django's own rules."""

    def is_active(self, request: Any) -> bool:
        return True

    def get_post_parameters(self, request: Any) -> Any:
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

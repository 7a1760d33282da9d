"""A brake on guessing (issue 13 §2), on top of django-axes: after AXES_FAILURE_LIMIT wrong
passwords for one account, or wrong passwords and API tokens from one address, sign-in is
refused for AXES_COOLOFF_TIME with a Vietnamese page (JSON under /api/) and status 429; each
lockout writes one audit row. The operator unlocks in the admin or with `axes_reset`."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from kiemdiem.audit.models import AuditEntry

LOCKED_TITLE = "Tạm khóa đăng nhập"
LOCKED = (
    "Đăng nhập bị tạm khóa vì nhập sai quá {limit} lần. Xin thử lại sau {minutes} phút, "
    "hoặc nhờ quản trị viên mở khóa."
)
API_LOCKED = (
    "Địa chỉ này đã gửi sai khóa truy cập API quá {limit} lần: tạm khóa, xin thử lại sau "
    "{minutes} phút hoặc nhờ quản trị viên mở khóa."
)


def _api(request_or_attempt: Any) -> bool:
    return str(getattr(request_or_attempt, "path_info", "") or "").startswith("/api/")


def lockout_parameters(request_or_attempt: Any, credentials: dict[str, Any] | None) -> list[str]:
    """Web sign-in counts per account and per address, each on its own. A token names no
    account, so the API counts per address only: counting it under "no username" would let
    one guesser lock every API client out."""
    return ["ip_address"] if _api(request_or_attempt) else ["username", "ip_address"]


def client_ip(request: HttpRequest) -> str:
    """Behind the TLS proxy every request comes from the proxy: the address that counts is
    the one the proxy appended last to X-Forwarded-For (earlier ones are the client's word)."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return str(request.META.get("REMOTE_ADDR", ""))


def _minutes(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    return max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0


def message(request: HttpRequest) -> str:
    template = API_LOCKED if _api(request) else LOCKED
    return template.format(limit=settings.AXES_FAILURE_LIMIT, minutes=_minutes(request))


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": message(request), "errors": []}, status=429)
    context = {"title": LOCKED_TITLE, "message": message(request), "status": 429}
    return render(request, "web/locked_out.html", context, status=429)


def address_locked(request: HttpRequest) -> bool:
    """Checked before a token is looked at: a locked address learns nothing more."""
    return bool(getattr(settings, "AXES_ENABLED", True)) and AxesProxyHandler.is_locked(request, {})


def token_failed(request: HttpRequest) -> None:
    # No credentials are passed on: the token itself must not reach axes' records or logs.
    AxesProxyHandler.user_login_failed(sender=token_failed, credentials={}, request=request)


def audit_lockout(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """One row when a lockout starts. axes sends the same signal again for every attempt
    refused during the lockout; those carry no failure count and are not recorded."""
    failures = getattr(request, "axes_failures_since_start", None)
    if request is None or failures is None:
        return
    username = str(kwargs.get("username") or "")[:150]
    address = str(kwargs.get("ip_address") or "")
    user = get_user_model().objects.filter(username=username).first() if username else None
    where = f"tài khoản “{username}”, địa chỉ {address}" if username else f"địa chỉ {address}"
    what = "khóa truy cập API" if _api(request) else "đăng nhập"
    AuditEntry.objects.create(
        action="lockout",
        object_type="auth.user" if user else "axes.accessattempt",
        object_id=str(user.pk) if user else "-",
        summary=f"Tạm khóa {what} sau {failures} lần sai: {where}",
        new={"username": username, "ip_address": address, "api": _api(request)},
    )

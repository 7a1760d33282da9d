"""How a request proves who it is: a personal token (`Authorization: Bearer kd_…`) or the
browser's session cookie, with Django's CSRF check on unsafe methods.

Neither class logs anything: ninja's own HttpBearer logs an unexpected Authorization header in
DEBUG, and nothing about a request may be logged on the ballot path (design.md principle 6)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from kiemdiem.accounts import throttle
from kiemdiem.api import tokens

CSRF_FAILED = (
    "Thiếu hoặc sai mã chống giả mạo (CSRF): trình duyệt cần gửi kèm tiêu đề X-CSRFToken. "
    "Chương trình khác nên dùng khóa truy cập API."
)


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        value = request.headers.get(self.header, "")
        scheme, _, raw = value.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            return None
        # Guessing is braked like passwords (issue 13 §2): a locked address gets 429 before its
        # token is looked up, and every unknown token counts against the address in axes.
        if throttle.address_locked(request):
            raise HttpError(429, throttle.message(request))
        user = self.authenticate(request, raw.strip())
        if user is None:
            throttle.token_failed(request)
        return user

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = tokens.authenticate(token)
        if user is not None:
            # The rest of the request (access.py, services) reads request.user, as on the web.
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The web's login, for pages that call the API. CSRF is checked only when the session
    cookie is there: a request with neither credential is simply unauthenticated (401)."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(self.param_name)
        if not key or not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, CSRF_FAILED)
        return key

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if key else None


token_auth = TokenAuth()
session_auth = SessionAuth()
AUTH = [token_auth, session_auth]

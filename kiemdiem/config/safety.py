"""Safe by default (issue 13 §3): without DEBUG the application does not start on the demo
key or a short one. A system check (so `runserver`, `migrate` and `check` refuse) and the WSGI
entry point (so gunicorn refuses) both ask `secret_key_problem`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

# The key a laptop demo runs on; known to everyone who has read the source.
DEMO_SECRET_KEY = "kiemdiem-local-demo-key-change-me-in-production"
MIN_SECRET_KEY_LENGTH = 50  # Django's own deploy check (W009) asks the same
MIN_UNIQUE_CHARACTERS = 5

HOW_TO_SET = (
    "Hãy đặt biến môi trường SECRET_KEY là một chuỗi ngẫu nhiên dài ít nhất "
    f"{MIN_SECRET_KEY_LENGTH} ký tự, ví dụ: "
    "export SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\" "
    "(giữ nguyên khóa này giữa các lần khởi động; xem docs/operator.md, mục “Bảo mật”). "
    "Chỉ khi chạy thử trên máy cá nhân mới đặt DEBUG=true."
)


def secret_key_problem(debug: bool, key: str) -> str | None:
    """Why this key may not run a server without DEBUG, in Vietnamese; None when it may."""
    if debug:
        return None
    if not key or key == DEMO_SECRET_KEY:
        return "Không khởi động: DEBUG=false nhưng SECRET_KEY chưa được đặt (đang là khóa mẫu)."
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < MIN_UNIQUE_CHARACTERS:
        return (
            f"Không khởi động: SECRET_KEY quá ngắn hoặc quá đơn giản ({len(key)} ký tự; "
            f"cần ít nhất {MIN_SECRET_KEY_LENGTH})."
        )
    return None


def refuse_unsafe_start() -> None:
    """For the WSGI entry point: stop before serving a single request."""
    problem = secret_key_problem(settings.DEBUG, settings.SECRET_KEY)
    if problem:
        raise ImproperlyConfigured(f"{problem} {HOW_TO_SET}")


@checks.register(checks.Tags.security)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    problem = secret_key_problem(settings.DEBUG, settings.SECRET_KEY)
    if problem:
        return [checks.Error(problem, hint=HOW_TO_SET, id="kiemdiem.E001")]
    return []

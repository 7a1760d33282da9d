"""Use-cases of personal API tokens: create (the token is returned once), revoke, and
authenticate a request. Creating and revoking are audited; using a token is not (it would
write a row per request) — its last use is kept on the token instead."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kiemdiem.api.models import ApiToken
from kiemdiem.audit.models import record

PREFIX = "kd_"
TOKEN_BYTES = 32  # 256 random bits
MAX_ACTIVE = 20  # a person needs a few; hundreds would mean a script leaking them
NAME_MAX = 100
# Writing "last used" on every request would turn each read into a write; once a minute is
# as precise as anyone reading the token list needs.
TOUCH_EVERY = dt.timedelta(minutes=1)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _looks_like_token(raw: str) -> bool:
    return raw.startswith(PREFIX) and 40 <= len(raw) <= 64


@transaction.atomic
def create_token(actor: Any, owner: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for `owner`, named so they can tell their tokens apart. `actor` is the
    person creating it (the owner on the web page) or None for the operator's command."""
    if actor is not None and getattr(actor, "pk", None) != owner.pk:
        raise PermissionDenied("Đồng chí chỉ tạo được khóa truy cập cho tài khoản của mình.")
    if not owner.is_active:
        raise ValidationError("Tài khoản đã bị khóa, không tạo được khóa truy cập API.")
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("Cần đặt tên cho khóa (ví dụ: “Ứng dụng điện thoại”).")
    if len(name) > NAME_MAX:
        raise ValidationError(f"Tên khóa dài quá {NAME_MAX} ký tự.")
    active = ApiToken.objects.select_for_update().filter(user=owner, revoked_at__isnull=True)
    names = set(active.values_list("name", flat=True))
    if name in names:
        raise ValidationError(f"Đã có khóa đang dùng tên “{name}”: hãy đặt tên khác.")
    if len(names) >= MAX_ACTIVE:
        raise ValidationError(
            f"Tài khoản đã có {MAX_ACTIVE} khóa đang dùng: hãy thu hồi khóa không cần nữa."
        )
    raw = PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken.objects.create(user=owner, name=name, token_hash=digest(raw))
    record(actor, "create_api_token", token, new={"name": name, "user": owner.pk})
    return token, raw


@transaction.atomic
def revoke_token(actor: Any, token: ApiToken) -> ApiToken:
    """Revoke at once: the next request with the token gets 401. `actor` is the owner (or
    None for the operator's command)."""
    if actor is not None and getattr(actor, "pk", None) != token.user_id:
        raise PermissionDenied("Đồng chí chỉ thu hồi được khóa của tài khoản mình.")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(f"Khóa “{token.name}” đã được thu hồi trước đó.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor, "revoke_api_token", token, old={"revoked_at": None},
           new={"revoked_at": token.revoked_at})  # fmt: skip
    return token


def authenticate(raw: str) -> Any:
    """The active user a token belongs to, or None (unknown, revoked, or the account is
    locked). One query, plus a write at most once a minute per token."""
    if not _looks_like_token(raw):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=digest(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

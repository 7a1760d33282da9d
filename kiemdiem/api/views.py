"""The page where a person creates and revokes their own API tokens (user menu → “Khóa truy
cập API”), and the JSON 404 for unknown API addresses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from kiemdiem.api import tokens
from kiemdiem.api.errors import error_body
from kiemdiem.api.models import ApiToken


def api_not_found(request: HttpRequest) -> JsonResponse:
    body = error_body("Không có địa chỉ API này. Xem danh sách tại /api/v1/docs.")
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The list, and the form to create one. The new token is shown in this response only:
    it is not stored anywhere it could be shown again (no redirect through the session)."""
    new_token = ""
    name = ""
    errors: list[str] = []
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            _, new_token = tokens.create_token(request.user, request.user, name)
        except ValidationError as exc:
            errors = exc.messages
        else:
            name = ""
    context = {
        "tokens": ApiToken.objects.filter(user_id=request.user.pk or 0).order_by(
            "-created_at", "-pk"
        ),
        "new_token": new_token,
        "name": name,
        "errors": errors,
        "max_active": tokens.MAX_ACTIVE,
    }
    response = TemplateResponse(request, "api/tokens.html", context)
    # The page may hold a live token: never cache it.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    try:
        tokens.revoke_token(request.user, token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã thu hồi khóa “{token.name}”: khóa không còn dùng được.")
    return redirect("api_tokens")

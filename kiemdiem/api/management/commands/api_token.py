"""`kiemdiem api-token create USER NAME` (prints the token once), `list USER`, `revoke ID`.

For the operator, who may create a token for any account (e.g. for another system's service
account). Errors are one Vietnamese line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kiemdiem.api import tokens
from kiemdiem.api.models import ApiToken


class Command(BaseCommand):
    help = "Khóa truy cập API: tạo (in khóa một lần), liệt kê, thu hồi."

    def add_arguments(self, parser: CommandParser) -> None:
        # Plain positionals checked in handle(): argparse's own errors would be in English.
        parser.add_argument("action", nargs="?", default="", help="create, list hoặc revoke")
        parser.add_argument(
            "values", nargs="*", help="create: USER NAME; list: USER; revoke: ID (số hiệu khóa)"
        )

    def execute(self, *args: Any, **options: Any) -> Any:
        # Django prints "CommandError: …"; an operator should read only the message.
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(str(exc))
            sys.exit(exc.returncode)

    def handle(self, *args: Any, **options: Any) -> None:
        action, values = options["action"], options["values"]
        if action == "create" and len(values) == 2:
            self._create(values[0], values[1])
        elif action == "list" and len(values) == 1:
            self._list(values[0])
        elif action == "revoke" and len(values) == 1:
            self._revoke(values[0])
        else:
            raise CommandError(
                'Cách dùng: kiemdiem api-token create TÊN_ĐĂNG_NHẬP "TÊN KHÓA" | '
                "list TÊN_ĐĂNG_NHẬP | revoke SỐ_HIỆU_KHÓA",
                returncode=2,
            )

    def _user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}”.", returncode=2)
        return user

    def _create(self, username: str, name: str) -> None:
        user = self._user(username)
        try:
            token, raw = tokens.create_token(None, user, name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from exc
        self.stderr.write(
            f"Đã tạo khóa số {token.pk} “{token.name}” cho {username}. "
            "Chép khóa dưới đây ngay: không xem lại được."
        )
        # The token alone on stdout, so a script can capture it: TOKEN=$(kiemdiem api-token …)
        self.stdout.write(raw)

    def _list(self, username: str) -> None:
        user = self._user(username)
        rows = ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
        if not rows:
            self.stdout.write(f"{username} chưa có khóa nào.")
        for t in rows:
            used = timezone.localtime(t.last_used_at).strftime("%d/%m/%Y %H:%M") if (
                t.last_used_at) else "chưa dùng"  # fmt: skip
            state = "đang dùng" if t.active else "đã thu hồi"
            created = timezone.localtime(t.created_at).strftime("%d/%m/%Y %H:%M")
            self.stdout.write(f"{t.pk}\t{t.name}\ttạo {created}\t{used}\t{state}")

    def _revoke(self, token_id: str) -> None:
        token = ApiToken.objects.filter(pk=int(token_id)).first() if token_id.isdigit() else None
        if token is None:
            raise CommandError(f"Không có khóa số “{token_id}”.", returncode=2)
        try:
            tokens.revoke_token(None, token)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from exc
        self.stdout.write(f"Đã thu hồi khóa số {token.pk} “{token.name}”.")

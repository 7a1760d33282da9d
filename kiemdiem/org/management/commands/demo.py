"""`kiemdiem demo`: build the demo commune, or print its logins."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kiemdiem.org.demo import DEMO_LOGINS, DEMO_PASSWORD, build_demo
from kiemdiem.org.models import Organization


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu: Đảng bộ xã Thanh Liên với 12 chi bộ, khoảng 350 đảng viên, và một chi "
        "bộ cơ sở khác; in các tài khoản mẫu (--logins)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="chỉ tạo khi chưa có dữ liệu")
        parser.add_argument("--logins", action="store_true", help="chỉ in các tài khoản mẫu")
        parser.add_argument("--seed", type=int, default=2023, help="hạt giống ngẫu nhiên")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins"]:
            self._print_logins()
            return
        if Organization.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Cơ sở dữ liệu đã có dữ liệu: không tạo dữ liệu mẫu.")
                return
            raise CommandError(
                "Cơ sở dữ liệu đã có dữ liệu. Dữ liệu mẫu chỉ được tạo trên cơ sở dữ liệu trống "
                "(dùng --if-empty để bỏ qua).",
                returncode=2,
            )
        start = time.perf_counter()
        summary = build_demo(options["seed"])
        seconds = time.perf_counter() - start
        self.stdout.write(
            f"Đã tạo dữ liệu mẫu trong {seconds:.1f} giây: {summary.organizations} tổ chức, "
            f"{summary.collectives} tập thể, {summary.members} đảng viên, "
            f"{summary.positions} chức vụ."
        )
        for name, n in summary.grassroots.items():
            self.stdout.write(f"  {name}: {n} đảng viên")
        self.stdout.write("Theo trường hợp cần lưu ý khi kiểm điểm:")
        for case, n in summary.cases.items():
            self.stdout.write(f"  {case}: {n}")

    def _print_logins(self) -> None:
        self.stdout.write("\nTài khoản mẫu:")
        self.stdout.write(f"  {'Tài khoản':<12} {'Mật khẩu':<13} {'Vai trò':<24} Phạm vi")
        for username, role, scope in DEMO_LOGINS:
            self.stdout.write(f"  {username:<12} {DEMO_PASSWORD:<13} {role:<24} {scope}")
        self.stdout.write("Mở http://127.0.0.1:8000 để đăng nhập.\n")

"""`kiemdiem worker`: runs the queued document jobs (DOCUMENTS_JOB_RUNNER = "worker")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kiemdiem.documents import jobs


class Command(BaseCommand):
    help = "Chạy các việc lập văn bản, hồ sơ đang chờ (dùng khi DOCUMENTS_JOB_RUNNER=worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="chạy hết các việc đang chờ rồi dừng"
        )
        parser.add_argument(
            "--interval", type=float, default=2.0, help="số giây chờ giữa hai lần tìm việc"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            ran = jobs.run_queued(once=options["once"], interval=options["interval"])
        except KeyboardInterrupt:
            return
        self.stdout.write(f"Đã chạy {ran} việc lập văn bản.")

"""`kiemdiem worker`: the Tasks framework's worker for the database backend (django-tasks-db's
`db_worker`), which runs the queued long work (the committee dossiers) where
DOCUMENTS_JOB_RUNNER = "worker". Several may run side by side: each task is claimed once."""

from __future__ import annotations

import os
import socket
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks.signals import task_finished

from kiemdiem.documents import jobs, tasks

OTHER_BACKEND = (
    "Hàng đợi việc nền đang dùng “{}”, không phải cơ sở dữ liệu: hãy chạy trình xử lý của "
    "hàng đợi đó (ví dụ rqworker), không phải lệnh này."
)


class Command(BaseCommand):
    help = "Chạy các việc nền đang chờ (lập hồ sơ, văn bản); dùng khi DOCUMENTS_JOB_RUNNER=worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="chạy hết các việc đang chờ rồi dừng"
        )
        parser.add_argument(
            "--interval", type=float, default=2.0, help="số giây chờ giữa hai lần tìm việc"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        if not tasks.on_database_backend():
            raise CommandError(OTHER_BACKEND.format(settings.TASKS["default"]["BACKEND"]))
        ran: list[str] = []

        def count(sender: Any, task_result: Any, **kwargs: Any) -> None:
            ran.append(str(task_result.id))

        cut_off = jobs.fail_cut_off()
        if cut_off:
            self.stdout.write(f"Đã ghi {cut_off} việc bị gián đoạn (máy chủ khởi động lại).")
        task_finished.connect(count, weak=False)
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        try:
            call_command(
                "db_worker", batch=options["once"], interval=options["interval"],
                startup_delay=not options["once"], worker_id=worker_id,
                verbosity=options["verbosity"], reload=False,
            )  # fmt: skip
        except (KeyboardInterrupt, SystemExit):
            pass  # stopped by a signal: the worker finished or gave back its task
        finally:
            task_finished.disconnect(count)
        self.stdout.write(f"Đã chạy {len(ran)} việc lập văn bản.")

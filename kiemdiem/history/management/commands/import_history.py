"""`kiemdiem import-history FILE [--dry-run]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from kiemdiem.history.importing import import_history
from kiemdiem.org.management.commands._importing import ImportCommand, read_file, report


class Command(ImportCommand):
    help = "Nhập kết quả xếp loại các năm trước từ tệp .xlsx hoặc .csv; có lỗi thì không lưu gì."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp .xlsx hoặc .csv")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không lưu")

    def handle(self, *args: Any, **options: Any) -> None:
        data = read_file(options["file"])
        report(self, import_history(data, options["file"], dry_run=options["dry_run"]))

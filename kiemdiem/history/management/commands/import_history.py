"""`kiemdiem import-history FILE [--org CODE] [--dry-run]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from kiemdiem.history.importing import import_history
from kiemdiem.org.management.commands._importing import ImportCommand, read_file, report
from kiemdiem.org.models import Organization


class Command(ImportCommand):
    help = "Nhập kết quả xếp loại các năm trước từ tệp .xlsx hoặc .csv; có lỗi thì không lưu gì."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp .xlsx hoặc .csv")
        parser.add_argument("--org", help="chỉ nhận đối tượng thuộc tổ chức có mã này")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không lưu")

    def handle(self, *args: Any, **options: Any) -> None:
        may_write = None
        if options["org"]:
            within = Organization.objects.filter(code=options["org"]).first()
            if within is None:
                raise CommandError(f"Không có tổ chức mã “{options['org']}”.", returncode=2)

            def may_write(org: Organization) -> bool:
                return org.path.startswith(within.path)

        data = read_file(options["file"])
        report(self, import_history(data, options["file"], may_write=may_write,
                                    dry_run=options["dry_run"]))  # fmt: skip

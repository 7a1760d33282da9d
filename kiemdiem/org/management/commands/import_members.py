"""`kiemdiem import-members FILE [--org CODE] [--dry-run]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from kiemdiem.org.importing import import_members
from kiemdiem.org.management.commands._importing import ImportCommand, read_file, report
from kiemdiem.org.models import Organization


class Command(ImportCommand):
    help = "Nhập đảng viên từ tệp .xlsx hoặc .csv (theo mẫu nhập); có lỗi thì không lưu gì."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp .xlsx hoặc .csv")
        parser.add_argument("--org", help="chỉ nhận đảng viên thuộc tổ chức có mã này")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không lưu")

    def handle(self, *args: Any, **options: Any) -> None:
        within = None
        if options["org"]:
            within = Organization.objects.filter(code=options["org"]).first()
            if within is None:
                raise CommandError(f"Không có tổ chức mã “{options['org']}”.", returncode=2)
        data = read_file(options["file"])
        result = import_members(data, options["file"], within=within, dry_run=options["dry_run"])
        report(self, result)

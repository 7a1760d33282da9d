"""Shared body of the import commands: read a file, import it all or nothing, report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kiemdiem.org.importing import ImportResult

SHOWN_ERRORS = 200


class ImportCommand(BaseCommand):
    """Django prints a failed command as "CommandError: ..."; an office clerk should read
    only the Vietnamese message (exit code 2). call_command still raises CommandError."""

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(str(exc))
            sys.exit(exc.returncode)


def read_file(path: str) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"Không tìm thấy tệp “{path}”.", returncode=2)
    try:
        return file.read_bytes()
    except OSError as exc:  # unreadable: permissions, a broken disk, a network share gone
        raise CommandError(f"Không đọc được tệp “{path}”: {exc.strerror}.", returncode=2) from exc


def report(command: BaseCommand, result: ImportResult) -> None:
    if result.errors:
        lines = [f"Tệp có {len(result.errors)} lỗi; chưa lưu dòng nào:"]
        lines += [f"  {e}" for e in result.errors[:SHOWN_ERRORS]]
        if len(result.errors) > SHOWN_ERRORS:
            lines.append(f"  ... và {len(result.errors) - SHOWN_ERRORS} lỗi khác.")
        raise CommandError("\n".join(lines), returncode=2)
    command.stdout.write(result.summary())

"""Shared body of the import commands: read a file, import it all or nothing, report."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kiemdiem.org.importing import ImportResult


def read_file(path: str) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"Không tìm thấy tệp “{path}”.", returncode=2)
    return file.read_bytes()


def report(command: BaseCommand, result: ImportResult) -> None:
    if result.errors:
        lines = [f"Tệp có {len(result.errors)} lỗi; chưa lưu dòng nào:"]
        lines += [f"  {e}" for e in result.errors[:200]]
        if len(result.errors) > 200:
            lines.append(f"  ... và {len(result.errors) - 200} lỗi khác.")
        raise CommandError("\n".join(lines), returncode=2)
    command.stdout.write(result.summary())

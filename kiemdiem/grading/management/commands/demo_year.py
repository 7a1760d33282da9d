"""`kiemdiem demo-year`: run the demo commune's year up to the chi ủy's proposals."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.demo_year import COMMUNE, DEMO_CODE, DemoYearError, run_year
from kiemdiem.org.demo import DEMO_PASSWORD
from kiemdiem.org.models import Organization


def _needed() -> bool:
    """Only on the demo commune, and only once: an office's real data is never touched."""
    commune = Organization.objects.filter(name=COMMUNE, code=DEMO_CODE).first()
    return commune is not None and not Cycle.objects.filter(organization=commune).exists()


class Command(BaseCommand):
    help = (
        "Chạy mẫu một năm kiểm điểm trên dữ liệu mẫu: mở kế hoạch, lập đối tượng, nhận xét, "
        "họp chi bộ, bỏ phiếu (xóm 1 trực tuyến, các chi bộ khác nhập biên bản kiểm phiếu), "
        "chi ủy đề xuất; để văn phòng cấp ủy quyết định."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-needed", action="store_true", help="chỉ chạy trên dữ liệu mẫu chưa có kế hoạch"
        )
        parser.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_needed"] and not _needed():
            self.stdout.write(
                "Không chạy năm mẫu: chưa có dữ liệu mẫu hoặc năm mẫu đã có kế hoạch."
            )
            return
        start = time.perf_counter()
        try:
            s = run_year(options["seed"])
        except DemoYearError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        seconds = time.perf_counter() - start
        levels = ", ".join(f"{lv} {n}" for lv, n in sorted(s.levels.items()))
        self.stdout.write(
            f"Đã chạy năm mẫu {s.cycle.year} trong {seconds:.1f} giây: {s.subjects} đối tượng "
            f"kiểm điểm, {s.comments} phiếu nhận xét, {s.self_reviews} bản tự kiểm điểm, "
            f"{s.meetings} hội nghị chi bộ, "
            f"{s.online_votes} phiếu kín trực tuyến (Chi bộ xóm 1), {s.tallies} biên bản kiểm "
            f"phiếu nhập tay, {s.proposals} đề xuất của chi ủy ({levels}), {s.units} chi bộ, "
            "tập thể tự đánh giá, chấm điểm. "
            "Văn phòng cấp ủy quyết định tại “Xếp loại” của kế hoạch."
        )
        if s.accounts:
            self.stdout.write(
                f"Tài khoản bí thư các chi bộ (mật khẩu {DEMO_PASSWORD}): " + ", ".join(s.accounts)
            )

"""`kiemdiem demo-year`: run the demo commune's year up to the chi ủy's proposals."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.demo_year import COMMUNE, DEMO_CODE, PLANS, DemoYearError, run_year
from kiemdiem.org.demo import DEMO_PASSWORD
from kiemdiem.org.models import Organization


def _needed() -> bool:
    """Only on the demo commune, and only once: an office's real data is never touched."""
    commune = Organization.objects.filter(name=COMMUNE, code=DEMO_CODE).first()
    return commune is not None and not Cycle.objects.filter(organization=commune).exists()


class Command(BaseCommand):
    help = (
        "Chạy mẫu một năm kiểm điểm trên dữ liệu mẫu, để văn phòng cấp ủy quyết định. "
        "--plan qd366-2025 (mặc định): theo Quy định 366-QĐ/TW, Hướng dẫn 43-HD/BTCTW — tự "
        "chấm điểm Mẫu 2A/2B/2C, chi ủy thẩm định điểm và đề xuất, không biểu quyết. "
        "--plan thanhlien-2023: kế hoạch 2023 của xã — họp chi bộ, bỏ phiếu (xóm 1 trực "
        "tuyến, các chi bộ khác nhập biên bản kiểm phiếu), chi ủy đề xuất."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-needed", action="store_true", help="chỉ chạy trên dữ liệu mẫu chưa có kế hoạch"
        )
        parser.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên")
        parser.add_argument(
            "--plan", default=PLANS[0], help=f"kế hoạch của năm mẫu: {', '.join(PLANS)}"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_needed"] and not _needed():
            self.stdout.write(
                "Không chạy năm mẫu: chưa có dữ liệu mẫu hoặc năm mẫu đã có kế hoạch."
            )
            return
        start = time.perf_counter()
        try:
            s = run_year(options["seed"], plan=options["plan"])
        except DemoYearError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        seconds = time.perf_counter() - start
        levels = ", ".join(f"{lv} {n}" for lv, n in sorted(s.levels.items()))
        if s.tallies or s.online_votes:
            how = (f"{s.online_votes} phiếu kín trực tuyến (Chi bộ xóm 1), {s.tallies} biên bản "
                   "kiểm phiếu nhập tay")  # fmt: skip
        else:
            how = f"không biểu quyết, {s.vetted} bản chấm điểm được chi ủy thẩm định"
        self.stdout.write(
            f"Đã chạy năm mẫu {s.cycle.year} ({s.cycle.profile_id}) trong {seconds:.1f} giây: "
            f"{s.subjects} đối tượng kiểm điểm, {s.comments} phiếu nhận xét, {s.self_reviews} "
            f"bản tự kiểm điểm, {s.meetings} hội nghị chi bộ, {how}, {s.proposals} đề xuất "
            f"của chi ủy ({levels}), {s.units} chi bộ, tập thể tự đánh giá, chấm điểm. "
            "Văn phòng cấp ủy quyết định tại “Xếp loại” của kế hoạch."
        )
        if s.accounts:
            self.stdout.write(
                f"Tài khoản bí thư các chi bộ (mật khẩu {DEMO_PASSWORD}): " + ", ".join(s.accounts)
            )

"""`kiemdiem verify-ballot ID [--head HEX]`: recount a ballot from its box and check the
hash chain; for a paper ballot, compare its two entries again and check them against the
papers issued.
`--head` is the chain head printed in the biên bản kiểm phiếu: the stored box must end there,
so a box rewritten whole inside the database (receipts, links and head recomputed) fails."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kiemdiem.ballots.anchors import printed_head_problem
from kiemdiem.ballots.counting import CHOICE_NAMES, LEVEL_CHOICES
from kiemdiem.ballots.models import Ballot
from kiemdiem.ballots.results import final_counts, is_final, verify_any


def _label(choice: str) -> str:
    """Levels by their official abbreviations; "approve", "blank" … in Vietnamese words."""
    return choice if choice in LEVEL_CHOICES else CHOICE_NAMES[choice]


class Command(BaseCommand):
    help = "Kiểm lại một cuộc bỏ phiếu kín: đếm lại từ hòm phiếu và kiểm tra chuỗi mã băm."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ballot_id", type=int)
        parser.add_argument(
            "--head",
            default="",
            help="Mã băm đầu chuỗi in trong biên bản kiểm phiếu (ít nhất 16 ký tự đầu): "
            "hòm phiếu phải kết thúc đúng ở mã này.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ballot = Ballot.objects.filter(pk=options["ballot_id"]).first()
        if ballot is None:
            raise CommandError(f"Không có cuộc bỏ phiếu số {options['ballot_id']}.", returncode=2)
        problems = verify_any(ballot)
        if options["head"]:
            if ballot.mode == "paper":
                problems.append("Cuộc bỏ phiếu giấy không có chuỗi mã băm để đối chiếu.")
            elif ballot.status != "closed":
                problems.append("Cuộc bỏ phiếu chưa đóng: chưa có mã băm đầu chuỗi.")
            elif problem := printed_head_problem(ballot, options["head"]):
                problems.append(problem)
        if problems:
            raise CommandError("\n".join(problems), returncode=2)
        result = final_counts(ballot) if is_final(ballot) else None
        if ballot.mode == "paper":
            self.stdout.write(f"{ballot.title}: phiếu giấy, hai lần nhập khớp nhau.")
        else:
            self.stdout.write(f"{ballot.title}: chuỗi mã băm hợp lệ, đầu chuỗi {ballot.head}.")
        if result is not None:
            self.stdout.write(f"Số phiếu: {result.papers.returned}/{result.papers.issued}.")
            for c in ballot.candidates.all():
                marks = ", ".join(f"{_label(k)}: {v}" for k, v in result.row(c.key).items())
                self.stdout.write(f"  {c.order}. {c.name} — {marks}")

"""The head printed in the biên bản kiểm phiếu, checked against the stored box (issue 12 §4):
`kiemdiem verify-ballot ID --head HEX`."""

from __future__ import annotations

from kiemdiem.ballots.models import Ballot, BoxEntry
from kiemdiem.ballots.services import GENESIS, _sha

MIN_PRINTED_HEAD = 16  # hex characters of the printed head one must type at least


def printed_head_problem(ballot: Ballot, printed: str) -> str:
    """The head printed in the biên bản (kept outside the database) against the chain the
    stored box actually ends at, recomputed from its rows: a box rewritten whole — receipts,
    links and the stored head recomputed — still ends elsewhere (issue 12 §4). Empty: holds."""
    given = "".join(printed.split()).lower()
    if len(given) < MIN_PRINTED_HEAD or any(c not in "0123456789abcdef" for c in given):
        return (
            f"Mã băm đầu chuỗi in trong biên bản phải gồm ít nhất {MIN_PRINTED_HEAD} ký tự "
            "thập lục phân (0–9, a–f)."
        )
    head = GENESIS
    for receipt in (
        BoxEntry.objects.filter(ballot=ballot)
        .order_by("position")
        .values_list("receipt", flat=True)
    ):
        head = _sha(head + receipt)
    if not head.startswith(given):
        return (
            "Hòm phiếu lưu trong hệ thống không kết thúc ở mã băm đầu chuỗi đã in trong biên bản "
            f"({given[:16]}…): hòm phiếu đã bị thay đổi sau khi đóng."
        )
    return ""

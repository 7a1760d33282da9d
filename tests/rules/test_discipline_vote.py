"""001 §2.2.5d (dhktna-2016, caps.discipline.off_ballot false): a disciplined member is KHTNV
only "và có trên 1/2 số đảng viên chính thức bỏ phiếu tán thành" — never without the vote."""

from __future__ import annotations

from kiemdiem.rules import Votes
from tests.rules.helpers import L, codes, ctx, outcome


def test_khtnv_needs_the_vote() -> None:
    kw = {"disciplined_in_year": True, "proposed_level": L.KHTNV}
    none = outcome("dhktna-2016", None, ctx(10), **kw)
    assert none.level is None and codes(none) == ["discipline_vote"]
    short = outcome("dhktna-2016", Votes(approve=5, disapprove=5), ctx(10), **kw)
    assert short.level is None and "discipline_vote_short" in codes(short)
    carried = outcome("dhktna-2016", Votes(approve=6, disapprove=4), ctx(10), **kw)
    assert carried.level == L.KHTNV


def test_a_lighter_proposal_is_sent_back() -> None:
    o = outcome("dhktna-2016", Votes(approve=9), ctx(10), disciplined_in_year=True,
                proposed_level=L.HTTNV)  # fmt: skip
    assert o.level is None and codes(o) == ["discipline_proposal"]

"""The ban kiểm phiếu's side in tests (issue 12 §3): the shares shown once at the start are
kept here, as the members keep their codes on paper, and entered at the count."""

from __future__ import annotations

from typing import Any

from kiemdiem.ballots import services
from kiemdiem.ballots.models import Ballot
from kiemdiem.ballots.opening import count_sealed

_KEPT: dict[int, list[str]] = {}


def start_voting(user: Any, ballot: Ballot) -> services.Slips:
    slips = services.start_voting(user, ballot)
    _KEPT[ballot.pk] = [code for _holder, code in slips.shares]
    return slips


def shares_of(ballot: Ballot) -> list[str]:
    return _KEPT[ballot.pk]


def close_counted(user: Any, ballot: Ballot) -> Ballot:
    """Close, then k members enter their shares on the counting page."""
    services.close(user, ballot)
    return count_sealed(user, ballot, shares_of(ballot))

"""What a vote needs of an open ballot — its method, its candidates' keys and its public
key — read once per server process instead of twice per vote (issue 12, Done-when 2: 500
voters within 2 s). All three are fixed from the start of voting (candidates and proposals
are set before the codes are handed out; the key pair is made at the start), and none says
anything about a voter: the cache holds no code, no choice, no time.

A stale entry (another ballot under a reused id, as a rolled-back SQLite test may make) is
caught inside the vote's transaction: `services._held_open` reads the stored public key,
and a key other than the one the vote was sealed to makes the vote start again afresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiemdiem.ballots.models import Ballot, BallotStatus, Candidate

_LIMIT = 256  # open ballots at one time on one server: a few; the bound only guards memory


@dataclass(frozen=True, slots=True)
class OpenBallot:
    pk: int
    method: str
    public_key: str | None
    keys: tuple[str, ...]


_KNOWN: dict[int, OpenBallot] = {}


def voting_ballot(ballot_id: int) -> OpenBallot | None:
    """The ballot's fixed facts if it is open (None: no such ballot, or not open)."""
    known = _KNOWN.get(ballot_id)
    if known is not None:
        return known
    row = (
        Ballot.objects.filter(pk=ballot_id, status=BallotStatus.OPEN)
        .values_list("method", "public_key")
        .first()
    )
    if row is None:
        return None
    keys = tuple(Candidate.objects.filter(ballot_id=ballot_id).values_list("key", flat=True))
    facts = OpenBallot(ballot_id, row[0], row[1], keys)
    if facts.public_key:  # a ballot started before sealing is read afresh each time
        if len(_KNOWN) >= _LIMIT:
            _KNOWN.clear()
        _KNOWN[ballot_id] = facts
    return facts


def forget(ballot_id: int) -> None:
    _KNOWN.pop(ballot_id, None)

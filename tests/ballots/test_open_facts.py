"""The vote path's per-process facts of an open ballot (kiemdiem/ballots/open_facts.py,
issue 12 Done-when 2) never decide a vote wrongly: a stale entry — another ballot's key or
candidates under the same id — is found inside the vote's transaction (or by the marks it
refuses) and read again, and a closed ballot is refused whatever the cache says."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kiemdiem.ballots import open_facts, sealing, services
from kiemdiem.ballots.models import BoxEntry
from tests.ballots.crowd import crowd_ballot, marks_for
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_a_stale_cached_ballot_is_read_again_and_a_closed_one_refused(world: World) -> None:
    ballot, codes = crowd_ballot(world.users["secretary"], world.orgs["cell1"], 4)
    open_facts.forget(ballot.pk)  # an earlier test's ballot may have had this id (SQLite)
    facts = open_facts.voting_ballot(ballot.pk)
    assert facts is not None and facts.public_key == ballot.public_key
    other = sealing.make_keys([]).public  # another ballot's key under this id
    wrong_key = open_facts.OpenBallot(ballot.pk, facts.method, other, facts.keys)
    open_facts._KNOWN[ballot.pk] = wrong_key
    assert services.cast(ballot.pk, codes[0], marks_for(ballot, 0)).counted
    assert open_facts._KNOWN[ballot.pk] == facts  # read afresh
    wrong_keys = open_facts.OpenBallot(ballot.pk, facts.method, facts.public_key, ("x",))
    open_facts._KNOWN[ballot.pk] = wrong_keys
    assert services.cast(ballot.pk, codes[1], marks_for(ballot, 1)).counted
    with pytest.raises(ValidationError, match="ứng viên không thuộc"):  # fresh facts refuse
        services.cast(ballot.pk, codes[2], {"khong-co": "HTTNV"})
    services.close(world.users["secretary"], ballot)
    assert open_facts._KNOWN.get(ballot.pk) is not None  # cached, yet the close decides
    with pytest.raises(ValidationError, match="không mở"):
        services.cast(ballot.pk, codes[3], marks_for(ballot, 3))
    assert BoxEntry.objects.filter(ballot=ballot).count() == 2

"""The secret ballots' confirmed results as a tally source (kiemdiem.ballots): every closed
online ballot and every confirmed paper ballot of a cell's review meeting in the cycle's
year, read set-based — the ballots, their candidates, the box, the paper entries and the
attendance in a few queries for a whole subtree — and turned into
the rule engine's votes with the ballots' own counting structure (`Counts.votes`), so the
grading proposal and the biên bản kiểm phiếu count alike. A later round decides for the
candidates it lists, over its own papers (ballots.counting: "each candidate's latest round
decides"). Nothing here reads or stores who voted what: only the box's anonymous marks."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kiemdiem.ballots.counting import Counts, Papers
from kiemdiem.ballots.models import (
    Ballot,
    BallotMode,
    BallotStatus,
    BoxEntry,
    Candidate,
    PaperEntry,
)
from kiemdiem.ballots.results import below_quorum, roll_figures
from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.tallies import CellTally
from kiemdiem.meetings.models import Attendance, AttendanceStatus
from kiemdiem.org.choices import CELL_KINDS
from kiemdiem.rules import Level
from kiemdiem.vn import short_date


def _box_papers(cast: int) -> Papers:
    return Papers(cast, cast)


class BallotSource:
    name = "ballot"

    def for_subtree(self, cycle_id: int, path: str) -> dict[int, CellTally]:
        year = Cycle.objects.filter(pk=cycle_id).values_list("year", flat=True).first()
        if year is None:
            return {}
        ballots: list[dict[str, Any]] = [
            dict(b)
            for b in Ballot.objects.filter(
                status=BallotStatus.CLOSED,
                annulled_at__isnull=True,  # one binding ballot per round (issue 12 §1)
                meeting__cycle__year=year,
                meeting__organization__path__startswith=path,
                meeting__organization__kind__in=CELL_KINDS,
            )
            .exclude(mode=BallotMode.PAPER, confirmed_at__isnull=True)
            # A sealed box counts once k shares opened it (ballots.opening, issue 12 §3).
            .exclude(public_key__isnull=False, tally__isnull=True)
            .values("pk", "method", "round", "meeting_id", "meeting__organization_id",
                    "meeting__scheduled_at", "mode", "tally")
            .order_by("meeting__scheduled_at", "round", "pk")
        ]  # fmt: skip
        if not ballots:
            return {}
        ids = [b["pk"] for b in ballots]
        candidates: dict[int, list[tuple[str, int | None, str]]] = defaultdict(list)
        for bid, key, member_id, proposal in Candidate.objects.filter(
            ballot_id__in=ids
        ).values_list("ballot_id", "key", "member_id", "proposal"):
            candidates[bid].append((key, member_id, proposal))
        rows: dict[int, dict[str, dict[str, int]]] = defaultdict(dict)
        returned: dict[int, int] = defaultdict(int)
        for b in ballots:
            if b["tally"] is not None:
                rows[b["pk"]], returned[b["pk"]] = b["tally"]["rows"], b["tally"]["returned"]
        # Ballots started before sealing keep their marks in the box.
        box = BoxEntry.objects.filter(ballot_id__in=ids, sealed__isnull=True).values_list(
            "ballot_id", "marks"
        )
        for bid, marks in box.iterator(chunk_size=5000):
            returned[bid] += 1
            table = rows[bid]
            for key, choice in marks.items():
                row = table.setdefault(key, {})
                row[choice] = row.get(choice, 0) + 1
        # A confirmed paper ballot: its (first, equal to the second) entry holds the counts.
        paper: dict[int, Papers] = {}
        for bid, issued, ret, spoiled, entry_rows in PaperEntry.objects.filter(
            ballot_id__in=ids, number=1
        ).values_list("ballot_id", "issued", "returned", "spoiled", "rows"):
            paper[bid], rows[bid] = Papers(issued, ret, spoiled), entry_rows
        # Those entitled to vote, present or not (an "eligible voters" base counts the
        # absent official members too), as the ballots' counting page counts them.
        figures = roll_figures(ids)
        eligible = {pk: f[0] for pk, f in figures.items()}
        meetings = {b["meeting_id"] for b in ballots}
        present: dict[int, dict[int, bool]] = defaultdict(dict)
        for meeting_id, member_id, status in Attendance.objects.filter(
            meeting_id__in=meetings
        ).values_list("meeting_id", "member_id", "status"):
            present[meeting_id][member_id] = status == AttendanceStatus.PRESENT
        result: dict[int, CellTally] = {}
        for b in ballots:  # oldest first: a later round (or a later meeting) decides
            cast = paper[b["pk"]].returned if b["pk"] in paper else returned[b["pk"]]
            if below_quorum(figures[b["pk"]], cast, b["round"]):
                continue  # too few attended or voted: no level from it (issue 12 §5)
            result[b["meeting__organization_id"]] = self._merge(
                result.get(b["meeting__organization_id"]), b, candidates[b["pk"]],
                Counts(b["method"], paper.get(b["pk"]) or _box_papers(returned[b["pk"]]),
                       rows[b["pk"]]),
                present[b["meeting_id"]], eligible.get(b["pk"], 0),
            )  # fmt: skip
        return result

    def _merge(
        self,
        tally: CellTally | None,
        b: dict[str, Any],
        candidates: list[tuple[str, int | None, str]],
        counts: Counts,
        present: dict[int, bool],
        eligible: int,
    ) -> CellTally:
        day = short_date(b["meeting__scheduled_at"].date())
        how = "phiếu giấy, nhập hai lần" if b["mode"] == BallotMode.PAPER else "trực tuyến"
        label = f"Bỏ phiếu kín trong hệ thống ({how}), hội nghị ngày {day}" + (
            f" (đến vòng {b['round']})" if b["round"] > 1 else ""
        )
        if tally is None:
            tally = CellTally(b["meeting__organization_id"], self.name, label, b["method"], None)
        tally.label, tally.method = label, b["method"]
        tally.present.update(present)
        papers = counts.papers.returned
        if b["round"] == 1:  # the whole roll voted: the cell's figures (ballots.counting.context)
            tally.voters_present, tally.eligible = papers, eligible
            tally.spoiled = counts.papers.spoiled
        for key, member_id, proposal in candidates:
            if member_id is None:
                continue
            tally.votes[member_id] = counts.votes(key)
            tally.voters_by_member[member_id] = papers
            if proposal:
                tally.proposed[member_id] = Level.parse(proposal)
        return tally

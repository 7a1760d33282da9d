"""A ballot with a crowded room: a cell's review meeting (a few candidates) attended by many
voters, opened and started through the ballot services, so every voter holds a real
one-time code. Shared by the concurrency and restart tests and by bench/bench_ballots.py."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from django.db import connection

from kiemdiem.ballots import services
from kiemdiem.ballots.counting import choices_for
from kiemdiem.ballots.models import Ballot
from kiemdiem.cycles.models import Cycle
from kiemdiem.meetings.models import Attendance
from kiemdiem.meetings.services import schedule_meeting
from kiemdiem.org.choices import Category, Gender
from kiemdiem.org.models import Member, Organization
from tests.ballots.sealed import start_voting
from tests.builders import make_cycle

# The meeting's time; no pytest import here: bench/bench_ballots.py runs without test extras.
AT = dt.datetime(2026, 11, 20, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))

ROOT = Path(__file__).resolve().parent.parent.parent


def crowd_ballot(secretary: Any, cell: Organization, voters: int) -> tuple[Ballot, list[str]]:
    """The cell's review meeting (its own members the candidates) with `voters` more official
    members present, who joined after the agenda was made; voting open; every code."""
    cycle = Cycle.objects.filter(organization=cell.parent, year=AT.year).first()
    cycle = cycle or make_cycle(cell.parent)  # type: ignore[arg-type]
    meeting, _ = schedule_meeting(secretary, cycle, cell, AT, place="Hội trường")
    people = []
    for n in range(voters):
        person = Member(
            code=f"CROWD{meeting.pk}-{n:05d}", full_name=f"Cử tri {n:05d}", cell=cell,
            gender=Gender.FEMALE if n % 2 else Gender.MALE, birth_date=dt.date(1980, 1, 1),
            admitted_on=dt.date(2005, 5, 19), official_on=dt.date(2006, 5, 19),
            category=Category.FARMER,
        )  # fmt: skip
        person.fill_derived()
        people.append(person)
    people = Member.objects.bulk_create(people, batch_size=500)
    Attendance.objects.bulk_create(
        (Attendance(meeting=meeting, member=p, sort_key=p.sort_key) for p in people),
        batch_size=500,
    )
    ballot = services.open_ballot(secretary, meeting)
    slips = start_voting(secretary, ballot)
    ballot.refresh_from_db()
    return ballot, [code for _, code in slips]


def marks_for(ballot: Ballot, n: int) -> dict[str, str]:
    """Voter n's marks: the choices in turn, so the tally is not one column."""
    choices = choices_for(ballot.method)
    keys = list(ballot.candidates.order_by("order").values_list("key", flat=True))
    return {k: choices[(n + i) % len(choices)] for i, k in enumerate(keys)}


def database_url() -> str:
    """The URL of the database this process uses now (the test database under pytest), for
    a server process that must write to the same one."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn (as production runs it) on a loopback port, in its own process group so a
    kill takes the master and its workers at once."""

    def __init__(self, db_url: str, workers: int = 2, threads: int = 4, port: int = 0) -> None:
        self.db_url, self.workers, self.threads = db_url, workers, threads
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_path: str) -> None:
        env = {**os.environ, "DATABASE_URL": self.db_url, "DJANGO_SETTINGS_MODULE":
               "kiemdiem.config.settings", "DEBUG": "0"}  # fmt: skip
        # No --access-logfile: an access log would keep each voter's address and time.
        cmd = [sys.executable, "-m", "gunicorn", "kiemdiem.config.wsgi",
               "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
               "--threads", str(self.threads), "--worker-class", "gthread",
               "--log-level", "warning"]  # fmt: skip
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.base + ready_path, timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not answer within 30 s")

    def kill(self) -> None:
        """SIGKILL to the whole group: no graceful shutdown, requests die mid-way."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

"""Several application servers (issue 16 §5): a ballot of VOTERS voters (500 unless given)
posted by phones through Debian's haproxy on loopback, first to one gunicorn server (the
baseline: the laptop layout), then to three that share one PostgreSQL, one of them killed
(SIGKILL) a third of the way through. Prints votes/s, p50/p99 as the phones saw them, which
server answered how many, the retries the kill caused, and that every vote was counted once.
The office signs in once and its pages are served by the servers still running.

PostgreSQL only (use an empty database); needs haproxy (`apt-get install -y haproxy`).
Prints figures; never fails.

    DATABASE_URL=postgres://kiemdiem@127.0.0.1:54346/servers \
        .venv/bin/python bench/bench_servers.py [VOTERS]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHILD = "KIEMDIEM_SERVERS_BENCH"
PASSWORD = "ba-may-chu-123"


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("bench_servers needs DATABASE_URL=postgres://… (servers share one PostgreSQL)")
        return
    if not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()):
        print("haproxy is not installed: `apt-get install -y haproxy` (Debian), then run again.")
        return
    numbers = [int(a) for a in sys.argv[1:] if a.isdigit()][:1]
    if os.environ.get(CHILD):
        run(*numbers)
        return
    # A fresh interpreter: bench/run.py runs every bench in one process.
    child = [sys.executable, "-u", __file__, *map(str, numbers)]
    done = subprocess.run(child, env={**os.environ, CHILD: "1"}, check=False)
    if done.returncode:
        print(f"bench_servers stopped with exit code {done.returncode} (see above)")


def _build(voters: int, stamp: str, name: str) -> tuple[Any, list[str], Any]:
    from kiemdiem.org.choices import OrgKind
    from tests.ballots.crowd import crowd_ballot
    from tests.builders import Role, grant, make_member, make_org, make_user

    province = make_org("Đảng bộ tỉnh Đo tải", OrgKind.PROVINCE, code=f"SRV-{stamp}-{name}")
    commune = make_org(
        "Đảng bộ xã", OrgKind.GRASSROOTS_COMMITTEE, province, f"SRV-{stamp}-{name}-X"
    )
    cell = make_org(f"Chi bộ {name}", OrgKind.CELL, commune, code=f"SRV-{stamp}-{name}-C")
    for n, person in enumerate(("Phạm Thị Hà", "Nguyễn Văn An", "Trần Thị Bình")):
        make_member(cell, person, code=f"SRV-{stamp}-{name}-{n}")
    secretary = make_user(f"srv-{name}-{stamp}")
    grant(secretary, Role.CELL_SECRETARY, cell)
    ballot, codes = crowd_ballot(secretary, cell, voters)
    return ballot, codes, secretary


def run(voters: int = 500) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiemdiem.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.db import connection

    from tests.ballots.crowd import Server, database_url
    from tests.builders import Role, grant

    stamp = f"{os.getpid()}-{int(time.time())}"  # a shared database may hold earlier runs
    began = time.perf_counter()
    one = _build(voters, stamp, "mot")
    three = _build(voters, stamp, "ba")
    office = get_user_model().objects.create(
        username=f"srv-office-{stamp}",
        password=PBKDF2PasswordHasher().encode(PASSWORD, "muoi-ngau-nhien", iterations=1000),
    )
    grant(office, Role.COMMITTEE_OFFICE, three[0].meeting.cycle.organization)
    print(
        f"2 ballots of {len(one[1])} voters built in {time.perf_counter() - began:.1f} s "
        f"(PostgreSQL); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    connection.close()  # the servers are the writers now
    url = database_url()
    single = _measure("1 server (baseline)", [Server(url, workers=2, threads=4)], one, kill=False)
    servers = [Server(url, workers=1, threads=4) for _ in range(3)]
    several = _measure("3 servers, one killed", servers, three, kill=True, office=office.username)
    print(
        f"3 servers with one killed beside 1 server: {single / several:.2f}× the time "
        f"(the same 2 cores serve both; more machines is where the speed comes from)"
    )


def _measure(
    what: str,
    servers: list[Any],
    built: tuple[Any, list[str], Any],
    *,
    kill: bool,
    office: str | None = None,
) -> float:
    from kiemdiem.ballots import services
    from kiemdiem.ballots.models import BoxEntry
    from tests.ballots.balancer import Balancer, Browser, percentile, vote_all
    from tests.ballots.crowd import marks_for
    from tests.ballots.sealed import close_counted

    ballot, codes, secretary = built
    bodies = [{"code": c, "marks": marks_for(ballot, n)} for n, c in enumerate(codes)]
    balancer = Balancer([s.port for s in servers])
    pages = ""
    try:
        for server in servers:
            server.start("/dang-nhap/")
        balancer.start()
        killed_at = len(codes) // 3 if kill else -1

        def progress(done: int) -> None:
            if done == killed_at:
                servers[1].kill()

        first = vote_all(balancer.port, ballot.pk, bodies, on_progress=progress)
        again = vote_all(balancer.port, ballot.pk, bodies)
        if office is not None:
            browser = Browser(balancer.port)
            browser.sign_in(office, PASSWORD)
            for _ in range(3):
                browser.get("/")
            ok = [s for _, status, s in browser.served[2:] if status == 200]
            pages = (
                f"; the office signed in once and was served by {len(set(ok))} live "
                f"servers ({len(ok)} pages, all 200)"
                if len(ok) == 3
                else f"; office pages: {browser.served}"
            )
    finally:
        balancer.stop()
        for server in servers:
            server.stop()
    lat = first.latencies
    served = ", ".join(f"{k} {v}" for k, v in sorted(first.servers.items()))
    print(
        f"{what}: {first.counted} counted in {first.seconds:.2f} s = "
        f"{first.counted / first.seconds:.0f}/s; p50 {percentile(lat, 50) * 1000:.0f} ms, "
        f"p99 {percentile(lat, 99) * 1000:.0f} ms; answered by {served}; "
        f'{first.retries} retries ({first.again} answered "already counted": stored '
        f"before the kill, answer lost), {len(first.failures)} phones gave up"
        + (f"; server s2 killed after {len(codes) // 3} votes" if kill else "")
    )
    print(
        f"  every phone again: {again.again} already counted, {again.counted} counted anew, "
        f"in {again.seconds:.2f} s{pages}"
    )
    ballot = close_counted(secretary, ballot)
    box = BoxEntry.objects.filter(ballot=ballot).count()
    returned = services.counts(ballot).papers.returned
    problems = services.verify(ballot)
    print(
        f"  box: {box} sealed ballots for {len(codes)} voters, {returned} counted; verify: "
        f"{'clean' if not problems else '; '.join(problems)}"
    )
    return float(first.seconds)


if __name__ == "__main__":
    main()

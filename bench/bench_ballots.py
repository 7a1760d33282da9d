"""Online secret ballot under load (issue 5 §5): a ballot with VOTERS voters (500 unless
given), a real gunicorn on loopback as production runs it, and wrk posting every one-time
code exactly once to the vote endpoint a phone uses (POST /api/v1/ballots/ID/vote), then
every code again (each phone retrying). Prints ballots per second and p50/p90/p99 latency,
closes the ballot and verifies the box (one ballot per voter, the chain whole). Runs on a
throw-away SQLite database, or on DATABASE_URL if it is PostgreSQL (use an empty one).
Prints figures; never fails: without wrk or gunicorn it says how to install them.

    .venv/bin/python bench/bench_ballots.py [VOTERS] [CONNECTIONS] [WORKERS] [THREADS]
    DATABASE_URL=postgres://kiemdiem@127.0.0.1:54342/ballots .venv/bin/python bench/bench_ballots.py
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHILD = "KIEMDIEM_BALLOT_BENCH"


def main() -> None:
    if not shutil.which("wrk"):
        print("wrk is not installed: `apt-get install -y wrk` (Debian), then run again.")
        return
    if importlib.util.find_spec("gunicorn") is None:
        print("gunicorn is not installed: `.venv/bin/pip install -e .` (a dependency).")
        return
    numbers = [int(a) for a in sys.argv[1:] if a.isdigit()][:4]  # run.py passes bench names
    if os.environ.get(CHILD):
        run(*numbers)
        return
    # A fresh interpreter: bench/run.py runs every bench in one process, and an earlier one
    # may have set Django up on its own database.
    env = {**os.environ, CHILD: "1"}
    url = env.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        env["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'ballots.sqlite3'}"
    child = [sys.executable, "-u", __file__, *map(str, numbers)]
    done = subprocess.run(child, env=env, check=False)
    if done.returncode:
        print(f"bench_ballots stopped with exit code {done.returncode} (see above)")


def run(voters: int = 500, connections: int = 32, workers: int = 3, threads: int = 4) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiemdiem.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection

    from kiemdiem.ballots import services
    from kiemdiem.ballots.models import BoxEntry
    from kiemdiem.ballots.opening import count_sealed
    from kiemdiem.org.choices import OrgKind
    from tests.ballots.crowd import Server, crowd_ballot, database_url, marks_for
    from tests.ballots.sealed import shares_of
    from tests.builders import Role, grant, make_member, make_org, make_user

    start = time.perf_counter()
    stamp = f"{os.getpid()}-{int(time.time())}"  # a shared database may hold earlier runs
    province = make_org("Đảng bộ tỉnh Đo tải", OrgKind.PROVINCE, code=f"LOAD-{stamp}")
    commune = make_org("Đảng bộ xã", OrgKind.GRASSROOTS_COMMITTEE, province, f"LOAD-{stamp}-X")
    ballots, secretaries = [], []
    for path in ("api", "web"):  # one ballot per path measured: a code votes once
        cell = make_org(f"Chi bộ {path}", OrgKind.CELL, commune, code=f"LOAD-{stamp}-{path}")
        for n, name in enumerate(("Phạm Thị Hà", "Nguyễn Văn An", "Trần Thị Bình")):
            make_member(cell, name, code=f"LOAD-{stamp}-{path}-{n}")
        secretaries.append(make_user(f"load-{path}-{stamp}"))
        grant(secretaries[-1], Role.CELL_SECRETARY, cell)
        ballots.append(crowd_ballot(secretaries[-1], cell, voters))
    by_api, by_page = ballots
    _in_process(commune, voters)
    n = len(by_api[1])
    connections = max(1, min(connections, n))
    print(f"2 ballots of {n} voters, {by_api[0].candidates.count()} candidates, built in "
          f"{time.perf_counter() - start:.1f} s ({connection.vendor}); gunicorn {workers} "
          f"workers x {threads} threads, wrk {connections} connections; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")  # fmt: skip
    work = Path(tempfile.mkdtemp())
    api_path = f"/api/v1/ballots/{by_api[0].pk}/vote"
    page_path = f"/bo-phieu/{by_page[0].pk}/phieu/"
    api = work / "api.txt"
    api.write_text("".join(json.dumps({"code": c, "marks": marks_for(by_api[0], i)}) + "\n"
                           for i, c in enumerate(by_api[1])))  # fmt: skip
    connection.close()  # the server's workers are the writers now
    results: list[tuple[str, str, Any]] = []
    with Server(database_url(), workers=workers, threads=threads) as server:
        server.start(api_path)
        for warm in (api_path, page_path):  # every worker past its first request
            subprocess.run(["wrk", "-t", "2", "-c", "16", "-d", "1s", server.base + warm],
                           capture_output=True, check=False)  # fmt: skip
        as_json = {"type": "application/json", "counted": '"counted": true',
                   "again": '"counted": false'}  # fmt: skip
        results += _passes("API", server.base, api, api_path, connections, as_json)
        form = _form(server.base + page_path, by_page[0], by_page[1], marks_for)
        if form is not None:
            page = work / "page.txt"
            page.write_text("".join(line + "\n" for line in form[0]))
            as_form = {"type": "application/x-www-form-urlencoded", "cookie": form[1],
                       "counted": 'class="mono receipt',  # the short receipt: "mono receipt big"
                       "again": "Mã này đã bỏ phiếu"}  # fmt: skip
            results += _passes("web page", server.base, page, page_path, connections, as_form)
    for what, good, r in results:
        _report(what, r, good)
    for what, (ballot, codes), user in zip(("API", "web page"), ballots, secretaries, strict=True):
        ballot = services.close(user, ballot)
        box = BoxEntry.objects.filter(ballot=ballot).count()
        problems = services.verify(ballot)
        # The ban kiểm phiếu's shares open the sealed box (issue 12 §3): timed, then checked.
        began = time.perf_counter()
        ballot = count_sealed(user, ballot, shares_of(ballot))
        opened = time.perf_counter() - began
        returned = services.counts(ballot).papers.returned
        print(f"{what} box after close: {box} sealed ballots for {len(codes)} voters; verify: "
              f"{'clean' if not problems else '; '.join(problems)}; opened with the shares "
              f"and counted {returned} in {opened * 1000:.0f} ms")  # fmt: skip


def _in_process(commune: Any, voters: int) -> None:
    """The vote's own work, without HTTP: every code of a ballot through `services.cast`,
    beside the straightforward vote (bench/_ballot_baseline.py) on a ballot of the same size;
    queries counted (bench/_compare.py)."""
    from bench import _ballot_baseline, _compare
    from kiemdiem.ballots import services
    from kiemdiem.org.choices import OrgKind
    from tests.ballots.crowd import crowd_ballot, marks_for
    from tests.builders import Role, grant, make_org, make_user

    runs = []
    for name in ("ours", "baseline"):
        cell = make_org(f"Chi bộ {name}", OrgKind.CELL, commune, code=f"{commune.code}-{name}")
        secretary = make_user(f"{commune.code}-{name}")
        grant(secretary, Role.CELL_SECRETARY, cell)
        runs.append(crowd_ballot(secretary, cell, voters))
    timed = []
    for fn, (ballot, codes) in zip((services.cast, _ballot_baseline.cast), runs, strict=True):
        bodies = [(code, marks_for(ballot, i)) for i, code in enumerate(codes)]
        timed.append(_compare.timed(lambda f=fn, b=ballot, v=bodies: [f(b.pk, c, m) for c, m in v]))
        assert all(r.counted for r in timed[-1].value), "every code counted once"
    ours, base = timed
    _compare.report(f"in process, {len(runs[0][1])} votes one after another", ours, base,
                    label="straightforward vote")  # fmt: skip
    print(f"  = {ours.seconds / len(runs[0][1]) * 1000:.1f} ms and "
          f"{ours.queries / len(runs[0][1]):.1f} queries per vote "
          f"(straightforward: {base.seconds / len(runs[1][1]) * 1000:.1f} ms, "
          f"{base.queries / len(runs[1][1]):.1f})")  # fmt: skip


def _form(url: str, ballot: Any, codes: list[str], marks_for: Any) -> Any:
    """The phone's page: one visit for the CSRF cookie and the form's token, which every
    voter's form then carries (Django accepts the pair for any number of posts)."""
    with urllib.request.urlopen(url, timeout=10) as r:
        html = r.read().decode()
        cookie = next((c.split(";")[0] for c in r.headers.get_all("Set-Cookie") or []
                       if c.startswith("csrftoken=")), "")  # fmt: skip
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not cookie or token is None:
        print("web page: no CSRF cookie or token found; not measured")
        return None
    lines = []
    for i, code in enumerate(codes):
        fields = {"csrfmiddlewaretoken": token.group(1), "code": code}
        fields |= {f"c_{k}": v for k, v in marks_for(ballot, i).items()}
        lines.append(urllib.parse.urlencode(fields))
    return lines, cookie


def _passes(what: str, base: str, bodies: Path, path: str, connections: int,
            kind: dict[str, str]) -> list[tuple[str, str, Any]]:  # fmt: skip
    """Every code once, then every code again (each phone retrying)."""
    first = _wrk(base, bodies, path, connections, kind)
    again = _wrk(base, bodies, path, connections, kind)
    return [(f"{what}, each code once", "counted", first),
            (f"{what}, every code again", "again", again)]  # fmt: skip


def _wrk(base: str, bodies: Path, path: str, connections: int, kind: dict[str, str]) -> Any:
    done = bodies.with_name(f"done-{time.monotonic_ns()}")
    env = {**os.environ, "BALLOT_BODIES": str(bodies), "BALLOT_PATH": path,
           "BALLOT_THREADS": str(connections), "BALLOT_DONE": str(done),
           "BALLOT_TYPE": kind["type"], "BALLOT_COOKIE": kind.get("cookie", ""),
           "BALLOT_COUNTED": kind["counted"], "BALLOT_AGAIN": kind["again"]}  # fmt: skip
    cmd = ["wrk", "-t", str(connections), "-c", str(connections), "-d", "300s", "--timeout",
           "30s", "--latency", "-s", str(ROOT / "bench" / "vote.lua"), base + path]  # fmt: skip
    wrk = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while wrk.poll() is None and time.monotonic() < deadline:
        if done.exists() and len(done.read_text().split()) >= connections:
            wrk.send_signal(signal.SIGINT)  # every thread is done: report now
            break
        time.sleep(0.002)
    out = wrk.communicate()[0]
    line = next((s for s in out.splitlines() if s.startswith("RESULT ")), "")
    if not line:
        print(out)
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}


def _report(what: str, r: dict[str, float], good: str) -> None:
    if not r:
        print(f"{what}: wrk gave no result")
        return
    rate = r[good] / r["seconds"] if r["seconds"] else 0.0
    latency = ", ".join(f"{p} {r[p + '_ms']:.0f} ms" for p in ("p50", "p90", "p99", "max"))
    print(f"{what}: {r['counted']:.0f} counted, {r['again']:.0f} already counted, "
          f"{r['failed']:.0f} refused, {r['socket_errors']:.0f} socket errors in "
          f"{r['seconds']:.2f} s = {rate:.0f}/s; latency {latency}")  # fmt: skip


if __name__ == "__main__":
    main()

"""Several application servers behind a real load balancer (issue 16 §5): Debian's haproxy on
loopback in front of gunicorn servers (`crowd.Server`) that share one database, as a province
runs them. Shared by tests/ballots/test_three_servers.py and bench/bench_servers.py.

haproxy marks each answer with the server that gave it (X-Kiemdiem-Server), so a test can
show that a session made on one server is honoured on the others, and that voting went on
through the survivors after one was killed."""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from tests.ballots.crowd import Server, free_port

SERVED_BY = "X-Kiemdiem-Server"


def haproxy_path() -> str | None:
    return shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None
    )


_CONFIG = """\
global
    maxconn 512
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # A server that refuses the connection (killed) is left for another one at once.
    retries 3
    option redispatch
frontend kiemdiem
    bind 127.0.0.1:{port}
    default_backend app
backend app
    balance roundrobin
    http-response set-header {served_by} %s
{servers}
"""


class Balancer:
    """haproxy in the foreground (-db) on a loopback port, round-robin over `backends`, with
    health checks every 300 ms so a dead server leaves the rotation within a second."""

    def __init__(self, backends: list[int]) -> None:
        self.backends = backends
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.dir = Path(tempfile.mkdtemp(prefix="kiemdiem-haproxy-"))

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = haproxy_path()
        if binary is None:
            raise RuntimeError("haproxy is not installed: apt-get install -y haproxy")
        servers = "\n".join(
            f"    server s{n} 127.0.0.1:{port} check inter 300ms fall 1 rise 2"
            for n, port in enumerate(self.backends, start=1)
        )
        cfg = self.dir / "haproxy.cfg"
        cfg.write_text(_CONFIG.format(port=self.port, served_by=SERVED_BY, servers=servers))
        self.proc = subprocess.Popen([binary, "-db", "-f", str(cfg)], stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"haproxy exited: {self.proc.stderr.read().decode()[:500]}")  # type: ignore[union-attr]
            try:
                http.client.HTTPConnection("127.0.0.1", self.port, timeout=1).connect()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("haproxy did not listen within 10 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class Answer:
    status: int
    body: bytes
    server: str
    cookies: dict[str, str]
    seconds: float


def request(
    port: int, method: str, path: str, *, body: bytes = b"", headers: dict[str, str] | None = None
) -> Answer:
    began = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body or None, headers or {})
        response = conn.getresponse()
        data = response.read()
        jar = SimpleCookie()
        for raw in response.headers.get_all("Set-Cookie") or []:
            jar.load(raw)
        return Answer(
            response.status,
            data,
            response.getheader(SERVED_BY, ""),
            {k: m.value for k, m in jar.items()},
            time.perf_counter() - began,
        )
    finally:
        conn.close()


@dataclass
class Browser:
    """A person's browser through the balancer: cookies kept between requests, and the
    server that answered each one remembered."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    served: list[tuple[str, int, str]] = field(default_factory=list)  # path, status, server

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        jar = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {**({"Cookie": jar} if jar else {}), **(extra or {})}

    def get(self, path: str) -> Answer:
        answer = request(self.port, "GET", path, headers=self._headers())
        self.cookies.update(answer.cookies)
        self.served.append((path, answer.status, answer.server))
        return answer

    def post(self, path: str, fields: dict[str, str]) -> Answer:
        token = self.cookies.get("csrftoken", "")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        headers = self._headers(
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}{path}",
            }
        )
        answer = request(self.port, "POST", path, body=body, headers=headers)
        self.cookies.update(answer.cookies)
        self.served.append((path, answer.status, answer.server))
        return answer

    def sign_in(self, username: str, password: str) -> Answer:
        self.get("/dang-nhap/")  # the CSRF cookie, from whichever server answers
        return self.post("/dang-nhap/", {"username": username, "password": password})


@dataclass
class VoteRun:
    """What the phones saw: each code's final answer, who served it, the retries needed."""

    counted: int = 0
    again: int = 0
    retries: int = 0
    failures: list[str] = field(default_factory=list)
    servers: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0


def vote_all(
    port: int,
    ballot_id: int,
    bodies: list[dict[str, Any]],
    *,
    phones: int = 16,
    on_progress: Callable[[int], None] | None = None,
) -> VoteRun:
    """Every voter posts once through the balancer; a phone whose request dies (its server was
    killed) tries again with the same code, as the voter's page does, up to 5 times."""
    run = VoteRun()
    path = f"/api/v1/ballots/{ballot_id}/vote"
    done = 0
    lock = threading.Lock()  # the phones are threads: their tallies are added one at a time

    def phone(body: dict[str, Any]) -> None:
        nonlocal done
        data = json.dumps(body).encode()
        for attempt in range(6):
            try:
                answer = request(
                    port, "POST", path, body=data, headers={"Content-Type": "application/json"}
                )
            except (OSError, http.client.HTTPException):
                answer = None
            if answer is not None and answer.status == 200:
                counted = bool(json.loads(answer.body)["counted"])
                with lock:
                    run.counted += counted
                    run.again += not counted
                    run.servers[answer.server] += 1
                    run.latencies.append(answer.seconds)
                break
            with lock:
                run.retries += 1
            time.sleep(0.2 * (attempt + 1))
        else:
            with lock:
                run.failures.append(body["code"])
        with lock:
            done += 1
            now = done
        if on_progress is not None:
            on_progress(now)

    began = time.perf_counter()
    with ThreadPoolExecutor(phones) as pool:
        list(pool.map(phone, bodies))
    run.seconds = time.perf_counter() - began
    return run


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


__all__ = ["Balancer", "Browser", "Server", "VoteRun", "haproxy_path", "percentile", "vote_all"]

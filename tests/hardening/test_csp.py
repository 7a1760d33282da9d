"""Issue 13 §3: a Content-Security-Policy (django-csp) that the pages pass. The policy allows
script and style from the site only; a crawl of every page a clerk and an administrator reach
from the home page (on a cell with a cycle, a meeting, votes and decisions) finds no inline
script, no <style>, no style="" attribute and no on…="" handler — what the policy would block."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from tests.documents.conftest import dossier  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

SKIP = (".xlsx", ".csv", ".docx", ".zip", ".pdf", ".json", "/dang-xuat/", "/static/")
MAX_PAGES = 150


class _Inline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.links: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name, _ in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
        if tag == "style":
            self.found.append("<style>")
        self._script = (
            tag == "script" and "src" not in names and (names.get("type") != "application/json")
        )
        if tag == "a" and names.get("href"):
            self.links.append(str(names["href"]))

    def handle_data(self, data: str) -> None:
        if self._script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}…")

    def handle_endtag(self, tag: str) -> None:
        self._script = False


def _crawl(client: Client) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {}
    todo = ["/"]
    while todo and len(seen) < MAX_PAGES:
        url = todo.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            seen[url] = []
            continue
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy
        parser = _Inline()
        parser.feed(response.content.decode())
        seen[url] = parser.found
        for href in parser.links:
            link = urldefrag(href).url
            wanted = link.startswith("/") and not urlsplit(link).query
            if wanted and not any(s in link for s in SKIP) and link not in seen:
                todo.append(link)
    return seen


@pytest.mark.parametrize("persona", ["clerk", "admin"])
def test_every_page_reached_passes_the_policy(dossier: Any, persona: str) -> None:  # noqa: F811
    client = Client()
    client.force_login(dossier.users[persona])
    pages = _crawl(client)
    assert len(pages) > 20  # the crawl really walked the site
    assert {url: found for url, found in pages.items() if found} == {}


def test_the_sign_in_page_carries_the_policy() -> None:
    response = Client().get("/dang-nhap/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]

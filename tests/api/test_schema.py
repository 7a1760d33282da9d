"""The OpenAPI schema (issue 5 §6: "an API … with an OpenAPI schema"): valid OpenAPI, every
route documented with its answers and errors, the docs page working offline, and — on a live
server — a schema-driven fuzzer (schemathesis) finding no answer that breaks the schema."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver
from openapi_spec_validator import validate

from kiemdiem.api.api import api
from tests.api.conftest import ApiWorld

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(db: None) -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_the_schema_is_valid_openapi(schema: dict[str, Any]) -> None:
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["version"] == "1"
    assert (
        "Khóa truy cập API" in schema["info"]["description"]
        or "khóa truy cập" in (schema["info"]["description"])
    )
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def _routes(patterns: list[Any], prefix: str = "") -> set[str]:
    found: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            found |= _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            found.add(prefix + str(p.pattern))
    return found


def test_every_route_is_in_the_schema_and_documented(schema: dict[str, Any]) -> None:
    """Every URL the API serves (but its own schema and docs page) is a documented path;
    every operation has a Vietnamese summary, a typed success answer and the common errors."""
    served = {
        "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r)
        for r in _routes(api.urls[0])
        if r not in ("openapi.json", "docs", "")  # the schema, its page, the root (to docs)
    }
    assert served == set(schema["paths"])
    operations = [
        (path, method, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]
    assert len(operations) >= 29
    ids = [op["operationId"] for _, _, op in operations]
    assert len(ids) == len(set(ids))
    public = {op["operationId"] for _, _, op in operations if "security" not in op}
    # Only what a voter's phone needs goes without login, as on the web's voting page.
    assert public == {"get_paper", "cast_vote", "list_receipts", "check_receipt"}
    for path, method, op in operations:
        where = f"{method.upper()} {path}"
        assert op.get("summary") and re.search(r"[à-ỹđ]", op["summary"]), where
        assert op.get("tags"), where
        if op["operationId"] not in public:
            assert op["security"] == [{"TokenAuth": []}, {"SessionAuth": []}], where
        ok = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok, where
        codes = ("404", "422") if op["operationId"] in public else ("401", "403", "404", "422")
        for code in codes:
            error = op["responses"][code]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/ErrorOut"}, where
        if method != "get":
            assert "400" in op["responses"], where
        for param in op.get("parameters", []):
            if param["in"] == "path":
                kind = "string" if param["name"] == "receipt" else "integer"
                assert param["required"] and param["schema"]["type"] == kind, where


def test_no_two_schemas_share_a_name() -> None:
    """The schema's components are keyed by class name: two classes of one name would
    silently describe one of them wrongly (the fuzzer found it once: ChoiceOut)."""
    import inspect

    from ninja import Schema

    from kiemdiem.api import common
    from kiemdiem.api.routers import ballots, cycles, feedback, meetings, members, orgs, reviews

    seen: dict[str, object] = {}
    for module in (common, ballots, cycles, feedback, meetings, members, orgs, reviews):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Schema) and cls.__module__ == module.__name__:
                assert name not in seen, f"{name}: {seen[name]} and {module.__name__}"
                seen[name] = module.__name__
    assert len(seen) > 40


def test_list_answers_are_paginated_with_a_total(schema: dict[str, Any]) -> None:
    lists = set()
    for path, item in schema["paths"].items():
        op = item.get("get")
        if not op:
            continue
        ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        body = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        if "items" not in body["properties"]:
            continue
        lists.add(path.removeprefix("/api/v1"))
        assert {"limit", "offset"} <= {p["name"] for p in op.get("parameters", [])}, path
        assert {"items", "total", "limit", "offset"} <= set(body["required"]), path
    assert lists == {
        "/organizations", "/members", "/cycles", "/cycles/{cycle_id}/subjects",
        "/cycles/{cycle_id}/cells/{org_id}/self-reviews", "/feedback", "/meetings",
        "/meetings/{meeting_id}/ballots", "/ballots/{ballot_id}/receipts",
    }  # fmt: skip


def test_the_docs_page_works_offline(db: None) -> None:
    """Swagger UI from the package's own static files: no CDN, nothing from outside
    (design.md principle 9)."""
    client = Client()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/api/v1/openapi.json" in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets), assets
    assert "http://" not in html and "https://" not in html
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 100, asset
        if asset.endswith(".js"):
            # The bundle itself fetches nothing from a CDN at run time.
            assert b"cdn.jsdelivr.net" not in body and b"unpkg.com" not in body, asset


def test_unknown_api_addresses_answer_in_json(db: None) -> None:
    response = Client().get("/api/v2/anything")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Không có địa chỉ API này.")


# A schema cannot state the business rules (a deadline after its start, a mark for every
# duty), so a schema-valid body may still be refused with 400 and the reason: the check that
# expects every schema-valid body to be accepted does not apply to this API.
NOT_APPLICABLE = "positive_data_acceptance"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("persona", "only"),
    [("clerk", ""), ("member", "/self-review")],  # the member: their own paper's endpoints
)
def test_schemathesis_finds_no_failure_on_a_live_server(
    transactional_db: None,
    live_server: Any,
    aw: ApiWorld,
    tmp_path: Path,
    persona: str,
    only: str,
    settings: Any,
) -> None:
    """A real HTTP server on loopback, fuzzed from its own schema with real objects' ids: no
    server error, every status, header and body as documented, malformed input refused.
    A few examples per operation and a fixed seed keep it to seconds and repeatable."""
    # The fuzzer sends wrong credentials on purpose, hundreds of times from one address: the
    # lockout (issue 13 §2, tests/hardening/test_throttle.py) would turn its 401s into 429s.
    settings.AXES_FAILURE_LIMIT = 10_000
    o = aw.w.orgs
    ids = {
        "cycle_id": aw.cycle.pk, "org_id": o["cell1"].pk, "member_id": aw.w.members["binh"].pk,
        "review_id": aw.review.pk, "request_id": aw.feedback.pk, "meeting_id": aw.meeting.pk,
        "step_id": aw.cycle.steps.get().pk, "ballot_id": aw.ballot.pk,
    }  # fmt: skip
    config = tmp_path / "schemathesis.toml"
    config.write_text("[parameters]\n" + "".join(f'"path.{k}" = {v}\n' for k, v in ids.items()))
    binary = Path(sys.executable).with_name("schemathesis")
    command = [
        str(binary), "--config-file", str(config), "run",
        f"{live_server.url}/api/v1/openapi.json",
        "-H", f"Authorization: Bearer {aw.tokens[persona]}",
        "--checks", "all", "--exclude-checks", NOT_APPLICABLE,
        "--workers", "1", "--max-examples", "8", "--phases", "examples,fuzzing",
        "--seed", "20261125", "--request-timeout", "20",
    ]  # fmt: skip
    if only:
        command += ["--include-path-regex", only]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    tested = re.search(r"Tested: +(\d+)", done.stdout)
    assert tested and int(tested.group(1)) >= (3 if only else 29), done.stdout[-3000:]

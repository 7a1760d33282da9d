"""Issue 13 §3 "Safe by default": without DEBUG the application refuses to start on the demo
or a short SECRET_KEY (system check for runserver/migrate/check, the WSGI module for
gunicorn), one variable turns on the TLS-proxy settings, and `check --deploy` with the
documented production variables gives no warning. Each in a fresh process, as an operator
starts it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiemdiem.config.safety import DEMO_SECRET_KEY, secret_key_problem
from tests.conftest import TEST_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # A production server's environment: none of the test run's own settings (the browser
    # tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright, which check --deploy rightly refuses).
    dropped = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="kiemdiem.config.settings",
        **extra,
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> Any:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


# The production variables docs/operator.md ("Bảo mật") lists.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": TEST_SECRET_KEY,
    "ALLOWED_HOSTS": "kiemdiem.example.vn",
    "BEHIND_TLS_PROXY": "true",
}


@pytest.mark.parametrize("key", [None, DEMO_SECRET_KEY, "ngan-qua-123"])
def test_the_demo_or_a_short_key_refuses_to_start(tmp_path: Path, key: str | None) -> None:
    """The reproduction: DEBUG=false on the default key ran, and `kiemdiem check` was silent."""
    env = _env(tmp_path, DEBUG="false", **({"SECRET_KEY": key} if key is not None else {}))
    check = _run(["-m", "kiemdiem", "check"], env)
    assert check.returncode != 0
    assert "kiemdiem.E001" in check.stderr and "Không khởi động" in check.stderr
    assert "Hãy đặt biến môi trường SECRET_KEY" in check.stderr
    wsgi = _run(["-c", "import kiemdiem.config.wsgi"], env)  # what gunicorn loads
    assert wsgi.returncode != 0 and "Hãy đặt biến môi trường SECRET_KEY" in wsgi.stderr


def test_debug_or_a_real_key_starts() -> None:
    assert secret_key_problem(True, DEMO_SECRET_KEY) is None
    assert secret_key_problem(False, TEST_SECRET_KEY) is None
    assert secret_key_problem(False, "a" * 60) is not None  # long but one character


def test_check_deploy_with_the_production_variables_has_no_warning(tmp_path: Path) -> None:
    """The reproduction: check --deploy warned W004, W008, W012, W016."""
    result = _run(["-m", "kiemdiem", "check", "--deploy"], _env(tmp_path, **PRODUCTION))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout
    assert _run(["-c", "import kiemdiem.config.wsgi"], _env(tmp_path, **PRODUCTION)).returncode == 0


PROBE = """
from django.test import Client
from django.test.utils import setup_test_environment
import django; django.setup(); setup_test_environment()
plain = Client().get("/dang-nhap/")
tls = Client().get("/dang-nhap/", headers={"x-forwarded-proto": "https"})
print(plain.status_code, plain.headers.get("Location"))
print(tls.status_code, tls.headers.get("Strict-Transport-Security"))
print(tls.cookies["csrftoken"]["secure"] if "csrftoken" in tls.cookies else "-")
"""


def test_behind_a_tls_proxy_one_variable_turns_on_redirect_hsts_and_secure_cookies(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path, **{**PRODUCTION, "ALLOWED_HOSTS": "testserver"})
    result = _run(["-c", PROBE], env)
    assert result.returncode == 0, result.stderr
    plain, tls, cookie = result.stdout.split("\n")[:3]
    assert plain == "301 https://testserver/dang-nhap/"
    assert tls == "200 max-age=31536000; includeSubDomains; preload"
    assert cookie == "True"  # the sign-in form sets its CSRF cookie: Secure


def test_an_empty_database_url_means_the_default_and_a_wrong_one_is_one_line(
    tmp_path: Path,
) -> None:
    """Found in review: `DATABASE_URL=` (a blank line in an env file) and a mistyped scheme
    ended in a dj_database_url traceback. Empty now means unset (the SQLite file beside the
    project); a wrong scheme exits 2 with one Vietnamese line and no traceback."""
    empty = _run(["-m", "kiemdiem", "check"], {**_env(tmp_path, DEBUG="true"), "DATABASE_URL": ""})
    assert empty.returncode == 0, empty.stderr
    wrong = _run(
        ["-m", "kiemdiem", "check"], {**_env(tmp_path, DEBUG="true"), "DATABASE_URL": "mysq://x/y"}
    )
    assert wrong.returncode == 2
    assert "DATABASE_URL không hợp lệ" in wrong.stderr and "Traceback" not in wrong.stderr

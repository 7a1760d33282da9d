"""design.md principle 2: the rules package is pure — a test fails if it imports Django."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

RULES = Path(__file__).resolve().parents[2] / "kiemdiem" / "rules"


def _imported(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_no_module_of_kiemdiem_rules_imports_django_in_its_source() -> None:
    files = sorted(RULES.rglob("*.py"))
    assert files
    for file in files:
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        bad = [n for n in _imported(tree) if n.split(".")[0] == "django"]
        assert not bad, f"{file.relative_to(RULES.parent)} imports {bad}"


def test_importing_kiemdiem_rules_loads_no_django() -> None:
    """A fresh interpreter with no Django settings: importing and using the rules (and the
    batch CLI) leaves 'django' out of sys.modules."""
    code = (
        "import sys, kiemdiem.rules, kiemdiem.rules.classify, kiemdiem.rules.quotas, "
        "kiemdiem.batch; kiemdiem.rules.list_profiles(); print('django' in sys.modules)"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(RULES.parents[1])}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "False"

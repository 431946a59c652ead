"""Short modules and short functions: a module over 400 lines or a function over 70 is split (the synthetic
runner's factory, one long recipe of known geometry, aside)."""

from __future__ import annotations

import ast
from pathlib import Path

GAIT = Path(__file__).resolve().parents[3] / "gait"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 70
EXEMPT = {("synthetic/runner.py", "make_pose"), ("synthetic/runner.py", "_truth")}


def oversized(root: Path = GAIT) -> list[str]:
    """Every module and function of ``root`` over its size, as ``path[:function] (lines)``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        source = path.read_text(encoding="utf-8")
        if (n := len(source.splitlines())) > MAX_MODULE_LINES:
            found.append(f"{rel} ({n} lines)")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (rel, node.name) not in EXEMPT:
                if (n := node.end_lineno - node.lineno + 1) > MAX_FUNCTION_LINES:  # type: ignore[operator]
                    found.append(f"{rel}:{node.name} ({n} lines)")
    return found


def test_no_module_or_function_is_too_long() -> None:
    assert oversized() == []


def test_the_size_rule_can_fail(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES + 1))
    (tmp_path / "long.py").write_text(f"def long() -> None:\n{body}\n" + "\n" * MAX_MODULE_LINES, encoding="utf-8")
    assert oversized(tmp_path) == ["long.py (472 lines)", "long.py:long (72 lines)"]

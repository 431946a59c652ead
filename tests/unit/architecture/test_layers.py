"""The package's one import direction, read from the code itself (AST over ``gait/``).

Stages from the bottom up (``docs/ARCHITECTURE.md``): ``core`` → ``capture`` / ``synthetic`` → ``kinematics`` →
``metrics`` → ``checks`` / ``coaching`` → ``pipeline`` → ``outputs`` → ``workflows`` → ``cli`` / ``ui``. A module
may import from its own package and from any lower layer, never from a higher one or a sibling of its layer; no
two modules import each other, directly or round a circle; no module imports another module's private (``_name``)
names. Imports inside functions and under ``TYPE_CHECKING`` count: a lazy import that climbs is still a climb.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GAIT = Path(__file__).resolve().parents[3] / "gait"

#: Each top-level part of ``gait`` and its layer (higher may import lower; equal layers are independent).
LAYERS: dict[str, int] = {
    "core": 0,
    "capture": 1,
    "synthetic": 1,
    "kinematics": 2,
    "metrics": 3,
    "checks": 4,
    "coaching": 4,
    "pipeline": 5,
    "outputs": 6,
    "workflows": 7,
    "cli": 8,
    "ui": 8,
}


def module_name(path: Path, root: Path = GAIT) -> str:
    """``gait/capture/pose.py`` → ``gait.capture.pose``; a package's ``__init__`` is the package."""
    parts = ["gait", *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, name: str) -> list[tuple[str, list[str], int]]:
    """Every ``gait`` import of a module: (imported module, names taken from it, line)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, list[str], int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.split(".")[0] == "gait"]
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, target] if target else base)
            if target.split(".")[0] == "gait":
                found.append((target, [a.name for a in node.names], node.lineno))
    return found


def modules(root: Path = GAIT) -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def layer_of(name: str) -> tuple[str, int] | None:
    """The top-level part of ``gait`` a module belongs to, and its layer (None for ``gait`` itself)."""
    parts = name.split(".")
    if len(parts) < 2:
        return None
    return parts[1], LAYERS[parts[1]]


def resolve(target: str, names: list[str], known: dict[str, Path]) -> list[str]:
    """The modules an import statement loads: ``from gait.core import landmarks`` is ``gait.core.landmarks``."""
    subs = [f"{target}.{n}" for n in names if f"{target}.{n}" in known]
    return subs or [target]


def violations(root: Path = GAIT) -> list[str]:
    """Every import that climbs a layer, crosses to a sibling, takes a private name, or closes a circle."""
    known = modules(root)
    found: list[str] = []
    graph: dict[str, set[str]] = {m: set() for m in known}
    for name, path in known.items():
        own = layer_of(name)
        for target, names, line in imports_of(path, name):
            where = f"{path.relative_to(root.parent)}:{line}"
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private and target != name:
                found.append(f"{where} imports private {', '.join(private)} from {target}")
            for dep in resolve(target, names, known):
                if dep == name or (dep not in known and dep != "gait"):
                    continue
                graph[name].add(dep)
                theirs = layer_of(dep)
                if own is None or theirs is None or own[0] == theirs[0]:
                    continue
                if theirs[1] >= own[1]:
                    found.append(f"{where}: {name} ({own[0]}, layer {own[1]}) imports {dep} ({theirs[0]}, {theirs[1]})")
    found += [f"import circle: {' → '.join(c)}" for c in circles(graph)]
    return found


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle per strongly connected group of modules (Tarjan), as a path through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def test_every_import_goes_down_the_layers_without_circles_or_private_names() -> None:
    assert violations() == []


def test_every_part_of_the_package_has_a_layer() -> None:
    tops = {p.name.removesuffix(".py") for p in GAIT.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
    assert tops - {"__init__", "__main__"} == set(LAYERS)


@pytest.mark.parametrize(
    ("module", "line", "expected"),
    [
        ("core/types.py", "from gait.capture.video import iter_frames", "imports gait.capture.video"),
        ("metrics/spec.py", "from gait.checks.findings import Footage", "imports gait.checks.findings"),
        ("checks/camera.py", "from gait.coaching.rules import generate_cues", "imports gait.coaching.rules"),
        ("metrics/table.py", "from gait.kinematics.clean import _no_such_private", "imports private"),
        ("core/config.py", "from gait.core.errors import GaitError", None),
        ("core/errors.py", "from gait.core.config import AnalysisConfig", "import circle"),
    ],
)
def test_the_rule_catches_a_deliberate_violation(tmp_path: Path, module: str, line: str, expected: str | None) -> None:
    """A copy of the package with one import added: the rule names it (and finds nothing else)."""
    import shutil

    copy = tmp_path / "gait"
    shutil.copytree(GAIT, copy, ignore=shutil.ignore_patterns("__pycache__", "assets"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    found = violations(copy)
    if expected is None:
        assert found == []
    else:
        assert any(expected in f for f in found), found

"""The package's shape, checked: which stage may import which, and no import cycles.

Every import counts, also one inside a function (a lazy import is still a dependency).
docs/architecture.md explains the stages and why the rules are what they are.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "spacecast"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path) -> list[tuple[str, int]]:
    """(imported name, line) for every import in the file: ``spacecast.x.y`` modules (a
    name imported from a package that is a module of its own counts as that module), and
    third-party top-level names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = _module_name(path)
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.append((candidate if candidate in MODULES else base, node.lineno))
    return found


def _internal(name: str) -> str | None:
    """The spacecast module ``name`` refers to (the nearest existing one), or ``None``."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


GRAPH = {
    module: {
        target
        for name, _ in _imports(path)
        if (target := _internal(name)) is not None and target != module
    }
    for module, path in MODULES.items()
}


def _in(module: str, stage: str) -> bool:
    return module == stage or module.startswith(stage + ".")


# (stage, stages it must never import, why)
RULES = [
    (
        "spacecast.text",
        (
            "spacecast.speech",
            "spacecast.audio",
            "spacecast.publish",
            "spacecast.sources",
            "spacecast.daily",
            "spacecast.settings",
            "spacecast.pipeline",
            "spacecast.cli",
        ),
        "text is words in, words out: it never speaks, mixes, publishes or fetches",
    ),
    (
        "spacecast.audio",
        (
            "spacecast.text",
            "spacecast.speech",
            "spacecast.publish",
            "spacecast.sources",
            "spacecast.daily",
            "spacecast.settings",
            "spacecast.pipeline",
            "spacecast.cli",
        ),
        "audio works on takes and timelines, never on text stages",
    ),
    (
        "spacecast.speech",
        (
            "spacecast.publish",
            "spacecast.sources",
            "spacecast.daily",
            "spacecast.settings",
            "spacecast.pipeline",
            "spacecast.cli",
        ),
        "speech turns a script into takes; it knows nothing of feeds or settings files",
    ),
    (
        "spacecast.publish",
        (
            "spacecast.text",
            "spacecast.speech",
            "spacecast.sources",
            "spacecast.daily",
            "spacecast.settings",
            "spacecast.pipeline",
            "spacecast.cli",
        ),
        "publishing writes what a build made; it never builds",
    ),
    (
        "spacecast.sources",
        (
            "spacecast.speech",
            "spacecast.audio",
            "spacecast.publish",
            "spacecast.daily",
            "spacecast.settings",
            "spacecast.pipeline",
            "spacecast.cli",
        ),
        "sources fetch and read articles, nothing more",
    ),
    (
        "spacecast.settings",
        ("spacecast.speech", "spacecast.daily", "spacecast.pipeline", "spacecast.cli"),
        "settings are read before anything runs",
    ),
    (
        "spacecast.pipeline",
        ("spacecast.daily", "spacecast.cli"),
        "the pipeline is what build, script and render call; the daily run calls it",
    ),
    ("spacecast.daily", ("spacecast.cli",), "the daily run is a library call too"),
]
FOUNDATION = (
    "spacecast.errors",
    "spacecast.models",
    "spacecast.limits",
    "spacecast.atomic",
    "spacecast.scratch",
    "spacecast.memory",
    "spacecast.weburl",
)


@pytest.mark.parametrize(("stage", "forbidden", "why"), RULES, ids=[r[0] for r in RULES])
def test_stages_import_only_what_they_may(stage, forbidden, why):
    broken = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if _in(module, stage)
        for target in targets
        if any(_in(target, other) for other in forbidden)
    )
    assert not broken, f"{why}: " + "; ".join(broken)


def test_the_shared_modules_import_no_stage():
    broken = sorted(
        f"{module} imports {target}"
        for module in FOUNDATION
        for target in GRAPH[module]
        if target not in FOUNDATION and target != "spacecast"
    )
    assert not broken, "; ".join(broken)


def test_only_the_command_line_imports_click():
    importers = sorted(
        f"{module} (line {line})"
        for module, path in MODULES.items()
        for name, line in _imports(path)
        if name.split(".")[0] == "click" and module != "spacecast.cli"
    )
    assert not importers


def test_no_import_cycles():
    """Modules form a directed acyclic graph (depth-first search for a back edge)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []
    cycles: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)
    assert not cycles, "; ".join(cycles)


def test_every_stage_package_is_documented():
    """docs/architecture.md and the README's code layout name every package and module."""
    root = PACKAGE.parents[1]
    architecture = (root / "docs" / "architecture.md").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    for module, path in MODULES.items():
        if path.name == "__init__.py" and module != "spacecast":
            assert f"{path.parent.name}/" in architecture, module
        elif path.name != "__init__.py":
            relative = path.relative_to(PACKAGE).as_posix()
            assert relative in readme, f"README's code layout does not name {relative}"

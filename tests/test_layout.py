"""The package's shape: stages as folders, and no import circles between modules."""

from __future__ import annotations

import ast
from pathlib import Path

import bulletin_gen

PACKAGE = Path(bulletin_gen.__file__).parent
STAGES = ["config", "sources", "markdown", "render", "mail", "output", "incremental",
          "commands", "speedups"]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules this one imports when it runs (type-only imports aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {id(node) for block in ast.walk(tree)
                 if isinstance(block, ast.If) and getattr(block.test, "id", "") == "TYPE_CHECKING"
                 for statement in block.body for node in ast.walk(statement)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bulletin_gen"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in modules else node.module or "")
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("bulletin_gen"))
    return found & modules


def test_each_stage_is_a_folder() -> None:
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").is_file(), stage
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "build.py", "cli.py", "errors.py", "model.py"]


def test_no_import_circles() -> None:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {name: _imports(path, set(paths)) - {name} for name, path in paths.items()}
    circles = []
    for start in graph:  # a depth-first walk from each module back to itself
        stack = [(start, (start,))]
        seen: set[str] = set()
        while stack:
            module, trail = stack.pop()
            for imported in graph[module]:
                if imported == start:
                    circles.append(" -> ".join(trail + (start,)))
                elif imported not in seen:
                    seen.add(imported)
                    stack.append((imported, trail + (imported,)))
    assert circles == []

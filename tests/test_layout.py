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


# Module-level state that is not a constant, each with why it may stay.
ALLOWED_STATE = {
    # Set once in each pool worker process by the pool's initializer: a worker's
    # task function and the build's state, which fork shares without pickling.
    "bulletin_gen.incremental.pool._state",
    # The store the templates being rendered put pieces in, set only inside
    # `with active(store)`: a context variable, scoped to the rendering context.
    "bulletin_gen.incremental.fragments._active",
    # One Markdown parser per thread, reset after every document: reuse, not state.
    "bulletin_gen.markdown.convert._local",
}
MUTABLE_VALUES = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)


def _module_state(path: Path) -> list[str]:
    """Names bound at module level to a mutable value, or declared `global` in a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        called = value.func if isinstance(value, ast.Call) else None
        mutable = isinstance(value, MUTABLE_VALUES) or (
            isinstance(called, ast.Name) and called.id in {"dict", "list", "set", "defaultdict"}
        ) or (isinstance(called, ast.Attribute) and called.attr in {"local", "ContextVar"})
        # An upper-case name is a constant (a table, a registry filled at import).
        found += [name for name in names
                  if mutable and not name.isupper() and not name.startswith("__")]
    found += [name for node in ast.walk(tree) if isinstance(node, ast.Global)
              for name in node.names]
    return found


def test_no_module_level_mutable_state_outside_the_fast_paths() -> None:
    found = {f"{_module_name(path)}.{name}"
             for path in PACKAGE.rglob("*.py") if "speedups" not in path.parts
             for name in _module_state(path)}
    assert found == ALLOWED_STATE

"""The golden copy of the example's whole site/, and of the plain text of the real-world
fixture (content written as people write it: hard-wrapped, nested, wide): compare, or
regenerate after review.

`make golden` (python -m tests.golden regenerate) rebuilds tests/golden/site from the
example publication and tests/golden/realworld from tests/fixtures/realworld. Read
`git diff tests/golden` before committing it.
"""

from __future__ import annotations

import difflib
import shutil
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from bulletin_gen.cli import main

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden" / "site"
REALWORLD = REPO / "tests" / "fixtures" / "realworld"
REALWORLD_GOLDEN = REPO / "tests" / "golden" / "realworld"
TEXT_SUFFIXES = {".html", ".txt", ".xml", ".ics", ".eml", ".css", ".js", ".json"}


def build_example(out: Path, publication: Path = REPO) -> None:
    """Build the repository's example publication (or another) into out."""
    source = Path(tempfile.mkdtemp(prefix="golden-src-"))
    try:
        for name in ("site.yaml", "bulletins", "templates", "assets"):
            path = publication / name
            if path.is_dir():
                shutil.copytree(path, source / name)
            elif path.is_file():
                shutil.copy2(path, source / name)
        result = CliRunner().invoke(main, ["-C", str(source), "build", "--out", str(out)])
        if result.exit_code != 0:
            raise RuntimeError(f"the example did not build:\n{result.output}")
    finally:
        shutil.rmtree(source, ignore_errors=True)


def tree(folder: Path, pattern: str = "*") -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob(pattern)) if path.is_file()}


def realworld_texts(out: Path) -> dict[str, bytes]:
    """Build the real-world fixture into out; return each issue's email.txt."""
    build_example(out, REALWORLD)
    return tree(out, "email.txt")


def differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    """A readable report: missing and extra files, a unified diff for changed text."""
    report = []
    for name in sorted(expected.keys() - actual.keys()):
        report.append(f"missing from the build: {name}")
    for name in sorted(actual.keys() - expected.keys()):
        report.append(f"new in the build: {name}")
    for name in sorted(expected.keys() & actual.keys()):
        if expected[name] == actual[name]:
            continue
        if Path(name).suffix in TEXT_SUFFIXES:
            diff = difflib.unified_diff(
                expected[name].decode("utf-8", "replace").splitlines(),
                actual[name].decode("utf-8", "replace").splitlines(),
                f"golden/{name}", f"build/{name}", lineterm="", n=2)
            report.append("\n".join(diff))
        else:
            report.append(f"binary file differs: {name}")
    return report


def regenerate() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "site"
        build_example(out)
        if GOLDEN.exists():
            shutil.rmtree(GOLDEN)
        shutil.copytree(out, GOLDEN)
        texts = realworld_texts(Path(scratch) / "realworld")
        if REALWORLD_GOLDEN.exists():
            shutil.rmtree(REALWORLD_GOLDEN)
        for name, content in texts.items():
            (REALWORLD_GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (REALWORLD_GOLDEN / name).write_bytes(content)
    print(f"regenerated {GOLDEN.relative_to(REPO)} and {REALWORLD_GOLDEN.relative_to(REPO)}: "
          "review them with `git diff tests/golden`")


if __name__ == "__main__":
    if sys.argv[1:] != ["regenerate"]:
        sys.exit("usage: python -m tests.golden regenerate")
    regenerate()

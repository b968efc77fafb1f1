"""The golden copy of the example's whole site/: compare, or regenerate after review.

`make golden` (python -m tests.golden regenerate) rebuilds tests/golden/site from the
example publication. Read `git diff tests/golden` before committing it.
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
TEXT_SUFFIXES = {".html", ".txt", ".xml", ".ics", ".eml", ".css", ".js", ".json"}


def build_example(out: Path) -> None:
    """Build the repository's example publication into out."""
    source = Path(tempfile.mkdtemp(prefix="golden-src-"))
    try:
        for name in ("site.yaml", "bulletins", "templates", "assets"):
            path = REPO / name
            if path.is_dir():
                shutil.copytree(path, source / name)
            else:
                shutil.copy2(path, source / name)
        result = CliRunner().invoke(main, ["-C", str(source), "build", "--out", str(out)])
        if result.exit_code != 0:
            raise RuntimeError(f"the example did not build:\n{result.output}")
    finally:
        shutil.rmtree(source, ignore_errors=True)


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


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
    print(f"regenerated {GOLDEN.relative_to(REPO)}: review it with `git diff tests/golden`")


if __name__ == "__main__":
    if sys.argv[1:] != ["regenerate"]:
        sys.exit("usage: python -m tests.golden regenerate")
    regenerate()

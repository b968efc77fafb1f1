"""Shared fixtures: every test works on a copy of a publication in tmp_path."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bulletin_gen.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_PARTS = ("site.yaml", "bulletins", "templates", "assets")


def copy_publication(source: Path, target: Path) -> Path:
    """Copy a publication's sources (not its built site) into target."""
    target.mkdir(parents=True, exist_ok=True)
    for name in EXAMPLE_PARTS:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name)
        elif path.is_file():
            shutil.copy2(path, target / name)
    return target


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A fresh copy of the example publication (the June 2022 bulletin)."""
    return copy_publication(REPO, tmp_path / "example")


@pytest.fixture
def invoke():
    """Run the `bulletin` command in a publication folder, as a user would."""
    def run(root: Path, *args: str) -> Result:
        return CliRunner().invoke(main, ["-C", str(root), *args], catch_exceptions=False)
    return run


def write(path: Path, text: str) -> Path:
    """Write a source file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def tidied(root: Path, timeout: float = 120.0) -> list[str]:
    """The names beside site/ once what builds handed to a deleter is gone.

    A build returns before what it no longer needs is deleted (output/tidy.py); that
    happens in a process of its own, in the seconds after.
    """
    deadline = time.monotonic() + timeout
    while any(root.glob("site.old-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    return sorted(path.name for path in root.iterdir() if path.name.startswith("site"))


def beside_site(root: Path) -> list[str]:
    """tidied(root), the spare every build keeps for the next (`site.spare-<pid>`, see
    output/spare.py) named without its pid: there is one at most."""
    names = tidied(root)
    assert len([name for name in names if name.startswith("site.spare-")]) <= 1, names
    return ["site.spare" if name.startswith("site.spare-") else name for name in names]

"""Atomic output: a build killed half-way leaves the previous site/ whole, and is tidied after."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bulletin_gen.cli import main
from bulletin_gen.output.atomic import exchange
from tests.conftest import beside_site, write

# Enough bytes that writing them takes a while on any disk: the kill lands mid-write.
BIG_FILES = 120
BIG_SIZE = 256 * 1024


def digest(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def build(root: Path) -> None:
    result = CliRunner().invoke(main, ["-C", str(root), "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def fill_assets(root: Path, version: bytes) -> None:
    """Shared assets are all published: many large ones make writing the site slow."""
    block = version * (BIG_SIZE // len(version))
    folder = root / "assets/big"
    folder.mkdir(exist_ok=True)
    for number in range(BIG_FILES):
        (folder / f"file-{number:03d}.bin").write_bytes(block)


def staging_with_files(root: Path) -> Path | None:
    for folder in root.glob("site.tmp-*"):
        with os.scandir(folder) as entries:
            if any(True for _ in entries):
                return folder
    return None


def test_a_build_killed_mid_write_leaves_the_previous_site_whole(example: Path) -> None:
    fill_assets(example, b"first build ")
    build(example)
    before = digest(example / "site")
    assert "2022-06/email.html" in before and "assets/big/file-119.bin" in before

    fill_assets(example, b"second build, never finished ")
    bulletin = example / "bulletins/2022-06/bulletin.md"
    bulletin.write_text(bulletin.read_text(encoding="utf-8").replace("June 2022", "June 2O22"),
                        encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "bulletin_gen", "-C", str(example),
                                "build"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        staging = None
        while staging is None and process.poll() is None:
            staging = staging_with_files(example)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    assert staging is not None, "the build ended before it could be killed: enlarge BIG_FILES"
    assert process.returncode == -signal.SIGKILL
    assert staging.exists(), "the kill landed after the swap: enlarge BIG_FILES"

    assert digest(example / "site") == before  # complete, and still the previous build

    build(example)
    assert beside_site(example) == ["site", "site.spare", "site.yaml"]
    after = digest(example / "site")
    assert set(after) == set(before)
    assert after["assets/big/file-000.bin"] != before["assets/big/file-000.bin"]
    assert "June 2O22" in (example / "site/2022-06/index.html").read_text(encoding="utf-8")


def test_the_next_build_restores_a_site_caught_between_two_renames(example: Path) -> None:
    """Where the system cannot swap in one step, a kill between the renames loses no site."""
    build(example)
    before = digest(example / "site")
    ended = subprocess.Popen([sys.executable, "-c", "pass"])  # the killed build's pid
    ended.wait()
    os.rename(example / "site", example / f"site.old-{ended.pid}-0f0f")
    write(example / f"site.tmp-{ended.pid}-abcd/2022-06/index.html", "half a page")
    write(example / "bulletins/2022-06/95-broken.md", "---\ntitle: [oops\n---\n")
    result = CliRunner().invoke(main, ["-C", str(example), "build"], catch_exceptions=False)
    assert result.exit_code == 1
    (example / "bulletins/2022-06/95-broken.md").unlink()
    build(example)
    assert digest(example / "site") == before
    assert beside_site(example) == ["site", "site.spare", "site.yaml"]


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.fail("renameat2 is Linux-only; the fallback renames twice")
    write(tmp_path / "new/page.html", "new")
    write(tmp_path / "site/page.html", "old")
    assert exchange(tmp_path / "new", tmp_path / "site")
    assert (tmp_path / "site/page.html").read_text() == "new"
    assert (tmp_path / "new/page.html").read_text() == "old"
    assert not exchange(tmp_path / "new", tmp_path / "missing")
    shutil.rmtree(tmp_path / "new")

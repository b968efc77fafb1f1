"""The command returns as soon as the new site is in place; what it no longer needs is
deleted after, by a process of its own, and no build deletes a folder another running one
uses."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import beside_site, tidied, write

# Enough files that deleting them takes far longer than the command takes to return.
BULK_FOLDERS, BULK_FILES = 40, 500


def files(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")
            if path.is_file()}


def build(root: Path) -> subprocess.CompletedProcess[str]:
    """`bulletin build` as a user runs it: a process of its own, waited for."""
    result = subprocess.run([sys.executable, "-m", "bulletin_gen", "-C", str(root), "build"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result


def test_the_command_returns_before_what_the_old_site_held_is_deleted(example: Path) -> None:
    build(example)
    site = example / "site"
    built = files(site)
    for folder in range(BULK_FOLDERS):  # a large old site (the build replaces site/ whole)
        (site / "bulk" / f"{folder:02d}").mkdir(parents=True)
        for number in range(BULK_FILES):
            (site / "bulk" / f"{folder:02d}" / f"{number:03d}.html").touch()

    build(example)
    assert files(site) == built  # the new site, complete, is in place at return
    [spare] = example.glob("site.spare-*")  # the old site, kept for the next build
    assert (spare / "bulk").is_dir()
    item = next((example / "bulletins/2022-06").glob("[0-9]*.md"))
    item.write_text(item.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    build(example)  # into the spare: what it holds that the site does not is moved aside
    assert files(site) == built
    assert any(re.fullmatch(r"\d{3}\.html", name) for old in example.glob("site.old-*")
               for _, _, names in os.walk(old) for name in names)  # not yet deleted
    assert beside_site(example) == ["site", "site.spare", "site.yaml"]  # and then deleted


def test_a_folder_a_running_build_or_serve_uses_is_left_alone(example: Path) -> None:
    build(example)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        staging = write(example / f"site.tmp-{other.pid}-abcd/2022-06/index.html", "half")
        spare = write(example / f"site.spare-{other.pid}/2022-06/index.html", "a spare")
        item = next((example / "bulletins/2022-06").glob("[0-9]*.md"))
        item.write_text(item.read_text(encoding="utf-8") + "\nOne more line.\n",
                        encoding="utf-8")
        build(example)
        assert "One more line." in (example / "site/2022-06/index.html").read_text()
        names = tidied(example)
        assert f"site.spare-{other.pid}" in names and f"site.tmp-{other.pid}-abcd" in names
        ours = [name for name in names if str(other.pid) not in name]
        assert ours[0] == "site" and ours[1].startswith("site.spare-") and ours[2:] == [
            "site.yaml"]
        assert staging.read_text() == "half" and spare.read_text() == "a spare"
    finally:
        other.kill()
        other.wait()
    item.write_text(item.read_text(encoding="utf-8") + "\nAnd another.\n", encoding="utf-8")
    build(example)  # their process has ended: they are leftovers now (or its spare, taken)
    assert beside_site(example) == ["site", "site.spare", "site.yaml"]
    assert "And another." in (example / "site/2022-06/index.html").read_text()

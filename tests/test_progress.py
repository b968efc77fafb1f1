"""What `build` prints: one summary line; nothing with -q; more with -v; a bar on a
terminal, called once per issue made again."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin_gen.build import build
from bulletin_gen.commands.progress import NORMAL, issue_bar
from bulletin_gen.config.settings import load_config
from tests.issues_helper import publication

SLUGS = ("2022-01", "2022-02", "2022-03", "2022-04", "2022-05", "2022-06", "2022-07")


def test_one_summary_line(example: Path, invoke) -> None:
    result = invoke(example, "build")
    assert result.exit_code == 0
    assert re.fullmatch(r"Built 1 issue, \d+ files in \d+\.\d s into site/\n", result.output)


def test_quiet_prints_nothing(example: Path, invoke) -> None:
    result = invoke(example, "build", "-q")
    assert result.exit_code == 0
    assert result.output == ""


def test_verbose_names_the_issues_made_again(example: Path, invoke) -> None:
    assert "Made again: 2022-06" in invoke(example, "build", "-v").output
    assert "Made again: nothing (unchanged)" in invoke(example, "build", "--verbose").output


def test_no_bar_off_a_terminal(tmp_path: Path, invoke) -> None:
    with issue_bar(NORMAL) as tick:  # pytest's stderr is not a terminal
        tick("2022-06", 1, 50)
    root = publication(tmp_path, SLUGS)
    result = invoke(root, "build")
    assert re.fullmatch(r"Built 7 issues, \d+ files in \d+\.\d s into site/\n", result.output)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_build_reports_each_issue_made_again_once(tmp_path: Path, jobs: str) -> None:
    root = publication(tmp_path, SLUGS)
    config = load_config(root)
    seen: list[tuple[str, int, int]] = []
    build(config, jobs=int(jobs), progress=lambda *call: seen.append(call))
    assert sorted(slug for slug, _, _ in seen) == sorted(SLUGS)
    assert [(done, total) for _, done, total in seen] == [(n, 7) for n in range(1, 8)]
    item = root / "bulletins/2022-04/30-air-quality-webinar.md"
    item.write_text(item.read_text() + "\nOne more line.\n")
    seen.clear()
    build(config, jobs=int(jobs), progress=lambda *call: seen.append(call))
    assert seen == [("2022-04", 1, 1)]


def test_a_bar_on_a_terminal_for_more_than_a_handful(tmp_path: Path) -> None:
    root = publication(tmp_path, SLUGS)
    primary, secondary = pty.openpty()  # stderr is a terminal, as in an editor's shell
    try:
        result = subprocess.run([sys.executable, "-m", "bulletin_gen", "-C", str(root), "build"],
                                stdout=subprocess.PIPE, stderr=secondary, timeout=120,
                                check=False)
        os.close(secondary)
        shown = _read_all(primary)
    finally:
        os.close(primary)
    assert result.returncode == 0
    assert "Building" in shown and "100%" in shown
    assert re.fullmatch(rb"Built 7 issues, \d+ files in \d+\.\d s into site/\n", result.stdout)


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the other end is closed and everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")

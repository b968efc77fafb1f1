"""What `build` prints: one summary line; nothing with -q; more with -v."""

from __future__ import annotations

import re
from pathlib import Path

from bulletin_gen.progress import NORMAL, issue_bar


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


def test_no_bar_off_a_terminal() -> None:
    with issue_bar(50, NORMAL) as tick:  # pytest's stderr is not a terminal
        tick("2022-06")

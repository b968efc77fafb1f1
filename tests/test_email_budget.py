"""The email's size: a warning from 90 KB, an error over 102 KB (where Gmail clips)."""

from __future__ import annotations

from pathlib import Path

from bulletin_gen.mail.budget import FAIL_AT, WARN_AT, email_size_problems
from tests.conftest import write


class File:
    def __init__(self, path: str, size: int) -> None:
        self.path, self.content = path, b"x" * size


def _grow(example: Path, invoke, target: int) -> None:
    """Add an item long enough to bring the email to about target bytes."""
    assert invoke(example, "build").exit_code == 0
    base = (example / "site/2022-06/email.html").stat().st_size
    paragraph = "Words of a long report that goes on and on. " * 20
    count = max(1, (target - base) // (len(paragraph) + 40))
    write(example / "bulletins/2022-06/99-long.md", "---\nkind: news\ntitle: A long report\n---\n"
          + "\n\n".join([paragraph] * count) + "\n")


def test_thresholds() -> None:
    sources = {"2022-06": "bulletins/2022-06/bulletin.md"}
    errors, warnings = email_size_problems([File("2022-06/email.html", WARN_AT)], sources)
    assert (errors, warnings) == ([], [])
    errors, warnings = email_size_problems([File("2022-06/email.html", WARN_AT + 1)], sources)
    assert errors == [] and warnings[0].startswith("bulletins/2022-06/bulletin.md:1: warning:")
    errors, _ = email_size_problems([File("2022-06/email.html", FAIL_AT + 1)], sources)
    assert errors[0].path == "bulletins/2022-06/bulletin.md"
    # 90 KB as the issue says (not 90 KiB = 92,160 bytes)
    _, warnings = email_size_problems([File("2022-06/email.html", 91_000)], sources)
    assert len(warnings) == 1


def test_build_warns_near_the_limit(example: Path, invoke) -> None:
    _grow(example, invoke, 96_000)
    result = invoke(example, "build")
    assert result.exit_code == 0, result.output
    size = (example / "site/2022-06/email.html").stat().st_size
    assert WARN_AT < size <= FAIL_AT
    assert "bulletins/2022-06/bulletin.md:1: warning: the email weighs" in result.output


def test_build_fails_over_the_limit_and_keeps_the_previous_site(example: Path, invoke) -> None:
    _grow(example, invoke, 115_000)
    before = (example / "site/2022-06/email.html").read_bytes()
    result = invoke(example, "build")
    assert result.exit_code == 1
    assert "bulletins/2022-06/bulletin.md:1: the email weighs" in result.output
    assert "where Gmail clips it and hides the unsubscribe link" in result.output
    assert "Traceback" not in result.output
    assert (example / "site/2022-06/email.html").read_bytes() == before

"""The command line: exit status 0 success, 1 content errors, 2 usage errors, 3 a missing
optional part, 4 a proof that could not be sent."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import tidied, write


def tree_digest(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_build_succeeds_with_a_summary(example: Path, invoke) -> None:
    result = invoke(example, "build")
    assert result.exit_code == 0
    assert result.output.startswith("Built 1 issue, ")
    assert result.output.rstrip().endswith("into site/")


def test_content_error_exits_1_with_located_messages_and_keeps_the_old_site(
        example: Path, invoke) -> None:
    assert invoke(example, "build").exit_code == 0
    before_site = tree_digest(example / "site")
    before_sources = tree_digest(example / "bulletins")
    write(example / "bulletins/2022-06/95-bad.md", "---\nkind: news\ntitle: [oops\n---\n")
    write(example / "bulletins/2022-06/96-bad.md", "---\nkind: news\ntitle: Fine\nimgae: x\n---\n")
    before_sources = tree_digest(example / "bulletins")
    result = invoke(example, "build")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("bulletins/2022-06/95-bad.md:3: invalid YAML:")
    assert lines[1].startswith("bulletins/2022-06/96-bad.md:4: unknown key 'imgae'")
    assert lines[-1] == "2 errors: nothing was written."
    assert tree_digest(example / "site") == before_site
    assert tree_digest(example / "bulletins") == before_sources
    assert tidied(example) == ["site", "site.yaml"]


def test_usage_errors_exit_2(example: Path, invoke) -> None:
    assert invoke(example, "build", "--no-such-option").exit_code == 2
    assert invoke(example, "frobnicate").exit_code == 2


def test_unknown_issue_is_named(example: Path, invoke) -> None:
    result = invoke(example, "build", "2031-01")
    assert result.exit_code == 1
    assert "no such issue: 2031-01; known: 2022-06" in result.output


def test_outside_a_publication_says_how_to_start_one(tmp_path: Path, invoke) -> None:
    result = invoke(tmp_path, "build")
    assert result.exit_code == 1
    assert "no site.yaml in" in result.output and "bulletin init" in result.output


def test_check_writes_nothing(example: Path, invoke) -> None:
    result = invoke(example, "check")
    assert result.exit_code == 0, result.output
    assert not (example / "site").exists()


def test_errors_go_to_standard_error_with_a_status_for_each_kind(example: Path, tmp_path: Path,
                                                                   invoke) -> None:
    """1 content, 2 command line, 3 a missing optional part; nothing on standard output."""
    write(example / "bulletins/2022-06/95-bad.md", "---\nkind: news\ntitle: [oops\n---\n")
    content = invoke(example, "build")
    write(tmp_path / "full/notes.txt", "mine")
    command_line = invoke(tmp_path, "init", str(tmp_path / "full"))
    for result, status, words in ((content, 1, "95-bad.md:3: invalid YAML"),
                                  (command_line, 2, "is not empty")):
        assert result.exit_code == status
        assert result.stdout == "" and words in result.stderr


def test_preview_without_playwright_exits_3(example: Path, tmp_path: Path) -> None:
    """A real interpreter whose `playwright` cannot be imported, as without the extra."""
    blocker = write(tmp_path / "blocked/playwright/__init__.py",
                    'raise ImportError("No module named \'playwright\'")\n')
    environment = {**os.environ, "PYTHONPATH": str(blocker.parent.parent)}
    result = subprocess.run([sys.executable, "-m", "bulletin_gen", "-C", str(example), "preview",
                             "2022-06"], capture_output=True, text=True, env=environment,
                            timeout=120, check=False)
    assert result.returncode == 3, result.stderr
    assert result.stdout == ""
    assert "pip install 'bulletin-gen[preview]'" in result.stderr
    assert not (example / "preview").exists()

"""The library fast paths: all active with the pinned libraries, checked against their code."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown.blockparser import BlockParser

import bulletin_gen.speedups.__main__ as upgrade_check
from bulletin_gen import speedups


def test_every_fast_path_is_active_with_the_pinned_libraries() -> None:
    # A fast path that fell back only makes builds slower, which no other test would see.
    for name in speedups.FAST_PATHS:
        assert speedups.changed_code(name) == [], name
        assert speedups.active(name), f"{name} is turned off by ${speedups.OFF_VARIABLE}"


def test_the_fingerprints_file_is_what_write_records_now(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written = tmp_path / "fingerprints.json"
    monkeypatch.setattr(upgrade_check, "FINGERPRINTS", written)
    upgrade_check.write()
    assert json.loads(written.read_text()) == speedups.recorded()
    assert set(speedups.recorded()) == set(speedups.FAST_PATHS)


def test_source_digest_reads_the_source_and_is_empty_without_one() -> None:
    assert re.fullmatch(r"[0-9a-f]{12}", speedups.source_digest(speedups.resolve(
        "markdown.blockparser:BlockParser.parseBlocks")))
    namespace: dict[str, object] = {}
    exec("def nowhere():\n    return 1\n", namespace)  # noqa: S102 - no source file
    assert speedups.source_digest(namespace["nowhere"]) == ""


def test_upgrade_check_lists_every_fast_path_as_active() -> None:
    result = subprocess.run([sys.executable, "-m", "bulletin_gen.speedups"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in speedups.FAST_PATHS:
        assert re.search(rf"^{name}: active ", result.stdout, re.M), result.stdout


def test_upgrade_check_names_changed_code_and_how_to_record_it(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    library_loop = BlockParser.parseBlocks

    def parseBlocks(self: BlockParser, parent: object, blocks: list[str]) -> None:  # noqa: N802
        library_loop(self, parent, blocks)  # type: ignore[arg-type]

    monkeypatch.setattr(BlockParser, "parseBlocks", parseBlocks)
    speedups.active.cache_clear()
    try:
        assert upgrade_check.main([]) == 1
        assert not speedups.active("markdown_block")
        assert speedups.active("markdown_inline")
    finally:
        monkeypatch.undo()
        speedups.active.cache_clear()
    out = capsys.readouterr().out
    assert "markdown_block: FELL BACK to the library's own code" in out
    assert "changed or missing: markdown.blockparser:BlockParser.parseBlocks" in out
    assert "--write" in out and "read the library's diff" in out
    assert "premailer: active" in out


def test_a_missing_library_function_makes_its_fast_path_fall_back(
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = speedups.FAST_PATHS["premailer"]
    monkeypatch.setitem(speedups.FAST_PATHS, "premailer", speedups.FastPath(
        path.name, path.distribution, path.summary,
        (*path.code, "premailer.premailer:Premailer.no_such_method")))
    assert "premailer.premailer:Premailer.no_such_method" in speedups.changed_code("premailer")


def test_the_environment_can_turn_fast_paths_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(speedups.OFF_VARIABLE, "markdown_inline, premailer")
    assert speedups.turned_off("premailer") and speedups.turned_off("markdown_inline")
    assert not speedups.turned_off("markdown_block")
    monkeypatch.setenv(speedups.OFF_VARIABLE, "all")
    assert all(speedups.turned_off(name) for name in speedups.FAST_PATHS)

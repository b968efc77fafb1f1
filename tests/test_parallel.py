"""Rendering across processes writes the same bytes as rendering in one."""

from __future__ import annotations

from pathlib import Path

from bulletin_gen.config.settings import load_config
from bulletin_gen.render.site import render_in_memory as render
from tests.issues_helper import publication, tree

SLUGS = ("2022-01", "2022-02", "2022-03", "2022-04", "2022-05", "2022-06")


def test_a_build_in_two_processes_is_byte_identical_to_one_in_one(tmp_path: Path,
                                                                  invoke) -> None:
    root = publication(tmp_path, SLUGS)
    serial = invoke(root, "build", "--jobs", "1", "--out", str(tmp_path / "serial"))
    parallel = invoke(root, "build", "--jobs", "2", "--out", str(tmp_path / "parallel"))
    assert serial.exit_code == 0 and parallel.exit_code == 0, serial.output + parallel.output
    assert "Built 6 issues" in parallel.output
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")


def test_the_build_writes_what_the_plain_pipeline_renders(tmp_path: Path, invoke) -> None:
    """Incremental and parallel building change nothing: every file render_site makes, and
    only those, end up in site/."""
    root = publication(tmp_path, SLUGS[:3])
    assert invoke(root, "build", "--jobs", "2").exit_code == 0
    _, files = render(load_config(root))
    expected = {file.path: file.content if file.content is not None
                else Path(str(file.source)).read_bytes() for file in files}
    built = tree(root / "site")
    built.pop(".bulletin-gen")
    assert built == expected


def test_errors_in_several_issues_are_all_reported_from_the_workers(tmp_path: Path,
                                                                    invoke) -> None:
    root = publication(tmp_path, SLUGS)
    for slug in ("2022-02", "2022-05"):
        item = root / f"bulletins/{slug}/40-deloitte-masterclasses.md"
        item.write_text(item.read_text().replace("title:", "titel:", 1))
    result = invoke(root, "build", "--jobs", "2")
    assert result.exit_code == 1
    for slug in ("2022-02", "2022-05"):
        assert f"bulletins/{slug}/40-deloitte-masterclasses.md:" in result.output
    assert "Traceback" not in result.output
    assert not (root / "site").exists()

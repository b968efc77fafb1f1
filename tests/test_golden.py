"""The example's whole site/, and the real-world fixture's plain text, match the reviewed
golden copies byte for byte."""

from pathlib import Path

from tests.golden import (
    GOLDEN,
    REALWORLD_GOLDEN,
    build_example,
    differences,
    realworld_texts,
    tree,
)


def test_example_site_matches_the_golden_copy(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_example(out)
    report = differences(tree(GOLDEN), tree(out))
    assert not report, ("the build differs from tests/golden/site; if the change is intended, "
                        "run `make golden` and review the diff:\n" + "\n".join(report))


def test_real_world_plain_text_matches_the_golden_copy(tmp_path: Path) -> None:
    """Hard-wrapped paragraphs, nested lists, wide tables, code and footnotes, as people
    write them, in the text a person would write."""
    report = differences(tree(REALWORLD_GOLDEN), realworld_texts(tmp_path / "site"))
    assert not report, ("the real-world fixture's text differs from tests/golden/realworld; "
                        "if the change is intended, run `make golden` and review the diff:\n"
                        + "\n".join(report))

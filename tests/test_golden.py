"""The example's whole site/ matches the reviewed golden copy byte for byte."""

from pathlib import Path

from tests.golden import GOLDEN, build_example, differences, tree


def test_example_site_matches_the_golden_copy(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_example(out)
    report = differences(tree(GOLDEN), tree(out))
    assert not report, ("the build differs from tests/golden/site; if the change is intended, "
                        "run `make golden` and review the diff:\n" + "\n".join(report))

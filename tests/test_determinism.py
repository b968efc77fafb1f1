"""Two builds of the same sources give the same bytes."""

import shutil
from pathlib import Path

from bulletin_gen.incremental.cache import CACHE_DIR
from tests.test_cli import tree_digest


def test_two_builds_are_byte_identical(example: Path, invoke, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert invoke(example, "build", "--out", str(first)).exit_code == 0
    # Without its cache the second build renders everything again rather than reusing
    # the first build's pieces, so the comparison is between two real renders.
    shutil.rmtree(example / CACHE_DIR)
    assert invoke(example, "build", "--out", str(second)).exit_code == 0
    assert tree_digest(first) == tree_digest(second)
    assert len(tree_digest(first)) > 10

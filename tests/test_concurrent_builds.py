"""Two `bulletin build`s of one folder at once: each that says it succeeded left a whole site.

They used to stage side by side, and one tidied away the other's staging folder just
before the other swapped it in: "Built 40 issues", exit 0, and a site/ missing most
of its files. Now the output folder is locked and the second build waits its turn.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from bench.archive import make_archive

from tests.issues_helper import tree

TRIALS = 3  # trial 0: both at once; then the second while the first stages


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """An archive of 30 issues and the site a lone build makes of it."""
    root = make_archive(tmp_path_factory.mktemp("concurrent") / "archive", issues=30, items=5)
    assert _build(root).returncode == 0
    return root, tree(root / "site")


def _start(root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "bulletin_gen", "-C", str(root), "build",
                             "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _build(root: Path) -> subprocess.CompletedProcess[str]:
    process = _start(root)
    out, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _clear(root: Path) -> None:
    subprocess.run(["rm", "-rf", str(root / "site"), str(root / ".bulletin-cache")], check=True)


def _staging_started(root: Path, process: subprocess.Popen[str]) -> None:
    """Wait until process has made its staging folder (it is writing the site)."""
    deadline = time.monotonic() + 120
    while not any(root.glob("site.tmp-*")) and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)


@pytest.mark.parametrize("trial", range(TRIALS))
def test_two_builds_at_once_each_leave_a_whole_site(archive, trial: int) -> None:
    root, whole = archive
    _clear(root)
    first = _start(root)
    if trial:  # the second starts while the first writes the site, or with it
        _staging_started(root, first)
    second = _start(root)
    for process in (first, second):
        out, err = process.communicate(timeout=300)
        assert "Traceback" not in err, err
        assert process.returncode == 0, err
        # It said it built the site: the site is there, whole, at the moment it exits.
        assert tree(root / "site") == whole, f"a partial site after {out!r} {err!r}"
    deadline = time.monotonic() + 30  # replaced sites are deleted by a child of their own
    while any(root.glob("site.old-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(path.name for path in root.iterdir()) == [
        ".bulletin-cache", "assets", "bulletins", "site", "site.yaml"]


def test_a_second_build_says_it_waits(archive) -> None:
    root, whole = archive
    _clear(root)
    first = _start(root)
    _staging_started(root, first)
    second = _build(root)
    first.communicate(timeout=300)
    assert second.returncode == 0
    assert "Another build is writing site/; waiting for it to finish..." in second.stderr
    assert tree(root / "site") == whole

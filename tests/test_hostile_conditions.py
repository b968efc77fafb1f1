"""The machine fails the build (full disk, read-only folder, file-size limit) or the user
presses Ctrl-C: one line saying what happened, a status that is not content errors' 1,
and the published site/ as it was (or, past the swap, whole and new)."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from bench.archive import make_archive

from tests.conftest import REPO, copy_publication
from tests.issues_helper import tree

ITEM = "bulletins/2022-06/90-help-to-grow.md"


def bulletin(root: Path, *args: str, preexec: Callable[[], None] | None = None,
             wrap: Callable[[list[str]], list[str]] = list) -> subprocess.CompletedProcess[str]:
    return subprocess.run(wrap([sys.executable, "-m", "bulletin_gen", "-C", str(root), *args]),
                          capture_output=True, text=True, check=False, preexec_fn=preexec)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """The example publication, built, with an item changed since (the next build writes)."""
    root = copy_publication(REPO, tmp_path / "example")
    assert bulletin(root, "build").returncode == 0
    item = root / ITEM
    item.write_text(item.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    return root


def beside(root: Path) -> list[str]:
    """What is beside site/, once the replaced sites a build hands to a deleter are gone."""
    deadline = time.monotonic() + 30
    while any(root.glob("site.old-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    return sorted(path.name for path in root.iterdir())


def test_a_file_size_limit_is_one_line_exit_5_and_site_unchanged(built: Path) -> None:
    before, names = tree(built / "site"), beside(built)

    def limit() -> None:  # as `ulimit -f 20` would: writes past 20 KB fail with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = bulletin(built, "build", preexec=limit)
    assert result.returncode == 5, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("cannot write site.tmp-"), result.stderr
    assert result.stderr.endswith(": File too large (EFBIG); site/ is unchanged\n")
    assert tree(built / "site") == before
    assert beside(built) == names  # no staging folder left behind


def _in_own_mount(script: str) -> subprocess.CompletedProcess[str]:
    """Run a shell script as root of a user and mount namespace of its own, where it may
    mount a small tmpfs (a disk that fills up, a file system made read-only)."""
    return subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "bash", "-euc",
                           script], capture_output=True, text=True, check=False)


@pytest.mark.parametrize(("spoil", "expected"), [
    # Fill the disk, leaving 8 KB: the new pages do not fit.
    ("dd if=/dev/zero of=disk/filler bs=1k count=$(( $(stat -f -c '%a*%S/1024' disk) - 8 ))"
     " 2>/dev/null || true", ": No space left on device (ENOSPC); disk/site/ is unchanged"),
    ("mount -o remount,ro disk", ": Read-only file system (EROFS); disk/site/ is unchanged"),
])
def test_a_full_or_read_only_disk_is_one_line_exit_5_and_site_unchanged(
        built: Path, spoil: str, expected: str) -> None:
    bulletin_command = f"{sys.executable} -m bulletin_gen -C {built} build --out disk/site"
    result = _in_own_mount(f"""
        cd {built}
        mkdir disk
        mount -t tmpfs -o size=8m tmpfs disk
        {bulletin_command} >/dev/null
        (cd disk/site && find . -type f | sort | xargs md5sum) > before.txt
        {spoil}
        echo "One line more." >> {ITEM}
        set +e
        {bulletin_command} 2>error.txt
        echo $? > status.txt
        (cd disk/site && find . -type f | sort | xargs md5sum) > after.txt
        for _ in $(seq 300); do ls disk | grep -q '[.]old-' || break; sleep 0.1; done
        ls -a disk > beside.txt
    """)
    assert result.returncode == 0, result.stderr
    error = (built / "error.txt").read_text()
    assert (built / "status.txt").read_text() == "5\n", error
    assert "Traceback" not in error and error.count("\n") == 1, error
    assert error.startswith("cannot write disk/site.tmp-") and error.endswith(expected + "\n")
    assert (built / "after.txt").read_text() == (built / "before.txt").read_text()
    assert set((built / "beside.txt").read_text().split()) <= {".", "..", "site", "filler"}


def unprivileged(command: list[str]) -> list[str]:
    """command, run without root's right to write anywhere (already so unless root): in a
    user namespace of its own, root's files are someone else's, their modes obeyed."""
    return ["unshare", "--user", *command] if os.geteuid() == 0 else command


def test_a_spare_with_read_only_folders_is_written_around(built: Path) -> None:
    # The site the last build replaced is kept for the next to write into (spare.py);
    # someone made its folders read-only since: the next build writes around them.
    assert bulletin(built, "build").returncode == 0
    [spare] = built.glob("site.spare-*")
    spare.chmod(0o777)  # the spare itself writable for the unprivileged build below
    for folder in spare.rglob("*"):
        if folder.is_dir():
            folder.chmod(0o555)
    item = built / ITEM
    item.write_text(item.read_text(encoding="utf-8") + "\nAnd another.\n", encoding="utf-8")
    result = bulletin(built, "build", wrap=unprivileged)
    assert result.returncode == 0, result.stderr
    assert "And another." in (built / "site/2022-06/email.txt").read_text(encoding="utf-8")
    fresh = copy_publication(built, built.parent / "fresh")
    assert bulletin(fresh, "build").returncode == 0
    assert tree(built / "site") == tree(fresh / "site")


def test_a_read_only_site_is_replaced_and_leaves_nothing_behind(built: Path) -> None:
    # A reader (a web server's deploy step, say) made site/ read-only: the build swaps in
    # the new site all the same, and removes the old one rather than leave it forever.
    for folder in [built / "site", *(built / "site").rglob("*")]:
        if folder.is_dir():
            folder.chmod(0o555)
    names = beside(built)
    result = bulletin(built, "build", wrap=unprivileged)
    assert result.returncode == 0, result.stderr
    assert "One more line." in (built / "site/2022-06/email.txt").read_text(encoding="utf-8")
    assert beside(built) == names


def test_a_read_only_publication_folder_is_one_line_exit_5(built: Path) -> None:
    before, names = tree(built / "site"), beside(built)
    built.chmod(0o555)
    try:
        result = bulletin(built, "build", wrap=unprivileged)
    finally:
        built.chmod(0o755)
    assert result.returncode == 5, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert "Permission denied (EACCES); site/ is unchanged" in result.stderr
    assert tree(built / "site") == before and beside(built) == names


def test_ctrl_c_exits_130_and_says_which_site_is_in_place(tmp_path: Path) -> None:
    # Enough issues that rendering them takes seconds, so Ctrl-C lands while it runs
    # however fast or busy the machine (24 were done within the 0.3 s on a quiet one).
    root = make_archive(tmp_path / "archive", issues=80, items=5)
    assert bulletin(root, "build").returncode == 0
    before = tree(root / "site")
    shutil.rmtree(root / ".bulletin-cache")  # the next build makes every page again
    # As a terminal does: SIGINT to the whole process group, the workers included.
    process = subprocess.Popen([sys.executable, "-m", "bulletin_gen", "-C", str(root), "build",
                                "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not any(root.glob("site.tmp-*")):
        assert process.poll() is None and time.monotonic() < deadline, "no staging folder"
        time.sleep(0.01)
    time.sleep(0.3)  # the workers are rendering
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err == "Interrupted: site/ is unchanged\n"
    assert tree(root / "site") == before
    assert not any(root.glob("site.tmp-*")), "a staging folder was left behind"

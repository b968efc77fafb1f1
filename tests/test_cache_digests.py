"""Hashes of the sources kept between `bulletin build`s (digests.py): an edit is always
seen, even one that keeps the file's size, and a damaged store only costs time."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.issues_helper import fresh_tree, publication, tree

SLUGS = ("2022-05", "2022-06")
STORE = ".bulletin-cache/digests.pickle"
ITEM = "bulletins/2022-06/30-air-quality-webinar.md"


def test_an_edit_of_the_same_size_is_seen_through_kept_hashes(tmp_path: Path, invoke) -> None:
    root = publication(tmp_path, SLUGS)
    time.sleep(2.2)  # older than digests.RACY_NS: their hashes are kept
    assert invoke(root, "build").exit_code == 0
    kept = pickle.loads((root / STORE).read_bytes())
    assert str(root / ITEM) in kept
    item = root / ITEM
    text = item.read_text(encoding="utf-8")
    assert "Webinar" in text
    item.write_text(text.replace("Webinar", "Seminar", 1), encoding="utf-8")  # same size
    # A new process: it knows the hashes only from the store.
    subprocess.run([sys.executable, "-m", "bulletin_gen", "-C", str(root), "build"], check=True,
                   capture_output=True)
    assert "Seminar" in (root / "site/2022-06/index.html").read_text(encoding="utf-8")
    assert tree(root / "site") == fresh_tree(root, tmp_path, invoke)


def test_a_damaged_store_of_hashes_is_ignored(tmp_path: Path, invoke) -> None:
    root = publication(tmp_path, SLUGS)
    assert invoke(root, "build").exit_code == 0
    (root / STORE).parent.mkdir(exist_ok=True)
    (root / STORE).write_bytes(b"not a pickle")
    item = root / ITEM
    item.write_text(item.read_text(encoding="utf-8") + "\nA zanzibarite line.\n",
                    encoding="utf-8")
    assert invoke(root, "build").exit_code == 0
    assert "zanzibarite" in (root / "site/2022-06/index.html").read_text(encoding="utf-8")
    assert tree(root / "site") == fresh_tree(root, tmp_path, invoke)


def test_what_is_kept_by_folder_is_asked_again_when_a_package_is_installed(
        tmp_path: Path, monkeypatch) -> None:
    """The libraries' versions (part of every cache key) are asked only when a folder on
    the import path changed, as installing or upgrading a package changes it."""
    from bulletin_gen.incremental import digests

    monkeypatch.setattr(digests, "RACY_NS", 0)  # no waiting for the clock to pass
    packages = tmp_path / "site-packages"
    (packages / "Markdown-3.7.dist-info").mkdir(parents=True)
    asked: list[str] = []

    def ask() -> bytes:
        versions = ",".join(sorted(p.name for p in packages.iterdir()))
        asked.append(versions)
        return versions.encode()

    hashes = digests.FileHashes()
    first = hashes.kept("libraries", [str(packages)], ask)
    assert hashes.kept("libraries", [str(packages)], ask) == first == b"Markdown-3.7.dist-info"
    assert len(asked) == 1
    hashes.save(tmp_path / "store.pickle")
    later = digests.FileHashes()  # the next build, in a new process
    later.load(tmp_path / "store.pickle")
    assert later.kept("libraries", [str(packages)], ask) == first
    assert len(asked) == 1

    (packages / "Markdown-3.7.dist-info").rename(packages / "Markdown-3.8.dist-info")  # pip
    assert later.kept("libraries", [str(packages)], ask) == b"Markdown-3.8.dist-info"
    assert len(asked) == 2


def test_a_watched_folder_is_hashed_again_only_when_the_watcher_says_it_changed(
        tmp_path: Path) -> None:
    """`serve` tells its session every change its watcher sees: the hashes of the issue
    folders are kept between rebuilds without a stat of each file, and only those."""
    from bulletin_gen.incremental.digests import FileHashes

    bulletins = tmp_path / "bulletins"
    issue, other = bulletins / "2022-06", bulletins / "2022-05"
    for folder in (issue, other):
        folder.mkdir(parents=True)
        (folder / "bulletin.md").write_text("---\ntitle: An issue\n---\n")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "logo.png").write_bytes(b"a picture")
    (other / "logo.png").symlink_to(outside / "logo.png")
    hashes = FileHashes()
    hashes.watched([bulletins])
    before = {folder: hashes.tree(folder) for folder in (issue, other, outside)}

    (issue / "10-news.md").write_text("---\ntitle: News\n---\nSaid unseen.\n")
    assert hashes.tree(issue) == before[issue]  # kept: the watcher has not said so yet
    hashes.changed([str(issue / "10-news.md")])
    assert hashes.tree(issue) != before[issue]

    (outside / "logo.png").write_bytes(b"another picture, as long")
    assert hashes.tree(other) != before[other]  # holds a link: never kept
    (outside / "new.txt").write_text("x")
    assert hashes.tree(outside) != before[outside]  # not watched: never kept

    after = hashes.tree(issue)
    shutil.rmtree(bulletins)  # the watcher names the folder it saw go
    hashes.changed([str(bulletins)])
    assert hashes.tree(issue) != after

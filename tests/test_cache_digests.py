"""Hashes of the sources kept between `bulletin build`s (digests.py): an edit is always
seen, even one that keeps the file's size, and a damaged store only costs time."""

from __future__ import annotations

import pickle
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

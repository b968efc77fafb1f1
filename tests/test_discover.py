"""Discovering issue folders and their items."""

from pathlib import Path

import pytest

from bulletin_gen.config.settings import load_config
from bulletin_gen.errors import ContentErrors
from bulletin_gen.sources.discover import discover
from tests.conftest import write


def test_items_in_file_name_order_and_private_files_skipped(example: Path) -> None:
    write(example / "bulletins/2022-06/_notes.md", "not an item")
    write(example / "bulletins/_drafts/bulletin.md", "not an issue")
    [source] = discover(load_config(example))
    names = [path.name for path in source.items]
    assert names == sorted(names) and "_notes.md" not in names and "bulletin.md" not in names
    assert len(names) == 16


def test_folder_without_bulletin_md_and_bad_slug_are_named(example: Path) -> None:
    (example / "bulletins/2022-07").mkdir()
    write(example / "bulletins/July 2022/bulletin.md", "---\n---\n")
    with pytest.raises(ContentErrors) as caught:
        discover(load_config(example))
    assert [e.location_message() for e in caught.value.errors] == [
        "bulletins/2022-07:1: no bulletin.md: every issue folder needs one",
        "bulletins/July 2022:1: folder name must be a slug of lower-case letters, digits and "
        "hyphens, like 2022-06",
    ]


def test_a_kept_listing_is_used_until_its_folder_changes(example: Path) -> None:
    """`serve` keeps the listings: an issue folder is listed again only when something
    was added, removed or renamed in it (its modification time says so)."""
    import os
    import time

    config = load_config(example)
    folder = example / "bulletins/2022-06"
    past = time.time_ns() - 10 * 10**9
    os.utime(folder, ns=(past, past))  # changed long enough ago to be trusted
    listings: dict = {}
    [first] = discover(config, (), listings)
    assert str(folder) in listings
    write(folder / "99-late-news.md", "---\nkind: news\ntitle: Late\n---\nNews.\n")
    [second] = discover(config, (), listings)
    assert second.items == (*first.items, folder / "99-late-news.md")  # the folder changed
    assert discover(config, (), listings) == discover(config)
    os.utime(folder, ns=(past, past))
    listings.clear()
    discover(config, (), listings)
    (folder / "99-late-news.md").unlink()
    os.utime(folder, ns=(past, past))  # what no editor does: the listing is stat-keyed
    [kept] = discover(config, (), listings)
    assert folder / "99-late-news.md" in kept.items
    folder.rename(folder.with_name("2022-07"))  # what was kept of the old name goes
    [renamed] = discover(config, (), listings)
    assert list(listings) == [str(renamed.folder)] and renamed.slug == "2022-07"

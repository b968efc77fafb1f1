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

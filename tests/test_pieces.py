"""The pieces of the pages about every issue (feed and search entries), made beside each
issue in the build's workers: the same pages as made one by one, drafts left out."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import copy_publication, write
from tests.issues_helper import publication, tree

SLUGS = ("2022-03", "2022-04", "2022-05", "2022-06")


def test_pieces_made_across_processes_equal_a_serial_build(tmp_path: Path, invoke) -> None:
    root = publication(tmp_path, SLUGS)
    write(root / "bulletins/2022-05/95-secret.md",
          "---\nkind: news\ntitle: Secret zanzibarite item\ndraft: true\n---\nNot yet.\n")
    serial = copy_publication(root, tmp_path / "serial")
    for folder, jobs in ((root, "2"), (serial, "1")):
        result = invoke(folder, "build", "--drafts", "-j", jobs)
        assert result.exit_code == 0, result.output
    built = tree(root / "site")
    assert built == tree(serial / "site")
    assert b"zanzibarite" in built["2022-05/index.html"]  # built, as a draft, with --drafts
    for name in ("feed.xml", "search-index.js", "index.html", "sitemap.xml"):
        assert b"zanzibarite" not in built[name], name
    assert built["feed.xml"].count(b"<entry>") == len(SLUGS)

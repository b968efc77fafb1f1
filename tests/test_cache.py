"""The build cache makes again exactly what changed, and never serves a stale page."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.issues_helper import changed, fresh_tree, inodes, publication, tree

SLUGS = ("2022-04", "2022-05", "2022-06")
ISSUE_FILES = ("index.html", "email.html", "email.txt", "email.eml")


def built(tmp_path: Path, invoke) -> Path:
    root = publication(tmp_path, SLUGS)
    result = invoke(root, "build")
    assert result.exit_code == 0, result.output
    return root


def rebuild(root: Path, invoke, *args: str) -> tuple[dict[str, bytes], dict[str, bytes]]:
    before = tree(root / "site")
    result = invoke(root, "build", *args)
    assert result.exit_code == 0, result.output
    return before, tree(root / "site")


def untouched(root: Path, invoke, *args: str) -> set[str]:
    """Rebuild; return the files that are the very same files as before (not made again)."""
    before = inodes(root / "site")
    result = invoke(root, "build", *args)
    assert result.exit_code == 0, result.output
    after = inodes(root / "site")
    return {path for path, inode in after.items() if before.get(path) == inode}


def test_a_rebuild_with_nothing_changed_makes_nothing_again(tmp_path: Path, invoke) -> None:
    root = built(tmp_path, invoke)
    before = tree(root / "site")
    assert untouched(root, invoke) == set(before)
    assert tree(root / "site") == before
    assert (root / ".bulletin-cache").is_dir() and not (root / "site" / ".bulletin-cache").exists()


def test_editing_an_item_changes_its_issue_and_the_archive_pages_only(tmp_path: Path,
                                                                     invoke) -> None:
    root = built(tmp_path, invoke)
    item = root / "bulletins/2022-05/30-commonwealth-games-2022.md"
    item.write_text(item.read_text().replace("Commonwealth Games 2022", "The Games, 2022"))
    inodes_before = inodes(root / "site")
    before, after = rebuild(root, invoke)
    differing = changed(before, after)
    assert {f"2022-05/{name}" for name in ISSUE_FILES} <= differing
    assert {"feed.xml", "search-index.js"} <= differing
    assert not any(path.startswith(("2022-04/", "2022-06/")) for path in differing)
    # The other issues were not even rendered again: their files are the same files.
    now = inodes(root / "site")
    assert all(now[path] == inodes_before[path] for path in now if path.startswith("2022-04/"))
    assert "The Games, 2022" in after["2022-05/email.html"].decode()
    assert after == fresh_tree(root, tmp_path, invoke)


def test_retitling_an_issue_changes_its_neighbours_pager(tmp_path: Path, invoke) -> None:
    root = built(tmp_path, invoke)
    index = root / "bulletins/2022-05/bulletin.md"
    index.write_text(index.read_text().replace("May 2022", "late spring 2022"))
    before, after = rebuild(root, invoke)
    for neighbour in ("2022-04", "2022-06"):
        assert "late spring 2022" in after[f"{neighbour}/index.html"].decode()
    assert after == fresh_tree(root, tmp_path, invoke)


def test_a_template_change_remakes_every_page_that_uses_it(tmp_path: Path, invoke) -> None:
    root = built(tmp_path, invoke)
    template = root / "templates/issue.html"
    template.write_text(template.read_text().replace("</article>", "<p>template v2</p></article>"))
    before, after = rebuild(root, invoke)
    assert changed(before, after) >= {f"{slug}/index.html" for slug in SLUGS}
    assert all("template v2" in after[f"{slug}/index.html"].decode() for slug in SLUGS)
    assert after == fresh_tree(root, tmp_path, invoke)


def test_a_new_template_file_counts_too(tmp_path: Path, invoke) -> None:
    root = built(tmp_path, invoke)
    partial = (root / "templates/_item.html").read_text()
    (root / "templates/_news.html").write_text(partial.replace("<h3", "<h3 data-v2"))
    before, after = rebuild(root, invoke)
    assert all("data-v2" in after[f"{slug}/index.html"].decode() for slug in SLUGS)
    assert after == fresh_tree(root, tmp_path, invoke)


def test_a_site_yaml_change_remakes_everything_it_touches(tmp_path: Path, invoke) -> None:
    root = built(tmp_path, invoke)
    settings = root / "site.yaml"
    settings.write_text(settings.read_text().replace("title: WMHTC e-bulletin",
                                                     "title: Cluster news"))
    before, after = rebuild(root, invoke)
    assert all("Cluster news" in after[f"{slug}/index.html"].decode() for slug in SLUGS)
    assert "Cluster news" in after["feed.xml"].decode()
    assert after == fresh_tree(root, tmp_path, invoke)


def test_an_asset_change_is_published(tmp_path: Path, invoke) -> None:
    root = built(tmp_path, invoke)
    css = root / "assets/css/bulletin.css"
    css.write_text(css.read_text() + "\n.v2 { color: red; }\n")
    before, after = rebuild(root, invoke)
    assert b".v2 { color: red; }" in after["assets/css/bulletin.css"]
    assert after == fresh_tree(root, tmp_path, invoke)


def test_a_picture_change_is_published(tmp_path: Path, invoke) -> None:
    root = built(tmp_path, invoke)
    banner = root / "bulletins/2022-04/images/banner.png"
    shutil.copyfile(root / "bulletins/2022-04/images/june-topical-tuesday.png", banner)
    before, after = rebuild(root, invoke)
    assert after["2022-04/images/banner.png"] == banner.read_bytes()
    assert after == fresh_tree(root, tmp_path, invoke)


def test_deleting_an_issue_removes_its_pages_and_its_entries(tmp_path: Path, invoke) -> None:
    root = built(tmp_path, invoke)
    shutil.rmtree(root / "bulletins/2022-05")
    before, after = rebuild(root, invoke)
    assert not any(path.startswith("2022-05/") for path in after)
    for page in ("index.html", "feed.xml", "sitemap.xml", "search-index.js", "2022-06/index.html",
                 "2022-04/index.html"):
        assert "2022-05/" not in after[page].decode(), page
    assert after == fresh_tree(root, tmp_path, invoke)


def test_a_lost_or_edited_output_file_is_made_again(tmp_path: Path, invoke) -> None:
    root = built(tmp_path, invoke)
    good = tree(root / "site")
    (root / "site/2022-05/email.html").unlink()
    (root / "site/feed.xml").write_text("spoiled")
    (root / "site/stray.html").write_text("not ours")
    assert invoke(root, "build").exit_code == 0
    assert tree(root / "site") == good


def test_a_failed_build_keeps_the_site_and_the_next_one_is_right(tmp_path: Path, invoke) -> None:
    root = built(tmp_path, invoke)
    good = tree(root / "site")
    item = root / "bulletins/2022-06/30-air-quality-webinar.md"
    text = item.read_text()
    item.write_text(text.replace("kind: event", "kind: gala"))
    result = invoke(root, "build")
    assert result.exit_code == 1 and "30-air-quality-webinar.md:2:" in result.output
    assert tree(root / "site") == good
    item.write_text(text.replace("Our next webinar", "Our very next webinar"))
    assert invoke(root, "build").exit_code == 0
    assert tree(root / "site") == fresh_tree(root, tmp_path, invoke)


def test_building_named_issues_keeps_the_others_as_they_were(tmp_path: Path, invoke) -> None:
    root = built(tmp_path, invoke)
    for slug in ("2022-04", "2022-06"):
        item = root / f"bulletins/{slug}/40-deloitte-masterclasses.md"
        item.write_text(item.read_text() + f"\nEdited for {slug}.\n")
    before, after = rebuild(root, invoke, "2022-06")
    assert "Edited for 2022-06" in after["2022-06/index.html"].decode()
    assert after["2022-04/index.html"] == before["2022-04/index.html"]
    index = after["index.html"].decode()
    assert all(f"{slug}/" in index for slug in SLUGS)
    assert all(f"{slug}/" in after["feed.xml"].decode() for slug in SLUGS)
    # A full build then brings the rest up to date.
    invoke(root, "build")
    assert "Edited for 2022-04" in tree(root / "site")["2022-04/index.html"].decode()

"""Kept pieces never go stale: feed entries and search entries per issue, and a process
that builds again and again (`serve`) with its issues, templates and file hashes in memory."""

from __future__ import annotations

from pathlib import Path

from bulletin_gen.build import build
from bulletin_gen.config.settings import load_config
from bulletin_gen.incremental.session import BuildSession
from tests.issues_helper import changed, fresh_tree, publication, tree

SLUGS = ("2022-04", "2022-05", "2022-06")


def test_a_feed_template_change_remakes_every_entry(tmp_path: Path, invoke) -> None:
    root = publication(tmp_path, SLUGS)
    assert invoke(root, "build").exit_code == 0
    template = root / "templates/feed.xml"
    template.write_text(template.read_text().replace("<published>", "<!-- v2 --><published>"))
    assert invoke(root, "build").exit_code == 0
    feed = (root / "site/feed.xml").read_text()
    assert feed.count("<!-- v2 -->") == len(SLUGS)
    assert tree(root / "site") == fresh_tree(root, tmp_path, invoke)


def test_an_edit_changes_that_issues_feed_and_search_entries_only(tmp_path: Path,
                                                                   invoke) -> None:
    root = publication(tmp_path, SLUGS)
    assert invoke(root, "build").exit_code == 0
    before = tree(root / "site")
    item = root / "bulletins/2022-05/40-deloitte-masterclasses.md"
    item.write_text(item.read_text() + "\nA zanzibarite sentence.\n")
    assert invoke(root, "build").exit_code == 0
    after = tree(root / "site")
    assert after["feed.xml"].count(b"zanzibarite") == 1
    assert b"zanzibarite" in after["search-index.js"]
    assert {"feed.xml", "search-index.js"} <= changed(before, after)
    assert after == fresh_tree(root, tmp_path, invoke)


def test_a_lost_cache_of_pieces_is_made_again(tmp_path: Path, invoke) -> None:
    root = publication(tmp_path, SLUGS)
    assert invoke(root, "build").exit_code == 0
    for stored in (root / ".bulletin-cache/fragments").glob("*.pickle"):
        stored.write_bytes(b"not a pickle")
    (root / "site/feed.xml").unlink()
    assert invoke(root, "build").exit_code == 0
    assert tree(root / "site") == fresh_tree(root, tmp_path, invoke)


def test_a_warm_process_sees_every_edit_at_once(tmp_path: Path, invoke) -> None:
    """As `serve` builds: warm between builds, edits straight after a build (same clock
    tick), an item, a template and an asset; each build equals a first build."""
    root = publication(tmp_path, SLUGS)
    config = load_config(root)
    session = BuildSession(config)  # as `serve` keeps one
    build(config, session=session)
    session.warm_up()
    edits = [("bulletins/2022-06/30-air-quality-webinar.md", "Webinar", "Web seminar"),
             ("templates/issue.html", "</article>", "<p>template v2</p></article>"),
             ("assets/css/bulletin.css", "body", "html body"),
             ("bulletins/2022-06/30-air-quality-webinar.md", "Web seminar", "Online talk")]
    for path, old, new in edits:
        file = root / path
        assert old in file.read_text()
        file.write_text(file.read_text().replace(old, new, 1))
        build(config, session=session)
        assert tree(root / "site") == fresh_tree(root, tmp_path, invoke), path
    page = (root / "site/2022-06/index.html").read_text()
    assert "Online talk" in page and "template v2" in page


def test_a_warm_process_measures_a_replaced_logo_again(tmp_path: Path, invoke) -> None:
    """The logo is measured once per template environment, which a session makes again when
    the assets change (sources/images.brand_logo, render/templates.make_environment)."""
    from PIL import Image

    root = publication(tmp_path, SLUGS)
    config = load_config(root)
    session = BuildSession(config)  # as `serve` keeps one
    build(config, session=session)
    session.warm_up()
    logo = root / "assets/images/logo.png"
    logo.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (120, 30), "white").save(logo)
    build(config, session=session)
    email = (root / "site/2022-06/email.html").read_text()
    assert 'width="120" height="30"' in email
    assert tree(root / "site") == fresh_tree(root, tmp_path, invoke)

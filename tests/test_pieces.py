"""The pieces of the pages about every issue (feed and search entries), made beside each
issue in the build's workers: the same pages as made one by one, drafts left out."""

from __future__ import annotations

import shutil
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


def _index_with_intros(root: Path) -> None:
    """A theme's archive index that shows each issue's intro: a body, which the pages
    about every issue may read inside a `{% cache %}` block only (their issues are
    outlines, without bodies, unless a piece is missing)."""
    template = root / "templates/index.html"
    template.write_text(template.read_text().replace(
        '<li class="issue-card">',
        '<li class="issue-card">{% cache "index.html intro", bulletin %}'
        '<div class="intro">{{ body(bulletin.intro_html) }}</div>{% endcache %}'))


def _in_memory(root: Path, path: str) -> bytes:
    """The file as made with every issue in full, in one process (what `send` shows)."""
    from bulletin_gen.config.settings import load_config
    from bulletin_gen.render.site import render_in_memory

    _, files = render_in_memory(load_config(root))
    return next(file.content for file in files if file.path == path) or b""


def test_a_theme_block_reading_bodies_gets_the_issues_in_full(tmp_path: Path,
                                                               invoke) -> None:
    root = publication(tmp_path, SLUGS)
    _index_with_intros(root)
    result = invoke(root, "build", "-j", "2")
    assert result.exit_code == 0, result.output
    index = (root / "site/index.html").read_bytes()
    assert index.count(b"we want more members") == len(SLUGS)  # every issue's intro
    assert index == _in_memory(root, "index.html")

    # One issue edited: its piece is made again, the others' are kept, none is empty.
    intro = root / "bulletins/2022-04/bulletin.md"
    intro.write_text(intro.read_text().replace("we want more members",
                                               "we want zanzibarite members"))
    assert invoke(root, "build", "-j", "2").exit_code == 0
    index = (root / "site/index.html").read_bytes()
    assert index.count(b"we want more members") == len(SLUGS) - 1
    assert index.count(b"zanzibarite") == 1
    assert index == _in_memory(root, "index.html")
    assert tree(root / "site") == tree(_rebuilt(root, tmp_path, invoke))


def test_issues_lost_from_the_cache_are_loaded_again_to_render(tmp_path: Path,
                                                                invoke) -> None:
    """A build holds outlines; each issue it renders is read in full from the cache, or
    loaded again from its folder when the cache lost it."""
    root = publication(tmp_path, SLUGS)
    assert invoke(root, "build", "-j", "2").exit_code == 0
    stored = root / ".bulletin-cache/issues"
    full = [path for path in stored.glob("*.pickle") if ".outline." not in path.name]
    assert len(full) == len(SLUGS) and len(list(stored.glob("*.outline.pickle"))) == len(SLUGS)
    for path in full:
        path.unlink()
    template = root / "templates/issue.html"  # changed: every issue is made again
    template.write_text(template.read_text().replace('class="pager-older"',
                                                     'class="pager-older v2"'))
    assert invoke(root, "build", "-j", "2").exit_code == 0
    built = tree(root / "site")
    assert all(b"pager-older v2" in built[f"{slug}/index.html"] for slug in SLUGS)
    assert built == tree(_rebuilt(root, tmp_path, invoke))


def _rebuilt(root: Path, tmp_path: Path, invoke) -> Path:
    copy = copy_publication(root, tmp_path / f"cold-{len(list(tmp_path.iterdir()))}")
    for cache in copy.glob(".bulletin-cache"):
        shutil.rmtree(cache)
    result = invoke(copy, "build", "-j", "1")
    assert result.exit_code == 0, result.output
    return copy / "site"


def test_an_edit_whose_pages_are_made_beside_the_shared_ones_equals_a_serial_build(
        tmp_path: Path, invoke) -> None:
    """After one edit, with two processes, the edited issue's pieces are made first and
    its pages in another process while this one makes the pages about every issue."""
    root = publication(tmp_path, SLUGS)
    _index_with_intros(root)  # a theme's block that reads the edited issue's intro
    assert invoke(root, "build", "-j", "2").exit_code == 0
    item = root / "bulletins/2022-05/30-air-quality-webinar.md"
    item.write_text(item.read_text() + "\nA zanzibarite word to search for.\n")
    result = invoke(root, "build", "-j", "2", "-v")
    assert result.exit_code == 0, result.output
    assert "2022-05" in result.output and "2022-04" not in result.output  # one issue remade
    serial = copy_publication(root, tmp_path / "serial")
    shutil.rmtree(serial / "site", ignore_errors=True)
    assert invoke(serial, "build", "-j", "1").exit_code == 0
    built = tree(root / "site")
    assert built == tree(serial / "site")
    for name in ("search-index.js", "feed.xml", "2022-05/email.html", "2022-05/index.html"):
        assert b"zanzibarite" in built[name], name

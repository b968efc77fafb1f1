"""The spare (spare.py): the previous site every build keeps beside site/ and writes the
next one into. The site swapped in equals a first build, whatever changed and whatever the
spare held; the spare never shows through site/; there is one at most."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bulletin_gen.build import build
from bulletin_gen.config.settings import load_config
from bulletin_gen.incremental.session import BuildSession
from tests.conftest import copy_publication, tidied
from tests.issues_helper import publication, tree

SLUGS = ("2022-04", "2022-05", "2022-06")


def folders(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_dir()}


def first_build(root: Path, copy: Path, invoke) -> Path:
    """What a first build of the same sources, with no cache, writes: its site/."""
    copy = copy_publication(root, copy)
    assert invoke(copy, "build").exit_code == 0
    return copy / "site"


def siblings(root: Path) -> list[str]:
    return tidied(root)


def test_a_warm_process_reuses_its_previous_site_and_stays_exact(tmp_path: Path,
                                                                  invoke) -> None:
    root = publication(tmp_path, SLUGS)
    config = load_config(root)
    session = BuildSession(config)  # as `serve` keeps one
    build(config, session=session)
    session.warm_up()
    assert any(name.startswith("site.spare-") for name in siblings(root))
    site = root / "site"
    steps = [
        lambda: (root / "bulletins/2022-06/30-air-quality-webinar.md").write_text(
            (root / "bulletins/2022-06/30-air-quality-webinar.md").read_text()
            .replace("Webinar", "Web seminar", 1)),
        lambda: shutil.rmtree(root / "bulletins/2022-05"),  # its folders go too
        lambda: (site / "2022-04/index.html").write_text("edited by hand"),  # made again
        lambda: (site / "stray.txt").write_text("not ours"),  # gone after the build
        lambda: (root / "templates/issue.html").write_text(
            (root / "templates/issue.html").read_text().replace("</article>",
                                                                "<p>v2</p></article>", 1)),
    ]
    for number, step in enumerate(steps):
        step()
        build(config, session=session)
        fresh = first_build(root, tmp_path / f"fresh-{number}", invoke)
        assert tree(site) == tree(fresh), number
        assert folders(site) == folders(fresh), number  # no empty folder left over
    assert not (site / "2022-05").exists()
    names = siblings(root)
    assert [name for name in names if not name.startswith("site.spare-")] == ["site",
                                                                              "site.yaml"]


def test_writing_a_page_never_changes_the_spare_or_the_site_it_shares_files_with(
        tmp_path: Path) -> None:
    root = publication(tmp_path, SLUGS)
    config = load_config(root)
    session = BuildSession(config)  # as `serve` keeps one
    build(config, session=session)
    session.warm_up()
    page = root / "site/2022-06/index.html"
    before = page.read_bytes()
    item = root / "bulletins/2022-06/30-air-quality-webinar.md"
    item.write_text(item.read_text().replace("Webinar", "Online talk", 1))
    spare = next(path for path in root.iterdir() if path.name.startswith("site.spare-"))
    kept = spare / "2022-04/index.html"
    kept_bytes = kept.read_bytes()
    build(config, session=session)
    # The old site is now the spare: the edited page there is the old page, unchanged.
    spare = next(path for path in root.iterdir() if path.name.startswith("site.spare-"))
    assert (spare / "2022-06/index.html").read_bytes() == before
    assert b"Online talk" in page.read_bytes()
    assert (root / "site/2022-04/index.html").read_bytes() == kept_bytes
    assert os.stat(root / "site/2022-04/index.html").st_ino == os.stat(
        spare / "2022-04/index.html").st_ino  # unchanged pages are shared, not copied


def spares(root: Path) -> list[str]:
    return [name for name in siblings(root) if name.startswith("site.spare-")]


def command_build(root: Path) -> None:
    """`bulletin build` as users run it: a command of its own, which ends."""
    result = subprocess.run([sys.executable, "-m", "bulletin_gen", "-C", str(root), "build"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_next_build_writes_into_the_spare_the_last_one_left(tmp_path: Path,
                                                                 invoke) -> None:
    root = publication(tmp_path, SLUGS)
    command_build(root)
    item = root / "bulletins/2022-06/30-air-quality-webinar.md"
    item.write_text(item.read_text() + "\nOne more line.\n")
    command_build(root)
    [spare] = spares(root)  # the first build's site, kept
    assert "One more line." not in (root / spare / "2022-06/index.html").read_text()
    kept_folder = os.stat(root / spare / "2022-04").st_ino
    item.write_text(item.read_text() + "\nAnd another.\n")
    command_build(root)
    assert "And another." in (root / "site/2022-06/index.html").read_text()
    assert os.stat(root / "site/2022-04").st_ino == kept_folder  # updated, not made anew
    assert len(spares(root)) == 1
    fresh = first_build(root, tmp_path / "fresh", invoke)
    assert tree(root / "site") == tree(fresh)
    assert folders(root / "site") == folders(fresh)


def test_whatever_a_spare_left_behind_holds_the_next_site_is_exact(example: Path,
                                                                   invoke) -> None:
    """A spare of an ended process (a killed `serve`, a stopped one, or a folder someone
    changed by hand): its stray, edited and missing files make no difference."""
    assert invoke(example, "build").exit_code == 0
    spare = example / "site.spare-999999"
    shutil.copytree(example / "site", spare, copy_function=os.link)  # shares the files
    (spare / "assets/stray.html").write_text("not ours")
    (spare / "stray/deep").mkdir(parents=True)
    (spare / "stray/deep/x.html").write_text("not ours either")
    os.unlink(spare / "2022-06/index.html")
    (spare / "2022-06/index.html").write_text("an old page")
    (spare / "assets/css/bulletin.css").unlink()
    os.unlink(spare / "index.html")
    (spare / "index.html").write_text("an old index")
    item = next((example / "bulletins/2022-06").glob("[0-9]*.md"))
    item.write_text(item.read_text() + "\nOne more line.\n")
    assert invoke(example, "build").exit_code == 0
    fresh = first_build(example, example.parent / "fresh", invoke)
    assert tree(example / "site") == tree(fresh)
    assert folders(example / "site") == folders(fresh)
    assert "site.spare-999999" not in siblings(example)
    assert len(spares(example)) == 1


def test_a_spare_is_no_trouble_when_site_is_deleted_by_hand(tmp_path: Path, invoke) -> None:
    root = publication(tmp_path, SLUGS)
    command_build(root)
    item = root / "bulletins/2022-06/30-air-quality-webinar.md"
    item.write_text(item.read_text() + "\nOne more line.\n")
    command_build(root)
    assert len(spares(root)) == 1
    shutil.rmtree(root / "site")
    command_build(root)
    fresh = first_build(root, tmp_path / "fresh", invoke)
    assert tree(root / "site") == tree(fresh)
    assert folders(root / "site") == folders(fresh)

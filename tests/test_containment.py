"""Containment: paths stay inside the repository; output goes only where it may."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bulletin_gen.config.settings import load_config
from bulletin_gen.output.outdir import OutDirProblem, check_out_dir
from bulletin_gen.sources.paths import PathProblem, resolve_source
from tests.conftest import write
from tests.test_bad_input import snapshot, sources

ISSUE = "bulletins/2022-06"


@pytest.mark.parametrize(("raw", "message"), [
    ("../../site.yaml", "path '../../site.yaml' leads out of its folder ('..' is not allowed)"),
    ("images/../../2022-05/x.png",
     "path 'images/../../2022-05/x.png' leads out of its folder ('..' is not allowed)"),
    ("/etc/passwd", "expected a path relative to the issue folder, like images/picture.png, "
                    "got '/etc/passwd'"),
    ("file:///etc/passwd", "expected a path relative to the issue folder, like "
                           "images/picture.png, got 'file:///etc/passwd'"),
    ("C:/Windows/win.ini", "expected a path relative to the issue folder, like "
                           "images/picture.png, got 'C:/Windows/win.ini'"),
    ("images\\banner.png", "write paths with forward slashes, relative to the issue folder "
                           "(like images/picture.png), got 'images\\banner.png'"),
    ("images/banner.png\x00.txt", "expected a path like images/picture.png, got "
                                  "'images/banner.png\\0.txt'"),
    ("a" * 5000, "expected a path like images/picture.png, got '" + "a" * 57 + "...'"),
    ("images/" + "b" * 300 + ".png", f"no file 'images/{'b' * 300}.png' in {ISSUE}/"),
    ("assets/../site.yaml", "path 'assets/../site.yaml' leads out of its folder "
                            "('..' is not allowed)"),
])
def test_paths_that_lead_out_are_refused(example: Path, raw: str, message: str) -> None:
    config = load_config(example)
    with pytest.raises(PathProblem) as caught:
        resolve_source(raw, example / ISSUE, config)
    assert str(caught.value) == message


def test_a_symlink_inside_the_repository_is_followed(example: Path) -> None:
    (example / ISSUE / "images/logo.png").symlink_to(example / "assets/images/logo.png")
    file, url = resolve_source("images/logo.png", example / ISSUE, load_config(example))
    assert file == (example / "assets/images/logo.png").resolve()
    assert url == "2022-06/images/logo.png"


@pytest.mark.parametrize("link", ["images/out.png", "assets/images/out.png"])
def test_a_symlink_leading_out_is_refused(example: Path, tmp_path: Path, link: str) -> None:
    outside = tmp_path / "outside.png"
    shutil.copyfile(example / ISSUE / "images/banner.png", outside)
    where = example / (ISSUE if not link.startswith("assets/") else "") / link
    where.symlink_to(outside)
    with pytest.raises(PathProblem) as caught:
        resolve_source(link, example / ISSUE, load_config(example))
    assert str(caught.value) == f"path '{link}' leads out of the repository (through a symlink)"


def test_a_symlinked_template_leading_out_is_refused(example: Path, tmp_path: Path,
                                                     invoke) -> None:
    secret = write(tmp_path / "secret.html", "{{ config.smtp }}")
    (example / "templates/_news.html").unlink()
    (example / "templates/_news.html").symlink_to(secret)
    result = invoke(example, "build")
    assert (result.exit_code, result.output) == (
        1, "templates/_news.html:1: a symlink leading out of the repository; copy the file in "
           "instead\n1 error: nothing was written.\n")
    assert not (example / "site").exists()


@pytest.mark.parametrize(("out", "shown"), [
    (".", "the repository root"),
    ("bulletins", "bulletins/"),
    ("templates", "templates/"),
    ("assets", "assets/"),
])
def test_out_may_not_be_the_sources(example: Path, invoke, out: str, shown: str) -> None:
    before = sources(example)
    result = invoke(example, "build", "--out", str(example / out))
    assert result.exit_code == 2
    holds = "the publication itself; choose a folder of its own, such as site/" if out == "." \
        else "the publication's sources; choose a folder of its own, such as site/"
    assert f"Invalid value for '--out': refusing to build into {shown}: it holds {holds}" \
        in " ".join(result.output.split())
    assert sources(example) == before


def test_out_may_not_be_inside_the_sources(example: Path, invoke) -> None:
    result = invoke(example, "build", "--out", str(example / ISSUE / "preview"))
    assert result.exit_code == 2
    assert ("refusing to build into bulletins/2022-06/preview/: it is inside bulletins/, "
            "which holds the publication's sources") in " ".join(result.output.split())
    assert not (example / ISSUE / "preview").exists()


def test_out_through_a_symlink_into_the_sources_is_refused(example: Path, invoke) -> None:
    (example / "shortcut").symlink_to(example / "bulletins", target_is_directory=True)
    result = invoke(example, "build", "--out", str(example / "shortcut"))
    assert result.exit_code == 2
    assert "refusing to build into bulletins/" in " ".join(result.output.split())


def test_out_may_not_hold_the_repository(example: Path) -> None:
    with pytest.raises(OutDirProblem) as caught:
        check_out_dir(example.parent, example)
    assert str(caught.value) == (f"refusing to build into {example.parent}: it holds the "
                                 "publication itself; choose a folder of its own, such as site/")


def test_a_folder_bulletin_gen_did_not_make_is_left_alone(example: Path, invoke,
                                                          tmp_path: Path) -> None:
    mine = tmp_path / "my-documents"
    write(mine / "thesis.txt", "five years of work")
    result = invoke(example, "build", "--out", str(mine))
    assert result.exit_code == 2
    assert ("it is not empty and bulletin-gen did not make it (no .bulletin-gen file in it), "
            "so the build would delete what it holds; empty it, or choose another folder"
            ) in " ".join(result.output.split())
    assert snapshot(mine) == {"thesis.txt": b"five years of work"}


def test_the_default_site_folder_is_left_alone_if_someone_else_made_it(example: Path,
                                                                       invoke) -> None:
    write(example / "site/index.html", "<p>the old hand-made website</p>")
    result = invoke(example, "build")
    assert result.exit_code == 1
    assert result.output.startswith("refusing to build into site/: it is not empty")
    assert snapshot(example / "site") == {"index.html": b"<p>the old hand-made website</p>"}


def test_a_file_is_not_an_output_folder(example: Path) -> None:
    write(example / "notes.txt", "x")
    with pytest.raises(OutDirProblem, match="it is a file, not a folder"):
        check_out_dir(example / "notes.txt", example)


def test_an_empty_folder_or_one_it_made_is_fine(example: Path, invoke, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert invoke(example, "build", "--out", str(empty)).exit_code == 0
    assert (empty / ".bulletin-gen").is_file() and (empty / "2022-06/email.html").is_file()
    write(empty / "stale.html", "from an older build")
    assert invoke(example, "build", "--out", str(empty)).exit_code == 0
    assert not (empty / "stale.html").exists()


def test_check_writes_nothing(example: Path, invoke) -> None:
    before = sorted(path.name for path in example.iterdir())
    sources_before = sources(example)
    invoke(example, "check")
    assert sorted(path.name for path in example.iterdir()) == before
    assert sources(example) == sources_before

"""The bad-input corpus: each case fails with its exact message, exit 1, and loses nothing.

Cases in tests/bad/<name>/ are files laid over a built copy of the example
publication, with the exact output expected in expected.txt. Cases that need
bytes, sizes or symlinks a text file cannot hold are made here, in GENERATED.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import subprocess
import sys
import zlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from bulletin_gen.cli import main
from bulletin_gen.errors import printable
from tests.conftest import REPO, copy_publication, write
from tests.inert import active_parts_of_site, added_active_parts

CORPUS = Path(__file__).parent / "bad"
# A case with expected.txt must be refused with exactly that output; a case with clean.txt
# (hostile content a build must publish harmlessly) must build, each of its lines
# `output-file: text` found in that output, and nothing active or invisible anywhere.
CASES = sorted(path.name for path in CORPUS.iterdir() if (path / "expected.txt").is_file())
CLEAN_CASES = sorted(path.name for path in CORPUS.iterdir() if (path / "clean.txt").is_file())
ISSUE = "bulletins/2022-06"
NEWS = "---\nkind: news\ntitle: Our new lab\n---\n"


@pytest.fixture(scope="module")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example publication, built once: each case starts from a copy of it."""
    root = copy_publication(REPO, tmp_path_factory.mktemp("built") / "example")
    result = CliRunner().invoke(main, ["-C", str(root), "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def publication(built_example: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built_example, tmp_path / "example", symlinks=True))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every entry under folder: a file's bytes, a symlink's target, a folder's name."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            found[key] = path.read_bytes()
        else:
            found[key] = b"<folder>"
    return found


def sources(root: Path) -> dict[str, bytes]:
    return {name: repr(snapshot(root / name)).encode() if (root / name).is_dir()
            else (root / name).read_bytes()
            for name in ("site.yaml", "bulletins", "templates", "assets")}


def assert_refused(root: Path, expected: str) -> None:
    """Build; it must fail with exactly `expected`, leaving site/ and the sources as they were."""
    site_before, sources_before = snapshot(root / "site"), sources(root)
    beside_before = sorted(path.name for path in root.iterdir())
    result = CliRunner().invoke(main, ["-C", str(root), "build"], catch_exceptions=False)
    assert "Traceback" not in result.output
    assert (result.exit_code, result.output) == (1, expected)
    assert snapshot(root / "site") == site_before, "the previous site/ changed"
    assert sources(root) == sources_before, "a source changed"
    assert sorted(path.name for path in root.iterdir()) == beside_before, "leftovers beside site/"


def lay_over(folder: Path, root: Path) -> None:
    for file in sorted(folder.rglob("*")):
        if file.is_file() and file.name not in ("expected.txt", "clean.txt"):
            target = root / file.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)


def lay_case(root: Path, case: str) -> str:
    """Lay a corpus case over the publication; return the build's expected output."""
    if case in GENERATED:
        make, expected = GENERATED[case]
        make(root)
        return expected if expected.startswith("site.yaml") else (
            expected + "1 error: nothing was written.\n")
    folder = CORPUS / case
    lay_over(folder, root)
    return (folder / "expected.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_corpus_case(case: str, publication: Path) -> None:
    assert_refused(publication, lay_case(publication, case))


@pytest.mark.parametrize("case", CLEAN_CASES)
def test_corpus_case_built_clean(case: str, publication: Path) -> None:
    theme = active_parts_of_site(publication / "site")
    folder = CORPUS / case
    lay_over(folder, publication)
    result = CliRunner().invoke(main, ["-C", str(publication), "build"], catch_exceptions=False)
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    site = publication / "site"
    assert_clean_output(site, theme)
    for line in (folder / "clean.txt").read_text(encoding="utf-8").splitlines():
        name, _, wanted = line.partition(": ")
        assert wanted in (site / name).read_text(encoding="utf-8"), line


def assert_clean_output(site: Path, theme: Counter[str]) -> None:
    """No control character in any output, nothing active beyond the theme's, a feed that
    feed readers parse."""
    for file in sorted(site.rglob("*")):
        if file.is_file() and file.suffix in (".html", ".txt", ".xml", ".eml", ".ics", ".js"):
            text = file.read_text(encoding="utf-8")
            controls = {f"U+{ord(c):04X}" for c in text if ord(c) < 32 and c not in "\t\n\r"}
            assert not controls, (file.relative_to(site).as_posix(), sorted(controls))
    assert not added_active_parts(site, theme)
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")


def _not_utf8(root: Path) -> None:
    (root / ISSUE / "95-member-news.md").write_bytes(
        b"---\nkind: news\ntitle: Caf\xe9 opening\n---\nCome to the caf\xe9.\n")


def _png_as_markdown(root: Path) -> None:
    shutil.copyfile(root / ISSUE / "images/banner.png", root / ISSUE / "95-banner.md")


def _five_megabyte_body(root: Path) -> None:
    write(root / ISSUE / "95-member-news.md", NEWS + "All work and no play. " * 240_000)


def _control_character(root: Path) -> None:
    write(root / ISSUE / "95-member-news.md", NEWS + "Pasted from a PDF:\nform\x0cfeed here\n")


def _c1_control_character(root: Path) -> None:
    # A Windows-1252 en dash pasted as U+0096: Gmail may show the email as clipped.
    write(root / ISSUE / "95-member-news.md", NEWS + "Open 9\u009617 on weekdays.\n")


def _site_yaml_not_utf8(root: Path) -> None:
    text = (root / "site.yaml").read_text(encoding="utf-8")
    (root / "site.yaml").write_bytes(text.replace("title: WMHTC e-bulletin",
                                                  "title: WMHTC e-bulletin \u2013 June")
                                     .encode("cp1252"))


def _item_symlink_out(root: Path) -> None:
    outside = write(root.parent / "outside.md", NEWS + "Secret notes.\n")
    (root / ISSUE / "95-notes.md").symlink_to(outside)


def _image_symlink_out(root: Path) -> None:
    outside = root.parent / "private.png"
    shutil.copyfile(root / ISSUE / "images/banner.png", outside)
    (root / ISSUE / "images/lab.png").symlink_to(outside)
    write(root / ISSUE / "95-member-news.md",
          "---\nkind: news\ntitle: Our new lab\nimage: images/lab.png\nimage_alt: The lab\n"
          "---\nWe opened a lab.\n")


def _asset_symlink_out(root: Path) -> None:
    outside = write(root.parent / "id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\n")
    (root / "assets/images/key.txt").symlink_to(outside)


def _issue_folder_symlink_out(root: Path) -> None:
    outside = root.parent / "elsewhere"
    write(outside / "bulletin.md", "---\ntitle: Elsewhere\ndate: 2022-07-31\n---\nHi.\n")
    (root / "bulletins/2022-07").symlink_to(outside, target_is_directory=True)


def _brackets(root: Path) -> None:
    # Python-Markdown's link pattern is quadratic in unclosed brackets: 50,000 took 351 s.
    write(root / ISSUE / "95-member-news.md", NEWS + "Intro.\n\n" + "[" * 5000)


def _nested_markdown_blocks(root: Path) -> None:
    write(root / ISSUE / "95-member-news.md",
          NEWS + '<div markdown="1">\n' * 1000 + "x\n" + "</div>\n" * 1000)


def _deep_html(root: Path) -> None:
    write(root / ISSUE / "95-member-news.md", NEWS + "<blockquote>" * 2000 + "deep")


def _escape_sequence_in_name(root: Path) -> None:
    # Printed raw, this name would clear the terminal of whoever runs the build.
    write(root / ISSUE / "95-\x1b[2J\x1b[H.md", "Free money\n")


def _png_header(width: int, height: int) -> bytes:
    """A tiny PNG file that claims a huge size: what a decompression bomb looks like."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b""))


def _picture_item(root: Path, name: str, data: bytes) -> None:
    (root / ISSUE / "images" / name).write_bytes(data)
    write(root / ISSUE / "95-member-news.md", f"---\nkind: news\ntitle: Our new lab\n"
          f"image: images/{name}\nimage_alt: The new lab\n---\nWe opened a lab.\n")


def _truncated_jpeg() -> bytes:
    from PIL import Image as PILImage

    out = io.BytesIO()
    PILImage.new("RGB", (3000, 2000), "teal").save(out, "JPEG", quality=90)
    return out.getvalue()[:5000]


GENERATED: dict[str, tuple[Callable[[Path], None], str]] = {
    "not-utf8": (_not_utf8, f"{ISSUE}/95-member-news.md:3: not UTF-8 text (byte 0xe9); "
                            "save the file as UTF-8\n"),
    "png-saved-as-md": (_png_as_markdown, f"{ISSUE}/95-banner.md:1: not UTF-8 text "
                                          "(byte 0x89); save the file as UTF-8\n"),
    "five-megabyte-body": (_five_megabyte_body, f"{ISSUE}/95-member-news.md:1: file is 5.0 MB; "
                                                "the limit is 2 MB\n"),
    "control-character": (_control_character, f"{ISSUE}/95-member-news.md:6: invisible control "
                                              "character U+000C in column 5; delete it\n"),
    "c1-control-character": (_c1_control_character, f"{ISSUE}/95-member-news.md:5: invisible "
                                                    "control character U+0096 in column 7; "
                                                    "type that character again\n"),
    "site-yaml-not-utf8": (_site_yaml_not_utf8, "site.yaml:2: not UTF-8 text (byte 0x96); "
                                                "save the file as UTF-8\n"),
    "item-symlink-leads-out": (_item_symlink_out, f"{ISSUE}/95-notes.md:1: a symlink leading out "
                                                  "of the repository; copy the file in instead\n"),
    "image-symlink-leads-out": (_image_symlink_out,
                                f"{ISSUE}/95-member-news.md:4: path 'images/lab.png' leads out "
                                "of the repository (through a symlink)\n"),
    "asset-symlink-leads-out": (_asset_symlink_out, "assets/images/key.txt:1: a symlink leading "
                                                    "out of the repository; copy the file in "
                                                    "instead\n"),
    "quadratic-brackets": (_brackets, f"{ISSUE}/95-member-news.md:7: more than 1,000 '[' "
                                      "characters in one body: Markdown would take minutes "
                                      "over it; split the item or write it plainly\n"),
    "markdown-recursion": (_nested_markdown_blocks,
                           f"{ISSUE}/95-member-news.md:5: too deeply nested for the Markdown "
                           "parser (lists, quotes, definition lists or markdown=\"1\" blocks)\n"),
    "html-nested-past-lxml": (_deep_html, f"{ISSUE}/95-member-news.md:5: nested more than 100 "
                                          "levels deep (quotes, lists or HTML): the email would "
                                          "be cut off\n"),
    "terminal-escape-in-file-name": (_escape_sequence_in_name,
                                     f"{ISSUE}/95-\\x1b[2J\\x1b[H.md:1: no front matter: the "
                                     "file must start with a line '---'\n"),
    "text-saved-as-png": (lambda root: _picture_item(root, "lab.png", b"not a picture\n"),
                          f"{ISSUE}/95-member-news.md:4: 2022-06/images/lab.png is not a readable "
                          "picture (not a PNG, JPEG or GIF inside)\n"),
    "decompression-bomb": (lambda root: _picture_item(root, "lab.png", _png_header(200_000,
                                                                                   200_000)),
                           f"{ISSUE}/95-member-news.md:4: 2022-06/images/lab.png is not a "
                           "readable picture (far too many pixels: a decompression bomb?)\n"),
    "picture-too-many-pixels": (lambda root: _picture_item(root, "lab.png",
                                                           _png_header(7000, 7000)),
                                f"{ISSUE}/95-member-news.md:4: 2022-06/images/lab.png is "
                                "7000x7000 pixels; the limit is 40 megapixels: scale it down "
                                "first\n"),
    "truncated-jpeg": (lambda root: _picture_item(root, "lab.jpg", _truncated_jpeg()),
                       f"{ISSUE}/95-member-news.md:4: 2022-06/images/lab.jpg is not a readable "
                       "picture (damaged or cut short)\n"),
    "issue-folder-symlink-leads-out": (_issue_folder_symlink_out,
                                       "bulletins/2022-07/bulletin.md:1: a symlink leading out of "
                                       "the repository; copy the file in instead\n"),
}


@pytest.mark.parametrize("case", sorted(GENERATED))
def test_generated_case(case: str, publication: Path) -> None:
    assert_refused(publication, lay_case(publication, case))


@pytest.mark.parametrize("case", CASES + sorted(GENERATED))
def test_check_and_build_agree(case: str, publication: Path) -> None:
    """What build refuses, check reports as [invalid] errors, at the same path:line with
    the same words, and nothing more: the pull-request check and the publishing agree."""
    lay_case(publication, case)
    build = CliRunner().invoke(main, ["-C", str(publication), "build"], catch_exceptions=False)
    check = CliRunner().invoke(main, ["-C", str(publication), "check", "--format", "json"],
                               catch_exceptions=False)
    assert (build.exit_code, check.exit_code) == (1, 1), check.output
    refused = {line for line in build.output.splitlines()
               if not line.endswith("nothing was written.")}
    report = json.loads(check.stdout) if check.stdout.startswith("{") else None
    if report is None:  # site.yaml itself unreadable: check stops where build stops
        assert {line for line in check.output.splitlines()
                if not line.endswith("nothing was written.")} == refused
        return
    # JSON keeps a file name's bytes; the terminal gets them escaped (errors.printable).
    invalid = {printable(f"{f['path']}:{f['line']}: {f['message']}")
               for f in report["findings"] if f["rule"] == "invalid"}
    assert invalid == refused


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) + len(GENERATED) >= 25


@pytest.mark.parametrize("case", ["python-tag", "empty-file", "site-relative-base-url"])
def test_the_installed_command_prints_no_traceback(case: str, publication: Path) -> None:
    """Through the real console entry point, not CliRunner: stderr holds the messages only."""
    folder = CORPUS / case
    for file in folder.rglob("*"):
        if file.is_file() and file.name != "expected.txt":
            shutil.copyfile(file, publication / file.relative_to(folder))
    result = subprocess.run([sys.executable, "-m", "bulletin_gen", "-C", str(publication),
                             "build"], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (folder / "expected.txt").read_text(encoding="utf-8")

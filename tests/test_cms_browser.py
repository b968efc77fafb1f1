"""`bulletin cms` in a real browser: Debian's chromium, driven by Playwright, edits a copy of
the example through Decap CMS and decap-server; the files it saves are the ones `bulletin add`
writes, filled in, and `check` and `build` take them."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, Response, expect, sync_playwright

from bulletin_gen.commands.cms.server import free_port
from bulletin_gen.commands.scaffold.texts import TK_BODY
from tests.archive_sites import CHROMIUM, CHROMIUM_ARGS, tool
from tests.conftest import REPO, copy_publication

ISSUE = "bulletins/2022-06"


@pytest.fixture
def editor(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """`bulletin cms` running in a copy of the example; yields its folder and the page's URL."""
    tool(REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js")
    root = copy_publication(REPO, tmp_path / "example")
    port = free_port()
    env = {**os.environ, "BULLETIN_CMS_MODULES": str(REPO / "node_modules")}
    process = subprocess.Popen(
        [sys.executable, "-m", "bulletin_gen", "-C", str(root), "cms", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    assert process.stdout is not None
    first = process.stdout.readline()
    assert f"http://127.0.0.1:{port}/admin/" in first, first
    children = _children(process.pid)
    assert len(children) == 1  # decap-server
    try:
        yield root, f"http://127.0.0.1:{port}/admin/"
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C
        assert process.wait(timeout=15) == 0
        assert "Stopped." in process.stdout.read()
        assert not any(Path(f"/proc/{pid}").exists() for pid in children)


def _files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file()}


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _added(tmp_path: Path, kind: str, title: str) -> str:
    """What `bulletin add KIND TITLE` writes in a fresh copy of the example."""
    root = copy_publication(REPO, tmp_path / f"add-{kind}")
    out = subprocess.run([sys.executable, "-m", "bulletin_gen", "-C", str(root), "add", kind,
                          title], capture_output=True, text=True, check=True).stdout
    return (root / out.removeprefix("Created ").strip()).read_text(encoding="utf-8")


def _publish(page: Page) -> int:
    """Save the entry in the form; return the HTTP status of the save."""
    def saving(response: Response) -> bool:
        return response.url.endswith("/api/v1") and \
            '"persistEntry"' in (response.request.post_data or "")

    with page.expect_response(saving) as answer:
        page.get_by_role("button", name="Publish").click()
        page.get_by_text("Publish now").click()
    if answer.value.status == 200:
        # Until the editor knows, leaving the page asks "discard your changes?"
        expect(page.get_by_text("Changes saved", exact=True)).to_be_visible()
    return answer.value.status


def _login(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Login").click()  # the local backend asks no password


def _new(page: Page, url: str, collection: str, label: str, kind: str | None = None) -> None:
    """Open the form for a new entry, and wait until it is that one, not the last page's,
    with its draft made (its kind already in the preview): what is typed before is lost."""
    page.goto(f"{url}#/collections/{collection}/new")
    expect(page.get_by_text(f"Writing in {label} collection")).to_be_visible()
    if kind is not None:
        preview = page.frame_locator("iframe").first
        expect(preview.locator(f"article.item-{kind}")).to_be_attached()


def _field(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.locator(f"[id^={name}-field-]")


def _type_body(page: Page, *paragraphs: str) -> None:
    page.locator("[data-slate-editor=true]").click()
    for number, paragraph in enumerate(paragraphs):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)


def test_edit_in_the_browser(editor: tuple[Path, str], tmp_path: Path) -> None:
    root, url = editor
    picture = tmp_path / "social.png"
    Image.new("RGB", (600, 300), (29, 60, 110)).save(picture)
    before = {path.name for path in (root / ISSUE).glob("*.md")}
    sources = _files(root)
    webinar = (root / ISSUE / "30-air-quality-webinar.md").read_text(encoding="utf-8")
    assert os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} is missing: .ci/run installs chromium"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        asked: list[str] = []  # e.g. "discard unsaved changes?": nothing should be left unsaved
        page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))

        # The issue and every kind of site.yaml are there, from the generated config.
        _login(page, url)
        for label in ("Issues", "2022-06: Cluster's events", "2022-06: News",
                      "2022-06: From our members"):
            expect(page.get_by_role("link", name=label, exact=True)).to_be_visible()

        # A news item with a picture: refused without its alt text, saved with it.
        _new(page, url, "2022-06-news", "2022-06: News", "news")
        _field(page, "title").fill("Summer social at the lab")
        page.get_by_text("Choose an image").click()
        page.locator("input[type=file]").set_input_files(picture)
        page.get_by_role("button", name="Choose selected").click()
        _type_body(page, "Join us for the summer social.", "All members welcome.")
        assert _publish(page) == 422
        expect(page.get_by_text("'image_alt' is required with 'image'")).to_be_visible()
        assert {path.name for path in (root / ISSUE).glob("*.md")} == before
        _field(page, "image_alt").fill("A dark blue card reading Summer social")
        assert _publish(page) == 200
        expect(page).to_have_url(re.compile(r"entries/summer-social-at-the-lab$"))

        # An event with a date-time.
        _new(page, url, "2022-06-event", "2022-06: Cluster's events", "event")
        _field(page, "title").fill("Summer webinar")
        _field(page, "starts").fill("2022-07-27T14:30")
        _field(page, "location").fill("online")
        _type_body(page, "An hour on air quality sensors.")
        expect(_field(page, "title")).to_have_value("Summer webinar")
        assert _publish(page) == 200
        expect(page).to_have_url(re.compile(r"entries/summer-webinar$"))

        # An existing item's title.
        page.goto(url + "#/collections/2022-06-event")
        page.reload()  # Decap lists only the entries made since it loaded the collection
        page.get_by_text("Webinar: air quality and health").click()
        _field(page, "title").fill("Webinar: air quality and your health")
        assert _publish(page) == 200

        # A new issue, as `bulletin new 2022-07 --from 2022-06` starts it.
        _new(page, url, "new-issue", "Start a new issue")
        _field(page, "issue").fill("2022-07")
        assert _publish(page) == 200
        browser.close()
    assert asked == []

    news = (root / ISSUE / "100-summer-social-at-the-lab.md").read_text(encoding="utf-8")
    assert news == _added(tmp_path, "news", "Summer social at the lab").replace(
        "# image: images/picture.png", "image: images/social.png").replace(
        '# image_alt: "Describe the picture"',
        'image_alt: "A dark blue card reading Summer social"').replace(
        TK_BODY, "Join us for the summer social.\n\nAll members welcome.\n")
    assert (root / ISSUE / "images" / "social.png").read_bytes() == picture.read_bytes()

    event = (root / ISSUE / "110-summer-webinar.md").read_text(encoding="utf-8")
    added = _added(tmp_path, "event", "Summer webinar")
    when = re.search(r"# when: .*\nwhen: \"TK\"\n", added)
    assert when is not None
    assert event == added.replace(when.group(0), "").replace(
        "# starts: 2024-07-20T18:00", "starts: 2022-07-27T14:30").replace(
        "# location: online", "location: online").replace(
        TK_BODY, "An hour on air quality sensors.\n")

    # Only the edited line changed, though Decap writes keys in its own order and style.
    assert (root / ISSUE / "30-air-quality-webinar.md").read_text(encoding="utf-8") == \
        webinar.replace('title: "Webinar: air quality and health"',
                        'title: "Webinar: air quality and your health"')

    # Like `git status`: just those files changed or appeared, nothing else.
    after = _files(root)
    assert sorted(path for path in after if sources.get(path) != after[path]) == sorted([
        f"{ISSUE}/100-summer-social-at-the-lab.md", f"{ISSUE}/110-summer-webinar.md",
        f"{ISSUE}/30-air-quality-webinar.md", f"{ISSUE}/images/social.png",
        *(f"bulletins/2022-07/{name}" for name in os.listdir(root / "bulletins/2022-07"))])
    assert set(sources) <= set(after)

    other = copy_publication(root, tmp_path / "new")  # with the items made above
    shutil.rmtree(other / "bulletins/2022-07")
    subprocess.run([sys.executable, "-m", "bulletin_gen", "-C", str(other), "new", "2022-07",
                    "--from", "2022-06"], check=True, capture_output=True)
    made = sorted(path.name for path in (root / "bulletins/2022-07").iterdir())
    assert made == sorted(path.name for path in (other / "bulletins/2022-07").iterdir())
    assert "bulletin.md" in made and len(made) > 10
    for name in made:
        assert (root / "bulletins/2022-07" / name).read_bytes() == \
            (other / "bulletins/2022-07" / name).read_bytes()

    bulletin = [sys.executable, "-m", "bulletin_gen", "-C", str(root)]
    check = subprocess.run([*bulletin, "check", "2022-06"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    build = subprocess.run([*bulletin, "build"], capture_output=True, text=True)
    assert build.returncode == 0, build.stdout + build.stderr
    page_html = (root / "site" / "2022-06" / "index.html").read_text(encoding="utf-8")
    for shown in ("Summer social at the lab", 'alt="A dark blue card reading Summer social"',
                  "Summer webinar", "Webinar: air quality and your health"):
        assert shown in page_html

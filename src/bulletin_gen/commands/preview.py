"""Screenshots of the email as readers see it: desktop, phone and dark mode, in Chromium."""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin_gen.errors import CommandLineError, MissingPartError

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ENV = "BULLETIN_CHROMIUM"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@dataclass(frozen=True)
class View:
    name: str
    width: int
    dark: bool = False


VIEWS = (View("desktop", 800), View("phone", 375), View("dark", 800, dark=True))


@dataclass(frozen=True)
class Screenshot:
    path: Path
    view: View
    width: int  # of the whole email as drawn: wider than the view, it scrolls sideways


class Published:
    """The rendered site in memory, served in place of base_url, so pictures show."""

    def __init__(self, base_url: str, files: Sequence[Any]) -> None:
        self.base_url = base_url
        self.files = {file.path: file for file in files}

    def body(self, url: str) -> bytes | None:
        path = url[len(self.base_url):].split("?")[0].split("#")[0]
        file = self.files.get(path) or self.files.get(path.rstrip("/") + "/index.html")
        if file is None:
            return None
        return file.content if file.content is not None else Path(file.source).read_bytes()

    def route(self, route: Any) -> None:
        url = route.request.url
        content = self.body(url) if url.startswith(self.base_url) else None
        if content is None:
            route.abort()  # nothing leaves the machine: other sites are not fetched
            return
        kind = mimetypes.guess_type(url.split("?")[0])[0] or "text/html"
        route.fulfill(status=200, body=content, content_type=kind)


def chromium_path() -> str:
    """The Chromium to drive: $BULLETIN_CHROMIUM, else Debian's."""
    path = os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM
    if not Path(path).is_file():
        raise MissingPartError(
            f"no Chromium found at {path}: `bulletin preview` takes its screenshots with "
            "Chromium. Install it (on Debian or Ubuntu: sudo apt-get install chromium) or set "
            f"{CHROMIUM_ENV} to the path of a Chromium or Chrome binary.")
    return path


@contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium, closed on exit."""
    executable = chromium_path()
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise MissingPartError("`bulletin preview` needs Playwright's Python package: "
                            "pip install 'bulletin-gen[preview]'") from None
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Error as error:
            raise MissingPartError(f"Chromium at {executable} did not start: "
                                f"{str(error).splitlines()[0]}") from None
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def email_page(chromium: Any, published: Published, slug: str, view: View) -> Iterator[Any]:
    """A page showing the issue's email.html at the view's width and colour scheme."""
    context = chromium.new_context(viewport={"width": view.width, "height": 900},
                                   color_scheme="dark" if view.dark else "light")
    try:
        page = context.new_page()
        page.route("**/*", published.route)
        page.goto(f"{published.base_url}{slug}/email.html", wait_until="load")
        yield page
    finally:
        context.close()


def take_screenshots(config: Any, slug: str, out_dir: Path) -> list[Screenshot]:
    """Render the issue and write desktop.png, phone.png and dark.png into out_dir."""
    from bulletin_gen.render.site import render_in_memory as render

    chromium_path()  # fail before rendering when there is no browser
    _, files = render(config, (slug,))
    published = Published(config.base_url, files)
    if published.body(f"{config.base_url}{slug}/email.html") is None:
        raise CommandLineError(f"no issue {slug!r} to preview")
    written = []
    with browser() as chromium:
        out_dir.mkdir(parents=True, exist_ok=True)  # only once there is a browser to draw
        for view in VIEWS:
            with email_page(chromium, published, slug, view) as page:
                target = out_dir / f"{view.name}.png"
                width = page.evaluate("document.documentElement.scrollWidth")
                page.screenshot(path=str(target), full_page=True)
                written.append(Screenshot(target, view, width))
    return written

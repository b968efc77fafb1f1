"""The email in a real browser: Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image

from bulletin_gen.commands.preview import Published, View, browser, email_page
from bulletin_gen.config.settings import load_config
from bulletin_gen.render.site import render_in_memory as render
from tests.conftest import REPO, copy_publication


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    root = copy_publication(REPO, tmp_path_factory.mktemp("browser") / "example")
    config = load_config(root)
    _, files = render(config, ("2022-06",))
    return Published(config.base_url, files)


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    with browser() as running:
        yield running


VISIBLE = """() => {
  const seen = el => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= innerWidth + 0.5; };
  const banner = document.querySelector('img[src$="/images/banner.png"]');
  const buttons = [...document.querySelectorAll('a.btn')];
  return {
    scroll: document.documentElement.scrollWidth, width: innerWidth,
    banner: !!banner && banner.complete && banner.naturalWidth > 0 && seen(banner),
    bannerWidth: banner ? banner.getBoundingClientRect().width : 0,
    bannerHeight: banner ? banner.getBoundingClientRect().height : 0,
    buttons: buttons.length, buttonsSeen: buttons.filter(seen).length,
    broken: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
  };
}"""


@pytest.fixture(scope="module")
def realworld(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """Content as people write it: a 200-character URL as link text, long inline code, a
    code line of 140 characters, tables of 4 and 6 columns, a picture 1,800 px wide."""
    root = copy_publication(REPO / "tests/fixtures/realworld",
                            tmp_path_factory.mktemp("browser") / "realworld")
    config = load_config(root)
    _, files = render(config, ("2025-03-05",))
    return Published(config.base_url, files)


WIDE_CONTENT = """() => {
  const box = el => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right}; };
  const code = [...document.querySelectorAll('code')].find(
    c => c.textContent === 'windows_process_extensions_main_thread_handle');
  const url = [...document.querySelectorAll('a')].find(a => a.textContent.length > 180);
  const column = document.querySelector('table.container').getBoundingClientRect();
  const style = el => getComputedStyle(el);
  return {
    scroll: document.documentElement.scrollWidth, width: innerWidth,
    column: {left: column.left, right: column.right},
    parts: {pre: box(document.querySelector('pre')), code: box(code), url: box(url),
            picture: box(document.querySelector('img[src$="pipeline.png"]')),
            tables: [...document.querySelectorAll('.copy table')].map(box)},
    preLines: document.querySelector('pre').getBoundingClientRect().height / 20,
    cell: {padding: style(document.querySelector('.copy td')).paddingLeft,
           border: style(document.querySelector('.copy td')).borderLeftStyle},
    preBackground: style(document.querySelector('pre')).backgroundColor,
  };
}"""


@pytest.mark.parametrize("width", [320, 375])
def test_wide_content_stays_inside_the_column_on_a_phone(chromium, realworld, width: int) -> None:
    with email_page(chromium, realworld, "2025-03-05", View("test", width)) as page:
        seen = page.evaluate(WIDE_CONTENT)
    assert seen["scroll"] <= seen["width"], "the email scrolls sideways"
    column = seen["column"]
    parts = seen["parts"]
    for name in ("pre", "code", "url", "picture"):
        assert column["left"] <= parts[name]["left"] and parts[name]["right"] <= column["right"], \
            (name, parts[name], column)
    assert len(parts["tables"]) == 2
    assert all(table["right"] <= column["right"] for table in parts["tables"])
    assert seen["preLines"] >= 4  # one line of code, wrapped
    # Cells padded and ruled, so that "18:30-19:15" does not run into the next cell.
    assert seen["cell"]["padding"] != "0px" and seen["cell"]["border"] == "solid"


def test_code_keeps_a_dark_background_in_dark_mode(chromium, realworld) -> None:
    backgrounds = {}
    for view in (View("light", 600), View("dark", 600, dark=True)):
        with email_page(chromium, realworld, "2025-03-05", view) as page:
            backgrounds[view.name] = page.evaluate(WIDE_CONTENT)["preBackground"]
    assert backgrounds == {"light": "rgb(242, 242, 242)", "dark": "rgb(43, 43, 43)"}


@pytest.mark.parametrize(("width", "banner_width", "banner_height"),
                         [(600, 600, 150), (375, 375, 93.75), (320, 320, 80)])
def test_no_horizontal_scroll_banner_and_buttons_visible(chromium, published, width: int,
                                                         banner_width: int,
                                                         banner_height: float) -> None:
    with email_page(chromium, published, "2022-06", View("test", width)) as page:
        seen = page.evaluate(VISIBLE)
    assert seen["scroll"] <= seen["width"], "the email scrolls sideways"
    assert seen["banner"] and seen["bannerWidth"] == banner_width
    assert seen["bannerHeight"] == banner_height  # the 1200x300 picture in proportion
    assert seen["buttons"] >= 5 and seen["buttonsSeen"] == seen["buttons"]
    assert seen["broken"] == []


def test_banner_keeps_its_box_while_pictures_are_blocked(chromium, published) -> None:
    """A webmail that blocks pictures draws its own placeholder (here 2:1) in their place;
    the banner's box stays 600x150, so the layout does not jump when pictures are allowed."""
    placeholder = io.BytesIO()
    Image.new("RGB", (200, 100), "#cccccc").save(placeholder, "PNG")

    def blocked(route) -> None:
        if route.request.url.endswith(".png"):
            route.fulfill(status=200, body=placeholder.getvalue(), content_type="image/png")
        else:
            published.route(route)

    context = chromium.new_context(viewport={"width": 600, "height": 900})
    try:
        page = context.new_page()
        page.route("**/*", blocked)
        page.goto(f"{published.base_url}2022-06/email.html", wait_until="load")
        box = page.evaluate("() => { const r = document.querySelector('img.banner')"
                            ".getBoundingClientRect(); return [r.width, r.height]; }")
    finally:
        context.close()
    assert box == [600, 150]


def test_dark_mode_changes_the_card(chromium, published) -> None:
    colours = {}
    for view in (View("light", 600), View("dark", 600, dark=True)):
        with email_page(chromium, published, "2022-06", view) as page:
            colours[view.name] = page.evaluate(
                "() => [getComputedStyle(document.querySelector('table.container'))"
                ".backgroundColor, getComputedStyle(document.querySelector('h1')).color]")
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(29, 60, 110)"]
    assert colours["dark"] == ["rgb(30, 30, 30)", "rgb(169, 200, 255)"]


AXE = REPO / "node_modules/axe-core/axe.min.js"
# Page landmarks are for web pages: an email is one role="article" inside the reader's inbox.
NOT_FOR_EMAIL = {"landmark-one-main", "region"}


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("email", ["example", "realworld"])
def test_axe_finds_no_accessibility_problem(chromium, published, realworld, email: str,
                                            dark: bool) -> None:
    issue, slug = (published, "2022-06") if email == "example" else (realworld, "2025-03-05")
    with email_page(chromium, issue, slug, View("axe", 600, dark)) as page:
        page.add_script_tag(content=AXE.read_text())
        found = page.evaluate("async () => (await axe.run(document)).violations"
                              ".map(v => `${v.id}: ${v.nodes.map(n => n.target).join(', ')}`)")
    assert [v for v in found if v.split(":")[0] not in NOT_FOR_EMAIL] == []

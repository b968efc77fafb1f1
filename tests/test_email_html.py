"""The email's HTML holds what real inboxes need (EMAIL-FACTS), read from the built example."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import copy_publication
from tests.email_build import built_example

CANIEMAIL = json.loads((Path(__file__).parent / "data/caniemail-css.json").read_text())
# Not in caniemail's data because every client supports them.
UNIVERSAL = {"color", "font-family", "font-style"}
# Not supported by Outlook for Windows, with the fallback the template gives it.
OUTLOOK_FALLBACKS = {
    "max-width": "the 600px ghost table in <!--[if mso]>",
    # Elsewhere a fixed layout keeps wide content from widening the column; Word lays the
    # email out in the ghost table's 600px, which its content does not widen.
    "table-layout": "the 600px ghost table in <!--[if mso]>",
    "white-space": "a <pre>'s lines wrap elsewhere; in Word, inside the 600px ghost table",
}
REALWORLD = Path(__file__).parent / "fixtures/realworld"


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_example(tmp_path_factory.mktemp("email") / "example")


@pytest.fixture(scope="module")
def html(site: Path) -> str:
    return (site / "2022-06/email.html").read_bytes().decode("utf-8")  # always UTF-8


@pytest.fixture(scope="module")
def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_example_email_stays_under_60_kb(site: Path) -> None:
    assert (site / "2022-06/email.html").stat().st_size < 60_000


def test_every_layout_table_is_presentation_and_outlook_gets_a_ghost_table(html, tags) -> None:
    tables = [attrs for tag, attrs in tags if tag == "table"]
    assert tables and all(attrs.get("role") == "presentation" for attrs in tables)
    ghost = re.search(r"<!--\[if mso\]><table ([^>]*)>", html)
    assert ghost and 'width="600"' in ghost.group(1) and 'role="presentation"' in ghost.group(1)
    assert "<o:PixelsPerInch>96</o:PixelsPerInch>" in html


def test_language_and_direction_on_html_and_a_wrapper_in_body(tags) -> None:
    html_tag = next(attrs for tag, attrs in tags if tag == "html")
    assert (html_tag["lang"], html_tag["dir"]) == ("en-GB", "ltr")
    after_body = [attrs for tag, attrs in tags[[t for t, _ in tags].index("body") + 1:]]
    assert after_body[0]["lang"] == "en-GB" and after_body[0]["dir"] == "ltr"


def test_head_has_title_colour_scheme_and_the_preheader_comes_first(html) -> None:
    assert "<title>WMHTC e-bulletin: June 2022</title>" in html
    assert '<meta name="color-scheme" content="light dark">' in html
    assert '<meta name="supported-color-schemes" content="light dark">' in html
    body = html.split("<body", 1)[1]
    first_text = re.sub(r"<[^>]+>", "", body.split(">", 1)[1]).strip()
    assert first_text.startswith("We're recruiting members, plus July's Topical Tuesday")
    # Hidden by display:none and mso-hide:all alone: no invisible-text tricks spam filters score.
    preheader = re.search(r'<div style="display:none;mso-hide:all;?">', body)
    assert preheader and body.index(preheader.group(0)) < body.index("<table")
    assert body.count("&#847;&zwnj;&nbsp;") + body.count("\u034f\u200c\u00a0") >= 30


def test_body_has_no_class_for_webmails_to_misread(tags, html) -> None:
    """Roundcube gives the body's class to its own wrapper (roundcube/roundcubemail#9911)."""
    body = next(attrs for tag, attrs in tags if tag == "body")
    assert "class" not in body
    assert "background-color:#f7f5f0" in (body.get("style") or "").replace(" ", "")
    assert re.search(r"@media \(prefers-color-scheme: dark\) \{\s*body, \.bg \{", html)


def test_banner_keeps_its_box_while_pictures_are_blocked(tags, html) -> None:
    banner = next(attrs for tag, attrs in tags if tag == "img" and "banner" in (attrs.get("class") or ""))
    # The example's banner is 1200x300, shown at 600px: 150px tall, in the attribute and the style.
    assert (banner["width"], banner["height"]) == ("600", "150")
    assert "height:150px" in (banner.get("style") or "").replace(" ", "")
    phone = html.split("@media screen and (max-width: 599px)", 1)[1].split("@media", 1)[0]
    assert re.search(r"\.banner \{\s*height: auto !important", phone)  # narrower: in proportion


def test_line_heights_are_exact_for_outlook(tags) -> None:
    styles = [attrs.get("style") or "" for _, attrs in tags]
    with_line_height = [s for s in styles if "line-height" in s]
    assert with_line_height
    assert all("mso-line-height-rule:exactly" in s.replace(" ", "") for s in with_line_height)


def test_layout_does_not_depend_on_style_element(html) -> None:
    # Gmail drops <style> in some apps: what stays there is only for phones and dark mode.
    style = re.search(r"<style[^>]*>(.*?)</style>", html, re.S).group(1)
    outside_media = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", style).strip()
    assert outside_media == ""


def test_inline_css_is_supported_by_gmail_and_outlook(tags) -> None:
    assert not unsupported_css(tags)


def test_the_styles_of_code_tables_and_quotes_are_supported_too(tmp_path: Path, invoke) -> None:
    root = copy_publication(REALWORLD, tmp_path / "realworld")
    assert invoke(root, "build").exit_code == 0
    parser = Tags()
    parser.feed((root / "site/2025-03-05/email.html").read_text(encoding="utf-8"))
    styled = {tag for tag, attrs in parser.tags if attrs.get("style")}
    assert {"pre", "code", "table", "th", "td", "blockquote"} <= styled
    assert not unsupported_css(parser.tags)


def unsupported_css(tags: list[tuple[str, dict[str, str | None]]]) -> list[str]:
    """The inline CSS properties Gmail or Outlook ignores (without a fallback)."""
    used = {declaration.split(":", 1)[0].strip().lower()
            for _, attrs in tags for declaration in (attrs.get("style") or "").split(";")
            if ":" in declaration}
    unsupported = []
    for prop in sorted(used - UNIVERSAL):
        if prop.startswith("mso-"):
            continue  # Outlook's own properties, ignored elsewhere
        # caniemail files longhands (padding-top, border-bottom) under the shorthand.
        family = re.sub(r"^(padding|margin|border)-(top|right|bottom|left)$", r"\1", prop)
        feature = CANIEMAIL["features"].get(f"css-{family}")
        assert feature, f"{prop} is not in caniemail's data: check it by hand"
        if not feature["gmail-webmail"].startswith(("y", "a")):
            unsupported.append(f"{prop} (Gmail)")
        if not feature["outlook-windows"].startswith(("y", "a")) and prop not in OUTLOOK_FALLBACKS:
            unsupported.append(f"{prop} (Outlook)")
    return unsupported


def test_buttons_are_padded_cells_outlook_draws(html) -> None:
    buttons = re.findall(r'<td class="btn-cell"([^>]*)><a class="btn" href="([^"]+)"([^>]*)>', html)
    assert len(buttons) >= 5
    for cell, href, link in buttons:
        assert 'bgcolor="#1d3c6e"' in cell and "mso-padding-alt:12px 20px" in cell
        assert "padding:12px 20px" in link and "display:inline-block" in link
        assert href.startswith("https://")
    assert "Register for Webinar: air quality and health</a>" in html


def test_every_picture_has_alt_size_block_and_absolute_url(tags, site) -> None:
    from PIL import Image

    images = [attrs for tag, attrs in tags if tag == "img"]
    assert len(images) >= 6  # banner, three event pictures, signature, logo
    for attrs in images:
        src = attrs["src"] or ""
        assert src.startswith("https://bulletin.example.org/"), src
        assert attrs.get("alt"), src
        assert "display:block" in (attrs.get("style") or ""), src
        with Image.open(site / src.removeprefix("https://bulletin.example.org/")) as picture:
            width, height = picture.size
        shown_width, shown_height = int(attrs["width"]), int(attrs["height"])
        assert shown_width <= 600
        assert abs(shown_height - height * shown_width / width) <= 1, src
    banner = images[0]
    assert (banner["width"], banner["height"]) == ("600", "150")


def test_every_link_is_absolute_or_an_in_message_anchor(tags) -> None:
    hrefs = [attrs["href"] or "" for tag, attrs in tags if tag == "a" and "href" in attrs]
    for href in hrefs:
        assert href.startswith(("https://", "http://", "mailto:", "#", "*|")), href
    assert hrefs[0] == "*|ARCHIVE|*"  # "View this email in your browser" first


def test_contents_link_to_anchors_with_name_and_id(tags, html) -> None:
    assert "In this issue" in html
    targets = {attrs["name"] for tag, attrs in tags if tag == "a" and attrs.get("name")}
    ids = {attrs["id"] for tag, attrs in tags if tag == "a" and attrs.get("name")}
    assert targets == ids and len(targets) == 16
    links = [attrs["href"][1:] for tag, attrs in tags
             if tag == "a" and (attrs.get("href") or "").startswith("#")]
    assert sorted(links) == sorted(targets)
    assert 'href="#event-air-quality-webinar"' in html


def test_footer_has_organisation_address_reason_and_unsubscribe(html) -> None:
    footer = html[html.rindex("<table"):]
    assert "Health Technology Cluster</strong><br>Birmingham, West Midlands, United Kingdom" in footer
    assert "You are receiving this email because you are a member" in footer
    assert '<a href="*|UNSUB|*"' in footer and "Unsubscribe from this bulletin" in footer


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, two: str) -> float:
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _expand(colour: str) -> str:
    return "#" + "".join(c * 2 for c in colour[1:]) if len(colour) == 4 else colour


def test_dark_palette_keeps_text_contrast_at_least_4_5(html) -> None:
    block = html[html.index("prefers-color-scheme: dark"):]
    block = block[: block.index("</style>")]
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", block.split("{", 1)[1])
    texts, surfaces, button = [], [], {}
    for selector, body in rules:
        colours = dict((k.strip(), _expand(v.replace("!important", "").strip()))
                       for k, v in (d.split(":", 1) for d in body.split(";") if ":" in d))
        if ".btn" in selector:
            button.update(colours)
        else:
            texts += [colours["color"]] if "color" in colours else []
            surfaces += [colours["background-color"]] if "background-color" in colours else []
    assert len(texts) >= 4 and len(surfaces) >= 3
    for text in texts:
        for surface in surfaces:
            assert contrast(text, surface) >= 4.5, (text, surface)
    assert contrast(button["color"], button["background-color"]) >= 4.5


def test_light_palette_keeps_text_contrast_at_least_4_5(html) -> None:
    # Every inline text colour in the built email against the nearest background behind it.
    from lxml import html as lxml_html

    colour_re = r"(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b"
    pairs = set()
    for element in lxml_html.fromstring(html).iter():
        style = element.get("style") or ""
        text = re.search(r"(?:^|;)\s*color:\s*" + colour_re, style)
        if not text or "display:none" in style.replace(" ", ""):
            continue
        behind = "#ffffff"
        for layer in (element, *element.iterancestors()):
            found = re.search(r"background(?:-color)?:\s*" + colour_re, layer.get("style") or "")
            if found or layer.get("bgcolor"):
                behind = found.group(1) if found else layer.get("bgcolor")
                break
        pairs.add((_expand(text.group(1)), _expand(behind)))
    assert len(pairs) >= 5, pairs
    for text_colour, background in sorted(pairs):
        assert contrast(text_colour, background) >= 4.5, (text_colour, background)


def test_logo_and_signature_are_opaque_so_dark_mode_cannot_hide_them(site) -> None:
    from PIL import Image

    for name in ("assets/images/logo.png", "assets/images/signature.png"):
        with Image.open(site / name) as picture:
            rgba = picture.convert("RGBA")
            assert rgba.getextrema()[3] == (255, 255), name  # no transparent pixels

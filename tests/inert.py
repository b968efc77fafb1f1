"""Test helper: find anything active (scripts, handlers, script URLs) in built output."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from bulletin_gen.sources.sanitize import url_scheme

ACTIVE_TAGS = {"script", "iframe", "frame", "object", "embed", "form", "input", "button",
               "textarea", "select", "applet", "base", "svg", "math"}
SCRIPT_SCHEMES = {"javascript", "vbscript", "data"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "poster", "xlink:href"}
ATOM = "{http://www.w3.org/2005/Atom}"


class _ActiveFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            elif name in URL_ATTRIBUTES and url_scheme(value or "") in SCRIPT_SCHEMES:
                self.found.append(f"<{tag} {name}={value!r}>")


def active_parts(html: str) -> list[str]:
    """Every script-like element, on* attribute and script URL in html."""
    finder = _ActiveFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def feed_contents(feed: Path) -> list[str]:
    """The HTML of every entry in an Atom feed (parsing it also proves it is well-formed XML)."""
    root = ET.parse(feed).getroot()
    return [element.text or "" for element in root.iter(f"{ATOM}content")]


def active_parts_of_site(site: Path) -> Counter[str]:
    """Active parts in every page, email and feed entry, counted as 'page: part'."""
    found: Counter[str] = Counter()
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        found.update(f"{rel}: {part}" for part in active_parts(page.read_text(encoding="utf-8")))
    for content in feed_contents(site / "feed.xml"):
        found.update(f"feed.xml: {part}" for part in active_parts(content))
    return found


def added_active_parts(site: Path, theme: Counter[str]) -> list[str]:
    """What site has beyond the theme's own (its search box, say): should be nothing."""
    return sorted((active_parts_of_site(site) - theme).elements())

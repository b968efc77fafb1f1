"""Read the links, pictures and headings out of rendered HTML."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True)
class Link:
    href: str | None  # None when the <a> has no href at all (a named anchor)
    text: str  # visible words, with the alt text of pictures inside the link


@dataclass(frozen=True)
class Picture:
    src: str
    alt: str | None  # None when the attribute is missing


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Scan:
    links: tuple[Link, ...]
    pictures: tuple[Picture, ...]
    headings: tuple[Heading, ...]


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self.pictures: list[Picture] = []
        self.headings: list[Heading] = []
        self._link: tuple[str | None, list[str]] | None = None
        self._heading: tuple[int, list[str]] | None = None
        self._hidden = 0  # inside <style>/<script>/<title>, whose text is not visible

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("style", "script", "title"):
            self._hidden += 1
        elif tag == "a":
            self._link = (values.get("href"), [])
        elif tag == "img":
            alt = values.get("alt")
            self.pictures.append(Picture(values.get("src") or "", alt))
            if self._link is not None and alt:
                self._link[1].append(alt)
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self._heading = (int(tag[1]), [])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._hidden = max(0, self._hidden - 1)
        elif tag == "a" and self._link is not None:
            href, words = self._link
            self.links.append(Link(href.strip() if href is not None else None, _squash(words)))
            self._link = None
        elif self._heading is not None and tag == f"h{self._heading[0]}":
            self.headings.append(Heading(self._heading[0], _squash(self._heading[1])))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._link is not None:
            self._link[1].append(data)
        if self._heading is not None:
            self._heading[1].append(data)


def scan_html(html: str) -> Scan:
    """List the links, pictures and headings of an HTML document or fragment."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return Scan(tuple(scanner.links), tuple(scanner.pictures), tuple(scanner.headings))


def _squash(words: list[str]) -> str:
    return " ".join(" ".join(words).split())

"""What a rule sees of one issue: the model, its sources and its rendered pages."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from functools import cached_property

from bulletin_gen.commands.lint.htmlscan import Scan, scan_html
from bulletin_gen.config.settings import SITE_FILE, Config
from bulletin_gen.model import FULL, Bulletin, Item
from bulletin_gen.render.site import OutputFile
from bulletin_gen.render.urls import rebase
from bulletin_gen.sources.frontmatter import SourceFile, parse_source, read_text


@dataclass(frozen=True)
class IssueContext:
    config: Config
    bulletin: Bulletin
    files: dict[str, OutputFile] = field(repr=False)  # rendered output, by output path

    def output_text(self, name: str) -> str:
        file = self.files.get(f"{self.bulletin.slug}/{name}")
        return file.content.decode("utf-8") if file is not None and file.content else ""

    @cached_property
    def email_html(self) -> str:
        return self.output_text("email.html")

    @cached_property
    def email_scan(self) -> Scan:
        return scan_html(self.email_html)

    @cached_property
    def left_out_scan(self) -> Scan:
        """The links and pictures of the items not in the email in full (`email: teaser` or
        `web-only`), as the email would hold them: bodies with absolute URLs, buttons."""
        parts = []
        for item in self.bulletin.items:
            if self.bulletin.email_mode(item) == FULL:
                continue
            parts.append(str(rebase(item.body_html, self.config.base_url)))
            register_words = item.register_text or f"Register for {item.title}"
            for href, words in ((item.link, item.link_text), (item.register, register_words)):
                if href:
                    parts.append(f'<a href="{html.escape(href)}">{html.escape(words or "")}</a>')
        return scan_html("\n".join(parts))

    @cached_property
    def page_scan(self) -> Scan:
        return scan_html(self.output_text("index.html"))

    @cached_property
    def sources(self) -> dict[str, SourceFile]:
        """The issue's bulletin.md and item files, parsed again for their key lines."""
        paths = [self.bulletin.path, *(item.path for item in self.bulletin.items)]
        return {rel: parse_source(read_text(self.config.root / rel, rel), rel) for rel in paths}

    @cached_property
    def texts(self) -> dict[str, list[str]]:
        """Every source file's lines, front matter included, as the editor sees them."""
        paths = [*self.sources, SITE_FILE]
        return {rel: read_text(self.config.root / rel, rel).split("\n") for rel in paths}

    def key_line(self, path: str, key: str) -> int | None:
        return self.sources[path].lines.get(key)

    def item_source(self, item: Item) -> SourceFile:
        return self.sources[item.path]

    def locate(self, *needles: str) -> tuple[str, int | None]:
        """The first source line holding one of the needles, tried in order.

        Items are searched before bulletin.md, then site.yaml (where the footer's
        addresses come from); a needle found nowhere points at bulletin.md.
        """
        order = [*(item.path for item in self.bulletin.items), self.bulletin.path, SITE_FILE]
        base = self.config.base_url
        for needle in (*needles, *(base for n in needles if n.startswith(base))):
            wanted = needle.strip().lower()
            if not wanted:
                continue
            for rel in order:
                for number, line in enumerate(self.texts[rel], start=1):
                    if _holds(line.lower(), wanted):
                        return rel, number
        return self.bulletin.path, None

    def locate_link(self, text: str, href: str, prefer: str = "") -> tuple[str, int | None]:
        """Where a link with these words and this address was written.

        A Markdown link holds both on one line; a button's words are on the
        `link_text:` line of the file that holds its address.
        """
        bare = href.split("#")[0].split("?")[0].lower()
        words = text.strip().lower()
        order = sorted(self.texts, key=lambda rel: rel != prefer)  # the preferred file first
        for rel in order:
            lowered = [line.lower() for line in self.texts[rel]]
            if not bare or not any(bare in line for line in lowered):
                continue
            for number, line in enumerate(lowered, start=1):
                if words in line and (bare in line or line.startswith("link_text:")):
                    return rel, number
        return self.locate(href, bare, text)


# Characters that continue a URL; not the ")" that closes a Markdown link.
URL_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@$&+=%")


def _holds(line: str, needle: str) -> bool:
    """Whether line holds needle; a URL only whole, so https://x.org/ is not https://x.org/a."""
    if "://" not in needle:
        return needle in line
    start = line.find(needle)
    while start >= 0:
        end = start + len(needle)
        if end == len(line) or line[end] not in URL_CHARS:
            return True
        start = line.find(needle, start + 1)
    return False

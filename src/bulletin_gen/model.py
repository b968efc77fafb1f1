"""The plain data that flows from loading to rendering."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: the configuration is read before any model is made
    from bulletin_gen.config.settings import Config, Kind

# How an item goes into the email (`email:` in its front matter or in bulletin.md): whole;
# as its title, first paragraph and a link to the web page; or not at all.
FULL, TEASER, WEB_ONLY = "full", "teaser", "web-only"
EMAIL_MODES = (FULL, TEASER, WEB_ONLY)


@dataclass(frozen=True)
class Image:
    url_path: str  # site-relative path of the published copy, e.g. 2022-06/images/banner.png
    source: str  # absolute path of the file in the repository
    alt: str
    width: int
    height: int


@dataclass(frozen=True)
class Item:
    path: str  # relative to the repository, for messages
    slug: str
    kind: str
    title: str
    body_html: str  # local URLs are site-absolute ("/2022-06/..."), rebased per output
    image: Image | None = None
    link: str | None = None
    link_text: str | None = None
    draft: bool = False
    email: str | None = None  # its own `email:` (full, teaser, web-only); None: the issue's
    # event
    starts: dt.datetime | dt.date | None = None
    ends: dt.datetime | dt.date | None = None
    when: str | None = None
    location: str | None = None
    register: str | None = None
    register_text: str | None = None  # the register button's words, if not the default
    # member
    member: str | None = None
    member_url: str | None = None

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.slug}"

    @property
    def is_dated(self) -> bool:
        return self.starts is not None


@dataclass(frozen=True)
class Author:
    name: str
    role: str | None = None
    email: str | None = None
    signature: Image | None = None


@dataclass(frozen=True)
class Group:
    kind: Kind
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Bulletin:
    slug: str
    path: str  # of bulletin.md, relative to the repository
    title: str
    date: dt.date
    preheader: str | None
    intro_html: str
    items: tuple[Item, ...]
    banner: Image | None = None
    author: Author | None = None
    sign_off_html: str = ""
    draft: bool = False
    images: tuple[Image, ...] = field(default=(), repr=False)  # every picture to publish
    email: str = FULL  # how its items go into the email unless they say otherwise

    def outline(self) -> Bulletin:
        """The issue without its bodies (intro, sign-off, items' text): what the pages about
        every issue and the neighbours' pagers read, a few KB instead of the whole issue.
        A build holds every issue's outline, and each issue in full only while it renders;
        the pages about every issue read bodies only inside `{% cache %}` blocks, whose
        pieces are made from the issue in full (see incremental/fragments.py)."""
        return replace(self, intro_html="", sign_off_html="", images=(),
                       items=tuple(replace(item, body_html="") for item in self.items))

    def email_mode(self, item: Item) -> str:
        """How an item goes into the email: FULL, TEASER or WEB_ONLY."""
        return item.email or self.email

    def groups(self, kinds: tuple[Kind, ...], in_email: bool = False) -> tuple[Group, ...]:
        """Items grouped by kind in site.yaml's order, items in file-name order;
        in_email: only the items that go into the email (not `email: web-only`)."""
        groups = []
        for kind in kinds:
            items = tuple(item for item in self.items if item.kind == kind.name
                          and not (in_email and self.email_mode(item) == WEB_ONLY))
            if items:
                groups.append(Group(kind, items))
        return tuple(groups)


@dataclass(frozen=True)
class Site:
    config: Config
    bulletins: tuple[Bulletin, ...]  # newest first
    _positions: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.bulletins, key=lambda b: (b.date, b.slug), reverse=True))
        object.__setattr__(self, "bulletins", ordered)
        # Each issue's place, by slug (see neighbours): worked out from them, never passed in.
        object.__setattr__(self, "_positions", {b.slug: i for i, b in enumerate(ordered)})

    def published(self) -> Site:
        """The site without drafts: all that the archive, feed, sitemap and search may list."""
        return Site(self.config, tuple(
            replace(bulletin, items=tuple(item for item in bulletin.items if not item.draft))
            for bulletin in self.bulletins if not bulletin.draft))

    def neighbours(self, bulletin: Bulletin) -> tuple[Bulletin | None, Bulletin | None]:
        """The previous (older) and next (newer) issue; a published one never links a draft.

        Found by slug, so an issue in full finds its place in a site of outlines; through
        an index, so that a process rendering one issue touches two others, not the whole
        archive (every object touched is a page of memory copied in a forked process)."""
        position = self._positions.get(bulletin.slug)
        if position is None:
            raise ValueError(f"{bulletin.slug} is not an issue of this site")
        newer = next((other for other in reversed(self.bulletins[:position])
                      if not other.draft), None)
        older = next((other for other in self.bulletins[position + 1:] if not other.draft), None)
        return older, newer

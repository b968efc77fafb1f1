"""Turn one issue folder into a validated Bulletin."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bulletin_gen.config import schema
from bulletin_gen.config.schema import Field
from bulletin_gen.config.settings import Config
from bulletin_gen.errors import ContentError, ContentErrors
from bulletin_gen.markdown import gfm
from bulletin_gen.markdown.convert import render_markdown, without_leftovers
from bulletin_gen.markdown.guard import MarkdownTooComplex, render_checked
from bulletin_gen.model import EMAIL_MODES, FULL, Author, Bulletin, Image, Item, Site
from bulletin_gen.sources.discover import INDEX_FILE, BulletinSource, discover
from bulletin_gen.sources.frontmatter import SourceFile, parse_source, read_text
from bulletin_gen.sources.images import PICTURE_SUFFIXES, read_image
from bulletin_gen.sources.paths import PathProblem, links_leading_out, resolve_source
from bulletin_gen.sources.sanitize import sanitize_html

BULLETIN_FIELDS = {
    "title": Field(schema.text, required=True),
    "date": Field(schema.date, required=True),
    "preheader": Field(schema.text),
    "banner": Field(schema.text),
    "banner_alt": Field(schema.text),
    "author": Field(schema.mapping("a mapping with name, role, email...")),
    "sign_off": Field(schema.paragraph),
    "draft": Field(schema.boolean),
    "email": Field(schema.one_of(*EMAIL_MODES)),  # the default for the issue's items
}
AUTHOR_FIELDS = {
    "name": Field(schema.text, required=True),
    "role": Field(schema.text),
    "email": Field(schema.email),
    "signature": Field(schema.text),
    "signature_alt": Field(schema.text),
}
ITEM_FIELDS = {
    "kind": Field(schema.text, required=True),
    "title": Field(schema.text, required=True),
    "image": Field(schema.text),
    "image_alt": Field(schema.text),
    "link": Field(schema.url),
    "link_text": Field(schema.text),
    "draft": Field(schema.boolean),
    "email": Field(schema.one_of(*EMAIL_MODES)),  # full, teaser or web-only
}
KIND_FIELDS = {
    "event": {
        "starts": Field(schema.date_or_datetime),
        "ends": Field(schema.date_or_datetime),
        "when": Field(schema.text),
        "location": Field(schema.text),
        "register": Field(schema.url),
        "register_text": Field(schema.text),
    },
    "member": {
        "member": Field(schema.text, required=True),
        "member_url": Field(schema.url),
    },
}
LOCAL_URL_RE = re.compile(r'\b(src|href)="([^"]*)"')
NUMBER_PREFIX_RE = re.compile(r"^\d+[-_.]?")
SLUG_BREAK_RE = re.compile(r"[\W_]+")  # anything but letters and digits


def load_bulletin(source: BulletinSource, config: Config) -> Bulletin:
    """Read, validate and convert an issue and its items; raise every error at once."""
    errors: list[ContentError] = []
    images: list[Image] = []
    index_rel = _rel(source.index, config)
    bulletin_values: dict[str, Any] = {}
    index_file: SourceFile | None = None
    real_folder = source.folder.resolve()
    try:
        index_file = parse_source(read_text(source.index, index_rel, config.root, real_folder),
                                  index_rel)
        errors.extend(index_file.errors)
        bulletin_values, found = schema.validate_fields(index_file.meta, BULLETIN_FIELDS,
                                                        index_rel, index_file.lines)
        errors.extend(found)
    except ContentError as error:
        errors.append(error)

    items = []
    for path in source.items:
        try:
            item = _load_item(path, source, config, images, real_folder)
        except ContentErrors as found:
            errors.extend(found.errors)
            continue
        except ContentError as error:
            errors.append(error)
            continue
        if not item.draft or config.drafts:
            items.append(item)

    if index_file is None:
        raise ContentErrors(errors)
    collector = _Images(source, config, index_file, errors, images)
    banner = collector.image("banner", "banner_alt", bulletin_values)
    author = _author(bulletin_values, index_file, collector, errors)
    intro_html = collector.markdown(index_file.body, index_file.body_line, gfm.INTRO, "issue")
    sign_off = bulletin_values.get("sign_off", "")
    sign_off_html = collector.markdown(sign_off, index_file.lines.get("sign_off", 1), gfm.INTRO,
                                       "sign-off") if sign_off else ""
    errors.extend(_clashing_anchors(items))
    if errors:
        raise ContentErrors(errors)
    return Bulletin(
        slug=source.slug,
        path=index_rel,
        title=bulletin_values["title"],
        date=bulletin_values["date"],
        preheader=bulletin_values.get("preheader"),
        intro_html=intro_html,
        items=tuple(items),
        banner=banner,
        author=author,
        sign_off_html=sign_off_html,
        draft=bulletin_values.get("draft", False),
        images=tuple(_unique_images(images)),
        email=bulletin_values.get("email", FULL),
    )


def _clashing_anchors(items: list[Item]) -> list[ContentError]:
    """Two items whose names differ only in their number share an anchor, and an event
    its calendar file: refused here, so that `check` and `build` say so alike."""
    errors = []
    seen: dict[str, str] = {}
    for item in items:
        if item.anchor in seen:
            errors.append(ContentError(item.path, 1, f"same file name as {seen[item.anchor]}:1 "
                                       "after its number: their anchors would clash; "
                                       "rename one of them"))
        seen[item.anchor] = item.path
    return errors


def load_site(config: Config, slugs: tuple[str, ...] = ()) -> Site:
    """Discover and load every issue, collecting the errors of all of them."""
    errors: list[ContentError] = links_leading_out(config)
    bulletins: list[Bulletin] = []
    for source in discover(config, slugs):
        try:
            bulletin = load_bulletin(source, config)
        except ContentErrors as found:
            errors.extend(found.errors)
            continue
        if not bulletin.draft or config.drafts:
            bulletins.append(bulletin)
    if errors:
        raise ContentErrors(errors)
    return Site(config, tuple(bulletins))


def render_body(markdown_text: str, headings: gfm.Headings = gfm.AS_WRITTEN,
                ids: str = "") -> str:
    """Markdown to sanitised HTML; MarkdownTooComplex for a body the parser would choke on.

    headings and ids: as render_markdown takes them.
    """
    return render_checked(
        lambda text: sanitize_html(without_leftovers(render_markdown(text, headings, ids))),
        markdown_text)


def _load_item(path: Path, source: BulletinSource, config: Config,
               images: list[Image], real_folder: Path) -> Item:
    rel = _rel(path, config)
    file = parse_source(read_text(path, rel, config.root, real_folder), rel)
    errors: list[ContentError] = list(file.errors)
    kind_name = file.meta.get("kind")
    if isinstance(kind_name, (int, float)) and not isinstance(kind_name, bool):
        kind_name = str(kind_name)  # `kind: 5`: an unknown kind, said as such
    fields = dict(ITEM_FIELDS)
    if isinstance(kind_name, str) and config.kind(kind_name) is None:
        allowed = ", ".join(kind.name for kind in config.kinds)
        errors.append(ContentError(rel, file.lines.get("kind", 1),
                                   f"'kind': unknown kind {kind_name!r}; "
                                   f"expected one of {allowed}"))
    elif isinstance(kind_name, str):
        fields.update(KIND_FIELDS.get(kind_name, {}))
    values, found = schema.validate_fields(file.meta, fields, rel, file.lines)
    errors.extend(found)
    if "link" in values and "link_text" not in values:
        errors.append(ContentError(rel, file.lines.get("link"),
                                   "'link_text' is required with 'link': the button's words"))
    if "register_text" in values and "register" not in values:
        errors.append(ContentError(rel, file.lines.get("register_text"),
                                   "'register_text' given without 'register': it is the words "
                                   "of the register button"))
    if kind_name == "event":
        errors.extend(_check_event_dates(values, file, rel, config))

    collector = _Images(source, config, file, errors, images)
    image = collector.image("image", "image_alt", values)
    slug = _item_slug(path)
    body_html = collector.markdown(file.body, file.body_line, gfm.ITEM, f"{kind_name}-{slug}")
    if errors:
        raise ContentErrors(errors)
    return Item(
        path=rel,
        slug=slug,
        kind=values["kind"],
        title=values["title"],
        body_html=body_html,
        image=image,
        link=values.get("link"),
        link_text=values.get("link_text"),
        draft=values.get("draft", False),
        email=values.get("email"),
        starts=_in_zone(values.get("starts"), config),
        ends=_in_zone(values.get("ends"), config),
        when=values.get("when"),
        location=values.get("location"),
        register=values.get("register"),
        register_text=values.get("register_text"),
        member=values.get("member"),
        member_url=values.get("member_url"),
    )


def _check_event_dates(values: dict[str, Any], file: SourceFile, rel: str,
                       config: Config) -> list[ContentError]:
    errors = []
    starts, ends = values.get("starts"), values.get("ends")
    if "starts" not in file.meta and "when" not in file.meta:
        errors.append(ContentError(rel, 1, "an event needs 'starts' (an ISO date or date-time) "
                                   "or, while it has no date, 'when' (free text)"))
    if "starts" in file.meta and "when" in file.meta:
        errors.append(ContentError(rel, file.lines.get("when"),
                                   "'when' is for events without a date: use 'starts' or 'when', "
                                   "not both"))
    if "ends" in file.meta and "starts" not in file.meta:
        errors.append(ContentError(rel, file.lines.get("ends"), "'ends' needs 'starts'"))
    if (starts is not None and ends is not None
            and _sort_key(ends, config) < _sort_key(starts, config)):
        errors.append(ContentError(rel, file.lines.get("ends"),
                                   f"'ends' ({ends.isoformat()}) is before 'starts' "
                                   f"({starts.isoformat()})"))
    return errors


def _sort_key(value: dt.date | dt.datetime, config: Config) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time())


def _in_zone(value: dt.date | dt.datetime | None, config: Config) -> dt.date | dt.datetime | None:
    """Read a naive date-time in the site's time zone."""
    import zoneinfo

    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=zoneinfo.ZoneInfo(config.timezone))
    return value


def _author(values: dict[str, Any], file: SourceFile, collector: _Images,
            errors: list[ContentError]) -> Author | None:
    raw = values.get("author")
    if raw is None:
        return None
    clean, found = schema.validate_fields(raw, AUTHOR_FIELDS, file.path, file.lines,
                                          prefix="author.",
                                          default_line=file.lines.get("author", 1))
    errors.extend(found)
    if found:
        return None
    signature = collector.image("signature", "signature_alt", clean, prefix="author.",
                                default_alt=f"Signature of {clean['name']}")
    return Author(clean["name"], clean.get("role"), clean.get("email"), signature)


class _Images:
    """Resolves the pictures and local links of one source file, collecting errors."""

    def __init__(self, source: BulletinSource, config: Config, file: SourceFile,
                 errors: list[ContentError], images: list[Image]) -> None:
        self.source, self.config, self.file = source, config, file
        self.errors, self.images = errors, images

    def image(self, key: str, alt_key: str, values: dict[str, Any], prefix: str = "",
              default_alt: str | None = None) -> Image | None:
        raw = values.get(key)
        line = self.file.lines.get(f"{prefix}{key}")
        if raw is None:
            if alt_key in values:
                self.errors.append(ContentError(self.file.path, self.file.lines.get(
                    f"{prefix}{alt_key}"), f"'{prefix}{alt_key}' given without '{prefix}{key}'"))
            return None
        alt = values.get(alt_key, default_alt)
        if alt is None:
            self.errors.append(ContentError(self.file.path, line,
                                            f"'{prefix}{alt_key}' is required with '{prefix}{key}':"
                                            " describe the picture for readers who cannot see it"))
        return self._resolve(raw, alt or "", line, picture=True)

    def markdown(self, markdown_text: str, first_line: int, headings: gfm.Headings,
                 ids: str) -> str:
        """Render a Markdown body to safe HTML with its local links pointed at their copies
        (headings and ids: as render_markdown takes them)."""
        try:
            html_text = render_body(markdown_text, headings, ids)
        except MarkdownTooComplex as problem:
            self.errors.append(ContentError(self.file.path, first_line + problem.line_offset,
                                            str(problem)))
            return ""
        return self.body(html_text, markdown_text, first_line)

    def body(self, html_text: str, markdown_text: str, first_line: int) -> str:
        """Point local links and pictures in a body at their published copies."""
        def replace(match: re.Match[str]) -> str:
            attribute, value = match.group(1), html.unescape(match.group(2))
            if not _is_local(value):
                return match.group(0)
            path, _, fragment = value.partition("#")
            line = _line_of(markdown_text, path, first_line)
            image = self._resolve(path, "", line, picture=attribute == "src")
            if image is None:
                return match.group(0)
            target = "/" + image.url_path + (f"#{fragment}" if fragment else "")
            return f'{attribute}="{html.escape(target)}"'
        return substitute_local(replace, html_text)

    def _resolve(self, raw: str, alt: str, line: int | None,
                 picture: bool = False) -> Image | None:
        try:
            file, url_path = resolve_source(raw, self.source.folder, self.config)
            if picture and file.suffix.lower() not in PICTURE_SUFFIXES:
                # Any file may be linked to, but Gmail shows no SVG, and Pillow cannot give
                # the size Outlook needs: a picture is a PNG, JPEG or GIF (EMAIL-FACTS 6).
                raise ValueError(f"picture '{raw}' is not a PNG, JPEG or GIF; email "
                                 "clients such as Gmail do not show SVG or WebP: "
                                 "save it as PNG or JPEG")
            if _takes_a_page_place(url_path, self.source):
                raise ValueError(f"{raw!r} would be published at {url_path}, where the issue's "
                                 "own page, email or calendar file goes: rename the file")
            image = read_image(file, url_path, alt)
        except (PathProblem, ValueError) as problem:
            self.errors.append(ContentError(self.file.path, line, str(problem)))
            return None
        self.images.append(image)
        return image


def substitute_local(replace: Callable[[re.Match[str]], str], html_text: str) -> str:
    """LOCAL_URL_RE.sub(replace, html_text), the pattern tried only where `src="` or
    `href="` starts, as each of its matches does: str.find passes over the prose
    between far faster than the pattern's own search, which tries every character."""
    pieces: list[str] = []
    done = position = 0
    while True:
        src, href = html_text.find('src="', position), html_text.find('href="', position)
        start = min(src, href) if src >= 0 and href >= 0 else max(src, href)
        if start < 0:
            break
        match = LOCAL_URL_RE.match(html_text, start)  # its \b sees the character before
        if match is None:
            position = start + 1
            continue
        pieces += (html_text[done:start], replace(match))
        done = position = match.end()
    return "".join((*pieces, html_text[done:])) if pieces else html_text


# What the build writes in an issue's own folder, besides an event's <item>.ics.
ISSUE_PAGES = frozenset({"index.html", "email.html", "email.txt", "email.eml"})


def _takes_a_page_place(url_path: str, source: BulletinSource) -> bool:
    """Whether a linked file's copy would land where the build writes the issue's pages."""
    folder, _, name = url_path.partition("/")
    if folder != source.slug or "/" in name:
        return False
    return name in ISSUE_PAGES or any(name == f"{_item_slug(path)}.ics" for path in source.items)


def _item_slug(path: Path) -> str:
    """The file name after its number, as letters, digits and hyphens: its anchors, its
    calendar file's name and its search link are made of it (`99 Space.md` -> space)."""
    name = NUMBER_PREFIX_RE.sub("", path.stem) or path.stem
    return SLUG_BREAK_RE.sub("-", name.lower()).strip("-") or "item"


def _is_local(value: str) -> bool:
    if not value or value.startswith(("#", "//", "/")):
        return False
    return ":" not in value.split("/")[0] and not value.startswith(("*|", "{{", "%%", "["))


def _line_of(text: str, needle: str, first_line: int) -> int:
    for offset, line in enumerate(text.split("\n")):
        if needle in line:
            return first_line + offset
    return first_line


def _rel(path: Path, config: Config) -> str:
    # path.relative_to(config.root).as_posix(), which parses config.root again on every
    # call: a path under the root (every source) is the rest of its parts.
    parts, root = path.parts, config.root.parts
    if root and len(parts) > len(root) and parts[:len(root)] == root:
        return "/".join(parts[len(root):])
    return path.relative_to(config.root).as_posix()


def _unique_images(images: list[Image]) -> list[Image]:
    seen: dict[str, Image] = {}
    for image in images:
        seen.setdefault(image.url_path, image)
    return [seen[key] for key in sorted(seen)]


__all__ = ["load_bulletin", "INDEX_FILE"]

"""Rules about what the editor wrote: pictures, preheader, subject, events, leftovers."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from bulletin_gen.commands.lint.base import ERROR, WARNING, Problem, rule
from bulletin_gen.commands.lint.context import IssueContext
from bulletin_gen.commands.lint.htmlscan import scan_html
from bulletin_gen.model import Image
from bulletin_gen.sources.sanitize import body_removals, url_scheme

USELESS_ALTS = {"image", "picture", "photo", "photograph", "img", "graphic", "banner", "logo",
                "icon", "screenshot", "untitled", "alt", "alt text", "placeholder"}
FILE_NAME_RE = re.compile(r"^[\w.-]+\.(png|jpe?g|gif|webp|svg|bmp|tiff?)$", re.IGNORECASE)
CAMERA_NAME_RE = re.compile(r"^(img|dsc|dscn|pxl|image|photo|screenshot)[\s_-]?\d+$", re.IGNORECASE)
LEFTOVER_RE = re.compile(r"\bTK\b|\bTODO\b|\bFIXME\b|lorem ipsum", re.IGNORECASE)
PREHEADER_MAX = 100
SUBJECT_MAX = 78
IMAGE_MAX_BYTES = 1024 * 1024
IMAGE_MAX_WIDTH = 2400


def useless_alt(alt: str, source: str = "") -> bool:
    """True for alt text that tells a reader nothing: "image", a file name."""
    words = alt.strip().lower().rstrip(".")
    stem = PurePosixPath(source).stem.lower()
    return (words in USELESS_ALTS or bool(FILE_NAME_RE.match(words))
            or bool(CAMERA_NAME_RE.match(words)) or (bool(stem) and words == stem))


def _pictures(context: IssueContext) -> Iterator[tuple[str, int | None, str | None, str]]:
    """(path, line, alt, src) of every picture an editor placed, front matter and bodies."""
    bulletin = context.bulletin
    keyed = [(bulletin.path, "banner", bulletin.banner)]
    if bulletin.author:
        keyed.append((bulletin.path, "author.signature", bulletin.author.signature))
    keyed += [(item.path, "image", item.image) for item in bulletin.items]
    for path, key, image in keyed:
        if image is not None:
            alt_key = "author.signature_alt" if key == "author.signature" else f"{key}_alt"
            line = context.key_line(path, alt_key) or context.key_line(path, key)
            yield path, line, image.alt, image.url_path
    bodies = [(bulletin.path, bulletin.intro_html), (bulletin.path, bulletin.sign_off_html)]
    bodies += [(item.path, item.body_html) for item in bulletin.items]
    for path, html in bodies:
        for picture in scan_html(html).pictures:
            name = PurePosixPath(picture.src).name
            found, line = context.locate_link(picture.alt or "", name, prefer=path)
            yield (found if line else path), line, picture.alt, picture.src


@rule("image-alt-missing", ERROR, "describe the picture in its alt text")
def image_alt_missing(context: IssueContext) -> Iterator[Problem]:
    for path, line, alt, src in _pictures(context):
        if not (alt or "").strip():
            yield Problem(path, line, f"picture {PurePosixPath(src).name} has no alt text")


@rule("image-alt-useless", WARNING, "say what the picture shows")
def image_alt_useless(context: IssueContext) -> Iterator[Problem]:
    for path, line, alt, src in _pictures(context):
        if alt and alt.strip() and useless_alt(alt, src):
            yield Problem(path, line, f"alt text {alt!r} of {PurePosixPath(src).name} "
                          "tells a reader nothing")


@rule("preheader-missing", WARNING, "add a 'preheader:' line")
def preheader_missing(context: IssueContext) -> Iterator[Problem]:
    if not context.bulletin.preheader:
        yield Problem(context.bulletin.path, 1, "no preheader: inboxes will show the "
                      "first words of the email after the subject instead")


@rule("preheader-long", WARNING, f"cut it to {PREHEADER_MAX} characters")
def preheader_long(context: IssueContext) -> Iterator[Problem]:
    preheader = context.bulletin.preheader or ""
    if len(preheader) > PREHEADER_MAX:
        yield Problem(context.bulletin.path, context.key_line(context.bulletin.path, "preheader"),
                      f"preheader is {len(preheader)} characters; inboxes show about "
                      f"{PREHEADER_MAX}")


@rule("subject-long", WARNING, f"shorten the title to {SUBJECT_MAX} characters")
def subject_long(context: IssueContext) -> Iterator[Problem]:
    subject = context.bulletin.title
    if len(subject) > SUBJECT_MAX:
        yield Problem(context.bulletin.path, context.key_line(context.bulletin.path, "title"),
                      f"the subject (the title) is {len(subject)} characters; over "
                      f"{SUBJECT_MAX} it is cut off or folded")


@rule("past-event-register", WARNING, "remove 'register:' or fix the date")
def past_event_register(context: IssueContext) -> Iterator[Problem]:
    issue_date = context.bulletin.date
    for item in context.bulletin.items:
        last = item.ends or item.starts
        if item.register and last is not None:
            day = last.date() if isinstance(last, dt.datetime) else last
            if day < issue_date:
                yield Problem(item.path, context.key_line(item.path, "register"),
                              f"the event was over on {day.isoformat()}, before the issue's "
                              f"date {issue_date.isoformat()}, but still offers registration")


@rule("leftover-marker", ERROR, "finish or remove the placeholder")
def leftover_marker(context: IssueContext) -> Iterator[Problem]:
    for path, lines in context.texts.items():
        if path not in context.sources:
            continue  # site.yaml: not an issue's text
        for number, line in enumerate(lines, start=1):
            for match in LEFTOVER_RE.finditer(line):
                yield Problem(path, number, f"leftover {match.group(0)!r} in the text")


@rule("image-too-large", WARNING, "resize it to 1200 px wide or less")
def image_too_large(context: IssueContext) -> Iterator[Problem]:
    for image in context.bulletin.images:
        problems = _image_size_problems(image)
        if problems:
            path, line = context.locate(PurePosixPath(image.url_path).name)
            yield Problem(path, line, f"picture {image.url_path} is {' and '.join(problems)}")


def _image_size_problems(image: Image) -> list[str]:
    problems = []
    size = os.path.getsize(image.source)
    if size > IMAGE_MAX_BYTES:
        problems.append(f"{size / 1024 / 1024:.1f} MB (over 1 MB)")
    if image.width > IMAGE_MAX_WIDTH:
        problems.append(f"{image.width} px wide (over {IMAGE_MAX_WIDTH} px)")
    return problems


@rule("duplicate-title", WARNING, "give each item its own title")
def duplicate_title(context: IssueContext) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for item in context.bulletin.items:
        key = " ".join(item.title.casefold().split())
        if key in seen:
            yield Problem(item.path, context.key_line(item.path, "title"),
                          f"same title as {seen[key]}: {item.title!r}")
        else:
            seen[key] = item.path


@rule("empty-body", WARNING, "write a sentence or two under the front matter")
def empty_body(context: IssueContext) -> Iterator[Problem]:
    for item in context.bulletin.items:
        if not item.body_html.strip():
            source = context.item_source(item)
            yield Problem(item.path, source.body_line - 1, "the item has no text")


@rule("sanitised", WARNING, "remove it, or write it another way")
def sanitised(context: IssueContext) -> Iterator[Problem]:
    for path, source in context.sources.items():
        markdown = [(source.body, source.body_line)]
        if isinstance(source.meta.get("sign_off"), str):
            markdown.append((source.meta["sign_off"], source.lines.get("sign_off", 1)))
        for text, first_line in markdown:
            for removal in body_removals(text, first_line):
                yield Problem(path, removal.line, removal.message, removal.advice)


@rule("remote-picture", WARNING, "save the picture in the issue's images/ folder instead")
def remote_picture(context: IssueContext) -> Iterator[Problem]:
    for path, line, _, src in _pictures(context):
        if url_scheme(src) in ("http", "https") or src.startswith("//"):
            yield Problem(path, line, f"picture {src} is loaded from another site, which sees "
                          "who opens the email and can change the picture after it is sent")

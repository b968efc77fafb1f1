"""Rules about the rendered email: its links, headings and size."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from bulletin_gen.commands.lint.base import ERROR, WARNING, Problem, rule
from bulletin_gen.commands.lint.context import IssueContext
from bulletin_gen.commands.lint.htmlscan import Link
from bulletin_gen.config.settings import SITE_FILE
from bulletin_gen.mail.budget import FAIL_AT, LIGHTER, WARN_AT
from bulletin_gen.mail.inline import PLACEHOLDER_RE
from bulletin_gen.mail.lighten import heaviest, item_weights
from bulletin_gen.model import TEASER
from bulletin_gen.render.teasers import first_paragraph

GENERIC_LINK_TEXTS = {"click here", "here", "read more", "more", "click", "link", "this link",
                      "this", "learn more", "find out more", "more info", "more information",
                      "details", "go", "read more here", "click here to read more", "see here",
                      "continue reading", "tap here", "this page", "website"}
PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net")
# The build's own thresholds (EMAIL-FACTS 1), so check and build warn at the same size.
SIZE_WARNING, SIZE_LIMIT = WARN_AT, FAIL_AT


def generic_text(text: str) -> bool:
    """True for link text that says nothing about where the link goes."""
    words = re.sub(r"[^\w\s]", "", text.lower()).strip()
    words = " ".join(words.split())
    return words in GENERIC_LINK_TEXTS or words.endswith(" click here")


def placeholder_host(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    if any(host == domain or host.endswith("." + domain) for domain in PLACEHOLDER_DOMAINS):
        return host
    return None


def shown(url: str) -> str:
    """The URL as the editor wrote it: without the tracking parameters the build adds."""
    parts = urlsplit(url)
    query = "&".join(pair for pair in parts.query.split("&")
                     if pair and not pair.startswith("utm_"))
    return parts._replace(query=query).geturl()


def _checked_links(context: IssueContext) -> Iterator[Link]:
    """The email's links with an href that is a URL, not an email service placeholder;
    with those of the items the email gives only in part (`email: teaser` or `web-only`),
    which readers follow from the email to the web page."""
    for link in (*context.email_scan.links, *context.left_out_scan.links):
        if link.href is not None and not PLACEHOLDER_RE.fullmatch(link.href):
            yield link


def _where(context: IssueContext, link: Link) -> tuple[str, int | None]:
    href = link.href or ""
    bare = href.split("#")[0].split("?")[0]
    # A bare `www.` address is linked as http://www...: its source has no scheme.
    written = [bare.removeprefix("http://")] if bare.startswith("http://www.") else []
    return context.locate(href, unquote(href), bare, *written)


@rule("link-text", WARNING, "name where the link leads")
def link_text(context: IssueContext) -> Iterator[Problem]:
    for link in _checked_links(context):
        if link.text and generic_text(link.text):
            path, line = context.locate_link(link.text, link.href or "")
            yield Problem(path, line, f"link text {link.text!r} says nothing about "
                          f"where it leads ({shown(link.href or '')})")


@rule("empty-link", ERROR, "give the link an address and words")
def empty_link(context: IssueContext) -> Iterator[Problem]:
    for link in _checked_links(context):
        if link.href in ("", "#"):
            path, line = context.locate(link.text) if link.text else (context.bulletin.path, None)
            yield Problem(path, line, f"link {link.text!r} has no address")
        elif not link.text:
            path, line = _where(context, link)
            yield Problem(path, line, f"link to {shown(link.href or '')} has no text "
                          "a reader can see")


@rule("relative-link", ERROR, "write the full https:// address")
def relative_link(context: IssueContext) -> Iterator[Problem]:
    for link in _checked_links(context):
        href = link.href or ""
        if href in ("", "#") or href.startswith("#"):
            continue
        parts = urlsplit(href)
        if not parts.scheme:
            path, line = _where(context, link)
            yield Problem(path, line, f"link {shown(href)!r} is relative: it cannot work "
                          "in an email")


@rule("http-link", WARNING, "use https://")
def http_link(context: IssueContext) -> Iterator[Problem]:
    for link in _checked_links(context):
        if urlsplit(link.href or "").scheme == "http":
            path, line = _where(context, link)
            yield Problem(path, line, f"link {shown(link.href or '')} is not secure (http://)")


@rule("placeholder-domain", WARNING, "put in the real address")
def placeholder_domain(context: IssueContext) -> Iterator[Problem]:
    for link in _checked_links(context):
        host = placeholder_host(link.href or "")
        if host:
            path, line = _where(context, link)
            if path == SITE_FILE:
                continue  # an address from site.yaml: the site rule reports it once
            yield Problem(path, line, f"link {shown(link.href or '')} points at the "
                          f"placeholder domain {host}")


@rule("heading-skip", WARNING, "use the next heading level")
def heading_skip(context: IssueContext) -> Iterator[Problem]:
    for scan in (context.email_scan, context.page_scan):
        previous = 0
        for heading in scan.headings:
            if previous and heading.level > previous + 1:
                path, line = context.locate(heading.text)
                yield Problem(path, line, f"heading {heading.text!r} jumps from h{previous} "
                              f"to h{heading.level}")
            previous = heading.level


# Over the limit, the render stage itself refuses the email (budget.py): this warns before.
@rule("email-size", WARNING, LIGHTER)
def email_size(context: IssueContext) -> Iterator[Problem]:
    size = len(context.email_html.encode("utf-8"))
    if SIZE_WARNING < size <= SIZE_LIMIT:
        weights = item_weights(context.email_html, context.bulletin, context.config.kinds)
        most = f"; heaviest items: {heaviest(weights)}" if weights else ""
        yield Problem(context.bulletin.path, 1, f"the email is {size / 1000:.0f} KB, close "
                      f"to the {SIZE_LIMIT // 1000} KB at which Gmail clips it{most}")


@rule("teaser-empty", WARNING, "start the body with a paragraph, or give the item `email: full`")
def teaser_empty(context: IssueContext) -> Iterator[Problem]:
    bulletin = context.bulletin
    for item in bulletin.items:
        if (bulletin.email_mode(item) == TEASER and item.kind != "event"
                and not first_paragraph(item.body_html)):
            yield Problem(item.path, context.key_line(item.path, "email") or 1,
                          "with `email: teaser` the email shows only this item's title: "
                          "its body does not start with a paragraph")

"""Links in the email: every URL absolute, UTM parameters on the publication's own domains."""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bulletin_gen.config.settings import Config
from bulletin_gen.mail.inline import PLACEHOLDER_RE

# The value of an href or src attribute: `="..."` just after \bhref or \bsrc. Written to
# start with the literal `="`, which the regex engine skips to, and the name checked by a
# look-behind: a pattern starting with \b had it try a match at every position of a
# ~60 KB email, which was half the time finishing its links took.
HREF_RE = re.compile(r'="(?:(?<=\bhref=")|(?<=\bsrc="))([^"]*)"')
# A URL written out in plain text: up to whitespace or the `>` of `<url>`.
TEXT_URL_RE = re.compile(r"https?://[^\s<>\"]+")
TRAILING_PUNCTUATION = ".,;:!?)]'"
UNTOUCHED_SCHEMES = ("mailto:", "tel:", "sms:", "cid:", "data:")


@dataclass(frozen=True)
class LinkPolicy:
    """How to finish the links of one issue's email."""

    base_url: str
    utm: tuple[tuple[str, str], ...]  # (name, value), in the order they are added
    domains: tuple[str, ...]
    keep: frozenset[str] = frozenset()  # URLs left exactly as they are (the unsubscribe link)

    @classmethod
    def for_issue(cls, config: Config, slug: str, keep: tuple[str, ...] = ()) -> LinkPolicy:
        settings = config.email
        pairs = (("utm_source", settings.utm_source), ("utm_medium", settings.utm_medium),
                 ("utm_campaign", settings.utm_campaign or slug))
        # Without a source there is no campaign to report: UTM is off unless configured.
        utm = tuple((k, v) for k, v in pairs if v) if settings.utm_source else ()
        domains = tuple(d.lower().lstrip(".") for d in settings.utm_domains)
        return cls(config.base_url, utm, domains, frozenset(keep))


# An issue's URLs recur: in the email's HTML and again in its text, the same footer and
# calendar links on every item. A pure function of its arguments, so worth remembering.
@functools.lru_cache(maxsize=4096)
def finish_url(url: str, policy: LinkPolicy) -> str:
    """An absolute URL, with UTM parameters when it points at one of the listed domains."""
    stripped = url.strip()
    if (not stripped or stripped.startswith("#") or stripped in policy.keep
            or stripped.lower().startswith(UNTOUCHED_SCHEMES) or is_placeholder(stripped)):
        return url
    absolute = urljoin(policy.base_url, stripped)
    return add_utm(absolute, policy)


def add_utm(url: str, policy: LinkPolicy) -> str:
    """Append the UTM parameters to a URL on a listed domain; never replace the editor's own."""
    if not policy.utm or not policy.domains:
        return url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not any(
            host == domain or host.endswith("." + domain) for domain in policy.domains):
        return url
    if not parts.query:  # all the parameters, encoded once per issue
        return urlunsplit(parts._replace(query=_encoded(policy.utm)))
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {name for name, _ in query}
    added = [(name, value) for name, value in policy.utm if name not in present]
    if not added:
        return url
    return urlunsplit(parts._replace(query=f"{parts.query}&{urlencode(added)}"))


@functools.lru_cache(maxsize=64)
def _encoded(pairs: tuple[tuple[str, str], ...]) -> str:
    return urlencode(pairs)


def is_placeholder(url: str) -> bool:
    return bool(PLACEHOLDER_RE.search(url)) or url.startswith(("[", "<"))


def finish_html_links(document: str, policy: LinkPolicy) -> str:
    """Finish every href and src of an HTML document (values are HTML-escaped)."""
    def replace(match: re.Match[str]) -> str:
        value = match.group(1)
        href = document[match.start() - 1] == "f"  # which look-behind held: href or src
        if href and value.startswith("#"):
            return match.group(0)  # as finish_url leaves a link within the page
        raw = html.unescape(value)
        if not href:
            finished = raw if is_placeholder(raw) else urljoin(policy.base_url, raw)
        else:
            finished = finish_url(raw, policy)
        if finished == raw:
            return match.group(0)
        return f'="{html.escape(finished)}"'
    return HREF_RE.sub(replace, document)


def finish_text_links(text: str, policy: LinkPolicy) -> str:
    """Add the UTM parameters to URLs written out in the plain text."""
    def replace(match: re.Match[str]) -> str:
        url = match.group(0)
        trail = ""
        while url and url[-1] in TRAILING_PUNCTUATION:
            url, trail = url[:-1], url[-1] + trail
        return finish_url(url, policy) + trail
    return TEXT_URL_RE.sub(replace, text)

"""What the archive adds to the issues: the events listing, calendar links, the search index."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import jinja2

from bulletin_gen.incremental.fragments import cached
from bulletin_gen.model import Bulletin, Item, Site
from bulletin_gen.render import ics
from bulletin_gen.render.dates import long_date

SEARCH_INDEX = "search-index.js"
TAG_RE = re.compile(r"<[^>]+>")
WORD_RE = re.compile(r"[^\W_]+")
# Every ASCII character WORD_RE does not match, as a space: in ASCII text, what is left
# between spaces is WORD_RE's words, found several times faster than by the regex.
ASCII_SEPARATORS = str.maketrans({chr(code): " " for code in range(128)
                                  if not WORD_RE.fullmatch(chr(code))})
SNIPPET_WORDS = 30


@dataclass(frozen=True)
class CalendarLinks:
    ics: str  # the .ics file, relative or absolute as the page's url() makes it
    google: str


@jinja2.pass_context
def calendar_links(context: Any, bulletin: Bulletin, item: Item) -> CalendarLinks | None:
    """"Add to calendar" links for an upcoming event; None for a recap or an undated one.

    A Jinja global: the .ics link goes through the page's own url(), so it is relative
    on a web page and absolute in the email and the plain text.
    """
    if not ics.is_upcoming(bulletin, item):
        return None
    return CalendarLinks(ics=context["url"](ics.ics_path(bulletin, item)),
                         google=ics.google_calendar_url(context["config"], bulletin, item))


@dataclass(frozen=True)
class EventEntry:
    bulletin: Bulletin  # the newest issue that announced the event
    item: Item

    @property
    def sort_key(self) -> tuple[dt.date, dt.time]:
        starts = self.item.starts
        if isinstance(starts, dt.datetime):
            return starts.date(), starts.time()
        return (starts or self.bulletin.date), dt.time()


@dataclass(frozen=True)
class EventListing:
    today: dt.date  # what "upcoming" is measured from
    upcoming: tuple[EventEntry, ...]  # soonest first
    past: tuple[EventEntry, ...]  # newest first
    undated: tuple[EventEntry, ...]  # announced with `when` only, newest issue first


def reference_date(site: Site) -> dt.date:
    """The day the archive speaks from: SOURCE_DATE_EPOCH if set, else the newest issue's date.

    Never the clock, so a build repeats to the byte.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return site.bulletins[0].date if site.bulletins else dt.date(1970, 1, 1)


def event_listing(site: Site, today: dt.date | None = None) -> EventListing:
    """Every event in the archive, each once (the same title and start in several issues
    is one event, shown from the newest issue that mentions it); upcoming from today,
    by default the site's reference_date."""
    today = reference_date(site) if today is None else today
    seen: set[tuple[str, str]] = set()
    dated: list[EventEntry] = []
    undated: list[EventEntry] = []
    for bulletin in site.bulletins:  # newest first, so the newest mention wins
        for item in bulletin.items:
            if item.kind != "event":
                continue
            key = (item.title.casefold(), str(item.starts or ""))
            if key in seen:
                continue
            seen.add(key)
            (dated if item.starts else undated).append(EventEntry(bulletin, item))
    dated.sort(key=lambda entry: entry.sort_key)
    upcoming = tuple(e for e in dated if e.sort_key[0] > today)
    past = tuple(reversed([e for e in dated if e.sort_key[0] <= today]))
    return EventListing(today, upcoming, past, tuple(undated))


def readable_text(fragment: str) -> str:
    """The readable text of an HTML fragment, its whitespace as it is: what is read of it
    is its words (a snippet splits them off, the search terms are made of them)."""
    return html.unescape(TAG_RE.sub(" ", fragment))


def search_terms(text: str) -> str:
    """Distinct words, lower-cased and without accents, as the search script compares them."""
    folded = text.lower()
    if folded.isascii():  # no accents: the words are the runs of letters and digits
        return " ".join(sorted(set(folded.translate(ASCII_SEPARATORS).split())))
    # Each distinct whitespace-separated token folded once, not every character of the
    # text: the same terms (no fold crosses whitespace), many times faster on a big archive;
    # and only the tokens that are not ASCII (an ASCII token folds to itself).
    tokens = set(folded.split())
    accented = unicodedata.normalize("NFKD", " ".join(t for t in tokens if not t.isascii()))
    accented = "".join(char for char in accented if not unicodedata.combining(char))
    plain = " ".join(t for t in tokens if t.isascii())
    return " ".join(sorted(set(WORD_RE.findall(f"{plain} {accented}"))))


def _snippet(text: str) -> str:
    # Split off the first words only: the rest (most of an item) is one piece, unsplit.
    words = text.split(None, SNIPPET_WORDS)
    return " ".join(words[:SNIPPET_WORDS]) + (" …" if len(words) > SNIPPET_WORDS else "")


def issue_entries(bulletin: Bulletin) -> list[dict[str, str]]:
    """The search entries of one issue: they depend on it alone, so a build keeps them."""
    intro = readable_text(bulletin.intro_html)
    date = long_date(bulletin.date)
    entries = [{
        "url": f"{bulletin.slug}/", "title": bulletin.title, "issue": "", "date": date,
        "text": _snippet(bulletin.preheader or intro),
        "terms": search_terms(f"{bulletin.title} {bulletin.preheader or ''} {intro}"),
    }]
    for item in bulletin.items:
        body = readable_text(item.body_html)
        extra = " ".join(filter(None, (item.location, item.member, item.when)))
        entries.append({
            "url": f"{bulletin.slug}/#{item.anchor}", "title": item.title,
            "issue": bulletin.title, "date": date, "text": _snippet(body),
            "terms": search_terms(f"{item.title} {extra} {body}"),
        })
    return entries


def search_index(site: Site) -> Iterator[str]:
    """The search index as a script, so search works from the files alone, even from disk
    (a page opened as file:// may not fetch() a JSON file); in parts, an issue's entries
    each, as it is written (at a thousand issues it is some 25 MB)."""
    yield "window.bulletinSearchIndex = ["
    first = True
    for bulletin in site.bulletins:
        entries = cached(bulletin, "search index entries", partial(_entries_json, bulletin))
        if entries:
            yield entries if first else f",{entries}"
            first = False
    yield "];\n"


def _entries_json(bulletin: Bulletin) -> str:
    """An issue's search entries, as the index writes them (kept as text: smaller)."""
    return ",".join(json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                    for entry in issue_entries(bulletin))

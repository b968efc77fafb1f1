"""The text of scaffolded files: front matter with every key explained in a comment."""

from __future__ import annotations

import datetime as dt
import json

TK_BODY = "TK: write the item here, in Markdown. The title is shown above it; don't repeat it.\n"

# (key, comment, example) for each field; an example of None means the key is written
# out with a value by the caller, any other example is offered as a commented-out line.
COMMON_FIELDS = (
    ("image", "a picture in this issue's images/ folder (PNG or JPEG)", "images/picture.png"),
    ("image_alt", "what the picture shows, for readers who cannot see it (required "
     "with image)", '"Describe the picture"'),
    ("link", "a call to action, drawn as a button: the address it opens",
     "https://www.example.org/more"),
    ("link_text", "the button's words: say where it leads, never \"click here\"",
     '"Read the full report"'),
    ("draft", "true keeps the item out of `bulletin build` until it is ready", "true"),
    ("email", "how the item goes into the email: full (the default), teaser (its title, "
     "first paragraph and a link to it on the web page; an event: one line) or web-only "
     "(on the web page only); it keeps a long issue under Gmail's 102 KB clip", "full"),
)
EVENT_FIELDS = (
    ("starts", "when it starts: an ISO date or date-time in the site's time zone "
     "(use it instead of when once the date is fixed)", "2024-07-20T18:00"),
    ("ends", "when it ends (optional, after starts)", "2024-07-20T21:00"),
    ("location", "a place, or online", "online"),
    ("register", "the page where readers sign up (https://...)",
     "https://www.example.org/register"),
    ("register_text", "the register button's words (default: Register for <the title>)",
     '"Book your place"'),
)
MEMBER_FIELDS = (
    ("member_url", "the member organisation's website", "https://www.example.org/"),
)
# The explanations of the keys a scaffold writes out with a value.
KIND_HINT = "it decides the item's group and look"
TITLE_HINT = "the item's heading, in the email and on the web page"
WHEN_HINT = 'for an event without a date yet, free text such as "autumn 2024"'
MEMBER_HINT = "the member organisation's name"
BULLETIN_HINTS = {
    "title": "the email's subject and the page's title (under 78 characters)",
    "date": "the issue's date; it orders the archive",
    "preheader": "the line an inbox shows after the subject (under 100 characters)",
    "banner": "a picture at the top, in images/, with banner_alt describing it",
    "author": "who signs the issue (name, role, email, signature picture)",
    "draft": "remove this line when the issue is ready to publish",
}


def item_hints() -> dict[str, str]:
    """Every item key's explanation, in the words the scaffold writes above it."""
    hints = {key: comment for key, comment, _ in (*EVENT_FIELDS, *MEMBER_FIELDS, *COMMON_FIELDS)}
    return {"kind": KIND_HINT, "title": TITLE_HINT, "when": WHEN_HINT, "member": MEMBER_HINT,
            **hints}


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def item_text(kind: str, kinds: tuple[str, ...], title: str, body: str = TK_BODY,
              starts: dt.date | None = None, member: str = "TK") -> str:
    """An item file for a kind: the required keys filled in, the optional ones explained."""
    lines = ["---",
             f"# kind: one of {', '.join(kinds)}; {KIND_HINT}.",
             f"kind: {kind}",
             f"# title: {TITLE_HINT}.",
             f"title: {quoted(title)}"]
    optional = list(COMMON_FIELDS)
    if kind == "event":
        if starts is None:
            lines += [f"# when: {WHEN_HINT}.", 'when: "TK"']
        else:
            lines += [f"# {EVENT_FIELDS[0][0]}: {EVENT_FIELDS[0][1]}.",
                      f"starts: {_iso(starts)}"]
        optional = [*[f for f in EVENT_FIELDS if starts is None or f[0] != "starts"], *optional]
    elif kind == "member":
        lines += [f"# member: {MEMBER_HINT}.", f"member: {quoted(member)}"]
        optional = [*MEMBER_FIELDS, *optional]
    for key, comment, example in optional:
        if key == "ends" and starts is not None:  # an example that ends after the start
            example = _iso(starts + dt.timedelta(hours=3) if isinstance(starts, dt.datetime)
                           else starts + dt.timedelta(days=1))
        lines += [f"# {key}: {comment}.", f"# {key}: {example}"]
    lines += ["---", body.rstrip("\n"), ""]
    return "\n".join(lines)


def _iso(moment: dt.date) -> str:
    return f"{moment:%Y-%m-%dT%H:%M}" if isinstance(moment, dt.datetime) else moment.isoformat()


def bulletin_text(title: str, date: dt.date, author_block: str, draft: bool,
                  intro: str = "TK: your introduction, in Markdown.",
                  preheader: str = "TK", email: str | None = None) -> str:
    """A bulletin.md with the issue's keys explained; email: the `email:` to set, if any
    (the last issue's, so that a long weekly stays under the clip)."""
    lines = ["---",
             f"# title: {BULLETIN_HINTS['title']}.",
             f"title: {quoted(title)}",
             f"# date: {BULLETIN_HINTS['date']}.",
             f"date: {date.isoformat()}",
             f"# preheader: {BULLETIN_HINTS['preheader']}.",
             f"preheader: {quoted(preheader)}",
             f"# banner: {BULLETIN_HINTS['banner']}.",
             "# banner: images/banner.png",
             '# banner_alt: "Describe the banner"']
    if author_block:
        lines += [f"# author: {BULLETIN_HINTS['author']}.",
                  author_block.rstrip("\n")]
    lines += ["# email: how the items go into the email unless one says otherwise: full, "
              "teaser (title,", "# first paragraph and a link to the web page) or web-only; "
              "teaser keeps a long issue", "# under Gmail's 102 KB clip (README: Long issues).",
              f"email: {email}" if email else "# email: full"]
    if draft:
        lines += [f"# draft: {BULLETIN_HINTS['draft']}.",
                  "draft: true"]
    lines += ["---", intro.rstrip("\n"), ""]
    return "\n".join(lines)

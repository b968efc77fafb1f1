"""Decap CMS widgets for the schema's fields: one place says how each key is edited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bulletin_gen.commands.scaffold.texts import BULLETIN_HINTS, item_hints
from bulletin_gen.config import schema
from bulletin_gen.config.schema import Field
from bulletin_gen.sources.load import AUTHOR_FIELDS, BULLETIN_FIELDS, ITEM_FIELDS, KIND_FIELDS

Widget = dict[str, Any]

# What schema.url accepts, as a pattern the form can check before saving.
URL_PATTERN = [r"^(https?://[^\s/]+\S*|mailto:[^@\s]+@[^@\s]+\.[^@\s]+)$",
               "an address starting with https:// (or mailto:)"]
EMAIL_PATTERN = [r"^[^@\s]+@[^@\s]+\.[^@\s]+$", "an e-mail address like name@example.org"]
# schema.date_or_datetime reads both; the form writes a date-time without seconds, as the
# README's examples do (2022-07-20T10:00), in the site's time zone (no offset, no UTC).
DATETIME = {"widget": "datetime", "format": "YYYY-MM-DDTHH:mm", "date_format": "D MMMM YYYY",
            "time_format": "HH:mm", "picker_utc": False}
DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "D MMMM YYYY",
        "time_format": False, "picker_utc": False}

# A widget for each kind of value the schema checks; keys needing more are below.
BY_CHECK: dict[Callable[[Any], Any], Widget] = {
    schema.text: {"widget": "string"},
    schema.url: {"widget": "string", "pattern": URL_PATTERN},
    schema.email: {"widget": "string", "pattern": EMAIL_PATTERN},
    schema.boolean: {"widget": "boolean"},
    schema.date: DATE,
    schema.date_or_datetime: DATETIME,
}
# Pictures are chosen from (or uploaded to) the issue's images/ folder.
PICTURE = {"widget": "image", "choose_url": False}
BY_KEY: dict[str, Widget] = {
    "image": PICTURE,
    "banner": PICTURE,
    "sign_off": {"widget": "text"},
    "author": {"widget": "object", "collapsed": False},
}
LABELS = {"image_alt": "Picture description (alt text)", "link": "Button link",
          "link_text": "Button words", "member_url": "Member's website",
          "register": "Registration page", "register_text": "Registration button words",
          "email": "In the email", "banner_alt": "Banner description (alt text)",
          "sign_off": "Sign-off", "signature_alt": "Signature description (alt text)"}
# Item keys in the order the form shows them (and a new file holds them): the order
# `bulletin add` explains them in. Keys of a kind that has none are left out.
ITEM_ORDER = ("kind", "title", "starts", "ends", "when", "location", "register",
              "register_text", "member", "member_url", "image", "image_alt", "link",
              "link_text", "draft", "email")


class MissingWidget(Exception):
    """A schema field that the editor has no way to edit."""


def widget(key: str, field: Field) -> Widget:
    """The widget for one field, or MissingWidget."""
    if key in BY_KEY:
        return dict(BY_KEY[key])
    if isinstance(field.check, schema.OneOf):
        return {"widget": "select", "options": list(field.check.choices)}
    if field.check in BY_CHECK:
        return dict(BY_CHECK[field.check])
    raise MissingWidget(f"no CMS widget for the field {key!r}")


def item_fields(kind: str, kinds: tuple[str, ...]) -> list[Widget]:
    """The form of an item of one kind: its keys, widgets, hints and what is required."""
    fields = {**ITEM_FIELDS, **KIND_FIELDS.get(kind, {})}
    hints = item_hints()
    ordered = [key for key in ITEM_ORDER if key in fields]
    ordered += sorted(set(fields) - set(ordered))
    result = []
    for key in ordered:
        entry = _entry(key, fields[key], hints.get(key, ""))
        if key == "kind":
            # The collection decides the kind: one option, chosen already.
            entry.update(widget="select", options=[kind], default=kind)
            entry["hint"] = f"One of {', '.join(kinds)}; {hints['kind']}"
        result.append(entry)
    result.append(body_field("The item's text, in Markdown. The title is shown above it; "
                             "don't repeat it"))
    return result


def bulletin_fields() -> list[Widget]:
    """The form of an issue's bulletin.md."""
    result = []
    for key, field in BULLETIN_FIELDS.items():
        entry = _entry(key, field, BULLETIN_HINTS.get(key, ""))
        if key == "author":
            entry["fields"] = [_entry(name, sub, "") for name, sub in AUTHOR_FIELDS.items()]
            for sub in entry["fields"]:
                if sub["name"] == "signature":  # a path under assets/: kept as written
                    sub["widget"] = "string"
        result.append(entry)
    result.append(body_field("The editor's introduction, in Markdown"))
    return result


def body_field(hint: str) -> Widget:
    return {"name": "body", "label": "Text", "widget": "markdown", "hint": hint,
            "buttons": ["bold", "italic", "link", "heading-two", "heading-three", "quote",
                        "bulleted-list", "numbered-list"],
            "editor_components": ["image"], "modes": ["rich_text", "raw"]}


def every_field() -> dict[str, Field]:
    """Every front matter key the schema knows, for the test that each has a widget."""
    known: dict[str, Field] = {**ITEM_FIELDS, **BULLETIN_FIELDS}
    for fields in KIND_FIELDS.values():
        known.update(fields)
    known.update({f"author.{key}": field for key, field in AUTHOR_FIELDS.items()})
    return known


def _entry(key: str, field: Field, hint: str) -> Widget:
    entry: Widget = {"name": key, "label": LABELS.get(key, key.replace("_", " ").capitalize())}
    entry.update(widget(key, field))
    entry["required"] = field.required
    if hint:
        entry["hint"] = hint[0].upper() + hint[1:]
    return entry

"""The Decap CMS configuration, made from site.yaml and the schema: never kept by hand."""

from __future__ import annotations

from typing import Any

import yaml

from bulletin_gen.commands.cms.fields import bulletin_fields, item_fields
from bulletin_gen.config.settings import Config
from bulletin_gen.sources.discover import INDEX_FILE, SLUG_RE, discover

# The editor lists the newest issues: older ones are published and rarely touched.
ISSUES_SHOWN = 3
LOCAL_API = "/api/v1"  # `bulletin cms` answers it, passing it on to decap-server
NEW_ISSUE = "new-issue"


def local_backend() -> dict[str, Any]:
    """Decap's proxy backend, through `bulletin cms`'s own server on 127.0.0.1."""
    return {"name": "proxy", "proxy_url": LOCAL_API, "branch": "main"}


def github_backend(repository: str, branch: str) -> dict[str, Any]:
    """The hosted editor: GitHub sign-in; members without write access open pull requests."""
    return {"name": "github", "repo": repository, "branch": branch, "open_authoring": True,
            "commit_messages": {"create": "Add {{collection}} item “{{slug}}”",
                                "update": "Edit {{collection}} item “{{slug}}”",
                                "delete": "Delete {{collection}} item “{{slug}}”",
                                "uploadMedia": "Add picture {{path}}",
                                "deleteMedia": "Delete picture {{path}}",
                                "openAuthoring": "{{message}}"}}


def cms_config(config: Config, backend: dict[str, Any]) -> dict[str, Any]:
    """Every collection: the issues' bulletin.md files, and each issue's items by kind."""
    slugs = [source.slug for source in discover(config)][::-1][:ISSUES_SHOWN]
    kinds = tuple(kind.name for kind in config.kinds)
    collections: list[dict[str, Any]] = []
    if slugs:
        collections.append({
            "name": "issues", "label": "Issues", "label_singular": "issue",
            "delete": False, "editor": {"preview": True},
            "files": [{"name": f"issue-{slug}", "label": f"{slug}: the issue itself",
                       "file": f"bulletins/{slug}/{INDEX_FILE}",
                       "media_folder": "images", "public_folder": "images",
                       "fields": bulletin_fields()} for slug in slugs],
        })
    for slug in slugs:
        for kind in config.kinds:
            collections.append({
                "name": f"{slug}-{kind.name}",
                "label": f"{slug}: {kind.heading}",
                "label_singular": f"{kind.name} item",
                "description": f"The {kind.name} items of issue {slug}. A new one is saved as "
                               f"bulletins/{slug}/NN-its-title.md, numbered after the last.",
                "folder": f"bulletins/{slug}",
                "extension": "md",
                "format": "yaml-frontmatter",
                "create": True,
                "filter": {"field": "kind", "value": kind.name},
                "identifier_field": "title",
                "slug": "{{slug}}",
                "summary": "{{title}}",
                "media_folder": "images",
                "public_folder": "images",
                "fields": item_fields(kind.name, kinds),
            })
    if backend["name"] == "proxy" and slugs:
        collections.append(new_issue_collection(slugs))
    return {
        "backend": backend,
        "publish_mode": "simple",
        "locale": "en",
        # Shared pictures; an item's own go to its issue's images/ (each collection's).
        "media_folder": "assets/images",
        "public_folder": "assets/images",
        "site_url": config.base_url,
        "logo_url": "",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections,
    }


def new_issue_collection(slugs: list[str]) -> dict[str, Any]:
    """A form that starts an issue as `bulletin new SLUG --from SLUG` does: `bulletin cms`
    does the work (SAVE_NEW_ISSUE); it lists nothing, so nothing is edited through it."""
    return {
        "name": NEW_ISSUE, "label": "Start a new issue", "label_singular": "new issue",
        "description": "Makes a draft issue folder, with stub copies of an earlier issue's "
                       "items, as `bulletin new` does. Reload the page to see its lists.",
        "folder": "bulletins", "path": "{{slug}}/" + INDEX_FILE.removesuffix(".md"),
        "extension": "md", "format": "yaml-frontmatter", "create": True, "delete": False,
        "filter": {"field": "kind", "value": NEW_ISSUE},  # no item has that kind
        "identifier_field": "issue", "slug": "{{issue}}",
        "fields": [
            {"name": "issue", "label": "Folder name", "widget": "string", "required": True,
             "pattern": [SLUG_RE.pattern, "lower-case letters, digits and hyphens, like 2022-07"],
             "hint": "The new issue's folder under bulletins/, like 2022-07"},
            {"name": "from", "label": "Start from", "widget": "select", "options": slugs,
             "default": slugs[0], "required": False,
             "hint": "Stub copies of this issue's items, to fill in"},
        ],
    }


def config_yaml(config: Config, backend: dict[str, Any]) -> str:
    """config.yml's text."""
    settings = cms_config(config, backend)
    if not settings["logo_url"]:
        del settings["logo_url"]
    return ("# Made by bulletin-gen from site.yaml and its schema: do not edit by hand.\n"
            + yaml.safe_dump(settings, sort_keys=False, allow_unicode=True, width=100))

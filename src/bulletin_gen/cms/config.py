"""The Decap CMS configuration, made from site.yaml and the schema: never kept by hand."""

from __future__ import annotations

from typing import Any

import yaml

from bulletin_gen.cms.fields import bulletin_fields, item_fields
from bulletin_gen.config import Config
from bulletin_gen.discover import INDEX_FILE, discover

# The editor lists the newest issues: older ones are published and rarely touched.
ISSUES_SHOWN = 3
LOCAL_API = "/api/v1"  # `bulletin cms` answers it, passing it on to decap-server


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


def config_yaml(config: Config, backend: dict[str, Any]) -> str:
    """config.yml's text."""
    settings = cms_config(config, backend)
    if not settings["logo_url"]:
        del settings["logo_url"]
    return ("# Made by bulletin-gen from site.yaml and its schema: do not edit by hand.\n"
            + yaml.safe_dump(settings, sort_keys=False, allow_unicode=True, width=100))

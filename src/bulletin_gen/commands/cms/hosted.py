"""site/admin/: the editor on the published site, for GitHub sign-in and open authoring."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bulletin_gen.config.settings import Config


def admin_pages(config: Config) -> list[tuple[str, str]]:
    """admin/index.html and admin/config.yml when site.yaml has a `cms:` section."""
    if config.cms is None:
        return []
    # Imported here: the editor's settings need the whole loader (Markdown, the fields'
    # schema), some 70 ms that every build without a `cms:` section would pay for nothing.
    from bulletin_gen.commands.cms.admin import HOSTED_SCRIPT, index_html
    from bulletin_gen.commands.cms.config import cms_config, config_yaml, github_backend

    backend = github_backend(config.cms.repository, config.cms.branch)
    settings = cms_config(config, backend)
    page = index_html(config.title, HOSTED_SCRIPT, "../assets/css/bulletin.css", settings)
    return [("admin/config.yml", config_yaml(config, backend)), ("admin/index.html", page)]

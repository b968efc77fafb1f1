"""Rules about site.yaml, run once per check."""

from __future__ import annotations

from collections.abc import Iterator

from bulletin_gen.commands.lint.base import WARNING, Problem, rule
from bulletin_gen.commands.lint.email import placeholder_host
from bulletin_gen.config.settings import SITE_FILE, Config
from bulletin_gen.sources.frontmatter import read_text
from bulletin_gen.sources.yamlload import load_yaml


@rule("placeholder-domain", WARNING, "put in the real address", scope="site")
def site_placeholder_domain(config: Config) -> Iterator[Problem]:
    lines = load_yaml(read_text(config.root / SITE_FILE, SITE_FILE), SITE_FILE).lines
    for key, url in (("base_url", config.base_url),
                     ("organisation.website", config.organisation.website),
                     ("email.unsubscribe_url", config.email.unsubscribe_url or "")):
        host = placeholder_host(url)
        if host:
            yield Problem(SITE_FILE, lines.get(key), f"'{key}' points at the placeholder "
                          f"domain {host}")

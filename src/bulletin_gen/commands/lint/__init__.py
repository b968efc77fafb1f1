"""Lint: what a build accepts but a reader would trip over.

Each rule is a small function registered with an id, a severity and a fix
(see base.rule); issue rules see an IssueContext, site rules the Config.
"""

from __future__ import annotations

from bulletin_gen.commands.lint import content, email, site  # noqa: F401  (registers the rules)
from bulletin_gen.commands.lint.base import ERROR, RULES, WARNING, Finding, Rule
from bulletin_gen.commands.lint.context import IssueContext
from bulletin_gen.config.settings import Config

__all__ = ["ERROR", "WARNING", "Finding", "IssueContext", "Rule", "RULES",
           "lint_issue", "lint_site", "unique"]


def lint_issue(context: IssueContext, ignore: frozenset[str] = frozenset()) -> list[Finding]:
    """Run every issue rule on one rendered issue."""
    return unique(finding for rule in RULES if rule.scope == "issue" and rule.id not in ignore
                  for finding in rule.run(context))


def lint_site(config: Config, ignore: frozenset[str] = frozenset()) -> list[Finding]:
    """Run the rules about the whole publication once."""
    return unique(finding for rule in RULES if rule.scope == "site" and rule.id not in ignore
                  for finding in rule.run(config))


def unique(findings) -> list[Finding]:  # type: ignore[no-untyped-def]
    """Drop repeats (the same problem seen in the email and the web page), sorted."""
    seen: dict[tuple[str, int | None, str, str], Finding] = {}
    for finding in findings:
        seen.setdefault((finding.path, finding.line, finding.rule, finding.message), finding)
    return sorted(seen.values(), key=Finding.sort_key)

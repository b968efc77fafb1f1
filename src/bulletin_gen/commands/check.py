"""`bulletin check`: every stage but writing, then the lint rules; a report in text or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from bulletin_gen.commands import lint
from bulletin_gen.commands.lint import ERROR, WARNING, Finding, IssueContext
from bulletin_gen.commands.lint.email import placeholder_host
from bulletin_gen.commands.lint.partial import without_invalid_items
from bulletin_gen.config.settings import Config
from bulletin_gen.errors import ContentError, ContentErrors, printable
from bulletin_gen.model import Bulletin, Site
from bulletin_gen.render.site import render_archive, render_bulletin
from bulletin_gen.render.templates import make_environment
from bulletin_gen.sources.discover import BulletinSource, discover
from bulletin_gen.sources.load import load_bulletin
from bulletin_gen.sources.paths import links_leading_out

INVALID = "invalid"  # the rule id of a validation error from the build stages


@dataclass(frozen=True)
class CheckReport:
    issues: tuple[str, ...]  # the slugs checked
    findings: tuple[Finding, ...]

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    def failed(self, strict: bool) -> bool:
        return bool(self.count(ERROR) or (strict and self.count(WARNING)))


def run_check(config: Config, slugs: tuple[str, ...] = (), online: bool = False,
              ignore: frozenset[str] = frozenset()) -> CheckReport:
    """Every stage but writing (load, validate, render in memory), then the lint rules.

    Issues load one by one, so one issue's errors do not hide another's findings.
    """
    try:
        sources = [source for source in discover(config, slugs)
                   if not slugs or source.slug in slugs]
    except ContentErrors as found:
        return CheckReport((), tuple(_invalid(found.errors)))
    findings: list[Finding] = _invalid(links_leading_out(config))
    loaded: list[Bulletin] = []
    for source in sources:  # one issue at a time, so a broken issue hides no other's lint
        try:
            loaded.append(load_bulletin(source, config))
        except ContentErrors as found:
            findings.extend(_invalid(found.errors))
            loaded.extend(_rest_of(source, found.errors, config))
        except ContentError as error:
            findings.extend(_invalid([error]))
    site = Site(config, tuple(loaded))
    env = make_environment(config)
    contexts: list[IssueContext] = []
    for bulletin in site.bulletins:  # rendered one by one too: an email over budget is one error
        try:
            files = {file.path: file for file in render_bulletin(site, bulletin, env)}
        except ContentErrors as found:
            findings.extend(_invalid(found.errors))
            continue
        except ContentError as error:
            findings.extend(_invalid([error]))
            continue
        contexts.append(IssueContext(config, bulletin, files))
        findings.extend(lint.lint_issue(contexts[-1], ignore))
    try:
        render_archive(site, env)
    except ContentErrors as found:
        findings.extend(_invalid(found.errors))
    except ContentError as error:
        findings.extend(_invalid([error]))
    findings.extend(lint.lint_site(config, ignore))
    if online:
        findings.extend(_online(config, contexts, ignore))
    return CheckReport(tuple(source.slug for source in sources), tuple(lint.unique(findings)))


def _rest_of(source: BulletinSource, errors: list[ContentError],
             config: Config) -> list[Bulletin]:
    """The issue without its invalid items, for the lint rules: invalid items hide nothing."""
    rest = without_invalid_items(source, errors, config)
    if rest is None:
        return []
    try:
        return [load_bulletin(rest, config)]
    except (ContentError, ContentErrors):  # the same errors, reported above
        return []


def _invalid(errors: list[ContentError]) -> list[Finding]:
    return [Finding(error.path, error.line, INVALID, ERROR, error.text) for error in errors]


def _online(config: Config, contexts: list[IssueContext],
            ignore: frozenset[str]) -> list[Finding]:
    from bulletin_gen.commands.lint.online import check_links

    where: dict[str, tuple[str, int | None]] = {}
    for context in contexts:
        for link in context.email_scan.links:
            href = link.href or ""
            # Placeholder domains (RFC 2606) get their own warning; asking them is pointless.
            if (urlsplit(href).scheme in ("http", "https") and href not in where
                    and not placeholder_host(href)):
                where[href] = context.locate(href, href.split("?")[0])
    findings = []
    for url, answer in sorted(check_links(list(where), config.root).items()):
        path, line = where[url]
        if answer.broken and "link-broken" not in ignore:
            findings.append(Finding(path, line, "link-broken", ERROR,
                                    f"{url} answers {answer.status} {answer.reason}",
                                    "fix or remove the link"))
        elif answer.unreachable and "link-unreachable" not in ignore:
            status = f"{answer.status} {answer.reason}" if answer.status else answer.reason
            findings.append(Finding(path, line, "link-unreachable", WARNING,
                                    f"{url}: {status}", "try it in a browser"))
    return findings


def format_text(report: CheckReport) -> str:
    """One `path:line: [rule-id] severity: message (fix: ...)` line a finding, then a summary."""
    lines = []
    for finding in report.findings:
        fix = f" (fix: {finding.fix})" if finding.fix else ""
        # Escaped as build's messages are: a file name may hold a newline or an escape.
        lines.append(printable(f"{finding.location()}: [{finding.rule}] {finding.severity}: "
                               f"{finding.message}{fix}"))
    errors, warnings = report.count(ERROR), report.count(WARNING)
    issues = len(report.issues)
    lines.append(f"Checked {issues} issue{'s' if issues != 1 else ''}: "
                 f"{errors} error{'s' if errors != 1 else ''}, "
                 f"{warnings} warning{'s' if warnings != 1 else ''}.")
    return "\n".join(lines)


def format_json(report: CheckReport) -> str:
    """The same report for tools: every finding with its path, line, rule and fix."""
    return json.dumps({
        "issues": list(report.issues),
        "errors": report.count(ERROR),
        "warnings": report.count(WARNING),
        "findings": [asdict(finding) for finding in report.findings],
    }, indent=2, ensure_ascii=False)

"""What a lint rule is, and what it finds."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    path: str  # relative to the repository
    line: int | None
    rule: str
    severity: str  # ERROR or WARNING
    message: str
    fix: str = ""  # what to do, in a few words

    def location(self) -> str:
        return f"{self.path}:{1 if self.line is None else self.line}"  # line 1: the whole file

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, self.rule, self.message)


@dataclass(frozen=True)
class Problem:
    """What a rule function yields; the runner adds the rule's id, severity and fix."""

    path: str
    line: int | None
    message: str
    fix: str = ""  # what to do about this one, where the rule's fix would not fit it


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    fix: str
    scope: str  # "issue": called once per issue; "site": once per check
    check: Callable[..., Iterable[Problem]]

    def run(self, subject: object) -> Iterator[Finding]:
        for problem in self.check(subject):
            yield Finding(problem.path, problem.line, self.id, self.severity,
                          problem.message, problem.fix or self.fix)


RULES: list[Rule] = []


def rule(rule_id: str, severity: str, fix: str, scope: str = "issue"
         ) -> Callable[[Callable[..., Iterable[Problem]]], Callable[..., Iterable[Problem]]]:
    """Register a rule function under an id, a severity and a short fix."""
    def register(check: Callable[..., Iterable[Problem]]) -> Callable[..., Iterable[Problem]]:
        RULES.append(Rule(rule_id, severity, fix, scope, check))
        return check
    return register

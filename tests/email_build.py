"""Build the example publication (optionally with site.yaml changes) for the email tests."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from bulletin_gen.cli import main
from tests.conftest import REPO, copy_publication


def set_yaml(root: Path, pattern: str, replacement: str) -> None:
    """Change one line of site.yaml (a regex on the line), as an editor would."""
    path = root / "site.yaml"
    text, count = re.subn(pattern, replacement, path.read_text(), count=1, flags=re.M)
    assert count == 1, pattern
    path.write_text(text)


def built_example(target: Path, **service: str) -> Path:
    """Copy the example into target, build it, return its site/ folder."""
    root = copy_publication(REPO, target)
    if service:
        set_yaml(root, r"^  service: .*$", f"  service: {service['service']}")
        if service["service"] == "generic":
            set_yaml(root, r"^  reason: ", "  unsubscribe_url: https://example.org/unsubscribe\n"
                     "  reason: ")
    result = CliRunner().invoke(main, ["-C", str(root), "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "site"

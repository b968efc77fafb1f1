"""The pre-commit hook: `bulletin check` on the issues whose files are staged.

pre-commit passes the changed paths; an item under bulletins/<slug>/ means that
issue, while site.yaml or a template changes every issue, so all are checked.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bulletin_gen.cli import main as cli


def issues_to_check(paths: list[str]) -> list[str] | None:
    """The slugs touched by these paths; None when every issue is affected."""
    slugs: set[str] = set()
    for path in paths:
        parts = path.replace("\\", "/").split("/")
        if len(parts) >= 3 and parts[0] == "bulletins":
            if Path("bulletins", parts[1]).is_dir():  # a removed issue has nothing to check
                slugs.add(parts[1])
        elif parts[0] in ("site.yaml", "templates", "assets"):
            return None
    return sorted(slugs)


def main(argv: list[str] | None = None) -> None:
    paths = sys.argv[1:] if argv is None else argv
    slugs = issues_to_check(paths)
    if slugs == []:
        return
    cli(["check", *(slugs or [])], prog_name="bulletin")


if __name__ == "__main__":
    main()

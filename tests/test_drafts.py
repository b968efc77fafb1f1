"""Drafts: out of `build`, in with `--drafts` (marked DRAFT), never in archive, feed or sitemap."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import write


def draft_issue(example: Path) -> None:
    write(example / "bulletins/2022-07/bulletin.md",
          "---\ntitle: July draft issue\ndate: 2022-07-31\npreheader: Soon\ndraft: true\n---\n"
          "Coming soon.\n")
    write(example / "bulletins/2022-07/10-item.md",
          "---\nkind: news\ntitle: July news item\n---\nText.\n")


def draft_item(example: Path) -> None:
    write(example / "bulletins/2022-06/95-secret.md",
          "---\nkind: news\ntitle: Secret draft item\ndraft: true\n---\nNot yet.\n")


def test_build_leaves_drafts_out(example: Path, invoke) -> None:
    draft_issue(example)
    draft_item(example)
    result = invoke(example, "build")
    assert result.exit_code == 0, result.output
    site = example / "site"
    assert not (site / "2022-07").exists()
    for name in ("index.html", "feed.xml", "sitemap.xml", "2022-06/index.html",
                 "2022-06/email.html", "2022-06/email.txt"):
        text = (site / name).read_text()
        assert "Secret draft item" not in text, name
        assert "July draft issue" not in text, name
        assert "DRAFT" not in text, name


def test_drafts_flag_builds_them_marked_but_never_listed(example: Path, invoke) -> None:
    draft_issue(example)
    draft_item(example)
    result = invoke(example, "build", "--drafts")
    assert result.exit_code == 0, result.output
    site = example / "site"
    july = (site / "2022-07/index.html").read_text()
    assert "July draft issue" in july and ">DRAFT<" in july
    assert ">DRAFT<" in (site / "2022-07/email.html").read_text()
    june = (site / "2022-06/index.html").read_text()
    assert june.count(">DRAFT<") == 1  # only the draft item, not the issue
    assert re.search(r">DRAFT</p>\s*<article[^>]*id=\"news-secret\"", june)
    assert "July draft issue" not in june  # no pager link from a published issue to a draft
    for name in ("index.html", "feed.xml", "sitemap.xml", "events/index.html"):
        text = (site / name).read_text()
        assert "July draft issue" not in text and "2022-07/" not in text, name
        assert "Secret draft item" not in text, name


def test_check_still_validates_drafts(example: Path, invoke) -> None:
    write(example / "bulletins/2022-06/95-secret.md",
          "---\nkind: news\ntitle: Secret\ndraft: true\nstarts: tomorrow\n---\nNot yet.\n")
    result = invoke(example, "check")
    assert result.exit_code == 1
    assert "bulletins/2022-06/95-secret.md:5: [invalid] error:" in result.output

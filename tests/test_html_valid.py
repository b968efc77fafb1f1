"""Every web page of the archive (and its stylesheet) passes the Nu Html Checker.

The emails are left out on purpose: Outlook needs markup the HTML standard does not allow
(xmlns:v, mso-* properties, bgcolor); the email tests judge those.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.archive_sites import VNU_JAR, build_all, tool, web_pages


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_all(tmp_path_factory)


def vnu(*paths: Path) -> list[dict]:
    """The checker's messages for these files (one Java start for all of them)."""
    java = shutil.which("java")
    assert java, "java is missing: .ci/run installs default-jre-headless"
    result = subprocess.run(
        [java, "-jar", str(tool(VNU_JAR)), "--format", "json", "--also-check-css",
         *map(str, paths)],
        capture_output=True, text=True, timeout=300, check=False)
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    report = json.loads(result.stderr)
    return report["messages"]


def test_every_web_page_and_the_stylesheet_are_valid(sites: dict) -> None:
    pages = [page for site in sites.values() for page in web_pages(site)]
    # index, events, one issue; index, events, three issues; index, events, two issues
    assert len(pages) == 3 + 5 + 4
    stylesheet = sites["example"] / "assets/css/bulletin.css"
    messages = vnu(*pages, stylesheet)
    errors = [f"{m['url']}:{m.get('lastLine', '?')}: {m['message']}" for m in messages
              if m["type"] == "error" or m.get("subType") == "fatal"]
    assert not errors, "\n".join(errors)


def test_the_checker_does_report_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><html lang="en"><title>x</title><p><div></p>')
    assert any(m["type"] == "error" for m in vnu(broken))

"""`bulletin check`: the build's validation plus the lint rules, as an editor sees them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import write


def seed_wording(example: Path) -> Path:
    """The example issue with the seed's original "click here" link wording put back."""
    issue = example / "bulletins/2022-06"
    webinar = issue / "30-air-quality-webinar.md"
    webinar.write_text(webinar.read_text() + "\nRegister Now to attend this event, "
                       "[Click here](https://example.org/events/air-quality-webinar).\n")
    for name, wording in (("70-incubators-engines-of-growth.md", "Read more here"),
                          ("80-vaccine-taskforce-ukhsa-ols.md", "here")):
        item = issue / name
        item.write_text(re.sub(r"link_text: .*", f"link_text: {wording}", item.read_text()))
    grow = issue / "90-help-to-grow.md"
    grow.write_text(grow.read_text() + "\nCheck out how it works "
                    "[here](https://example.org/help-to-grow/how-it-works).\n")
    return example


def findings(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": [" in line]


def test_example_issue_only_has_placeholder_domain_warnings(example: Path, invoke) -> None:
    result = invoke(example, "check", "--strict", "2022-06")
    assert result.exit_code == 1, result.output
    found = findings(result.output)
    assert found, result.output
    assert all("[placeholder-domain] warning:" in line for line in found), result.output
    assert ("bulletins/2022-06/30-air-quality-webinar.md:9: [placeholder-domain] warning: link "
            "https://example.org/events/air-quality-webinar points at the placeholder domain "
            "example.org (fix: put in the real address)") in found
    assert "site.yaml:4: [placeholder-domain] warning: 'base_url'" in result.output
    assert result.output.rstrip().endswith("Checked 1 issue: 0 errors, "
                                           f"{len(found)} warnings.")


def test_warnings_pass_without_strict(example: Path, invoke) -> None:
    result = invoke(example, "check", "2022-06")
    assert result.exit_code == 0, result.output


def test_ignore_skips_a_rule(example: Path, invoke) -> None:
    result = invoke(example, "check", "--strict", "--ignore", "placeholder-domain")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Checked 1 issue: 0 errors, 0 warnings."


def test_seed_wording_click_here_links_are_caught(example: Path, invoke) -> None:
    result = invoke(seed_wording(example), "check", "--strict", "2022-06")
    assert result.exit_code == 1
    link_text = [line for line in findings(result.output) if "[link-text]" in line]
    assert link_text == [
        "bulletins/2022-06/30-air-quality-webinar.md:17: [link-text] warning: link text "
        "'Click here' says nothing about where it leads "
        "(https://example.org/events/air-quality-webinar) (fix: name where the link leads)",
        "bulletins/2022-06/70-incubators-engines-of-growth.md:5: [link-text] warning: link text "
        "'Read more here' says nothing about where it leads "
        "(https://example.org/news/incubators-engines-of-growth-roundtable) "
        "(fix: name where the link leads)",
        "bulletins/2022-06/80-vaccine-taskforce-ukhsa-ols.md:5: [link-text] warning: link text "
        "'here' says nothing about where it leads "
        "(https://example.org/news/vaccine-taskforce-to-merge-with-ukhsa-and-ols) "
        "(fix: name where the link leads)",
        "bulletins/2022-06/90-help-to-grow.md:14: [link-text] warning: link text 'here' says "
        "nothing about where it leads (https://example.org/help-to-grow/how-it-works) "
        "(fix: name where the link leads)",
    ], result.output


def test_json_format_lists_every_finding(example: Path, invoke) -> None:
    result = invoke(seed_wording(example), "check", "--format", "json")
    assert result.exit_code == 0, result.output  # warnings only, no --strict
    report = json.loads(result.output)
    assert report["issues"] == ["2022-06"]
    assert report["errors"] == 0
    assert report["warnings"] == len(report["findings"])
    first = next(f for f in report["findings"] if f["rule"] == "link-text")
    assert first == {
        "path": "bulletins/2022-06/30-air-quality-webinar.md", "line": 17, "rule": "link-text",
        "severity": "warning",
        "message": "link text 'Click here' says nothing about where it leads "
                   "(https://example.org/events/air-quality-webinar)",
        "fix": "name where the link leads"}


def test_validation_errors_are_findings_and_other_issues_still_lint(example: Path,
                                                                    invoke) -> None:
    write(example / "bulletins/2022-07/bulletin.md",
          "---\ntitle: July\ndate: 2022-07-31\npreheader: Summer\n---\nHello.\n")
    write(example / "bulletins/2022-07/10-bad.md",
          "---\nkind: news\ntitle: Bad\nimgae: x.png\n---\nText.\n")
    result = invoke(example, "check")
    assert result.exit_code == 1
    assert "bulletins/2022-07/10-bad.md:4: [invalid] error: unknown key 'imgae'" in result.output
    assert "bulletins/2022-06/90-help-to-grow.md:4: [placeholder-domain]" in result.output
    assert "Traceback" not in result.output


def test_an_invalid_item_hides_no_finding_in_the_other_items(example: Path, invoke) -> None:
    """One round of fixes: the same findings in the other files as with the item fixed."""
    seed_wording(example)
    before = findings(invoke(example, "check", "2022-06").output)
    write(example / "bulletins/2022-06/95-bad.md",
          "---\nkind: news\ntitle: Bad\nimgae: x.png\n---\nText.\n")
    result = invoke(example, "check", "2022-06")
    assert result.exit_code == 1
    found = findings(result.output)
    invalid = [line for line in found if "[invalid]" in line]
    assert len(invalid) == 1
    assert invalid[0].startswith("bulletins/2022-06/95-bad.md:4: [invalid] error: unknown key "
                                 "'imgae'")
    assert [line for line in found if "[invalid]" not in line] == before
    assert sum("[link-text]" in line for line in found) == 4
    assert result.output.rstrip().endswith(f"1 error, {len(before)} warnings.")


def test_check_covers_drafts_and_writes_nothing(example: Path, invoke) -> None:
    write(example / "bulletins/2022-06/95-draft.md",
          "---\nkind: news\ntitle: Half written\ndraft: true\n---\nTK: the figures.\n")
    result = invoke(example, "check")
    assert result.exit_code == 1
    assert ("bulletins/2022-06/95-draft.md:6: [leftover-marker] error: leftover 'TK' in the "
            "text (fix: finish or remove the placeholder)") in result.output
    assert not (example / "site").exists()


def test_unknown_issue_is_refused(example: Path, invoke) -> None:
    result = invoke(example, "check", "1999-01")
    assert result.exit_code == 1
    assert "no such issue: 1999-01" in result.output


@pytest.mark.parametrize("value", ["text", "json"])
def test_format_choices(example: Path, invoke, value: str) -> None:
    assert invoke(example, "check", "--format", value).exit_code == 0


def test_bad_format_is_a_usage_error(example: Path, invoke) -> None:
    assert invoke(example, "check", "--format", "xml").exit_code == 2

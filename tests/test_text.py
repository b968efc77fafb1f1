"""The plain text reads well in an inbox: headings, 72 columns, links written out."""

from __future__ import annotations

import re

import pytest

from bulletin_gen.text import html_to_text, wrap
from tests.email_build import built_example


@pytest.fixture(scope="module")
def text(tmp_path_factory: pytest.TempPathFactory) -> str:
    site = built_example(tmp_path_factory.mktemp("text") / "example")
    return (site / "2022-06/email.txt").read_text(encoding="utf-8")


def test_title_contents_and_each_item_under_its_own_heading(text: str) -> None:
    lines = text.split("\n")
    assert lines[:3] == ["WMHTC e-bulletin: June 2022", "=" * 27, "30 June 2022"]
    assert "IN THIS ISSUE" in lines and "- Webinar: air quality and health" in lines
    index = lines.index("Webinar: air quality and health")
    assert lines[index + 1] == "-" * len("Webinar: air quality and health")
    assert "CLUSTER'S EVENTS" in lines and "NEWS" in lines


def test_paragraphs_wrap_at_72_columns_except_unbreakable_urls(text: str) -> None:
    for line in text.split("\n"):
        if len(line) > 72:
            assert re.search(r"https?://\S{40,}", line), line


def test_links_are_written_out_and_event_dates_in_words(text: str) -> None:
    assert "When: Wednesday 20 July 2022, 10:00 to 11:00" in text
    assert "Register for Webinar: air quality and health:\nhttps://example.org/events/" \
           "air-quality-webinar?utm_source=e-bulletin" in text
    assert "- Help to Grow: Digital <https://example.org/help-to-grow/digital?" in text
    assert "View this email in your browser: *|ARCHIVE|*" in text


def test_footer_has_reason_address_and_unsubscribe_placeholder(text: str) -> None:
    footer = text[text.rindex("\n--\n"):]
    assert "You are receiving this email because" in footer
    assert "West Midlands Health Technology Cluster\nBirmingham, West Midlands, United Kingdom" in footer
    assert footer.rstrip().endswith("Unsubscribe: *|UNSUB|*")


def test_no_markdown_syntax_leaks(text: str) -> None:
    assert "**" not in text and "](" not in text and "__" not in text
    assert not re.search(r"^#+ ", text, re.M)
    assert "<p>" not in text and "&amp;" not in text


def test_html_to_text_handles_lists_links_and_mailto() -> None:
    html = ('<p>Write to <a href="mailto:a@b.org">a@b.org</a> or <a href="mailto:a@b.org">me'
            '</a>.</p><ol><li>One <a href="https://x.org/">site</a></li><li>Two</li></ol>')
    assert html_to_text(html) == ("Write to a@b.org or me (a@b.org).\n\n"
                                  "1. One site <https://x.org/>\n\n2. Two")


def test_wrap_indents_continuation_lines() -> None:
    wrapped = wrap("- " + "word " * 20, indent="  ")
    assert all(line.startswith("  ") for line in wrapped.split("\n")[1:])
    assert max(len(line) for line in wrapped.split("\n")) <= 72

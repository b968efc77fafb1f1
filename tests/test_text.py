"""The plain text reads well in an inbox: headings, 72 columns, links written out."""

from __future__ import annotations

import re
import sys
import textwrap

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bulletin_gen.markdown.convert import render_markdown
from bulletin_gen.render import text as text_module
from bulletin_gen.render.text import html_to_text, wrap
from bulletin_gen.sources.sanitize import sanitize_html
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
    # Tagged before it is wrapped: too long for the item's line, the URL goes on its own.
    assert "- Help to Grow: Digital\n  <https://example.org/help-to-grow/digital?utm_" in text
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
                                  "1. One site <https://x.org/>\n2. Two")


def test_wrap_indents_continuation_lines() -> None:
    wrapped = wrap("- " + "word " * 20, indent="  ")
    assert all(line.startswith("  ") for line in wrapped.split("\n")[1:])
    assert max(len(line) for line in wrapped.split("\n")) <= 72


MARKDOWN_PARTS = ["word", "a-long-unbreakable-" + "x" * 70, "&amp;", "&", "&nbsp;", "<", "é",
                  "**bold**", "[link](https://e.org/a?b=1&c=2)", "[me](mailto:a@b.org)",
                  "<a@b.org>", "![alt & text](pic.png)", "  \n", "\n", "\n\n", "\n- ",
                  "\n  - ", "\n    - ", "\n1. ", "\n> ", "\n\n```\nco  de\n```\n\n",
                  "\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n", "[^1]", "\n\n[^1]: note\n\n",
                  "\n## h\n", "\n***\n", "<b>raw</b>", "<!-- c -->", "\xa0", "\t", " "]
TAG_SOUP = ["<p>", "</p>", '<a href="h">', "<a>", "</a>", "<li>", "</li>", "<ul>", "</ul>", "<ol>",
            "</ol>", "<br>", "<pre>", "</pre>", "<blockquote>", "</blockquote>", '<img alt="i">',
            "<table>", "</table>", "<td>", "</td>", "<tr>", "</tr>", "<thead>", "</thead>",
            '<div class="footnote">', "</div>", '<li id="fn:1">', '<a href="#fnref:1">', "<hr>",
            "<h3>", "</h3>", " ", "\n", "txt", "\u2610", "&amp;", "<", "<!--", "<script>"]


@settings(max_examples=150, deadline=None)
@given(markdown=st.lists(st.sampled_from(MARKDOWN_PARTS), max_size=30).map("".join),
       soup=st.lists(st.sampled_from(TAG_SOUP), max_size=40).map("".join))
@example(markdown="\t  \n\tword", soup="")  # a code block whose first line is spaces only
def test_any_body_reads_as_lines_of_at_most_72_columns_but_for_long_words(
        markdown: str, soup: str) -> None:
    for fragment in (sanitize_html(render_markdown(markdown)), soup):
        text = html_to_text(fragment)
        for line in text.split("\n"):
            assert len(line) <= 72 or max(map(len, line.split())) > 50, line
        assert text == text.strip("\n")
        # Unwrapped (for calendars), the same words: only the quotes' marks on each line and
        # the headings' rules differ.
        assert [word for word in html_to_text(fragment, wrap=False).split() if word.strip("-~>")] \
            == [word for word in text.split() if word.strip("-~>")]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(["a", "bb", "word", "x" * 30, "y" * 75, "é"]), max_size=40),
       first=st.sampled_from(["", "- ", "12. ", "> > ", " " * 71, " " * 72]),
       indent=st.sampled_from(["", "  ", "    ", "> > ", " " * 80]))
def test_wrapping_equals_textwrap(words: list[str], first: str, indent: str) -> None:
    line = " ".join(words)
    assert text_module._wrap_words(line, first, indent) == textwrap.wrap(
        line, 72, initial_indent=first, subsequent_indent=indent, break_long_words=False,
        break_on_hyphens=False)


def test_only_the_space_is_printable_whitespace() -> None:
    """What text._words relies on to skip the split of a line already normalised."""
    assert [c for c in map(chr, range(sys.maxunicode + 1))
            if c.isspace() and c.isprintable()] == [" "]

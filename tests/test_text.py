"""The plain text reads well in an inbox: headings, 72 columns, links written out."""

from __future__ import annotations

import re
import sys
import textwrap

import pytest
from hypothesis import given, settings
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


def _read_by_htmlparser(fragment: str) -> tuple[tuple[str, str, str, bool], ...]:
    reader = text_module._Blocks()
    parser = text_module._Parser(reader)
    parser.feed(fragment)
    parser.close()
    return reader.finish()


# Fragments where the regex split and HTMLParser could part ways: each must read the same
# (the ones not in nh3's form by the HTMLParser path itself).
EDGE_FRAGMENTS = [
    "", " ", "plain &amp; text &nbsp;x&#160;y &#x41; &copy &amp", "trailing &amp",
    "<p>a</p>tail", "  <p> </p>  ", "<p>x<br>y<br/>z<br />w</p>",
    '<p><a href="https://x.org/">https://x.org/</a> <a>none</a> <a href="">empty</a> '
    '<a href>bare</a> <a href="a&amp;b">a&amp;b</a> <a href="a" href="b">c</a></p>',
    '</a>stray end<a href="x">t</a></a>', '<a href="x"/>after', "<P>Upper</P>",
    '<ol start="3"><li>x<ul><li>y</li></ul></li></ol><li>orphan</li>',
    "<blockquote><p>q</p><blockquote><p>qq</p></blockquote></blockquote>",
    "<pre><code>line 1\n  line 2\n\n</code></pre>",
    "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>",
    '<p><img src="x.png" alt="A &amp; B"> <img alt=""> <img alt></p>',
    "<p>a < b</p>", "<!-- c --><p>x</p>", "<script>a<p>b</p></script><p>c</p>", "<p>unclosed",
    "<p>x</p><p", '<a href="x>y">t</a>', "<p class='x'>q</p>", '</p class="x">', "<p >x</p >",
    "<p>\xa0nbsp\u2003em\u2028ls  two\tspaces</p>",
]


@pytest.mark.parametrize("fragment", EDGE_FRAGMENTS)
def test_the_fast_reading_equals_htmlparsers(fragment: str) -> None:
    assert text_module._blocks.__wrapped__(fragment) == _read_by_htmlparser(fragment)


def test_a_sanitised_body_is_read_without_htmlparser(monkeypatch: pytest.MonkeyPatch) -> None:
    body = sanitize_html(render_markdown(
        "Some **bold** & [a link](https://x.org/?a=1&b=2), ![a picture](p.png)\n\n"
        "- one\n- two\n\n> quoted\n\n    code < here\n"))
    monkeypatch.setattr(text_module, "_Parser", None)  # the fast path never needs it
    assert text_module._blocks.__wrapped__(body)


MARKDOWN_PARTS = ["word", "a-long-unbreakable-" + "x" * 70, "&amp;", "&", "&nbsp;", "<", "é",
                  "**bold**", "[link](https://e.org/a?b=1&c=2)", "[me](mailto:a@b.org)",
                  "<a@b.org>", "![alt & text](pic.png)", "  \n", "\n\n", "\n- ", "\n1. ",
                  "\n> ", "\n\n```\nco  de\n```\n\n", "\n| a | b |\n|---|---|\n| 1 | 2 |\n\n",
                  "<b>raw</b>", "<!-- c -->", "\xa0", "\t", " "]
TAG_SOUP = ["<p>", "</p>", '<a href="h">', "<a href='h'>", "<a>", "</a>", "<li>", "</li>", "<ul>",
            "</ul>", "<ol>", "</ol>", "<br>", "<br/>", "<pre>", "</pre>", "<blockquote>",
            "</blockquote>", '<img alt="i">', "<td>", "<tr>", "</tr>", " ", "\n", "txt", "&amp;",
            "&", "<", "<!--", "</x y>", '<a href="mailto:m@n">', "<script>", "\xa0"]


@settings(max_examples=150, deadline=None)
@given(markdown=st.lists(st.sampled_from(MARKDOWN_PARTS), max_size=30).map("".join),
       soup=st.lists(st.sampled_from(TAG_SOUP), max_size=30).map("".join))
def test_any_body_is_read_as_htmlparser_reads_it(markdown: str, soup: str) -> None:
    body = sanitize_html(render_markdown(markdown))
    assert text_module._blocks.__wrapped__(body) == _read_by_htmlparser(body)
    assert text_module._blocks.__wrapped__(soup) == _read_by_htmlparser(soup)


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

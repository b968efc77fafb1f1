"""Limits that keep Python-Markdown from crawling for minutes or overflowing its stack."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bulletin_gen.markdown.guard import (
    MAX_ABBREVIATIONS,
    MAX_ANGLES,
    MAX_BRACKETS,
    MAX_INDENT,
    MAX_NESTING,
    MarkdownTooComplex,
    check_markdown,
    nesting_depth,
)
from bulletin_gen.sources.load import render_body


@pytest.mark.parametrize(("text", "offset"), [
    ("a\n" + "[" * (MAX_BRACKETS + 1), 1),
    ("[x](y)\n" * MAX_BRACKETS + "[", MAX_BRACKETS),
    ("<http://a\n" * (MAX_ANGLES + 1), MAX_ANGLES),
    ("*[A]: b\n" * (MAX_ABBREVIATIONS + 1), MAX_ABBREVIATIONS),
    ("- a\n" + " " * (MAX_INDENT + 1) + "- b\n", 1),
    ("- a\n" + "\t" * (MAX_INDENT // 4 + 1) + "- b\n", 1),
])
def test_past_a_limit_is_refused_at_its_line(text: str, offset: int) -> None:
    with pytest.raises(MarkdownTooComplex) as caught:
        check_markdown(text)
    assert caught.value.line_offset == offset


def test_at_the_limits_is_fine() -> None:
    check_markdown("[" * MAX_BRACKETS + "<" * MAX_ANGLES + "\n" + " " * MAX_INDENT + "x\n")
    check_markdown("*[A]: b\n" * MAX_ABBREVIATIONS)
    check_markdown(" " * (MAX_INDENT + 50) + "\n")  # a blank line of spaces nests nothing


def test_a_stack_overflow_in_the_parser_is_an_error_not_a_traceback() -> None:
    with pytest.raises(MarkdownTooComplex, match="too deeply nested for the Markdown parser"):
        render_body('<div markdown="1">\n' * 1000 + "x\n" + "</div>\n" * 1000)


def test_html_nested_past_the_limit_is_refused() -> None:
    assert render_body("> " * (MAX_NESTING - 5) + "fine").count("<blockquote>") == MAX_NESTING - 5
    with pytest.raises(MarkdownTooComplex, match="the email would be cut off"):
        render_body("<blockquote>" * (MAX_NESTING + 1) + "deep")


def test_nesting_depth_counts_elements_not_void_tags() -> None:
    assert nesting_depth("<p>a<br>b<img src=x><em>c</em></p><hr>") == 2
    assert nesting_depth("<ul><li><ul><li>x</li></ul></li></ul>") == 4


def _deepest_line(text: str) -> int | None:
    """The measure check_markdown took of every line before it skipped bodies with no
    long run of leading whitespace: the first line indented past the limit."""
    for offset, line in enumerate(text.split("\n")):
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        if indent > MAX_INDENT and line.strip():
            return offset
    return None


INDENTS = st.lists(st.tuples(
    st.one_of(st.integers(0, 3), st.integers(45, 60), st.integers(195, 205)), st.sampled_from([" ", "\t", "\u3000", "\x0c", " \t"]),
    st.sampled_from(["", "x", "- item", " "])), max_size=6)


@settings(max_examples=300, deadline=None)
@given(INDENTS)
@example([(MAX_INDENT // 4 + 1, "\t", "x")])  # the fewest characters past the limit
@example([(MAX_INDENT // 4, "\t", "x"), (MAX_INDENT + 1, " ", "- item")])
def test_deep_indentation_is_found_wherever_a_line_by_line_measure_finds_it(
        lines: list[tuple[int, str, str]]) -> None:
    text = "\n".join(space * count + rest for count, space, rest in lines)
    expected = _deepest_line(text)
    if expected is None:
        check_markdown(text)
    else:
        with pytest.raises(MarkdownTooComplex) as caught:
            check_markdown(text)
        assert caught.value.line_offset == expected


def test_html_with_few_opening_tags_is_not_read_for_depth_and_deep_html_still_is() -> None:
    shallow = "<p>" + "<em>x</em>" * MAX_NESTING + "</p>"
    assert render_body("*x* " * MAX_NESTING).count("<em>") == MAX_NESTING
    assert nesting_depth(shallow) == 2
    with pytest.raises(MarkdownTooComplex, match="the email would be cut off"):
        render_body("<blockquote>" * (MAX_NESTING + 1))

"""Plain text as a person would write it, from Markdown as people write it: hard-wrapped
paragraphs re-flowed, lists indented and tight, tables in columns, code kept, footnotes."""

from __future__ import annotations

import textwrap

from bulletin_gen.markdown.convert import render_markdown
from bulletin_gen.render.text import html_to_text
from bulletin_gen.sources.sanitize import sanitize_html


def text_of(markdown: str) -> str:
    """The plain text of a Markdown body, as the email's text gets it."""
    return html_to_text(sanitize_html(render_markdown(textwrap.dedent(markdown))))


def test_a_hard_wrapped_paragraph_is_re_flowed_at_72_columns() -> None:
    text = text_of("""\
        Doors open at 18:00 and the first talk starts at 18:30. Bring a laptop if you
        want to follow along; the slides are online before the meetup starts, and the
        recording a week after it.
        """)
    assert text == (
        "Doors open at 18:00 and the first talk starts at 18:30. Bring a laptop\n"
        "if you want to follow along; the slides are online before the meetup\n"
        "starts, and the recording a week after it.")


def test_a_hard_line_break_is_kept() -> None:
    assert text_of("Café Grüner Salon  \nSeefeldstraße 152  \n8008 Zürich\n") == (
        "Café Grüner Salon\nSeefeldstraße 152\n8008 Zürich")


def test_a_long_url_stands_alone_on_its_line_unbroken() -> None:
    url = "https://example.org/" + "a-long-path/" * 8
    text = text_of(f"Read the notes\nat {url} before Monday, please.\n")
    assert text == f"Read the notes at\n{url}\nbefore Monday, please."


def test_nested_lists_are_indented_by_level() -> None:
    text = text_of("""\
        - Compiler
            - let chains
                1. in the 2024 edition
                2. behind a flag before that
        - Library
        """)
    assert text == ("- Compiler\n"
                    "  - let chains\n"
                    "    1. in the 2024 edition\n"
                    "    2. behind a flag before that\n"
                    "- Library")


def test_a_tight_list_is_tight_and_a_loose_one_is_not() -> None:
    assert text_of("- one\n- two\n- three\n") == "- one\n- two\n- three"
    assert text_of("- one\n\n- two\n") == "- one\n\n- two"
    # Two lists one after the other stay apart.
    assert text_of("- one\n- two\n\nBetween.\n\n1. three\n") == (
        "- one\n- two\n\nBetween.\n\n1. three")


def test_a_long_item_wraps_under_its_own_text() -> None:
    text = text_of("1. " + "word " * 20 + "\n")
    lines = text.split("\n")
    assert lines[0].startswith("1. word") and all(line.startswith("   word") for line in lines[1:])


def test_an_ordered_list_keeps_its_start() -> None:
    assert text_of("3. third\n4. fourth\n") == "3. third\n4. fourth"


def test_code_is_indented_and_never_wrapped() -> None:
    line = 'let handle = ChildExt::main_thread_handle(&child).expect("a handle for the child");'
    text = text_of(f"Use it so:\n\n```rust\n{line}\n\n    indented()\n```\n")
    assert text == f"Use it so:\n\n    {line}\n\n        indented()"


def test_a_table_is_aligned_columns_under_an_underlined_header() -> None:
    html = ("<table><thead><tr><th>Time</th><th>Session</th><th align=\"right\">Minutes</th>"
            "</tr></thead><tbody><tr><td>18:30-19:15</td><td>Welcome</td>"
            "<td align=\"right\">45</td></tr><tr><td>19:15-20:00</td><td>A borrow checker"
            "</td><td style=\"text-align: right;\">120</td></tr></tbody></table>")
    assert html_to_text(html) == ("Time         Session           Minutes\n"
                                  "-----------  ----------------  -------\n"
                                  "18:30-19:15  Welcome                45\n"
                                  "19:15-20:00  A borrow checker      120")


def test_a_table_from_markdown_keeps_its_empty_cells_and_centres() -> None:
    text = text_of("| Lint | Level | Since |\n|---|:---:|---:|\n| `a_lint` | warn | 1.86 |\n"
                   "| b |  | 1.0 |\n")
    assert text.split("\n")[0] == "Lint    Level  Since"
    assert text.split("\n")[3].startswith("b")
    assert len(text.split("\n")) == 4


def test_a_table_too_wide_for_72_columns_is_a_list_of_rows() -> None:
    url = "https://meetup.example.com/compiler-club-berlin/events/306000001/"
    text = text_of(f"| Date | City | Link |\n|---|---|---|\n| 2025-03-11 | Berlin | {url} |\n"
                   f"| 2025-03-12 | Kraków | {url} |\n")
    assert text == (f"Date: 2025-03-11\nCity: Berlin\nLink: {url}\n\n"
                    f"Date: 2025-03-12\nCity: Kraków\nLink: {url}")


def test_columns_count_what_a_monospaced_font_shows() -> None:
    html = ("<table><thead><tr><th>Name</th><th>City</th></tr></thead><tbody>"
            "<tr><td>渡辺</td><td>Tōkyō</td></tr><tr><td>Zoë</td><td>Zürich</td></tr>"
            "</tbody></table>")
    assert html_to_text(html).split("\n")[2:] == ["渡辺  Tōkyō", "Zoë   Zürich"]


def test_sub_headings_are_underlined() -> None:
    assert html_to_text("<h2>In brief</h2><p>Text.</p><h4>Details</h4><p>More.</p>") == (
        "In brief\n--------\n\nText.\n\nDetails\n~~~~~~~\n\nMore.")


# Python-Markdown's footnotes extension, as it writes them (fn:1), and as an item's body
# on a page of several gets them (fn-<item>-1), its classes kept or not.
FOOTNOTES = ('<p>Checked so far<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a>'
             '</sup> and since<sup id="fnref:2"><a class="footnote-ref" href="#fn:2">2</a></sup>'
             '.</p>\n<div class="footnote">\n<hr>\n<ol>\n<li id="fn:1">\n<p>As of the nightly'
             ' of 3 March.&#160;<a class="footnote-backref" href="#fnref:1" title="Jump back to'
             ' footnote 1 in the text">&#8617;</a></p>\n</li>\n<li id="fn:2">\n<p>Every Monday.'
             '&#160;<a class="footnote-backref" href="#fnref:2">&#8617;</a></p>\n</li>\n</ol>\n'
             '</div>')


def test_footnotes_are_numbers_in_brackets_with_the_notes_after_the_text() -> None:
    expected = ("Checked so far[1] and since[2].\n\n"
                "[1] As of the nightly of 3 March.\n"
                "[2] Every Monday.")
    assert html_to_text(FOOTNOTES) == expected
    prefixed = FOOTNOTES.replace("fn:", "fn-news-grants-").replace("fnref:", "fnref-news-grants-")
    assert html_to_text(prefixed) == expected
    without_classes = (prefixed.replace(' class="footnote-ref"', "")
                       .replace(' class="footnote-backref"', "")
                       .replace('<div class="footnote">', "<div>"))
    assert html_to_text(without_classes) == expected


def test_a_long_footnote_wraps_under_its_text() -> None:
    html = FOOTNOTES.replace("Every Monday.", "Every Monday " + "and every Thursday " * 4)
    assert html_to_text(html).split("\n")[-2:] == [
        "[2] Every Monday and every Thursday and every Thursday and every",
        "    Thursday and every Thursday"]


def test_task_list_items_have_their_boxes() -> None:
    html = ("<ul><li>\u2611 closures that borrow</li><li>\u2610 closures in <code>const</code>"
            "</li></ul>")
    assert html_to_text(html) == "- [x] closures that borrow\n- [ ] closures in const"


def test_strikethrough_is_marked() -> None:
    assert html_to_text("<p>On <del>Tuesday</del> Wednesday</p>") == "On ~~Tuesday~~ Wednesday"


def test_a_quote_keeps_its_marks_between_paragraphs() -> None:
    assert text_of("> one\n> two\n>\n> three\n") == "> one two\n>\n> three"


def test_links_within_the_page_are_their_words_and_bare_www_links_the_whole_url() -> None:
    html = ('<p><a href="#event-x">the meetup</a>, <a href="http://www.example.org/x">'
            'www.example.org/x</a> and <a href="https://e.org/">https://e.org/</a></p>')
    assert html_to_text(html) == "the meetup, http://www.example.org/x and https://e.org/"


def test_unwrapped_text_has_one_line_a_paragraph() -> None:
    text = html_to_text(render_markdown("A paragraph written\nover three\nlines.\n\n- a\n- b\n"),
                        wrap=False)
    assert text == "A paragraph written over three lines.\n\n- a\n- b"

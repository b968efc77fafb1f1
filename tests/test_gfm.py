"""Markdown as GitHub shows it: the project's HTML against markdown-it-py's GFM reading.

Each construct of the corpus is rendered as an item body is (Markdown, then the
sanitiser) and by markdown-it-py in CommonMark + GFM mode (tables, strikethrough,
bare links, task lists, footnotes), whose HTML then goes through the same sanitiser,
its headings moved as an item's are. Both are brought to one form (whitespace, the
attributes that differ by renderer and not by meaning: footnote ids, classes) and
compared. Every construct on which the two still differ is in KNOWN_DIFFERENCES with
its reason; one that comes to agree must leave that list.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from bulletin_gen.markdown import gfm, lists
from bulletin_gen.markdown.convert import new_parser
from bulletin_gen.sources.load import render_body

CORPUS = {
    # Lists, nested as GitHub nests them.
    "list nested by 2": "- Compiler\n  - stabilize `let else`\n  - new lints\n- Library\n",
    "list nested by 3 under a number": "1. first\n   - nested under first\n2. second\n",
    "list nested by 4": "- a\n    - b\n        - c\n- d\n",
    "list three levels by 2": "- a\n  - b\n    - c\n- d\n",
    "ordered in ordered by 3": "1. a\n   1. b\n      1. c\n2. d\n",
    "ordered in bullets by 2": "- a\n  1. one\n  2. two\n- b\n",
    "loose list": "- a\n\n  continued\n- b\n",
    "paragraph then list": "Bring:\n- a pen\n- paper\n",
    "lazy continuation": "- a long item\nwrapped lazily\n- b\n",
    "ordered list starting at 3": "3. three\n4. four\n",
    "code block in an item": "- a\n\n      code\n- b\n",
    "fence in an item": "1. Run\n\n   ```sh\n   make test\n     --verbose\n\n   done\n   ```\n\n2. Read\n",
    "fence in a tight item": "- a\n  ```\n  x\n  ```\n- b\n",
    "fence after a list": "- a\n\n```\n- not a list\n  - nor this\n```\n",
    "star and plus bullets": "* star\n* star\n\n+ plus\n",
    # Links.
    "inline link": "A [link](https://example.org/a_b) here.\n",
    "reference link": "A [ref][r].\n\n[r]: https://example.org/ref \"Title\"\n",
    "angle autolink": "<https://example.org/x>\n",
    "bare URL": "See https://github.com/rust-lang/rust/pull/123 for it.\n",
    "bare URL before a full stop": "Read https://example.org/page.\n",
    "bare URL in brackets": "(see https://example.org/x)\n",
    "www link": "Visit www.example.org today.\n",
    "bare e-mail address": "Write to info@example.org.\n",
    "long URL as link text": "[https://example.org/a/very/long/path/that/goes/on_and_on](https://example.org/a/very/long/path/that/goes/on_and_on)\n",
    # Emphasis.
    "underscores inside words": "snake_case_word and a_b_c stay\n",
    "dunder": "Call `__init__` or __init__ in prose.\n",
    "emphasis": "*em*, _em_, **strong**, __strong__, ***both***\n",
    "star inside a word": "foo*bar*baz\n",
    "strikethrough": "~~old~~ new\n",
    "task list": "- [ ] to do\n- [x] done\n- [X] also done\n",
    "footnotes": "Text[^1] and more[^note].\n\n[^1]: The first note.\n[^note]: A named note with *emphasis*.\n",
    "aligned table": "| Left | Centre | Right | None |\n|:-----|:------:|------:|------|\n| a | b | 18:30-19:15 | 4 |\n",
    "table with code": "| Code | Meaning |\n|---|---|\n| `a_b` | x |\n",
    "headings 1 to 6": "# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six\n",
    "setext headings": "One\n===\n\nTwo\n---\n",
    "code span": "Use `my_function()` and ``a `tick` ``.\n",
    "fenced code": "```python\ndef f(x):\n    return x < 1 and x_y\n```\n",
    "tilde fence": "~~~\n~~not struck~~\n~~~\n",
    "indented code": "Text\n\n    indented code\n    more\n",
    "blockquote": "> quoted\n> more\n>\n> > nested\n",
    "blockquote with a list": "> - a\n> - b\n",
    "entities": "&copy; &amp; &#169; AT&T &lt;tag&gt;\n",
    "kbd": "Press <kbd>Ctrl</kbd>+<kbd>C</kbd>.\n",
    "sub and sup": "H<sub>2</sub>O and x<sup>2</sup>\n",
    "hard break by two spaces": "line one  \nline two\n",
    "hard break by backslash": "line one\\\nline two\n",
    "hard-wrapped paragraph": "A paragraph written the way most people\nwrite Markdown, wrapped at about eighty\ncolumns.\n",
    "picture": "![A chart](https://example.org/chart.png)\n",
    "rule": "Above\n\n---\n\nBelow\n",
    "escapes": "\\*not em\\* and \\_not\\_ and 1\\. not a list\n",
    "raw HTML block": "<div>\n\n*inside*\n\n</div>\n",
}

# Where the two still differ, and why. A difference not listed fails the test; so
# does a listed one that has gone.
KNOWN_DIFFERENCES = {
    "fence in a tight item": "the code is right, but the list comes out loose (<p> in its "
                             "items): Python-Markdown reads code in an item only after a "
                             "blank line, so lists.py puts one there",
    "hard break by backslash": "Python-Markdown has no backslash line break; two spaces work",
    "emphasis": "***both*** nests as <strong><em> here and <em><strong> there: it looks the same",
    "raw HTML block": "Markdown inside an HTML block is read only with markdown=\"1\" "
                      "(Python-Markdown's md_in_html), not after a blank line",
    "star and plus bullets": "Python-Markdown keeps one list when the bullet changes from * "
                             "to +; CommonMark starts another",
}

_MDIT = MarkdownIt("gfm-like").use(tasklists_plugin).use(footnote_plugin)
CHECKBOX_RE = re.compile(r'<input class="task-list-item-checkbox"( checked="checked")?[^>]*>')


def ours(text: str) -> str:
    return render_body(text, gfm.ITEM, "news-x")


def theirs(text: str) -> str:
    html = _MDIT.render(text)
    # GitHub draws a disabled box; the project the character the email can hold.
    html = CHECKBOX_RE.sub(lambda m: "\u2611 " if m.group(1) else "\u2610 ", html)
    # An item's headings sit below its <h3> title, as in ours.
    html = re.sub(r"<(/?)h([1-6])\b", lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + 3)}",
                  html)
    # The same meaning, written another way: alignment by style, strikethrough as <s>.
    html = re.sub(r' style="text-align:(left|center|right)"', r' align="\1"', html)
    html = re.sub(r"<(/?)s>", r"<\1del>", html)
    return render_body_html(html)


def render_body_html(html: str) -> str:
    from bulletin_gen.sources.sanitize import sanitize_html

    return sanitize_html(html)


KEPT_ATTRIBUTES = {"href", "src", "alt", "align", "start", "colspan"}


def canonical(html: str) -> str:
    """html in one form: what a reader sees, not how a renderer writes it."""
    root = lxml_html.fragment_fromstring(html or "<p></p>", create_parent="div")
    for element in root.iter():
        kept = sorted((name, value) for name, value in element.attrib.items()
                      if name in KEPT_ATTRIBUTES and not value.startswith("#fn"))
        element.attrib.clear()
        element.attrib.update(kept)
        if element.tag == "a" and element.text in ("\u21a9", "\u21a9\ufe0e"):
            element.text = "\u21a9"  # the back-link's arrow, with or without its variant
        if element.tag == "a" and element.getparent() is not None and \
                element.getparent().tag == "sup" and element.text:
            element.text = element.text.strip("[]")  # footnote [1] or 1
    text = lxml_html.tostring(root, encoding="unicode")
    text = text.replace("\xa0", " ").replace("&#160;", " ").replace("\ufe0e", "")
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", text).strip()


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_the_corpus_reads_as_github_reads_it(name: str) -> None:
    text = CORPUS[name]
    same = canonical(ours(text)) == canonical(theirs(text))
    if name in KNOWN_DIFFERENCES:
        assert not same, f"{name!r} now reads as GitHub reads it: take it off KNOWN_DIFFERENCES"
    else:
        assert canonical(ours(text)) == canonical(theirs(text))


def test_every_known_difference_is_in_the_corpus() -> None:
    assert set(KNOWN_DIFFERENCES) <= set(CORPUS)


def test_footnote_links_reach_their_note_and_back() -> None:
    html = ours(CORPUS["footnotes"])
    ids = set(re.findall(r' id="([^"]+)"', html))
    targets = set(re.findall(r' href="#([^"]+)"', html))
    assert targets == {"fn-news-x-1", "fn-news-x-note", "fnref-news-x-1", "fnref-news-x-note"}
    assert targets <= ids


def test_footnote_ids_differ_between_items_of_one_page() -> None:
    one = render_body(CORPUS["footnotes"], gfm.ITEM, "news-a")
    two = render_body(CORPUS["footnotes"], gfm.ITEM, "event-b")
    assert not set(re.findall(r' id="([^"]+)"', one)) & set(re.findall(r' id="([^"]+)"', two))


def test_headings_sit_below_the_title_and_are_never_stripped() -> None:
    html = ours(CORPUS["headings 1 to 6"])
    assert re.findall(r"<(h\d)>", html) == ["h4", "h5", "h6", "h6", "h6", "h6"]
    intro = render_body(CORPUS["headings 1 to 6"], gfm.INTRO, "issue")
    assert re.findall(r"<(h\d)>", intro) == ["h2", "h2", "h3", "h4", "h5", "h6"]


def test_an_items_highest_heading_sits_right_below_its_title() -> None:
    # Sections written `###` (under a pull request's own title) are h4, not h6.
    assert re.findall(r"<(h\d)>", ours("### Why\n\ntext\n\n#### Details\n")) == ["h4", "h5"]
    # A level skipped inside the body stays skipped, for `bulletin check` to report.
    assert re.findall(r"<(h\d)>", ours("## One\n\n#### Three\n")) == ["h4", "h6"]


def test_ids_written_in_a_body_do_not_reach_the_page() -> None:
    html = ours('<p id="contents-title">x</p>\n\n<ol><li id="fn-forged">y</li></ol>\n')
    assert ' id="contents-title"' not in html
    assert 'id="fn-forged"' in html  # a footnote's form: harmless, and kept


LIST_LINE = st.tuples(
    st.sampled_from(["", "", " ", "  ", "   ", "    ", "      ", "        "]),
    st.sampled_from(["", "- ", "* ", "+ ", "1. ", "2. ", "10. ", "-", "# ", "> ", "```", "~~~",
                     "- - -", "- [ ] ", "- [x] "]),
    st.sampled_from(["", "word", "two words", "`code`", "- nested", "1. nested", "```"]),
).map("".join)
LIST_DOCUMENT = st.lists(LIST_LINE, max_size=14).map("\n".join)


@settings(max_examples=400, deadline=None)
@given(LIST_DOCUMENT)
def test_a_document_passed_by_as_needing_nothing_comes_out_as_if_rewritten(text: str) -> None:
    # The list preprocessor skips documents nothing_to_change says it would not change;
    # rewritten anyway, they must give the same HTML.
    if not lists.nothing_to_change("\n" + text):
        return
    parser = new_parser()
    skipped = parser.convert(text)
    parser.reset()
    rewritten = parser.convert("\n".join(lists.reindent(text.split("\n"))))
    assert canonical(skipped) == canonical(rewritten)


@settings(max_examples=300, deadline=None)
@given(LIST_DOCUMENT)
def test_the_list_preprocessor_never_loses_a_word(text: str) -> None:
    # Only the fences of code in an item go, with their language (it becomes an
    # indented code block).
    def words(document: str) -> list[str]:
        return [word for line in document.split("\n")
                if not line.lstrip().startswith(("```", "~~~")) for word in line.split()]

    assert words("\n".join(lists.reindent(text.split("\n")))) == words(text)

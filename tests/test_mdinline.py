"""The guarded inline processor: the same HTML as Python-Markdown's own, in less time."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import InlineProcessor

from bulletin_gen import speedups
from bulletin_gen.markdown.convert import _parser, new_parser, render_markdown
from bulletin_gen.speedups import markdown_inline as mdinline

ROOT = Path(__file__).resolve().parents[1]
TRICKY = [
    "Plain words and nothing else.",
    "A `code span` and ``double `ticks` `` and \\`escaped\\` ones.",
    "Escapes: \\*not em\\*, \\[not a link\\], \\\\ a backslash, 1\\. not a list.",
    "[a link](https://example.org/ \"title\") and [a reference][ref] and [ref].\n\n"
    "[ref]: https://example.org/ref",
    "![a picture](images/a.png) and ![by reference][pic]\n\n[pic]: images/b.png",
    "<https://example.org/auto> and <someone@example.org> and <b>inline html</b>.",
    "Line one  \nline two after a hard break.",
    "Entities: &amp; &copy; &#169; &#xA9; and a bare & ampersand.",
    "*em* _em_ **strong** __strong__ ***both*** snake_case_word 2 * 3 * 4",
    "A footnote[^1] and [^missing].\n\n[^1]: The note, with *emphasis*.",
    "*[HTML]: Hyper Text Markup Language\n\nHTML in a sentence, and [HTML](x).",
    "Term\n:   Definition with `code`\n\n| a | *b* |\n|---|---|\n| [c](d) | e |",
    "```\nfenced *not em* [not link]\n```\n\n    indented <not html>",
    "<div markdown=\"1\">*inside* html</div>\n\n* list *item*\n* [link](x)",
    "Unclosed [bracket, unclosed *star, unclosed `tick and <angle.",
    "Bare https://example.org/a_b, HTTPS://E.ORG, www.example.org, WWW.E.ORG and a@b.org.",
    "~~struck~~ and ~one~ and a~b~c, <ftp://e.org/f> and <HTTPS://E.ORG/x>.",
]


def _plain_parser() -> markdown.Markdown:
    return new_parser()  # the build's extensions, without the speed-ups


def _both(text: str) -> tuple[str, str]:
    plain = _plain_parser()
    return plain.convert(text), render_markdown(text)


def test_the_build_uses_the_guarded_processor() -> None:
    # Were it silently dropped (a markdown upgrade), builds would only be slower.
    assert type(_parser().treeprocessors["inline"]) is mdinline.GuardedInlineProcessor
    render_markdown("a *b*")
    any_start = _parser().treeprocessors["inline"]._any  # type: ignore[attr-defined]
    assert any_start is not None and any_start.search("plain words") is None
    assert all(any_start.search(text) for text in ("a [", "a *", "a `", "a &", "a <", "x  \n",
                                                   "a ~"))
    held = _parser().treeprocessors["inline"]._held  # type: ignore[attr-defined]
    assert all(held.search(text) for text in ("h://x", "Www.x", "wWW.x", "x@y", "<x"))
    assert held.search("plain words. More words.") is None


def test_magiclink_patterns_are_passed_by_only_without_what_they_need() -> None:
    inline = _parser().treeprocessors["inline"]
    guarded = {pattern.__class__.__name__: (one, many)
               for pattern, one, many, _ in inline._patterns()}  # type: ignore[attr-defined]
    assert guarded["MagiclinkMailPattern"] == ("@", None)
    assert guarded["MagiclinkAutoPattern"] == ("<", None)
    one, many = guarded["MagiclinkPattern"]
    assert one is None and many is not None and many.search("see WwW.x") is not None
    assert many.search("see w.w. x") is None
    assert mdinline.needles(object(), re.compile("x")) is None


def test_the_same_html_as_python_markdown_on_tricky_text() -> None:
    for text in TRICKY:
        plain, guarded = _both(text)
        assert guarded == plain, text


def test_the_same_html_on_every_body_of_the_example_and_fixtures() -> None:
    sources = [*ROOT.glob("bulletins/*/*.md"), *ROOT.glob("tests/fixtures/*/bulletins/*/*.md")]
    assert len(sources) > 20
    for source in sources:
        body = source.read_text(encoding="utf-8").split("---\n", 2)[-1]
        plain, guarded = _both(body)
        assert guarded == plain, source


MARKDOWN_PIECES = st.sampled_from(
    ["word", " ", "  \n", "\n", "\n\n", "*", "**", "_", "`", "``", "\\", "[", "]", "(", ")",
     "!", "<", ">", "&", ";", "#", "amp", "^", ":", "x@y.org", "https://e.org", "<b>", "</b>",
     "[^1]", "[^1]: ", "*[A]: ", "A", "|", "---", "- ", "1. ", "    ", "{: .c }", '"',
     "www.", "WwW.e", "://", "ftp://x", "~~", "~", "[ ] ", "[x] ", "  - "])


@settings(max_examples=400, deadline=None)
@given(st.lists(MARKDOWN_PIECES, max_size=40).map("".join))
def test_the_same_html_on_generated_markdown(text: str) -> None:
    plain, guarded = _both(text)
    assert guarded == plain


def test_first_characters_of_the_library_patterns() -> None:
    starts = {item.name: mdinline.first_characters(_plain_parser().inlinePatterns[item.name]
                                                   .getCompiledRegExp())
              for item in _plain_parser().inlinePatterns._priority}
    assert starts["link"] == {"["}
    assert starts["image_link"] == {"!["}
    assert starts["footnote"] == {"[^"}
    assert starts["linebreak"] == {"  \n"}
    assert starts["backtick"] == {"\\", "`"}  # escaped backslashes before a backtick, or one
    assert starts["em_strong"] == {"*", "_"}
    assert starts["entity"] == {"&"}
    assert starts["html"] == {"<"}


def test_first_characters_is_unknown_where_a_match_may_start_anywhere() -> None:
    for pattern in (r"a?b", r"\w+", r"[^<]x", r".", r"(?:x|\d)", r"", r"^$", r"(?:a|)b",
                    r"(?i)a", r"(?i:a)b"):
        assert mdinline.first_characters(re.compile(pattern)) is None, pattern
    assert mdinline.first_characters(re.compile(r"(?<!\\)(?=x)[a-c]+")) == {"a", "b", "c"}
    assert mdinline.first_characters(re.compile(r"(?:ab|c)d")) == {"ab", "c"}
    assert mdinline.first_characters(re.compile("a", re.IGNORECASE)) is None


def test_an_inline_processor_replaced_by_an_extension_is_kept() -> None:
    class Other(InlineProcessor):
        pass

    md = _plain_parser()
    md.treeprocessors.register(Other(md), "inline", 20)
    mdinline.install(md)
    assert type(md.treeprocessors["inline"]) is Other


def test_reference_patterns_are_passed_by_only_without_link_definitions() -> None:
    plain = _plain_parser()
    marked = {type(pattern).__name__ for pattern in plain.inlinePatterns
              if mdinline.needs_references(pattern)}
    assert marked == {"ReferenceInlineProcessor", "ShortReferenceInlineProcessor",
                      "ImageReferenceInlineProcessor", "ShortImageReferenceInlineProcessor"}
    for text in ("[a][b], [c], ![d][e], ![f] and [g](h)", "[b]: x\n\n[a][b], [b], ![b][]"):
        assert render_markdown(text) == _plain_parser().convert(text), text

    class Other(markdown.inlinepatterns.ReferenceInlineProcessor):
        def evalId(self, data: str, index: int, text: str) -> tuple[str | None, int, bool]:
            return "x", index, True

    assert not mdinline.needs_references(Other(markdown.inlinepatterns.NOIMG + r"\[", plain))


def test_a_pattern_deregistered_for_another_stops_running() -> None:
    # The same number of patterns, not the same ones: the table must be made again.
    guarded, plain = _plain_parser(), _plain_parser()
    mdinline.install(guarded)
    assert type(guarded.treeprocessors["inline"]) is mdinline.GuardedInlineProcessor
    text = "a *b* and @@c@@"
    assert guarded.convert(text) == plain.convert(text) == "<p>a <em>b</em> and @@c@@</p>"
    for md in (guarded, plain):
        md.reset()
        md.inlinePatterns.deregister("em_strong")
        md.inlinePatterns.register(
            markdown.inlinepatterns.SimpleTagInlineProcessor(r"(@@)(.+?)@@", "strong"),
            "at_strong", 60)
    assert guarded.convert(text) == plain.convert(text) == "<p>a *b* and <strong>c</strong></p>"


def test_a_changed_library_loop_leaves_the_library_processor(
        monkeypatch: pytest.MonkeyPatch) -> None:
    library_loop = InlineProcessor._InlineProcessor__handleInline  # type: ignore[attr-defined]

    def handle(self: InlineProcessor, data: str, patternIndex: int = 0) -> str:  # noqa: N803
        return str(library_loop(self, data, patternIndex))

    monkeypatch.setattr(InlineProcessor, "_InlineProcessor__handleInline", handle)
    speedups.active.cache_clear()
    try:
        md = _plain_parser()
        mdinline.install(md)
        assert type(md.treeprocessors["inline"]) is InlineProcessor
        assert not mdinline.needs_references(md.inlinePatterns["reference"])
    finally:
        monkeypatch.undo()
        speedups.active.cache_clear()
    assert mdinline.needs_references(_plain_parser().inlinePatterns["reference"])

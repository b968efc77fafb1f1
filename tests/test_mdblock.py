"""The guarded block parser: the same HTML as Python-Markdown's own."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree as etree

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import blockprocessors as bp
from markdown.blockparser import BlockParser

from bulletin_gen import speedups
from bulletin_gen.markdown.convert import _parser, new_parser, render_markdown
from bulletin_gen.speedups import markdown_block as mdblock

ROOT = Path(__file__).resolve().parents[1]
TRICKY = [
    "# Header\n## Header ##\n####### seven\n#no space\nText\n# last",
    "Setext\n======\n\nAnother\n---\n\nNot one\n- item",
    "Rules:\n\n---\n***\n___\n- - -\n * * *\n   ___\n    ---\nText\n---\nAfter",
    "    code block\n    more\n\n\tcode with a tab\n\nText\n\n        deep code",
    "> quote\n> > nested\n   > three spaces\n    > code\n>\nlazy line",
    "- a\n- b\n\n    indented in b\n\n* c\n+ d\n\n1. one\n2. two\n\n3) not\n10. ten",
    "1. one\n\n    * nested\n    * list\n\n2. two\n\n٣. Arabic-Indic digit",
    "Term\n:   Definition\n:   Another\n\n    Indented in it\n\nTerm: not one\n : one space",
    "| a | b |\n|---|:-:|\n| c | d |\n\n|one|\n|---|\n\na | b\n- | -\n\n`|` in code | x\n--- | ---",
    "[ref]: https://example.org/ \"Title\"\n[other]: <https://e.org>\n  'T'\n\n[ref] and [other]",
    "Text[^1] and [^n].\n\n[^1]: A note\n    with more\n\n[^n]: Another\n[^x]: third",
    "*[HTML]: Hyper Text\n*[W3C]:  World Wide Web Consortium\nHTML and W3C.",
    "<div markdown=\"1\">\n*inside*\n\n- a list\n</div>\n\n<div>raw *html*</div>\n\n<p>para</p>",
    "```python\ncode *not em*\n```\n\n~~~\ntilde\n~~~\n\n````\n```\n````\n\n``` {.lang #id}\nx\n```",
    "Attributes {: .cls }\n\n# Header {#id}\n\n- item {: .x}\n\n*em*{: .y} and {not one",
    "Lines\n  \n   \nwith spaces only\n\t\nand tabs\r\nand CRs\rend",
    "\x02wzxhzdk:0\x03 a stray placeholder and \x02 STX and \x03 ETX",
    "&amp; &copy; &#169; &#169 no semicolon & bare <b>bold</b> <br/> <!-- c --> <?pi ?>",
    "Para\n# Header right after\n> quote right after\n- list right after\n    code?\n: def?",
    "*em* \\*not em\\* and [a](b) \\[x\\] and **b** \\\\ one",  # escapes in tails
    "[link](http://e.org/ \"a \\* title\") ![alt \\_x](p.png \"t\\_\")",  # in attributes
    "",
    "\n\n\n",
    "    \n\n    ",
    # Lists as GitHub nests them (mdlists.py), task lists, strikethrough, bare links.
    "- a\n  - b\n    - c\n- d\n\n1. one\n   - under\n2. two\n\nText\n- right after\n",
    "- a\n\n  continued\n- b\n\n      code in b\n\n- [ ] task\n- [x] done ~~old~~\n",
    "See https://e.org/x_y, www.e.org and a@e.org.\n\n```\n- not a list\n  - nor this\n```\n",
    "1. Run\n\n   ```sh\n   make test\n   ```\n2. b\n   ```\n   unclosed\n",
]
BLOCK_PIECES = st.sampled_from([
    "word", "Two words", " ", "  ", "   ", "    ", "\t", "\n", "\n\n", "\n\n\n", "\r\n", "\r",
    "# ", "###### ", "#", "> ", ">", "- ", "* ", "+ ", "1. ", "2) ", "٣. ", "---", "***", "___",
    "- - -", "===", "=", "-", ": ", ":   ", "|", "| a | b |", "|---|---|", ":-:",
    "[x]: http://e.org", "[x]: <http://e.org> \"t\"", "[x]", "[^1]", "[^1]: note", "*[HTML]: Hyper",
    "HTML", "```", "~~~", "\n```\nx <b>\n```\n", "\n~~~\ncode *x*\n~~~\n", "<div>",
    "<div markdown=\"1\">", "</div>", "<p>", "</p>", "<!-- c -->", "&amp;", "&#123 ", "&", "<",
    "\x02", "\x03", "\x02wzxhzdk:0\x03", "{: .c}", "{#id}", "\\", "`code`", "**", "_",
    "![i](p.png)", "\n    code", "\n- item", "\n1. item", "\n> quote", "\n: def", "\n===",
    "\n---", "\n# h"])
MARKDOWN = st.lists(BLOCK_PIECES, max_size=50).map("".join)
# Blocks built line by line, so that lines start in every way a processor looks for.
LINE = st.tuples(
    st.sampled_from(["", "", " ", "  ", "   ", "    ", "     ", "\t"]),
    st.sampled_from(["", "word", "# ", "#", "###### ", "> ", ">", "- ", "* ", "+ ", "1. ", "٣. ",
                     "---", "***", "___", "- - -", "===", "-", ": ", ":", "|", "| a | b |",
                     "|---|---|", "[x]: http://e.org", "[^1]: note", "*[HTML]: Hyper",
                     "\x02wzxhzdk:0\x03", "```", "~~~", "<div>", "{: .c}"]),
    st.sampled_from(["", "word", " text", " | b", "|", " :-: |", " [^1]", " *em*", " #", "---"]),
).map("".join)
BLOCK = st.lists(LINE, min_size=1, max_size=6).map("\n".join)
DOCUMENT = st.lists(st.tuples(BLOCK, st.sampled_from(["\n\n", "\n", "\n\n\n"])), max_size=8).map(
    lambda parts: "".join(block + gap for block, gap in parts))


def _plain_parser() -> markdown.Markdown:
    return new_parser()  # the build's extensions, without the speed-ups


def _library_html(text: str) -> str:
    return _plain_parser().convert(text)


def test_the_build_uses_the_guarded_parser() -> None:
    # Were it silently dropped (a markdown or Python upgrade changing the code it was
    # read from), builds would only be slower: `make upgrade-check` says what to do.
    md = _parser()
    assert type(md.parser) is mdblock.GuardedBlockParser
    assert all(mdblock.condition(processor) is not None
               for processor in md.parser.blockprocessors)


@pytest.mark.parametrize("text", TRICKY)
def test_the_same_html_as_python_markdown_on_tricky_text(text: str) -> None:
    assert render_markdown(text) == _library_html(text)


def test_the_same_html_on_every_body_of_the_example_fixtures_and_bad_input() -> None:
    sources = [*ROOT.glob("bulletins/*/*.md"),
               *ROOT.glob("tests/fixtures/*/bulletins/*/*.md"),
               *ROOT.glob("tests/bad/**/*.md")]
    assert len(sources) > 40
    for source in sources:
        body = source.read_text(encoding="utf-8", errors="replace").split("---\n", 2)[-1]
        assert render_markdown(body) == _library_html(body), source


@settings(max_examples=400, deadline=None)
@given(MARKDOWN)
def test_the_same_html_on_generated_markdown(text: str) -> None:
    assert render_markdown(text) == _library_html(text)


@settings(max_examples=400, deadline=None)
@given(DOCUMENT)
def test_the_same_html_on_generated_documents(text: str) -> None:
    assert render_markdown(text) == _library_html(text)


@settings(max_examples=500, deadline=None)
@given(st.one_of(BLOCK, st.lists(BLOCK_PIECES, min_size=1, max_size=12).map("".join)))
def test_a_block_a_condition_turns_away_is_one_the_processor_refuses(block: str) -> None:
    md = _plain_parser()
    for processor in md.parser.blockprocessors:
        found = mdblock.condition(processor)
        assert found is not None, type(processor)
        starts, needles = found
        passes = (starts is None or block[:1] in starts) and (
            needles is None or any(needle in "\n" + block for needle in needles))
        if passes:
            continue
        # Parents that make the indented-list test as willing as it can be.
        for parent in (etree.Element("li"), _parent_with_list()):
            if processor.test(parent, block):
                # Only processors whose test is always true get here: their run must
                # then refuse, leaving the blocks and the tree as they were.
                blocks = [block, "next"]
                assert processor.run(parent, blocks) is False, type(processor)
                assert blocks == [block, "next"]
                assert len(parent) == (1 if parent.tag == "div" else 0)


def _parent_with_list() -> etree.Element:
    parent = etree.Element("div")
    etree.SubElement(parent, "ul")
    return parent


def test_a_processor_not_as_read_has_no_condition() -> None:
    md = _plain_parser()

    class Subclass(bp.HashHeaderProcessor):
        pass

    assert mdblock.condition(Subclass(md.parser)) is None
    changed = bp.HashHeaderProcessor(md.parser)
    changed.RE = re.compile(r"#")
    assert mdblock.condition(changed) is None
    assert mdblock.condition(bp.HashHeaderProcessor(md.parser)) is not None


def test_a_processor_whose_code_changed_has_no_condition(monkeypatch: pytest.MonkeyPatch) -> None:
    md = _plain_parser()
    library_test = bp.HashHeaderProcessor.test

    def test(self: bp.HashHeaderProcessor, parent: etree.Element, block: str) -> bool:
        return library_test(self, parent, block)  # the same, but not the source read

    monkeypatch.setattr(bp.HashHeaderProcessor, "test", test)
    speedups.active.cache_clear()
    try:
        assert mdblock.condition(bp.HashHeaderProcessor(md.parser)) is None
    finally:
        monkeypatch.undo()
        speedups.active.cache_clear()
    assert mdblock.condition(bp.HashHeaderProcessor(md.parser)) is not None


def test_an_unknown_processor_brings_back_the_library_loop() -> None:
    class Shout(bp.BlockProcessor):
        def test(self, parent: etree.Element, block: str) -> bool:
            return block.startswith("!")

        def run(self, parent: etree.Element, blocks: list[str]) -> None:
            etree.SubElement(parent, "strong").text = blocks.pop(0)[1:]

    guarded, plain = _plain_parser(), _plain_parser()
    mdblock.install(guarded)
    for md in (guarded, plain):
        md.parser.blockprocessors.register(Shout(md.parser), "shout", 65)
    text = "!loud\n\n# header\n\n!again\n\nplain"
    assert guarded.convert(text) == plain.convert(text)
    assert "<strong>loud</strong>" in plain.convert(text)
    assert guarded.parser._plan is None  # type: ignore[attr-defined]


def test_a_changed_library_loop_is_left_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    library_loop = BlockParser.parseBlocks

    def parseBlocks(self: BlockParser, parent: etree.Element, blocks: list[str]) -> None:  # noqa: N802
        library_loop(self, parent, blocks)

    monkeypatch.setattr(BlockParser, "parseBlocks", parseBlocks)
    speedups.active.cache_clear()
    try:
        md = _plain_parser()
        mdblock.install(md)
        assert type(md.parser) is BlockParser
        assert speedups.changed_code("markdown_block") == [
            "markdown.blockparser:BlockParser.parseBlocks"]
    finally:
        monkeypatch.undo()
        speedups.active.cache_clear()
    md = _plain_parser()
    mdblock.install(md)
    assert type(md.parser) is mdblock.GuardedBlockParser

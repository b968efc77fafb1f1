"""premailer's fast path: the same email as stock premailer.Premailer(...).transform()."""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path

import premailer
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import bulletin_gen.mail.finish as finish
from bulletin_gen import speedups
from bulletin_gen.cli import main
from bulletin_gen.mail.inline import premailer_options
from bulletin_gen.speedups import premailer as fast_premailer
from tests.conftest import REPO, copy_publication


def stock(html: str, **options: object) -> str:
    return str(premailer.Premailer(html, **options).transform(pretty_print=False))


def fast(html: str, **options: object) -> str:
    inliner = premailer.Premailer(html, **options)
    assert fast_premailer.covers(inliner)  # else this would compare stock with stock
    return fast_premailer.transform(inliner)


def emails_before_inlining(source: Path, target: Path,
                           monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML a build of the publication at source hands inline_css, email by email."""
    seen: list[str] = []
    real = finish.inline_css

    def recording(html: str) -> str:
        seen.append(html)
        return real(html)

    monkeypatch.setattr(finish, "inline_css", recording)
    root = copy_publication(source, target)
    # One process, so that every email passes through the recording function.
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--jobs", "1"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return seen


@pytest.mark.parametrize("source", [REPO, REPO / "tests/fixtures/archive"],
                         ids=["example", "fixtures"])
def test_the_same_email_as_stock_premailer_on_the_built_emails(
        source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    emails = emails_before_inlining(source, tmp_path / "publication", monkeypatch)
    assert emails
    for html in emails:
        options = premailer_options(html)
        expected = stock(html, **options)
        assert fast(html, **options) == expected
        assert fast(html, **options) == expected  # again, from the caches


def test_the_fast_path_runs_for_the_options_inline_css_uses() -> None:
    # Were it silently off (a premailer, lxml or cssselect upgrade changing the code it
    # was read from), builds would only be slower: `make upgrade-check` says what to do.
    assert speedups.active("premailer"), speedups.changed_code("premailer")
    html = "<html><head><style>p{color:red}</style></head><body><p>x</p></body></html>"
    assert fast_premailer.covers(premailer.Premailer(html, **premailer_options(html)))


# The same CSS inlined with each combination of the options that change what premailer
# parses or merges, one after another, so that a cache keyed by the CSS alone would
# hand one combination's rules to another (premailer's own tests
# test_include_star_selector, test_external_styles_and_links and
# test_ignore_some_external_stylesheets failed so).
OPTION_CSS = """<html><head><title>T</title><style type="text/css">
p * { color: red }
h1 { color: blue !important; font-size: 20px }
a { color: pink } a:hover { color: purple }
td:first-child { width: 10px; background-color: #abc; text-align: center }
@media all and (max-width: 320px) { h1 { font-size: 12px } }
div { colour: bad; width: 600px }
</style></head><body><h1>Hi</h1><p><strong>Yes</strong> <a href="x">a</a></p>
<table><tr><td>1</td><td style="width: 5px">2</td></tr></table>
<div style="color: green" width="300">d</div><img src="i.png" style="float: left"></body></html>"""
KEYED_VALUES = {
    "include_star_selectors": (False, True),
    "exclude_pseudoclasses": (True, False),
    "strip_important": (False, True),
    "disable_validation": (True, False),
    "remove_unset_properties": (True, False),
    "disable_basic_attributes": (["width", "height"], []),
}


def test_every_combination_of_the_keyed_options_gives_stock_premailers_email() -> None:
    assert tuple(KEYED_VALUES) == fast_premailer.KEYED
    seen = set()
    for values in itertools.product(*KEYED_VALUES.values()):
        options = dict(zip(KEYED_VALUES, values, strict=True), align_floating_images=True,
                       allow_network=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # cssutils on the invalid `colour`
            result = fast(OPTION_CSS, **options)
            assert result == stock(OPTION_CSS, **options), options
        seen.add(result)
    assert len(seen) > 10  # the options do change the email


def test_star_selectors_follow_the_option_for_the_same_css() -> None:
    # As premailer's test_include_star_selector: the same <style>, first without then with.
    html = ("<html><head><style>p * { color: red }</style></head>"
            "<body><p><strong>Yes!</strong></p></body></html>")
    without = fast(html, allow_network=False)
    with_star = fast(html, allow_network=False, include_star_selectors=True)
    assert "<strong>Yes!</strong>" in without
    assert '<strong style="color:red">Yes!</strong>' in with_star


def test_kept_rules_follow_strip_important_for_the_same_css() -> None:
    # As premailer's test_external_styles_and_links and test_ignore_some_external_
    # stylesheets, which read one stylesheet with strip_important off, then on.
    html = ("<html><head><style>a { color: pink } a:hover { color: purple }</style></head>"
            "<body><a href=''>Hello</a></body></html>")
    kept = fast(html, allow_network=False, strip_important=False)
    stripped = fast(html, allow_network=False, strip_important=True)
    assert "a:hover {color:purple !important}" in kept
    assert "a:hover {color:purple}" in stripped


def test_options_the_copy_does_not_cover_run_stock_premailer() -> None:
    html = ("<html><head><style>.c { color: red }</style></head>"
            '<body><p class="c"><a href="page">x</a></p></body></html>')
    for options in ({"base_url": "https://example.org/"}, {"remove_classes": True},
                    {"keep_style_tags": True}, {"css_text": "p { margin: 0 }"}):
        inliner = premailer.Premailer(html, allow_network=False, **options)
        assert not fast_premailer.covers(inliner)
        assert fast_premailer.transform(inliner) == stock(html, allow_network=False, **options)


def test_turned_off_it_gives_the_same_email(monkeypatch: pytest.MonkeyPatch) -> None:
    html = OPTION_CSS
    options = premailer_options(html)
    monkeypatch.setenv(speedups.OFF_VARIABLE, "premailer")
    speedups.active.cache_clear()
    try:
        assert not speedups.active("premailer")
        assert fast_premailer.transform(premailer.Premailer(html, **options)) == \
            stock(html, **options)
    finally:
        monkeypatch.undo()
        speedups.active.cache_clear()


# Generated documents: elements with classes (some repeated, some in upper case or with
# odd whitespace), nested, styled by class, type, descendant and other selectors.
CLASS_NAMES = st.sampled_from(["a", "b", "cell", "x-y", "_u", "A", "a b", " a\tb ", "a a", ""])
TAGS = st.sampled_from(["p", "td", "div", "span", "a", "img", "table", "tr", "h1"])


@st.composite
def elements(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(TAGS)
    attributes = ""
    if draw(st.booleans()):
        attributes += f' class="{draw(CLASS_NAMES)}"'
    if draw(st.booleans()):
        attributes += f' style="{draw(DECLARATIONS)}"'
    if draw(st.booleans()):
        attributes += f' width="{draw(st.sampled_from(["600", "10%"]))}"'
    children = draw(st.lists(elements(depth + 1), max_size=3)) if depth < 3 else []
    return f"<{tag}{attributes}>t{''.join(children)}</{tag}>"


DECLARATIONS = st.lists(st.sampled_from(
    ["color: red", "color:blue !important", "width: 100px", "height: 5px",
     "background-color: #abc", "background-color: transparent", "text-align: left",
     "vertical-align: top", "margin: 0", "float: right", "padding: 0 !important",
     "color: unset", "font-weight: bold"]), min_size=1, max_size=3).map("; ".join)
SELECTORS = st.sampled_from(
    [".a", ".b", ".cell", ".x-y", "._u", ".A", "p", "td", "div", "span", "a", "img", "P",
     "TD", ".a .b", "div .a", ".a span", "td a", "div p", "p.a", "#i", "div > p", "a:hover",
     "td:first-child", "p:last-child", "tr td:nth-child(2)", "*", ".a *", "h1, .b", "[width]"])
RULES = st.lists(st.tuples(SELECTORS, DECLARATIONS), min_size=1, max_size=8).map(
    lambda rules: "\n".join(f"{selector} {{ {body} }}" for selector, body in rules))
MEDIA = st.sampled_from(["", "@media (max-width: 600px) { .a { color: green } }"])


@settings(max_examples=300, deadline=None)
@given(RULES, MEDIA, st.lists(elements(), min_size=1, max_size=4), st.booleans())
def test_the_same_email_as_stock_premailer_on_generated_html_and_css(
        rules: str, media: str, body: list[str], float_word: bool) -> None:
    html = (f"<html><head><style>{rules}\n{media}</style></head>"
            f"<body>{''.join(body)}{'float' if float_word else ''}</body></html>")
    options = premailer_options(html)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert fast(html, **options) == stock(html, **options)

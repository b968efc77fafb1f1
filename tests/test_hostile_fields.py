"""Field rules and escaping that keep hostile values out of headers, attributes and feeds."""

from __future__ import annotations

import datetime as dt

import pytest

from bulletin_gen.config import schema
from bulletin_gen.config.schema import LINE_BREAKS
from bulletin_gen.mail.inline import inline_css
from bulletin_gen.render.urls import rebase
from bulletin_gen.sources.load import render_body


@pytest.mark.parametrize("brk", list(LINE_BREAKS))
def test_a_one_line_field_refuses_every_line_break(brk: str) -> None:
    with pytest.raises(ValueError, match="expected one line of text, got a line break after "
                                         "'June'; write it on one line"):
        schema.text(f"June{brk}July")


def test_a_one_line_field_keeps_a_trailing_newline_out() -> None:
    assert schema.text("June\n") == "June"  # `title: |` over one line
    assert schema.paragraph("Birmingham\nWest Midlands") == "Birmingham\nWest Midlands"
    with pytest.raises(ValueError, match="invisible control character U\\+0001"):
        schema.paragraph("a\x01b")


@pytest.mark.parametrize("value", [
    "https://a.org/\"><script>alert(1)</script>", "https://a.org/a>,<mailto:evil@attacker.org",
    "https://a.org/\r\nBcc: x@y.org", "https://a.org/ b", "https://a.org:99999/", "https://[::1/",
    "https:///path", "javascript:alert(1)", "mailto:a@b", "mailto:a@example.org\r\nBcc: b",
    "https://a.org/{x}", "https://a.org/\\x"])
def test_a_url_is_parsed_and_refused_when_it_could_break_out(value: str) -> None:
    with pytest.raises(ValueError):
        schema.url(value)


@pytest.mark.parametrize("value", [
    "https://example.org/", "https://example.org/a?b=c&d=e#f", "http://localhost:8000/x",
    "mailto:info@example.org", "https://例え.jp/パス", "https://a.org/%20x"])
def test_good_urls_pass(value: str) -> None:
    assert schema.url(value) == value


@pytest.mark.parametrize("value", ["https://a.org/?x=1", "https://a.org/#top",
                                   "https://a.org/\"><b>", "ftp://a.org/", "https://"])
def test_base_url_is_a_plain_absolute_folder(value: str) -> None:
    with pytest.raises(ValueError, match="expected an absolute URL like https://example.org/"):
        schema.base_url(value)


@pytest.mark.parametrize("value", ["a..b@example.org", "a@example.org\nBcc: b@example.org",
                                   "Name <a@example.org>", "a@b", "a @example.org"])
def test_an_address_must_be_one_the_email_package_writes_as_given(value: str) -> None:
    with pytest.raises(ValueError, match="expected (an e-mail address|one line)"):
        schema.email(value)


@pytest.mark.parametrize(("value", "shown"), [
    (5, "the number 5"), (None, "nothing"), ("David", "the text 'David'"), ([1], "a list"),
    (True, "true"), (dt.date(2022, 6, 30), "the date 2022-06-30")])
def test_a_mapping_says_what_it_got(value: object, shown: str) -> None:
    with pytest.raises(ValueError) as raised:
        schema.mapping("a mapping with name, role, email...")(value)
    assert str(raised.value) == f"expected a mapping with name, role, email..., got {shown}"


@pytest.mark.parametrize("value", ["9998-01-01", "9999-12-31T23:30", "1900-12-31",
                                   dt.date(9999, 12, 31), dt.datetime(1, 1, 1)])
def test_dates_a_calendar_file_cannot_hold_are_refused(value: object) -> None:
    with pytest.raises(ValueError, match="expected a date between 1901 and 9997"):
        schema.date_or_datetime(value)
    assert schema.date_or_datetime("9997-12-31T23:30") == dt.datetime(9997, 12, 31, 23, 30)


def test_rebase_escapes_the_prefix_it_writes_into_attributes() -> None:
    html = rebase('<a href="/2022-06/">x</a>', 'https://a.org/"><script>alert(1)</script>/')
    assert "<script>" not in html
    assert 'href="https://a.org/&#34;&gt;&lt;script&gt;' in html


def test_the_inliner_leaves_text_that_looks_like_its_tokens_alone() -> None:
    page = ('<html><head><style>p{color:red}</style></head><body>'
            '<p>See bgph0000x, bgph9999x and bgp&#104;0001x.</p>'
            '<p><a href="*|UNSUB|*">Unsubscribe</a></p></body></html>')
    result = inline_css(page)
    assert "See bgph0000x, bgph9999x and bgph0001x." in result
    assert 'href="*|UNSUB|*"' in result and result.count("*|UNSUB|*") == 1


def test_markdown_leaves_no_placeholder_characters() -> None:
    html = render_body('Text[^1].\n\n[^1]: [x](https://a.org/"a(1))\n')
    assert not any(ord(char) < 32 and char not in "\t\n\r" for char in html), repr(html)

"""premailer inlining: styles move inline, media queries stay, placeholders survive."""

import re

import pytest

from bulletin_gen.mail.inline import inline_css

PLACEHOLDERS = ["*|UNSUB|*", "*|ARCHIVE|*", "{{ UnsubscribeURL }}", "%%{unsubscribe_url}%%"]

PAGE = """<!DOCTYPE html><html><head><style>
a {{ color: #0f7c78; }}
.cell {{ padding: 0 24px; mso-line-height-rule: exactly; line-height: 24px; }}
@media screen and (max-width: 600px) {{ .cell {{ padding: 0 16px !important; }} }}
</style></head><body><table><tr><td class="cell">
<a href="{placeholder}">Unsubscribe</a> <span>{placeholder}</span>
</td></tr></table></body></html>"""


@pytest.mark.parametrize("placeholder", PLACEHOLDERS)
def test_placeholder_survives_in_href_and_text(placeholder: str) -> None:
    html = inline_css(PAGE.format(placeholder=placeholder))
    assert f'href="{placeholder}"' in html
    assert f"<span>{placeholder}</span>" in html


def test_styles_are_inlined_and_media_queries_keep_important() -> None:
    html = inline_css(PAGE.format(placeholder="https://example.org/u"))
    assert 'style="color:#0f7c78"' in html
    assert "mso-line-height-rule:exactly" in html.replace(" ", "")
    assert "padding: 0 16px !important" in html  # kept in <style> for phones
    assert "a {" not in html  # plain rules do not linger in <style>


def test_outlook_properties_print_no_warnings(capfd: pytest.CaptureFixture[str]) -> None:
    # cssutils would print a warning line per mso- property in every email.
    html = inline_css(PAGE.format(placeholder="https://example.org/u"))
    assert "mso-line-height-rule:exactly" in html.replace(" ", "")
    captured = capfd.readouterr()
    assert (captured.out, captured.err) == ("", "")



def test_placeholders_are_found_as_the_one_regex_finds_them() -> None:
    # Overlapping and nested placeholders, in random order: the tokens stand where
    # PLACEHOLDER_RE.sub would put them, numbered in the same order.
    import random

    from bulletin_gen.mail.inline import PLACEHOLDER_RE, _protect_placeholders

    token = "bgph{:04d}x"

    pieces = ["*|UNSUB|*", "*|", "|*", "{{ url }}", "{{", "}}", "%%{x}%%", "%%", "[unsubscribe]",
              "[webversion]", "<unsubscribe>", "</unsubscribe>", "<webversion a='{{ b }}'>",
              "<preferences", ">", "<p>", "text ", "*", "{", "%", "[", "<", "x"]
    chooser = random.Random(5)
    for _ in range(3000):
        html = "".join(chooser.choice(pieces) for _ in range(chooser.randint(0, 12)))
        expected: list[str] = []

        def protect(match: re.Match[str], expected: list[str] = expected) -> str:
            expected.append(match.group(0))
            return token.format(len(expected) - 1)

        found: list[str] = []
        assert _protect_placeholders(html, found, token) == PLACEHOLDER_RE.sub(protect, html), html
        assert found == expected

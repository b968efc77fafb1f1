"""Each email service's placeholders come out byte for byte, through Jinja and premailer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.email_build import built_example

# service: (unsubscribe in HTML, web version in HTML, unsubscribe in text, web version in text)
EXPECTED = {
    "mailchimp": ('<a href="*|UNSUB|*"', '<a href="*|ARCHIVE|*"', "*|UNSUB|*", "*|ARCHIVE|*"),
    "listmonk": ('<a href="{{ UnsubscribeURL }}"', '<a href="{{ MessageURL }}"',
                 "{{ UnsubscribeURL }}", "{{ MessageURL }}"),
    "buttondown": ('<a href="{{ unsubscribe_url }}"', '<a href="{{ email_url }}"',
                   "{{ unsubscribe_url }}", "{{ email_url }}"),
    "campaign-monitor": ('<unsubscribe style="color:#555555;">Unsubscribe from this bulletin'
                         "</unsubscribe>",
                         '<webversion style="color:#555555;">View this email in your browser'
                         "</webversion>", "[unsubscribe]", "[webversion]"),
    "ghost": ('<a href="%%{unsubscribe_url}%%"', '<a href="https://bulletin.example.org/2022-06/?',
              "%%{unsubscribe_url}%%", "https://bulletin.example.org/2022-06/?"),
    "generic": ('<a href="https://example.org/unsubscribe"',
                '<a href="https://bulletin.example.org/2022-06/?',
                "Unsubscribe: https://example.org/unsubscribe\n",
                "https://bulletin.example.org/2022-06/?"),
}


@pytest.mark.parametrize("service", sorted(EXPECTED))
def test_placeholders_survive_the_build(service: str, tmp_path: Path) -> None:
    site = built_example(tmp_path / "example", service=service)
    html = (site / "2022-06/email.html").read_text()
    text = (site / "2022-06/email.txt").read_text()
    html_unsubscribe, html_view, text_unsubscribe, text_view = EXPECTED[service]
    assert html_unsubscribe in html
    assert html_view in html
    assert text_unsubscribe in text
    assert f"View this email in your browser: {text_view}" in text
    assert "%7C" not in html and "bgph" not in html  # nothing percent-encoded, no token left
    if service == "generic":
        # the unsubscribe link is left as it is: no UTM parameters on it
        assert 'href="https://example.org/unsubscribe?' not in html

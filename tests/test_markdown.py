"""Markdown: Python-Markdown as configured for bulletins."""

from bulletin_gen.markdown.convert import render_markdown


def test_markdown_keeps_straight_quotes_without_smarty() -> None:
    # `smarty` more than doubles parse time; quotes are written as the editor typed them.
    assert render_markdown("We're \"here\" -- now...").strip() == \
        "<p>We're \"here\" -- now...</p>"

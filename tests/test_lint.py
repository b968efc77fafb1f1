"""Each lint rule on a small item added to a copy of the example issue."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from bulletin_gen.commands.lint import IssueContext, lint_issue
from bulletin_gen.commands.lint.content import useless_alt
from bulletin_gen.commands.lint.email import generic_text
from bulletin_gen.config.settings import load_config
from bulletin_gen.render.site import OutputFile
from bulletin_gen.sources.discover import discover
from bulletin_gen.sources.load import load_bulletin
from tests.conftest import write

ISSUE = "bulletins/2022-06"


def lint(invoke, root: Path, *args: str) -> list[str]:
    """The findings of `check`, placeholder domains (the example's own) left out."""
    result = invoke(root, "check", "--ignore", "placeholder-domain", *args)
    assert "Traceback" not in result.output
    return [line for line in result.output.splitlines() if ": [" in line]


def item(root: Path, name: str, front: str, body: str) -> Path:
    return write(root / ISSUE / name, f"---\n{front.strip()}\n---\n{body}")


def test_example_is_clean(example: Path, invoke) -> None:
    assert lint(invoke, example) == []


def test_pictures_without_or_with_useless_alt_text(example: Path, invoke) -> None:
    item(example, "95-pics.md", "kind: news\ntitle: Pictures",
         "Intro.\n\n![](images/banner.png)\n\n![IMG_2041](images/banner.png)\n")
    bulletin = example / ISSUE / "bulletin.md"
    bulletin.write_text(bulletin.read_text().replace('banner_alt: "Navy', 'banner_alt: "banner"\n'
                                                     '# was: "Navy'))
    found = lint(invoke, example)
    assert (f"{ISSUE}/95-pics.md:7: [image-alt-missing] error: picture banner.png has no alt "
            "text (fix: describe the picture in its alt text)") in found
    assert (f"{ISSUE}/95-pics.md:9: [image-alt-useless] warning: alt text 'IMG_2041' of "
            "banner.png tells a reader nothing (fix: say what the picture shows)") in found
    assert any(line.startswith(f"{ISSUE}/bulletin.md:6: [image-alt-useless]") for line in found)


@pytest.mark.parametrize(("alt", "useless"), [
    ("image", True), ("Photo", True), ("banner.png", True), ("DSC_0042", True),
    ("webinar-air-quality", True), ("A panel of four speakers on stage", False)])
def test_useless_alt(alt: str, useless: bool) -> None:
    assert useless_alt(alt, "2022-06/images/webinar-air-quality.png") is useless


@pytest.mark.parametrize(("text", "generic"), [
    ("Click here", True), ("here", True), ("Read more", True), ("read more here.", True),
    ("Register now, click here", True), ("Read more about incubators", False),
    ("Find out how Help to Grow works", False)])
def test_generic_link_text(text: str, generic: bool) -> None:
    assert generic_text(text) is generic


def test_links_in_the_email(example: Path, invoke) -> None:
    item(example, "95-links.md", "kind: news\ntitle: Links",
         "See [the old site](http://wmhtc.co.uk/about).\n\n"
         "[](https://wmhtc.co.uk/empty)\n")
    found = lint(invoke, example)
    assert (f"{ISSUE}/95-links.md:5: [http-link] warning: link http://wmhtc.co.uk/about is not "
            "secure (http://) (fix: use https://)") in found
    assert (f"{ISSUE}/95-links.md:7: [empty-link] error: link to https://wmhtc.co.uk/empty has "
            "no text a reader can see (fix: give the link an address and words)") in found


def email_context(root: Path, html: str) -> IssueContext:
    """The example issue as loaded, with this HTML standing in for its rendered email."""
    config = load_config(root, drafts=True)
    bulletin = load_bulletin(discover(config)[0], config)
    email = OutputFile("2022-06/email.html", html.encode("utf-8"))
    return IssueContext(config, bulletin, {email.path: email})


def test_relative_link_in_the_email(example: Path) -> None:
    # Links made by templates are finished to absolute URLs; the rule is the safety net.
    context = email_context(example, '<p><a href="members.html">All our members</a></p>')
    assert [f.message for f in lint_issue(context) if f.rule == "relative-link"] == [
        "link 'members.html' is relative: it cannot work in an email"]


def test_email_near_the_size_limit(example: Path) -> None:
    context = email_context(example, "<p>" + "x" * 95_000 + "</p>")
    assert [f.message for f in lint_issue(context) if f.rule == "email-size"] == [
        "the email is 95 KB, close to the 102 KB at which Gmail clips it"]


def test_check_warns_from_the_same_size_as_the_build(example: Path) -> None:
    from bulletin_gen.mail.budget import WARN_AT, email_size_problems

    for size in (WARN_AT - 200, WARN_AT + 1_000):
        context = email_context(example, "<p>" + "x" * size + "</p>")
        email = context.files["2022-06/email.html"]
        size_now = len(email.content)
        by_check = [f for f in lint_issue(context) if f.rule == "email-size"]
        _, by_build = email_size_problems([email], {"2022-06": "bulletins/2022-06/bulletin.md"})
        assert len(by_check) == len(by_build) == (1 if size_now > WARN_AT else 0), size_now


def test_placeholder_domain_is_a_warning(example: Path, invoke) -> None:
    item(example, "95-example.md", "kind: news\ntitle: Example\nlink: https://www.example.com/x"
         "\nlink_text: The example page", "Text.\n")
    result = invoke(example, "check", "2022-06")
    assert result.exit_code == 0
    assert (f"{ISSUE}/95-example.md:4: [placeholder-domain] warning: link "
            "https://www.example.com/x points at the placeholder domain www.example.com") \
        in result.output


def test_preheader_and_subject(example: Path, invoke) -> None:
    bulletin = example / ISSUE / "bulletin.md"
    text = bulletin.read_text()
    long_title = "WMHTC e-bulletin: June 2022, with every single piece of news from the whole region"
    text = text.replace('title: "WMHTC e-bulletin: June 2022"', f'title: "{long_title}"')
    bulletin.write_text(text.replace("preheader: \"We're", f"preheader: \"{'x' * 80} We're"))
    found = lint(invoke, example)
    assert f"{ISSUE}/bulletin.md:2: [subject-long] warning: the subject (the title) is 82 " \
           "characters; over 78 it is cut off or folded (fix: shorten the title to 78 " \
           "characters)" in found
    assert any(line.startswith(f"{ISSUE}/bulletin.md:4: [preheader-long] warning: preheader "
                               "is 167 characters") for line in found)
    bulletin.write_text("\n".join(line for line in bulletin.read_text().split("\n")
                                  if not line.startswith("preheader:")))
    assert any(line.startswith(f"{ISSUE}/bulletin.md:1: [preheader-missing]")
               for line in lint(invoke, example))


def test_past_event_offering_registration(example: Path, invoke) -> None:
    item(example, "95-past.md", "kind: event\ntitle: Spring fair\nstarts: 2022-05-10\n"
         "register: https://wmhtc.co.uk/fair", "It was lovely.\n")
    assert lint(invoke, example) == [
        f"{ISSUE}/95-past.md:5: [past-event-register] warning: the event was over on 2022-05-10, "
        "before the issue's date 2022-06-30, but still offers registration (fix: remove "
        "'register:' or fix the date)"]


def test_leftovers(example: Path, invoke) -> None:
    item(example, "95-tk.md", "kind: news\ntitle: TK",
         "Numbers TK.\n\nTODO: check the date.\n\nLorem ipsum dolor sit amet.\n\n"
         "A stocktake and todolist are fine.\n")
    assert [line.split(" error:")[0] for line in lint(invoke, example)] == [
        f"{ISSUE}/95-tk.md:3: [leftover-marker]", f"{ISSUE}/95-tk.md:5: [leftover-marker]",
        f"{ISSUE}/95-tk.md:7: [leftover-marker]", f"{ISSUE}/95-tk.md:9: [leftover-marker]"]


def test_large_picture(example: Path, invoke) -> None:
    Image.new("RGB", (2600, 100), "#336699").save(example / ISSUE / "images/wide.png")
    item(example, "95-wide.md", "kind: news\ntitle: Wide\nimage: images/wide.png\n"
         "image_alt: A wide blue strip", "Text.\n")
    assert lint(invoke, example) == [
        f"{ISSUE}/95-wide.md:4: [image-too-large] warning: picture 2022-06/images/wide.png is "
        "2600 px wide (over 2400 px) (fix: resize it to 1200 px wide or less)"]


def test_duplicate_titles_and_empty_body(example: Path, invoke) -> None:
    item(example, "95-again.md", "kind: news\ntitle: help to grow IS still running", "")
    assert lint(invoke, example) == [
        f"{ISSUE}/95-again.md:3: [duplicate-title] warning: same title as "
        f"{ISSUE}/90-help-to-grow.md: 'help to grow IS still running' "
        "(fix: give each item its own title)",
        f"{ISSUE}/95-again.md:4: [empty-body] warning: the item has no text "
        "(fix: write a sentence or two under the front matter)"]


def test_skipped_heading_level(example: Path, invoke) -> None:
    bulletin = example / ISSUE / "bulletin.md"
    bulletin.write_text(bulletin.read_text().replace("## We're aiming", "#### We're aiming"))
    found = lint(invoke, example)
    assert len(found) == 1
    assert found[0].startswith(f"{ISSUE}/bulletin.md:15: [heading-skip] warning: heading "
                               "\"We're aiming to recruit new members\" jumps from h"), found


def test_oversized_email_is_an_error(example: Path, invoke) -> None:
    item(example, "95-long.md", "kind: news\ntitle: Long", ("Words and more words. " * 5000) + "\n")
    result = invoke(example, "check", "2022-06")
    assert result.exit_code == 1
    assert f"{ISSUE}/bulletin.md:1: [invalid] error: the email weighs" in result.output


class _Links(BaseHTTPRequestHandler):
    requests: list[str] = []  # noqa: RUF012  (every request, to prove the cache works)

    def do_HEAD(self) -> None:  # noqa: N802
        self.requests.append(f"HEAD {self.path}")
        self.send_response({"/ok": 200, "/gone": 404, "/nohead": 405}.get(self.path, 500))
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        self.requests.append(f"GET {self.path}")
        self.send_response({"/ok": 200, "/gone": 404, "/nohead": 200}.get(self.path, 500))
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def link_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Links)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_online_link_check_with_cache(example: Path, invoke, link_server: str) -> None:
    for other in (example / ISSUE).glob("[0-9]*.md"):  # only our links: no DNS, no network
        other.unlink()
    item(example, "95-online.md", "kind: news\ntitle: Online",
         f"[The report]({link_server}/ok), [the old page]({link_server}/gone) and "
         f"[the form]({link_server}/nohead).\n")
    offline = lint(invoke, example)
    assert not any("link-broken" in line for line in offline)
    online = [line for line in lint(invoke, example, "--online") if "[http-link]" not in line]
    assert online == [f"{ISSUE}/95-online.md:5: [link-broken] error: {link_server}/gone answers "
                      "404 Not Found (fix: fix or remove the link)"]
    asked = json.loads((example / ".bulletin-cache/links.json").read_text())
    assert sorted(asked) == [f"{link_server}/gone", f"{link_server}/nohead", f"{link_server}/ok"]
    assert sorted(_Links.requests) == ["GET /gone", "GET /nohead", "HEAD /gone", "HEAD /nohead",
                                       "HEAD /ok"]  # HEAD first; GET only where HEAD failed
    # Within a day the answers come from the cache: the server is not asked again.
    again = [line for line in lint(invoke, example, "--online") if "[http-link]" not in line]
    assert again == online
    assert len(_Links.requests) == 5
    assert not (example / "site").exists()

"""Long issues publish: `email: full`, `teaser` or `web-only`, per item or in bulletin.md,
and an email over Gmail's clip named with its heaviest items and the setting that fits."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bulletin_gen.commands.preview import Published, View, browser, email_page
from bulletin_gen.config.settings import load_config
from bulletin_gen.mail.budget import FAIL_AT
from bulletin_gen.render.site import render_in_memory as render
from bulletin_gen.render.teasers import first_paragraph
from tests.conftest import REPO, copy_publication, write
from tests.issues_helper import add_issue
from tests.long_issue import EVENTS, SECTIONS, SLUG, write_long_issue

ISSUE = "bulletins/2022-06"
LONG = f"bulletins/{SLUG}"


def long_publication(tmp_path: Path, email: str | None = None, name: str = "pub") -> Path:
    """The example publication with the long weekly issue beside the June one."""
    root = copy_publication(REPO, tmp_path / name)
    write_long_issue(root, email=email)
    return root


def set_email(path: Path, value: str) -> None:
    """Give a source file's front matter an `email:` line, as an editor would."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", f"---\nemail: {value}\n", 1), encoding="utf-8")


def size_of(root: Path, slug: str = SLUG, name: str = "email.html") -> int:
    return (root / "site" / slug / name).stat().st_size


def test_first_paragraph() -> None:
    assert first_paragraph("<p>One.</p>\n<p>Two.</p>") == "<p>One.</p>"
    # a list, a paragraph holding only a picture, a paragraph inside a quote: passed over
    assert first_paragraph('<ul>\n<li><p>In a list.</p></li>\n</ul>\n<p><img src="a.png" '
                           'alt="A"></p>\n<blockquote>\n<p>Quoted.</p>\n</blockquote>\n'
                           '<p>At <a href="https://x.org/">last</a>.</p>') \
        == '<p>At <a href="https://x.org/">last</a>.</p>'
    assert first_paragraph("<h4>Only a heading</h4>") == ""


def test_the_long_issue_is_refused_with_its_size_heaviest_items_and_the_setting(
        tmp_path: Path, invoke) -> None:
    root = long_publication(tmp_path)
    built = invoke(root, "build")
    assert built.exit_code == 1
    assert "Traceback" not in built.output
    assert not (root / "site").exists(), "nothing is written"
    found = re.search(rf"^{LONG}/bulletin.md:1: the email weighs (\d+\.\d) KB, over the 102 KB "
                      r"where Gmail clips it and hides the unsubscribe link; heaviest items: "
                      r"(.*); by kind: (.*); with `email: teaser` in bulletin\.md it would weigh "
                      r"(\d+\.\d) KB$", built.output, re.M)
    assert found, built.output
    weight, items, kinds, teaser_weight = found.groups()
    assert float(weight) > 140
    # the five heaviest, by file name, each with its weight, heaviest first
    heaviest = re.findall(r"([\w.-]+\.md) \((\d+\.\d) KB\)", items)
    assert len(heaviest) == 5 and all(name.endswith(".md") for name, _ in heaviest)
    assert [float(size) for _, size in heaviest] == sorted(
        (float(size) for _, size in heaviest), reverse=True)
    assert "203-section-4.md" in items  # a section with a long list of links
    assert "Cluster's events " in kinds and f"({EVENTS} items)" in kinds
    assert float(teaser_weight) * 1000 < FAIL_AT
    # check says the same, at the same place
    checked = invoke(root, "check", SLUG)
    assert checked.exit_code == 1
    assert found.group(0).replace(": the email", ": [invalid] error: the email", 1) \
        in checked.output

    # The setting it names, applied, gives the weight it said.
    set_email(root / LONG / "bulletin.md", "teaser")
    assert invoke(root, "build").exit_code == 0
    assert abs(size_of(root) - float(teaser_weight) * 1000) < 100


def test_build_and_check_name_every_oversized_issue(tmp_path: Path, invoke) -> None:
    root = long_publication(tmp_path)
    write_long_issue(root, slug="2022-08-weekly")
    for slug in ("2022-09", "2022-10"):  # five issues: enough for a pool of two processes
        add_issue(root, slug)
    for jobs in ("1", "2"):  # in one process and in a pool
        result = invoke(root, "build", "--jobs", jobs)
        assert result.exit_code == 1
        assert f"{LONG}/bulletin.md:1: the email weighs" in result.output
        assert "bulletins/2022-08-weekly/bulletin.md:1: the email weighs" in result.output
        assert "2 errors: nothing was written." in result.output
    checked = invoke(root, "check")
    assert checked.exit_code == 1
    assert checked.output.count("[invalid] error: the email weighs") == 2


@pytest.fixture(scope="module")
def teaser_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The long issue built with `email: teaser` in its bulletin.md."""
    root = long_publication(tmp_path_factory.mktemp("teaser"), email="teaser")
    from click.testing import CliRunner

    from bulletin_gen.cli import main
    result = CliRunner().invoke(main, ["-C", str(root), "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


def test_with_teaser_it_builds_under_the_clip_and_the_page_has_everything(
        teaser_site: Path) -> None:
    root = teaser_site
    assert size_of(root) < FAIL_AT
    email = (root / "site" / SLUG / "email.html").read_text(encoding="utf-8")
    page = html.unescape((root / "site" / SLUG / "index.html").read_text(encoding="utf-8"))
    text = (root / "site" / SLUG / "email.txt").read_text(encoding="utf-8")
    for number in range(EVENTS):
        source = (root / LONG / f"{10 + number:03d}-event-{number + 1}.md").read_text()
        body = " ".join(source.split("---\n", 2)[2].split())
        title = re.search(r'title: "(.*)"', source)
        assert title and title.group(1) in email and title.group(1) in text
        # the whole description and the register button are on the web page only
        opening = f"Event {number + 1} of our summer programme."
        assert body.startswith(opening) and opening not in email and opening not in text
        assert body[-60:] in " ".join(page.split())
        register = re.search(r"register: (\S+)", source)
        assert register and register.group(1) in page and register.group(1) not in email
    assert "Register for" not in email and "Register for" in page
    for number, title in enumerate(SECTIONS):
        source = (root / LONG / f"{200 + number}-section-{number + 1}.md").read_text()
        paragraphs = [" ".join(p.split()) for p in source.split("---\n", 2)[2].split("\n\n")]
        anchor = f"news-section-{number + 1}"
        teaser = " ".join(email.split(f'name="{anchor}"')[1].split("</td></tr>")[0].split())
        flat_page = " ".join(page.split())
        assert html.escape(title, quote=False) in teaser
        assert f"<p style=\"margin:0 0 16px 0\">{paragraphs[0]}</p>" in teaser  # the first
        assert teaser.count("<p") == 2 and "<ul" not in teaser  # and the link, no more
        assert all(p[:80] in flat_page for p in paragraphs if not p.startswith("- ["))
        assert re.search(rf'<a href="https://bulletin\.example\.org/{SLUG}/\?[^"#]*#{anchor}"'
                         r'[^>]*>Read on the web</a>', teaser)
        assert f'id="{anchor}"' in page  # the link lands on the item
    # the lists of links are on the page, not in the email
    assert "briefing-20" in page and "briefing-20" not in email
    assert f"{EVENTS} events at a glance" in email and f"{EVENTS} events at a glance" in text


def test_a_teaser_event_is_compact(tmp_path: Path, teaser_site: Path, invoke) -> None:
    """About 500 bytes of email at most for each event, two or three lines of text."""
    root = copy_publication(teaser_site, tmp_path / "no-events")
    for path in (root / LONG).glob("0*-event-*.md"):
        set_email(path, "web-only")
    assert invoke(root, "build").exit_code == 0
    per_event = (size_of(teaser_site) - size_of(root)) / EVENTS
    assert 200 < per_event <= 500, per_event
    per_event_text = (size_of(teaser_site, name="email.txt")
                      - size_of(root, name="email.txt")) / EVENTS
    assert per_event_text <= 300, per_event_text
    text = (teaser_site / "site" / SLUG / "email.txt").read_text(encoding="utf-8")
    events = text.split("CLUSTER'S EVENTS\n================\n\n")[1].split("\n\n\n")[0]
    entries = events.split("\n\n")
    assert len(entries) == EVENTS
    assert all(2 <= len(entry.split("\n")) <= 4 for entry in entries), entries[:3]
    assert entries[0].split("\n")[0] == "Workshop: digital pathology"
    assert entries[0].split("\n")[-1].endswith("#event-event-1")


def test_web_only_items_are_only_on_the_web(example: Path, invoke) -> None:
    set_email(example / ISSUE / "90-help-to-grow.md", "web-only")
    for name in ("10-diagcomm-visit-binding-site.md",):
        set_email(example / ISSUE / name, "teaser")
    write(example / ISSUE / "95-only-member.md", "---\nkind: member\ntitle: Members' corner\n"
          "member: Example Health Ltd\nemail: web-only\n---\nNews from a member.\n")
    for path in (example / ISSUE).glob("*precision*"):
        path.unlink()  # the only member item: its group now has web-only items alone
    result = invoke(example, "build")
    assert result.exit_code == 0, result.output
    site = example / "site/2022-06"
    email = (site / "email.html").read_text(encoding="utf-8")
    text = (site / "email.txt").read_text(encoding="utf-8")
    page = (site / "index.html").read_text(encoding="utf-8")
    feed = (example / "site/feed.xml").read_text(encoding="utf-8")
    search = (example / "site/search-index.js").read_text(encoding="utf-8")
    for title in ("Help to Grow is still running", "Members&#39; corner"):
        assert title not in email, title  # not in the email nor its "In this issue"
        assert html.unescape(title) not in text
        assert title in page
    assert "help-to-grow" not in email and "#member-only-member" not in email
    assert "From our members" not in email and "FROM OUR MEMBERS" not in text
    assert "From our members" in page
    assert "Help to Grow is still running" in feed and "Members&amp;#39; corner" in feed
    entries = json.loads(search.split("=", 1)[1].strip().rstrip(";"))
    assert {"2022-06/#news-help-to-grow", "2022-06/#member-only-member"} <= {
        entry["url"] for entry in entries}
    # the teaser: its title, first paragraph and a link, and the rest on the web
    assert "The latest DIAGCOMM activity has been a visit" in email
    assert "The next planned activity is a visit to the Rosalind" not in email.split(
        "DIAGCOMM visit to The Binding Site</a></h3>")[1].split("</td></tr>")[0]
    assert "Read on the web:\nhttps://bulletin.example.org/2022-06/" in text


@pytest.mark.parametrize(("where", "key_line"), [("10-june-topical-tuesday.md", 2),
                                                 ("bulletin.md", 2)])
def test_a_wrong_setting_is_named_with_the_allowed_values(example: Path, invoke, where: str,
                                                          key_line: int) -> None:
    set_email(example / ISSUE / where, "short")
    expected = (f"{ISSUE}/{where}:{key_line}: 'email': expected one of full, teaser, web-only, "
                "got 'short'")
    built = invoke(example, "build")
    assert built.exit_code == 1 and expected in built.output
    checked = invoke(example, "check")
    assert checked.exit_code == 1 and f"{ISSUE}/{where}:{key_line}: [invalid] error: " \
        "'email': expected one of full, teaser, web-only, got 'short'" in checked.output


def test_a_setting_that_reads_as_false_is_told_the_choices(example: Path, invoke) -> None:
    set_email(example / ISSUE / "90-help-to-grow.md", "no")
    built = invoke(example, "build")
    assert (f"{ISSUE}/90-help-to-grow.md:2: 'email': expected one of full, teaser, web-only, "
            "got 'False'") in built.output


def test_register_text_sets_the_button_s_words(example: Path, invoke) -> None:
    path = example / ISSUE / "30-air-quality-webinar.md"
    path.write_text(path.read_text().replace("register: ", "register_text: Book a seat\n"
                                             "register: "), encoding="utf-8")
    assert invoke(example, "build").exit_code == 0
    site = example / "site/2022-06"
    for name in ("email.html", "index.html", "email.txt"):
        content = (site / name).read_text(encoding="utf-8")
        assert "Book a seat" in content, name
        assert "Register for Webinar: air quality and health" not in " ".join(content.split())
    # the other events keep the default words
    assert "Register for July's Topical Tuesday" in (site / "email.html").read_text()


def test_register_text_needs_register(example: Path, invoke) -> None:
    write(example / ISSUE / "95-social.md", "---\nkind: event\ntitle: Social\n"
          "when: autumn\nregister_text: Book now\n---\nFun.\n")
    result = invoke(example, "build")
    assert result.exit_code == 1
    assert (f"{ISSUE}/95-social.md:5: 'register_text' given without 'register'") in result.output


def test_the_suggestion_goes_as_far_as_web_only_when_teasers_are_not_enough(
        tmp_path: Path, invoke) -> None:
    root = copy_publication(REPO, tmp_path / "pub")
    words = "A first paragraph that goes on without a break for a long while. " * 700
    for number in range(4):  # each teaser alone is about 45 KB: two are already too many
        write(root / ISSUE / f"9{number}-report-{number}.md",
              f"---\nkind: news\ntitle: Report {number}\n---\n{words}\n\nMore.\n")
    result = invoke(root, "build")
    assert result.exit_code == 1
    found = re.search(r"with `email: teaser` in bulletin\.md and `email: web-only` in "
                      r"([\w., -]+?) it would weigh (\d+\.\d) KB$", result.output, re.M)
    assert found, result.output
    left_out = found.group(1).split(", ")
    assert 1 <= len(left_out) < 4 and all(name.startswith("9") for name in left_out)
    set_email(root / ISSUE / "bulletin.md", "teaser")
    for name in left_out:
        set_email(root / ISSUE / name, "web-only")
    assert invoke(root, "build").exit_code == 0
    assert abs(size_of(root, "2022-06") - float(found.group(2)) * 1000) < 100


def test_lint_names_the_heaviest_items_and_the_setting(example: Path, invoke) -> None:
    paragraph = "Words of a long report that goes on and on. " * 20
    write(example / ISSUE / "99-long.md", "---\nkind: news\ntitle: A long report\n---\n"
          + "\n\n".join([paragraph] * 56) + "\n")
    result = invoke(example, "check", "2022-06")
    line = next(line for line in result.output.splitlines() if "[email-size]" in line)
    assert line.startswith(f"{ISSUE}/bulletin.md:1: [email-size] warning: the email is ")
    assert "heaviest items: 99-long.md (" in line
    assert "(fix: `email: teaser` (title, first paragraph and a link to the web page)" in line


def test_lint_looks_at_what_the_email_leaves_out(example: Path, invoke) -> None:
    write(example / ISSUE / "95-web.md", "---\nkind: news\ntitle: Web\nemail: web-only\n---\n"
          "See [the old site](http://wmhtc.co.uk/about).\n")
    write(example / ISSUE / "96-list.md", "---\nkind: news\ntitle: List\nemail: teaser\n---\n"
          "- one\n- two\n")
    found = invoke(example, "check", "2022-06").output
    assert (f"{ISSUE}/95-web.md:6: [http-link] warning: link http://wmhtc.co.uk/about is not "
            "secure (http://)") in found
    assert (f"{ISSUE}/96-list.md:4: [teaser-empty] warning: with `email: teaser` the email "
            "shows only this item's title: its body does not start with a paragraph") in found


def test_add_scaffolds_the_setting(example: Path, invoke) -> None:
    result = invoke(example, "add", "event", "Summer social", "--to", "2022-06")
    assert result.exit_code == 0, result.output
    path = next((example / ISSUE).glob("*-summer-social.md"))
    text = path.read_text(encoding="utf-8")
    assert "\n# email: full\n" in text and "teaser" in text and "web-only" in text
    assert "\n# register_text: " in text
    # uncommented, the line is valid as it stands
    path.write_text(text.replace("\n# email: full\n", "\nemail: teaser\n").replace(
        'when: "TK"', "when: autumn"), encoding="utf-8")
    result = invoke(example, "build")
    assert result.exit_code == 0, result.output
    assert "autumn" in (example / "site/2022-06/email.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    with browser() as running:
        yield running


@pytest.mark.parametrize("width", [375, 600])
def test_the_teaser_email_in_a_browser(chromium, teaser_site: Path, width: int) -> None:
    config = load_config(teaser_site)
    _, files = render(config, (SLUG,))
    with email_page(chromium, Published(config.base_url, files), SLUG,
                    View("test", width)) as page:
        seen = page.evaluate("""() => {
          const lines = [...document.querySelectorAll('a[href^="https"][href*="#event-event-"]')]
            .map(a => a.closest('p').getBoundingClientRect().height);
          return {scroll: document.documentElement.scrollWidth, width: innerWidth,
                  events: lines.length, tallest: Math.max(...lines)};
        }""")
    assert seen["scroll"] <= seen["width"], "the email scrolls sideways"
    assert seen["events"] == EVENTS
    # a date line and one or two lines of title and place (24px each), three at 375px
    assert seen["tallest"] <= (4 if width == 375 else 3) * 24 + 1, seen


def _styles(html_text: str) -> set[str]:
    return {declaration.split(":", 1)[0].strip().lower()
            for style in re.findall(r'style="([^"]*)"', html_text)
            for declaration in style.split(";") if ":" in declaration}


def test_the_teaser_email_keeps_the_email_s_rules(teaser_site: Path) -> None:
    """What test_email_html checks on the example, on the teaser email: anchors with name
    and id for every "In this issue" link, balanced tables, no CSS property the example's
    email (checked against caniemail there) does not use already."""
    email = (teaser_site / "site" / SLUG / "email.html").read_text(encoding="utf-8")
    example = (teaser_site / "site/2022-06/email.html").read_text(encoding="utf-8")
    contents = re.findall(r'href="#([^"]+)"', email)
    named = dict(re.findall(r'<a name="([^"]+)" id="([^"]+)"', email))
    assert len(contents) == len(SECTIONS) + 1  # the sections, and one for the 50 events
    assert all(named.get(target) == target for target in contents)
    assert len(named) == EVENTS + len(SECTIONS)  # every item still has its anchor
    for tag in ("table", "tr", "td", "p", "a"):
        assert len(re.findall(rf"<{tag}[\s>]", email)) == email.count(f"</{tag}>"), tag
    assert _styles(email) <= _styles(example)
    assert all(href.startswith(("https://", "#", "*|", "mailto:"))
               for href in re.findall(r'href="([^"]*)"', email))


def test_new_carries_the_issue_s_setting_and_drafts_show_in_compact_lines(
        example: Path, invoke) -> None:
    set_email(example / ISSUE / "bulletin.md", "teaser")
    set_email(example / ISSUE / "30-air-quality-webinar.md", "teaser\ndraft: true")
    result = invoke(example, "new", "2022-07", "--from", "2022-06")
    assert result.exit_code == 0, result.output
    assert "\nemail: teaser\n" in (example / "bulletins/2022-07/bulletin.md").read_text()
    result = invoke(example, "build", "--drafts", "2022-06")
    assert result.exit_code == 0, result.output
    email = (example / "site/2022-06/email.html").read_text(encoding="utf-8")
    line = email.split('name="event-air-quality-webinar"')[0].rsplit("<p", 1)[1]
    assert ">DRAFT</p>" in line  # the draft event's line says so, inside its row

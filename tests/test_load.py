"""Loading an issue: per-kind validation, pictures, bodies; all errors at once."""

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bulletin_gen.config.settings import load_config
from bulletin_gen.errors import ContentErrors
from bulletin_gen.sources.discover import discover
from bulletin_gen.sources.load import LOCAL_URL_RE, _rel, load_bulletin, substitute_local
from tests.conftest import write

ISSUE = "bulletins/2022-06"


def load(root: Path):
    config = load_config(root)
    [source] = [s for s in discover(config) if s.slug == "2022-06"]
    return load_bulletin(source, config)


def errors_of(root: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load(root)
    return [error.location_message() for error in caught.value.errors]


def test_example_issue_loads_every_item_in_kind_then_file_order(example: Path) -> None:
    bulletin = load(example)
    assert bulletin.title == "WMHTC e-bulletin: June 2022"
    assert bulletin.date == dt.date(2022, 6, 30)
    groups = bulletin.groups(load_config(example).kinds)
    assert [group.kind.name for group in groups] == ["event", "news", "member"]
    assert [len(group.items) for group in groups] == [6, 9, 1]
    events = groups[0].items
    assert [item.slug for item in events][:3] == [
        "june-topical-tuesday", "july-topical-tuesday", "air-quality-webinar"]
    webinar = events[2]
    assert webinar.starts.isoformat() == "2022-07-20T10:00:00+01:00"
    assert webinar.ends.isoformat() == "2022-07-20T11:00:00+01:00"
    assert bulletin.banner.width == 1200 and bulletin.banner.url_path == "2022-06/images/banner.png"
    assert bulletin.author.signature.url_path == "assets/images/signature.png"


def test_item_errors_name_file_line_key_and_expectation(example: Path) -> None:
    write(example / ISSUE / "95-bad.md", """\
---
kind: event
title: Summer social
imgae: images/banner.png
starts: 20th of July
register: example.org/register
---
Body.
""")
    assert errors_of(example) == [
        f"{ISSUE}/95-bad.md:4: unknown key 'imgae' (did you mean 'image'?); allowed: draft, "
        "email, ends, image, image_alt, kind, link, link_text, location, register, "
        "register_text, starts, title, when",
        f"{ISSUE}/95-bad.md:5: 'starts': expected an ISO date or date-time like 2022-07-20 or "
        "2022-07-20T10:00, got '20th of July'",
        f"{ISSUE}/95-bad.md:6: 'register': expected an absolute URL starting with https://, "
        "got 'example.org/register'",
    ]


def test_errors_in_several_files_are_reported_together(example: Path) -> None:
    write(example / ISSUE / "96-a.md", "---\nkind: gossip\ntitle: A\n---\n")
    write(example / ISSUE / "97-b.md", "---\nkind: news\n---\nNo title.\n")
    write(example / ISSUE / "98-c.md", "---\nkind: member\ntitle: C\nimage: images/banner.png\n---\n")
    assert errors_of(example) == [
        f"{ISSUE}/96-a.md:2: 'kind': unknown kind 'gossip'; expected one of event, news, member",
        f"{ISSUE}/97-b.md:1: 'title' is required",
        f"{ISSUE}/98-c.md:1: 'member' is required",
        f"{ISSUE}/98-c.md:4: 'image_alt' is required with 'image': describe the picture for "
        "readers who cannot see it",
    ]


def test_missing_picture_and_escaping_paths_are_refused(example: Path) -> None:
    write(example / ISSUE / "95-pics.md", """\
---
kind: news
title: Pictures
image: images/nowhere.png
image_alt: Nothing
---
![A secret](../../site.yaml)
""")
    assert errors_of(example) == [
        f"{ISSUE}/95-pics.md:4: no file 'images/nowhere.png' in {ISSUE}/",
        f"{ISSUE}/95-pics.md:7: path '../../site.yaml' leads out of its folder ('..' is not allowed)",
    ]


def test_event_needs_a_date_or_when_and_must_end_after_it_starts(example: Path) -> None:
    write(example / ISSUE / "95-undated.md", "---\nkind: event\ntitle: Undated\n---\n")
    write(example / ISSUE / "96-backwards.md", "---\nkind: event\ntitle: Backwards\n"
          "starts: 2022-07-20T11:00\nends: 2022-07-20T10:00\n---\n")
    assert errors_of(example) == [
        f"{ISSUE}/95-undated.md:1: an event needs 'starts' (an ISO date or date-time) or, while "
        "it has no date, 'when' (free text)",
        f"{ISSUE}/96-backwards.md:5: 'ends' (2022-07-20T10:00:00) is before 'starts' "
        "(2022-07-20T11:00:00)",
    ]


def test_body_pictures_point_at_their_published_copy(example: Path) -> None:
    write(example / ISSUE / "95-pic.md", "---\nkind: news\ntitle: Pic\n---\n"
          "![The banner again](images/banner.png)\n")
    bulletin = load(example)
    [item] = [i for i in bulletin.items if i.slug == "pic"]
    assert '<img alt="The banner again" src="/2022-06/images/banner.png">' in item.body_html
    assert "2022-06/images/banner.png" in [image.url_path for image in bulletin.images]


def test_draft_items_are_left_out(example: Path) -> None:
    write(example / ISSUE / "95-draft.md", "---\nkind: news\ntitle: Not yet\ndraft: true\n---\n")
    assert "draft" not in [item.slug for item in load(example).items]


def test_an_impossible_date_hides_none_of_the_file_s_other_errors(example: Path) -> None:
    write(example / ISSUE / "95-bad.md", """\
---
kind: event
title: Summer social
starts: 2022-02-30
imgae: images/banner.png
register: example.org/register
---
Body.
""")
    assert errors_of(example) == [
        f"{ISSUE}/95-bad.md:4: 'starts': 2022-02-30 is not a real date or time "
        "(day is out of range for month)",
        f"{ISSUE}/95-bad.md:5: unknown key 'imgae' (did you mean 'image'?); allowed: draft, "
        "email, ends, image, image_alt, kind, link, link_text, location, register, "
        "register_text, starts, title, when",
        f"{ISSUE}/95-bad.md:6: 'register': expected an absolute URL starting with https://, "
        "got 'example.org/register'",
    ]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["src", "href", "s", "h", "rc", "ref", "=", '"', "x", "_", "1",
                                 "é", " ", "\n", "<a ", "<img ", ">", 'src="a"', 'xhref="b"',
                                 '="', 'src="', 'href="'])).map("".join))
@example('xsrc="href="b" xhref="src="c" src="d"')  # a refused start right before another
def test_local_links_are_replaced_exactly_where_the_pattern_s_own_search_finds_them(
        html: str) -> None:
    def replace(match: re.Match[str]) -> str:
        return f"<{match.group(1)}|{match.group(2)[::-1]}|{match.start()}>"

    assert substitute_local(replace, html) == LOCAL_URL_RE.sub(replace, html)


@pytest.mark.parametrize("root", ["/", "/tmp", "/tmp/a", "rel", "rel/x", ".", "..", "//tmp"])
@pytest.mark.parametrize("path", ["/", "/tmp", "/tmp/a/b.md", "/tmp/ab/c", "/tmpx/a", "rel/x/y.md",
                                  "rel", "x", "/tmp/a/../b", ".", "../x/y", "//tmp/a"])
def test_source_paths_are_named_as_relative_to_names_them(root: str, path: str) -> None:
    def named(function) -> str:
        try:
            return function()
        except ValueError as error:
            return f"ValueError: {error}"

    config = SimpleNamespace(root=Path(root))
    assert named(lambda: _rel(Path(path), config)) == named(
        lambda: Path(path).relative_to(Path(root)).as_posix())

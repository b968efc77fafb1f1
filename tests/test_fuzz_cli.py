"""Property-based test through the command line: generated front matter and bodies.

For every generated publication, `bulletin build --drafts` and `bulletin check`:
  - exit 0 or 1, never with an exception (a traceback);
  - on exit 1, every message line reads `path:line: ...`, and check reports the same
    errors as build (check and build agree);
  - on exit 0, no output holds a C0 control character or anything active beyond the
    theme's own, feed.xml parses cleanly with feedparser, and the .eml carries one From
    address and no header it was not given.

A few examples run in the suite (derandomised, so the suite is repeatable); `make fuzz`
runs many more (BULLETIN_FUZZ_EXAMPLES, random seeds) and prints any failing case.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import feedparser
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bulletin_gen.cli import main
from tests.conftest import REPO, write
from tests.inert import active_parts_of_site, added_active_parts
from tests.test_properties import HOSTILE_TEXT, SCHEMES, front_matter, markdown_body, value

EXAMPLES = int(os.environ.get("BULLETIN_FUZZ_EXAMPLES", "10"))
LONG_RUN = "BULLETIN_FUZZ_EXAMPLES" in os.environ
# No shrinking: an example costs a build and a check (about a second), and hypothesis
# would spend minutes making a failing one smaller; it is printed as found.
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG_RUN, database=None,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate], report_multiple_bugs=LONG_RUN)
ISSUE = "bulletins/2022-06"
# A path may hold a colon (`95-:.md`): the location ends at the first `:<digits>: `.
LOCATED = re.compile(r"^(?P<where>.+?:\d+): (?P<message>\S.*)$")
CHECK_ERROR = re.compile(r"^(?P<where>.+?:\d+): \[[\w-]+\] error: (?P<message>.*?)"
                         r"(?: \(fix: .*\))?$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TEXT_OUTPUTS = (".html", ".txt", ".xml", ".eml", ".ics", ".js")

# What a one-line field might be given: line breaks of every kind, markup, placeholders.
ONE_LINE_HOSTILE = [
    "June\nJuly", "June\r\nBcc: everyone@example.org", "June\u2028July", "June\x85July",
    "Line1\u2029Bcc", "a\x0bb", "bgph0000x", "bgph9999x", "*|ARCHIVE|*", "{{ UnsubscribeURL }}",
    "\"><script>alert(1)</script>", "9999-12-31", "9998-06-01T10:00", "0001-01-01",
]
one_line = st.one_of(st.text(max_size=30), st.sampled_from(ONE_LINE_HOSTILE + HOSTILE_TEXT))
url_like = st.one_of(
    st.builds(lambda scheme, tail: scheme + tail, st.sampled_from(SCHEMES), one_line),
    st.sampled_from(["https://a.org/\"><script>alert(1)</script>", "https://a.org/\r\nX: 1",
                     "https://a.org/a>,<mailto:evil@attacker.org", "https://a.org:99999/",
                     "https://[::1/", "https:///x", "https://a.org/ b", "https://a.org/#x"]))
address_like = st.one_of(one_line, st.sampled_from([
    "a@example.org", "a@example.org\r\nBcc: b@example.org", "a@b", "\"a b\"@example.org",
    "a..b@example.org", "a@example.org>, <b@example.org", "Name <a@example.org>"]))
site_field = st.sampled_from([
    ("title", one_line), ("base_url", url_like), ("organisation.name", one_line),
    ("organisation.address", one_line), ("organisation.website", url_like),
    ("organisation.email", address_like), ("email.from_name", one_line),
    ("email.from_address", address_like), ("email.reply_to", address_like),
    ("email.unsubscribe_url", url_like), ("email.reason", one_line),
    ("brand.logo_alt", one_line), ("kinds", value), ("organisation", value), ("email", value),
])
bulletin_meta = st.fixed_dictionaries(
    {"title": st.one_of(one_line, value), "date": st.one_of(st.dates(), one_line)},
    optional={"preheader": one_line, "author": st.one_of(value, st.fixed_dictionaries(
        {"name": one_line}, optional={"role": one_line, "email": address_like})),
        "sign_off": st.one_of(one_line, markdown_body), "banner_alt": one_line, "draft": value},
).map(lambda meta: yaml.safe_dump(meta, allow_unicode=True, sort_keys=False))
item_meta = st.one_of(front_matter, st.fixed_dictionaries(
    {"kind": st.just("event"), "title": one_line,
     "starts": st.one_of(st.dates(), st.datetimes(), one_line)},
    optional={"ends": st.one_of(st.dates(), one_line), "location": one_line,
              "register": url_like, "when": one_line},
).map(lambda meta: yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)))
file_stem = st.one_of(st.sampled_from(["95-fuzz", "95 fuzz item", "95-Fuzz_Item", "95-été",
                                       "95-", "95--x--"]),
                      st.text(st.characters(codec="utf-8", exclude_characters="/\x00"),
                              min_size=1, max_size=12).map(lambda s: "95-" + s))


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Counter[str]]:
    """A one-issue publication, built once: the theme's own active parts (its search box)."""
    root = tmp_path_factory.mktemp("fuzz") / "publication"
    root.mkdir()
    shutil.copyfile(REPO / "site.yaml", root / "site.yaml")
    write(root / ISSUE / "bulletin.md", "---\ntitle: Fuzzed issue\ndate: 2022-06-30\n---\nHi.\n")
    write(root / ISSUE / "10-news.md", "---\nkind: news\ntitle: A news item\n---\nNews.\n")
    result = CliRunner().invoke(main, ["-C", str(root), "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root, active_parts_of_site(root / "site")


def _fresh(base: tuple[Path, Counter[str]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("case") / "publication"
    shutil.copytree(base[0], root, ignore=shutil.ignore_patterns("site", ".bulletin-cache"))
    return root


def _run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-C", str(root), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"`bulletin {' '.join(args)}` raised "
                             f"{type(result.exception).__name__}: {result.exception}"
                             ) from result.exception
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def assert_build_and_check_behave(root: Path, theme: Counter[str]) -> None:
    built, build_output = _run(root, "build", "--drafts", "--jobs", "1")
    checked, check_output = _run(root, "check")
    assert built == checked, f"build exit {built}, check exit {checked}:\n" \
                             f"{build_output}\n---\n{check_output}"
    if built == 1:
        lines = build_output.strip().splitlines()
        if re.fullmatch(r"\d+ errors?: nothing was written\.", lines[-1]):
            lines.pop()
        build_errors = set()
        for line in lines:
            match = LOCATED.match(line)
            assert match, f"no path:line: in {line!r}"
            build_errors.add((match["where"], match["message"]))
        check_errors = {(m["where"], m["message"]) for m in map(CHECK_ERROR.match,
                                                                 check_output.splitlines()) if m}
        if not lines[0].startswith("site.yaml"):
            assert build_errors == check_errors, (build_output, check_output)
        return
    site = root / "site"
    for file in sorted(site.rglob("*")):
        if file.is_file() and file.suffix in TEXT_OUTPUTS:
            found = CONTROL.search(file.read_text(encoding="utf-8"))
            assert found is None, (file.relative_to(site).as_posix(), found.group(0))
    assert not added_active_parts(site, theme)
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    for eml in site.rglob("*.eml"):
        message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        assert len(message["From"].addresses) == 1, message["From"]
        assert message["Bcc"] is None and message["Cc"] is None
        for name, header in message.items():
            assert "\n" not in str(header).replace("\r\n ", "").replace("\n ", ""), name


@FUZZ
@given(data=st.data(), meta=bulletin_meta, body=markdown_body)
def test_generated_issue_front_matter(base, tmp_path_factory, data, meta: str,
                                      body: str) -> None:
    root = _fresh(base, tmp_path_factory)
    write(root / ISSUE / "bulletin.md", f"---\n{meta}---\n{body}\n")
    assert_build_and_check_behave(root, base[1])


@FUZZ
@given(meta=item_meta, body=markdown_body, stem=file_stem)
def test_generated_items(base, tmp_path_factory, meta: str, body: str, stem: str) -> None:
    root = _fresh(base, tmp_path_factory)
    write(root / ISSUE / f"{stem}.md", f"---\n{meta}---\n{body}\n")
    assert_build_and_check_behave(root, base[1])


@FUZZ
@given(fields=st.lists(site_field.flatmap(lambda pair: st.tuples(st.just(pair[0]), pair[1])),
                       min_size=1, max_size=3))
def test_generated_site_yaml(base, tmp_path_factory, fields: list[tuple[str, object]]) -> None:
    root = _fresh(base, tmp_path_factory)
    settings_ = yaml.safe_load((root / "site.yaml").read_text(encoding="utf-8"))
    for dotted, given_value in fields:
        section, _, key = dotted.partition(".")
        if key and isinstance(settings_.get(section), dict):
            settings_[section][key] = given_value
        elif not key:
            settings_[section] = given_value
    if settings_.get("email", {}) and isinstance(settings_["email"], dict):
        settings_["email"].setdefault("service", "mailchimp")
    (root / "site.yaml").write_text(yaml.safe_dump(settings_, allow_unicode=True),
                                    encoding="utf-8")
    assert_build_and_check_behave(root, base[1])

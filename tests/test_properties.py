"""Property-based tests: whatever a member sends, the build fails cleanly or publishes it inert.

Each example writes one item file into a small publication and runs the stages in
process (render.site.render_in_memory, every stage but writing). The result is either content
errors, each `path:line: message` about that file, or output with nothing active
beyond what the theme has itself (its search form).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin_gen.config.settings import load_config
from bulletin_gen.errors import BulletinError, ContentError, ContentErrors
from bulletin_gen.render.site import OutputFile
from bulletin_gen.render.site import render_in_memory as render
from tests.conftest import REPO, write
from tests.inert import active_parts

ITEM = "bulletins/2022-06/50-fuzz.md"
FUZZ = settings(max_examples=20, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

HOSTILE_TEXT = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)",
    "\"><svg onload=alert(1)>", "'; DROP TABLE members; --", "{{ config }}", "{% raw %}",
    "*|UNSUB|*", "%%{unsubscribe_url}%%", "&amp;&lt;&#0;", "\u202etxt.exe", "</title>",
    "]]>", "\ufeff", "\x85", "<!--", "${7*7}",
]
SCHEMES = ["javascript:", "JaVaScRiPt:", "java\tscript:", "vbscript:", "data:text/html,",
           "https://example.org/", "mailto:a@example.org", "//evil.example/", "", "*|UNSUB|*",
           "{{ UnsubscribeURL }}", "images/x.png", "../../site.yaml", "/etc/passwd"]
TAGS = ["script", "style", "iframe", "form", "object", "embed", "svg", "math", "img", "a", "p",
        "div", "span", "table", "td", "base", "meta", "link", "textarea", "noscript", "template",
        "h2", "blockquote", "input", "button", "video", "audio", "frameset", "xmp", "plaintext"]
ATTRIBUTES = ["onclick", "onerror", "onload", "onmouseover", "style", "href", "src", "action",
              "formaction", "background", "srcset", "xlink:href", "title", "alt", "class"]

text = st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE_TEXT))


@st.composite
def html_fragment(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attributes = "".join(
        f' {name}="{draw(st.sampled_from(SCHEMES))}{draw(text).replace(chr(34), "")}"'
        for name in draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=3)))
    inner = draw(text) if depth > 1 else "".join(
        draw(st.lists(st.one_of(text, html_fragment(depth + 1)), max_size=3)))
    closing = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}"]))
    return f"<{tag}{attributes}>{inner}{closing}"


markdown_body = st.lists(st.one_of(
    text,
    html_fragment(),
    st.builds(lambda words, url: f"[{words}]({url})", text, st.sampled_from(SCHEMES)),
    st.builds(lambda words, url: f"![{words}]({url})", text, st.sampled_from(SCHEMES)),
    st.sampled_from(["\n\n", "\n", "    ", "```\n", "> ", "- ", "| a | b |\n|---|---|\n",
                     "{: onclick=\"alert(1)\" }", "---", "<!-- x -->", "\r\n"]),
), max_size=12).map("".join)

scalar = st.one_of(text, st.integers(), st.booleans(), st.none(), st.dates(),
                   st.datetimes(min_value=dt.datetime(1900, 1, 1)),
                   st.sampled_from(SCHEMES), st.floats(allow_nan=True))
value = st.recursive(scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6)
KEYS = ["image", "image_alt", "link", "link_text", "draft", "starts", "ends",
        "when", "location", "register", "member", "member_url", "imgae"]
front_matter = st.fixed_dictionaries(
    {"kind": st.sampled_from(["news", "event", "member", "unknown", 5]), "title": text},
    optional={key: value for key in KEYS},
).map(lambda meta: yaml.safe_dump(meta, allow_unicode=True, sort_keys=False))


@pytest.fixture(scope="module")
def publication(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-issue publication that uses the default theme."""
    root = tmp_path_factory.mktemp("fuzz") / "publication"
    root.mkdir()
    shutil.copyfile(REPO / "site.yaml", root / "site.yaml")
    write(root / "bulletins/2022-06/bulletin.md",
          "---\ntitle: Fuzzed issue\ndate: 2022-06-30\n---\nHello.\n")
    return root


@pytest.fixture(scope="module")
def theme_parts(publication: Path) -> dict[str, Counter[str]]:
    """The active parts the theme itself puts into each output (the search form)."""
    _, files = render(load_config(publication))
    return {file.path: Counter(_active(file)) for file in files}


def _active(file: OutputFile) -> list[str]:
    if file.content is None:
        return []
    content = file.content.decode("utf-8")
    if file.path.endswith(".xml"):
        ET.fromstring(file.content)  # the feed and sitemap stay well-formed XML
    if file.path == "feed.xml":
        root = ET.fromstring(file.content)
        return [part for entry in root.iter("{http://www.w3.org/2005/Atom}content")
                for part in active_parts(entry.text or "")]
    return active_parts(content) if file.path.endswith(".html") else []


LOCATED = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+): \S")


def assert_built_inert_or_refused_cleanly(root: Path, source: bytes,
                                          theme: dict[str, Counter[str]]) -> None:
    (root / ITEM).write_bytes(source)
    try:
        _, files = render(load_config(root))
    except ContentErrors as failure:
        errors = failure.errors
    except ContentError as failure:
        errors = [failure]
    except BulletinError as failure:  # not about a place in a file: must not happen here
        raise AssertionError(f"an error without a place: {failure.message}") from None
    else:
        for file in files:
            added = Counter(_active(file)) - theme.get(file.path, Counter())
            assert not added, (file.path, sorted(added.elements()))
        return
    lines = source.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
    for error in errors:
        message = error.location_message()
        assert LOCATED.match(message), message
        assert error.path == ITEM and 1 <= (error.line or 0) <= lines, message
        assert "\n" not in message and "Traceback" not in message, message


@FUZZ
@given(body=st.text(max_size=300))
def test_any_text_as_a_body(publication: Path, theme_parts: dict[str, Counter[str]],
                            body: str) -> None:
    source = f"---\nkind: news\ntitle: Fuzz\n---\n{body}"
    assert_built_inert_or_refused_cleanly(publication, source.encode("utf-8"), theme_parts)


@FUZZ
@given(body=markdown_body)
def test_hostile_markdown_and_html_in_a_body(publication: Path,
                                             theme_parts: dict[str, Counter[str]],
                                             body: str) -> None:
    source = f"---\nkind: news\ntitle: Fuzz\n---\n{body}\n"
    assert_built_inert_or_refused_cleanly(publication, source.encode("utf-8"), theme_parts)


@FUZZ
@given(meta=front_matter, body=markdown_body)
def test_random_yaml_front_matter(publication: Path, theme_parts: dict[str, Counter[str]],
                                  meta: str, body: str) -> None:
    source = f"---\n{meta}---\n{body}\n"
    assert_built_inert_or_refused_cleanly(publication, source.encode("utf-8"), theme_parts)


@FUZZ
@given(meta=st.text(max_size=200), raw=st.binary(max_size=60))
def test_any_text_or_bytes_as_front_matter(publication: Path,
                                           theme_parts: dict[str, Counter[str]],
                                           meta: str, raw: bytes) -> None:
    source = f"---\n{meta}\n---\nBody.\n".encode() + raw
    assert_built_inert_or_refused_cleanly(publication, source, theme_parts)

"""Front matter and YAML: values, lines, and every failure at its line."""

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bulletin_gen.errors import ContentError
from bulletin_gen.sources import yamlload
from bulletin_gen.sources.frontmatter import ASCII_CONTROLS, parse_source, read_text
from bulletin_gen.sources.yamlload import Invalid, load_yaml


def test_values_lines_and_body() -> None:
    source = parse_source("---\ntitle: Hello\ndate: 2022-06-30\n---\nBody *text*\n", "a.md")
    assert source.meta == {"title": "Hello", "date": dt.date(2022, 6, 30)}
    assert source.lines == {"title": 2, "date": 3}
    assert source.body == "Body *text*\n"
    assert source.body_line == 5


def test_nested_keys_have_their_own_lines() -> None:
    document = load_yaml("author:\n  name: David\n  role: Chair\n", "b.md", first_line=2)
    assert document.lines == {"author": 2, "author.name": 3, "author.role": 4}


@pytest.mark.parametrize(("text", "message"), [
    ("title: x\n", "a.md:1: no front matter: the file must start with a line '---'"),
    ("---\ntitle: x\nbody\n", "a.md:1: front matter is not closed: add a line '---' after it"),
    ("---\ntitle: [unclosed\n---\n", "a.md:2: invalid YAML: did not find expected ',' or ']'"),
    ("---\n- a\n- b\n---\n", "a.md:2: front matter must be a mapping of 'key: value' lines, got a list"),
    ("---\nx: !!python/object/apply:os.system ['ls']\n---\n",
     "a.md:2: 'x': the tag !!python/object/apply:os.system is not allowed: front matter "
     "holds only text, numbers, dates, lists and mappings"),
])
def test_bad_front_matter_is_a_located_error(text: str, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        parse_source(text, "a.md")
    assert caught.value.location_message() == message


def test_bom_and_crlf_read_as_plain_text(tmp_path: Path) -> None:
    file = tmp_path / "a.md"
    file.write_bytes(b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\nbody\r\n")
    assert read_text(file, "a.md") == "---\ntitle: x\n---\nbody\n"


def test_not_utf8_names_the_line_of_the_first_bad_byte(tmp_path: Path) -> None:
    file = tmp_path / "a.md"
    file.write_bytes(b"---\ntitle: ok\n---\ncaf\xe9\n")
    with pytest.raises(ContentError) as caught:
        read_text(file, "bulletins/x/a.md")
    assert caught.value.location_message() == (
        "bulletins/x/a.md:4: not UTF-8 text (byte 0xe9); save the file as UTF-8")


def test_libyaml_reads_front_matter_where_it_is_installed() -> None:
    # libyaml's CSafeLoader parses front matter about 8.5x faster than the pure loader.
    import yaml

    from bulletin_gen.sources import yamlload
    expected = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    assert yamlload.Loader is expected


def test_an_unreadable_value_is_an_error_beside_the_readable_ones() -> None:
    source = parse_source("---\ntitle: x\ndate: 2022-13-45\n---\nBody\n", "a.md")
    assert [e.location_message() for e in source.errors] == [
        "a.md:3: 'date': 2022-13-45 is not a real date or time (month must be in 1..12)"]
    assert source.meta["title"] == "x"
    assert isinstance(source.meta["date"], Invalid) and str(source.meta["date"]) == "2022-13-45"


VALUES = st.sampled_from([
    "text", '"quoted: text"', "'single'", "2022-06-30", "2022-06-30T10:00", "2022-06-30 10:00:00+01:00",
    "2022-13-45", "12", "0x1F", "1_000", "0b", "1.5", ".inf", "1e3", "true", "no", "null", "~", "", "=",
    "!!str 12", "!!int '3'", "!!bool maybe", "!!float x", "!!timestamp 2022-02-30", "!!map x",
    "!!seq [1]", "[1, two, 2022-06-30]", "{a: 1, b: [x]}", "&anchor text", "*anchor", "&m {k: v}",
    "*m", "|\n  block\n  text", ">-\n  folded", "\n  - a\n  - b", "\n  inner: 1\n  deeper:\n    x: y",
    "\n  <<: *m\n  own: 1", "!!python/name:os.system", "\x85"])
KEYS = st.sampled_from(["title", "date", "a", "b", "1", "1.0", "true", "2022-06-30", "<<", "? [k]",
                        "!!int 7", "*anchor", "title"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(KEYS, VALUES), max_size=6))
@example([("a", "!!map x"), ("b", "!!seq x")])  # a tag not of its node's kind
@example([("!!map x", "1")])
@example([("a", "&m {k: v}"), ("b", "*m"), ("c", "\n  <<: *m\n  own: 1")])  # shared, merged
@example([("a", "!!bool maybe"), ("b", "2022-13-45"), ("c", "!!float x")])  # failures
def test_front_matter_is_read_as_the_library_constructs_it(pairs: list[tuple[str, str]]) -> None:
    text = "".join(f"{key}: {value}\n" for key, value in pairs)

    def outcome() -> object:
        try:
            document = load_yaml(text, "a.md", first_line=2)
        except ContentError as error:
            return error.location_message()
        except Exception as error:  # noqa: BLE001 - compared, not hidden
            return repr(error)
        return repr(document)

    fast = outcome()
    library_only = pytest.MonkeyPatch()
    library_only.setattr(yamlload, "_build", _refuse)
    try:
        assert fast == outcome()
    finally:
        library_only.undo()


def _refuse(loader: object, node: object) -> object:
    raise ValueError("build it the library's way")


def test_a_source_is_refused_where_it_or_its_folder_leads_out_of_the_root(tmp_path: Path) -> None:
    root, outside = tmp_path / "repo", tmp_path / "outside"
    (root / "issue").mkdir(parents=True)
    outside.mkdir()
    (root / "issue/a.md").write_text("inside\n", encoding="utf-8")
    (outside / "secret.md").write_text("secret\n", encoding="utf-8")
    (root / "issue/b.md").symlink_to(outside / "secret.md")
    real_folder = (root / "issue").resolve()
    for _ in range(2):  # the folder's answer is kept: the second time reads the same
        assert read_text(root / "issue/a.md", "issue/a.md", root, real_folder) == "inside\n"
        with pytest.raises(ContentError, match="a symlink leading out of the repository"):
            read_text(root / "issue/b.md", "issue/b.md", root, real_folder)
        with pytest.raises(ContentError, match="a symlink leading out of the repository"):
            read_text(outside / "secret.md", "secret.md", root, outside.resolve())


def test_the_bytes_deleted_from_ascii_text_are_the_control_characters_below_128() -> None:
    assert set(ASCII_CONTROLS) == {code for code in range(128)
                                   if yamlload.CONTROL_RE.match(chr(code))}


@pytest.mark.parametrize("text", ["plain\n", "tab\tand\nnewline", "form\x0cfeed", "del\x7f",
                                  "caf\u00e9 \x85", "caf\u00e9 \x0b", "\ufffe"])
def test_control_characters_are_found_in_ascii_and_other_text(tmp_path: Path, text: str) -> None:
    file = tmp_path / "a.md"
    file.write_text(text, encoding="utf-8")
    control = yamlload.CONTROL_RE.search(text)
    if control is None:
        assert read_text(file, "a.md") == text
    else:
        with pytest.raises(ContentError, match=f"U\\+{ord(control.group()):04X} in column"):
            read_text(file, "a.md")

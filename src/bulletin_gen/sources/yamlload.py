"""Read YAML safely, keeping the line of every key so errors can point at it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from bulletin_gen.errors import ContentError

# libyaml parses front matter about 8.5x faster than the pure-Python loader.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A document that expands past this many nodes is an alias bomb, not a bulletin.
MAX_NODES = 20_000
# Deeper than this is an attack on the parser's stack, not front matter.
MAX_DEPTH = 50
CORE = "tag:yaml.org,2002:"
# Text, numbers, dates, lists and mappings: the plain data front matter holds.
ALLOWED_TAGS = {CORE + name for name in
                ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")}
# Characters that are invisible in an editor and invalid in XML (the feed), and the C1
# controls, which can make Gmail show a message as clipped (EMAIL-FACTS 2).
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


@dataclass(frozen=True)
class Invalid:
    """A value that could not be read; its error is in YamlDocument.errors."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class YamlDocument:
    data: Any
    lines: dict[str, int]  # dotted key path -> 1-based line in the file
    # Values that could not be read (an impossible date): each key's value is Invalid,
    # so the file's other problems can still be reported beside them.
    errors: tuple[ContentError, ...] = ()


def load_yaml(text: str, path: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document; every failure is a ContentError at its line."""
    offset = first_line - 1
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, {})
        lines: dict[str, int] = {}
        walker = _Walker(path, offset, lines)
        walker.walk(node, "", 0)
        if walker.plain:
            try:
                return YamlDocument(_build(loader, node), lines)
            except Exception:  # noqa: BLE001 - the library's construction below starts
                pass           # again and fails as it always has
        try:
            data = loader.construct_document(node)
        except CONSTRUCTION_ERRORS as error:
            # PyYAML raises a plain ValueError for an impossible date like 2022-13-45.
            if isinstance(node, yaml.MappingNode) and _is_plain_mapping(node):
                return _construct_each(loader, node, lines, offset, path)
            line, key, value = _find_bad_value(loader, node, offset)
            prefix = f"'{key}': " if key else ""
            raise ContentError(path, line, f"{prefix}{_describe(error, value)}") from None
        return YamlDocument(data, lines)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark and mark and mark.line >= text.rstrip("\n").count("\n") + 1:
            # A construct left open reaches the end of the YAML: point at where it began.
            mark = error.context_mark
        line = mark.line + 1 + offset if mark else first_line
        problem = error.problem or error.context or "invalid YAML"
        if mark and text[mark.index: mark.index + 1] == "\t":
            problem = "a tab character; YAML indents with spaces only"
        raise ContentError(path, line, f"invalid YAML: {problem}") from None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + first_line
        raise ContentError(path, line, f"invalid YAML: {error.reason} "
                           f"(character U+{error.character:04X})") from None
    except yaml.YAMLError as error:
        raise ContentError(path, first_line, f"invalid YAML: {error}") from None
    except RecursionError:
        # Only the pure-Python loader recurses; libyaml stops at its own depth limit.
        raise ContentError(path, first_line, "invalid YAML: nested too deeply") from None
    finally:
        loader.dispose()


class _Walker:
    """Records each key's line and refuses what safe front matter never holds.

    Aliases are walked each time they are used, so counting visits bounds the
    expanded size: a "billion laughs" document stops at MAX_NODES, in milliseconds.
    """

    def __init__(self, path: str, offset: int, lines: dict[str, int]) -> None:
        self.path, self.offset, self.lines = path, offset, lines
        self.count = 0
        # Whether _build makes what the library's construction would: no node met twice
        # (an alias, whose value the library builds once and shares), no merge key, no
        # key that is not a scalar, and each node's tag one for its kind.
        self.plain = True
        self.seen: set[int] = set()

    def error(self, node: yaml.Node, message: str) -> ContentError:
        return ContentError(self.path, node.start_mark.line + 1 + self.offset, message)

    def walk(self, node: yaml.Node, prefix: str, depth: int) -> None:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.error(node, f"YAML expands to more than {MAX_NODES} values "
                             "(an alias bomb?)")
        if depth > MAX_DEPTH:
            raise self.error(node, f"YAML is nested more than {MAX_DEPTH} levels deep")
        self.check_tag(node, prefix)
        self.note(node)
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                self.check_tag(key_node, prefix)
                self.note(key_node)
                if not isinstance(key_node, yaml.ScalarNode):
                    self.plain = False
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
                dotted = f"{prefix}.{key}" if prefix else key
                line = key_node.start_mark.line + 1 + self.offset
                if key in seen and key_node.tag != CORE + "merge":
                    raise self.error(key_node, f"'{dotted}' is given twice "
                                     f"(first on line {seen[key]}); keep one")
                seen[key] = line
                self.lines.setdefault(dotted, line)
                self.walk(value_node, dotted, depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            for index, child in enumerate(node.value):
                self.walk(child, f"{prefix}.{index}", depth + 1)
        elif isinstance(node.value, str) and CONTROL_RE.search(node.value):
            character = CONTROL_RE.search(node.value).group(0)  # type: ignore[union-attr]
            where = f"'{prefix}': " if prefix else ""
            raise self.error(node, f"{where}holds an invisible control character "
                             f"(U+{ord(character):04X}); delete it")

    def note(self, node: yaml.Node) -> None:
        if id(node) in self.seen or node.tag not in KIND_TAGS.get(type(node), ()):
            self.plain = False  # (a merge key's tag is not a scalar's)
        self.seen.add(id(node))

    def check_tag(self, node: yaml.Node, prefix: str) -> None:
        if node.tag == CORE + "value" and isinstance(node, yaml.ScalarNode):
            node.tag = CORE + "str"  # a lone `=` is text, not PyYAML's "value" type
        if node.tag not in ALLOWED_TAGS:
            shown = "!!" + node.tag.removeprefix(CORE) if node.tag.startswith(CORE) else node.tag
            where = f"'{prefix}': " if prefix else ""
            raise self.error(node, f"{where}the tag {shown} is not allowed: front matter "
                             "holds only text, numbers, dates, lists and mappings")


CONSTRUCTION_ERRORS = (ValueError, TypeError, OverflowError, yaml.YAMLError)
SCALAR_TAGS = {CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
KIND_TAGS = {yaml.ScalarNode: SCALAR_TAGS, yaml.MappingNode: {CORE + "map"},
             yaml.SequenceNode: {CORE + "seq"}}


def _build(loader: Any, node: yaml.Node) -> Any:
    """What loader.construct_document(node) makes of a document the walker found plain,
    without the library's bookkeeping for aliases and recursion, at a third of the cost:
    mappings are dicts and sequences lists, filled in order, and each scalar is what the
    library's constructor for its tag makes (a str is its text)."""
    if isinstance(node, yaml.MappingNode):
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _build(loader, key_node)
            mapping[key] = _build(loader, value_node)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, child) for child in node.value]
    if node.tag == CORE + "str":
        return node.value
    return loader.yaml_constructors[node.tag](loader, node)


def _is_plain_mapping(node: yaml.MappingNode) -> bool:
    """Plain keys, without merge keys, so the values can be read one by one."""
    return all(
        isinstance(key, yaml.ScalarNode) and key.tag != CORE + "merge" for key, _ in node.value)


def _construct_each(loader: Any, node: yaml.MappingNode, lines: dict[str, int], offset: int,
                    path: str) -> YamlDocument:
    """Read a mapping's values one by one, keeping an error for each that cannot be read."""
    data: dict[Any, Any] = {}
    errors = []
    for key_node, value_node in node.value:
        # A failed construction leaves its node marked as in progress: start each afresh.
        loader.recursive_objects = {}
        try:
            key = loader.construct_object(key_node, deep=True)
        except CONSTRUCTION_ERRORS:
            key = str(key_node.value)
        try:
            data[key] = loader.construct_object(value_node, deep=True)
        except CONSTRUCTION_ERRORS as error:
            value = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
            errors.append(ContentError(path, value_node.start_mark.line + 1 + offset,
                                       f"'{key}': {_describe(error, value)}"))
            data[key] = Invalid(value if isinstance(value, str) else "")
    return YamlDocument(data, lines, tuple(errors))


def _find_bad_value(loader: Any, node: yaml.Node, offset: int) -> tuple[int, str, Any]:
    """Construct values one by one to find which key holds the bad one."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            try:
                loader.construct_object(value_node, deep=True)
            except (ValueError, TypeError, OverflowError, yaml.YAMLError):
                return (value_node.start_mark.line + 1 + offset, str(key_node.value),
                        value_node.value if isinstance(value_node, yaml.ScalarNode) else None)
    return node.start_mark.line + 1 + offset, "", None


def _describe(error: Exception, value: Any) -> str:
    if isinstance(error, yaml.constructor.ConstructorError) and error.problem:
        return f"not allowed in safe YAML: {error.problem}"
    if isinstance(error, ValueError) and isinstance(value, str):
        # PyYAML reads anything shaped like 2022-13-45 as a date, and fails on it.
        return f"{value} is not a real date or time ({error})"
    if isinstance(error, ValueError):
        return f"not a valid value ({error})"
    return str(error)

